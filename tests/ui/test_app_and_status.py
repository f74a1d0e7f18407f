"""First run, the main window, the status bar's live pipeline health, problem
notifications and the tray's pause/resume."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.paths import bytes_on_disk
from app.settings import Settings
from tests.ui.helpers import click
from ui.app import DesktopApp, data_dir_for_app
from ui.consent_view import consent_given
from ui.data_folder import remembered_data_dir
from ui.main_window import MainWindow
from ui.status import Tray, human_bytes


@pytest.fixture
def desktop(qtbot, empty_services):
    app = DesktopApp(empty_services, use_tray=False, start_pipeline=False)
    yield app
    app.shutdown()
    for widget in (app.window, app.first_run):
        if widget is not None:
            widget.close()
    if app.services is not empty_services:
        app.services.close()


def test_first_run_explains_and_keeps_capture_off(qtbot, desktop, empty_services) -> None:
    desktop.start()
    window = desktop.first_run
    assert window is not None and window.isVisible()
    assert window.windowTitle() == "Engram"
    text = window.consent.findChild(type(window.consent.error), "consentText").text()
    assert "screenshot" in text and "never" in text.lower()
    assert window.consent.folder.edit.text() == str(empty_services.data_dir)
    assert "bundled" in window.consent.model.currentText()
    assert empty_services.settings.get("capture_enabled") is False
    with qtbot.waitSignal(desktop.main_window_ready):
        click(qtbot, window.consent.later_button)
    assert isinstance(desktop.window, MainWindow) and desktop.window.windowTitle() == "Engram"
    assert consent_given(empty_services.data_dir)
    assert Settings(empty_services.data_dir).get("capture_enabled") is False
    assert desktop.window.status_panel.badge.isVisible()


def test_consent_with_capture_exclusions_and_another_folder(qtbot, desktop, tmp_path) -> None:
    desktop.start()
    consent = desktop.first_run.consent
    elsewhere = tmp_path / "elsewhere"
    consent.folder.edit.setText(str(elsewhere))
    consent.apps.setPlainText("keepassxc\nsignal-desktop")
    with qtbot.waitSignal(desktop.main_window_ready, timeout=30_000):
        click(qtbot, consent.start_button)
    services = desktop.services
    assert services.data_dir == elsewhere
    saved = Settings(elsewhere)
    assert saved.get("capture_enabled") is True
    assert saved.get("excluded_apps") == ["keepassxc", "signal-desktop"]
    assert consent_given(elsewhere)
    assert remembered_data_dir() == elsewhere
    assert not desktop.window.status_panel.badge.isVisible()
    assert desktop.window.status_panel.pause_button.text() == "Pause capture"


def test_a_relative_folder_is_refused_with_a_sentence(qtbot, desktop, empty_services) -> None:
    desktop.start()
    consent = desktop.first_run.consent
    consent.folder.edit.setText("my-data")
    click(qtbot, consent.start_button)
    assert consent.error.isVisible() and "not a full path" in consent.error.text()
    assert not consent_given(empty_services.data_dir)
    assert desktop.window is None


def test_remembered_folder_applies_only_to_the_default_folder(tmp_path, empty_services,
                                                              monkeypatch) -> None:
    from ui.data_folder import remember_data_dir

    remember_data_dir(tmp_path / "chosen")
    assert data_dir_for_app(empty_services) is empty_services  # explicit --data-dir wins
    monkeypatch.setattr("ui.app.default_data_dir", lambda: empty_services.data_dir)
    monkeypatch.delenv("ENGRAM_DATA_DIR", raising=False)
    switched = data_dir_for_app(empty_services)
    try:
        assert switched.data_dir == tmp_path / "chosen"
    finally:
        switched.close()


def test_status_bar_shows_live_pipeline_health(qtbot, window) -> None:
    panel = window.status_panel
    panel.start()
    qtbot.waitUntil(lambda: panel.last_status is not None)
    text = panel.health.text()
    for part in ("captured 18", "duplicates skipped 311", "excluded 9", "windows hidden 0",
                 "OCR'd 18",
                 "extracted 18", "failed 0", "queued 0"):
        assert part in text, text
    on_disk = bytes_on_disk(window.ctx.services.data_dir)
    assert panel.disk.text() == f"Disk {human_bytes(panel.last_status['bytes_on_disk'])}"
    assert abs(panel.last_status["bytes_on_disk"] - on_disk) < 200_000
    panel.stop()


def test_problems_the_user_must_fix_are_announced_once(qtbot, window, demo_services) -> None:
    demo_services.settings.set("frame_budget_mb", 10)
    (demo_services.data_dir / "ballast.bin").write_bytes(b"\0" * 11_000_000)
    demo_services.settings.set("llm_model_path", str(demo_services.data_dir / "gone.gguf"))
    messages: list[str] = []
    window.ctx.hub.user_error.connect(lambda _title, message: messages.append(message))
    window.status_panel.refresh()
    qtbot.waitUntil(lambda: len(messages) == 2)
    assert any("disk budget" in m for m in messages)
    assert any("language model is missing" in m for m in messages)
    assert window.banner.isVisible()
    window.status_panel.refresh()
    qtbot.waitUntil(lambda: window.status_panel._polling.done)
    assert len(messages) == 2


def test_tray_pause_and_resume_shows_the_state(qtbot, window, demo_services) -> None:
    shown: list[bool] = []
    tray = Tray(window.ctx, lambda: shown.append(True), QApplication.instance().quit,
                window.show_about)
    window.status_panel.paused_changed.connect(tray.set_paused)
    assert tray.icon.toolTip() == "Engram — capture paused"
    assert tray.pause_action.text() == "Resume capture"
    tray.pause_action.trigger()
    qtbot.waitUntil(lambda: tray.icon.toolTip() == "Engram — capturing")
    assert demo_services.settings.get("capture_enabled") is True
    assert tray.pause_action.text() == "Pause capture"
    tray.pause_action.trigger()
    qtbot.waitUntil(lambda: tray.icon.toolTip() == "Engram — capture paused")
    tray.show_action.trigger()
    assert shown == [True]


def test_main_window_pages_switch_from_the_navigation(qtbot, window) -> None:
    for i, page in enumerate(("Timeline", "Memories", "Vault", "Chat", "Settings")):
        rect = window.nav.visualItemRect(window.nav.item(i))
        qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert window.stack.currentWidget() is window.views[page]


def test_pipeline_health_adds_up_each_stage_and_falls_back_to_frames() -> None:
    from ui.status import pipeline_health

    status = {"counters": {"captured": 9, "skipped_duplicate": 4, "windows_masked": 3, "ocr_done": 7,
                           "extracted": 2, "frames_extracted": 3, "failed": 1,
                           "frames_extraction_failed": 2},
              "frames": {"extracted": 5, "pending": 2}, "queue": 2}
    assert pipeline_health(status) == {
        "captured": 9, "duplicates skipped": 4, "excluded": 0, "windows hidden": 3, "OCR'd": 7,
        "extracted": 5, "failed": 3, "queued": 2}
    fresh = pipeline_health({"counters": {}, "frames": {"ocr_done": 1, "extracted": 2,
                                                        "failed": 1}, "queue": 1})
    assert fresh["captured"] == 4 and fresh["OCR'd"] == 3 and fresh["failed"] == 1
