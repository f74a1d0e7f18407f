"""Hostile and damaged archives are refused with a clear message, before the store is touched.

Each case starts from a real exported archive and changes it the way an attacker or a bad
disk would; the target store must stay byte-for-byte the same (every file except SQLite's
``-shm`` index, which readers update) and hold the same rows.
"""

from __future__ import annotations

import contextlib
import io
import json
import stat
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from memory.archive.format import (
    check_frame,
    check_history,
    check_link,
    check_memory,
    check_vector,
    iter_jsonl,
    parse_manifest,
)
from memory.archive.importer import import_archive
from memory.archive.reader import ArchiveReader
from memory.errors import BadArchive
from memory.store import MemoryStore
from tests.memory.archive_seed import PASSPHRASE, dump, rebuild, refused


def test_a_valid_archive_imports(archives, target: MemoryStore) -> None:
    """The control: the unmodified archives are accepted (so the refusals below mean it)."""
    report = import_archive(target, archives["plain"])
    assert sum(report.added.values()) == 2
    assert import_archive(target, rebuild(archives["plain"], target.data_dir.parent / "c.zip"))


def test_path_traversal(archives, target, tmp_path: Path) -> None:
    evil = zipfile.ZipInfo("../../evil.jsonl")
    refused(target, rebuild(archives["plain"], tmp_path / "t.engram", extra=[(evil, b"{}\n")]),
            r"outside the archive \(\.\./\)")


def test_absolute_path(archives, target, tmp_path: Path) -> None:
    evil = zipfile.ZipInfo("/etc/cron.d/evil")
    refused(target, rebuild(archives["plain"], tmp_path / "a.engram", extra=[(evil, b"x")]),
            "absolute path")


def test_symlink_member(archives, target, tmp_path: Path) -> None:
    link = zipfile.ZipInfo("frames/99.webp")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    refused(target, rebuild(archives["plain"], tmp_path / "s.engram",
                            extra=[(link, b"/etc/passwd")]), "symbolic link")


def test_zip_bomb(archives, target, tmp_path: Path) -> None:
    bomb = b" " * (80 << 20)  # 80 MB of spaces deflate to ~80 KB
    path = rebuild(archives["plain"], tmp_path / "b.engram",
                   replace={"memories/core.jsonl": bomb})
    refused(target, path, "zip bomb")
    image_bomb = zipfile.ZipInfo("frames/5.webp")
    image_bomb.compress_type = zipfile.ZIP_DEFLATED
    path = rebuild(archives["plain"], tmp_path / "i.engram",
                   extra=[(image_bomb, b"\0" * (4 << 20))])
    refused(target, path, "zip bomb")


def test_truncated_plain_and_encrypted(archives, target, tmp_path: Path) -> None:
    for kind, passphrase, match in (("plain", None, "damaged or truncated"),
                                    ("sealed", PASSPHRASE, "truncated|cut short")):
        data = archives[kind].read_bytes()
        for cut in (len(data) // 2, len(data) - 7):
            path = tmp_path / f"cut-{kind}-{cut}.engram"
            path.write_bytes(data[:cut])
            refused(target, path, match, passphrase)


def test_flipped_byte_in_a_member(archives, target, tmp_path: Path) -> None:
    with zipfile.ZipFile(archives["plain"]) as zf:
        info = zf.getinfo("memories/semantic.jsonl")
    data = bytearray(archives["plain"].read_bytes())
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    offset = info.header_offset + 30 + name_len + extra_len + 5  # inside the member's data
    data[offset] ^= 0x01
    path = tmp_path / "flip.engram"
    path.write_bytes(bytes(data))
    refused(target, path, "damaged|checksum|CRC")


def test_flipped_byte_in_encrypted_archive(archives, target, tmp_path: Path) -> None:
    data = bytearray(archives["sealed"].read_bytes())
    data[len(data) // 2] ^= 0x80
    path = tmp_path / "flip-sealed.engram"
    path.write_bytes(bytes(data))
    refused(target, path, "damaged|cut short", PASSPHRASE)


def test_checksum_mismatch_with_valid_zip(archives, target, tmp_path: Path) -> None:
    """A member swapped for another valid one (the zip's CRC is right, the manifest not)."""
    with zipfile.ZipFile(archives["plain"]) as zf:
        original = zf.read("memories/semantic.jsonl")
    swapped = original.replace(b"Portugal", b"Portugul")
    path = rebuild(archives["plain"], tmp_path / "swap.engram",
                   replace={"memories/semantic.jsonl": swapped}, fix_checksums=False)
    refused(target, path, "checksum|declared size")


def test_wrong_passphrase(archives, target) -> None:
    refused(target, archives["sealed"], "Wrong passphrase", "not the passphrase")


def test_missing_passphrase(archives, target) -> None:
    refused(target, archives["sealed"], "is encrypted", None)


def test_unknown_future_format(archives, target, tmp_path: Path) -> None:
    path = rebuild(archives["plain"], tmp_path / "future.engram",
                   manifest_edit=lambda m: m.update(format_version=99))
    refused(target, path, "newer Engram")


@pytest.mark.parametrize("bad_line", [
    b"{not json",
    b"[1, 2, 3]",
    b'{"id": "x", "type": "semantic"}',
    b'{"id": "../x", "type": "semantic", "source": "manual", "fields": {}}',
    "\udcff".encode("utf-8", "surrogatepass"),
    b'{"id": "y", "type": "semantic", "source": "manual", "created_at": '
    b'"9999-12-31T23:59:59-05:00", "fields": {"name": "n", "summary": "s"}}',
    b'{"id": "z", "type": "semantic", "source": "manual", "access_count": ' + b"9" * 30
    + b', "fields": {"name": "n", "summary": "s"}}',
    b'{"id": "s", "type": "semantic", "source": "manual", "tree_path": "\\udcff"}',
])
def test_malformed_jsonl_lines(archives, target, tmp_path: Path, bad_line: bytes) -> None:
    with zipfile.ZipFile(archives["plain"]) as zf:
        good = zf.read("memories/semantic.jsonl")
    path = rebuild(archives["plain"], tmp_path / "bad.engram",
                   replace={"memories/semantic.jsonl": good + bad_line + b"\n"},
                   manifest_edit=lambda m: m["counts"]["memories"].update(semantic=2))
    refused(target, path, r"Line 2 of memories/semantic\.jsonl")


def test_a_100_mb_single_line(archives, target, tmp_path: Path) -> None:
    line = b'{"id": "' + b"a" * (100 << 20) + b'"}'
    path = rebuild(archives["plain"], tmp_path / "long.engram",
                   replace={"memories/resource.jsonl": line}, compress=zipfile.ZIP_STORED)
    refused(target, path, "longer than 16 MiB")


def test_secrets_in_a_plain_archive(archives, target, tmp_path: Path) -> None:
    secret_line = json.dumps({
        "id": "v1", "type": "vault", "created_at": "2024-01-01T00:00:00+00:00",
        "updated_at": "2024-01-01T00:00:00+00:00", "event_at": "2024-01-01T00:00:00+00:00",
        "source": "manual", "fields": {"caption": "c", "secret_value": "leaked"},
    }).encode() + b"\n"
    path = rebuild(archives["plain"], tmp_path / "leak.engram",
                   replace={"memories/vault.jsonl": secret_line},
                   manifest_edit=lambda m: m["counts"]["memories"].update(vault=1))
    refused(target, path, "not encrypted")


def test_unlisted_and_unknown_members(archives, target, tmp_path: Path) -> None:
    refused(target, rebuild(archives["plain"], tmp_path / "u.engram",
                            extra=[(zipfile.ZipInfo("notes.txt"), b"hi")]), "unexpected member")
    refused(target, rebuild(archives["plain"], tmp_path / "l.engram",
                            extra=[(zipfile.ZipInfo("frames/77.webp"), b"img")]),
            "does not match its manifest")


def test_not_an_archive(target, tmp_path: Path) -> None:
    path = tmp_path / "photo.engram"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    refused(target, path, "not an Engram archive")


# -- fuzzing -------------------------------------------------------------------------------

TRICKY_TEXT = st.sampled_from(["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00",
                               "2024-05-01", "../x", "frames/1.webp", "vault", "\x00"])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
    | TRICKY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                 max_size=4),
    max_leaves=12,
)
MANIFEST_KEYS = ("format", "format_version", "app_version", "created_at", "embedding_model",
                 "counts", "members", "includes_frames", "includes_secrets", "store_id")


VALID_MANIFEST = {
    "format": "engram-archive", "format_version": 1, "app_version": "0.1.0",
    "created_at": "2024-05-01T10:00:00+00:00",
    "embedding_model": {"id": "m", "dimension": 384}, "counts": {"history": 0},
    "members": {"history.jsonl": {"sha256": "0" * 64, "bytes": 0}},
    "includes_frames": True, "includes_secrets": False, "store_id": "abc",
}
VALID_MEMORY = {
    "id": "1a2b", "type": "semantic", "created_at": "2024-05-01T10:00:00+00:00",
    "updated_at": "2024-05-01T10:00:00+00:00", "event_at": "2024-05-01T10:00:00+00:00",
    "source": "manual", "provenance": {"frames": [1], "messages": []}, "confidence": 1.0,
    "strength": 1.0, "access_count": 0, "pinned": False, "version": 1, "deleted": False,
    "fields": {"name": "n", "summary": "s"},
}


def mutated(valid: dict) -> st.SearchStrategy[dict]:
    """A valid record with one key replaced by an arbitrary JSON value (or removed)."""
    return st.tuples(st.sampled_from(sorted(valid)), json_values, st.booleans()).map(
        lambda t: {k: v for k, v in {**valid, t[0]: t[1]}.items() if t[2] or k != t[0]}
    )


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.binary(max_size=300),
    st.dictionaries(st.sampled_from(MANIFEST_KEYS), json_values).map(
        lambda d: json.dumps({"format": "engram-archive", **d}).encode()),
    mutated(VALID_MANIFEST).map(lambda d: json.dumps(d).encode()),
))
def test_fuzz_manifest_parser(raw: bytes) -> None:
    with contextlib.suppress(BadArchive):
        parse_manifest(raw)


RECORD_KEYS = ("id", "type", "created_at", "updated_at", "event_at", "source", "fields",
               "provenance", "memory_id", "op", "before", "after", "at", "src_id", "dst_id",
               "kind", "score", "captured_at", "image", "vector", "version", "pinned")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    st.binary(max_size=80),
    st.dictionaries(st.sampled_from(RECORD_KEYS), json_values).map(
        lambda d: json.dumps(d).encode()),
    mutated(VALID_MEMORY).map(lambda d: json.dumps(d).encode()),
), max_size=5))
def test_fuzz_jsonl_reader_and_record_checks(lines: list[bytes]) -> None:
    stream = io.BytesIO(b"\n".join(line.replace(b"\n", b" ") for line in lines))
    checks = (lambda r, w: check_memory(r, "semantic", w), check_history, check_link,
              check_frame, lambda r, w: check_vector(r, 384, w))
    try:
        for number, record in iter_jsonl(stream, "fuzz.jsonl"):
            for check in checks:
                with contextlib.suppress(BadArchive):
                    check(record, f"line {number}")
    except BadArchive:
        pass


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzz_damaged_archive_bytes(archives, tmp_path: Path, data: st.DataObject) -> None:
    """Random damage to a real archive: it opens and verifies, or fails with BadArchive."""
    kind = data.draw(st.sampled_from(["plain", "sealed"]))
    raw = bytearray(archives[kind].read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(raw) - 1))
        raw[position] = data.draw(st.integers(0, 255))
    path = tmp_path / "fuzzed.engram"
    path.write_bytes(bytes(raw))
    try:
        with ArchiveReader(path, PASSPHRASE if kind == "sealed" else None) as reader:
            reader.verify()
    except BadArchive:
        pass


FRAME_LINE = {"id": 3, "captured_at": "2024-05-01T10:00:00+00:00", "monitor": 0,
              "app": "x", "image": None, "status": "extracted", "ocr_lines": None}
LINK_LINE = {"src_id": "a", "dst_id": "b", "kind": "related", "score": 1.0,
             "created_at": "2024-05-01T10:00:00+00:00"}
HISTORY_LINE = {"memory_id": "1a2b", "op": "insert", "before": None, "after": {"id": "1a2b"},
                "reason": "r", "at": "2024-05-01T10:00:00+00:00"}


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(memory=mutated(VALID_MEMORY), frame=mutated(FRAME_LINE), link=mutated(LINK_LINE),
       history=mutated(HISTORY_LINE))
def test_fuzz_import_of_mutated_records(archives, target, tmp_path_factory, memory, frame,
                                        link, history) -> None:
    """Near-valid records all the way through import: they merge, or are refused with
    BadArchive and change nothing; never another exception."""
    lines = {
        "memories/semantic.jsonl": memory, "frames.jsonl": frame, "links.jsonl": link,
        "history.jsonl": history,
    }
    replace = {name: json.dumps(record).encode() + b"\n" for name, record in lines.items()}

    def counts(manifest: dict) -> None:
        manifest["counts"] = {}

    path = rebuild(archives["plain"], tmp_path_factory.mktemp("fz") / "f.engram",
                   replace=replace, manifest_edit=counts)
    before = dump(target)
    try:
        import_archive(target, path)
    except BadArchive:
        assert dump(target) == before
