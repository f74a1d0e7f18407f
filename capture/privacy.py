"""The privacy gate: decides, before anything is stored, whether a frame may be kept.

Nothing is kept while capture is paused (the user's switch), while the user is idle, while
the screen is locked, or when the focused window belongs to an excluded app or has a title
matching an excluded pattern (password managers, private and incognito browser windows).
The same rules pick the visible windows without the focus that capture/window_mask.py
blacks out before a frame goes anywhere.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from capture.visible_windows import VisibleWindow
from capture.window_info import WindowInfo
from memory.errors import InvalidInput

log = logging.getLogger(__name__)

#: Screen lockers that, while running, mean the screen is locked.
LOCKER_PROCESSES = frozenset(
    {"i3lock", "slock", "xsecurelock", "swaylock", "xlock", "physlock", "betterlockscreen",
     "xtrlock", "gtklock", "hyprlock"}
)
_SCREENSAVER_ON = 1


@dataclass(frozen=True)
class PrivacyVerdict:
    """``status`` is "ok", "paused" (nothing grabbed) or "excluded" (grabbed, not kept)."""

    status: str
    reason: str

    @property
    def allowed(self) -> bool:
        return self.status == "ok"


ALLOWED = PrivacyVerdict("ok", "")


class SessionState(Protocol):
    def idle_seconds(self) -> float | None: ...

    def screen_locked(self) -> bool: ...


class _XScreenSaverInfo(ctypes.Structure):
    _fields_ = [
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),
        ("eventMask", ctypes.c_ulong),
    ]


class X11SessionState:
    """Idle time and screensaver state from the MIT-SCREEN-SAVER extension (libXss), and
    the screen lockers running on the machine.

    Each query opens and closes its own display connection, so a vanished X server gives
    "unknown" rather than a dead connection."""

    def __init__(self, display: str | None = None, *, proc_dir: Path = Path("/proc")) -> None:
        self.display = display or os.environ.get("DISPLAY")
        self.proc_dir = proc_dir
        self._lock = threading.Lock()
        self._x11, self._xss = _load_xss()
        if self._xss is None:
            log.warning("idle and screensaver detection unavailable: libXss is not installed "
                        "(Debian package libxss1)")

    def _query(self) -> tuple[int, float] | None:
        """(screensaver state, idle seconds), or None when X cannot say."""
        if self._x11 is None or self._xss is None or not self.display:
            return None
        with self._lock:
            dpy = self._x11.XOpenDisplay(self.display.encode())
            if not dpy:
                return None
            try:
                event_base, error_base = ctypes.c_int(), ctypes.c_int()
                if not self._xss.XScreenSaverQueryExtension(
                    dpy, ctypes.byref(event_base), ctypes.byref(error_base)
                ):
                    return None
                info = self._xss.XScreenSaverAllocInfo()
                if not info:
                    return None
                try:
                    root = self._x11.XDefaultRootWindow(dpy)
                    if not self._xss.XScreenSaverQueryInfo(dpy, root, info):
                        return None
                    data = ctypes.cast(info, ctypes.POINTER(_XScreenSaverInfo)).contents
                    return int(data.state), data.idle / 1000.0
                finally:
                    self._x11.XFree(info)
            finally:
                self._x11.XCloseDisplay(dpy)

    def idle_seconds(self) -> float | None:
        answer = self._query()
        return None if answer is None else answer[1]

    def screen_locked(self) -> bool:
        answer = self._query()
        if answer is not None and answer[0] == _SCREENSAVER_ON:
            return True
        return self._locker_running()

    def _locker_running(self) -> bool:
        try:
            entries = list(self.proc_dir.iterdir())
        except OSError:
            return False
        for entry in entries:
            if not entry.name.isdigit():
                continue
            try:
                name = (entry / "comm").read_text(encoding="utf-8", errors="replace").strip()
            except OSError:
                continue
            if name in LOCKER_PROCESSES:
                return True
        return False


class NoSessionState:
    """A platform without an idle or lock query: never idle, never locked."""

    def idle_seconds(self) -> float | None:
        return None

    def screen_locked(self) -> bool:
        return False


def _load_xss() -> tuple[ctypes.CDLL | None, ctypes.CDLL | None]:
    x11_name = ctypes.util.find_library("X11")
    xss_name = ctypes.util.find_library("Xss")
    if not x11_name or not xss_name:
        return None, None
    try:
        x11 = ctypes.CDLL(x11_name)
        xss = ctypes.CDLL(xss_name)
    except OSError:
        return None, None
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XDefaultRootWindow.restype = ctypes.c_ulong
    x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    x11.XFree.argtypes = [ctypes.c_void_p]
    xss.XScreenSaverQueryExtension.argtypes = [
        ctypes.c_void_p, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int)
    ]
    xss.XScreenSaverAllocInfo.restype = ctypes.c_void_p
    xss.XScreenSaverQueryInfo.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_void_p]
    return x11, xss


def session_state_for_platform(display: str | None = None) -> SessionState:
    if os.name == "posix" and (display or os.environ.get("DISPLAY")):
        return X11SessionState(display)
    return NoSessionState()


class PrivacyGate:
    """Excluded apps and titles, the pause switch, idle and lock."""

    def __init__(
        self,
        *,
        excluded_apps: list[str],
        excluded_title_patterns: list[str],
        pause_when_idle_seconds: float = 0,
        pause_when_locked: bool = True,
        session: SessionState | None = None,
    ) -> None:
        self.excluded_apps = {app.strip().lower() for app in excluded_apps if app.strip()}
        self.title_patterns = []
        for pattern in excluded_title_patterns:
            try:
                self.title_patterns.append(re.compile(pattern))
            except re.error as exc:
                raise InvalidInput(
                    f"The excluded title pattern {pattern!r} is not a valid regular "
                    f"expression ({exc}); fix it in Settings."
                ) from exc
        self.pause_when_idle_seconds = pause_when_idle_seconds
        self.pause_when_locked = pause_when_locked
        self.session = session or NoSessionState()
        self._paused = threading.Event()
        self._pause_reason = ""

    # -- the pause switch -----------------------------------------------------------------

    def pause(self, reason: str = "paused by the user") -> None:
        self._pause_reason = reason
        self._paused.set()

    def resume(self) -> None:
        self._paused.clear()

    @property
    def paused(self) -> bool:
        return self._paused.is_set()

    # -- verdicts -------------------------------------------------------------------------

    def check_session(self) -> PrivacyVerdict:
        """Before grabbing: the pause switch, idle time and the lock screen."""
        if self._paused.is_set():
            return PrivacyVerdict("paused", self._pause_reason or "paused by the user")
        if self.pause_when_locked and self.session.screen_locked():
            return PrivacyVerdict(
                "paused", "the screen is locked or blanked by the screensaver"
            )
        if self.pause_when_idle_seconds > 0:
            idle = self.session.idle_seconds()
            if idle is not None and idle >= self.pause_when_idle_seconds:
                return PrivacyVerdict(
                    "paused", f"the user has been idle for {int(idle)} s"
                )
        return ALLOWED

    def check_window(self, window: WindowInfo) -> PrivacyVerdict:
        """After grabbing, before storing: the focused window's app and title."""
        return self._verdict(window.pid, (window.app,), window.title)

    def check_visible(self, window: VisibleWindow) -> PrivacyVerdict:
        """The same rules for a window on screen without the focus, under every name its
        app goes by (process name, WM_CLASS instance and class)."""
        return self._verdict(window.pid, window.names or (window.app,), window.title)

    def _verdict(self, pid: int | None, apps: tuple[str, ...], title: str) -> PrivacyVerdict:
        """Reasons name the app and the rule, never the title (they are logged)."""
        if pid is not None and pid == os.getpid():
            return PrivacyVerdict("excluded", "it is Engram's own window")
        for app in apps:
            name = app.lower()
            if name in self.excluded_apps or os.path.basename(name) in self.excluded_apps:
                return PrivacyVerdict("excluded", f"the app {app!r} is excluded")
        for pattern in self.title_patterns:
            if pattern.search(title):
                return PrivacyVerdict(
                    "excluded", f"the window title matches the excluded pattern {pattern.pattern!r}"
                )
        return ALLOWED
