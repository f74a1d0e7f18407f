"""Excluded windows that are on screen WITHOUT the focus (a password manager beside the
editor, a private browser window on the other monitor) are blacked out before anything is
stored: real Xvfb, a real window manager, real Tk windows in their own processes, real
grabs, the real OCR; the data folder is then scanned byte by byte for their text.

matchbox fills the screen with every main window, so side-by-side windows are dialogs
(``free_dialogs``: placed where they ask, in a decorated frame)."""

from __future__ import annotations

import logging
import re

import pytest
from PIL import Image

from capture.frame_store import FrameStore
from capture.grabber import ScreenGrabber
from capture.visible_windows import Rect, X11VisibleWindows
from tests.capture.conftest import make_pipeline, scan_for
from tests.capture.test_xvfb_capture import similar
from tests.capture.xhelpers import Window, XServer, xvfb

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

NOTES = ["Flight LH 1234 departs Munich at 09:45", "Gate change to K17 announced"]


def client_rect(x: XServer, window: Window) -> Rect:
    """Where the window's client area is on its screen, as xwininfo reports it."""
    out = x.run("xwininfo", "-id", window.id)

    def field(name: str) -> int:
        match = re.search(rf"{name}:\s+(-?\d+)", out)
        assert match, out
        return int(match.group(1))

    return Rect(field("Absolute upper-left X"), field("Absolute upper-left Y"), field("Width"),
                field("Height"))


def darkest_inside(image: Image.Image, rect: Rect, inset: int = 3) -> int:
    """The brightest channel value inside ``rect`` (0 is black). The inset keeps WebP's
    ringing at the edge of the black box out of the measure."""
    box = (rect.left + inset, rect.top + inset, rect.right - inset, rect.bottom - inset)
    return max(high for _low, high in image.crop(box).getextrema())


def stored_image(store, frame_id: int) -> Image.Image:
    frames = FrameStore(store)
    return frames.load_image(frames.get(frame_id))


def ocr_text(store, frame_id: int) -> str:
    return store.reader.execute("SELECT ocr_text FROM frames WHERE id = ?",
                                [frame_id]).fetchone()[0]


def counters(store) -> dict[str, int]:
    return dict(store.reader.execute("SELECT name, value FROM counters").fetchall())


def nothing_on_disk(store, pipeline, needles: list[str]) -> None:
    assert pipeline.ocr.run_pending(wait=True).failed == 0
    store.writer.write(lambda db: db.execute("PRAGMA wal_checkpoint(TRUNCATE)"),
                       transaction=False)
    assert scan_for(store.data_dir, needles) == []


def close(pipeline) -> None:
    pipeline.grabber.close()
    pipeline.masker.reader.close()


@pytest.mark.parametrize(
    ("app_class", "title", "lines", "rule"),
    [
        ("keepassxc", "Passwords.kdbx - KeePassXC",
         ["Vault ZEBRAQUARTZ77", "Recovery PLUMOTTERVELVET"], "the app 'keepassxc' is excluded"),
        ("firefox", "HIDDENHOLIDAYPLANS — Mozilla Firefox Private Browsing",
         ["Gift SECRETGIFTIDEAS", "Cabin MOONLITCABIN"],
         "the window title matches the excluded pattern '(?i)private browsing'"),
    ],
    ids=["excluded-app", "private-title"],
)
def test_an_unfocused_excluded_window_beside_the_focused_one_is_blacked_out(
        store, caplog, app_class, title, lines, rule) -> None:
    caplog.set_level(logging.INFO, logger="capture")
    with xvfb([(1280, 720)], free_dialogs=True) as x:
        hidden = Window(x, title=title, lines=lines, app_class=app_class, size=22,
                        geometry="560x320+700+360", dialog=True)
        notes = Window(x, title="Travel — Notes", lines=NOTES, app_class="notesapp", size=24,
                       geometry="760x560+20+20", dialog=True)  # focused, overlaps the other
        assert x.active_window() == notes.id
        secret = client_rect(x, hidden)
        notes_area = client_rect(x, notes)
        screen = ScreenGrabber(x.display).grab_all()[0].image
        pipeline = make_pipeline(store, x.display)
        frames = pipeline.capture_once()
        close(pipeline)
    assert screen is not None and darkest_inside(screen, secret) > 200  # it IS on screen
    assert [(f.monitor, f.status, f.app, f.window_title) for f in frames] == [
        (1, "stored", "notesapp", "Travel — Notes")]
    assert counters(store) == {"captured": 1, "windows_masked": 1}

    image = stored_image(store, frames[0].id)
    # Black wherever it shows; where the focused notes window lies on top of it, the screen
    # shows the notes window, and that is kept.
    shows = Rect(notes_area.right + 40, secret.top, secret.right - notes_area.right - 40,
                 secret.height)
    assert darkest_inside(image, shows) <= 16, "the excluded window is not black"
    below = Rect(secret.left, notes_area.bottom + 40, secret.width,
                 secret.bottom - notes_area.bottom - 40)
    assert darkest_inside(image, below) <= 16
    under_notes = Rect(secret.left, secret.top, notes_area.right - secret.left,
                       notes_area.bottom - secret.top)
    assert darkest_inside(image, under_notes) > 200
    nothing_on_disk(store, pipeline, [*lines[0].split()[1:], *lines[1].split()[1:],
                                      title.split(" ")[0]])
    text = ocr_text(store, frames[0].id)
    for line in NOTES:
        assert similar(line, text) >= 0.9, (line, text)
    masking = [r.getMessage() for r in caplog.records if "masking a window" in r.getMessage()]
    assert masking == [f"capture: masking a window of {app_class!r} on monitor 1: {rule}"]


def test_an_excluded_window_on_the_second_screen_is_blacked_out_there_only(store) -> None:
    """Two monitors are two X screens here (see test_two_monitors_are_both_captured); the
    focus is on the first, the password manager sits on the second."""
    with xvfb([(1280, 720), (1024, 768)], free_dialogs=True) as x:
        editor = Window(x, title="Left — Editor", lines=["Left monitor shows the editor"],
                        screen=0)
        Window(x, title="Right — Docs", lines=["Right monitor shows the documentation"],
               screen=1)
        manager = Window(x, title="Passwords.kdbx - KeePassXC", lines=["Vault ZEBRAQUARTZ77"],
                         app_class="keepassxc", screen=1, geometry="500x300+480+420",
                         dialog=True)
        assert x.active_window(0) == editor.id
        secret = client_rect(x, manager)
        pipeline = make_pipeline(store, x.display)
        frames = pipeline.capture_once()
        close(pipeline)
    assert [(f.monitor, f.status, f.app) for f in frames] == [(1, "stored", "engramtest"),
                                                              (2, "stored", "engramtest")]
    assert counters(store)["windows_masked"] == 1
    left, right = stored_image(store, frames[0].id), stored_image(store, frames[1].id)
    assert darkest_inside(right, secret) <= 16
    assert darkest_inside(left, secret) > 200  # the same coordinates on screen 0: untouched
    nothing_on_disk(store, pipeline, ["ZEBRAQUARTZ77", "Passwords.kdbx"])
    assert similar("Left monitor shows the editor", ocr_text(store, frames[0].id)) >= 0.9
    assert similar("Right monitor shows the documentation", ocr_text(store, frames[1].id)) >= 0.9


def test_a_window_behind_others_is_masked_where_it_shows_and_hidden_ones_not_at_all(
        store) -> None:
    """A password manager fills the screen behind the focused notes: the notes are kept
    and read, the manager is black where it shows. Once minimised it masks nothing; a
    private dialog still on screen is blacked out until it is withdrawn (unmapped)."""
    with xvfb([(1024, 600)], free_dialogs=True) as x:
        Window(x, title="Files", lines=["Holiday photos"], app_class="filesapp")  # underneath
        manager = Window(x, title="Passwords.kdbx - KeePassXC", lines=["Vault ZEBRAQUARTZ77"],
                         app_class="keepassxc")  # a main window: fills the screen
        private = Window(x, title="Bank — Mozilla Firefox Private Browsing",
                         lines=["Balance MOONLITCABIN"], app_class="firefox", size=20,
                         geometry="400x200+560+340", dialog=True)
        notes = Window(x, title="Todo — Notes", lines=["Water the plants", "Pay the rent"],
                       app_class="notesapp", geometry="500x400+20+20", dialog=True)
        assert x.active_window() == notes.id
        secret = client_rect(x, private)
        notes_area = client_rect(x, notes)
        pipeline = make_pipeline(store, x.display)
        behind = pipeline.capture_once()
        manager.iconify()
        masked = pipeline.capture_once()
        private.send("withdraw")
        clear = pipeline.capture_once()
        close(pipeline)
    assert [f.status for f in behind + masked + clear] == ["stored"] * 3
    assert counters(store) == {"windows_masked": 2 + 1, "captured": 3}
    first = stored_image(store, behind[0].id)
    assert darkest_inside(first, Rect(600, 20, 400, 300)) <= 16  # the manager, beside notes
    assert darkest_inside(first, secret) <= 16
    assert darkest_inside(first, notes_area) > 200
    assert darkest_inside(stored_image(store, masked[0].id), secret) <= 16
    assert darkest_inside(stored_image(store, masked[0].id), Rect(600, 20, 400, 300)) > 200
    assert darkest_inside(stored_image(store, clear[0].id), secret) > 200
    nothing_on_disk(store, pipeline, ["ZEBRAQUARTZ77", "MOONLITCABIN", "Passwords.kdbx"])
    assert similar("Water the plants", ocr_text(store, behind[0].id)) >= 0.9
    assert similar("Water the plants", ocr_text(store, clear[0].id)) >= 0.9


def test_an_excluded_apps_pop_up_over_the_focused_window_is_blacked_out(store) -> None:
    """Menus and autofill lists are override-redirect windows the window manager does not
    list; a password manager's pop-up drawn over the focused editor is masked all the same
    (its main window is withdrawn: only the pop-up is on screen)."""
    with xvfb([(1024, 600)]) as x:
        notes = Window(x, title="Login — Notes", lines=["Sign in to the staging server"],
                       app_class="notesapp")
        manager = Window(x, title="Passwords.kdbx - KeePassXC", lines=["Vault"],
                         app_class="keepassxc", geometry="300x200+600+300")
        manager.send("popup 420x110+300+250 Autofill ZEBRAQUARTZ77")
        manager.send("withdraw")
        popup = Rect(300, 250, 420, 110)
        screen = ScreenGrabber(x.display).grab_all()[0].image
        pipeline = make_pipeline(store, x.display)
        frames = pipeline.capture_once()
        close(pipeline)
    assert notes.id and screen is not None and darkest_inside(screen, popup) > 200
    assert [(f.status, f.app) for f in frames] == [("stored", "notesapp")]
    assert counters(store) == {"captured": 1, "windows_masked": 1}
    image = stored_image(store, frames[0].id)
    assert darkest_inside(image, popup) <= 16
    assert darkest_inside(image, Rect(40, 400, 200, 150)) > 200  # the editor around it
    nothing_on_disk(store, pipeline, ["ZEBRAQUARTZ77", "Autofill"])
    assert similar("Sign in to the staging server", ocr_text(store, frames[0].id)) >= 0.9


def test_when_the_windows_on_screen_cannot_be_read_no_frame_is_kept(store, caplog) -> None:
    """Fail closed: the reader is pointed at a display that does not exist (a real, failed
    connection) while the grab works; one warning, no frame, and capture carries on."""
    with xvfb([(800, 500)]) as x:
        Window(x, title="Diary", lines=["Dear diary"], app_class="notesapp")
        pipeline = make_pipeline(store, x.display)
        pipeline.masker.reader = X11VisibleWindows(":99999")
        with caplog.at_level(logging.WARNING, logger="capture"):
            first = pipeline.capture_once()
            second = pipeline.capture_once()
            pipeline.masker.reader = X11VisibleWindows(x.display)
            back = pipeline.capture_once()
        close(pipeline)
    assert [(f.status, f.reason) for f in first + second] == [
        ("excluded", "the windows on screen could not be read")] * 2
    assert [f.status for f in back] == ["stored"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert sum("no frame is kept while the windows on screen cannot be read" in w
               for w in warnings) == 1
    assert any("can be read again" in w for w in warnings)
    assert counters(store) == {"skipped_private": 2, "captured": 1}
    assert len(list(store.data_dir.rglob("*.webp"))) == 1
