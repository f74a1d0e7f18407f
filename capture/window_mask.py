"""Blacks out, in each monitor's grab, every visible window the privacy gate excludes
(password managers, private browser windows, Engram's own windows) even when it does not
have the focus, before the image reaches dedup, OCR or the disk.

What is painted is what of the window is on screen: its frame minus the parts opaque
windows stacked above it hide (those show the other window, not this one). Privacy comes
first wherever that is uncertain: a window above that may be translucent hides nothing, and
when the window list has no stacking order the whole frame is painted. A monitor that
excluded windows cover entirely keeps no frame at all.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from PIL import Image

from capture.grabber import Monitor
from capture.privacy import PrivacyGate
from capture.visible_windows import (
    Rect,
    VisibleWindow,
    VisibleWindowsReader,
    VisibleWindowsUnavailable,
)

log = logging.getLogger(__name__)

_SCREEN = re.compile(r":\d+\.(\d+)$")


@dataclass(frozen=True)
class ExcludedWindow:
    """A visible window the gate excludes, with the rule that excluded it (no title), and
    the parts of it that are on screen (root coordinates)."""

    window: VisibleWindow
    reason: str
    shown: tuple[Rect, ...] = ()


@dataclass(frozen=True)
class MaskResult:
    masked: frozenset[int]  # the window ids painted on this monitor
    covered: bool  # nothing of the monitor is left to keep
    reason: str = ""


def screen_of(monitor: Monitor) -> int:
    """The X screen a monitor is on (``:0.1`` is screen 1); 0 when its display names none."""
    match = _SCREEN.search(monitor.display or "")
    return int(match.group(1)) if match else 0


def boxes_on_monitor(rects: Iterable[Rect], monitor: Monitor) -> list[Rect]:
    """Each rectangle (root coordinates) clipped to the monitor, in the monitor's pixels."""
    area = Rect(monitor.left, monitor.top, monitor.width, monitor.height)
    boxes = []
    for rect in rects:
        clipped = rect.intersect(area)
        if clipped is not None:
            boxes.append(Rect(clipped.left - monitor.left, clipped.top - monitor.top,
                              clipped.width, clipped.height))
    return boxes


def covers(boxes: list[Rect], width: int, height: int) -> bool:
    """Whether the boxes together cover all of a ``width`` x ``height`` area (each cell of
    the grid their edges make must lie in some box)."""
    area = Rect(0, 0, width, height)
    clipped = [c for c in (box.intersect(area) for box in boxes) if c is not None]
    if not clipped:
        return False
    xs = sorted({0, width, *(b.left for b in clipped), *(b.right for b in clipped)})
    ys = sorted({0, height, *(b.top for b in clipped), *(b.bottom for b in clipped)})
    for left, right in zip(xs, xs[1:], strict=False):
        for top, bottom in zip(ys, ys[1:], strict=False):
            if not any(b.left <= left and right <= b.right and b.top <= top and bottom <= b.bottom
                       for b in clipped):
                return False
    return True


def subtract(rect: Rect, hole: Rect) -> list[Rect]:
    """``rect`` without ``hole``: up to four rectangles."""
    cut = rect.intersect(hole)
    if cut is None:
        return [rect]
    pieces = []
    if cut.top > rect.top:
        pieces.append(Rect(rect.left, rect.top, rect.width, cut.top - rect.top))
    if cut.bottom < rect.bottom:
        pieces.append(Rect(rect.left, cut.bottom, rect.width, rect.bottom - cut.bottom))
    if cut.left > rect.left:
        pieces.append(Rect(rect.left, cut.top, cut.left - rect.left, cut.height))
    if cut.right < rect.right:
        pieces.append(Rect(cut.right, cut.top, rect.right - cut.right, cut.height))
    return pieces


def uncovered(rect: Rect, above: Iterable[Rect]) -> list[Rect]:
    """The parts of ``rect`` that none of the ``above`` rectangles hide."""
    pieces = [rect]
    for hole in above:
        pieces = [part for piece in pieces for part in subtract(piece, hole)]
        if not pieces:
            break
    return pieces


def shown_parts(windows: list[VisibleWindow], index: int) -> list[Rect]:
    """What of ``windows[index]`` is on screen: its frame minus what the opaque windows
    stacked above it on its screen hide; its whole frame when the order is unknown."""
    window = windows[index]
    if not window.stacked:
        return [window.rect]
    above = [w.cover for w in windows[index + 1:]
             if w.screen == window.screen and w.cover is not None]
    return uncovered(window.rect, above)


def paint_black(image: Image.Image, boxes: list[Rect]) -> None:
    for box in boxes:
        image.paste((0, 0, 0), (box.left, box.top, box.right, box.bottom))


class WindowMasker:
    """Asks which windows are on screen, which of them the gate excludes, and paints them."""

    def __init__(self, gate: PrivacyGate, reader: VisibleWindowsReader) -> None:
        self.gate = gate
        self.reader = reader
        self._announced: dict[int, str] = {}  # window id -> the reason logged at INFO
        self._failing = False

    def excluded(self) -> list[ExcludedWindow]:
        """The visible windows to hide; raises VisibleWindowsUnavailable when X cannot say."""
        found = []
        windows = self.reader.read()
        for index, window in enumerate(windows):
            verdict = self.gate.check_visible(window)
            if verdict.allowed:
                continue
            shown = shown_parts(windows, index)
            if shown:
                found.append(ExcludedWindow(window, verdict.reason, tuple(shown)))
            else:
                log.debug("capture: window %#x (%s) is excluded but entirely hidden by the "
                          "windows above it", window.window_id, window.app)
        return found

    def hidden(self) -> list[ExcludedWindow] | None:
        """:meth:`excluded`, or None when X cannot say (then no frame is kept: privacy
        fails closed), with one warning until it can say again."""
        try:
            found = self.excluded()
        except VisibleWindowsUnavailable as exc:
            if not self._failing:
                log.warning("capture: no frame is kept while the windows on screen cannot be "
                            "read: %s", exc.text())
                self._failing = True
            return None
        if self._failing:
            log.warning("capture: the windows on screen can be read again")
            self._failing = False
        for window_id in set(self._announced) - {item.window.window_id for item in found}:
            del self._announced[window_id]  # it logs again if it comes back
        return found

    def mask(self, image: Image.Image, monitor: Monitor, hidden: list[ExcludedWindow] | None
             ) -> MaskResult:
        """Paint the excluded windows on ``monitor`` black in its grab ``image`` (the same
        window may come twice, read before and after the grab: both rectangles are
        painted). ``hidden`` None (unknown) or windows covering the whole monitor give a
        ``covered`` result: the grab must be dropped."""
        if hidden is None:
            return MaskResult(frozenset(), True, "the windows on screen could not be read")
        screen = screen_of(monitor)
        boxes: list[Rect] = []
        masked: set[int] = set()
        reasons: list[str] = []
        for item in hidden:
            if item.window.screen != screen:
                continue
            on_monitor = boxes_on_monitor(item.shown, monitor)
            if not on_monitor:
                continue
            boxes += on_monitor
            if item.window.window_id not in masked:
                masked.add(item.window.window_id)
                reasons.append(item.reason)
                self._announce(item, monitor)
        if not boxes:
            return MaskResult(frozenset(), False)
        if covers(boxes, image.width, image.height):
            return MaskResult(frozenset(masked), True,
                              f"excluded windows cover the whole monitor ({reasons[0]})")
        paint_black(image, boxes)
        return MaskResult(frozenset(masked), False)

    def _announce(self, item: ExcludedWindow, monitor: Monitor) -> None:
        """One INFO line when a window starts being masked (or for another rule); DEBUG on
        every later grab. The app and the rule are named, never the title."""
        window = item.window
        if self._announced.get(window.window_id) == item.reason:
            log.debug("capture: masked window %#x (%s) on monitor %d", window.window_id,
                      window.app, monitor.number)
            return
        self._announced[window.window_id] = item.reason
        log.info("capture: masking a window of %r on monitor %d: %s", window.app,
                 monitor.number, item.reason)
