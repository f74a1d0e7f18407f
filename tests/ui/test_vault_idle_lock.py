"""The vault locks itself in the desktop app after the idle time from the setting: the view
shows it locked, revealed secrets are masked again and the key is gone."""

from __future__ import annotations

from tests.ui.helpers import click
from tests.ui.test_vault_view import answer_unlock, row_of
from tools.demo_data import DEMO_PASSPHRASE
from ui import actions
from ui.vault_view import MASK


def test_the_vault_view_locks_after_the_idle_time(qtbot, window) -> None:
    window.show_page("Vault")
    view = window.vault
    qtbot.waitUntil(lambda: view.table.rowCount() == 4)
    services = view.ctx.services
    actions.set_setting(services, "vault_auto_lock_minutes", 0.05)  # 3 seconds
    assert services.store.vault.idle_lock_seconds == 0.05 * 60

    def auto_locked(changes, initiator) -> bool:
        return bool(changes.vault_lock) and initiator is None

    with qtbot.waitSignal(view.ctx.hub.memory_did_change, timeout=20_000,
                          check_params_cb=auto_locked):
        view.select_row(row_of(view, "Staging database password"))
        click(qtbot, view.buttons["reveal"])
        answer_unlock(qtbot, view, DEMO_PASSPHRASE)
        row = row_of(view, "Staging database password")
        qtbot.waitUntil(lambda: view.table.item(row, 4).text() == "s3cr3t-staging-pw")
    assert not services.store.vault.is_unlocked
    assert services.store.vault._data_key is None
    qtbot.waitUntil(lambda: view.state.text().startswith("Locked"))
    qtbot.waitUntil(lambda: all(view.table.item(r, 4).text() == MASK for r in range(4)))
    assert view.lock_button.text() == "Unlock…"


def test_zero_minutes_never_locks(qtbot, window) -> None:
    services = window.ctx.services
    actions.set_setting(services, "vault_auto_lock_minutes", 0)
    actions.unlock_vault(services, DEMO_PASSPHRASE)
    vault = services.store.vault
    assert vault.is_unlocked and vault._idle_timer is None
    assert not vault.lock_if_idle()
