"""LOCOMO evidence-recall benchmark for Engram's own store and retriever.

    python -m bench.locomo --data FILE --k 5,10,25,50 --json

Every conversation turn is stored through :class:`memory.store.MemoryStore` as an episodic
memory (speaker as actor, the turn text, plus the shared photo's caption when there is one,
as summary; the session's date and time as ``occurred_at``, one second per turn so the
turns keep their order), in one fresh data folder per conversation. Each question of
categories 1-4 is then answered by :class:`memory.retrieval.HybridRetriever`, exactly as
``engram search`` would, with "now" set to the end of the conversation. Recall@k is the
share of the question's evidence turns (``dia_id``) among the top k, averaged over
questions. The turn's ``dia_id`` is kept in ``tree_path`` (not searchable), so it cannot
help retrieval.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from memory.embedder import Embedder
from memory.retrieval import HybridRetriever, SearchFilters
from memory.schema import to_iso
from memory.store import MemoryStore, NewMemory

CATEGORIES = ("1", "2", "3", "4")
TREE_PREFIX = "locomo/"
_DIA_ID = re.compile(r"D\d+:\d+")
_SESSION_KEY = re.compile(r"session_(\d+)$")


@dataclass(frozen=True)
class Turn:
    dia_id: str
    speaker: str
    text: str
    at: datetime


@dataclass(frozen=True)
class Question:
    text: str
    category: str
    evidence: tuple[str, ...]


def parse_session_time(text: str) -> datetime:
    """LOCOMO writes session times like ``1:56 pm on 8 May, 2023``."""
    cleaned = " ".join(text.replace(",", " ").split())
    for pattern in ("%I:%M %p on %d %B %Y", "%I:%M%p on %d %B %Y", "%d %B %Y"):
        try:
            return datetime.strptime(cleaned, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise ValueError(f"unrecognised LOCOMO session time {text!r}")


def evidence_ids(raw: Any) -> tuple[str, ...]:
    """Evidence ids, read defensively: entries may be lists, or strings like 'D8:6; D9:17'."""
    items = raw if isinstance(raw, list) else [raw]
    found: list[str] = []
    for item in items:
        found.extend(_DIA_ID.findall(str(item)))
    return tuple(dict.fromkeys(found))


def turns_of(conversation: dict[str, Any]) -> list[Turn]:
    turns: list[Turn] = []
    sessions = sorted(
        (int(m.group(1)), key)
        for key in conversation
        if (m := _SESSION_KEY.match(key)) and isinstance(conversation[key], list)
    )
    for number, key in sessions:
        stamp = conversation.get(f"session_{number}_date_time")
        if not stamp:
            continue
        start = parse_session_time(str(stamp))
        for index, turn in enumerate(conversation[key]):
            text = str(turn.get("text") or "").strip()
            caption = str(turn.get("blip_caption") or "").strip()
            if caption:
                text = f"{text} [shares {caption}]".strip()
            if not text or not turn.get("dia_id"):
                continue
            turns.append(
                Turn(str(turn["dia_id"]), str(turn.get("speaker") or "unknown"), text,
                     start + timedelta(seconds=index))
            )
    return turns


def questions_of(sample: dict[str, Any]) -> list[Question]:
    out = []
    for qa in sample.get("qa", []):
        category = str(qa.get("category"))
        evidence = evidence_ids(qa.get("evidence", []))
        if category in CATEGORIES and evidence and qa.get("question"):
            out.append(Question(str(qa["question"]), category, evidence))
    return out


def store_turns(store: MemoryStore, sample_id: str, turns: Sequence[Turn]) -> None:
    batch = 256
    for start in range(0, len(turns), batch):
        store.add_many(
            [
                NewMemory(
                    type="episodic",
                    fields={
                        "occurred_at": to_iso(t.at),
                        "actor": t.speaker,
                        "event_type": "message",
                        "summary": f"{t.speaker}: {t.text}",
                    },
                    source="import",
                    tree_path=f"{TREE_PREFIX}{sample_id}/{t.dia_id}",
                )
                for t in turns[start : start + batch]
            ]
        )


def dia_id_of(tree_path: str | None) -> str | None:
    if not tree_path or not tree_path.startswith(TREE_PREFIX):
        return None
    return tree_path.rsplit("/", 1)[-1]


def evaluate(
    retriever: HybridRetriever, questions: Sequence[Question], ks: Sequence[int], now: datetime
) -> Iterator[tuple[Question, dict[int, float]]]:
    depth = max(ks)
    for question in questions:
        results = retriever.search(question.text, SearchFilters(), limit=depth, now=now)
        ranked = [dia_id_of(r.memory.tree_path) for r in results]
        wanted = set(question.evidence)
        yield question, {
            k: len(wanted & set(ranked[:k])) / len(wanted) for k in ks
        }


def run(data_path: Path, ks: Sequence[int], work_dir: Path | None = None) -> dict[str, Any]:
    started = time.monotonic()
    samples = json.loads(Path(data_path).read_text(encoding="utf-8"))
    if isinstance(samples, dict):
        samples = [samples]
    embedder = Embedder()
    totals = {k: 0.0 for k in ks}
    by_category: dict[str, dict[int, float]] = {}
    per_category_n: dict[str, int] = {}
    n = 0
    for index, sample in enumerate(samples):
        sample_id = str(sample.get("sample_id") or index)
        turns = turns_of(sample["conversation"])
        questions = questions_of(sample)
        if not turns or not questions:
            continue
        with (
            tempfile.TemporaryDirectory(prefix="locomo-", dir=work_dir) as data_dir,
            MemoryStore(Path(data_dir), embedder=embedder) as store,
        ):
            store_turns(store, sample_id, turns)
            retriever = HybridRetriever(store)
            now = max(t.at for t in turns) + timedelta(days=1)
            for question, recall in evaluate(retriever, questions, ks, now):
                n += 1
                per_category_n[question.category] = per_category_n.get(question.category, 0) + 1
                bucket = by_category.setdefault(question.category, {k: 0.0 for k in ks})
                for k in ks:
                    totals[k] += recall[k]
                    bucket[k] += recall[k]
    return {
        "recall_at": {str(k): round(totals[k] / n, 4) if n else 0.0 for k in ks},
        "by_category": {
            category: {
                str(k): round(bucket[k] / per_category_n[category], 4) for k in ks
            }
            for category, bucket in sorted(by_category.items())
        },
        "questions": n,
        "seconds": round(time.monotonic() - started, 1),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.locomo", description=__doc__)
    parser.add_argument("--data", required=True, type=Path, help="a LOCOMO-format JSON file")
    parser.add_argument("--k", default="5,10,25,50", help="comma-separated cut-offs")
    parser.add_argument("--work-dir", type=Path, help="where the temporary data folders go")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    try:
        ks = sorted({int(k) for k in args.k.split(",") if k.strip()})
    except ValueError:
        parser.error("--k takes positive integers separated by commas, e.g. 5,10,25,50")
    if not ks or min(ks) <= 0:
        parser.error("--k takes positive integers separated by commas, e.g. 5,10,25,50")
    result = run(args.data, ks, args.work_dir)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"LOCOMO evidence recall over {result['questions']} questions "
              f"({result['seconds']} s)")
        for k, r in result["recall_at"].items():
            print(f"  recall@{k}: {r:.3f}")
        for category, row in result["by_category"].items():
            print(f"  category {category}: " + ", ".join(f"@{k} {r:.3f}" for k, r in row.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
