"""The test side of tests/ui/e2e_app.py: starts the real app in its own process on an X
display and sends it commands, one JSON reply each."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

DRIVER = Path(__file__).with_name("e2e_app.py")


class App:
    def __init__(self, env: dict[str, str], data_dir: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(DRIVER), str(data_dir)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, env=env, cwd=Path(__file__).parents[2])
        assert self.read() == {"ready": True}

    def read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise AssertionError(f"the app exited ({self.process.poll()})")
            if line.startswith("{"):
                return json.loads(line)

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

