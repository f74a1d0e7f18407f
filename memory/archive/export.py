"""Export a store to a portable ``.engram`` archive (format: ``docs/ARCHIVE_FORMAT.md``).

The export reads one consistent SQLite snapshot (a read transaction on its own connection)
and streams every member into the zip, hashing as it writes, so memory use stays flat
however large the store. The zip is written to a private temporary file next to the target
and renamed into place only when complete. An archive holding vault secrets must be
encrypted: the secrets are decrypted with the (unlocked) vault and written inside the
passphrase-encrypted archive, so the archive opens on any machine with its passphrase alone.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import json
import logging
import os
import secrets
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO

from memory.archive.crypto import DEFAULT_CHUNK, DEFAULT_LOG2_N, EncryptingWriter
from memory.archive.format import (
    FORMAT_VERSION,
    FRAMES,
    HISTORY,
    IMAGE_EXTENSIONS,
    LINKS,
    MANIFEST,
    VECTORS,
    Manifest,
    image_member,
    memory_member,
)
from memory.database import connect
from memory.errors import InvalidInput, StoreUnavailable
from memory.schema import MEMORY_TYPES, field_names, now_iso, type_table
from memory.secrets import redact, scan

if TYPE_CHECKING:
    from sqlite_utils import Database

    from memory.store import MemoryStore

log = logging.getLogger(__name__)

COMMON_COLUMNS = (
    "id", "type", "created_at", "updated_at", "source", "provenance", "confidence",
    "strength", "last_accessed_at", "access_count", "pinned", "tree_path", "version",
    "deleted", "event_at",
)
WRITE_BATCH = 1 << 20
#: Only frames whose OCR ran (so their text and image were redacted) leave the store: a
#: pending frame's image may hold secrets in clear, and a failed frame was never redacted.
EXPORTED_FRAME_STATUSES = ("ocr_done", "extracted")
_EXPORTED = "status IN ({})".format(", ".join(f"'{s}'" for s in EXPORTED_FRAME_STATUSES))
IMAGE_BLOCK = 1 << 20


def app_version() -> str:
    try:
        return importlib.metadata.version("engram")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


@dataclass
class ExportReport:
    path: str
    encrypted: bool
    memories: dict[str, int] = field(default_factory=dict)
    history: int = 0
    links: int = 0
    frames: int = 0
    frame_images: int = 0
    vectors: int = 0
    secrets: int = 0
    #: secrets the catalogue found in the text of a plain archive, written as placeholders
    secrets_redacted: int = 0
    bytes: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class _MemberWriter:
    """Buffers lines into one zip member and keeps its sha256 and size for the manifest."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._hash = hashlib.sha256()
        self._buffer: list[bytes] = []
        self._buffered = 0
        self.size = 0

    def write(self, data: bytes) -> None:
        self._buffer.append(data)
        self._buffered += len(data)
        if self._buffered >= WRITE_BATCH:
            self.flush()

    def line(self, record: dict[str, Any]) -> None:
        self.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")

    def flush(self) -> None:
        if self._buffer:
            block = b"".join(self._buffer)
            self._hash.update(block)
            self._stream.write(block)
            self.size += len(block)
            self._buffer.clear()
            self._buffered = 0

    def entry(self) -> dict[str, Any]:
        self.flush()
        return {"sha256": self._hash.hexdigest(), "bytes": self.size}


class ArchiveExporter:
    """Writes one archive of one store. ``run()`` returns an :class:`ExportReport`."""

    def __init__(
        self,
        store: MemoryStore,
        path: str | Path,
        *,
        passphrase: str | None = None,
        include_frames: bool = True,
        chunk_size: int = DEFAULT_CHUNK,
        log2_n: int = DEFAULT_LOG2_N,
    ) -> None:
        self.store = store
        self.path = Path(path)
        self.passphrase = passphrase or None
        self.include_frames = include_frames
        self._chunk_size = chunk_size
        self._log2_n = log2_n
        self._members: dict[str, dict[str, Any]] = {}
        self.report = ExportReport(path=str(self.path), encrypted=self.passphrase is not None)

    def run(self) -> ExportReport:
        started = time.perf_counter()
        db = connect(self.store.db_path, readonly=True)
        try:
            db.conn.execute("BEGIN")  # one consistent snapshot for every query below
            self._check_secrets(db)
            self._write_file(db)
        finally:
            db.conn.close()
        self.report.bytes = self.path.stat().st_size
        self.report.seconds = round(time.perf_counter() - started, 3)
        log.info(
            "exported %d memories to %s (%d bytes, encrypted=%s)",
            sum(self.report.memories.values()), self.path, self.report.bytes,
            self.report.encrypted,
        )
        return self.report

    def _check_secrets(self, db: Database) -> None:
        count = stored_secret_count(db)
        if count and self.passphrase is None:
            raise InvalidInput(
                f"This store holds {count} vault secret(s), so the archive must be encrypted: "
                "give a passphrase (--passphrase-file F)."
            )
        if count:
            self.store.require_unlocked()

    def _write_file(self, db: Database) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}.partial")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            raise StoreUnavailable(f"Cannot write the archive {self.path}: {exc.strerror}.") from exc
        try:
            with os.fdopen(fd, "wb") as raw:
                sink: BinaryIO = raw
                writer = None
                if self.passphrase is not None:
                    writer = EncryptingWriter(
                        raw, self.passphrase, chunk_size=self._chunk_size, log2_n=self._log2_n
                    )
                    sink = writer  # type: ignore[assignment]
                with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED,
                                     compresslevel=1, allowZip64=True) as zf:
                    self._write_members(zf, db)
                if writer is not None:
                    writer.finish()
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(temp, self.path)
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise StoreUnavailable(f"Cannot write the archive {self.path}: {exc}.") from exc
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    def _member(self, zf: zipfile.ZipFile, name: str, lines: Iterable[dict[str, Any]],
                compress: int = zipfile.ZIP_DEFLATED) -> int:
        info = zipfile.ZipInfo(name, date_time=time.gmtime()[:6])
        info.compress_type = compress
        info.external_attr = 0o600 << 16
        count = 0
        with zf.open(info, "w", force_zip64=True) as stream:
            member = _MemberWriter(stream)
            for record in lines:
                member.line(record)
                count += 1
            self._members[name] = member.entry()
        return count

    def _write_members(self, zf: zipfile.ZipFile, db: Database) -> None:
        for memory_type in MEMORY_TYPES:
            self.report.memories[memory_type] = self._member(
                zf, memory_member(memory_type), self._memories(db, memory_type)
            )
        self.report.history = self._member(zf, HISTORY, self._history(db))
        self.report.links = self._member(zf, LINKS, self._links(db))
        images: dict[int, str] = {}
        if self.include_frames:
            images = self._write_images(zf, db)
        self.report.frames = self._member(zf, FRAMES, self._frames(db, images))
        self.report.frame_images = len(images)
        self.report.vectors = self._member(zf, VECTORS, self._vectors(db))
        manifest = Manifest(
            format_version=FORMAT_VERSION,
            app_version=app_version(),
            created_at=now_iso(),
            embedding_model=self.store.embedder.model_id,
            embedding_dimension=self.store.embedder.dimension,
            counts={
                "memories": dict(self.report.memories),
                "history": self.report.history,
                "links": self.report.links,
                "frames": self.report.frames,
                "frame_images": self.report.frame_images,
                "vectors": self.report.vectors,
            },
            members=self._members,
            includes_frames=self.include_frames,
            includes_secrets=self.report.secrets > 0,
            store_id=self.store.store_id,
        )
        info = zipfile.ZipInfo(MANIFEST, date_time=time.gmtime()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        zf.writestr(info, manifest.to_json())

    # -- the secret catalogue ------------------------------------------------------------

    def _scrub(self, text: str) -> str:
        """A plain archive never carries a secret in clear: its text passes the secret
        catalogue (an encrypted archive is a faithful copy, its passphrase protects it)."""
        if self.passphrase is not None or not text:
            return text
        clean, found = redact(text)
        self.report.secrets_redacted += len(found)
        return clean

    def _scrub_fields(self, fields: dict[str, Any]) -> dict[str, Any]:
        if self.passphrase is not None:
            return fields
        texts = [v for k, v in fields.items() if isinstance(v, str) and k != "secret_value"]
        texts += [v for value in fields.values() if isinstance(value, list)
                  for v in value if isinstance(v, str)]
        if not scan("\n".join(texts)):  # one scan of the record: most hold no secret
            return fields
        clean = dict(fields)
        for name, value in fields.items():
            if isinstance(value, str) and name != "secret_value":
                clean[name] = self._scrub(value)
            elif isinstance(value, list):
                clean[name] = [self._scrub(v) if isinstance(v, str) else v for v in value]
        return clean

    # -- record streams ------------------------------------------------------------------

    def _memories(self, db: Database, memory_type: str) -> Iterator[dict[str, Any]]:
        names = field_names(memory_type)
        cursor = db.conn.execute(
            f"SELECT {', '.join('m.' + c for c in COMMON_COLUMNS)}, "
            + ", ".join(f't."{n}"' for n in names)
            + f" FROM memories m JOIN {type_table(memory_type)} t ON t.id = m.id "
            "WHERE m.type = ? ORDER BY m.seq",
            [memory_type],
        )
        width = len(COMMON_COLUMNS)
        for row in cursor:
            record = dict(zip(COMMON_COLUMNS, row[:width], strict=True))
            record["provenance"] = json.loads(record["provenance"])
            record["pinned"] = bool(record["pinned"])
            record["deleted"] = bool(record["deleted"])
            fields = dict(zip(names, row[width:], strict=True))
            if memory_type == "procedural":
                fields["steps"] = json.loads(fields["steps"] or "[]")
            if memory_type == "vault":
                blob = fields.get("secret_value")
                fields["secret_value"] = (
                    self.store.vault.decrypt(record["id"], bytes(blob)) if blob else ""
                )
                if blob:
                    self.report.secrets += 1
            record["fields"] = self._scrub_fields(fields)
            yield record

    def _history(self, db: Database) -> Iterator[dict[str, Any]]:
        cursor = db.conn.execute(
            "SELECT memory_id, op, before, after, reason, at FROM memory_history ORDER BY seq"
        )
        for memory_id, op, before, after, reason, at in cursor:
            yield {
                "memory_id": memory_id,
                "op": op,
                "before": self._snapshot(memory_id, before),
                "after": self._snapshot(memory_id, after),
                "reason": reason,
                "at": at,
            }

    def _snapshot(self, memory_id: str, text: str | None) -> dict[str, Any] | None:
        """A history snapshot; a vault secret sealed in it (``enc:``) is opened here."""
        if text is None:
            return None
        snapshot: dict[str, Any] = json.loads(text)
        fields = snapshot.get("fields")
        if snapshot.get("type") == "vault" and isinstance(fields, dict):
            sealed = fields.get("secret_value")
            if isinstance(sealed, str) and sealed.startswith("enc:"):
                fields["secret_value"] = self.store.vault.decrypt(
                    memory_id, base64.b64decode(sealed[4:])
                )
                self.report.secrets += 1
        if isinstance(fields, dict):
            snapshot["fields"] = self._scrub_fields(fields)
        return snapshot

    def _links(self, db: Database) -> Iterator[dict[str, Any]]:
        cursor = db.conn.execute(
            "SELECT src_id, dst_id, kind, score, created_at FROM memory_links ORDER BY rowid"
        )
        for src_id, dst_id, kind, score, created_at in cursor:
            yield {"src_id": src_id, "dst_id": dst_id, "kind": kind, "score": score,
                   "created_at": created_at}

    def _frame_image_path(self, relative: str | None) -> Path | None:
        """The frame's image inside the data folder, or None (missing, or pointing out)."""
        if not relative:
            return None
        data_dir = self.store.data_dir.resolve()
        path = (data_dir / relative).resolve()
        if not path.is_relative_to(data_dir) or not path.is_file():
            return None
        return path

    def _write_images(self, zf: zipfile.ZipFile, db: Database) -> dict[int, str]:
        images: dict[int, str] = {}
        for frame_id, relative in db.conn.execute(
            f"SELECT id, image_path FROM frames WHERE image_path IS NOT NULL AND {_EXPORTED} "
            "ORDER BY id"
        ):
            path = self._frame_image_path(relative)
            extension = path.suffix.lower().lstrip(".") if path else ""
            if path is None or extension not in IMAGE_EXTENSIONS:
                continue
            name = image_member(frame_id, extension)
            try:
                source = open(path, "rb")  # noqa: SIM115 - closed below
            except FileNotFoundError:  # removed by retention while we were exporting
                continue
            with source:
                info = zipfile.ZipInfo(name, date_time=time.gmtime()[:6])
                info.compress_type = zipfile.ZIP_STORED
                info.external_attr = 0o600 << 16
                with zf.open(info, "w", force_zip64=True) as stream:
                    member = _MemberWriter(stream)
                    while block := source.read(IMAGE_BLOCK):
                        member.write(block)
                    self._members[name] = member.entry()
            images[frame_id] = name
        return images

    def _frames(self, db: Database, images: dict[int, str]) -> Iterator[dict[str, Any]]:
        if not self.include_frames:
            return
        columns = [row[1] for row in db.conn.execute("PRAGMA table_info(frames)")]
        cursor = db.conn.execute(
            f"SELECT {', '.join(columns)} FROM frames WHERE {_EXPORTED} ORDER BY id"
        )
        for row in cursor:
            record = dict(zip(columns, row, strict=True))
            lines = record.get("ocr_lines")
            if isinstance(lines, str):
                try:
                    record["ocr_lines"] = json.loads(lines)
                except ValueError:
                    record["ocr_lines"] = None
                if not isinstance(record["ocr_lines"], list):
                    record["ocr_lines"] = None
            for key, value in record.items():
                if isinstance(value, bytes):
                    record[key] = None
            record["image"] = images.get(record["id"])
            if isinstance(record.get("ocr_text"), str):
                record["ocr_text"] = self._scrub(record["ocr_text"])
            for line in record.get("ocr_lines") or ():
                if isinstance(line, dict) and isinstance(line.get("text"), str):
                    line["text"] = self._scrub(line["text"])
            yield record

    def _vectors(self, db: Database) -> Iterator[dict[str, Any]]:
        """Vectors of live memories whose index entry is current (not waiting in the outbox)."""
        live = {
            r[0] for r in db.conn.execute(
                "SELECT id FROM memories WHERE deleted = 0 "
                "AND id NOT IN (SELECT memory_id FROM vector_outbox)"
            )
        }
        if not live:
            return
        for ids, matrix in self.store.vectors.iter_embeddings():
            for memory_id, vector in zip(ids, matrix, strict=True):
                if memory_id in live:
                    yield {"id": memory_id,
                           "vector": base64.b64encode(vector.astype("<f4").tobytes()).decode()}


def stored_secret_count(db: Database) -> int:
    """Vault secrets held by a store, current or in history (an archive of them must be
    encrypted)."""
    return int(db.execute(
        "SELECT count(*) FROM vault_memory WHERE length(secret_value) > 0"
    ).fetchone()[0] + db.execute(
        "SELECT count(*) FROM memory_history WHERE before LIKE '%\"secret_value\": \"enc:%' "
        "OR after LIKE '%\"secret_value\": \"enc:%'"
    ).fetchone()[0])


def export_archive(
    store: MemoryStore,
    path: str | Path,
    *,
    passphrase: str | None = None,
    include_frames: bool = True,
    log2_n: int = DEFAULT_LOG2_N,
) -> ExportReport:
    """Write ``store`` to ``path`` as an ``.engram`` archive (encrypted with a passphrase)."""
    return ArchiveExporter(
        store, path, passphrase=passphrase, include_frames=include_frames, log2_n=log2_n
    ).run()
