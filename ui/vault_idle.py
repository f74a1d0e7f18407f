"""The vault's idle lock in the desktop app: any key press or click in an Engram window
counts as use of the app (so the vault stays open while the user works in it), and when the
vault locks itself the views are told, as if the user had pressed Lock."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QApplication

from ui.context import UiContext
from ui.ops import MemoryChanges

_USER_INPUT = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
})


class VaultIdleLock(QObject):
    """Bridges the vault's idle timer (a plain thread) to the UI thread."""

    auto_locked = Signal()

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.vault = ctx.services.store.vault
        # Emitted on the timer thread; delivered queued to this object's (the UI) thread.
        self.auto_locked.connect(self._locked)
        listener = self.auto_locked.emit
        self.vault.add_auto_lock_listener(listener)
        vault = self.vault
        self.destroyed.connect(lambda _obj=None: vault.remove_auto_lock_listener(listener))
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in _USER_INPUT:
            self.vault.note_activity()
        return False

    def _locked(self) -> None:
        minutes = self.vault.idle_lock_seconds / 60
        self.ctx.hub.memory_did_change.emit(MemoryChanges(vault_lock=True), None)
        self.ctx.hub.status_message.emit(
            f"The vault locked itself after {minutes:g} minutes without use.")
