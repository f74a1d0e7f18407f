"""Help > About shows the version, the data folder and the models; the tray menu offers it
too; the "start at login" setting in the Settings view writes the XDG autostart entry; and
``run --minimized`` keeps the window hidden."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication, QCheckBox

from app import __version__
from ui.app import DesktopApp
from ui.status import Tray


def test_help_about_shows_version_data_folder_and_models(qtbot, window, demo_services) -> None:
    window.about_action.trigger()
    dialog = window.about_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.info is not None, timeout=10_000)
    text = dialog.text.text()
    assert f"Engram {__version__}" in text
    assert str(demo_services.data_dir) in text
    assert "all-MiniLM-L6-v2-onnx-int8" in text and "SmolLM2-135M-Instruct" in text
    assert "Apache-2.0" in text and "unknown" in text
    dialog.close()


def test_the_tray_menu_opens_the_about_box(qtbot, window) -> None:
    tray = Tray(window.ctx, window.show, QApplication.instance().quit, window.show_about)
    tray.about_action.trigger()
    assert window.about_dialog is not None and window.about_dialog.isVisible()
    window.about_dialog.close()
    tray.icon.hide()


def test_start_at_login_setting_writes_and_removes_the_autostart_entry(qtbot, window,
                                                                       demo_services) -> None:
    entry = Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / "engram.desktop"
    window.show_page("Settings")
    row = window.settings.rows["start_at_login"]
    box = row.input
    assert isinstance(box, QCheckBox) and not box.isChecked()
    box.click()
    qtbot.waitUntil(lambda: row.current is True)
    assert entry.is_file() and "run --minimized" in entry.read_text()
    assert demo_services.settings.get("start_at_login") is True
    box.click()
    qtbot.waitUntil(lambda: not entry.exists())
    qtbot.waitUntil(lambda: demo_services.settings.get("start_at_login") is False)


def test_run_minimized_does_not_show_the_window(qtbot, demo_services) -> None:
    app = DesktopApp(demo_services, use_tray=False, start_pipeline=False, minimized=True)
    try:
        app.start()  # consent was recorded by the demo fixture: straight to the main window
        assert app.window is not None
        # no tray here (offscreen platform): the window is there, minimised, not raised
        assert app.window.isMinimized()
    finally:
        app.shutdown()
        if app.window is not None:
            app.window.close()


def test_the_window_is_built_without_waiting_for_the_store(qtbot, empty_services,
                                                          monkeypatch) -> None:
    """Opening the store loads Chroma (seconds on this machine): the window must not wait.
    Here opening it blocks until the window is built, so waiting for it would hang."""
    import threading

    import app.services
    from ui.context import UiContext
    from ui.main_window import MainWindow

    built = threading.Event()
    real_store = app.services.MemoryStore

    def store_after_the_window(*args, **kwargs):  # noqa: ANN202 - stands in for the class
        assert built.wait(60), "the window was not built while the store was opening"
        return real_store(*args, **kwargs)

    monkeypatch.setattr(app.services, "MemoryStore", store_after_the_window)
    window = MainWindow(UiContext(empty_services))
    qtbot.addWidget(window)
    assert not empty_services.store_opened
    assert window.vault.state.text() == "Locked: secrets hidden"
    built.set()
    qtbot.waitUntil(lambda: empty_services.store_opened, timeout=60_000)
