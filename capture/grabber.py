"""Screen grabs with mss: every monitor, on an interval, and at once when the focused
window changes.

On X11 each screen of the display (``:0.0``, ``:0.1``...) is opened and each of its
monitors grabbed, numbered 1, 2... across screens. The monitor list is read again after
any failure and every ``refresh_seconds``, so a monitor that is unplugged gives one
failed grab and then drops out, and one that is plugged in joins.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

from PIL import Image

from capture.window_info import WindowInfoReader
from memory.schema import now_iso

log = logging.getLogger(__name__)

MAX_SCREENS = 8


@dataclass(frozen=True)
class Monitor:
    number: int  # 1-based, across every screen
    display: str | None
    left: int
    top: int
    width: int
    height: int


@dataclass
class Grab:
    """One monitor's grab: an RGB image, or the error that prevented it."""

    monitor: Monitor
    captured_at: str
    image: Image.Image | None = None
    error: str | None = None


def _screen_displays(display: str | None) -> list[str | None]:
    """The X display names of every screen of ``display`` to try, in order."""
    if not display or not sys.platform.startswith("linux"):
        return [display]
    match = re.fullmatch(r"(?P<base>[^:]*:\d+)(?:\.(?P<screen>\d+))?", display)
    if not match:
        return [display]
    return [f"{match.group('base')}.{index}" for index in range(MAX_SCREENS)]


class ScreenGrabber:
    """Grabs every monitor (or the ``only`` numbers). Not thread-safe: one capture thread."""

    def __init__(
        self,
        display: str | None = None,
        *,
        only: list[int] | None = None,
        refresh_seconds: float = 30.0,
    ) -> None:
        self.display = display if display is not None else os.environ.get("DISPLAY")
        self.only = set(only or [])
        self.refresh_seconds = refresh_seconds
        self._shooters: dict[str | None, Any] = {}
        self._monitors: list[Monitor] = []
        self._read_at = 0.0

    def _open(self, display: str | None) -> Any:
        import mss

        shooter = self._shooters.get(display)
        if shooter is None:
            shooter = mss.MSS(display=display) if display else mss.MSS()
            self._shooters[display] = shooter
        return shooter

    def _close_all(self) -> None:
        for shooter in self._shooters.values():
            try:
                shooter.close()
            except Exception as exc:  # noqa: BLE001 - a dead connection may fail to close
                log.debug("closing a screen connection: %s", exc)
        self._shooters.clear()

    def monitors(self, *, refresh: bool = False) -> list[Monitor]:
        """The monitors to grab; re-read when asked, after a failure, or periodically."""
        if not refresh and self._monitors and time.monotonic() - self._read_at < self.refresh_seconds:
            return self._monitors
        from mss.exception import ScreenShotError

        self._close_all()
        found: list[Monitor] = []
        for index, display in enumerate(_screen_displays(self.display)):
            try:
                shooter = self._open(display)
                listed = shooter.monitors
            except (ScreenShotError, AssertionError) as exc:
                if index == 0:
                    log.warning("capture: cannot open the display %s: %s", display, exc)
                break
            for item in listed[1:] or listed[:1]:
                found.append(Monitor(len(found) + 1, display, int(item["left"]), int(item["top"]),
                                     int(item["width"]), int(item["height"])))
        previous = {m.number for m in self._monitors}
        current = {m.number for m in found}
        if previous and previous != current:
            log.warning("capture: monitors changed from %s to %s", sorted(previous),
                        sorted(current))
        self._monitors = [m for m in found if not self.only or m.number in self.only]
        if self.only and not self._monitors and found:
            log.warning("capture: none of the chosen monitors %s is connected (there are %s)",
                        sorted(self.only), [m.number for m in found])
        self._read_at = time.monotonic()
        return self._monitors

    def grab(self, monitor: Monitor) -> Grab:
        from mss.exception import ScreenShotError

        captured_at = now_iso()
        try:
            shooter = self._open(monitor.display)
            shot = shooter.grab({"left": monitor.left, "top": monitor.top,
                                 "width": monitor.width, "height": monitor.height})
            image = Image.frombytes("RGB", shot.size, shot.bgra, "raw", "BGRX")
        except (ScreenShotError, OSError, ValueError, AssertionError) as exc:
            # mss asserts on a reply that never came when the X connection died.
            return Grab(monitor, captured_at,
                        error=f"{type(exc).__name__}: {str(exc) or 'the display connection was lost'}")
        if image.width == 0 or image.height == 0:
            return Grab(monitor, captured_at, error="the grab has zero size")
        return Grab(monitor, captured_at, image=image)

    def grab_all(self) -> list[Grab]:
        """Grab every monitor; a failed grab makes the next call re-read the monitors."""
        grabs = [self.grab(monitor) for monitor in self.monitors()]
        if any(g.error for g in grabs):
            self._read_at = 0.0
            self._close_all()
        return grabs

    def close(self) -> None:
        self._close_all()


class FocusWatcher:
    """Polls the focused window and sets ``changed`` when it changes, so the capture loop
    grabs at once instead of waiting for the next interval."""

    def __init__(self, reader: WindowInfoReader, *, poll_seconds: float = 0.3) -> None:
        self.reader = reader
        self.poll_seconds = poll_seconds
        self.changed = threading.Event()
        self.current: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.current = self.reader.active_window_id()
        self._thread = threading.Thread(target=self._run, name="engram-focus", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.poll_seconds):
            window_id = self.reader.active_window_id()
            if window_id != self.current:
                self.current = window_id
                self.changed.set()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
