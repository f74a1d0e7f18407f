"""Row-level helpers shared by the store and the archive merge: how a memory maps to SQL
rows, how it is read back, and how history is appended. Every function takes the ``db`` of
the task it runs in (the writer's, inside its transaction, or a reader's)."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from memory.schema import Memory, field_names, normalise_provenance, now_iso, type_table

COMMON_COLUMNS = (
    "id, type, created_at, updated_at, source, provenance, confidence, strength, "
    "last_accessed_at, access_count, pinned, tree_path, version, deleted, event_at, seq"
)


@dataclass(frozen=True)
class Link:
    src_id: str
    dst_id: str
    kind: str
    score: float
    created_at: str


@dataclass(frozen=True)
class HistoryEntry:
    seq: int
    memory_id: str
    op: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None
    at: str


def quote(name: str) -> str:
    return f'"{name}"'


def to_sql(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return json.dumps(list(value), ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


def seq_of(db: Database, memory_id: str) -> int | None:
    row = db.execute("SELECT seq FROM memories WHERE id = ?", [memory_id]).fetchone()
    return None if row is None else int(row[0])


def row_to_memory(row: Sequence[Any]) -> Memory:
    """A ``SELECT COMMON_COLUMNS`` row as a Memory with empty fields."""
    return Memory(
        id=row[0],
        type=row[1],
        created_at=row[2],
        updated_at=row[3],
        source=row[4],
        provenance=normalise_provenance(json.loads(row[5])),
        confidence=row[6],
        strength=row[7],
        last_accessed_at=row[8],
        access_count=row[9],
        pinned=bool(row[10]),
        tree_path=row[11],
        version=row[12],
        deleted=bool(row[13]),
        event_at=row[14],
    )


def snapshot(db: Database, memory_id: str) -> dict[str, Any] | None:
    """The memory as a JSON-able dict for history; a vault secret stays encrypted
    (``"enc:" + base64 ciphertext``)."""
    rows = db.execute(f"SELECT {COMMON_COLUMNS} FROM memories WHERE id = ?", [memory_id]).fetchall()
    if not rows:
        return None
    memory = row_to_memory(rows[0])
    names = field_names(memory.type)
    frow = db.execute(
        f"SELECT {', '.join(map(quote, names))} FROM {type_table(memory.type)} WHERE id = ?",
        [memory_id],
    ).fetchone()
    values = dict(zip(names, frow, strict=True)) if frow else {}
    if memory.type == "procedural" and values:
        values["steps"] = json.loads(values["steps"] or "[]")
    if memory.type == "vault" and values.get("secret_value"):
        values["secret_value"] = "enc:" + base64.b64encode(values["secret_value"]).decode()
    memory.fields = values
    return memory.to_dict()


def append_history(
    db: Database,
    memory_id: str,
    op: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    reason: str | None,
) -> None:
    db.execute(
        "INSERT INTO memory_history (memory_id, op, before, after, reason, at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            memory_id,
            op,
            None if before is None else json.dumps(before, ensure_ascii=False),
            None if after is None else json.dumps(after, ensure_ascii=False),
            reason,
            now_iso(),
        ],
    )
