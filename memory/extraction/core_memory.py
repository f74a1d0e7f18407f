"""Core memory: the ``human`` block (what Engram knows about its user) and the ``persona``
block (how it should behave), always in the chat prompt, so each stays within its
character limit. New notes are appended as lines; when a block passes 80% of its limit it
is condensed: repeated notes go, then the oldest lines, until it is under 60%."""

from __future__ import annotations

from collections.abc import Sequence

from memory.extraction.grounding import normalise
from memory.schema import CORE_DEFAULT_LIMIT, Memory
from memory.store import MemoryStore

HUMAN = "human"
PERSONA = "persona"
DEFAULT_PERSONA = (
    "Engram: a private assistant that answers from the user's own memories, cites them, "
    "and says so when it does not know."
)
CONDENSE_AT = 0.8
CONDENSE_TO = 0.6


def block(store: MemoryStore, label: str) -> Memory | None:
    row = store.reader.execute(
        "SELECT c.id FROM core_memory c JOIN memories m ON m.id = c.id "
        "WHERE c.label = ? AND m.deleted = 0",
        [label],
    ).fetchone()
    return None if row is None else store.get(row[0])


def ensure_blocks(store: MemoryStore, *, limit: int = CORE_DEFAULT_LIMIT) -> dict[str, Memory]:
    """The human and persona blocks, created (empty / default) when missing."""
    out: dict[str, Memory] = {}
    for label, value in ((HUMAN, ""), (PERSONA, DEFAULT_PERSONA)):
        existing = block(store, label)
        out[label] = existing or store.add(
            "core", {"label": label, "value": value, "limit": limit}, source="manual",
            pinned=True, tree_path="core",
        )
    return out


def condense(lines: Sequence[str], limit: int) -> list[str]:
    """Drop repeated notes (keeping the newest), then the oldest, until the block fits in
    ``CONDENSE_TO`` of its limit."""
    newest_first: list[str] = []
    seen: set[str] = set()
    for line in reversed(lines):
        key = normalise(line).strip(" .")
        if key and not any(key in other for other in seen):
            seen.add(key)
            newest_first.append(line)
    kept = list(reversed(newest_first))
    budget = int(limit * CONDENSE_TO)
    while kept and len("\n".join(kept)) > budget:
        kept.pop(0)
    return kept


def add_notes(store: MemoryStore, label: str, notes: Sequence[str], *, reason: str) -> int:
    """Append new notes to a block; returns how many were new. Condenses when near full."""
    current = ensure_blocks(store)[label] if label in (HUMAN, PERSONA) else block(store, label)
    if current is None:
        return 0
    limit = int(current.fields["limit"])
    lines = [line for line in (current.fields.get("value") or "").splitlines() if line.strip()]
    known = {normalise(line).strip(" .") for line in lines}
    fresh = []
    for note in notes:
        key = normalise(note).strip(" .")
        if key and key not in known and len(note) < limit // 4:
            known.add(key)
            fresh.append(note.strip())
    if not fresh:
        return 0
    lines += fresh
    value = "\n".join(lines)
    if len(value) > limit * CONDENSE_AT:
        value = "\n".join(condense(lines, limit))
        reason += "; condensed to stay within its limit"
    store.update(current.id, {"value": value}, reason=reason)
    return len(fresh)
