"""The geometry of masking excluded windows, the gate's rules for windows on screen, and
the readers that cannot ask X (the live X11 reader runs in test_xvfb_window_masking)."""

from __future__ import annotations

import logging
import os

import pytest
from PIL import Image

from capture.grabber import Monitor
from capture.privacy import PrivacyGate
from capture.visible_windows import (
    NoVisibleWindows,
    Rect,
    VisibleWindow,
    VisibleWindowsUnavailable,
    X11VisibleWindows,
    visible_windows_reader,
)
from capture.window_mask import (
    ExcludedWindow,
    WindowMasker,
    boxes_on_monitor,
    covers,
    paint_black,
    screen_of,
    subtract,
    uncovered,
)

LEFT = Monitor(1, ":0.0", 0, 0, 1920, 1080)
RIGHT = Monitor(2, ":0.0", 1920, 0, 1280, 1024)  # RandR: a second monitor on the same root


def gate() -> PrivacyGate:
    return PrivacyGate(excluded_apps=["keepassxc"],
                       excluded_title_patterns=[r"(?i)private browsing"])


def window(rect: Rect, *, app: str = "keepassxc", title: str = "Passwords.kdbx - KeePassXC",
           screen: int = 0, window_id: int = 0x400004, names: tuple[str, ...] | None = None,
           opaque: bool = True, stacked: bool = True) -> VisibleWindow:
    return VisibleWindow(window_id, screen, app, names or (app,), title, None, rect,
                         rect if opaque else None, stacked)


def test_rectangles_intersect_grow_and_join() -> None:
    a = Rect(10, 20, 100, 50)
    assert a.intersect(Rect(60, 40, 100, 100)) == Rect(60, 40, 50, 30)
    assert a.intersect(Rect(110, 20, 10, 10)) is None  # touching edges share no pixel
    assert a.grow(1, 2, 3, 4) == Rect(9, 17, 103, 57)
    assert a.union(Rect(0, 0, 5, 5)) == Rect(0, 0, 110, 70)


def test_a_window_partly_off_the_monitor_is_clipped() -> None:
    assert boxes_on_monitor([Rect(-50, -30, 300, 200)], LEFT) == [Rect(0, 0, 250, 170)]
    assert boxes_on_monitor([Rect(1800, 1000, 300, 200)], LEFT) == [Rect(1800, 1000, 120, 80)]


def test_a_window_on_another_monitor_lands_in_that_monitors_pixels() -> None:
    rect = Rect(2000, 100, 400, 300)
    assert boxes_on_monitor([rect], LEFT) == []
    assert boxes_on_monitor([rect], RIGHT) == [Rect(80, 100, 400, 300)]
    straddling = Rect(1800, 500, 300, 100)  # across the edge: a part on each monitor
    assert boxes_on_monitor([straddling], LEFT) == [Rect(1800, 500, 120, 100)]
    assert boxes_on_monitor([straddling], RIGHT) == [Rect(0, 500, 180, 100)]


def test_x_screens_are_told_apart_by_the_display_name() -> None:
    assert screen_of(Monitor(1, ":3.0", 0, 0, 10, 10)) == 0
    assert screen_of(Monitor(2, ":3.1", 0, 0, 10, 10)) == 1
    assert screen_of(Monitor(1, None, 0, 0, 10, 10)) == 0


def test_cover_means_every_pixel_lies_in_some_box() -> None:
    assert covers([Rect(-10, -10, 2000, 2000)], 1920, 1080)
    assert covers([Rect(0, 0, 960, 1080), Rect(960, 0, 960, 1080)], 1920, 1080)
    assert not covers([Rect(0, 0, 960, 1080), Rect(961, 0, 959, 1080)], 1920, 1080)  # a seam
    assert covers([Rect(0, 0, 1920, 600), Rect(0, 500, 1000, 580), Rect(900, 500, 1020, 580)],
                  1920, 1080)
    assert not covers([Rect(0, 0, 1920, 600), Rect(0, 500, 1000, 580)], 1920, 1080)
    assert not covers([], 10, 10)


def test_paint_black_leaves_the_rest_of_the_image_alone() -> None:
    image = Image.new("RGB", (100, 60), (250, 250, 250))
    paint_black(image, [Rect(10, 10, 30, 20)])
    assert image.crop((10, 10, 40, 30)).getextrema() == ((0, 0), (0, 0), (0, 0))
    assert image.getpixel((9, 10)) == (250, 250, 250)
    assert image.getpixel((40, 30)) == (250, 250, 250)


def test_the_masker_paints_excluded_windows_and_drops_a_covered_monitor(caplog) -> None:
    masker = WindowMasker(gate(), NoVisibleWindows())
    box = Rect(100, 100, 200, 100)
    small = ExcludedWindow(window(box), "the app 'keepassxc' is excluded", (box,))
    elsewhere = ExcludedWindow(window(box, screen=1, window_id=7), "x", (box,))
    image = Image.new("RGB", (1920, 1080), (255, 255, 255))
    caplog.set_level(logging.DEBUG, logger="capture")
    result = masker.mask(image, LEFT, [small, elsewhere])
    assert result.masked == {0x400004} and not result.covered
    assert image.crop((100, 100, 300, 200)).getextrema() == ((0, 0), (0, 0), (0, 0))
    assert image.getpixel((99, 99)) == (255, 255, 255)
    masker.mask(Image.new("RGB", (1920, 1080)), LEFT, [small])  # the same window again
    infos = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert infos == ["capture: masking a window of 'keepassxc' on monitor 1: "
                     "the app 'keepassxc' is excluded"]  # once, and without the title

    everything = Rect(-5, -30, 1930, 1115)
    full = ExcludedWindow(window(everything, window_id=9), "the rule", (everything,))
    covered = masker.mask(Image.new("RGB", (1920, 1080)), LEFT, [full])
    assert covered.covered and covered.reason == "excluded windows cover the whole monitor " \
                                                  "(the rule)"
    unknown = masker.mask(Image.new("RGB", (1920, 1080)), LEFT, None)
    assert unknown.covered and "could not be read" in unknown.reason


def test_the_gate_applies_the_focused_window_rules_to_every_visible_window() -> None:
    rules = gate()
    # A second instance of a Tk app is "keepassxc #2"; its WM_CLASS class still names it.
    second = window(Rect(0, 0, 1, 1), app="keepassxc #2", names=("keepassxc #2", "Keepassxc"))
    assert rules.check_visible(second).status == "excluded"
    private = window(Rect(0, 0, 1, 1), app="firefox", title="Bank — Firefox Private Browsing")
    verdict = rules.check_visible(private)
    assert verdict.status == "excluded" and "Bank" not in verdict.reason
    assert rules.check_visible(window(Rect(0, 0, 1, 1), app="gedit", title="notes")).allowed
    own = VisibleWindow(1, 0, "python3", ("python3",), "Engram", os.getpid(), Rect(0, 0, 1, 1))
    assert rules.check_visible(own).reason == "it is Engram's own window"


def test_without_an_x_display_there_is_no_window_list_or_a_clear_error(monkeypatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    assert isinstance(visible_windows_reader(None), NoVisibleWindows)
    assert isinstance(visible_windows_reader(":5"), X11VisibleWindows)
    assert NoVisibleWindows().read() == []
    reader = X11VisibleWindows(":99999")  # no such server: a real, failed connection
    with pytest.raises(VisibleWindowsUnavailable, match="cannot connect"):
        reader.read()
    with pytest.raises(VisibleWindowsUnavailable):
        reader.read()  # and again: no crash, no stale connection


def test_subtracting_a_hole_leaves_the_pieces_around_it() -> None:
    rect = Rect(0, 0, 100, 100)
    assert subtract(rect, Rect(200, 200, 10, 10)) == [rect]
    assert subtract(rect, Rect(-10, -10, 200, 200)) == []
    pieces = subtract(rect, Rect(40, 40, 20, 20))  # a hole in the middle: a frame of 4
    assert sum(p.width * p.height for p in pieces) == 100 * 100 - 20 * 20
    assert all(p.intersect(Rect(40, 40, 20, 20)) is None for p in pieces)
    assert uncovered(rect, [Rect(0, 0, 100, 60), Rect(0, 50, 100, 50)]) == []
    assert uncovered(rect, [Rect(0, 0, 100, 60)]) == [Rect(0, 60, 100, 40)]


class ListedWindows:
    """A reader answering a fixed window list, bottom of the stack first."""

    def __init__(self, windows: list[VisibleWindow]) -> None:
        self.windows = windows

    def read(self) -> list[VisibleWindow]:
        return self.windows

    def close(self) -> None:
        return None


def test_only_the_part_of_an_excluded_window_that_is_on_screen_is_masked() -> None:
    manager = window(Rect(0, 0, 1920, 1080), window_id=1)  # a maximised password manager
    editor = window(Rect(0, 0, 1920, 700), app="gedit", title="notes", window_id=2)
    masker = WindowMasker(gate(), ListedWindows([manager, editor]))
    [hidden] = masker.excluded()
    assert hidden.shown == (Rect(0, 700, 1920, 380),)  # the strip the editor leaves
    image = Image.new("RGB", (1920, 1080), (255, 255, 255))
    result = masker.mask(image, LEFT, [hidden])
    assert not result.covered
    assert image.getpixel((500, 500)) == (255, 255, 255)  # the editor is kept
    assert image.getpixel((500, 900)) == (0, 0, 0)

    # Entirely behind a maximised editor: nothing of it is on screen, nothing to mask.
    full_editor = window(Rect(0, 0, 1920, 1080), app="gedit", title="notes", window_id=2)
    assert WindowMasker(gate(), ListedWindows([manager, full_editor])).excluded() == []


def test_privacy_wins_where_what_is_on_screen_is_uncertain() -> None:
    manager = window(Rect(0, 0, 1920, 1080), window_id=1)
    glassy = window(Rect(0, 0, 1920, 1080), app="alacritty", title="~", window_id=2,
                    opaque=False)  # an ARGB terminal above may let it show through
    [hidden] = WindowMasker(gate(), ListedWindows([manager, glassy])).excluded()
    assert hidden.shown == (manager.rect,)
    unordered = window(Rect(0, 0, 1920, 1080), window_id=1, stacked=False)
    editor = window(Rect(0, 0, 1920, 1080), app="gedit", title="notes", window_id=2,
                    stacked=False)  # no stacking order: "after" does not mean "above"
    [hidden] = WindowMasker(gate(), ListedWindows([unordered, editor])).excluded()
    assert hidden.shown == (unordered.rect,)
    below = window(Rect(0, 0, 800, 600), app="gedit", title="notes", window_id=3)
    [hidden] = WindowMasker(gate(), ListedWindows([below, manager])).excluded()
    assert hidden.shown == (manager.rect,)  # a window below hides nothing of it
