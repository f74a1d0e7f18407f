"""Read-only queries behind the desktop timeline: the frames of a time range, one frame with
its OCR text, the memories extracted from a frame, and a cheap "did anything change" marker.

The UI calls these through its ops layer (never SQLite itself); they read on the calling
thread's own connection (``store.reader``) and never write.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from memory.errors import NotFound
from memory.schema import Memory
from memory.store import MemoryStore

_FRAME_COLUMNS = (
    "id, captured_at, monitor, app, window_title, url, width, height, image_path, "
    "image_bytes, status, error, attempts"
)


#: Frame statuses whose stored image has been through OCR and pixel redaction. Any other
#: frame's image is the raw grab: shown only blurred, and purged if its OCR fails.
REDACTED_STATUSES = ("ocr_done", "extracted")


@dataclass(frozen=True)
class Frame:
    """One captured frame as the timeline shows it. ``image`` is absolute, or None when the
    image was dropped after extraction, purged after a failed OCR, or never stored."""

    id: int
    captured_at: str
    monitor: int
    app: str | None
    window_title: str | None
    url: str | None
    width: int | None
    height: int | None
    image: Path | None
    image_bytes: int
    status: str
    error: str | None
    attempts: int

    @property
    def unredacted(self) -> bool:
        """Its image is the raw grab (OCR and redaction not done): show it only blurred."""
        return self.status not in REDACTED_STATUSES

    def missing_image_note(self, *, short: bool = False) -> str:
        """Why there is no image to show (``image`` is None), in the user's words;
        ``short`` for a thumbnail."""
        if self.status == "failed":
            if short:
                return "Image removed: OCR failed"
            reason = (self.error or "unknown error").removeprefix("OCR failed: ")
            return f"Image removed: OCR failed: {reason}"
        if self.status in REDACTED_STATUSES:
            return (self.app or "image dropped") if short else (
                "Image dropped after extraction; its text is kept.")
        return "Image missing."


@dataclass(frozen=True)
class FrameDetail:
    frame: Frame
    ocr_text: str
    ocr_lines: list[Any]
    memories: list[Memory]


def _frame(data_dir: Path, row: Any) -> Frame:
    image_path = row[8]
    image = (data_dir / image_path) if image_path else None
    if image is not None and not image.is_file():
        image = None
    return Frame(
        id=int(row[0]), captured_at=row[1], monitor=int(row[2] or 0), app=row[3],
        window_title=row[4], url=row[5], width=row[6], height=row[7], image=image,
        image_bytes=int(row[9] or 0), status=row[10], error=row[11], attempts=int(row[12] or 0),
    )


def frames_between(
    store: MemoryStore, since: str, until: str, *, app: str | None = None, limit: int = 20_000
) -> list[Frame]:
    """Frames captured in ``[since, until)`` (ISO UTC), oldest first, optionally of one app."""
    where, params = "captured_at >= ? AND captured_at < ?", [since, until]
    if app:
        where += " AND app = ? COLLATE NOCASE"
        params.append(app)
    rows = store.reader.execute(
        f"SELECT {_FRAME_COLUMNS} FROM frames WHERE {where} ORDER BY captured_at, id LIMIT ?",
        [*params, limit],
    ).fetchall()
    return [_frame(store.data_dir, r) for r in rows]


def apps_between(store: MemoryStore, since: str, until: str) -> list[str]:
    """The apps seen in a time range, in frames or episodic memories, most frequent first."""
    counts: dict[str, int] = {}
    for app, n in store.reader.execute(
        "SELECT app, count(*) FROM frames WHERE captured_at >= ? AND captured_at < ? "
        "AND app IS NOT NULL AND app != '' GROUP BY app",
        [since, until],
    ):
        counts[app] = counts.get(app, 0) + n
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
    row = store.reader.execute(
        f"SELECT {_FRAME_COLUMNS}, ocr_text, ocr_lines FROM frames WHERE id = ?", [frame_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"No frame with id {frame_id}; it may have been deleted by retention.")
    lines = json.loads(row[14]) if row[14] else []
    return FrameDetail(_frame(store.data_dir, row), row[13] or "", lines,
                       memories_from_frame(store, frame_id))


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
    frames = store.reader.execute("SELECT coalesce(max(updated_at), '') FROM frames").fetchone()
    return int(memories[0]), str(memories[1]), str(frames[0])


def memories_changed_since(store: MemoryStore, since: str) -> list[tuple[str, str]]:
    """(id, type) of memories created, edited, forgotten or restored after ``since``."""
    return [
        (r[0], r[1])
        for r in store.reader.execute(
            "SELECT id, type FROM memories WHERE updated_at > ? ORDER BY updated_at LIMIT 5000",
            [since],
        )
    ]
