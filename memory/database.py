"""SQLite connections and the single writer thread (Datasette's write-thread pattern).

Every write to the store goes through :class:`Writer`: a queue of ``fn(db)`` tasks run one
at a time on one thread, each inside ``BEGIN IMMEDIATE``. Readers open their own
connections with :func:`connect`; WAL mode lets them read while the writer writes.
"""

from __future__ import annotations

import errno
import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from memory.errors import StoreUnavailable

log = logging.getLogger(__name__)
T = TypeVar("T")

BUSY_TIMEOUT_MS = 10_000


def connect(path: Path, *, readonly: bool = False) -> Database:
    """Open a connection bound to the calling thread, with Engram's pragmas."""
    try:
        if readonly:
            conn = sqlite3.connect(
                f"file:{path}?mode=ro", uri=True, isolation_level=None,
                timeout=BUSY_TIMEOUT_MS / 1000,
            )
        else:
            conn = sqlite3.connect(
                str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
            )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        raise as_known_error(exc, path) from exc
    return Database(conn)


def as_known_error(exc: BaseException, path: Path | None = None) -> StoreUnavailable:
    """Turn SQLite and OS failures the user can fix into a sentence saying how."""
    where = f" ({path})" if path else ""
    message = str(exc).lower()
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC or "database or disk is full" in (
        message
    ):
        return StoreUnavailable(f"The disk holding Engram's data{where} is full; free some space.")
    if "locked" in message or "busy" in message:
        return StoreUnavailable(
            f"Engram's database{where} is locked by another program; close it and retry."
        )
    if "readonly" in message or "read-only" in message or isinstance(exc, PermissionError):
        return StoreUnavailable(f"Engram cannot write its data folder{where}; check permissions.")
    if "not a database" in message or "malformed" in message:
        return StoreUnavailable(
            f"Engram's database{where} is damaged ({exc}); restore it from an export."
        )
    return StoreUnavailable(f"Engram's database{where} could not be used: {exc}")


@dataclass
class _Task:
    fn: Callable[[Database], Any]
    future: Future[Any]
    transaction: bool


class Writer:
    """The one thread that writes. ``submit(fn)`` returns a Future; ``write(fn)`` waits.

    A task that raises is rolled back and its exception is set on its Future; the writer
    carries on with the next task.
    """

    def __init__(self, path: Path, *, on_open: Callable[[Database], None] | None = None):
        self.path = path
        self._on_open = on_open
        self._queue: queue.Queue[_Task | None] = queue.Queue()
        self._ready = threading.Event()
        self._open_error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="engram-writer", daemon=True)
        self._closed = False
        self._refusal: str | None = None
        self._thread.start()
        self._ready.wait()
        if self._open_error is not None:
            raise self._open_error

    @property
    def thread(self) -> threading.Thread:
        return self._thread

    def refuse_writes(self, reason: str) -> None:
        """From now on every write fails with StoreUnavailable(reason): a read-only session."""
        self._refusal = reason

    def submit(self, fn: Callable[[Database], T], *, transaction: bool = True) -> Future[T]:
        future: Future[T] = Future()
        if self._closed:
            future.set_exception(StoreUnavailable("Engram's store is closed."))
            return future
        if self._refusal is not None:
            future.set_exception(StoreUnavailable(self._refusal))
            return future
        if threading.current_thread() is self._thread:
            # Re-entrant call from inside a task: run inline, inside the caller's transaction.
            try:
                future.set_result(fn(self._db))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                future.set_exception(exc)
            return future
        self._queue.put(_Task(fn, future, transaction))
        return future

    def write(self, fn: Callable[[Database], T], *, transaction: bool = True) -> T:
        return self.submit(fn, transaction=transaction).result()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)
        self._thread.join()

    def _run(self) -> None:
        try:
            self._db = connect(self.path)
            if self._on_open is not None:
                self._on_open(self._db)
        except BaseException as exc:  # noqa: BLE001 - reported to the constructor
            self._open_error = exc
            self._ready.set()
            return
        self._ready.set()
        conn = self._db.conn
        while True:
            task = self._queue.get()
            if task is None:
                break
            if not task.future.set_running_or_notify_cancel():
                continue
            try:
                if task.transaction:
                    conn.execute("BEGIN IMMEDIATE")
                    try:
                        result = task.fn(self._db)
                    except BaseException:
                        if conn.in_transaction:
                            conn.execute("ROLLBACK")
                        raise
                    conn.execute("COMMIT")
                else:
                    result = task.fn(self._db)
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                task.future.set_exception(as_known_error(exc, self.path))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                task.future.set_exception(exc)
            else:
                task.future.set_result(result)
        conn.close()
