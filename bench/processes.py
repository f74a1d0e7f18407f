"""Ending the helper processes a benchmark starts (X servers, window managers, the app):
ask first, then insist, and always reap."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from typing import Any


def stop(process: subprocess.Popen[Any], timeout: float) -> None:
    """SIGTERM, wait up to ``timeout`` seconds, then SIGKILL."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def stop_group(process: subprocess.Popen[Any], timeout: float) -> None:
    """The same for a process started in a session of its own, with every child it
    spawned (a browser's renderers, a terminal's shell)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=timeout)
    except ProcessLookupError:
        process.wait()
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
