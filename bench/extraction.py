"""Extraction benchmark: a synthetic day of screen activity through the real pipeline.

``python -m bench.extraction --json`` renders the day (bench/screens) and streams it, frame
by frame in simulated time, through the stages the product runs: the frame store (WebP on
disk, a ``pending`` row), the OCR worker (capture/pipeline.py: incremental RapidOCR,
redaction of secrets in the text and the pixels, sealed vault candidates), the promotion of
candidates into the unlocked vault (as ``engram ingest`` does) and the extraction worker
(closed activity segments, the bundled language model, consolidation). It reports per-type
precision and recall of the gold key facts, episodic coverage (right app and time span),
vault recall of the seeded secrets and whether any is stored in clear (memory tables, a
byte scan of the whole data folder, and OCR of the stored, blurred frames), hallucination
rate (stored values not supported by what the frames showed), duplicates, frames per minute
end to end (frame store + OCR + extraction) and the growth in memories when the same day is
replayed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.screens import Day, generate_day, write_day
from bench.screens.day import DAY_START
from memory.extraction.facts import WHEN_PREFIX
from memory.extraction.grounding import SourceText, normalise, unsupported_reason
from memory.extraction.rules import TEMPLATE_WORDS
from memory.schema import MEMORY_TYPES, Memory, parse_iso, to_iso
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


@dataclass
class FeedReport:
    """Wall seconds per stage and what the OCR stage did."""

    frames: int = 0
    store_seconds: float = 0.0
    ocr_seconds: float = 0.0
    extract_seconds: float = 0.0
    ocr_done: int = 0
    ocr_failed: int = 0
    vault_promoted: int = 0
    extraction: Any = None  # the summed BatchReport

    @property
    def seconds(self) -> float:
        return self.store_seconds + self.ocr_seconds + self.extract_seconds


class RealPath:
    """The product's stages for one data folder, wired as ``engram ingest`` and the
    desktop app wire them (settings defaults; the vault unlocked), on a simulated clock."""

    def __init__(self, data_dir: Path, *, use_model: bool) -> None:
        from app.services import Services
        from capture.frame_store import FrameStore
        from capture.ocr import OcrEngine
        from capture.pipeline import CaptureConfig, OcrWorker
        from capture.redaction import Redactor, SecretKeeper
        from memory.extraction.pipeline import ExtractionPipeline
        from memory.extraction.worker import ExtractionWorker

        self.services = Services(data_dir)
        self.store = self.services.store
        self.store.vault.unlock(PASSPHRASE)
        config = CaptureConfig.from_settings(self.services.settings)
        self.frames = FrameStore(
            self.store, quality=config.image_quality, retention_days=config.retention_days,
            budget_bytes=config.budget_bytes,
            drop_images_after_extraction=config.drop_images_after_extraction)
        self.redactor = Redactor(config.redaction_extra_patterns)
        self.keeper = SecretKeeper(self.store)
        self.ocr = OcrWorker(self.frames, OcrEngine(threads=config.ocr_threads), self.redactor,
                             self.keeper)
        self.model = self.services.language_model() if use_model else None
        self.now = parse_iso(DAY_START)
        self.extraction = ExtractionWorker(self.frames, ExtractionPipeline(self.store, self.model),
                                           clock=lambda: self.now)
        #: frame id -> the lines the frame really showed (for the hallucination check)
        self.shown: dict[int, list[str]] = {}

    def feed(self, day: Day, images: Path) -> FeedReport:
        """Every frame in order, as if captured live: stored, OCR'd (and redacted), secrets
        promoted into the vault, closed segments extracted; the last segment at the end."""
        from PIL import Image

        from capture.dedup import fingerprint
        from capture.window_info import WindowInfo
        from memory.extraction.worker import BatchReport

        report = FeedReport(extraction=BatchReport())
        for segment in day.segments:
            title = self.redactor.redact_text(segment.window_title)[0]
            url = self.redactor.redact_text(segment.url)[0] if segment.url else None
            window = WindowInfo(f"bench-{segment.index}", segment.app, title, url)
            for frame in segment.frames:
                self.now = parse_iso(frame.captured_at)
                started = time.perf_counter()
                with Image.open(images / frame.image) as opened:
                    image = opened.convert("RGB")
                frame_id = self.frames.save(
                    image, captured_at=to_iso(self.now), monitor=1, window=window,
                    phash=fingerprint(image, at=0.0, window_id=window.window_id).hex)
                self.shown[frame_id] = list(frame.lines)
                report.frames += 1
                ocr_started = time.perf_counter()
                ocr = self.ocr.run_pending()
                self.keeper.settle()
                report.vault_promoted = self.keeper.added
                extract_started = time.perf_counter()
                report.extraction.merge(self.extraction.run_once())
                done = time.perf_counter()
                report.store_seconds += ocr_started - started
                report.ocr_seconds += extract_started - ocr_started
                report.extract_seconds += done - extract_started
                report.ocr_done += ocr.ocr_done
                report.ocr_failed += ocr.failed
        started = time.perf_counter()
        report.extraction.merge(self.extraction.drain())  # the day's last segment
        report.extract_seconds += time.perf_counter() - started
        return report

    def close(self) -> None:
        self.services.close()

def live_memories(store: MemoryStore) -> list[Memory]:
    ids = [r[0] for r in store.reader.execute("SELECT id FROM memories WHERE deleted = 0")]
    return store.get_many(ids, reveal=store.vault.is_unlocked)


def evaluate(store: MemoryStore, day: Day, shown: dict[int, list[str]]) -> dict[str, Any]:
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
    return {"per_type": per_type, **hallucinations(store, memories, shown),
            **secrets_in_clear(store, day), "duplicates": duplicates(memories),
            "memories": store.counts()}


def hallucinations(store: MemoryStore, memories: list[Memory], shown: dict[int, list[str]]
                   ) -> dict[str, Any]:
    """Every stored text value must be supported by the frames it came from: their stored
    (redacted) OCR text and window metadata, and what they showed, since a secret's value
    is only in the text before redaction; the words rule templates add ("Read mail in")
    are not claims."""
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
        screen = [line for frame in frames for line in shown.get(int(frame), [])]
        source = SourceText("\n".join([*(str(v) for row in rows for v in row if v), *screen]))
        for name, value in memory.fields.items():
            if name in ("occurred_at", "ended_at", "limit", "label") or value in (None, ""):
                continue
            for item in value if isinstance(value, list) else [value]:
                text = str(item)
                for line in text.splitlines():
                    if not line.strip() or line.startswith(WHEN_PREFIX):
                        continue  # empty, or a date resolved against the frame's time
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


def seeded_secrets(day: Day) -> list[str]:
    return [secret for segment in day.segments for secret in segment.secrets]


def secrets_in_clear(store: MemoryStore, day: Day) -> dict[str, Any]:
    """Seeded secrets in the vault (compared without spaces: OCR may drop an IBAN's), and
    any found in clear in memory text, FTS, history or frames' OCR text (vault secrets are
    stored encrypted, so a hit is a leak). ``in_clear`` lists indexes, never values."""
    secrets = seeded_secrets(day)
    tables = ["episodic_memory", "semantic_memory", "procedural_memory", "resource_memory",
              "core_memory", "memory_history"]
    texts: list[str] = []
    for table in tables:
        for row in store.reader.execute(f"SELECT * FROM {table}"):
            texts += [str(v) for v in row if isinstance(v, str)]
    for row in store.reader.execute("SELECT entry_type, source, caption FROM vault_memory"):
        texts += [str(v) for v in row if v]
    texts += [r[0] for r in store.reader.execute("SELECT text FROM memory_fts")]
    for row in store.reader.execute("SELECT window_title, url, ocr_text, ocr_lines, error "
                                    "FROM frames"):
        texts += [str(v) for v in row if v]
    blob = _squash("\n".join(texts))
    in_clear = [i for i, s in enumerate(secrets) if _squash(s) in blob]
    vault = [m for m in live_memories(store) if m.type == "vault"]
    stored = [_squash(str(m.fields.get("secret_value"))) for m in vault]
    recalled = sum(1 for s in secrets if any(_squash(s) in value for value in stored))
    return {"secrets": {"seeded": len(secrets), "in_vault": recalled,
                        "recall": round(recalled / len(secrets), 4) if secrets else None,
                        "in_clear": in_clear}}


def byte_scan(root: Path, secrets: list[str]) -> dict[str, Any]:
    """Every file under ``root`` (database, WAL, vector index, frame images, logs) searched
    for each secret's bytes: UTF-8 and UTF-16, as shown and without spaces."""
    needles: list[tuple[int, bytes]] = []
    for index, secret in enumerate(secrets):
        for form in {secret, re.sub(r"\s", "", secret)}:
            needles += [(index, form.encode("utf-8")), (index, form.encode("utf-16-le"))]
    files, hits, found = 0, [], set()
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        files += 1
        data = path.read_bytes()
        for index, needle in needles:
            if needle in data:
                found.add(index)
                hits.append(f"{path.relative_to(root)}: secret #{index}")
    return {"files": files, "hits": sorted(set(hits)), "secrets_found": sorted(found)}


def readable_in_images(path: RealPath, day: Day) -> int:
    """Seeded secrets OCR can still read on the stored (blurred) frames: the last frame of
    each segment that showed one, read whole by a fresh engine."""
    from capture.ocr import OcrEngine

    engine = OcrEngine()
    readable = 0
    by_time = {row[1]: int(row[0]) for row in path.store.reader.execute(
        "SELECT id, captured_at FROM frames WHERE image_path IS NOT NULL ORDER BY id")}
    for segment in day.segments:
        if not segment.secrets or not segment.frames:
            continue
        frame_id = by_time.get(to_iso(parse_iso(segment.frames[-1].captured_at)))
        if frame_id is None:
            continue
        text = _squash(engine.read(path.frames.load_image(path.frames.get(frame_id))).text)
        readable += sum(1 for secret in segment.secrets if _squash(secret) in text)
    return readable


def duplicates(memories: list[Memory]) -> int:
    """Live memories with the same type and the same normalised content as another."""
    keys = Counter(
        (m.type, memory_blob(m)) if m.type != "episodic"
        else (m.type, m.fields.get("app"), m.fields.get("occurred_at"))
        for m in memories
    )
    return sum(n - 1 for n in keys.values() if n > 1)


def run(frames: int, seed: int, work: Path, *, use_model: bool, replay: bool) -> dict[str, Any]:
    day = generate_day(seed=seed, frames=frames)
    images = work / "screens"
    write_day(day, images)
    data_dir = work / "data"
    path = RealPath(data_dir, use_model=use_model)
    try:
        fed = path.feed(day, images)
        store = path.store
        result = evaluate(store, day, path.shown)
        result["secrets"]["readable_in_stored_images"] = readable_in_images(path, day)
        report = fed.extraction
        counters = dict(store.reader.execute("SELECT name, value FROM counters").fetchall())
        result.update({
            "frames": day.frame_count, "segments": len(day.segments),
            "model": path.services.llm_path().name  # type: ignore[union-attr]
            if path.model is not None else None,
            "ocr_seconds": round(fed.ocr_seconds, 1),
            "extract_seconds": round(fed.extract_seconds, 1),
            "store_seconds": round(fed.store_seconds, 1),
            "frames_per_minute": round(fed.frames / (fed.seconds / 60), 2),
            "extract_frames_per_minute": round(fed.frames / (fed.extract_seconds / 60), 2)
            if fed.extract_seconds else None,
            "ocr_seconds_per_frame": round(fed.ocr_seconds / fed.frames, 3),
            "ocr": {"done": fed.ocr_done, "failed": fed.ocr_failed,
                    **(path.ocr.incremental.stats.to_dict() if path.ocr.incremental else {})},
            "vault_path": {"secrets_redacted": counters.get("secrets_redacted", 0),
                           "secrets_discarded": counters.get("secrets_discarded", 0),
                           "candidates_promoted": fed.vault_promoted},
            "ops": report.ops, "model_calls": report.model_calls,
            "grounding": {"kept": report.grounding_kept, "dropped": report.grounding_dropped},
            "frames_failed": report.frames_failed + fed.ocr_failed,
        })
        if replay:
            before = sum(store.counts().values())
            second = path.feed(day, images)
            after = sum(store.counts().values())
            result["replay"] = {"before": before, "after": after,
                                "growth": round((after - before) / before, 4) if before else 0,
                                "ops": second.extraction.ops,
                                "vault_promoted": second.vault_promoted,
                                "duplicates": duplicates(live_memories(store))}
    finally:
        path.close()
    scan = byte_scan(data_dir, seeded_secrets(day))
    result["secrets"]["byte_scan"] = scan
    result["secrets"]["stored_in_clear"] = len(
        set(result["secrets"].pop("in_clear")) | set(scan["secrets_found"]))
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
