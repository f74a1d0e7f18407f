"""The archive as another tool sees it (the documented format), streaming memory use, and the
human-readable Markdown and CSV exports."""

from __future__ import annotations

import csv
import io
import json
import os
import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from PIL import Image

from memory.archive.crypto import DecryptingReader, EncryptingWriter
from memory.archive.export import export_archive
from memory.archive.importer import import_archive
from memory.archive.reader import ArchiveReader
from memory.archive.text_export import export_csv, export_markdown
from memory.errors import BadArchive
from memory.store import MemoryStore
from tests.memory.archive_seed import PASSPHRASE, populate


def decrypt_as_documented(path: Path, passphrase: str) -> bytes:
    """An independent reader written from docs/ARCHIVE_FORMAT.md, not from Engram's code."""
    raw = path.read_bytes()
    header = raw[:40]
    magic, version, kdf, log2_n, r, p, salt, chunk, prefix = struct.unpack(
        ">8sBBBBB16sI7s", header)
    assert (magic, version, kdf) == (b"ENGRAMX1", 1, 1)
    key = Scrypt(salt=salt, length=32, n=1 << log2_n, r=r, p=p).derive(passphrase.encode())
    aead = AESGCM(key)
    aead.decrypt(prefix + b"\xff\xff\xff\xff\x02", raw[40:56], header)  # the check tag
    body, out, index = raw[56:], bytearray(), 0
    while body:
        sealed, body = body[: chunk + 16], body[chunk + 16 :]
        last = not body
        out += aead.decrypt(prefix + struct.pack(">IB", index, int(last)), sealed, header)
        index += 1
    return bytes(out)


def test_an_encrypted_archive_reads_as_documented(store: MemoryStore, tmp_path: Path) -> None:
    seeded = populate(store)
    archive = tmp_path / "x.engram"
    export_archive(store, archive, passphrase=PASSPHRASE, log2_n=12)
    plain = decrypt_as_documented(archive, PASSPHRASE)
    with zipfile.ZipFile(io.BytesIO(plain)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["includes_secrets"] is True
        for name, entry in manifest["members"].items():
            import hashlib

            assert hashlib.sha256(zf.read(name)).hexdigest() == entry["sha256"]
        vault = [json.loads(line) for line in zf.read("memories/vault.jsonl").splitlines()]
        assert seeded.secrets[1] in {v["fields"]["secret_value"] for v in vault}
        frames = [json.loads(line) for line in zf.read("frames.jsonl").splitlines()]
        assert frames[0]["image"] == f"frames/{frames[0]['id']}.webp"
        assert seeded.ocr_marker in frames[0]["ocr_text"]
        vectors = [json.loads(line) for line in zf.read("vectors.jsonl").splitlines()]
        assert len(vectors) == manifest["counts"]["vectors"] == sum(store.counts().values())


def test_encryption_streams_in_little_memory(tmp_path: Path) -> None:
    """48 MB through the encrypting writer and back through the seekable reader, with the
    Python heap never holding more than a few chunks."""
    path = tmp_path / "big.bin"
    block = os.urandom(1 << 20)
    tracemalloc.start()
    try:
        with open(path, "wb") as sink:
            writer = EncryptingWriter(sink, "pw", chunk_size=1 << 20, log2_n=10)
            for _ in range(48):
                writer.write(block)
            writer.finish()
        _, write_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        with DecryptingReader(open(path, "rb"), "pw") as reader:  # noqa: SIM115
            assert reader.size == 48 << 20
            reader.seek(47 << 20)
            assert reader.read(1 << 20) == block
            reader.seek(0)
            while chunk := reader.read(1 << 20):
                assert chunk == block
        _, read_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert write_peak < 8 << 20 and read_peak < 12 << 20


def test_import_of_large_members_streams(store: MemoryStore, tmp_path: Path, embedder) -> None:
    """Twelve 1 MB resources and twenty 1 MB images: verify + import keep a small heap."""
    for n in range(12):
        store.add("resource", {"title": f"doc {n}", "content": f"{n} " + "x" * 999_990})
    for n in range(20):  # noise does not compress: each PNG is about 1 MB
        path = store.data_dir / f"frames/big/{n}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.frombytes("RGB", (600, 580), os.urandom(600 * 580 * 3)).save(path, format="PNG")
        store.writer.write(lambda db, n=n: db.execute(
            "INSERT INTO frames (captured_at, image_path, image_bytes, status, ocr_text, "
            "updated_at) VALUES (?, ?, ?, 'extracted', '', ?)",
            [f"2024-01-01T00:00:{n:02d}+00:00", f"frames/big/{n}.png", 1 << 20,
             "2024-01-01T00:00:00+00:00"]))
    archive = tmp_path / "large.engram"
    export_archive(store, archive)
    assert archive.stat().st_size > 20 << 20  # images; the text members inflate to 12 MB
    with MemoryStore(tmp_path / "target", embedder=embedder) as target:
        tracemalloc.start()
        try:
            report = import_archive(target, archive)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert report.added["resource"] == 12 and report.images_added == 20
    assert peak < 10 << 20, f"import peaked at {peak / 1e6:.1f} MB of Python heap"


def test_truncated_at_a_chunk_boundary_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "c.bin"
    with open(path, "wb") as sink:
        writer = EncryptingWriter(sink, "pw", chunk_size=1024, log2_n=10)
        writer.write(os.urandom(4096))
        writer.finish()
    data = path.read_bytes()
    (tmp_path / "cut.bin").write_bytes(data[: 56 + 2 * (1024 + 16)])
    with pytest.raises(BadArchive, match="cut short"):
        DecryptingReader(open(tmp_path / "cut.bin", "rb"), "pw")  # noqa: SIM115
    with pytest.raises(BadArchive, match="Wrong passphrase"):
        DecryptingReader(open(path, "rb"), "other")  # noqa: SIM115


def test_markdown_and_csv_never_hold_secrets(store: MemoryStore, tmp_path: Path) -> None:
    seeded = populate(store)
    counts = export_markdown(store, tmp_path / "all.md")
    text = (tmp_path / "all.md").read_text()
    assert counts == store.counts()
    assert "## Procedures" in text and "Toggle the tunnel on" in text
    assert "Key 1" in text and "Old fact" not in text  # forgotten memories stay out
    export_csv(store, tmp_path / "csv")
    with open(tmp_path / "csv" / "vault.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["caption"] for r in rows} >= {"Key 0", "Key 1", "Key 2"}
    assert "vault.source" in rows[0] and "secret_value" not in rows[0]
    with open(tmp_path / "csv" / "procedural.csv", newline="") as handle:
        procedural = list(csv.DictReader(handle))
    assert json.loads(procedural[0]["steps"])[-1] == "Toggle the tunnel on"
    everything = text + "".join(p.read_text() for p in (tmp_path / "csv").iterdir())
    for secret in seeded.secrets:
        assert secret not in everything
    for path in [tmp_path / "all.md", *(tmp_path / "csv").iterdir()]:
        assert path.stat().st_mode & 0o077 == 0


def test_reader_reports_what_it_holds(store: MemoryStore, tmp_path: Path) -> None:
    populate(store)
    archive = tmp_path / "r.engram"
    export_archive(store, archive, passphrase=PASSPHRASE, log2_n=10)
    with ArchiveReader(archive, PASSPHRASE) as reader:
        report = reader.verify()
        assert reader.encrypted and reader.manifest.includes_secrets
        assert report.memories["vault"] == 4 and report.secrets >= 4
        assert report.frames == 5 and report.frame_images == 4
