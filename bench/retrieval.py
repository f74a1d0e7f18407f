"""Retrieval latency at scale, and chat time to first token.

    python -m bench.retrieval --sizes 10000,100000,1000000 --json

For each size a fresh store is filled with generated episodic memories (sentences drawn from
a fixed vocabulary, one "episode" of 8 memories a minute apart every few hours), written in
bulk through the store's own writer thread: rows, type rows and FTS5 entries in large
transactions, and vectors upserted straight into the store's Chroma index. Embedding a
million texts with the ONNX model would take hours on this machine, so the vectors are
real embeddings of 2,000 generated sentences plus small random noise; HNSW search time
does not depend on what the vectors mean. Queries go through ``HybridRetriever.search``
exactly as ``engram search`` runs them (real query embedding, BM25, vectors, neighbours).

Chat time to first token is measured with the bundled model through ``ChatService``: cold
(model load included, as ``engram ask`` pays it), preloaded (the first question after the
warm-up the desktop app runs when the chat view opens) and warm (later questions).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from sqlite_utils import Database

from memory.chat import ChatService
from memory.embedder import Embedder
from memory.llm import LocalLLM
from memory.retrieval import HybridRetriever
from memory.store import MemoryStore, new_memory_id

PEOPLE = ["Sarah", "Tom", "Priya", "Alex", "Jon", "Mei", "Omar", "Lena", "Kofi", "Ana"]
VERBS = ["reviewed", "booked", "discussed", "fixed", "wrote", "read", "planned", "shared",
         "cancelled", "updated", "debugged", "bought", "sent", "called about", "drafted"]
THINGS = ["the marketing budget", "the Tokyo flight", "the VPN config", "a pull request",
          "the quarterly report", "the landlord email", "the climbing gym pass", "a recipe",
          "the tax return", "the hotel booking", "the design mockups", "the release notes",
          "the dentist appointment", "the team offsite", "the database migration",
          "the birthday gift", "the car insurance", "the onboarding doc", "the gate change",
          "the invoice"]
PLACES = ["in Slack", "in Firefox", "in the terminal", "on the phone", "in LibreOffice",
          "in the mail app", "at the office", "from home", "in VS Code", "in a meeting"]
QUERIES = ["what did Sarah say about the budget", "when did I book the Tokyo flight",
           "how did I fix the VPN config", "quarterly report review", "tax return",
           "who sent the invoice", "hotel booking in Firefox", "database migration plan",
           "dentist appointment", "what did Omar draft"]
POOL = 2000
EPISODE = 8


def sentence(rng: random.Random) -> str:
    return (f"{rng.choice(PEOPLE)} {rng.choice(VERBS)} {rng.choice(THINGS)} "
            f"{rng.choice(PLACES)} (note {rng.randrange(100000)})")


def fill(store: MemoryStore, n: int, seed: int = 7, batch: int = 20000) -> None:
    """Insert ``n`` generated episodic memories in bulk through the store's writer."""
    rng = random.Random(seed)
    pool_texts = [sentence(rng) for _ in range(POOL)]
    pool = store.embedder.embed(pool_texts)
    noise = np.random.default_rng(seed)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    created = datetime.now(UTC).isoformat(timespec="microseconds")
    for first in range(0, n, batch):
        count = min(batch, n - first)
        rows = []
        for i in range(first, first + count):
            at = start + timedelta(hours=3 * (i // EPISODE), minutes=i % EPISODE)
            pick = rng.randrange(POOL)
            rows.append((new_memory_id() + f"{i:07d}", at.isoformat(timespec="microseconds"),
                         pool_texts[pick] + f" #{i}", pick))

        def insert(db: Database, rows: list[tuple[str, str, str, int]] = rows) -> None:  # noqa: B023
            conn = db.conn
            for memory_id, at, text, _pick in rows:
                seq = conn.execute(
                    "INSERT INTO memories (id, type, created_at, updated_at, source, "
                    "event_at) VALUES (?, 'episodic', ?, ?, 'import', ?)",
                    [memory_id, created, created, at],
                ).lastrowid
                conn.execute(
                    "INSERT INTO episodic_memory (id, occurred_at, actor, event_type, summary, "
                    "details) VALUES (?, ?, 'user', 'activity', ?, '')",
                    [memory_id, at, text],
                )
                conn.execute("INSERT INTO memory_fts(rowid, text) VALUES (?, ?)",
                             [seq, f"user\nactivity\n{text}"])

        store.writer.write(insert)
        vectors = pool[[r[3] for r in rows]] + noise.normal(0, 0.02, (count, pool.shape[1]))
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        metas = [{"type": "episodic", "event_ts": datetime.fromisoformat(r[1]).timestamp()}
                 for r in rows]
        ids = [r[0] for r in rows]
        for part in range(0, count, 5000):
            chunk = (ids[part : part + 5000], vectors[part : part + 5000], metas[part : part + 5000])

            def push(db: Database, chunk: tuple[Any, Any, Any] = chunk) -> None:
                store.vectors.upsert(chunk[0], chunk[1].astype(np.float32), chunk[2])

            store.writer.write(push, transaction=False)


def percentile(values: Sequence[float], p: float) -> float:
    return float(np.percentile(np.array(values), p))


def measure_search(store: MemoryStore, rounds: int) -> dict[str, float]:
    retriever = HybridRetriever(store)
    retriever.search("warm up", limit=10)
    timings = []
    for i in range(rounds):
        query = QUERIES[i % len(QUERIES)]
        started = time.perf_counter()
        retriever.search(query, limit=10)
        timings.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(percentile(timings, 50), 1),
            "p95_ms": round(percentile(timings, 95), 1), "queries": rounds}


CHAT_QUESTIONS = ["What did Sarah say about the marketing budget?",
                  "When did I book the Tokyo flight?",
                  "How did I fix the VPN config?",
                  "Who sent the invoice?",
                  "What did Omar draft?",
                  "When is the dentist appointment?"]


def first_token_seconds(chat: ChatService, question: str) -> float:
    """Seconds from asking to the first streamed piece of the answer."""
    started = time.perf_counter()
    seen: list[float] = []

    def on_token(piece: str) -> None:
        if not seen:
            seen.append(time.perf_counter())

    answer = chat.ask(question, on_token=on_token)
    if answer.abstained:
        raise RuntimeError(f"the bench question {question!r} found no evidence")
    return round(seen[0] - started, 3)


def _same(llm: LocalLLM) -> LocalLLM:
    return llm


def measure_ttft(store: MemoryStore, model_path: Path) -> dict[str, Any]:
    """Cold: the model loads inside the first question (what ``engram ask`` pays).
    Preloaded: the first question after :meth:`ChatService.warm_up`, as the desktop app
    asks it (the chat view warms the model up when it opens). Warm: later questions."""
    retriever = HybridRetriever(store)
    retriever.search("warm up", limit=10)
    llm = LocalLLM(model_path, threads=2)
    chat = ChatService(store, retriever, lambda: llm, save_as_memory=False)
    cold = first_token_seconds(chat, CHAT_QUESTIONS[0])
    warm = [first_token_seconds(chat, q) for q in CHAT_QUESTIONS[1:]]
    llm.close()
    preloaded = []
    for question in CHAT_QUESTIONS[:3]:
        fresh = LocalLLM(model_path, threads=2)
        chat = ChatService(store, retriever, partial(_same, fresh), save_as_memory=False)
        chat.warm_up()
        preloaded.append(first_token_seconds(chat, question))
        fresh.close()
    return {"cold_s": cold,
            "preloaded_s": {"p50": round(percentile(preloaded, 50), 3), "max": max(preloaded)},
            "warm_s": {"p50": round(percentile(warm, 50), 3), "max": max(warm)},
            "questions": len(CHAT_QUESTIONS)}


def run(sizes: Sequence[int], rounds: int, work_dir: Path | None, chat: bool) -> dict[str, Any]:
    embedder = Embedder()
    result: dict[str, Any] = {"retrieval": {}, "fill": "bulk via store.writer; pooled vectors"}
    for n in sizes:
        with (
            tempfile.TemporaryDirectory(prefix="bench-retrieval-", dir=work_dir) as data_dir,
            MemoryStore(Path(data_dir), embedder=embedder, sync_on_open=False) as store,
        ):
            started = time.monotonic()
            fill(store, n)
            row = measure_search(store, rounds)
            row["fill_seconds"] = round(time.monotonic() - started, 1)
            result["retrieval"][str(n)] = row
            if chat and n == min(sizes):
                from app.services import bundled_llm_path

                path = bundled_llm_path()
                result["chat_ttft"] = measure_ttft(store, path) if path else None
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.retrieval", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000",
                        help="comma-separated store sizes")
    parser.add_argument("--queries", type=int, default=100, help="timed queries per size")
    parser.add_argument("--work-dir", type=Path, help="where the temporary stores go")
    parser.add_argument("--no-chat", action="store_true", help="skip time to first token")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    result = run(sizes, args.queries, args.work_dir, not args.no_chat)
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
