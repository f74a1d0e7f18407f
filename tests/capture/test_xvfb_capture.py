"""Real capture under Xvfb: real windows (separate Tk processes) with known text, a real
EWMH window manager, mss grabs, RapidOCR. Nothing on screen is faked."""

from __future__ import annotations

import difflib
import logging

import pytest
from PIL import Image

from capture.grabber import Monitor, ScreenGrabber
from capture.pipeline import OcrWorker
from tests.capture.conftest import make_pipeline, scan_for
from tests.capture.xhelpers import Window, xvfb

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]


def similar(expected: str, text: str) -> float:
    """Best character similarity of ``expected`` to any line of ``text``."""
    return max((difflib.SequenceMatcher(None, expected, line).ratio()
                for line in text.splitlines()), default=0.0)


def frame_row(store, frame_id: int) -> dict:
    row = store.reader.execute(
        "SELECT monitor, app, window_title, status, ocr_text, image_path, width, height"
        " FROM frames WHERE id = ?", [frame_id]).fetchone()
    keys = ("monitor", "app", "window_title", "status", "ocr_text", "image_path", "width",
            "height")
    return dict(zip(keys, row, strict=True))


def ocr_all(pipeline) -> None:
    report = pipeline.ocr.run_pending(wait=True)
    assert report.failed == 0


@pytest.mark.parametrize(
    ("theme", "font", "size"),
    [("light", "DejaVu Sans", 26), ("dark", "DejaVu Serif", 22), ("dark", "DejaVu Sans Mono", 18)],
)
def test_a_real_window_is_captured_with_its_text_and_metadata(store, theme, font, size) -> None:
    lines = ["Flight LH 1234 departs Munich at 09:45", "Gate change to K17 announced",
             "Bring the passport and the blue folder"]
    with xvfb([(1280, 720)]) as x:
        Window(x, title="Travel plan — Notes", lines=lines, app_class="notesapp", theme=theme,
               font=font, size=size)
        pipeline = make_pipeline(store, x.display)
        frames = pipeline.capture_once()
        pipeline.grabber.close()
    assert [(f.monitor, f.status, f.app, f.window_title) for f in frames] == [
        (1, "stored", "notesapp", "Travel plan — Notes")]
    ocr_all(pipeline)
    row = frame_row(store, frames[0].id)
    assert row["status"] == "ocr_done" and (row["width"], row["height"]) == (1280, 720)
    for line in lines:
        assert similar(line, row["ocr_text"]) >= 0.9, (line, row["ocr_text"])
    path = store.data_dir / row["image_path"]
    with Image.open(path) as image:
        assert image.format == "WEBP" and image.size == (1280, 720)


def test_dedup_and_focus_changes_on_a_live_screen(store) -> None:
    with xvfb([(1280, 720)]) as x:
        notes = Window(x, title="Todo — Notes", lines=["Water the plants", "Pay the rent"],
                       app_class="notesapp")
        pipeline = make_pipeline(store, x.display)
        first = pipeline.capture_once()
        again = pipeline.capture_once()
        notes.send("set 1 Pay the rent and the electricity bill")
        edited = pipeline.capture_once()
        Window(x, title="Inbox — Mail", lines=["Meeting moved to Thursday"],
               app_class="mailapp")
        focused = pipeline.capture_once()
        pipeline.grabber.close()
    assert [f.status for f in first] == ["stored"]
    assert [f.status for f in again] == ["duplicate"] and "near duplicate" in again[0].reason
    assert [f.status for f in edited] == ["stored"] and "changed" in edited[0].reason
    assert [(f.status, f.app, f.window_title) for f in focused] == [
        ("stored", "mailapp", "Inbox — Mail")]
    assert "focus changed" in focused[0].reason
    counters = dict(store.reader.execute("SELECT name, value FROM counters").fetchall())
    assert counters == {"captured": 3, "skipped_duplicate": 1}


def test_two_monitors_are_both_captured(store) -> None:
    """Xvfb's Xinerama places every screen at 0,0 and its RandR cannot add monitors, so
    two monitors here are two X screens (:N.0 and :N.1), each grabbed on its own."""
    with xvfb([(1280, 720), (1024, 768)]) as x:
        Window(x, title="Left — Editor", lines=["Left monitor shows the editor"], screen=0)
        Window(x, title="Right — Docs", lines=["Right monitor shows the documentation"],
               screen=1)
        pipeline = make_pipeline(store, x.display)
        frames = pipeline.capture_once()
        pipeline.grabber.close()
    assert [(f.monitor, f.status) for f in frames] == [(1, "stored"), (2, "stored")]
    ocr_all(pipeline)
    left, right = frame_row(store, frames[0].id), frame_row(store, frames[1].id)
    assert (left["width"], left["height"], right["width"], right["height"]) == (1280, 720,
                                                                               1024, 768)
    assert similar("Left monitor shows the editor", left["ocr_text"]) >= 0.9
    assert similar("Right monitor shows the documentation", right["ocr_text"]) >= 0.9
    assert "Right monitor" not in left["ocr_text"]


def test_excluded_and_private_windows_leave_nothing_on_disk(store) -> None:
    secret_lines = ["Vault entry bank login ZEBRAQUARTZ77", "Recovery words PLUMOTTERVELVET"]
    private_lines = ["Searching for HIDDENHOLIDAYPLANS"]
    with xvfb([(1024, 600)]) as x:
        pipeline = make_pipeline(store, x.display)
        manager = Window(x, title="Passwords.kdbx - KeePassXC", lines=secret_lines,
                         app_class="keepassxc")
        excluded = pipeline.capture_once()
        manager.close()
        Window(x, title="HIDDENHOLIDAYPLANS — Mozilla Firefox Private Browsing",
               lines=private_lines, app_class="firefox")
        private = pipeline.capture_once()
        pipeline.grabber.close()
    assert [(f.status, f.id, f.window_title) for f in excluded] == [("excluded", None, None)]
    assert "keepassxc" in excluded[0].reason
    assert [(f.status, f.id) for f in private] == [("excluded", None)]
    ocr_all(pipeline)
    counters = dict(store.reader.execute("SELECT name, value FROM counters").fetchall())
    assert counters == {"skipped_private": 2}
    assert list(store.data_dir.rglob("*.webp")) == []
    needles = ["ZEBRAQUARTZ77", "PLUMOTTERVELVET", "HIDDENHOLIDAYPLANS", "Passwords.kdbx"]
    assert scan_for(store.data_dir, needles) == []


def test_pause_lock_and_idle_store_nothing(store) -> None:
    import threading

    with xvfb([(800, 600)]) as x:
        Window(x, title="Diary", lines=["Dear diary"], app_class="notesapp")
        pipeline = make_pipeline(store, x.display, pause_when_idle_seconds=1)
        x.run("xdotool", "mousemove", "5", "5")  # input: not idle
        assert [f.status for f in pipeline.capture_once()] == ["stored"]
        pipeline.gate.pause()
        paused = pipeline.capture_once()
        pipeline.gate.resume()
        x.run("xset", "s", "activate")  # the screensaver (lock) comes on
        locked = pipeline.capture_once()
        x.run("xset", "s", "reset")
        threading.Event().wait(1.3)  # no input for longer than the idle limit
        idle = pipeline.capture_once()
        pipeline.grabber.close()
    assert [(f.status, f.reason) for f in paused] == [("paused", "paused by the user")]
    assert [(f.status, f.reason) for f in locked] == [
        ("paused", "the screen is locked or blanked by the screensaver")]
    assert idle[0].status == "paused" and "idle" in idle[0].reason
    counters = dict(store.reader.execute("SELECT name, value FROM counters").fetchall())
    assert counters == {"captured": 1, "skipped_paused": 3}


def test_a_vanished_monitor_and_a_vanished_display(store, caplog) -> None:
    """A monitor unplugged between listing and grabbing (the stale list is real: a region
    the server no longer has) fails alone; when the X server dies, capture pauses with a
    log line, and resumes by itself when a display is back."""

    class StaleGrabber(ScreenGrabber):
        def monitors(self, *, refresh: bool = False) -> list[Monitor]:
            live = super().monitors(refresh=refresh)
            return [*live, Monitor(len(live) + 1, live[0].display, 4000, 0, 1920, 1080)]

    with xvfb([(800, 600)]) as x:
        Window(x, title="Plan", lines=["Quarterly plan"], app_class="notesapp")
        pipeline = make_pipeline(store, x.display)
        pipeline.grabber = StaleGrabber(x.display)
        with caplog.at_level(logging.WARNING, logger="capture"):
            partial = pipeline.capture_once()
        assert [(f.monitor, f.status) for f in partial] == [(1, "stored"), (2, "failed")]
        assert any("monitor 2 could not be grabbed" in r.getMessage() for r in caplog.records)
        pipeline.grabber = ScreenGrabber(x.display)
        display = x.display
        x.kill()
        with caplog.at_level(logging.WARNING, logger="capture"):
            gone = pipeline.capture_once()
            gone_again = pipeline.capture_once()
        assert pipeline.state.startswith("paused")
        assert any("capture paused: no monitor" in r.getMessage() for r in caplog.records)
        assert [f.status for f in gone] in ([], ["failed"]) and gone_again == []
    with xvfb([(800, 600)]) as y:
        Window(y, title="Plan", lines=["Back again"], app_class="notesapp")
        pipeline.grabber = ScreenGrabber(y.display)
        pipeline.window_reader = type(pipeline.window_reader)(y.display)
        pipeline.masker.reader = type(pipeline.masker.reader)(y.display)
        back = pipeline.capture_once()
        pipeline.grabber.close()
        pipeline.masker.reader.close()
    assert [f.status for f in back] == ["stored"] and pipeline.state == "running"
    assert display
    caplog.clear()


def test_ocr_worker_runs_beside_capture_without_blocking_it(store) -> None:
    """Capture returns while OCR is busy: the worker thread is only woken."""
    import time

    with xvfb([(1024, 600)]) as x:
        window = Window(x, title="Log", lines=["Line one of the log"], app_class="notesapp")
        pipeline = make_pipeline(store, x.display)
        pipeline.ocr.start()
        try:
            timings = []
            for line in ("Backup finished without errors", "Disk usage is at seventy percent",
                         "New invoice arrived from the printer shop"):
                window.send(f"set 0 {line}")
                started = time.perf_counter()
                assert [f.status for f in pipeline.capture_once()] == ["stored"]
                timings.append(time.perf_counter() - started)
        finally:
            pipeline.ocr.stop()
            pipeline.grabber.close()
    assert max(timings) < 1.0, timings  # OCR of one frame alone takes seconds
    assert isinstance(pipeline.ocr, OcrWorker)


def test_a_focus_change_grabs_at_once_in_the_capture_loop(store) -> None:
    """The interval is an hour: only the focus watcher can trigger the second grab."""
    import threading

    stored: list = []
    first_grab, second_grab = threading.Event(), threading.Event()

    def on_frames(frames) -> None:
        stored.extend(f for f in frames if f.status == "stored")
        if stored:
            first_grab.set()
        if len(stored) >= 2:
            second_grab.set()

    with xvfb([(800, 500)]) as x:
        Window(x, title="First", lines=["The first window"], app_class="firstapp")
        pipeline = make_pipeline(store, x.display, interval_seconds=3600)
        loop = threading.Thread(target=pipeline.run, kwargs={"with_ocr": False,
                                                             "on_frames": on_frames})
        loop.start()
        try:
            # (the second window opens once the first is grabbed: on a loaded machine the
            # loop's first grab may otherwise come after it and see no focus change)
            assert first_grab.wait(30), stored
            Window(x, title="Second", lines=["The second window"], app_class="secondapp")
            assert second_grab.wait(30), stored
        finally:
            pipeline.stop()
            loop.join()
    assert [(f.app, f.reason.split(" (")[0]) for f in stored[:2]] == [
        ("firstapp", "kept: first frame"), ("secondapp", "kept: focus changed")]


def test_a_full_frame_budget_pauses_capture_cleanly_and_it_resumes(store, caplog) -> None:
    with xvfb([(800, 500)]) as x:
        window = Window(x, title="Budget", lines=["Numbers for the budget"],
                        app_class="notesapp")
        pipeline = make_pipeline(store, x.display)
        assert [f.status for f in pipeline.capture_once()] == ["stored"]
        pipeline.frames.budget_bytes = 1  # the disk is "full": every stored frame is pending
        window.send("set 0 Numbers for the budget have changed a lot")
        with caplog.at_level(logging.WARNING, logger="capture"):
            full = pipeline.capture_once()
        assert [f.status for f in full] == ["paused"] and "budget" in full[0].reason
        assert pipeline.state.startswith("paused")
        assert any("capture paused: Frames use" in r.getMessage() for r in caplog.records)
        pipeline.frames.budget_bytes = 10**9
        with caplog.at_level(logging.WARNING, logger="capture"):
            resumed = pipeline.capture_once()
        pipeline.grabber.close()
    assert [f.status for f in resumed] == ["stored"] and pipeline.state == "running"
    assert any("capture resumed" in r.getMessage() for r in caplog.records)
    counters = dict(store.reader.execute("SELECT name, value FROM counters").fetchall())
    assert counters == {"captured": 2, "skipped_paused": 1}
    assert len(list(store.data_dir.rglob("*.webp"))) == 2
