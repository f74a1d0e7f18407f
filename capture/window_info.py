"""Which window has the focus: its app (process name), title and, for a browser that shows
it, the URL.

On X11 this reads the window manager's EWMH properties with ``xprop`` (x11-utils):
``_NET_ACTIVE_WINDOW`` on the root window, then ``_NET_WM_PID``, ``WM_CLASS`` and
``_NET_WM_NAME`` of that window. On Windows it asks user32; on macOS, System Events. Any
platform or failure that cannot say gives ``"unknown"`` rather than an exception: capture
must carry on without metadata.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)

UNKNOWN = "unknown"
XPROP_TIMEOUT_SECONDS = 2.0

_URL = re.compile(r"\bhttps?://[^\s\"'<>]+|\bwww\.[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/[^\s\"'<>]*)?",
                  re.IGNORECASE)
_BARE_DOMAIN = re.compile(
    r"\b(?:[a-z0-9-]+\.)+(?:com|org|net|io|dev|app|edu|gov|co|de|fr|uk|ai)(?:/[^\s\"'<>]*)?\b",
    re.IGNORECASE,
)
BROWSERS = ("firefox", "chrome", "chromium", "brave", "vivaldi", "opera", "epiphany", "qutebrowser",
            "msedge", "librewolf", "safari", "falkon", "midori")


@dataclass(frozen=True)
class WindowInfo:
    """The focused window. ``window_id`` tells focus changes apart (None when unknown)."""

    window_id: str | None
    app: str
    title: str
    url: str | None = None
    pid: int | None = None

    @property
    def known(self) -> bool:
        return self.window_id is not None


UNKNOWN_WINDOW = WindowInfo(None, UNKNOWN, UNKNOWN, None)


class WindowInfoReader(Protocol):
    def active_window_id(self) -> str | None: ...

    def read(self) -> WindowInfo: ...


def url_from_title(app: str, title: str) -> str | None:
    """A URL the title shows: an explicit ``http(s)://`` or ``www.`` address anywhere, or a
    bare domain when the app is a browser."""
    match = _URL.search(title)
    if match:
        return match.group(0).rstrip(".,);]")
    if any(name in app.lower() for name in BROWSERS):
        match = _BARE_DOMAIN.search(title)
        if match:
            return match.group(0).rstrip(".,);]")
    return None


def process_name(pid: int) -> str | None:
    """The process's command name (Linux ``/proc``), else None."""
    try:
        return Path(f"/proc/{pid}/comm").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None


class X11WindowInfo:
    """EWMH through ``xprop``; works with any window manager that publishes
    ``_NET_ACTIVE_WINDOW`` (all common desktops do)."""

    def __init__(self, display: str | None = None) -> None:
        self.display = display or os.environ.get("DISPLAY")
        self._xprop = shutil.which("xprop")
        self._warned = False
        #: The focus poll (several times a second) asks over one xcb connection: starting
        #: ``xprop`` each time forked the whole app and cost most of its idle CPU.
        self._xcb: Any = None
        self._xcb_failed = False
        self._xcb_lock = threading.Lock()

    def _active_over_xcb(self) -> tuple[bool, str | None]:
        """(answered, window id) from ``_NET_ACTIVE_WINDOW`` over xcb; (False, None)
        when xcb cannot be used, so ``xprop`` answers instead."""
        from capture.xcb import ATOM_WINDOW, Connection, XcbUnavailable

        if self._xcb_failed or not self.display:
            return False, None
        with self._xcb_lock:
            try:
                if self._xcb is None:
                    self._xcb = Connection(self.display, ("_NET_ACTIVE_WINDOW",))
                conn = self._xcb
                prop = conn.property_of(conn.get_property(
                    conn.roots[0], conn.atoms["_NET_ACTIVE_WINDOW"], ATOM_WINDOW, 1))
                conn.check()
            except XcbUnavailable as exc:
                log.debug("xcb unavailable for the focus poll: %s", exc.text())
                if self._xcb is not None:
                    self._xcb.close()
                self._xcb, self._xcb_failed = None, True
                return False, None
        values = prop.cardinals() if prop is not None else []
        return True, (f"0x{values[0]:x}" if values and values[0] else None)

    def _run(self, *args: str) -> str | None:
        if self._xprop is None or not self.display:
            if not self._warned:
                log.warning("window metadata unavailable: %s",
                            "xprop is not installed (Debian package x11-utils)"
                            if self._xprop is None else "no X display")
                self._warned = True
            return None
        try:
            done = subprocess.run(
                [self._xprop, "-display", self.display, *args],
                capture_output=True, timeout=XPROP_TIMEOUT_SECONDS, check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.debug("xprop failed: %s", exc)
            return None
        if done.returncode != 0:
            return None
        return done.stdout.decode("utf-8", errors="replace")

    def active_window_id(self) -> str | None:
        answered, window_id = self._active_over_xcb()
        if answered:
            return window_id
        out = self._run("-root", "-notype", "_NET_ACTIVE_WINDOW")
        if not out:
            return None
        match = re.search(r"window id # (0x[0-9a-f]+)", out, re.IGNORECASE)
        if not match or int(match.group(1), 16) == 0:
            return None
        return match.group(1)

    def read(self) -> WindowInfo:
        window_id = self.active_window_id()
        if window_id is None:
            return UNKNOWN_WINDOW
        out = self._run("-id", window_id, "-notype", "_NET_WM_PID", "WM_CLASS", "_NET_WM_NAME",
                        "WM_NAME")
        if out is None:
            return WindowInfo(window_id, UNKNOWN, UNKNOWN, None)
        props = _parse_xprop(out)
        app = None
        pid = props.get("_NET_WM_PID", "")
        if pid.isdigit():
            app = process_name(int(pid))
        if not app:
            classes = _xprop_strings(props.get("WM_CLASS", ""))
            app = classes[0] if classes else None
        titles = _xprop_strings(props.get("_NET_WM_NAME", "")) or _xprop_strings(
            props.get("WM_NAME", "")
        )
        title = titles[0] if titles else ""
        app = app or UNKNOWN
        return WindowInfo(window_id, app, title, url_from_title(app, title),
                          int(pid) if pid.isdigit() else None)


def _parse_xprop(out: str) -> dict[str, str]:
    props: dict[str, str] = {}
    for line in out.splitlines():
        name, sep, value = line.partition(" = ")
        if not sep:
            name, sep, value = line.partition(":")
            if "not found" in value or "no such atom" in value:
                continue
        if sep:
            props[name.strip()] = value.strip()
    return props


def _xprop_strings(value: str) -> list[str]:
    r"""The quoted strings of an xprop value, unescaped (``"a \"b\""`` -> ``a "b"``)."""
    strings = []
    for raw in re.findall(r'"((?:[^"\\]|\\.)*)"', value):
        strings.append(re.sub(r"\\(.)", r"\1", raw))
    return strings


class WindowsWindowInfo:
    """The foreground window through user32 (title and process id; app from the title's
    last segment when the process name cannot be read without extra packages)."""

    def active_window_id(self) -> str | None:
        try:
            import ctypes

            hwnd = ctypes.windll.user32.GetForegroundWindow()  # type: ignore[attr-defined]
        except (AttributeError, OSError):
            return None
        return hex(hwnd) if hwnd else None

    def read(self) -> WindowInfo:
        try:
            import ctypes

            user32 = ctypes.windll.user32  # type: ignore[attr-defined]
            hwnd = user32.GetForegroundWindow()
            if not hwnd:
                return UNKNOWN_WINDOW
            length = user32.GetWindowTextLengthW(hwnd)
            buffer = ctypes.create_unicode_buffer(length + 1)
            user32.GetWindowTextW(hwnd, buffer, length + 1)
            title = buffer.value
        except (AttributeError, OSError):
            return UNKNOWN_WINDOW
        app = title.rsplit(" - ", 1)[-1].strip() if " - " in title else UNKNOWN
        return WindowInfo(hex(hwnd), app or UNKNOWN, title, url_from_title(app, title))


class MacWindowInfo:
    """The frontmost app through System Events (needs the Accessibility permission; without
    it the answer is unknown)."""

    SCRIPT = (
        'tell application "System Events"\n'
        "set p to first application process whose frontmost is true\n"
        "set t to \"\"\n"
        "try\n set t to name of front window of p\nend try\n"
        'return (name of p) & "\\n" & t\n'
        "end tell"
    )

    def read(self) -> WindowInfo:
        try:
            done = subprocess.run(["osascript", "-e", self.SCRIPT], capture_output=True,
                                  timeout=XPROP_TIMEOUT_SECONDS, check=False, text=True)
        except (OSError, subprocess.TimeoutExpired):
            return UNKNOWN_WINDOW
        if done.returncode != 0:
            return UNKNOWN_WINDOW
        app, _, title = done.stdout.rstrip("\n").partition("\n")
        app = app.strip() or UNKNOWN
        return WindowInfo(f"{app}\n{title}", app, title, url_from_title(app, title))

    def active_window_id(self) -> str | None:
        return self.read().window_id


class UnknownWindowInfo:
    """A platform Engram cannot ask: every frame's metadata is "unknown"."""

    def active_window_id(self) -> str | None:
        return None

    def read(self) -> WindowInfo:
        return UNKNOWN_WINDOW


def window_info_reader(display: str | None = None) -> WindowInfoReader:
    """The reader for this platform."""
    if sys.platform.startswith("win"):
        return WindowsWindowInfo()
    if sys.platform == "darwin":
        return MacWindowInfo()
    if display or os.environ.get("DISPLAY"):
        return X11WindowInfo(display)
    return UnknownWindowInfo()
