"""The ops layer (Anki's ``aqt.operations``): every piece of background work the UI starts.

A :class:`QueryOp` runs a function on a worker thread and hands its result to ``success`` on
the Qt main thread. A :class:`MemoryOp` does the same for an action that changes memories:
its function returns a :class:`MemoryChanges` (or a value carrying one), which is broadcast
on the one ``memory_did_change`` signal of the :class:`ChangeHub` that every view follows.

Code inside an op never touches widgets: it gets an :class:`OpContext` to report progress,
stream partial results (chat tokens) and notice cancellation. Progress appears only after
~600 ms (Anki's ``aqt/progress.py``), is polled rather than pushed, and can be cancelled.
Errors come back as readable sentences: a :class:`KnownError` shows its ``text()``; anything
else is a bug, logged with its trace, and shown as a short message.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from memory.errors import KnownError

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Progress dialogs appear only for work that takes longer than this.
PROGRESS_DELAY_MS = 600
PROGRESS_POLL_MS = 100


class OpCancelled(KnownError):
    """The user cancelled a long operation."""


@dataclass(frozen=True)
class MemoryChanges:
    """What an action changed, so each view refreshes only what it shows."""

    types: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()
    frames: bool = False
    settings: frozenset[str] = frozenset()
    vault_lock: bool = False

    @classmethod
    def of(cls, memory_type: str, *ids: str) -> MemoryChanges:
        return cls(types=frozenset({memory_type}), ids=frozenset(ids))

    def touches(self, *types: str) -> bool:
        return bool(self.types & set(types))

    def merge(self, other: MemoryChanges) -> MemoryChanges:
        return MemoryChanges(
            self.types | other.types,
            self.ids | other.ids,
            self.frames or other.frames,
            self.settings | other.settings,
            self.vault_lock or other.vault_lock,
        )

    def __bool__(self) -> bool:
        return bool(self.types or self.ids or self.frames or self.settings or self.vault_lock)


@dataclass
class WithChanges(Generic[T]):
    """A MemoryOp result that carries a value for ``success`` and the changes to broadcast."""

    value: T
    changes: MemoryChanges = field(default_factory=MemoryChanges)


class ChangeHub(QObject):
    """The one place changes are announced. ``initiator`` is the widget that acted (or None
    for changes found by the background watcher), so a view can skip its own echo."""

    memory_did_change = Signal(object, object)  # MemoryChanges, initiator
    status_message = Signal(str)  # a readable line for the status bar
    user_error = Signal(str, str)  # title, message: errors the user must act on


class OpContext:
    """Handed to the function inside an op; thread-safe; never touches widgets."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self.label = ""
        self.value = 0
        self.maximum = 0
        self._partials: list[Any] = []

    def progress(self, label: str, value: int = 0, maximum: int = 0) -> None:
        with self._lock:
            self.label, self.value, self.maximum = label, value, maximum

    def emit(self, item: Any) -> None:
        """Deliver a partial result (a chat token, a loaded thumbnail) to ``on_partial``."""
        with self._lock:
            self._partials.append(item)

    def take_partials(self) -> list[Any]:
        with self._lock:
            items, self._partials = self._partials, []
        return items

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def stop_event(self) -> threading.Event:
        """Set when the user cancels; hand it to services that take a ``stop`` event."""
        return self._cancel

    def check_cancelled(self) -> None:
        if self._cancel.is_set():
            raise OpCancelled("Cancelled.")


class _Relay(QObject):
    """Carries finished futures from worker threads back to the main thread. One for the
    whole app, living as long as it: a QObject per op could be deleted by Python while Qt
    still delivers its signal."""

    finished = Signal(object, object, int)  # op, future, epoch

    def __init__(self) -> None:
        super().__init__()
        self.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @staticmethod
    def _deliver(op: QueryOp[Any], future: Future[Any], epoch: int) -> None:
        if epoch == _epoch:  # ops from before shutdown_ops() are dropped
            op._finish(future)


_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()
_running: set[QueryOp[Any]] = set()
_relay: _Relay | None = None
_epoch = 0


def relay() -> _Relay:
    """Created on first use, on the main thread (where run_in_background is called)."""
    global _relay
    if _relay is None:
        _relay = _Relay()
    return _relay


def executor() -> ThreadPoolExecutor:
    """A small pool: the machine's cores belong to capture, OCR and the LLM first."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=3, thread_name_prefix="engram-ui-op")
        return _executor


def running_ops() -> int:
    return sum(1 for op in _running if not op.done)


def shutdown_ops() -> None:
    """Cancel what is running and wait for the workers (called when the app quits)."""
    global _executor, _epoch
    _epoch += 1
    for op in list(_running):
        op.context.cancel()
        op._stop_polling()
    with _executor_lock:
        pool, _executor = _executor, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)
    _running.clear()


def readable_error(exc: BaseException) -> str:
    """A sentence for the user. Known errors say how to act; bugs say where the log is."""
    if isinstance(exc, KnownError):
        return exc.text()
    return (
        f"Something went wrong inside Engram ({type(exc).__name__}: {exc}). "
        "This is a bug; the details are in the log."
    )


class QueryOp(Generic[T]):
    """Run ``op(ctx)`` in the background; call ``success(result)`` on the main thread.

    >>> QueryOp(parent=self, op=lambda ctx: services.retriever.search(q), success=show)
    ...     .failure(show_error).with_progress("Searching…").run_in_background()
    """

    def __init__(
        self,
        *,
        parent: QWidget | None,
        op: Callable[[OpContext], T],
        success: Callable[[T], None] | None = None,
    ) -> None:
        self._parent = parent
        self._op = op
        self._success = success
        self._failure: Callable[[BaseException], None] | None = None
        self._partial: Callable[[list[Any]], None] | None = None
        self._progress_label: str | None = None
        self._finished_callbacks: list[Callable[[], None]] = []
        self.context = OpContext()
        self._poller: QTimer | None = None
        self._dialog: QProgressDialog | None = None
        self._elapsed = QElapsedTimer()
        self.done = False

    def failure(self, fn: Callable[[BaseException], None]) -> QueryOp[T]:
        self._failure = fn
        return self

    def with_progress(self, label: str = "") -> QueryOp[T]:
        """Show a cancellable progress dialog if the work takes longer than ~600 ms."""
        self._progress_label = label
        return self

    def on_partial(self, fn: Callable[[list[Any]], None]) -> QueryOp[T]:
        """Receive what the op ``emit``s, in batches, on the main thread while it runs."""
        self._partial = fn
        return self

    def on_finished(self, fn: Callable[[], None]) -> QueryOp[T]:
        """Called after success or failure (for re-enabling buttons)."""
        self._finished_callbacks.append(fn)
        return self

    def cancel(self) -> None:
        self.context.cancel()

    def run_in_background(self) -> QueryOp[T]:
        self._elapsed.start()
        if self._progress_label is not None or self._partial is not None:
            self._poller = QTimer()
            self._poller.setInterval(PROGRESS_POLL_MS if self._partial is None else 30)
            self._poller.timeout.connect(self._poll)
            self._poller.start()
        _running.add(self)
        signal, epoch = relay().finished, _epoch
        future = executor().submit(self._op, self.context)
        future.add_done_callback(lambda f: signal.emit(self, f, epoch))
        return self

    def _stop_polling(self) -> None:
        if self._poller is not None:
            self._poller.stop()

    def _parent_gone(self) -> bool:
        return self._parent is not None and not shiboken6.isValid(self._parent)

    def _poll(self) -> None:
        if self._parent_gone():
            self._stop_polling()
            self.context.cancel()
            return
        if self._partial is not None:
            items = self.context.take_partials()
            if items:
                self._partial(items)
        if (
            self._progress_label is not None
            and self._dialog is None
            and self._elapsed.elapsed() >= PROGRESS_DELAY_MS
        ):
            self._dialog = QProgressDialog(
                self._progress_label, "Cancel", 0, 0, self._parent
            )
            self._dialog.setWindowTitle("Engram")
            self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self._dialog.setMinimumDuration(0)
            self._dialog.canceled.connect(self.context.cancel)
            self._dialog.show()
        if self._dialog is not None:
            ctx = self.context
            self._dialog.setLabelText(ctx.label or self._progress_label or "")
            self._dialog.setMaximum(ctx.maximum)
            if ctx.maximum:
                self._dialog.setValue(min(ctx.value, ctx.maximum))

    def _finish(self, future: Future[T]) -> None:
        self.done = True
        # Released on a later turn of the event loop: dropping the last reference now would
        # delete the relay while Qt is still delivering its signal.
        QTimer.singleShot(0, partial(_running.discard, self))
        if self._poller is not None:
            self._poller.stop()
            self._poll_partials_once()
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self.context.cancel)
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        if self._parent_gone():
            return  # the widget that asked is gone (a closed dialog): nothing to show
        exc = OpCancelled("Cancelled.") if future.cancelled() else future.exception()
        try:
            if exc is None:
                self._on_success(future.result())
            else:
                self._on_failure(exc)
        finally:
            for fn in self._finished_callbacks:
                fn()

    def _poll_partials_once(self) -> None:
        if self._partial is not None:
            items = self.context.take_partials()
            if items:
                self._partial(items)

    def _on_success(self, result: T) -> None:
        if self._success is not None:
            self._success(result)

    def _on_failure(self, exc: BaseException) -> None:
        if isinstance(exc, OpCancelled):
            log.info("operation cancelled")
        elif not isinstance(exc, KnownError):
            log.error("bug in a background operation", exc_info=exc)
        if self._failure is not None:
            self._failure(exc)
        elif not isinstance(exc, OpCancelled):
            show_error(self._parent, readable_error(exc))


class MemoryOp(QueryOp[T]):
    """An op that changes memories. Its function returns a :class:`MemoryChanges` or a
    :class:`WithChanges`; the changes are broadcast on ``hub.memory_did_change``."""

    def __init__(
        self,
        *,
        parent: QWidget | None,
        hub: ChangeHub,
        op: Callable[[OpContext], Any],
        success: Callable[[Any], None] | None = None,
    ) -> None:
        super().__init__(parent=parent, op=op, success=success)
        self._hub = hub

    def _on_success(self, result: Any) -> None:
        if isinstance(result, WithChanges):
            value, changes = result.value, result.changes
        elif isinstance(result, MemoryChanges):
            value, changes = result, result
        else:
            raise TypeError(f"a MemoryOp must return MemoryChanges or WithChanges, not {result!r}")
        if self._success is not None:
            self._success(value)
        if changes:
            self._hub.memory_did_change.emit(changes, self._parent)


def show_error(parent: QWidget | None, message: str) -> None:
    """A readable, non-blocking error box (never a traceback)."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Engram", message, QMessageBox.StandardButton.Ok,
                      parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setObjectName("errorBox")
    box.open()


def changes_for(memories: Iterable[Any]) -> MemoryChanges:
    """MemoryChanges for a batch of :class:`memory.schema.Memory` values."""
    items = list(memories)
    return MemoryChanges(frozenset(m.type for m in items), frozenset(m.id for m in items))
