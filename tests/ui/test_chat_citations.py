"""The chat view shows cited memories apart from related ones, and a citation opens the
exact frame with the quoted line marked. Real store, retrieval and embedder; the question
asks for a typed value, so the extractive answer needs no model."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QPushButton

from memory.schema import now_iso
from tests.ui.helpers import click, items
from ui.chat_view import ChatView
from ui.context import UiContext
from ui.frame_dialog import HIGHLIGHT_ANCHOR

LINES = ["My trips", "Flight TP1351 Porto to Lisbon", "Departure 14 May 2026 07:40",
         "Seat 14C", "Booking reference", "QX7K2M", "Total paid €139.00"]


def seed(services) -> tuple[str, str, int]:
    store = services.store

    def insert(db) -> int:
        cursor = db.execute(
            "INSERT INTO frames (captured_at, app, window_title, status, ocr_text, updated_at) "
            "VALUES (?, 'firefox', 'My trips', 'extracted', ?, ?)",
            [now_iso(), "\n".join(LINES), now_iso()])
        return int(cursor.lastrowid)

    frame = store.writer.write(insert)
    booking = store.add("episodic", {"summary": "Viewed the Lisbon flight booking in Firefox",
                                     "occurred_at": now_iso(), "app": "firefox"},
                        source="screen", provenance={"frames": [frame], "messages": []})
    hotel = store.add("episodic", {"summary": "Email: your Lisbon flight booking is confirmed; "
                                              "the booking reference follows in a separate "
                                              "email", "occurred_at": now_iso()})
    return booking.id, hotel.id, frame


def test_cited_and_related_are_apart_and_a_citation_opens_its_frame_line(
    qtbot, empty_services
) -> None:
    booking, hotel, frame = seed(empty_services)
    view = ChatView(UiContext(empty_services))
    qtbot.addWidget(view)
    view.show()
    view.model_warm = True  # no warm-up: this answer needs no model
    qtbot.waitUntil(lambda: view.history_loaded, timeout=30_000)  # no reload races the answer
    qtbot.keyClicks(view.input, "What is my booking reference for the Lisbon flight?")
    click(qtbot, view.send_button)
    qtbot.waitUntil(lambda: view.running is None, timeout=60_000)
    turn = view.current.turns[-1]
    assert turn.error is None and turn.answer.startswith("QX7K2M")
    assert turn.citations == [booking] and turn.related == [hotel]

    assert view.cited_label.text().startswith("Cited") and view.cited_label.isVisible()
    assert view.related_label.text().startswith("Related")
    related = items(view.supporting)
    assert len(related) == 1 and "is confirmed" in related[0]  # the related one only
    def shown_chips() -> list[QPushButton]:
        return [b for b in view.findChildren(QPushButton)
                if b.property("role") == "chip" and b.isVisible()]

    # Chips added to a shown layout appear on the next turn of the event loop (the ones they
    # replace are hidden at once).
    qtbot.waitUntil(lambda: any(c.text().startswith("frame ") for c in shown_chips()))
    chips = shown_chips()
    labels = [c.text() for c in chips]
    assert any("Lisbon flight booking" in t for t in labels)
    assert not any("confirmed" in t for t in labels)  # a related memory is not a citation
    [line_chip] = [c for c in chips if c.text() == f"frame {frame}, line 6"]

    click(qtbot, line_chip)
    dialog = view.last_frame_dialog
    assert dialog is not None and dialog.frame_id == frame and dialog.highlight_line == 5
    qtbot.waitUntil(lambda: dialog.detail is not None, timeout=30_000)
    shown = dialog.ocr.toHtml()
    assert f'name="{HIGHLIGHT_ANCHOR}"' in shown
    marked = "".join(re.findall(r'background-color:#ffe58a;">([^<]*)</span>', shown))
    assert marked == "QX7K2M"  # the quoted line, and only it, is marked
    dialog.close()
