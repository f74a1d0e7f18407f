"""Archive throughput: export and import of a large store, with peak memory.

    python -m bench.archive --memories 50000 --frames 2000 --json

A store is seeded with generated memories of every type (``bench.synthetic_memories``, plus
vault entries with secrets, so the archive is encrypted), one history row each, links, and
frames with WebP images and OCR text. Seeding writes rows with SQL and random unit vectors
straight into Chroma: embedding 50k texts is not what this measures. Then, each in a fresh
child process so its peak resident memory (``VmHWM``) is its own:

* ``export`` writes the ``.engram`` archive (encrypted with ``--passphrase``);
* ``import`` verifies it and merges it into an empty data folder (vectors reused);
* ``open`` only opens the store, the baseline (Python, SQLite, Chroma, ONNX) both include.

Prints one JSON object: seconds, memories per second and peak RSS for each phase.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.synthetic_memories import generate
from memory.embedder import Embedder
from memory.schema import field_names, now_iso, searchable_text, type_table, validate_fields
from memory.store import MemoryStore

PASSPHRASE = "bench passphrase"
BATCH = 2000


def _webp(rng: random.Random, width: int = 320, height: int = 200) -> bytes:
    from PIL import Image

    noise = bytes(rng.getrandbits(8) for _ in range(width * height // 16 * 3))
    image = Image.frombytes("RGB", (width // 4, height // 4), noise).resize((width, height))
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=60)
    return out.getvalue()


def seed(data_dir: Path, memories: int, frames: int, seed_value: int = 7) -> dict[str, int]:
    """Fill a store quickly: SQL rows through the writer, random unit vectors into Chroma."""
    rng = random.Random(seed_value)
    np_rng = np.random.default_rng(seed_value)
    with MemoryStore(data_dir, embedder=Embedder(), sync_on_open=False) as store:
        store.vault.unlock(PASSPHRASE)
        images = [_webp(rng) for _ in range(16)]
        frame_rows = []
        for n in range(frames):
            relative = f"frames/bench/{n:06d}.webp"
            path = data_dir / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            data = images[n % len(images)]
            path.write_bytes(data)
            frame_rows.append((f"2024-01-01T{n // 3600 % 24:02d}:{n // 60 % 60:02d}:"
                               f"{n % 60:02d}.{n:06d}+00:00", f"{n:016x}", relative, len(data),
                               f"screen text of frame {n} with some words", now_iso()))
        store.writer.write(lambda db: db.conn.executemany(
            "INSERT INTO frames (captured_at, monitor, app, phash, image_path, image_bytes, "
            "status, ocr_text, updated_at) VALUES (?, 0, 'firefox', ?, ?, ?, 'extracted', ?, ?)",
            frame_rows))
        pending: list[tuple[str, str, dict[str, Any], str]] = []
        items = list(generate(memories - memories // 50, seed=seed_value))
        items += [None] * (memories // 50)  # type: ignore[list-item]
        ids: list[str] = []
        for i, item in enumerate(items):
            memory_id = f"{i:011x}{rng.getrandbits(40):010x}"
            if item is None:
                fields = validate_fields("vault", {"caption": f"Key {i}", "entry_type": "api_key",
                                                   "secret_value": f"secret-{i}"})
                fields["secret_value"] = store.vault.encrypt(memory_id, fields["secret_value"])
                pending.append((memory_id, "vault", fields, now_iso()))
            else:
                fields = validate_fields(item.type, item.fields)
                pending.append((memory_id, item.type, fields,
                                fields.get("occurred_at") or now_iso()))
            ids.append(memory_id)
            if len(pending) >= BATCH or i == len(items) - 1:
                _insert(store, pending, np_rng, frames)
                pending = []
        links = [(ids[i], ids[i + 1], "related", 0.5, now_iso()) for i in range(0, len(ids) - 1, 10)]
        store.writer.write(lambda db: db.conn.executemany(
            "INSERT INTO memory_links (src_id, dst_id, kind, score, created_at) "
            "VALUES (?, ?, ?, ?, ?)", links))
        return {"memories": len(ids), "frames": frames, "links": len(links)}


def _insert(store: MemoryStore, batch: list[tuple[str, str, dict[str, Any], str]],
            np_rng: np.random.Generator, frames: int) -> None:
    def apply(db: Any) -> None:
        for memory_id, memory_type, fields, event_at in batch:
            provenance = json.dumps({"frames": [1 + len(memory_id) % max(frames, 1)],
                                     "messages": []})
            cursor = db.conn.execute(
                "INSERT INTO memories (id, type, created_at, updated_at, source, provenance, "
                "event_at) VALUES (?, ?, ?, ?, 'screen', ?, ?)",
                [memory_id, memory_type, event_at, event_at, provenance, event_at])
            names = field_names(memory_type)
            db.conn.execute(
                f"INSERT INTO {type_table(memory_type)} (id, "
                + ", ".join(f'"{n}"' for n in names) + f") VALUES (?{', ?' * len(names)})",
                [memory_id, *(json.dumps(fields[n]) if isinstance(fields[n], list)
                              else fields[n] for n in names)])
            db.conn.execute("INSERT INTO memory_fts(rowid, text) VALUES (?, ?)",
                            [cursor.lastrowid, searchable_text(memory_type, fields)])
            db.conn.execute(
                "INSERT INTO memory_history (memory_id, op, before, after, reason, at) "
                "VALUES (?, 'insert', NULL, ?, 'created', ?)",
                [memory_id, json.dumps({"id": memory_id, "type": memory_type}), event_at])

    store.writer.write(apply)
    vectors = np_rng.standard_normal((len(batch), store.embedder.dimension)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    metas = [{"type": t, "event_ts": 0.0} for _i, t, _f, _e in batch]
    ids = [b[0] for b in batch]
    store.writer.write(lambda db: store.vectors.upsert(ids, vectors, metas), transaction=False)


def run_phase(phase: str, source: Path, target: Path, archive: Path) -> dict[str, Any]:
    """One phase in this process (called in the child)."""
    from memory.archive.export import export_archive
    from memory.archive.importer import import_archive

    started = time.perf_counter()
    if phase == "open":
        with MemoryStore(source, embedder=Embedder()) as store:
            store.counts()
        return {"seconds": round(time.perf_counter() - started, 3)}
    if phase == "export":
        with MemoryStore(source, embedder=Embedder()) as store:
            store.vault.unlock(PASSPHRASE)
            report = export_archive(store, archive, passphrase=PASSPHRASE)
        return {"seconds": round(time.perf_counter() - started, 3), "bytes": report.bytes,
                "memories": sum(report.memories.values()), "frame_images": report.frame_images}
    with MemoryStore(target, embedder=Embedder()) as store:
        store.vault.unlock(PASSPHRASE)
        result = import_archive(store, archive, passphrase=PASSPHRASE)
    return {"seconds": round(time.perf_counter() - started, 3),
            "memories": sum(result.added.values()), "frames": result.frames_added,
            "vectors_reused": result.vectors_reused, "vectors_embedded": result.vectors_embedded}


def _child(phase: str, source: Path, target: Path, archive: Path) -> dict[str, Any]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.archive", "--phase", phase, "--source", str(source),
         "--target", str(target), "--archive", str(archive)],
        stdout=subprocess.PIPE,
    )
    assert proc.stdout is not None
    output = proc.stdout.read()
    if proc.wait() != 0:
        raise SystemExit(f"phase {phase} failed with exit code {proc.returncode}")
    result: dict[str, Any] = json.loads(output)
    return result


def peak_rss_mb() -> float:
    """This process's resident-memory high-water mark (``VmHWM``). Unlike ``ru_maxrss`` it
    starts afresh at exec, so a child does not inherit its parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run(memories: int, frames: int, workdir: Path) -> dict[str, Any]:
    source, target, archive = workdir / "source", workdir / "target", workdir / "bench.engram"
    started = time.perf_counter()
    seeded = seed(source, memories, frames)
    seed_seconds = round(time.perf_counter() - started, 3)
    baseline = _child("open", source, target, archive)
    export = _child("export", source, target, archive)
    imported = _child("import", source, target, archive)
    for result in (export, imported):
        result["memories_per_second"] = round(result["memories"] / max(result["seconds"], 1e-9))
    return {"memories": seeded["memories"], "frames": seeded["frames"], "encrypted": True,
            "archive_bytes": export["bytes"], "seed_seconds": seed_seconds,
            "baseline_open": baseline, "export": export, "import": imported}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.archive", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--memories", type=int, default=50_000)
    parser.add_argument("--frames", type=int, default=2_000)
    parser.add_argument("--workdir", type=Path, help="keep the stores here (default: a temp dir)")
    parser.add_argument("--json", action="store_true", help="print one JSON object (always)")
    parser.add_argument("--phase", choices=("open", "export", "import"), help=argparse.SUPPRESS)
    parser.add_argument("--source", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--target", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--archive", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        result = run_phase(args.phase, args.source, args.target, args.archive)
        result["peak_rss_mb"] = peak_rss_mb()
        print(json.dumps(result))
        return 0
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        result = run(args.memories, args.frames, args.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="engram-bench-archive-") as tmp:
            result = run(args.memories, args.frames, Path(tmp))
    print(json.dumps(result, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
