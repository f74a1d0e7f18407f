"""An app's chrome learnt from its other windows: the same sentence at the same place under
several window titles is set aside; the same words elsewhere, labels and titles that differ
only by a counter are not."""

from __future__ import annotations

import json
from typing import Any

from capture.frame_store import FrameStore
from memory.extraction import chrome
from memory.extraction.pipeline import ExtractionPipeline
from memory.extraction.worker import ExtractionWorker
from memory.schema import now_iso

BAR = "Browser update 131.0.6778.85 is ready: restart before Friday 12 June to finish it."
BAR_BOX = (8, 96, 900, 120)


def frames(*titles: str, box: tuple[int, int, int, int] = BAR_BOX,
           line: str = BAR) -> list[tuple[str, list[tuple[str, tuple[int, int, int, int]]]]]:
    return [(title, [(line, box), (f"Body text of {title} page", (40, 200, 600, 224))])
            for title in titles]


def test_a_sentence_at_one_place_under_three_other_titles_is_chrome() -> None:
    learnt = chrome.from_frames(frames("Weather - Brave", "Train times - Brave",
                                       "Recipes - Brave"), own_title="News - Brave")
    assert learnt.holds(BAR, (10, 98, 880, 121))  # OCR boxes move by a few pixels
    assert learnt.holds(BAR.replace("restart", "reboot"), BAR_BOX) is False  # other words
    assert not learnt.holds(BAR, (10, 400, 880, 424))  # the same words lower down: content
    assert not learnt.holds(BAR, None)


def test_two_titles_a_counter_or_the_own_window_are_not_enough() -> None:
    assert not chrome.from_frames(frames("Weather", "Train times")).holds(BAR, BAR_BOX)
    counters = frames("Inbox (7) - Mail", "Inbox (6) - Mail", "Inbox (5) - Mail")
    assert not chrome.from_frames(counters).holds(BAR, BAR_BOX)
    own = frames("News", "News", "News", "Weather", "Trains")
    assert not chrome.from_frames(own, own_title="News").holds(BAR, BAR_BOX)


def test_short_labels_are_never_chrome() -> None:
    learnt = chrome.from_frames(frames("A", "B", "C", "D", line="Order total"))
    assert not learnt.holds("Order total", BAR_BOX)


def _queue(store: Any, title: str, at: str, lines: list[tuple[str, list[int]]]) -> None:
    def insert(db: Any) -> None:
        db.execute(
            "INSERT INTO frames (captured_at, app, window_title, status, ocr_text, ocr_lines,"
            " updated_at) VALUES (?, 'brave', ?, 'ocr_done', ?, ?, ?)",
            [at, title, "\n".join(t for t, _ in lines),
             json.dumps([{"text": t, "box": b, "confidence": 0.9} for t, b in lines]),
             now_iso()])

    store.writer.write(insert)


def test_the_worker_sets_an_apps_bar_aside_and_keeps_the_page(store) -> None:
    pages = {
        "Weather in Porto - Brave": "Rain expected on Friday 12 June, 14 mm in the afternoon.",
        "Train times - Brave": "The 08:42 to Braga leaves from platform 3 on Monday.",
        "Market hours - Brave": "The Bolhão market opens at 08:00 on Saturday 13 June.",
        "Dentist - Brave": "Your check-up is booked for Tuesday 16 June at 10:30.",
    }
    for n, (title, body) in enumerate(pages.items()):
        _queue(store, title, f"2026-06-10T09:0{n}:00+00:00",
               [(BAR, list(BAR_BOX)), (body, [40, 200, 900, 224])])
    ExtractionWorker(FrameStore(store), ExtractionPipeline(store)).drain()
    semantic = [m.fields["summary"] for m in store.list("semantic")]
    episodes = [m.fields["summary"] for m in store.list("episodic")]
    # Each window's three others show the bar at the same place: it is set aside in all.
    assert len(episodes) == 4 and not any("131.0.6778" in s for s in episodes + semantic)
    for body in pages.values():
        assert any(body[:20] in s for s in semantic), body
