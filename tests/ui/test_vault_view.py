"""Knowledge vault: secrets masked, reveal and copy need the vault unlocked, the clipboard
clears itself, entries are added, edited and deleted (confirmed, with undo)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

from tests.ui.helpers import click, error_boxes
from tools.demo_data import DEMO_PASSPHRASE
from ui import vault_view
from ui.memory_editor import MemoryEditor
from ui.vault_view import MASK


@pytest.fixture
def vault(qtbot, window):
    window.show_page("Vault")
    view = window.vault
    qtbot.waitUntil(lambda: view.table.rowCount() == 4)
    return view


def row_of(view, caption: str) -> int:
    return next(r for r in range(view.table.rowCount())
                if view.table.item(r, 0).text() == caption)


def answer_unlock(qtbot, view, passphrase: str) -> None:
    qtbot.waitUntil(lambda: view.findChild(QInputDialog, "unlockDialog") is not None)
    dialog = view.findChild(QInputDialog, "unlockDialog")
    line = dialog.findChild(QLineEdit)
    assert line.echoMode() == QLineEdit.EchoMode.Password
    qtbot.keyClicks(line, passphrase)
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.findChild(QInputDialog, "unlockDialog") is None
                    or not view.findChild(QInputDialog, "unlockDialog").isVisible())


def test_secrets_are_masked_and_reveal_needs_the_passphrase(qtbot, vault) -> None:
    assert all(vault.table.item(r, 4).text() == MASK for r in range(4))
    assert vault.state.text().startswith("Locked")
    vault.select_row(row_of(vault, "Staging database password"))
    click(qtbot, vault.buttons["reveal"])
    answer_unlock(qtbot, vault, "not the passphrase")
    qtbot.waitUntil(lambda: bool(error_boxes()))
    assert error_boxes()[0].text() == "Wrong vault passphrase."
    error_boxes()[0].close()
    assert not vault.unlocked

    click(qtbot, vault.buttons["reveal"])
    answer_unlock(qtbot, vault, DEMO_PASSPHRASE)
    row = row_of(vault, "Staging database password")
    qtbot.waitUntil(lambda: vault.table.item(row, 4).text() == "s3cr3t-staging-pw")
    assert vault.state.text() == "Unlocked"
    others = [vault.table.item(r, 4).text() for r in range(4) if r != row]
    assert others == [MASK] * 3

    click(qtbot, vault.lock_button)
    qtbot.waitUntil(lambda: vault.state.text().startswith("Locked"))
    qtbot.waitUntil(lambda: vault.table.item(row_of(vault, "Staging database password"), 4)
                    .text() == MASK)


def test_copy_puts_the_secret_on_the_clipboard_and_clears_it(qtbot, vault, monkeypatch) -> None:
    vault.unlock(DEMO_PASSPHRASE)
    qtbot.waitUntil(lambda: vault.unlocked)
    vault.select_row(row_of(vault, "Cost dashboard API key"))
    click(qtbot, vault.buttons["copy"])
    clipboard = QGuiApplication.clipboard()
    qtbot.waitUntil(lambda: clipboard.text() == "cd_live_9f8a7b6c5d4e")
    assert vault.clipboard_timer.isActive()
    assert vault.clipboard_timer.interval() == 30_000
    # The same path with a short timeout, so the test does not wait 30 seconds.
    monkeypatch.setattr(vault_view, "CLIPBOARD_CLEAR_SECONDS", 0.2)
    click(qtbot, vault.buttons["copy"])
    qtbot.waitUntil(lambda: vault.clipboard_timer.interval() == 200)
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=3000)


def test_clipboard_is_left_alone_if_the_user_copied_something_else(qtbot, vault) -> None:
    vault.unlock(DEMO_PASSPHRASE)
    qtbot.waitUntil(lambda: vault.unlocked)
    vault.select_row(0)
    click(qtbot, vault.buttons["copy"])
    clipboard = QGuiApplication.clipboard()
    qtbot.waitUntil(lambda: vault.clipboard_timer.isActive())
    clipboard.setText("my own note")
    vault.clipboard_timer.timeout.emit()
    assert clipboard.text() == "my own note"


def test_add_edit_and_delete_with_undo(qtbot, vault, demo_services) -> None:
    vault.unlock(DEMO_PASSPHRASE)
    qtbot.waitUntil(lambda: vault.unlocked)
    click(qtbot, vault.buttons["add"])
    qtbot.waitUntil(lambda: vault.findChild(MemoryEditor) is not None)
    editor = vault.findChild(MemoryEditor)
    editor.set_value("caption", "Router admin")
    editor.set_value("entry_type", "credential")
    editor.set_value("secret_value", "hunter2-router")
    editor.accept()
    qtbot.waitUntil(lambda: vault.table.rowCount() == 5)
    row = row_of(vault, "Router admin")
    assert vault.table.item(row, 4).text() == MASK
    entry = next(m for m in demo_services.store.list("vault")
                 if m.fields["caption"] == "Router admin")
    assert demo_services.store.reveal_secret(entry.id) == "hunter2-router"

    vault.select_row(row)
    click(qtbot, vault.buttons["edit"])
    qtbot.waitUntil(lambda: any(e.isVisible() for e in vault.findChildren(MemoryEditor)))
    editor = next(e for e in vault.findChildren(MemoryEditor) if e.isVisible())
    editor.set_value("sensitivity", "high")
    editor.accept()
    qtbot.waitUntil(lambda: vault.table.item(row_of(vault, "Router admin"), 2).text() == "high")
    assert demo_services.store.reveal_secret(entry.id) == "hunter2-router"

    vault.select_row(row_of(vault, "Router admin"))
    click(qtbot, vault.buttons["delete"])
    qtbot.waitUntil(lambda: vault.findChild(QMessageBox, "confirmDelete") is not None)
    box = vault.findChild(QMessageBox, "confirmDelete")
    click(qtbot, box.button(QMessageBox.StandardButton.Yes))
    qtbot.waitUntil(lambda: vault.table.rowCount() == 4)
    assert demo_services.store.get(entry.id).deleted
    window = vault.window()
    qtbot.waitUntil(lambda: window.undo_bar.isVisible())
    click(qtbot, window.undo_bar.undo_button)
    qtbot.waitUntil(lambda: vault.table.rowCount() == 5)
    assert not demo_services.store.get(entry.id).deleted


def test_cancelled_delete_keeps_the_entry(qtbot, vault, demo_services) -> None:
    vault.select_row(0)
    click(qtbot, vault.buttons["delete"])
    qtbot.waitUntil(lambda: vault.findChild(QMessageBox, "confirmDelete") is not None)
    box = vault.findChild(QMessageBox, "confirmDelete")
    click(qtbot, box.button(QMessageBox.StandardButton.Cancel))
    assert vault.table.rowCount() == 4
    assert len(demo_services.store.list("vault")) == 4


def test_a_secret_seen_while_locked_is_listed_sealed_and_opens_after_unlock(
        qtbot, vault, demo_services) -> None:
    """Capture keeps a secret while the vault is locked: the entry is listed at once with
    its caption and frame, its value sealed; after unlock, Reveal opens it."""
    from capture.redaction import FoundSecret, SecretKeeper, Sighting

    store = demo_services.store
    assert not store.vault.is_unlocked and store.vault.can_seal
    token = "ghp_" + "Q7wErTy8UiOp2AsDfGh3JkLzXcVbNm45PoIu"
    kept = SecretKeeper(store).keep(
        [FoundSecret("api_key", token, entry_type="api_key", rule_id="github-token")],
        Sighting(7, "xterm", None))
    assert kept == (1, 0)
    vault.reload()
    qtbot.waitUntil(lambda: vault.table.rowCount() == 5)
    row = row_of(vault, "github token seen in xterm")
    assert vault.table.item(row, 4).text() == vault_view.SEALED
    assert vault.table.item(row, 3).text() == "screen · frame 7"
    vault.select_row(row)
    click(qtbot, vault.buttons["reveal"])
    answer_unlock(qtbot, vault, DEMO_PASSPHRASE)
    qtbot.waitUntil(lambda: vault.table.item(row_of(vault, "github token seen in xterm"), 4)
                    .text() == token)
