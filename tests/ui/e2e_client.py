"""The test side of tests/ui/e2e_app.py: starts the real app in its own process on an X
display and sends it commands, one JSON reply each."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

DRIVER = Path(__file__).with_name("e2e_app.py")
#: No command of the driver takes this long; past it the test fails instead of hanging CI.
REPLY_TIMEOUT_S = 600


class App:
    def __init__(self, env: dict[str, str], data_dir: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(DRIVER), str(data_dir)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, env=env, cwd=Path(__file__).parents[2])
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        assert self.read() == {"ready": True}

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def read(self) -> dict[str, Any]:
        """The next JSON reply. A library may print to stdout without a newline before it,
        so the reply is found where it starts on its line."""
        deadline = time.monotonic() + REPLY_TIMEOUT_S
        while True:
            try:
                line = self._lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no reply from the app in {REPLY_TIMEOUT_S} s") from None
            if line is None:
                raise AssertionError(f"the app exited ({self.process.poll()})")
            start = line.find('{"')
            if start >= 0:
                return json.loads(line[start:])

    def send(self, command: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        reply = self.read()
        assert "error" not in reply, reply
        return reply

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.send("quit")
                self.process.wait(timeout=120)
            finally:
                if self.process.poll() is None:
                    self.process.kill()
                    self.process.wait()


def until(predicate: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + max(1.0, seconds)
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(1.0)  # polling another process's state: no signal crosses the boundary
    raise AssertionError(f"timed out waiting for {what}")

