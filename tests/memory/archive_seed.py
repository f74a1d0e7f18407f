"""A populated store for the archive tests, and a full dump of a store to compare two.

Frames are inserted with SQL through the store's writer (as the capture pipeline does) with
small real WebP files next to them, so these tests do not depend on the capture package.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from memory.archive.importer import import_archive
from memory.errors import BadArchive
from memory.retrieval import HybridRetriever, SearchFilters
from memory.store import MemoryStore
from tests.memory.store_cases import CASES

PASSPHRASE = "correct horse battery staple"
#: scrypt cost for test archives (2^10: fast; real exports use 2^15)
FAST_KDF = 10
QUERIES = ("Tokyo flight gate", "marketing budget", "VPN tunnel", "quarterly spreadsheet",
           "dark mode", "staging database password")


@dataclass
class Seeded:
    ids: dict[str, str] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)
    ocr_marker: str = ""
    frame_ids: list[int] = field(default_factory=list)


def webp_bytes(shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 12), (shade, 255 - shade, 90)).save(out, format="WEBP", quality=60)
    return out.getvalue()


def add_frames(store: MemoryStore, count: int, *, marker: str, with_images: bool = True,
               start: int = 0) -> list[int]:
    """Insert frames like the capture pipeline: a WebP file under frames/ and a row."""
    frame_ids: list[int] = []
    for n in range(start, start + count):
        relative = f"frames/2024/05/01/{n:04d}.webp" if with_images and n % 3 != 2 else None
        data = webp_bytes(n * 7 % 255)
        if relative is not None:
            path = store.data_dir / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

        def insert(db: Any, n: int = n, relative: str | None = relative,
                   size: int = len(data)) -> int:
            cursor = db.execute(
                "INSERT INTO frames (captured_at, monitor, app, window_title, url, width, "
                "height, phash, image_path, image_bytes, status, attempts, ocr_text, ocr_lines, "
                "updated_at) VALUES (?, 0, 'firefox', ?, 'https://example.com', 16, 12, ?, ?, ?, "
                "'extracted', 1, ?, ?, ?)",
                [f"2024-05-01T10:{n // 60:02d}:{n % 60:02d}.000000+00:00", f"Window {n}",
                 f"{n:016x}", relative, size if relative else 0,
                 f"screen text {n} {marker}",
                 json.dumps([{"text": f"line {n}", "box": [0, 0, 10, 10], "score": 0.9}]),
                 "2024-05-01T11:00:00.000000+00:00"],
            )
            return int(cursor.lastrowid)

        frame_ids.append(store.writer.write(insert))
    return frame_ids


def populate(store: MemoryStore, tag: str = "a1") -> Seeded:
    """All six types (each updated once, so each has history), links, a forgotten memory,
    frames with images and OCR text, and vault entries holding unique secrets."""
    seeded = Seeded(ocr_marker=f"OCRMARK{tag}zq")
    if not store.vault.is_unlocked:
        store.vault.unlock(PASSPHRASE)
    seeded.frame_ids = add_frames(store, 5, marker=seeded.ocr_marker)
    for memory_type, (create, change, _marker) in CASES.items():
        memory = store.add(memory_type, create, source="screen",
                           provenance={"frames": seeded.frame_ids[:2], "messages": ["m1"]},
                           tree_path=f"/work/{memory_type}")
        store.update(memory.id, change, reason="seeded change")
        seeded.ids[memory_type] = memory.id
    for n in range(3):
        secret = f"SECRET-{tag}-{n}-{os.urandom(4).hex()}"
        seeded.secrets.append(secret)
        entry = store.add("vault", {"caption": f"Key {n}", "entry_type": "api_key",
                                    "secret_value": secret})
        seeded.ids[f"vault{n}"] = entry.id
    rotated = f"SECRET-{tag}-rotated-{os.urandom(4).hex()}"
    store.update(seeded.ids["vault0"], {"secret_value": rotated}, reason="rotated")
    seeded.secrets.append(rotated)
    # the CASES vault secrets are shared literals; they are not "unique" seeds
    store.link(seeded.ids["core"], seeded.ids["semantic"], "related", 0.7)
    store.link(seeded.ids["episodic"], seeded.ids["resource"], "same_entity", 0.9)
    gone = store.add("semantic", {"name": "Old fact", "summary": "obsolete budget note"})
    store.forget(gone.id)
    seeded.ids["forgotten"] = gone.id
    return seeded


def _open_secret(store: MemoryStore, memory_id: str, value: Any) -> Any:
    if isinstance(value, str) and value.startswith("enc:"):
        return "secret:" + store.vault.decrypt(memory_id, base64.b64decode(value[4:]))
    return value


def _plain_snapshot(store: MemoryStore, memory_id: str, snapshot: Any) -> Any:
    if isinstance(snapshot, dict) and isinstance(snapshot.get("fields"), dict):
        fields = dict(snapshot["fields"])
        if "secret_value" in fields:
            fields["secret_value"] = _open_secret(store, memory_id, fields["secret_value"])
        return dict(snapshot, fields=fields)
    return snapshot


def dump(store: MemoryStore) -> dict[str, Any]:
    """Everything a user could notice, secrets opened, independent of row order numbers."""
    memories = {}
    ids = [r[0] for r in store.reader.execute("SELECT id FROM memories ORDER BY id")]
    for memory in store.get_many(ids, include_deleted=True):
        data = memory.to_dict()
        if memory.type == "vault":
            blob = store.reader.execute(
                "SELECT secret_value FROM vault_memory WHERE id = ?", [memory.id]
            ).fetchone()[0]
            data["fields"]["secret_value"] = (
                store.vault.decrypt(memory.id, bytes(blob)) if blob else ""
            )
        memories[memory.id] = data
    history = {
        memory_id: [
            (h.op, _plain_snapshot(store, memory_id, h.before),
             _plain_snapshot(store, memory_id, h.after), h.reason, h.at)
            for h in store.history(memory_id)
        ]
        for memory_id in ids
    }
    links = sorted(
        tuple(r) for r in store.reader.execute(
            "SELECT src_id, dst_id, kind, score, created_at FROM memory_links"
        )
    )
    frames = []
    for row in store.reader.execute(
        "SELECT id, captured_at, monitor, app, window_title, url, width, height, phash, "
        "image_path, image_bytes, status, ocr_text, ocr_lines FROM frames ORDER BY id"
    ):
        image = store.data_dir / row[9] if row[9] else None
        digest = hashlib.sha256(image.read_bytes()).hexdigest() if image else None
        frames.append((*row, digest))
    retriever = HybridRetriever(store)
    searches = {q: [r.memory.id for r in retriever.search(q, SearchFilters(), limit=8)]
                for q in QUERIES}
    return {"memories": memories, "history": history, "links": links, "frames": frames,
            "searches": searches, "counts": store.counts()}


def fingerprint(data_dir: Path) -> dict[str, str]:
    """sha256 of every file of a data folder (SQLite's -shm index excepted: readers touch it)."""
    out: dict[str, str] = {}
    for path in sorted(data_dir.rglob("*")):
        if path.is_file() and not path.name.endswith("-shm"):
            out[str(path.relative_to(data_dir))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def rebuild(src: Path, dst: Path, *, replace: dict[str, bytes] | None = None,
            extra: list[tuple[zipfile.ZipInfo, bytes]] = (),  # type: ignore[assignment]
            manifest_edit: Callable[[dict], None] | None = None,
            fix_checksums: bool = True, compress: int = zipfile.ZIP_DEFLATED) -> Path:
    """Copy a plain archive, replacing members and (optionally) keeping the manifest true."""
    replace = replace or {}
    with zipfile.ZipFile(src) as zin:
        manifest = json.loads(zin.read("manifest.json"))
        members = {n: zin.read(n) for n in zin.namelist() if n != "manifest.json"}
    members.update(replace)
    if fix_checksums:
        for name, data in members.items():
            manifest["members"][name] = {"sha256": hashlib.sha256(data).hexdigest(),
                                         "bytes": len(data)}
    if manifest_edit:
        manifest_edit(manifest)
    with zipfile.ZipFile(dst, "w", compression=compress) as zout:
        for name, data in members.items():
            zout.writestr(name, data)
        for info, data in extra:
            zout.writestr(info, data)
        zout.writestr("manifest.json", json.dumps(manifest))
    return dst


def refused(store: MemoryStore, archive: Path, match: str, passphrase: str | None = None) -> None:
    before_files = fingerprint(store.data_dir)
    before_rows = dump(store)
    with pytest.raises(BadArchive, match=match):
        import_archive(store, archive, passphrase=passphrase)
    assert fingerprint(store.data_dir) == before_files
    assert dump(store) == before_rows
    assert not list(store.data_dir.glob(".import-*"))


def bomb_png(width: int, height: int) -> bytes:
    """A small PNG whose header declares ``width`` x ``height`` pixels (a decompression bomb:
    only a few rows of pixel data follow, but a decoder would allocate for all of them)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * (width + 1) * 4)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows)
            + chunk(b"IEND", b""))
