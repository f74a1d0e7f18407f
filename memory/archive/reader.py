"""Open and verify an ``.engram`` archive without touching any store.

:class:`ArchiveReader` opens the file (decrypting in place when it is encrypted), refuses
hostile layouts (traversal, absolute paths, links, zip bombs, unknown members), parses the
manifest, and :meth:`ArchiveReader.verify` streams every member once: each sha256 and size
must match the manifest and every JSONL line must parse into a valid record. Only then may
an importer start; it reads the members again through :meth:`ArchiveReader.records`, which
checks the sha256 a second time, so a file changed between the two passes aborts the import.
"""

from __future__ import annotations

import hashlib
import io
import logging
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO

from memory.archive.crypto import MAGIC, DecryptingReader
from memory.archive.format import (
    FRAMES,
    HISTORY,
    LINKS,
    MANIFEST,
    MAX_MANIFEST_BYTES,
    MAX_MEMBERS,
    VECTORS,
    Manifest,
    check_frame,
    check_history,
    check_layout,
    check_link,
    check_memory,
    check_no_overlap,
    check_vector,
    image_size,
    iter_jsonl,
    memory_member,
    parse_manifest,
)
from memory.errors import BadArchive, KnownError
from memory.schema import MEMORY_TYPES

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

log = logging.getLogger(__name__)

READ_BLOCK = 1 << 20
#: A zip local file header: signature, versions, flags, method, time, date, crc, sizes,
#: then the name and extra field lengths.
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
               NotImplementedError, RuntimeError, struct.error, OverflowError)


class PassphraseNeeded(BadArchive):
    """The archive is encrypted and no passphrase was given."""


@dataclass
class VerifyReport:
    """What a full verification pass found (all of it already checked)."""

    memories: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEMORY_TYPES, 0))
    history: int = 0
    links: int = 0
    frames: int = 0
    frame_images: int = 0
    vectors: int = 0
    secrets: int = 0


class _HashingStream(io.RawIOBase):
    """Reads a zip member, hashing as it goes; at the end the sha256 and size must match."""

    def __init__(self, inner: IO[bytes], name: str, sha256: str, size: int) -> None:
        super().__init__()
        self._inner = inner
        self._name = name
        self._expected = (sha256, size)
        self._hash = hashlib.sha256()
        self._seen = 0
        self._checked = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        try:
            data = self._inner.read(len(view))
        except BadArchive:
            raise
        except _ZIP_ERRORS as exc:
            raise BadArchive(f"The archive member {self._name} is damaged ({exc}).") from None
        if data:
            view[: len(data)] = data
            self._hash.update(data)
            self._seen += len(data)
            if self._seen > self._expected[1]:
                raise BadArchive(f"The archive member {self._name} is longer than declared.")
        elif not self._checked:
            self._checked = True
            if (self._hash.hexdigest(), self._seen) != self._expected:
                raise BadArchive(
                    f"The archive member {self._name} does not match its checksum: the file "
                    "is damaged or was changed."
                )
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._inner.close()
        super().close()


class ArchiveReader:
    """An opened, layout-checked archive. Use as a context manager."""

    def __init__(self, path: str | Path, passphrase: str | None = None) -> None:
        self.path = Path(path)
        try:
            handle: BinaryIO = open(self.path, "rb")  # noqa: SIM115 - closed in close()
        except OSError as exc:
            raise BadArchive(f"Cannot open the archive {self.path}: {exc.strerror}.") from None
        self._file: BinaryIO = handle
        try:
            self._open(passphrase)
        except BaseException:
            self.close()
            raise

    def _open(self, passphrase: str | None) -> None:
        head = self._file.read(len(MAGIC))
        self._file.seek(0)
        self.encrypted = head == MAGIC
        source: BinaryIO = self._file
        if passphrase and not self.encrypted:
            raise BadArchive(
                f"A passphrase was given but the archive {self.path.name} is not encrypted: "
                "its encryption may have been stripped on the way. Import it without a "
                "passphrase only if you trust where it came from."
            )
        if self.encrypted:
            if not passphrase:
                raise PassphraseNeeded(
                    f"The archive {self.path.name} is encrypted: give its passphrase "
                    "(--passphrase-file F)."
                )
            source = DecryptingReader(self._file, passphrase)  # type: ignore[assignment]
        elif not head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            raise BadArchive(f"{self.path.name} is not an Engram archive (not a zip file).")
        try:
            self.zip = zipfile.ZipFile(source)
        except BadArchive:
            raise
        except _ZIP_ERRORS as exc:
            raise BadArchive(
                f"The archive {self.path.name} is damaged or truncated ({exc})."
            ) from None
        infos = self.zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise BadArchive("The archive holds too many members; refused.")
        names = [info.filename for info in infos]
        if len(set(names)) != len(names):
            raise BadArchive("The archive holds the same member twice; refused.")
        archive_bytes = source.seek(0, io.SEEK_END)
        check_layout(infos, archive_bytes)
        check_no_overlap(
            [self._span(source, info) for info in infos], self.zip.start_dir
        )
        self.infos = {info.filename: info for info in infos}
        #: (width, height) of every image member, read from its header by :meth:`verify`.
        self.image_sizes: dict[str, tuple[int, int]] = {}
        if MANIFEST not in self.infos:
            raise BadArchive(f"{self.path.name} has no manifest.json: not an Engram archive.")
        if self.infos[MANIFEST].file_size > MAX_MANIFEST_BYTES:
            raise BadArchive("The archive's manifest is larger than 64 MiB; refused.")
        self.manifest: Manifest = parse_manifest(self._read_small(MANIFEST))
        listed = set(self.manifest.members)
        present = set(self.infos) - {MANIFEST}
        if listed != present:
            missing, extra = sorted(listed - present), sorted(present - listed)
            raise BadArchive(
                "The archive does not match its manifest"
                + (f"; missing: {', '.join(missing[:5])}" if missing else "")
                + (f"; not listed: {', '.join(extra[:5])}" if extra else "")
                + "."
            )
        for name in present:
            if self.infos[name].file_size != self.manifest.members[name]["bytes"]:
                raise BadArchive(f"The archive member {name} does not have its declared size.")

    @staticmethod
    def _span(source: BinaryIO, info: zipfile.ZipInfo) -> tuple[str, int, int]:
        """The bytes one member occupies: its local header, name, extra field and data."""
        try:
            source.seek(info.header_offset)
            header = source.read(_LOCAL_HEADER.size)
        except _ZIP_ERRORS as exc:
            raise BadArchive(f"The archive member {info.filename!r} is damaged ({exc}).") from None
        if len(header) != _LOCAL_HEADER.size or not header.startswith(b"PK\x03\x04"):
            raise BadArchive(
                f"The archive member {info.filename!r} has no valid local header; the file is "
                "damaged."
            )
        name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
        start = info.header_offset
        end = start + _LOCAL_HEADER.size + name_length + extra_length + info.compress_size
        return info.filename, start, end

    def _read_small(self, name: str) -> bytes:
        try:
            with self.zip.open(name) as stream:
                return stream.read(MAX_MANIFEST_BYTES + 1)
        except BadArchive:
            raise
        except _ZIP_ERRORS as exc:
            raise BadArchive(f"The archive member {name} is damaged ({exc}).") from None

    def __enter__(self) -> ArchiveReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        zf = getattr(self, "zip", None)
        if zf is not None:
            zf.close()
        self._file.close()

    # -- members -------------------------------------------------------------------------

    def has(self, name: str) -> bool:
        return name in self.infos

    def open_member(self, name: str) -> IO[bytes]:
        """A buffered stream over one member whose checksum is verified at its end."""
        entry = self.manifest.members[name]
        try:
            inner = self.zip.open(name)
        except BadArchive:
            raise
        except _ZIP_ERRORS as exc:
            raise BadArchive(f"The archive member {name} is damaged ({exc}).") from None
        return io.BufferedReader(
            _HashingStream(inner, name, entry["sha256"], entry["bytes"]), READ_BLOCK
        )

    def copy_member(self, name: str, target: BinaryIO) -> int:
        """Stream one (image) member into ``target``; the checksum is verified at the end."""
        total = 0
        with self.open_member(name) as stream:
            while block := stream.read(READ_BLOCK):
                target.write(block)
                total += len(block)
        return total

    def records(
        self, name: str, check: Callable[[dict[str, Any], str], Any]
    ) -> Iterator[Any]:
        """Checked records of a JSONL member (none when it is absent)."""
        if name not in self.infos:
            return
        with self.open_member(name) as stream:
            try:
                for number, record in iter_jsonl(stream, name):
                    yield check(record, f"Line {number} of {name}")
            except KnownError:
                raise
            except _ZIP_ERRORS as exc:
                raise BadArchive(f"The archive member {name} is damaged ({exc}).") from None

    def memories(self, memory_type: str) -> Iterator[dict[str, Any]]:
        return self.records(
            memory_member(memory_type), lambda r, w: check_memory(r, memory_type, w)
        )

    def history(self) -> Iterator[dict[str, Any]]:
        return self.records(HISTORY, check_history)

    def links(self) -> Iterator[dict[str, Any]]:
        return self.records(LINKS, check_link)

    def frames(self) -> Iterator[dict[str, Any]]:
        return self.records(FRAMES, check_frame)

    def vectors(self) -> Iterator[tuple[str, bytes]]:
        dimension = self.manifest.embedding_dimension
        return self.records(VECTORS, lambda r, w: check_vector(r, dimension, w))

    # -- the full pass -------------------------------------------------------------------

    def verify(self) -> VerifyReport:
        """Read every member once: checksums, sizes, every record, counts, secrets."""
        report = VerifyReport()
        seen: set[str] = set()
        for memory_type in MEMORY_TYPES:
            for record in self.memories(memory_type):
                if record["id"] in seen:
                    raise BadArchive(f"The archive holds memory {record['id']} twice; refused.")
                seen.add(record["id"])
                report.memories[memory_type] += 1
                if memory_type == "vault" and record["fields"].get("secret_value"):
                    report.secrets += 1
        for entry in self.history():
            report.history += 1
            if snapshot_has_secret(entry["before"]) or snapshot_has_secret(entry["after"]):
                report.secrets += 1
        report.links = sum(1 for _ in self.links())
        images = {name for name in self.infos if name.startswith("frames/")}
        referenced: set[str] = set()
        frame_ids: set[int] = set()
        for frame in self.frames():
            if frame["id"] in frame_ids:
                raise BadArchive(f"The archive holds frame {frame['id']} twice; refused.")
            frame_ids.add(frame["id"])
            report.frames += 1
            if frame["image"] is not None:
                if frame["image"] not in images:
                    raise BadArchive(
                        f"Frame {frame['id']} names the image {frame['image']}, which the "
                        "archive does not hold."
                    )
                if frame["image"] in referenced:
                    raise BadArchive(
                        f"Frame {frame['id']} names the image {frame['image']}, which another "
                        "frame already names (one image per frame); refused."
                    )
                referenced.add(frame["image"])
        for name in sorted(images):
            blocks: list[bytes] = []
            with self.open_member(name) as stream:  # declared size <= MAX_IMAGE_BYTES
                while block := stream.read(READ_BLOCK):
                    blocks.append(block)
            self.image_sizes[name] = image_size(b"".join(blocks), name)
        report.frame_images = len(images)
        report.vectors = sum(1 for _ in self.vectors())
        self._check_counts(report)
        if report.secrets and not self.encrypted:
            raise BadArchive(
                "This archive holds vault secrets but is not encrypted; Engram refuses it. "
                "Export it again with a passphrase."
            )
        log.info(
            "archive verified: %d memories, %d history rows, %d links, %d frames",
            sum(report.memories.values()), report.history, report.links, report.frames,
        )
        return report

    def _check_counts(self, report: VerifyReport) -> None:
        counts = self.manifest.counts
        declared_memories = counts.get("memories", {})
        found: dict[str, Any] = {
            "history": report.history, "links": report.links, "frames": report.frames,
            "frame_images": report.frame_images, "vectors": report.vectors,
        }
        for memory_type, n in report.memories.items():
            if declared_memories.get(memory_type, n) != n:
                raise BadArchive(
                    f"The manifest counts {declared_memories.get(memory_type)} {memory_type} "
                    f"memories but the archive holds {n}."
                )
        for key, n in found.items():
            if counts.get(key, n) != n:
                raise BadArchive(
                    f"The manifest counts {counts.get(key)} {key} but the archive holds {n}."
                )


def snapshot_has_secret(snapshot: dict[str, Any] | None) -> bool:
    if not snapshot or snapshot.get("type") != "vault":
        return False
    fields = snapshot.get("fields")
    return isinstance(fields, dict) and bool(fields.get("secret_value"))
