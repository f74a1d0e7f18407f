"""The vault's idle lock in the desktop app: any key press or click in an Engram window
counts as use of the app (so the vault stays open while the user works in it), and when the
vault locks itself the views are told, as if the user had pressed Lock."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QApplication

from memory.vault_crypto import VaultKeys
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
        self.vault: VaultKeys | None = None
        # Emitted on the timer thread; delivered queued to this object's (the UI) thread.
        self.auto_locked.connect(self._locked)
        # The store (Chroma) opens lazily, after the window is shown: follow the vault from
        # the moment it exists (it can only be unlocked after that).
        ctx.hub.memory_did_change.connect(lambda *_args: self._attach())
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._attach()

    def _attach(self) -> VaultKeys | None:
        if self.vault is None and self.ctx.services.store_opened:
            vault = self.vault = self.ctx.services.store.vault
            listener = self.auto_locked.emit
            vault.add_auto_lock_listener(listener)
            self.destroyed.connect(lambda _obj=None: vault.remove_auto_lock_listener(listener))
        return self.vault

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in _USER_INPUT and (vault := self._attach()) is not None:
            vault.note_activity()
        return False

    def _locked(self) -> None:
        minutes = self.vault.idle_lock_seconds / 60 if self.vault is not None else 0
        self.ctx.hub.memory_did_change.emit(MemoryChanges(vault_lock=True), None)
        self.ctx.hub.status_message.emit(
            f"The vault locked itself after {minutes:g} minutes without use.")
