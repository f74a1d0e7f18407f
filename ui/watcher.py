"""Notices memories and frames written by the background pipeline (capture, OCR,
extraction run outside the UI) and announces them on ``memory_did_change``, so the views
refresh live as memories arrive."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer

from ui import actions
from ui.context import UiContext
from ui.ops import QueryOp

WATCH_MS = 1500


class ChangeWatcher(QObject):
    def __init__(self, ctx: UiContext, interval_ms: int = WATCH_MS) -> None:
        super().__init__()
        self.ctx = ctx
        self.marker: tuple[int, str, str] | None = None
        self._op: QueryOp[Any] | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.poll()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def poll(self) -> None:
        if self._op is not None and not self._op.done:
            return
        services, marker = self.ctx.services, self.marker
        self._op = QueryOp(parent=None, op=lambda _c: actions.watch_changes(services, marker),
                           success=self._seen)
        self._op.failure(lambda exc: self.ctx.hub.status_message.emit(str(exc)))
        self._op.run_in_background()

    def _seen(self, result: actions.WatchResult) -> None:
        self.marker = result.marker
        if result.changes:
            self.ctx.hub.memory_did_change.emit(result.changes, None)
