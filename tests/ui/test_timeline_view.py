"""Timeline: the day grouped by hour with thumbnails and episodes, app filter, date jumps,
scrubbing, a frame full size with redacted OCR text and its memories, live refresh."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from memory.schema import to_iso
from tests.ui.helpers import click
from ui.frame_dialog import FrameDialog, ocr_html
from ui.watcher import ChangeWatcher

DEMO_HOURS = [9, 10, 11, 13, 14, 16]


def loaded(qtbot, view) -> None:
    qtbot.waitUntil(lambda: view.data is not None and view.last_load.done)


def test_day_is_grouped_by_hour_with_thumbnails_and_episodes(qtbot, window, demo) -> None:
    view = window.timeline
    loaded(qtbot, view)
    assert sorted(view.sections) == DEMO_HOURS
    assert view.summary.text() == "18 frames · 6 episodes"
    qtbot.waitUntil(lambda: view._thumbs is not None and view._thumbs.done)
    section = view.sections[13]
    assert section.strip is not None and section.strip.count() == 3
    first = section.strip.item(0)
    assert first.icon().actualSize(section.strip.iconSize()).width() > 100
    episode = section.findChild(QLabel, f"episode_{demo.episodes[3]}")
    assert episode is not None and "Q3 budget review email" in episode.text()


def test_filter_by_app_and_jump_between_days(qtbot, window) -> None:
    view = window.timeline
    loaded(qtbot, view)
    assert view.app_combo.findText("thunderbird") > 0
    view.app_combo.setFocus()
    qtbot.keyClicks(view.app_combo, "thunderbird")
    qtbot.waitUntil(lambda: sorted(view.sections) == [13])
    assert view.summary.text() == "3 frames · 1 episode"

    click(qtbot, view.prev_button)
    qtbot.waitUntil(lambda: view.data.day_start.date() == date.today() - timedelta(days=1))
    empty = view.hours_body.findChild(QLabel, "emptyDay")
    assert empty is not None and "Nothing was captured" in empty.text()
    assert view.date_edit.date().toPython() == date.today() - timedelta(days=1)

    click(qtbot, view.today_button)
    qtbot.waitUntil(lambda: view.data.day_start.date() == date.today() and bool(view.sections))
    view.app_combo.setFocus()
    qtbot.keyClick(view.app_combo, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: sorted(view.sections) == DEMO_HOURS)


def test_date_edit_jumps_to_the_typed_date(qtbot, window) -> None:
    view = window.timeline
    loaded(qtbot, view)
    target = date.today() - timedelta(days=3)
    view.date_edit.setDate(target)
    qtbot.waitUntil(lambda: view.data.day_start.date() == target)
    assert view.sections == {}


def test_scrub_through_an_hour_and_open_a_frame(qtbot, window, demo) -> None:
    view = window.timeline
    loaded(qtbot, view)
    strip = view.sections[13].strip
    rect = strip.visualItemRect(strip.item(0))
    qtbot.mouseClick(strip.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.scrubber.maximum() == 2 and view.scrubber.value() == 0
    assert "thunderbird" in view.scrub_caption.text()
    assert "frame 1 of 3" in view.scrub_caption.text()
    view.scrubber.setFocus()
    qtbot.keyClick(view.scrubber, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: "frame 2 of 3" in view.scrub_caption.text())
    qtbot.waitUntil(lambda: view.preview.pixmap() is not None
                    and not view.preview.pixmap().isNull())
    frame = view.current_frame()
    click(qtbot, view.open_button)
    qtbot.waitUntil(lambda: isinstance(window.last_frame_dialog, FrameDialog)
                    and window.last_frame_dialog.detail is not None)
    dialog = window.last_frame_dialog
    assert dialog.frame_id == frame.id
    text = dialog.ocr.toPlainText()
    assert "Decision: hiring freeze until October 1." in text
    assert "[REDACTED" not in text and "redacted api key" in text
    assert not dialog.image_label.pixmap().isNull()
    chips = lambda: [b for b in dialog.findChildren(QPushButton)  # noqa: E731
                     if b.text().startswith("episodic:") and b.isVisible()]
    qtbot.waitUntil(lambda: len(chips()) == 1)
    click(qtbot, chips()[0])
    episodes = window.memories.type_tabs["episodic"]
    qtbot.waitUntil(lambda: episodes.detail.memory_id == demo.episodes[3])
    assert window.stack.currentWidget() is window.memories


def test_ocr_text_shows_redactions_as_redacted() -> None:
    html = ocr_html("token [REDACTED:api_key] and card [REDACTED:card_number] <b>")
    assert "[REDACTED" not in html
    assert "redacted api key" in html and "redacted card number" in html
    assert "&lt;b&gt;" in html


def test_new_memories_from_the_pipeline_appear_live(qtbot, window, demo_services) -> None:
    view = window.timeline
    loaded(qtbot, view)
    watcher = ChangeWatcher(window.ctx, interval_ms=100)
    watcher.start()
    qtbot.waitUntil(lambda: watcher.marker is not None)
    when = datetime.combine(date.today(), time(18, 20)).astimezone()
    demo_services.store.add("episodic", {"summary": "Reviewed the on-call rota for December",
                                         "occurred_at": to_iso(when), "app": "firefox"},
                            source="screen")
    qtbot.waitUntil(lambda: 18 in view.sections, timeout=10_000)
    assert "on-call rota" in " ".join(
        label.text() for label in view.sections[18].findChildren(QLabel))
    watcher.stop()
