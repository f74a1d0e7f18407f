"""Store benchmark: batched insert throughput (embedding included) and hybrid search
latency at several store sizes.

    python -m bench.store --sizes 10000,100000 --json

Everything goes through the product's own code: ``MemoryStore.add_many`` (validation,
ONNX embedding, one SQLite transaction per batch through the writer thread, Chroma upsert)
and ``HybridRetriever.search`` (FTS5 BM25 + Chroma vectors, fused).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path
from typing import Any

from bench.synthetic_memories import QUERIES, generate
from memory.embedder import Embedder
from memory.retrieval import HybridRetriever
from memory.store import MemoryStore


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def fill(store: MemoryStore, count: int, batch: int, seed: int) -> float:
    """Insert ``count`` generated memories; return memories per second."""
    stream = generate(count, seed=seed)
    done = 0
    started = time.perf_counter()
    while done < count:
        items = list(islice(stream, batch))
        store.add_many(items)
        done += len(items)
        if sys.stderr.isatty():
            rate = done / (time.perf_counter() - started)
            print(f"\r  inserted {done}/{count} ({rate:.0f}/s)", end="", file=sys.stderr)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    return count / (time.perf_counter() - started)


def measure_search(store: MemoryStore, queries: int) -> dict[str, float]:
    retriever = HybridRetriever(store)
    for query in QUERIES[:3]:  # warm caches and the ONNX session
        retriever.search(query, limit=10)
    timings = []
    for i in range(queries):
        started = time.perf_counter()
        retriever.search(QUERIES[i % len(QUERIES)], limit=10)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 95), 2),
        "max_ms": round(max(timings), 2),
        "queries": queries,
    }


def run(sizes: list[int], batch: int, queries: int, workdir: Path) -> dict[str, Any]:
    embedder = Embedder()
    result: dict[str, Any] = {"insert": {}, "search": {}}
    for size in sorted(sizes):
        data_dir = Path(tempfile.mkdtemp(prefix=f"store-{size}-", dir=workdir))
        with MemoryStore(data_dir, embedder=embedder) as store:
            rate = fill(store, size, batch, seed=size)
            result["insert"][str(size)] = {"memories_per_second": round(rate, 1), "batch": batch}
            result["search"][str(size)] = measure_search(store, queries)
    result["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version()}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.store", description=__doc__)
    parser.add_argument("--sizes", default="10000,100000",
                        help="comma-separated store sizes (default 10000,100000)")
    parser.add_argument("--batch", type=int, default=256, help="memories per add_many batch")
    parser.add_argument("--queries", type=int, default=200, help="searches timed per size")
    parser.add_argument("--workdir", type=Path, help="where the stores are built (default: a "
                        "temporary folder, removed afterwards)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    started = time.perf_counter()
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        result = run(sizes, args.batch, args.queries, args.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="engram-bench-") as tmp:
            result = run(sizes, args.batch, args.queries, Path(tmp))
    result["seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps(result))
    else:
        for size in result["search"]:
            ins, srch = result["insert"][size], result["search"][size]
            print(f"{size:>8} memories: insert {ins['memories_per_second']}/s, "
                  f"search p50 {srch['p50_ms']} ms p95 {srch['p95_ms']} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
