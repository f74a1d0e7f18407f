"""Read-only queries behind the desktop timeline (frames come from their owner,
:class:`capture.frame_store.FrameStore`): the frames of a time range, one frame with
its OCR text, the memories extracted from a frame, and a cheap "did anything change" marker.

The UI calls these through its ops layer (never SQLite itself); they read on the calling
thread's own connection (``store.reader``) and never write.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from capture.frame_store import FrameRow as FrameRow
from capture.frame_store import FrameStore
from memory.schema import Memory
from memory.store import MemoryStore


@dataclass(frozen=True)
class FrameDetail:
    frame: FrameRow
    ocr_text: str
    ocr_lines: list[Any]
    memories: list[Memory]


def frames_between(
    store: MemoryStore, since: str, until: str, *, app: str | None = None, limit: int = 20_000
) -> list[FrameRow]:
    """Frames captured in ``[since, until)`` (ISO UTC), oldest first, optionally of one app."""
    return FrameStore(store).between(since, until, app=app, limit=limit)


def apps_between(store: MemoryStore, since: str, until: str) -> list[str]:
    """The apps seen in a time range, in frames or episodic memories, most frequent first."""
    counts = FrameStore(store).app_counts(since, until)
    for app, n in store.reader.execute(
        "SELECT e.app, count(*) FROM episodic_memory e JOIN memories m ON m.id = e.id "
        "WHERE m.deleted = 0 AND m.event_at >= ? AND m.event_at < ? "
        "AND e.app IS NOT NULL AND e.app != '' GROUP BY e.app",
        [since, until],
    ):
        counts[app] = counts.get(app, 0) + n
    return sorted(counts, key=lambda a: (-counts[a], a.lower()))


def episodes_between(
    store: MemoryStore, since: str, until: str, *, app: str | None = None, limit: int = 5000
) -> list[Memory]:
    """Episodic memories whose event time falls in the range, oldest first."""
    memories = store.list("episodic", since=since, until=until, limit=limit)
    if app:
        wanted = app.lower()
        memories = [m for m in memories if (m.fields.get("app") or "").lower() == wanted]
    return list(reversed(memories))


def frame_detail(store: MemoryStore, frame_id: int) -> FrameDetail:
    frame = FrameStore(store).get(frame_id, with_text=True)
    lines = json.loads(frame.ocr_lines) if frame.ocr_lines else []
    return FrameDetail(frame, frame.ocr_text or "", lines, memories_from_frame(store, frame_id))


def memories_from_frame(store: MemoryStore, frame_id: int) -> list[Memory]:
    """Live memories whose provenance names this frame."""
    rows = store.reader.execute(
        "SELECT DISTINCT m.id FROM memories m, json_each(m.provenance, '$.frames') f "
        "WHERE m.deleted = 0 AND (f.value = ? OR f.value = ?) ORDER BY m.event_at",
        [frame_id, str(frame_id)],
    ).fetchall()
    return store.get_many([r[0] for r in rows])


def change_marker(store: MemoryStore) -> tuple[int, str, str]:
    """Changes when memories or frames change: (memory count incl. forgotten, newest memory
    update, newest frame update). Cheap enough to poll every second or two."""
    memories = store.reader.execute(
        "SELECT count(*), coalesce(max(updated_at), '') FROM memories"
    ).fetchone()
    return int(memories[0]), str(memories[1]), FrameStore(store).last_change()


def memories_changed_since(store: MemoryStore, since: str) -> list[tuple[str, str]]:
    """(id, type) of memories created, edited, forgotten or restored after ``since``."""
    return [
        (r[0], r[1])
        for r in store.reader.execute(
            "SELECT id, type FROM memories WHERE updated_at > ? ORDER BY updated_at LIMIT 5000",
            [since],
        )
    ]
