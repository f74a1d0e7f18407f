"""Settings: one row per declared setting, changes saved and applied at once, the model
chooser with a real (loopback) download and its progress, vault passphrase change."""

from __future__ import annotations

import hashlib
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox

from app.settings import SETTINGS, Settings
from memory.extraction import models
from tests.ui.helpers import click
from tools.demo_data import DEMO_PASSPHRASE
from ui.settings_view import ListEdit


@pytest.fixture
def settings_page(qtbot, window):
    window.show_page("Settings")
    return window.settings


def test_every_declared_setting_has_a_row_with_its_help(settings_page) -> None:
    assert set(settings_page.rows) == {s.name for s in SETTINGS}
    for setting in SETTINGS:
        row = settings_page.rows[setting.name]
        assert row.input.objectName() == f"setting_{setting.name}"
        assert setting.help in [label.text() for label in row.findChildren(type(row.error))]


def test_changes_are_saved_at_once(qtbot, settings_page, demo_services) -> None:
    box = settings_page.rows["capture_enabled"].input
    assert isinstance(box, QCheckBox) and not box.isChecked()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().topLeft() + QPoint(8, 8))
    qtbot.waitUntil(lambda: Settings(demo_services.data_dir).get("capture_enabled") is True)

    spin = settings_page.rows["capture_interval_seconds"].input
    assert isinstance(spin, QDoubleSpinBox)
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "7.5")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: Settings(demo_services.data_dir).get("capture_interval_seconds")
                    == 7.5)

    apps = settings_page.rows["excluded_apps"].input
    assert isinstance(apps, ListEdit)
    apps.setFocus()
    apps.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(apps, Qt.Key.Key_Return)
    qtbot.keyClicks(apps, "signal-desktop")
    settings_page.rows["image_quality"].input.setFocus()
    qtbot.waitUntil(lambda: "signal-desktop" in
                    Settings(demo_services.data_dir).get("excluded_apps"))
    assert "keepassxc" in demo_services.settings.get("excluded_apps")


def test_pause_from_the_status_bar_updates_the_settings_page(qtbot, window,
                                                             settings_page) -> None:
    box = settings_page.rows["capture_enabled"].input
    click(qtbot, window.status_panel.pause_button)
    qtbot.waitUntil(lambda: box.isChecked())
    assert window.status_panel.pause_button.text() == "Pause capture"
    assert not window.status_panel.badge.isVisible()
    click(qtbot, window.status_panel.pause_button)
    qtbot.waitUntil(lambda: not box.isChecked())
    assert window.status_panel.badge.isVisible()


def test_vault_passphrase_change(qtbot, settings_page, demo_services) -> None:
    page = settings_page

    def change(old: str, new: str, repeat: str) -> str:
        for edit, text in ((page.old_pass, old), (page.new_pass, new),
                           (page.repeat_pass, repeat)):
            edit.clear()
            qtbot.keyClicks(edit, text)
        page.pass_result.clear()
        click(qtbot, page.change_pass)
        qtbot.waitUntil(lambda: page.pass_result.text() != "", timeout=15_000)
        return page.pass_result.text()

    assert "differ" in change(DEMO_PASSPHRASE, "new one", "new onE")
    assert change("wrong", "new one", "new one") == "Wrong vault passphrase."
    assert change(DEMO_PASSPHRASE, "new one", "new one").startswith("Passphrase changed")
    demo_services.store.vault.lock()
    demo_services.store.vault.unlock("new one")
    assert demo_services.store.vault.is_unlocked


class _GgufHandler(http.server.BaseHTTPRequestHandler):
    body = b"GGUF" + bytes(range(256)) * 8192  # 2 MB, a GGUF header and filler

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        for start in range(0, len(self.body), 65536):
            self.wfile.write(self.body[start:start + 65536])

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def loopback_model(monkeypatch: pytest.MonkeyPatch) -> Iterator[models.ModelSpec]:
    """A recommended model served from 127.0.0.1 (tests never touch the network)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _GgufHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    spec = models.ModelSpec("tiny-test", "Tiny test model",
                            f"http://127.0.0.1:{server.server_port}/tiny-test.gguf", 2,
                            sha256=hashlib.sha256(_GgufHandler.body).hexdigest())
    monkeypatch.setattr(models, "RECOMMENDED", (spec,))
    monkeypatch.setattr(models, "BY_NAME", {spec.name: spec})
    yield spec
    server.shutdown()
    server.server_close()


def test_model_choice_download_with_progress_then_activate(qtbot, window, demo_services,
                                                           loopback_model) -> None:
    window.show_page("Settings")
    section = window.settings.models
    section.reload()
    assert section.combo.currentData() == "" and "bundled" in section.combo.currentText()
    section.combo.setFocus()
    qtbot.keyClick(section.combo, Qt.Key.Key_Down)
    assert section.combo.currentData() == "tiny-test"
    assert section.download_button.isEnabled()
    seen: list[int] = []
    section.progress.valueChanged.connect(seen.append)
    click(qtbot, section.download_button)
    qtbot.waitUntil(lambda: demo_services.settings.get("llm_model_path") != "", timeout=30_000)
    path = Path(demo_services.settings.get("llm_model_path"))
    assert path == demo_services.data_dir / "models" / "tiny-test.gguf" and path.is_file()
    assert seen and seen[-1] == 1000
    qtbot.waitUntil(lambda: section.note.text() == "Using tiny-test.gguf.")
    assert not section.progress.isVisible()
    assert section.combo.currentData() == "tiny-test"


def test_a_file_that_is_not_gguf_is_refused(qtbot, window, demo_services, tmp_path) -> None:
    window.show_page("Settings")
    section = window.settings.models
    fake = tmp_path / "notes.gguf"
    fake.write_text("<html>not a model</html>")
    section._use(str(fake))
    qtbot.waitUntil(lambda: "not a GGUF model file" in section.note.text())
    assert demo_services.settings.get("llm_model_path") == ""
