"""One writer per data folder: an exclusive ``flock`` on a lock file in the folder.

Two processes writing one folder would run two SQLite writer threads and two Chroma clients
on the same files. The process that opens the folder for writing holds the lock until it
closes it; the kernel releases it when the process dies (even by ``kill -9``), so a stale
lock cannot outlive its holder. The holder writes its pid and a label (the command, such
as ``engram ingest``; never its arguments, which may be private text) into the file, so a
refused writer can say who holds the folder. Readers never take the lock.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from memory.database import as_known_error
from memory.errors import KnownError

WRITER_LOCK_FILE = ".engram-writer.lock"


class FolderInUse(KnownError):
    """Another process holds the data folder's writer lock."""


@dataclass(frozen=True)
class LockHolder:
    pid: int | None
    command: str

    def describe(self) -> str:
        if self.pid is None:
            return "another process"
        return f"process {self.pid}" + (f" ({self.command})" if self.command else "")


class FolderLock:
    """An exclusive, non-blocking ``flock`` on ``path``; ``purpose`` names it in errors."""

    def __init__(self, path: Path, purpose: str = "open for writing",
                 label: str | None = None) -> None:
        self.path = Path(path)
        self.purpose = purpose
        self.label = label or _program_name()
        self._handle: IO[str] | None = None

    @classmethod
    def for_writer(cls, data_dir: Path, label: str | None = None) -> FolderLock:
        return cls(Path(data_dir) / WRITER_LOCK_FILE, label=label)

    @property
    def held(self) -> bool:
        return self._handle is not None

    def try_acquire(self) -> bool:
        """Take the lock if free (True), or False when another process holds it."""
        if self._handle is not None:
            return True
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock; one writer is the user's business
            return True
        try:
            # "a+" never truncates: the holder's pid stays readable while we try.
            handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release
        except OSError as exc:
            raise as_known_error(exc, self.path.parent) from exc
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        os.chmod(self.path, 0o600)
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "command": self.label,
                                 "since": time.strftime("%Y-%m-%dT%H:%M:%S%z")}))
        handle.flush()
        self._handle = handle
        return True

    def acquire(self) -> None:
        """Take the lock or raise :class:`FolderInUse` naming the process that holds it."""
        if self.try_acquire():
            return
        raise FolderInUse(
            f"The data folder {self.path.parent} is already {self.purpose} by "
            f"{self.holder().describe()}; close it first (read-only commands such as "
            "`engram status` and `engram search` still work meanwhile)."
        )

    def holder(self) -> LockHolder:
        """Who wrote the lock file last: the holder while the lock is held."""
        for _ in range(20):  # the holder writes its pid just after taking the lock
            try:
                data = json.loads(self.path.read_text(encoding="utf-8") or "null")
            except (OSError, ValueError):
                data = None
            if isinstance(data, dict) and isinstance(data.get("pid"), int):
                return LockHolder(int(data["pid"]), str(data.get("command") or ""))
            time.sleep(0.01)
        return LockHolder(None, "")

    def release(self) -> None:
        if self._handle is not None:
            self._handle.truncate(0)  # no stale pid for the next reader
            self._handle.close()  # closing the descriptor releases the flock
            self._handle = None


def _program_name() -> str:
    program = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return "engram" if program in ("__main__.py", "engram") else (program or "python")
