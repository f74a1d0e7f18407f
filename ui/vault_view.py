"""The knowledge vault: captions and types listed, secrets masked; revealing or copying a
secret needs the vault unlocked; a copied secret leaves the clipboard after 30 seconds."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from memory.schema import Memory
from memory.store import SEALED_MARK
from ui import actions
from ui.context import UiContext
from ui.memory_detail import short_time
from ui.memory_editor import MemoryEditor
from ui.ops import MemoryChanges, MemoryOp, QueryOp, show_error
from ui.vault_idle import VaultIdleLock
from ui.widgets import heading, subtle

CLIPBOARD_CLEAR_SECONDS = 30
MASK = "••••••••"
#: Shown for a secret sealed while the vault was locked (captured on screen, remembered).
SEALED = "sealed: unlock to read"
COLUMNS = ("Caption", "Type", "Sensitivity", "Source", "Secret", "Added")


class VaultView(QWidget):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.loaded = False
        self.entries: list[Memory] = []
        self.revealed: dict[str, str] = {}
        self.state = subtle()
        self.state.setObjectName("vaultState")
        self.state.setWordWrap(False)
        self.lock_button = QPushButton("Unlock…")
        self.lock_button.setObjectName("lockButton")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("vaultTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for name, text in (("add", "Add…"), ("edit", "Edit…"), ("reveal", "Reveal"),
                           ("copy", "Copy secret"), ("delete", "Delete")):
            button = QPushButton(text)
            button.setObjectName(f"vault_{name}")
            self.buttons[name] = button
            row.addWidget(button)
        row.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(heading("Knowledge vault"))
        top.addStretch(1)
        top.addWidget(self.state)
        top.addWidget(self.lock_button)
        note = subtle("Secrets are encrypted on this device, never searched or embedded, and "
                      "given to chat only while the vault is unlocked. Secrets seen while it "
                      "is locked are sealed: listed at once, readable after unlock.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 0)
        layout.addLayout(top)
        layout.addWidget(note)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self.clipboard_timer = QTimer(self)
        self.clipboard_timer.setSingleShot(True)
        self.clipboard_timer.timeout.connect(self.clear_clipboard)
        self._copied: str | None = None
        self.lock_button.clicked.connect(self.toggle_lock)
        self.buttons["add"].clicked.connect(self.add_entry)
        self.buttons["edit"].clicked.connect(self.edit_entry)
        self.buttons["reveal"].clicked.connect(self.reveal)
        self.buttons["copy"].clicked.connect(self.copy_secret)
        self.buttons["delete"].clicked.connect(self.delete_entry)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        ctx.hub.memory_did_change.connect(self._changed)
        self.idle_lock = VaultIdleLock(ctx, self)
        self._update_lock_state()
        self._update_buttons()

    # -- state ---------------------------------------------------------------------------

    @property
    def unlocked(self) -> bool:
        # A store not opened yet (the window is being built) has no unlocked vault.
        services = self.ctx.services
        return services.store_opened and services.store.vault.is_unlocked

    def _update_lock_state(self) -> None:
        self.state.setText("Unlocked" if self.unlocked else "Locked: secrets hidden")
        self.lock_button.setText("Lock" if self.unlocked else "Unlock…")

    def _update_buttons(self) -> None:
        selected = self.selected() is not None
        for name in ("edit", "reveal", "copy", "delete"):
            self.buttons[name].setEnabled(selected)

    def selected(self) -> Memory | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.entries[rows[0].row()]

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not self.loaded:
            self.reload()

    def reload(self) -> None:
        self.loaded = True
        services = self.ctx.services
        QueryOp(parent=self, op=lambda _c: actions.list_vault(services),
                success=self._show).run_in_background()

    def _show(self, entries: list[Memory]) -> None:
        keep = self.selected()
        self.entries = entries
        self.table.setRowCount(len(entries))
        for row, m in enumerate(entries):
            stored = m.fields.get("secret_value")
            secret = self.revealed.get(
                m.id, SEALED if stored == SEALED_MARK else MASK if stored else "")
            values = (m.fields["caption"], m.fields.get("entry_type") or "",
                      m.fields.get("sensitivity") or "", source_text(m),
                      secret, short_time(m.created_at))
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
            if keep is not None and m.id == keep.id:
                self.table.selectRow(row)
        self._update_buttons()

    def _changed(self, changes: MemoryChanges, _initiator: object) -> None:
        if changes.vault_lock:
            if not self.unlocked:
                self.revealed.clear()
            self._update_lock_state()
        if self.loaded and (changes.touches("vault") or changes.vault_lock):
            self.reload()

    # -- lock ----------------------------------------------------------------------------

    def toggle_lock(self) -> None:
        if self.unlocked:
            services = self.ctx.services
            MemoryOp(parent=self, hub=self.ctx.hub,
                     op=lambda _c: actions.lock_vault(services)).run_in_background()
        else:
            self.ask_unlock()

    def ask_unlock(self, then: Any = None) -> None:
        first = not self.ctx.services.store.vault.is_set_up
        prompt = ("Choose a passphrase for the new vault (you will need it to see secrets):"
                  if first else "Vault passphrase:")
        dialog = QInputDialog(self)
        dialog.setObjectName("unlockDialog")
        dialog.setWindowTitle("Unlock the vault")
        dialog.setLabelText(prompt)
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.textValueSelected.connect(lambda text: self.unlock(text, then))
        dialog.open()

    def unlock(self, passphrase: str, then: Any = None) -> None:
        services = self.ctx.services
        op: MemoryOp[Any] = MemoryOp(parent=self, hub=self.ctx.hub,
                      op=lambda _c: actions.unlock_vault(services, passphrase),
                      success=lambda _r: then() if then else None)
        op.with_progress("Unlocking the vault…").run_in_background()

    # -- secrets -------------------------------------------------------------------------

    def _with_secret(self, use: Any) -> None:
        entry = self.selected()
        if entry is None:
            return
        if not self.unlocked:
            self.ask_unlock(then=lambda: self._with_secret(use))
            return
        services = self.ctx.services
        QueryOp(parent=self, op=lambda _c: actions.reveal_secret(services, entry.id),
                success=lambda secret: use(entry, secret)).run_in_background()

    def reveal(self) -> None:
        def show(entry: Memory, secret: str) -> None:
            self.revealed[entry.id] = secret
            self._show(self.entries)

        self._with_secret(show)

    def copy_secret(self) -> None:
        def copy(entry: Memory, secret: str) -> None:
            QGuiApplication.clipboard().setText(secret)
            self._copied = secret
            self.clipboard_timer.start(CLIPBOARD_CLEAR_SECONDS * 1000)
            self.ctx.hub.status_message.emit(
                f"Copied the secret of “{entry.fields['caption']}”; the clipboard clears in "
                f"{CLIPBOARD_CLEAR_SECONDS} seconds.")

        self._with_secret(copy)

    def clear_clipboard(self) -> None:
        """Clear the clipboard, unless the user copied something else since."""
        clipboard = QGuiApplication.clipboard()
        if self._copied is not None and clipboard.text() == self._copied:
            clipboard.clear()
        self._copied = None

    # -- add, edit, delete ---------------------------------------------------------------

    def _editor(self, memory: Memory | None, done: Any) -> None:
        if not self.unlocked:
            self.ask_unlock(then=lambda: self._editor(memory, done))
            return
        editor = MemoryEditor("vault", memory, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.finished.connect(lambda result: done(editor.values())
                                if result == QDialog.DialogCode.Accepted else None)
        editor.open()

    def add_entry(self) -> None:
        services = self.ctx.services

        def save(values: dict[str, Any]) -> None:
            MemoryOp(parent=self, hub=self.ctx.hub,
                     op=lambda _c: actions.add_memory(services, "vault", values),
                     ).run_in_background()

        self._editor(None, save)

    def edit_entry(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        services = self.ctx.services

        def save(values: dict[str, Any]) -> None:
            if values:
                self.revealed.pop(entry.id, None)
                MemoryOp(parent=self, hub=self.ctx.hub,
                         op=lambda _c: actions.update_memory(services, entry.id, values),
                         ).run_in_background()

        self._editor(entry, save)

    def delete_entry(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Delete vault entry",
                          f"Delete “{entry.fields['caption']}” from the vault? "
                          "You can undo this for a few seconds.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                          self)
        box.setObjectName("confirmDelete")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda result: self._delete(entry)
                             if result == QMessageBox.StandardButton.Yes else None)
        box.open()

    def _delete(self, entry: Memory) -> None:
        services, ctx = self.ctx.services, self.ctx

        def undo() -> None:
            MemoryOp(parent=self, hub=ctx.hub,
                     op=lambda _c: actions.restore_memory(services, entry.id),
                     ).failure(lambda e: show_error(self, str(e))).run_in_background()

        MemoryOp(parent=self, hub=ctx.hub,
                 op=lambda _c: actions.forget_memory(services, entry.id),
                 success=lambda _m: ctx.offer_undo(
                     f"Deleted “{entry.fields['caption']}” from the vault.", undo),
                 ).run_in_background()


def source_text(memory: Memory) -> str:
    """Where an entry came from, with the frame it was seen on (and how many more)."""
    text = str(memory.fields.get("source") or "")
    frames = (memory.provenance or {}).get("frames") or []
    if frames:
        text += f" · frame {frames[0]}" + (f" (+{len(frames) - 1})" if len(frames) > 1 else "")
    return text
