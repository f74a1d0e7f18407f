"""The system tray icon on a real X server with a real tray (trayer, XEmbed): the real app
docks its icon there, keeps running when its window is closed, shows the window again on a
click, and pauses, resumes and quits from the icon's menu, each clicked with xdotool."""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.ui.e2e_client import App, until

pytestmark = [pytest.mark.slow, pytest.mark.xvfb]


def start_tray(server: Any) -> None:
    if shutil.which("trayer") is None:
        pytest.fail("trayer is not installed: run `make test`, which installs it "
                    "(packaging/install-system-deps.sh)")
    tray = subprocess.Popen(
        ["trayer", "--edge", "top", "--align", "right", "--widthtype", "request",
         "--height", "24", "--SetDockType", "true"],
        env=server.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server.helpers.append(tray)
    until(lambda: tray_owned(server), 20, "the tray to start")


def tray_owned(server: Any) -> bool:
    """Whether a tray manager owns screen 0's system tray selection (what Qt asks too)."""
    x11 = ctypes.CDLL(ctypes.util.find_library("X11"))
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XInternAtom.restype = ctypes.c_ulong
    x11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x11.XGetSelectionOwner.restype = ctypes.c_ulong
    x11.XGetSelectionOwner.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    dpy = x11.XOpenDisplay(server.display.encode())
    assert dpy, f"cannot open {server.display}"
    try:
        atom = x11.XInternAtom(dpy, b"_NET_SYSTEM_TRAY_S0", 0)
        return bool(x11.XGetSelectionOwner(dpy, atom))
    finally:
        x11.XCloseDisplay(dpy)


def click(server: Any, x: int, y: int, button: int) -> None:
    subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", str(button)],
                   env=server.env(), check=True)


def docked_icons(server: Any) -> int:
    """Engram's windows inside trayer's panel (XEmbed reparents each icon into a socket)."""
    tree = subprocess.run(["xwininfo", "-root", "-tree"], env=server.env(),
                          capture_output=True, text=True, check=True).stdout.splitlines()
    for n, line in enumerate(tree):
        if '("panel" "trayer")' in line:
            depth = len(line) - len(line.lstrip())
            inside = []
            for child in tree[n + 1:]:
                if child.strip() and len(child) - len(child.lstrip()) <= depth:
                    break
                inside.append(child)
            return sum('("e2e_app.py" "Engram")' in child for child in inside)
    return 0


def test_tray_icon_docks_and_its_menu_pauses_resumes_and_quits(tmp_path: Path) -> None:
    from tests.capture.xhelpers import xvfb
    from ui.consent_view import record_consent

    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o700)
    (data_dir / "settings.json").write_text(json.dumps({"pause_when_idle_seconds": 0}))
    record_consent(data_dir, False)  # answered earlier: capture off, straight to the window
    with xvfb([(1024, 768)]) as server:
        start_tray(server)
        env = server.env()
        env["QT_QPA_PLATFORM"] = "xcb"
        env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
        env["HOME"] = str(tmp_path)
        env.pop("ENGRAM_DATA_DIR", None)
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)  # the XEmbed tray, not a D-Bus one
        app = App(env, data_dir)
        try:
            state: dict[str, Any] = {}

            def docked() -> bool:
                state.update(app.send("tray"))
                return bool(state.get("visible")) and state["geometry"][2] > 0 \
                    and docked_icons(server) == 1

            until(docked, 30, "the icon to dock in the tray")
            assert state["has_tray"] and state["window_visible"]
            assert state["tooltip"] == "Engram — capture paused"
            assert state["icon_shows_paused"] and state["capture_enabled"] is False

            # Closing the window leaves Engram running in the tray; a click brings it back.
            assert app.send("close_window") == {"window_visible": False}
            x, y, w, h = state["geometry"]
            click(server, x + w // 2, y + h // 2, 1)
            until(lambda: app.send("tray")["window_visible"], 20, "the window to come back")

            def menu_entry(text: str) -> tuple[int, int]:
                click(server, x + w // 2, y + h // 2, 3)
                until(lambda: app.send("tray")["menu_visible"], 20, "the tray menu")
                entries = app.send("tray")["menu"]
                assert text in entries, entries
                return tuple(entries[text])  # type: ignore[return-value]

            click(server, *menu_entry("Resume capture"), 1)
            until(lambda: app.send("tray")["tooltip"] == "Engram — capturing", 20,
                  "capture to resume")
            resumed = app.send("tray")
            assert resumed["capture_enabled"] is True and not resumed["icon_shows_paused"]

            click(server, *menu_entry("Pause capture"), 1)
            until(lambda: app.send("tray")["tooltip"] == "Engram — capture paused", 20,
                  "capture to pause")
            paused = app.send("tray")
            assert paused["capture_enabled"] is False and paused["icon_shows_paused"]

            quit_at = menu_entry("Quit Engram")
            assert app.process.stdin is not None
            click(server, *quit_at, 1)
            assert app.process.wait(timeout=60) == 0
            assert docked_icons(server) == 0
        finally:
            app.close()
