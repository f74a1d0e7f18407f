"""Extraction benchmark: a synthetic day of screen activity through the real pipeline.

``python -m bench.extraction --json`` renders the day (bench/screens), reads every frame
with the product's OCR (capture/ocr.py, RapidOCR), queues the frames as the capture
pipeline does, runs the extraction worker with the bundled language model, and reports:
per-type precision and recall of the gold key facts, episodic coverage (right app and
time span), vault recall and secrets stored in clear, hallucination rate (stored values
not supported by their source frames), duplicates, frames per minute end to end, and the
growth in memories when the same day is replayed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.screens import Day, generate_day, write_day
from memory.extraction.grounding import SourceText, normalise, unsupported_reason
from memory.extraction.rules import TEMPLATE_WORDS
from memory.schema import MEMORY_TYPES, Memory, now_iso, parse_iso
from memory.store import MemoryStore

PASSPHRASE = "bench passphrase"
SPAN_TOLERANCE_S = 30.0


def _squash(text: str) -> str:
    return re.sub(r"[\s]", "", normalise(text))


def memory_blob(memory: Memory) -> str:
    values: list[str] = []
    for value in memory.fields.values():
        if isinstance(value, list):
            values += [str(v) for v in value]
        elif value is not None:
            values.append(str(value))
    return _squash("\n".join(values))


def queue_frames(store: MemoryStore, day: Day, images: Path, ocr: dict[int, Any]) -> list[int]:
    """Insert the day's frames as the capture pipeline would; with ``ocr`` given, as
    already OCR'd (status ocr_done), else pending."""
    rows = []
    for segment in day.segments:
        for frame in segment.frames:
            rows.append((frame, segment))

    def insert(db: Any) -> list[int]:
        ids = []
        for frame, segment in rows:
            result = ocr.get(frame.index)
            cursor = db.execute(
                "INSERT INTO frames (captured_at, app, window_title, url, width, height, "
                "image_path, status, ocr_text, ocr_lines, updated_at) "
                "VALUES (?, ?, ?, ?, 1024, 640, ?, ?, ?, ?, ?)",
                [frame.captured_at, segment.app, segment.window_title, segment.url,
                 str(images / frame.image), "ocr_done" if result else "pending",
                 result[0] if result else None, result[1] if result else None, now_iso()],
            )
            ids.append(int(cursor.lastrowid))
        return ids

    return store.writer.write(insert)


def run_ocr(store: MemoryStore, frame_ids: list[int], day: Day) -> dict[int, Any]:
    """OCR every pending frame with the product's engine; returns text by frame index."""
    from PIL import Image

    from capture.ocr import OcrEngine

    engine = OcrEngine()
    by_id = dict(zip(frame_ids, [f for s in day.segments for f in s.frames], strict=True))
    out: dict[int, Any] = {}
    for frame_id in frame_ids:
        path = store.reader.execute("SELECT image_path FROM frames WHERE id = ?",
                                    [frame_id]).fetchone()[0]
        with Image.open(path) as image:
            result = engine.read(image.convert("RGB"))
        lines = json.dumps([line.to_dict() for line in result.lines])
        out[by_id[frame_id].index] = (result.text, lines)
        params = [result.text, lines, now_iso(), frame_id]
        store.writer.write(lambda db, p=params: db.execute(  # type: ignore[misc]
            "UPDATE frames SET status = 'ocr_done', ocr_text = ?, ocr_lines = ?, updated_at = ? "
            "WHERE id = ?", p))
    return out


def live_memories(store: MemoryStore) -> list[Memory]:
    ids = [r[0] for r in store.reader.execute("SELECT id FROM memories WHERE deleted = 0")]
    return store.get_many(ids, reveal=store.vault.is_unlocked)


def evaluate(store: MemoryStore, day: Day) -> dict[str, Any]:
    memories = live_memories(store)
    by_type: dict[str, list[Memory]] = {t: [] for t in MEMORY_TYPES}
    for memory in memories:
        by_type[memory.type].append(memory)
    blobs = {m.id: memory_blob(m) for m in memories}
    gold_facts: dict[str, list[str]] = {t: [] for t in MEMORY_TYPES}
    for segment in day.segments:
        for item in segment.gold:
            if item["type"] != "episodic":
                gold_facts[item["type"]] += [_squash(f) for f in item["facts"]]
    per_type: dict[str, Any] = {}
    for memory_type in ("semantic", "procedural", "resource", "vault"):
        facts = gold_facts[memory_type]
        found = sum(1 for fact in facts if any(fact in blobs[m.id] for m in by_type[memory_type]))
        relevant = sum(1 for m in by_type[memory_type]
                       if any(fact in blobs[m.id] for fact in set(facts)))
        stored = len(by_type[memory_type])
        per_type[memory_type] = {
            "gold_facts": len(facts), "recall": round(found / len(facts), 4) if facts else None,
            "stored": stored, "precision": round(relevant / stored, 4) if stored else None,
        }
    covered = 0
    episodes = by_type["episodic"]
    for segment in day.segments:
        start, end = parse_iso(segment.started_at), parse_iso(segment.ended_at)
        if any(
            m.fields.get("app") == segment.app
            and abs((parse_iso(m.fields["occurred_at"]) - start).total_seconds())
            <= SPAN_TOLERANCE_S
            and abs((parse_iso(m.fields.get("ended_at") or m.fields["occurred_at"]) - end)
                    .total_seconds()) <= SPAN_TOLERANCE_S
            for m in episodes
        ):
            covered += 1
    episodic_correct = sum(
        1 for m in episodes if any(
            m.fields.get("app") == s.app
            and parse_iso(m.fields["occurred_at"]) <= parse_iso(s.ended_at)
            and parse_iso(m.fields.get("ended_at") or m.fields["occurred_at"])
            >= parse_iso(s.started_at)
            for s in day.segments))
    per_type["episodic"] = {
        "segments": len(day.segments), "segments_covered": covered,
        "recall": round(covered / len(day.segments), 4) if day.segments else None,
        "stored": len(episodes),
        "precision": round(episodic_correct / len(episodes), 4) if episodes else None,
    }
    return {"per_type": per_type, **hallucinations(store, memories),
            **secrets_in_clear(store, day), "duplicates": duplicates(memories),
            "memories": store.counts()}


def hallucinations(store: MemoryStore, memories: list[Memory]) -> dict[str, Any]:
    """Every stored text value must be supported by the frames it came from (their OCR text
    and window metadata); the words rule templates add ("Read mail in") are not claims."""
    checked = unsupported = 0
    examples: list[str] = []
    for memory in memories:
        frames = memory.provenance.get("frames") or []
        if memory.source != "screen" or not frames:
            continue
        marks = ", ".join("?" for _ in frames)
        rows = store.reader.execute(
            f"SELECT app, window_title, url, ocr_text FROM frames WHERE id IN ({marks})",
            frames).fetchall()
        source = SourceText("\n".join(str(v) for row in rows for v in row if v))
        for name, value in memory.fields.items():
            if name in ("occurred_at", "ended_at", "limit", "label") or value in (None, ""):
                continue
            for item in value if isinstance(value, list) else [value]:
                text = str(item)
                for line in text.splitlines():
                    if not line.strip():
                        continue
                    checked += 1
                    reason = unsupported_reason(line, source, max_chars=10**6,
                                                min_overlap=0.0, free_words=TEMPLATE_WORDS)
                    if reason:
                        unsupported += 1
                        if len(examples) < 5:
                            examples.append(f"{memory.type}.{name}: {reason}")
    return {"hallucination": {"values_checked": checked, "unsupported": unsupported,
                              "rate": round(unsupported / checked, 4) if checked else 0.0,
                              "examples": examples}}


def secrets_in_clear(store: MemoryStore, day: Day) -> dict[str, Any]:
    """Seeded secrets anywhere in memory text, FTS or history (vault secrets are stored
    encrypted, so a hit is a leak)."""
    secrets = [s for segment in day.segments for s in segment.secrets]
    tables = ["episodic_memory", "semantic_memory", "procedural_memory", "resource_memory",
              "core_memory", "memory_history"]
    texts: list[str] = []
    for table in tables:
        for row in store.reader.execute(f"SELECT * FROM {table}"):
            texts += [str(v) for v in row if isinstance(v, str)]
    for row in store.reader.execute("SELECT entry_type, source, caption FROM vault_memory"):
        texts += [str(v) for v in row if v]
    texts += [r[0] for r in store.reader.execute("SELECT text FROM memory_fts")]
    blob = "\n".join(texts)
    leaked = sum(1 for s in secrets if s in blob)
    vault = [m for m in live_memories(store) if m.type == "vault"]
    stored = {str(m.fields.get("secret_value")) for m in vault}
    recalled = sum(1 for s in secrets if any(s in value for value in stored))
    return {"secrets": {"seeded": len(secrets), "in_vault": recalled,
                        "recall": round(recalled / len(secrets), 4) if secrets else None,
                        "stored_in_clear": leaked}}


def duplicates(memories: list[Memory]) -> int:
    """Live memories with the same type and the same normalised content as another."""
    keys = Counter(
        (m.type, memory_blob(m)) if m.type != "episodic"
        else (m.type, m.fields.get("app"), m.fields.get("occurred_at"))
        for m in memories
    )
    return sum(n - 1 for n in keys.values() if n > 1)


def run(frames: int, seed: int, work: Path, *, use_model: bool, replay: bool) -> dict[str, Any]:
    from app.services import bundled_llm_path
    from memory.embedder import Embedder
    from memory.extraction.pipeline import ExtractionPipeline
    from memory.extraction.worker import ExtractionWorker
    from memory.llm import LocalLLM

    day = generate_day(seed=seed, frames=frames)
    images = work / "screens"
    write_day(day, images)
    model_path = bundled_llm_path()
    model = LocalLLM(model_path) if use_model and model_path else None
    with MemoryStore(work / "data", embedder=Embedder()) as store:
        store.vault.unlock(PASSPHRASE)
        pipeline = ExtractionPipeline(store, model)
        worker = ExtractionWorker(store, pipeline, model_backlog=10**9)
        frame_ids = queue_frames(store, day, images, {})
        started = time.monotonic()
        ocr = run_ocr(store, frame_ids, day)
        ocr_seconds = time.monotonic() - started
        started = time.monotonic()
        report = worker.drain()
        extract_seconds = time.monotonic() - started
        result = evaluate(store, day)
        result.update({
            "frames": day.frame_count, "segments": len(day.segments),
            "model": model_path.name if model and model_path else None,
            "ocr_seconds": round(ocr_seconds, 1), "extract_seconds": round(extract_seconds, 1),
            "frames_per_minute": round(day.frame_count / ((ocr_seconds + extract_seconds) / 60),
                                       2),
            "extract_frames_per_minute": round(day.frame_count / (extract_seconds / 60), 2),
            "ops": report.ops, "model_calls": report.model_calls,
            "grounding": {"kept": report.grounding_kept, "dropped": report.grounding_dropped},
            "frames_failed": report.frames_failed,
        })
        if replay:
            before = sum(store.counts().values())
            queue_frames(store, day, images, ocr)
            second = worker.drain()
            after = sum(store.counts().values())
            result["replay"] = {"before": before, "after": after,
                                "growth": round((after - before) / before, 4) if before else 0,
                                "ops": second.ops,
                                "duplicates": duplicates(live_memories(store))}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300, help="frames in the simulated day")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-model", action="store_true", help="rules only, no LLM")
    parser.add_argument("--no-replay", action="store_true", help="skip the replay pass")
    parser.add_argument("--work-dir", type=Path, help="keep images and data here")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="engram-bench-") as tmp:
        work = args.work_dir or Path(tmp)
        result = run(args.frames, args.seed, work, use_model=not args.no_model,
                     replay=not args.no_replay)
    if args.json:
        print(json.dumps(result, default=str))
    else:
        print(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
