"""Memory strength: an Ebbinghaus forgetting curve, MemoryBank-style. Retention is
``exp(-t / S)`` where ``t`` is the time since the memory was last reinforced or used and the
stability ``S`` grows with every reinforcement or access. Pinned, core and vault memories
never decay."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from memory.schema import parse_iso
from memory.store import MemoryStore

#: Days a memory seen once keeps ~37% (1/e) of its strength.
BASE_STABILITY_DAYS = 7.0
#: Strength under which a memory is said to fade (hidden from default ranking by retrieval).
FADE_THRESHOLD = 0.2
NEVER_DECAY_TYPES = ("core", "vault")


@dataclass(frozen=True)
class Retention:
    memory_id: str
    type: str
    summary: str
    current: float
    retention: float

    @property
    def fades(self) -> bool:
        return self.retention < FADE_THRESHOLD


def stability_days(access_count: int) -> float:
    """Each reinforcement or access adds a base stability (MemoryBank's S += 1)."""
    return BASE_STABILITY_DAYS * (1 + max(0, access_count))


def retention(*, last_seen: datetime, access_count: int, now: datetime, pinned: bool = False,
              memory_type: str = "episodic") -> float:
    if pinned or memory_type in NEVER_DECAY_TYPES:
        return 1.0
    days = max(0.0, (now - last_seen).total_seconds() / 86400)
    return math.exp(-days / stability_days(access_count))


def plan(store: MemoryStore, now: datetime) -> list[Retention]:
    """Every live memory whose strength would change, with its new retention."""
    rows = store.reader.execute(
        "SELECT id, type, strength, coalesce(last_accessed_at, updated_at), access_count, pinned "
        "FROM memories WHERE deleted = 0"
    ).fetchall()
    out: list[Retention] = []
    changed: dict[str, float] = {}
    for memory_id, memory_type, strength, last_seen, access_count, pinned in rows:
        value = round(retention(last_seen=parse_iso(last_seen), access_count=access_count,
                                now=now, pinned=bool(pinned), memory_type=memory_type), 4)
        if abs(value - strength) >= 0.0001:
            changed[memory_id] = value
    summaries = {m.id: m for m in store.get_many(list(changed))}
    for memory_id, value in changed.items():
        memory = summaries[memory_id]
        out.append(Retention(memory_id, memory.type, memory.summary, memory.strength, value))
    return sorted(out, key=lambda r: r.retention)


def apply(store: MemoryStore, changes: list[Retention]) -> int:
    """Write the new strengths (one transaction; not a content change, so no new version)."""
    if not changes:
        return 0

    def write(db: Database) -> None:
        db.conn.executemany(
            "UPDATE memories SET strength = ? WHERE id = ?",
            [(r.retention, r.memory_id) for r in changes],
        )

    store.writer.write(write)
    return len(changes)
