"""Shared builders for the extraction tests."""

from __future__ import annotations

import json
from typing import Any

from memory.extraction.segments import FrameText, Segment
from memory.schema import now_iso
from memory.store import MemoryStore

MAIL = """From: Alice Moreau <alice.moreau@northwind.io>
To: Sam Carter <sam.carter@example.org>
Subject: Atlas review on Thursday
Hi Sam,
Could we move the Atlas review to Thursday at 14:00 in Room Orion?
Best,
Alice Moreau
Product Lead, Northwind
Phone: +1 415 555 0134"""

SETTINGS = """API keys
Name: billing-service
Secret key: sk-proj-Xf93kLmQ2vTz81RwaPq7YbHcNd45
Created: 3 May 2026"""


def segment(text: str, *, app: str = "Thunderbird", title: str = "Atlas review - Thunderbird",
            url: str | None = None, start: str = "2026-05-12T09:00:00+00:00",
            step_s: int = 10, frames: int = 1, first_id: int = 1) -> Segment:
    from datetime import datetime, timedelta

    lines = tuple(line for line in text.splitlines() if line.strip())
    moment = datetime.fromisoformat(start)
    return Segment(frames=[
        FrameText(first_id + i, (moment + timedelta(seconds=step_s * i)).isoformat(), app,
                  title, url, text, lines)
        for i in range(frames)
    ])


def queue_frames(store: MemoryStore, seg: Segment) -> list[int]:
    """Put a segment's frames in the frames table as OCR'd (status ocr_done)."""

    def insert(db: Any) -> list[int]:
        ids = []
        for frame in seg.frames:
            cursor = db.execute(
                "INSERT INTO frames (captured_at, app, window_title, url, status, ocr_text, "
                "ocr_lines, updated_at) VALUES (?, ?, ?, ?, 'ocr_done', ?, ?, ?)",
                [frame.captured_at, frame.app, frame.window_title, frame.url, frame.text,
                 json.dumps([{"text": t, "box": [0, 0, 1, 1], "confidence": 0.9}
                             for t in frame.lines]), now_iso()],
            )
            ids.append(int(cursor.lastrowid))
        return ids

    return store.writer.write(insert)


def all_text(store: MemoryStore) -> str:
    """Every text value in the memory tables, FTS and history (vault secrets excluded)."""
    texts: list[str] = []
    for table in ("episodic_memory", "semantic_memory", "procedural_memory",
                  "resource_memory", "core_memory", "memory_history"):
        for row in store.reader.execute(f"SELECT * FROM {table}"):
            texts += [v for v in row if isinstance(v, str)]
    for row in store.reader.execute("SELECT caption, source FROM vault_memory"):
        texts += [v for v in row if isinstance(v, str)]
    texts += [r[0] for r in store.reader.execute("SELECT text FROM memory_fts")]
    return "\n".join(texts)
