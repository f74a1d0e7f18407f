"""The six-type memory store: SQLite (source of truth) + FTS5 + the Chroma vector index.

Writes run on the single :class:`~memory.database.Writer` thread. A change to a memory's
searchable text queues its id in ``vector_outbox`` inside the same SQLite transaction; the
vector is written to Chroma afterwards and the outbox row cleared. A crash between the two
leaves the outbox row behind, and :meth:`MemoryStore.sync_vectors` (run on open) repairs it.
"""

from __future__ import annotations

import builtins
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from memory import migrations
from memory.database import Writer, connect
from memory.embedder import Embedder
from memory.errors import InvalidInput, NotFound, VaultLocked
from memory.schema import (
    MEMORY_TYPES,
    Memory,
    check_type,
    embedding_text,
    field_names,
    now_iso,
    searchable_text,
    type_table,
    validate_common,
    validate_fields,
)
from memory.store_rows import (
    COMMON_COLUMNS,
    HistoryEntry,
    Link,
    append_history,
    quote,
    row_to_memory,
    seq_of,
    snapshot,
    to_sql,
)
from memory.vault_crypto import VaultKeys
from memory.vault_intake import INTAKE_META_KEY, IntakeVaultKeys, is_sealed
from memory.vector_sync import SyncReport, VectorSync, queue_vector, vector_metadata
from memory.vectors import VectorIndex

__all__ = ["HistoryEntry", "Link", "MemoryStore", "NewMemory", "SyncReport", "new_memory_id"]

log = logging.getLogger(__name__)

DB_FILE = "engram.db"
VECTOR_DIR = "vectors"
SECRET_MARK = "[encrypted]"
#: A secret stored while the vault was locked: readable after unlock.
SEALED_MARK = "[sealed]"

def new_memory_id() -> str:
    """Time-sortable and unique across machines (so archives from two machines merge)."""
    return f"{int(time.time() * 1000):011x}{secrets.token_hex(5)}"


@dataclass
class NewMemory:
    """A memory to add: its type, its own fields and any common columns to set."""

    type: str
    fields: dict[str, Any]
    source: str = "manual"
    provenance: dict[str, list[Any]] | None = None
    confidence: float = 1.0
    pinned: bool = False
    tree_path: str | None = None
    id: str | None = None
    created_at: str | None = None
    reason: str = "created"


@dataclass
class _Prepared:
    memory_type: str
    fields: dict[str, Any]
    common: dict[str, Any]
    memory_id: str
    created_at: str
    reason: str
    text: str


class MemoryStore:
    """Create, read, update, link, forget and purge memories of the six types."""

    def __init__(
        self,
        data_dir: Path,
        *,
        embedder: Embedder | None = None,
        chroma_url: str | None = None,
        sync_on_open: bool = True,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.db_path = self.data_dir / DB_FILE
        self.embedder = embedder or Embedder()
        self._local = threading.local()
        self._readers: list[Database] = []
        self._readers_lock = threading.Lock()
        self.writer = Writer(self.db_path, on_open=migrations.apply)
        try:
            self._open_rest(chroma_url, sync_on_open)
        except BaseException:
            self.close()
            raise

    def _open_rest(self, chroma_url: str | None, sync_on_open: bool) -> None:
        self.db_path.chmod(0o600)
        self.vault = IntakeVaultKeys(
            load=lambda: self.get_meta(VaultKeys.META_KEY),
            save=lambda value: self.set_meta(VaultKeys.META_KEY, value),
            load_intake=lambda: self.get_meta(INTAKE_META_KEY),
            save_intake=lambda value: self.set_meta(INTAKE_META_KEY, value),
        )
        store_id = self.get_meta("store_id")
        if store_id is None:
            store_id = secrets.token_hex(8)
            self.set_meta("store_id", store_id)
        self.store_id = store_id
        self.vectors = VectorIndex.open(
            path=None if chroma_url else self.data_dir / VECTOR_DIR,
            server_url=chroma_url,
            collection_name=f"engram_{store_id}",
            model_id=self.embedder.model_id,
            dimension=self.embedder.dimension,
        )
        self.vector_sync = VectorSync(self)
        if sync_on_open:
            self.sync_vectors()

    # -- connections -------------------------------------------------------------------

    @property
    def reader(self) -> Database:
        """This thread's own read connection."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.db_path)
            self._local.db = db
            with self._readers_lock:
                self._readers.append(db)
        return db

    def close(self) -> None:
        self.writer.close()
        with self._readers_lock:
            for db in self._readers:
                try:
                    db.conn.close()
                except Exception as exc:  # a reader of another thread; close is best effort
                    log.debug("closing reader: %s", exc)
            self._readers.clear()

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- meta ----------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.reader.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.writer.write(
            lambda db: db.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
        )

    # -- create --------------------------------------------------------------------------

    def add(self, memory_type: str, fields: dict[str, Any], **common: Any) -> Memory:
        """Add one memory and return it as stored."""
        (memory_id,) = self.add_many([NewMemory(type=memory_type, fields=fields, **common)])
        return self.get(memory_id)

    def add_many(self, items: Sequence[NewMemory]) -> list[str]:
        """Validate, embed and insert a batch in one transaction; return the new ids."""
        prepared = [self._prepare(item) for item in items]
        vectors = self.embedder.embed([embedding_text(p.memory_type, p.fields) for p in prepared])

        def insert(db: Database) -> None:
            for p in prepared:
                self._insert(db, p)

        self.writer.write(insert)
        ids = [p.memory_id for p in prepared]
        self.vector_sync.push(
            ids, vectors, [vector_metadata(p.memory_type, p.fields, p.created_at) for p in prepared]
        )
        return ids

    def _prepare(self, item: NewMemory) -> _Prepared:
        memory_type = check_type(item.type)
        fields = validate_fields(memory_type, item.fields)
        common = validate_common(
            {
                "source": item.source,
                "provenance": item.provenance,
                "confidence": item.confidence,
                "pinned": item.pinned,
                "tree_path": item.tree_path,
            }
        )
        created_at = item.created_at or now_iso()
        if memory_type == "episodic" and not fields.get("occurred_at"):
            fields["occurred_at"] = created_at
        memory_id = item.id or new_memory_id()
        if memory_type == "vault" and fields.get("secret_value"):
            fields["secret_value"] = self.vault.encrypt(memory_id, fields["secret_value"])
        return _Prepared(
            memory_type,
            fields,
            common,
            memory_id,
            created_at,
            item.reason,
            searchable_text(memory_type, fields),
        )

    def _insert(self, db: Database, p: _Prepared) -> None:
        conn = db.conn
        event_at = p.fields.get("occurred_at") or p.created_at
        try:
            cursor = conn.execute(
                "INSERT INTO memories (id, type, created_at, updated_at, source, provenance, "
                "confidence, strength, pinned, tree_path, version, deleted, event_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 1.0, ?, ?, 1, 0, ?)",
                [
                    p.memory_id,
                    p.memory_type,
                    p.created_at,
                    p.created_at,
                    p.common["source"],
                    json.dumps(p.common["provenance"]),
                    p.common["confidence"],
                    int(p.common["pinned"]),
                    p.common["tree_path"],
                    event_at,
                ],
            )
        except Exception as exc:
            if "UNIQUE" in str(exc):
                raise InvalidInput(f"A memory with id {p.memory_id} already exists.") from exc
            raise
        seq = cursor.lastrowid
        names = field_names(p.memory_type)
        try:
            conn.execute(
                f"INSERT INTO {type_table(p.memory_type)} (id, {', '.join(map(quote, names))}) "
                f"VALUES (?, {', '.join('?' for _ in names)})",
                [p.memory_id, *(to_sql(p.fields[n]) for n in names)],
            )
        except Exception as exc:
            if "UNIQUE" in str(exc) and p.memory_type == "core":
                raise InvalidInput(
                    f"A core memory labelled {p.fields['label']!r} already exists; update it."
                ) from exc
            raise
        conn.execute("INSERT INTO memory_fts(rowid, text) VALUES (?, ?)", [seq, p.text])
        after = snapshot(db, p.memory_id)
        append_history(db, p.memory_id, "insert", None, after, p.reason)
        queue_vector(db, p.memory_id, "upsert")

    # -- read ----------------------------------------------------------------------------

    def get(self, memory_id: str, *, reveal: bool = False, include_deleted: bool = True) -> Memory:
        memories = self.get_many([memory_id], reveal=reveal, include_deleted=include_deleted)
        if not memories:
            raise NotFound(f"No memory with id {memory_id!r}.")
        return memories[0]

    def get_many(
        self, ids: Sequence[str], *, reveal: bool = False, include_deleted: bool = False
    ) -> list[Memory]:
        """Memories by id, in the order asked, skipping ids that do not exist."""
        if not ids:
            return []
        return self._read_memories(self.reader, ids, reveal=reveal, include_deleted=include_deleted)

    def _read_memories(
        self,
        db: Database,
        ids: Sequence[str],
        *,
        reveal: bool = False,
        include_deleted: bool = True,
    ) -> list[Memory]:
        found: dict[str, Memory] = {}
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = db.execute(
                f"SELECT {COMMON_COLUMNS} FROM memories WHERE id IN ({marks})"
                + ("" if include_deleted else " AND deleted = 0"),
                chunk,
            ).fetchall()
            by_type: dict[str, list[Memory]] = {}
            for row in rows:
                memory = row_to_memory(row)
                found[memory.id] = memory
                by_type.setdefault(memory.type, []).append(memory)
            for memory_type, members in by_type.items():
                names = field_names(memory_type)
                member_marks = ", ".join("?" for _ in members)
                for frow in db.execute(
                    f"SELECT id, {', '.join(map(quote, names))} FROM {type_table(memory_type)} "
                    f"WHERE id IN ({member_marks})",
                    [m.id for m in members],
                ):
                    values = dict(zip(names, frow[1:], strict=True))
                    found[frow[0]].fields = self._decode_fields(
                        memory_type, frow[0], values, reveal
                    )
        return [found[i] for i in ids if i in found]

    def _decode_fields(
        self, memory_type: str, memory_id: str, values: dict[str, Any], reveal: bool
    ) -> dict[str, Any]:
        if memory_type == "procedural":
            values["steps"] = json.loads(values["steps"] or "[]")
        if memory_type == "vault":
            blob = values.get("secret_value")
            if not blob:
                values["secret_value"] = ""
            elif reveal:
                values["secret_value"] = self.vault.decrypt(memory_id, bytes(blob))
            else:
                values["secret_value"] = SEALED_MARK if is_sealed(blob) else SECRET_MARK
        return values

    def reveal_secret(self, memory_id: str) -> str:
        memory = self.get(memory_id, include_deleted=False)
        if memory.type != "vault":
            raise InvalidInput(f"Memory {memory_id} is a {memory.type} memory, not a vault entry.")
        return str(self.get(memory_id, reveal=True).fields["secret_value"])

    def list(
        self,
        memory_type: str | None = None,
        *,
        since: str | None = None,
        until: str | None = None,
        limit: int = 50,
        offset: int = 0,
        include_deleted: bool = False,
    ) -> list[Memory]:
        """Memories newest first by event time, optionally of one type and time range."""
        where, params = ["1 = 1"], []
        if memory_type is not None:
            where.append("type = ?")
            params.append(check_type(memory_type))
        if not include_deleted:
            where.append("deleted = 0")
        if since:
            where.append("event_at >= ?")
            params.append(since)
        if until:
            where.append("event_at < ?")
            params.append(until)
        rows = self.reader.execute(
            f"SELECT id FROM memories WHERE {' AND '.join(where)} "
            "ORDER BY event_at DESC, seq DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        return self._read_memories(self.reader, [r[0] for r in rows])

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(MEMORY_TYPES, 0)
        for memory_type, n in self.reader.execute(
            "SELECT type, count(*) FROM memories WHERE deleted = 0 GROUP BY type"
        ):
            counts[memory_type] = n
        return counts

    def history(self, memory_id: str) -> builtins.list[HistoryEntry]:
        rows = self.reader.execute(
            "SELECT seq, memory_id, op, before, after, reason, at FROM memory_history "
            "WHERE memory_id = ? ORDER BY seq",
            [memory_id],
        ).fetchall()
        return [
            HistoryEntry(
                r[0], r[1], r[2],
                json.loads(r[3]) if r[3] else None,
                json.loads(r[4]) if r[4] else None,
                r[5], r[6],
            )
            for r in rows
        ]

    def links(self, memory_id: str) -> builtins.list[Link]:
        rows = self.reader.execute(
            "SELECT src_id, dst_id, kind, score, created_at FROM memory_links "
            "WHERE src_id = ? OR dst_id = ? ORDER BY score DESC",
            [memory_id, memory_id],
        ).fetchall()
        return [Link(*r) for r in rows]

    # -- update --------------------------------------------------------------------------

    def update(
        self,
        memory_id: str,
        fields: dict[str, Any] | None = None,
        *,
        reason: str = "edited",
        **common: Any,
    ) -> Memory:
        """Change fields and/or common columns; bumps the version and records history."""
        current = self.get(memory_id)
        if current.deleted:
            raise InvalidInput(f"Memory {memory_id} is forgotten; restore it before editing.")
        changes = validate_fields(current.type, fields or {}, partial=True)
        common_changes = validate_common(common)
        if current.type == "vault" and changes.get("secret_value"):
            changes["secret_value"] = self.vault.encrypt(memory_id, changes["secret_value"])
        if current.type == "core" and "value" in changes:
            limit = changes.get("limit") or current.fields["limit"]
            if len(changes["value"] or "") > limit:
                raise InvalidInput(
                    f"Core memory {current.fields['label']!r} would hold "
                    f"{len(changes['value'])} characters; its limit is {limit}."
                )
        merged = {**current.fields, **changes}
        if current.type == "vault" and "secret_value" not in changes:
            merged.pop("secret_value", None)
        new_text = searchable_text(current.type, merged)

        def apply(db: Database) -> tuple[bool, dict[str, Any]]:
            before = snapshot(db, memory_id)
            assert before is not None
            old_text = searchable_text(current.type, before["fields"])
            now = now_iso()
            sets = ["updated_at = ?", "version = version + 1"]
            params: builtins.list[Any] = [now]
            for name, value in common_changes.items():
                sets.append(f"{name} = ?")
                params.append(json.dumps(value) if name == "provenance" else to_sql(value))
            if current.type == "episodic" and changes.get("occurred_at"):
                sets.append("event_at = ?")
                params.append(changes["occurred_at"])
            db.execute(f"UPDATE memories SET {', '.join(sets)} WHERE id = ?", [*params, memory_id])
            if changes:
                db.execute(
                    f"UPDATE {type_table(current.type)} SET "
                    + ", ".join(f"{quote(n)} = ?" for n in changes)
                    + " WHERE id = ?",
                    [*(to_sql(v) for v in changes.values()), memory_id],
                )
            text_changed = new_text != old_text
            if text_changed:
                seq = seq_of(db, memory_id)
                db.execute("DELETE FROM memory_fts WHERE rowid = ?", [seq])
                db.execute("INSERT INTO memory_fts(rowid, text) VALUES (?, ?)", [seq, new_text])
                queue_vector(db, memory_id, "upsert")
            after = snapshot(db, memory_id)
            append_history(db, memory_id, "update", before, after, reason)
            return text_changed, after or {}

        text_changed, _after = self.writer.write(apply)
        updated = self.get(memory_id)
        if text_changed:
            self.vector_sync.push_memories([updated])
        return updated

    def link(self, src_id: str, dst_id: str, kind: str = "related", score: float = 1.0) -> Link:
        if src_id == dst_id:
            raise InvalidInput("A memory cannot be linked to itself.")
        if not isinstance(kind, str) or not kind.strip():
            raise InvalidInput("A link needs a kind, for example 'related' or 'same_entity'.")
        now = now_iso()

        def apply(db: Database) -> None:
            for memory_id in (src_id, dst_id):
                if seq_of(db, memory_id) is None:
                    raise NotFound(f"No memory with id {memory_id!r}.")
            db.execute(
                "INSERT INTO memory_links (src_id, dst_id, kind, score, created_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(src_id, dst_id, kind) "
                "DO UPDATE SET score = excluded.score",
                [src_id, dst_id, kind, float(score), now],
            )
            append_history(
                db, src_id, "link", None, {"dst_id": dst_id, "kind": kind, "score": score},
                f"linked to {dst_id}",
            )

        self.writer.write(apply)
        return Link(src_id, dst_id, kind, float(score), now)

    def unlink(self, src_id: str, dst_id: str, kind: str = "related") -> None:
        def apply(db: Database) -> None:
            db.execute(
                "DELETE FROM memory_links WHERE src_id = ? AND dst_id = ? AND kind = ?",
                [src_id, dst_id, kind],
            )
            append_history(db, src_id, "unlink", {"dst_id": dst_id, "kind": kind}, None,
                            f"unlinked from {dst_id}")

        self.writer.write(apply)

    def touch(self, ids: Iterable[str], *, boost: float = 0.1) -> None:
        """Record that memories were used (answer, opened): access count and strength."""
        id_list = list(dict.fromkeys(ids))
        if not id_list:
            return
        now = now_iso()

        def apply(db: Database) -> None:
            db.conn.executemany(
                "UPDATE memories SET access_count = access_count + 1, last_accessed_at = ?, "
                "strength = min(1.0, strength + ?) WHERE id = ?",
                [(now, boost, memory_id) for memory_id in id_list],
            )

        self.writer.write(apply)

    # -- forget, restore, purge ----------------------------------------------------------

    def forget(self, memory_id: str, *, reason: str = "forgotten by user") -> Memory:
        """Soft delete: hidden from lists and search, restorable, history kept."""
        return self._set_deleted(memory_id, True, reason)

    def restore(self, memory_id: str, *, reason: str = "restored by user") -> Memory:
        return self._set_deleted(memory_id, False, reason)

    def _set_deleted(self, memory_id: str, deleted: bool, reason: str) -> Memory:
        def apply(db: Database) -> str | None:
            before = snapshot(db, memory_id)
            if before is None:
                raise NotFound(f"No memory with id {memory_id!r}.")
            if bool(before["deleted"]) == deleted:
                return None
            seq = seq_of(db, memory_id)
            db.execute(
                "UPDATE memories SET deleted = ?, updated_at = ?, version = version + 1 "
                "WHERE id = ?",
                [int(deleted), now_iso(), memory_id],
            )
            text = searchable_text(before["type"], before["fields"])
            db.execute("DELETE FROM memory_fts WHERE rowid = ?", [seq])
            if not deleted:
                db.execute("INSERT INTO memory_fts(rowid, text) VALUES (?, ?)", [seq, text])
            queue_vector(db, memory_id, "delete" if deleted else "upsert")
            append_history(
                db, memory_id, "delete" if deleted else "restore", before,
                snapshot(db, memory_id), reason,
            )
            return text

        text = self.writer.write(apply)
        memory = self.get(memory_id)
        if text is not None:
            if deleted:
                self.vector_sync.delete([memory_id])
            else:
                self.vector_sync.push_memories([memory])
        return memory

    def purge(self, memory_id: str) -> None:
        """Remove a memory for good: its row, fields, FTS entry, vector, history and links."""

        def apply(db: Database) -> None:
            seq = seq_of(db, memory_id)
            if seq is None:
                raise NotFound(f"No memory with id {memory_id!r}.")
            memory_type = db.execute(
                "SELECT type FROM memories WHERE id = ?", [memory_id]
            ).fetchone()[0]
            db.execute("DELETE FROM memory_fts WHERE rowid = ?", [seq])
            db.execute(f"DELETE FROM {type_table(memory_type)} WHERE id = ?", [memory_id])
            db.execute("DELETE FROM memory_history WHERE memory_id = ?", [memory_id])
            db.execute(
                "DELETE FROM memory_links WHERE src_id = ? OR dst_id = ?", [memory_id, memory_id]
            )
            db.execute("DELETE FROM memories WHERE id = ?", [memory_id])
            queue_vector(db, memory_id, "delete")

        self.writer.write(apply)
        self.vector_sync.delete([memory_id])

    # -- vectors -------------------------------------------------------------------------

    def sync_vectors(self, *, full: bool = False) -> SyncReport:
        """Repair Chroma from SQLite (see :class:`~memory.vector_sync.VectorSync`)."""
        return self.vector_sync.sync(full=full)

    def reindex(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Rebuild every vector from SQLite with the current embedder."""
        return self.vector_sync.reindex(progress)

    def require_unlocked(self) -> None:
        if not self.vault.is_unlocked:
            raise VaultLocked("The knowledge vault is locked.")
