"""Keeps the Chroma index in line with SQLite, the source of truth.

A write that changes a memory's searchable text queues its id in ``vector_outbox`` inside
the same SQLite transaction (:func:`queue_vector`). :class:`VectorSync` then writes the
vector to Chroma on the writer thread and clears the outbox row. A crash in between leaves
the row behind, and :meth:`VectorSync.sync` (run when a store opens) finishes the job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from memory.schema import Memory, embedding_text, now_iso, parse_iso

if TYPE_CHECKING:
    from memory.store import MemoryStore

log = logging.getLogger(__name__)

CHUNK = 256


@dataclass
class SyncReport:
    upserted: int = 0
    deleted: int = 0
    pending: int = 0
    errors: list[str] = field(default_factory=list)


def vector_metadata(memory_type: str, fields: dict[str, Any], created_at: str) -> dict[str, Any]:
    """What Chroma filters on: type, event time (epoch seconds) and, for episodes, the app."""
    event_at = fields.get("occurred_at") or created_at
    return {
        "type": memory_type,
        "event_ts": parse_iso(event_at).timestamp(),
        "app": fields.get("app") if memory_type == "episodic" else None,
    }


def queue_vector(db: Database, memory_id: str, op: str) -> None:
    db.execute(
        "INSERT INTO vector_outbox (memory_id, op, queued_at) VALUES (?, ?, ?) "
        "ON CONFLICT(memory_id) DO UPDATE SET op = excluded.op, queued_at = excluded.queued_at",
        [memory_id, op, now_iso()],
    )


def clear_outbox(db: Database, ids: Sequence[str]) -> None:
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany("DELETE FROM vector_outbox WHERE memory_id = ?", [(i,) for i in ids])
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class VectorSync:
    """Writes, deletes and repairs a store's vectors; every Chroma write runs on the
    store's writer thread."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store

    def push(self, ids: list[str], vectors: Any, metas: list[dict[str, Any]]) -> None:
        """Write vectors, then clear their outbox rows. A failure leaves the rows, so the
        next :meth:`sync` retries."""
        index = self.store.vectors

        def write(db: Database) -> None:
            try:
                index.upsert(ids, vectors, metas)
            except Exception as exc:
                log.warning("vector index write failed, will retry on next sync: %s", exc)
                return
            clear_outbox(db, ids)

        self.store.writer.write(write, transaction=False)

    def push_memories(self, memories: Sequence[Memory]) -> None:
        """Embed the memories' searchable text and write their vectors."""
        if not memories:
            return
        vectors = self.store.embedder.embed([embedding_text(m.type, m.fields) for m in memories])
        self.push(
            [m.id for m in memories],
            vectors,
            [vector_metadata(m.type, m.fields, m.created_at) for m in memories],
        )

    def delete(self, ids: list[str]) -> None:
        index = self.store.vectors

        def drop(db: Database) -> None:
            try:
                index.delete(ids)
            except Exception as exc:
                log.warning("vector index delete failed, will retry on next sync: %s", exc)
                return
            clear_outbox(db, ids)

        self.store.writer.write(drop, transaction=False)

    def sync(self, *, full: bool = False) -> SyncReport:
        """Replay the outbox; when the counts differ (or ``full``), compare the id sets and
        repair both directions."""
        reader = self.store.reader
        report = SyncReport()
        outbox = reader.execute("SELECT memory_id, op FROM vector_outbox").fetchall()
        upserts = [m for m, op in outbox if op == "upsert"]
        deletes = [m for m, op in outbox if op == "delete"]
        live = reader.execute("SELECT count(*) FROM memories WHERE deleted = 0").fetchone()[0]
        if full or self.store.vectors.count() != live:
            live_ids = {r[0] for r in reader.execute("SELECT id FROM memories WHERE deleted = 0")}
            indexed = self.store.vectors.ids()
            upserts = list(dict.fromkeys([*upserts, *(live_ids - indexed)]))
            deletes = list(dict.fromkeys([*deletes, *(indexed - live_ids)]))
        if deletes:
            self.delete(deletes)
            report.deleted = len(deletes)
        report.upserted = self.embed_and_push(upserts)
        report.pending = reader.execute("SELECT count(*) FROM vector_outbox").fetchone()[0]
        return report

    def embed_and_push(
        self, ids: list[str], progress: Callable[[int, int], None] | None = None
    ) -> int:
        done = 0
        for start in range(0, len(ids), CHUNK):
            wanted = ids[start : start + CHUNK]
            chunk = self.store.get_many(wanted)
            gone = set(wanted) - {m.id for m in chunk}
            if gone:  # purged or forgotten since it was queued
                self.store.writer.write(partial(clear_outbox, ids=sorted(gone)), transaction=False)
            self.push_memories(chunk)
            done += len(chunk)
            if progress:
                progress(done, len(ids))
        return done

    def reindex(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Rebuild every vector from SQLite with the current embedder."""
        index = self.store.vectors
        self.store.writer.write(lambda db: index.rebuild_empty(), transaction=False)
        ids = [r[0] for r in self.store.reader.execute(
            "SELECT id FROM memories WHERE deleted = 0 ORDER BY seq"
        )]
        return self.embed_and_push(ids, progress)
