"""The body of an archive import: one transaction on the store's writer thread that merges
a verified archive into the store (see :mod:`memory.archive.importer` for the rules).

Rows are inserted the way :meth:`MemoryStore._insert` does: memories row, type row, FTS row,
history, vector outbox. Images are staged in a private folder and moved into place at the
very end of the transaction; the caller removes them again if the commit fails.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, overload

from memory.archive.export import COMMON_COLUMNS
from memory.archive.format import IMAGE_EXTENSIONS
from memory.archive.reader import ArchiveReader
from memory.archive.staging import STAGING_PREFIX, StagingFolder
from memory.errors import BadArchive
from memory.schema import (
    MEMORY_TYPES,
    field_names,
    now_iso,
    parse_iso,
    searchable_text,
    to_iso,
    type_table,
)
from memory.store_rows import quote, to_sql
from memory.vault_crypto import VaultKeys

if TYPE_CHECKING:
    from sqlite_utils import Database

    from memory.store import MemoryStore


@dataclass
class ImportReport:
    dry_run: bool
    added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEMORY_TYPES, 0))
    updated: int = 0
    kept_local: int = 0
    #: labels of core memories the archive added, or replaced by a new version (the old
    #: value stays in history): core memory shapes every answer, so it is never silent.
    core_added: list[str] = field(default_factory=list)
    core_replaced: list[str] = field(default_factory=list)
    #: archive times later than the import or than the archive's own date (a clock ahead,
    #: or a crafted archive), set to the earlier of the two
    times_clamped: int = 0
    unchanged: int = 0
    duplicates: int = 0
    history_added: int = 0
    links_added: int = 0
    links_skipped: int = 0
    frames_added: int = 0
    frames_existing: int = 0
    images_added: int = 0
    vectors_reused: int = 0
    vectors_embedded: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class DryRunDone(Exception):
    """Raised at the end of a dry-run merge so the writer rolls everything back."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("dry run")
        self.report = report


#: Frame columns an archive supplies as content; the others are recomputed on import.
FRAME_CONTENT = ("captured_at", "monitor", "app", "window_title", "url", "phash", "ocr_text",
                 "ocr_lines")


def _imported_status(frame: dict[str, Any]) -> str:
    """An imported frame is ``extracted`` (its memories came with it) or ``ocr_done`` (its
    text awaits extraction here); without OCR text (pending or failed at the source) it is
    ``failed`` and its image, which may never have been redacted, is left out."""
    if not isinstance(frame.get("ocr_text"), str):
        return "failed"
    return "ocr_done" if frame.get("status") == "ocr_done" else (
        "extracted" if frame.get("status") == "extracted" else "failed")


def _pixels(value: Any) -> int | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 1 << 16
    return value if ok else None


def _content_key(memory_type: str, fields: dict[str, Any]) -> str:
    basis: Any = fields.get("label") if memory_type == "core" else fields
    text = json.dumps([memory_type, basis], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _columns(names: list[str]) -> str:
    return ", ".join(map(quote, names))


class Merge:
    """The body of the one merge transaction (runs on the writer thread)."""

    def __init__(self, store: MemoryStore, reader: ArchiveReader, box: VaultKeys,
                 report: ImportReport, staging: StagingFolder, dry_run: bool) -> None:
        self.store = store
        self.reader = reader
        self.box = box
        self.report = report
        self.staging = staging
        self.dry_run = dry_run
        self.frame_ids: dict[int, int] = {}
        self.id_map: dict[str, str] = {}
        self.foreign_history: set[str] = set()
        self.applied: dict[str, tuple[str, dict[str, Any]]] = {}
        self.moves: list[tuple[Path, Path]] = []
        self.merges: list[tuple[str, dict[str, Any], dict[str, Any], str]] = []
        self.moved: list[Path] = []
        #: no archive time may be later than this: the import, or the archive's own
        #: creation when that is earlier (an archive cannot hold a change made after it)
        self.now = min(datetime.now(UTC), parse_iso(reader.manifest.created_at))

    def apply(self, db: Database) -> dict[str, tuple[str, dict[str, Any]]]:
        self._frames(db)
        index = self._content_index(db)
        for memory_type in MEMORY_TYPES:
            for record in self.reader.memories(memory_type):
                self._memory(db, record, index)
        self._history(db)
        for memory_id, before, after, reason in self.merges:
            self._add_history(db, memory_id, "merge", before, after, reason, now_iso())
        self._links(db)
        if self.dry_run:
            raise DryRunDone(self.report)
        for staged, final in self.moves:
            final.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.replace(staged, final)
            self.moved.append(final)
        return self.applied

    @overload
    def _clamp(self, value: str) -> str: ...
    @overload
    def _clamp(self, value: str | None) -> str | None: ...

    def _clamp(self, value: str | None) -> str | None:
        """An archive time, normalised to UTC, and never later than the import or the
        archive's creation: a crafted year-9999 ``updated_at`` must not be stored and then
        win every later merge."""
        if value is None:
            return None
        moment = parse_iso(value)
        if moment > self.now:
            self.report.times_clamped += 1
            moment = self.now
        return to_iso(moment)

    # -- frames --------------------------------------------------------------------------

    def _frames(self, db: Database) -> None:
        """New frames from the archive. Only their content (time, window, OCR text) is
        taken; the bookkeeping columns are recomputed here, never trusted: status, error,
        attempts, image size and path, pixel size, ``updated_at``."""
        claimed: set[Path] = set()
        members = self.reader.manifest.members
        for frame in self.reader.frames():
            captured_at = self._clamp(frame["captured_at"])
            row = db.execute(
                "SELECT id FROM frames WHERE captured_at = ? AND monitor = ? "
                "AND coalesce(phash, '') = ? LIMIT 1",
                [captured_at, frame.get("monitor", 0), frame.get("phash") or ""],
            ).fetchone()
            if row is not None:
                self.frame_ids[frame["id"]] = int(row[0])
                self.report.frames_existing += 1
                continue
            values: dict[str, Any] = {k: frame.get(k) for k in FRAME_CONTENT}
            values["captured_at"] = captured_at
            values["monitor"] = frame.get("monitor", 0)
            if isinstance(values["ocr_lines"], list):
                values["ocr_lines"] = json.dumps(values["ocr_lines"], ensure_ascii=False)
            status = _imported_status(frame)
            image = frame["image"] if status != "failed" else None
            values.update(
                status=status, attempts=0, updated_at=now_iso(), image_path=None,
                image_bytes=members[image]["bytes"] if image else 0,
                error=None if status != "failed" else
                "imported without OCR text, so without its image (it may not be redacted)",
            )
            width, height = self.reader.image_sizes[image] if image else (
                _pixels(frame.get("width")), _pixels(frame.get("height")))
            values.update(width=width, height=height)
            if db.execute("SELECT 1 FROM frames WHERE id = ?", [frame["id"]]).fetchone() is None:
                values["id"] = frame["id"]
            names = list(values)
            cursor = db.conn.execute(
                f"INSERT INTO frames ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                [values[n] for n in names],
            )
            new_id = int(cursor.lastrowid or 0)
            self.frame_ids[frame["id"]] = new_id
            self.report.frames_added += 1
            if image is not None:
                relative = self._image_target(frame.get("image_path"), image, new_id, claimed)
                db.execute("UPDATE frames SET image_path = ? WHERE id = ?", [relative, new_id])
                self._stage(image, relative)

    def _image_target(self, original: Any, member: str, frame_id: int,
                      claimed: set[Path]) -> str:
        """Where an imported image goes: its original relative path when that is safe and
        free, else ``frames/imported/<id>.<ext>``."""
        data_dir = self.store.data_dir.resolve()
        extension = member.rsplit(".", 1)[1]
        if isinstance(original, str) and original:
            pure = PurePosixPath(original)
            target = (data_dir / pure).resolve()
            if (
                not pure.is_absolute()
                and ".." not in pure.parts
                and pure.suffix.lower().lstrip(".") in IMAGE_EXTENSIONS
                and not pure.parts[0].startswith(STAGING_PREFIX)
                and target.is_relative_to(data_dir)
                and not target.exists()
                and target not in claimed
            ):
                claimed.add(target)
                return pure.as_posix()
        relative = f"frames/imported/{frame_id}.{extension}"
        claimed.add((data_dir / relative).resolve())
        return relative

    def _stage(self, member: str, relative: str) -> None:
        if self.dry_run:
            return
        staged = self.staging.ensure() / f"{len(self.moves)}.img"
        fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            self.reader.copy_member(member, out)
        self.moves.append((staged, self.store.data_dir / relative))
        self.report.images_added += 1

    # -- memories ------------------------------------------------------------------------

    def _content_index(self, db: Database) -> dict[str, str]:
        """Content key -> id of every local memory (empty for an empty store)."""
        index: dict[str, str] = {}
        if db.execute("SELECT count(*) FROM memories").fetchone()[0] == 0:
            return index
        for memory_type in MEMORY_TYPES:
            if memory_type == "vault" and not self.box.is_unlocked:
                continue
            names = field_names(memory_type)
            for row in db.execute(
                f"SELECT id, {_columns(names)} FROM {type_table(memory_type)}"
            ):
                fields = self._decode(memory_type, row[0], dict(zip(names, row[1:], strict=True)))
                index.setdefault(_content_key(memory_type, fields), row[0])
        return index

    def _decode(self, memory_type: str, memory_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        if memory_type == "procedural":
            fields["steps"] = json.loads(fields["steps"] or "[]")
        if memory_type == "vault":
            blob = fields.get("secret_value")
            fields["secret_value"] = self.box.decrypt(memory_id, bytes(blob)) if blob else ""
        return fields

    def _local(self, db: Database, memory_id: str) -> dict[str, Any] | None:
        row = db.execute(
            f"SELECT {', '.join(COMMON_COLUMNS)} FROM memories WHERE id = ?", [memory_id]
        ).fetchone()
        if row is None:
            return None
        local = dict(zip(COMMON_COLUMNS, row, strict=True))
        names = field_names(local["type"])
        frow = db.execute(
            f"SELECT {_columns(names)} FROM {type_table(local['type'])} WHERE id = ?",
            [memory_id],
        ).fetchone()
        local["fields"] = self._decode(local["type"], memory_id, dict(zip(names, frow or (),
                                                                          strict=False)))
        local["provenance"] = json.loads(local["provenance"])
        local["pinned"], local["deleted"] = bool(local["pinned"]), bool(local["deleted"])
        return local

    def _memory(self, db: Database, record: dict[str, Any], index: dict[str, str]) -> None:
        record["provenance"]["frames"] = [
            self.frame_ids.get(f, f) if isinstance(f, int) else f
            for f in record["provenance"]["frames"]
        ]
        for key in ("created_at", "updated_at", "last_accessed_at"):
            record[key] = self._clamp(record[key])
        local = self._local(db, record["id"])
        if local is None:
            twin = index.get(_content_key(record["type"], record["fields"]))
            if twin is None:
                self._insert(db, record)
                self.report.added[record["type"]] += 1
                if record["type"] == "core" and not record["deleted"]:
                    self.report.core_added.append(record["fields"]["label"])
                return
            self.id_map[record["id"]] = twin
            self.foreign_history.add(record["id"])
            if record["type"] != "core":
                self.report.duplicates += 1
                return
            local = self._local(db, twin)
            assert local is not None
        if local["type"] != record["type"]:
            raise BadArchive(
                f"Memory {record['id']} is a {record['type']} memory in the archive but a "
                f"{local['type']} memory here; refused."
            )
        if record["type"] == "core":
            self._core(db, local, record)
        elif (record["updated_at"], record["version"]) == (local["updated_at"],
                                                           local["version"]):
            self.report.unchanged += 1
        elif (record["updated_at"], record["version"]) > (local["updated_at"], local["version"]):
            self._replace(db, local["id"], record)
            self._merge_history(db, local["id"], older=local, newer=record,
                                reason="import: the archive's newer version is now current")
            self.report.updated += 1
        else:
            self._merge_history(db, local["id"], older=record, newer=local,
                                reason="import: kept the newer local version")
            self.report.kept_local += 1

    def _core(self, db: Database, local: dict[str, Any], record: dict[str, Any]) -> None:
        """Core memory is in every prompt, so an archive never swaps it silently: a newer
        archive value becomes a NEW local version (the previous value kept in history) and
        its label is named in the report; an older or equal one changes nothing."""
        if (record["fields"], record["deleted"]) == (local["fields"], local["deleted"]):
            self.report.unchanged += 1
            return
        if (record["updated_at"], record["version"]) <= (local["updated_at"], local["version"]):
            self._merge_history(db, local["id"], older=record, newer=local,
                                reason="import: kept the newer local version")
            self.report.kept_local += 1
            return
        label = local["fields"]["label"]
        version = dict(record, version=local["version"] + 1, updated_at=to_iso(self.now),
                       created_at=local["created_at"])
        self._replace(db, local["id"], version)
        self._merge_history(
            db, local["id"], older=local, newer=version,
            reason=f"import: core memory {label!r} replaced by the archive's value as a new "
            "version; the previous value is kept here",
        )
        self.report.core_replaced.append(label)
        self.report.updated += 1

    def _sealed_fields(self, memory_id: str, record: dict[str, Any]) -> dict[str, Any]:
        fields = dict(record["fields"])
        if record["type"] == "vault":
            plain = fields.get("secret_value") or ""
            fields["secret_value"] = self.box.encrypt(memory_id, plain) if plain else ""
        return fields

    def _insert(self, db: Database, record: dict[str, Any]) -> None:
        memory_id, memory_type = record["id"], record["type"]
        values = [to_sql(record[c]) if c != "provenance" else json.dumps(record[c])
                  for c in COMMON_COLUMNS]
        cursor = db.conn.execute(
            f"INSERT INTO memories ({', '.join(COMMON_COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in COMMON_COLUMNS)})",
            values,
        )
        seq = cursor.lastrowid
        names = field_names(memory_type)
        fields = self._sealed_fields(memory_id, record)
        try:
            db.conn.execute(
                f"INSERT INTO {type_table(memory_type)} (id, "
                + ", ".join(f'"{n}"' for n in names)
                + f") VALUES (?, {', '.join('?' for _ in names)})",
                [memory_id, *(to_sql(fields[n]) for n in names)],
            )
        except sqlite3.IntegrityError:
            raise BadArchive(
                f"The archive holds two core memories labelled {fields.get('label')!r}; "
                "refused."
            ) from None
        self._index(db, seq, record)

    def _replace(self, db: Database, memory_id: str, record: dict[str, Any]) -> None:
        """Make the local memory ``memory_id`` hold the archive's (newer) version."""
        settable = [c for c in COMMON_COLUMNS if c not in ("id", "type", "created_at")]
        db.execute(
            f"UPDATE memories SET {', '.join(f'{c} = ?' for c in settable)} WHERE id = ?",
            [*(json.dumps(record[c]) if c == "provenance" else to_sql(record[c])
               for c in settable), memory_id],
        )
        names = field_names(record["type"])
        fields = self._sealed_fields(memory_id, record)
        db.execute(
            f"UPDATE {type_table(record['type'])} SET "
            + ", ".join(f'"{n}" = ?' for n in names) + " WHERE id = ?",
            [*(to_sql(fields[n]) for n in names), memory_id],
        )
        seq = db.execute("SELECT seq FROM memories WHERE id = ?", [memory_id]).fetchone()[0]
        db.execute("DELETE FROM memory_fts WHERE rowid = ?", [seq])
        self._index(db, seq, dict(record, id=memory_id), archive_id=record["id"])

    def _index(self, db: Database, seq: Any, record: dict[str, Any],
               archive_id: str | None = None) -> None:
        """FTS row and vector outbox entry, as the store keeps them (none when deleted)."""
        memory_id = record["id"]
        op = "delete" if record["deleted"] else "upsert"
        if not record["deleted"]:
            db.execute("INSERT INTO memory_fts(rowid, text) VALUES (?, ?)",
                       [seq, searchable_text(record["type"], record["fields"])])
            fields = record["fields"]
            self.applied[archive_id or memory_id] = (memory_id, {
                "type": record["type"],
                "event_ts": parse_iso(fields.get("occurred_at") or record["created_at"])
                .timestamp(),
                "app": fields.get("app") if record["type"] == "episodic" else None,
            })
        db.execute(
            "INSERT INTO vector_outbox (memory_id, op, queued_at) VALUES (?, ?, ?) "
            "ON CONFLICT(memory_id) DO UPDATE SET op = excluded.op, queued_at = excluded.queued_at",
            [memory_id, op, now_iso()],
        )

    # -- history and links ---------------------------------------------------------------

    def _snapshot(self, memory_id: str, record: dict[str, Any]) -> dict[str, Any]:
        """A record as a history snapshot (the store's shape: secrets sealed as ``enc:``)."""
        snapshot = {k: record[k] for k in COMMON_COLUMNS}
        snapshot["id"] = memory_id
        snapshot["fields"] = dict(record["fields"])
        return self._seal_snapshot(memory_id, snapshot) or snapshot

    def _seal_snapshot(self, memory_id: str,
                       snapshot: dict[str, Any] | None) -> dict[str, Any] | None:
        if not snapshot or snapshot.get("type") != "vault":
            return snapshot
        fields = snapshot.get("fields")
        if isinstance(fields, dict) and isinstance(fields.get("secret_value"), str) and fields[
            "secret_value"
        ]:
            sealed = self.box.encrypt(memory_id, fields["secret_value"])
            fields = dict(fields, secret_value="enc:" + base64.b64encode(sealed).decode())
            snapshot = dict(snapshot, fields=fields)
        return snapshot

    def _merge_history(self, db: Database, memory_id: str, *, older: dict[str, Any],
                       newer: dict[str, Any], reason: str) -> None:
        """Queue the ``merge`` row; it is written after the archive's own history rows."""
        self.merges.append((memory_id, self._snapshot(memory_id, older),
                            self._snapshot(memory_id, newer), reason))

    def _add_history(self, db: Database, memory_id: str, op: str, before: Any, after: Any,
                     reason: str | None, at: str) -> None:
        db.execute(
            "INSERT INTO memory_history (memory_id, op, before, after, reason, at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [memory_id, op,
             None if before is None else json.dumps(before, ensure_ascii=False),
             None if after is None else json.dumps(after, ensure_ascii=False),
             reason, at],
        )

    def _history(self, db: Database) -> None:
        for entry in self.reader.history():
            source_id = entry["memory_id"]
            if source_id in self.foreign_history:
                continue
            memory_id = self.id_map.get(source_id, source_id)
            if db.execute("SELECT 1 FROM memories WHERE id = ?", [memory_id]).fetchone() is None:
                continue
            if db.execute(
                "SELECT 1 FROM memory_history WHERE memory_id = ? AND op = ? AND at = ? LIMIT 1",
                [memory_id, entry["op"], self._clamp(entry["at"])],
            ).fetchone():
                continue
            self._add_history(
                db, memory_id, entry["op"], self._seal_snapshot(memory_id, entry["before"]),
                self._seal_snapshot(memory_id, entry["after"]), entry["reason"],
                self._clamp(entry["at"]),
            )
            self.report.history_added += 1

    def _links(self, db: Database) -> None:
        for link in self.reader.links():
            src = self.id_map.get(link["src_id"], link["src_id"])
            dst = self.id_map.get(link["dst_id"], link["dst_id"])
            ends = db.execute(
                "SELECT count(*) FROM memories WHERE id IN (?, ?)", [src, dst]
            ).fetchone()[0]
            if src == dst or ends != 2:
                self.report.links_skipped += 1
                continue
            cursor = db.conn.execute(
                "INSERT INTO memory_links (src_id, dst_id, kind, score, created_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(src_id, dst_id, kind) DO NOTHING",
                [src, dst, link["kind"], link["score"], self._clamp(link["created_at"])],
            )
            self.report.links_added += cursor.rowcount
