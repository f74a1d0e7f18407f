"""A real X server (Xvfb) with a real EWMH window manager (matchbox) and real windows,
started by the tests themselves. Nothing here is faked: the capture code sees what it would
see on a desktop."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bench.processes import stop

WINDOW_APP = Path(__file__).with_name("window_app.py")
READY_TIMEOUT = 30.0


def require_x_tools() -> None:
    missing = [tool for tool in ("Xvfb", "xprop", "matchbox-window-manager")
               if shutil.which(tool) is None]
    if missing:
        message = f"needs {', '.join(missing)} (packaging/install-system-deps.sh)"
        if os.environ.get("CI"):  # `make test` installs them: on CI a missing tool is a failure
            pytest.fail(message)
        pytest.skip(message)


@dataclass
class XServer:
    display: str
    process: subprocess.Popen[bytes]
    screens: int
    helpers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["DISPLAY"] = self.display
        return env

    def run(self, *args: str) -> str:
        done = subprocess.run(list(args), env=self.env(), capture_output=True, text=True,
                              timeout=20, check=True)
        return done.stdout

    def active_window(self, screen: int = 0) -> str | None:
        out = self.run("xprop", "-display", f"{self.display}.{screen}", "-root",
                       "_NET_ACTIVE_WINDOW")
        match = re.search(r"# (0x[0-9a-f]+)", out)
        return match.group(1) if match and int(match.group(1), 16) else None

    def stop(self) -> None:
        for helper in self.helpers:
            stop(helper, timeout=5)
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def kill(self) -> None:
        """The X server vanishes (every monitor disappears at once)."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


def start_xvfb(screens: list[tuple[int, int]], *, window_manager: bool = True,
               free_dialogs: bool = False) -> XServer:
    """Xvfb on a free display number (``-displayfd``: the server picks one and says which
    when it is ready to accept clients). ``free_dialogs``: the window manager puts dialog
    windows where they ask to be (in a decorated frame) instead of centring them."""
    read_end, write_end = os.pipe()
    args = ["Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp", "-noreset"]
    for index, (width, height) in enumerate(screens):
        args += ["-screen", str(index), f"{width}x{height}x24"]
    process = subprocess.Popen(args, pass_fds=(write_end,), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as reader:
        number = reader.readline().strip()
    if not number:
        process.kill()
        raise RuntimeError("Xvfb did not start")
    server = XServer(f":{number}", process, len(screens))
    try:
        _start_window_managers(server, window_manager, free_dialogs)
    except BaseException:
        server.stop()
        raise
    return server


def _start_window_managers(server: XServer, window_manager: bool, free_dialogs: bool) -> None:
    if window_manager:
        for index in range(server.screens):
            spy = _spy(server, index, "_NET_SUPPORTING_WM_CHECK")
            dialogs = ["-use_dialog_mode", "free"] if free_dialogs else []
            wm = subprocess.Popen(
                ["matchbox-window-manager", "-use_titlebar", "no", *dialogs, "-display",
                 f"{server.display}.{index}"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            server.helpers.append(wm)
            _wait_for_window_id(spy, None)  # the window manager announced itself


def _spy(server: XServer, screen: int, prop: str) -> tuple[subprocess.Popen[str], str]:
    """``xprop -spy`` on all root properties (spying one that does not exist yet would
    exit at once); it prints them all again on every change."""
    process = subprocess.Popen(
        ["xprop", "-display", f"{server.display}.{screen}", "-spy", "-root"],
        stdout=subprocess.PIPE, text=True, env=server.env())
    return process, prop


def _wait_for_window_id(spied: tuple[subprocess.Popen[str], str], window_id: str | None
                        ) -> None:
    """Read ``xprop -spy`` lines until the property names ``window_id`` (any window when
    None). The spy is killed after READY_TIMEOUT so a stuck start fails instead of hanging."""
    spy, prop = spied
    timer = threading.Timer(READY_TIMEOUT, spy.kill)
    timer.start()
    found = False
    try:
        assert spy.stdout is not None
        for line in spy.stdout:
            if not line.startswith(prop + "("):
                continue
            match = re.search(r"# (0x[0-9a-f]+)", line)
            if match and int(match.group(1), 16) and (
                window_id is None or int(match.group(1), 16) == int(window_id, 16)
            ):
                found = True
                break
    finally:
        timer.cancel()
        spy.kill()
        spy.wait()
    assert found, f"timed out waiting for {window_id or 'the window manager'}"


@contextmanager
def xvfb(screens: list[tuple[int, int]], *, window_manager: bool = True,
         free_dialogs: bool = False) -> Iterator[XServer]:
    require_x_tools()
    server = start_xvfb(screens, window_manager=window_manager, free_dialogs=free_dialogs)
    try:
        yield server
    finally:
        server.stop()


class Window:
    """A Tk window in its own process, with known text."""

    def __init__(self, server: XServer, *, title: str, lines: list[str], app_class: str =
                 "engramtest", theme: str = "light", font: str = "DejaVu Sans", size: int = 28,
                 screen: int = 0, tick_ms: int = 0, geometry: str | None = None,
                 dialog: bool = False) -> None:
        self.server = server
        self.screen = screen
        args = [sys.executable, str(WINDOW_APP), "--title", title, "--app-class", app_class,
                "--theme", theme, "--font", font, "--size", str(size),
                "--screen", f"{server.display}.{screen}"]
        if tick_ms:
            args += ["--tick-ms", str(tick_ms)]
        if geometry:
            args += ["--geometry", geometry]
        if dialog:
            args.append("--dialog")
        # Watch the active window before mapping ours, so the change cannot be missed.
        spy = _spy(server, screen, "_NET_ACTIVE_WINDOW")
        self.process = subprocess.Popen([*args, "--", *lines], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, env=server.env())
        server.helpers.append(self.process)
        assert self.process.stdout is not None
        ready = self.process.stdout.readline().split()
        assert ready and ready[0] == "ready", f"window did not start: {ready}"
        # The client window the window manager knows is the parent of Tk's inner window.
        tree = server.run("xwininfo", "-tree", "-id", ready[1])
        match = re.search(r"Parent window id: (0x[0-9a-f]+)", tree)
        assert match, tree
        self.id = match.group(1)
        _wait_for_window_id(spy, self.id)  # the window manager focused our window

    def send(self, command: str) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        assert self.process.stdout.readline().strip() == "done"

    def iconify(self) -> None:
        """Minimise the window; returns once the window manager has made it iconic."""
        spy = subprocess.Popen(
            ["xprop", "-display", f"{self.server.display}.{self.screen}", "-spy", "-id",
             self.id, "WM_STATE"], stdout=subprocess.PIPE, text=True, env=self.server.env())
        timer = threading.Timer(READY_TIMEOUT, spy.kill)
        timer.start()
        iconic = False
        try:
            assert spy.stdout is not None
            assert "window state" in spy.stdout.readline() + spy.stdout.readline()  # watching
            self.send("iconify")
            for line in spy.stdout:
                if "window state: Iconic" in line:
                    iconic = True
                    break
        finally:
            timer.cancel()
            spy.kill()
            spy.wait()
        assert iconic, "timed out waiting for the window to be iconified"

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=10)
