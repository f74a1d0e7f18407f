"""Start the desktop application: first-run consent, then the main window, the tray, the
status poller, the change watcher and the background pipeline."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from app.paths import ENV_DATA_DIR, default_data_dir
from app.services import Services
from memory.errors import KnownError
from ui import actions
from ui.collector import MainThreadCollector
from ui.consent_view import ConsentView, FirstRunChoices, consent_given, record_consent
from ui.context import UiContext
from ui.data_folder import remember_data_dir, remembered_data_dir
from ui.main_window import WINDOW_TITLE, MainWindow
from ui.ops import MemoryChanges, readable_error, shutdown_ops
from ui.pipeline_host import PipelineHost
from ui.status import Tray
from ui.theme import app_icon, apply_theme
from ui.watcher import ChangeWatcher

log = logging.getLogger(__name__)


class FirstRunWindow(QMainWindow):
    def __init__(self, data_dir: Path) -> None:
        super().__init__()
        self.setWindowTitle(WINDOW_TITLE)
        self.setWindowIcon(app_icon())
        self.consent = ConsentView(data_dir)
        self.setCentralWidget(self.consent)
        self.resize(980, 760)


def apply_first_run(services: Services, choices: FirstRunChoices) -> Services:
    """Save the first-run answers in the chosen folder; return services for that folder."""
    if choices.data_dir.resolve() != services.data_dir.resolve():
        remember_data_dir(choices.data_dir)
        services.close()
        services = Services(choices.data_dir)
    for name in ("excluded_apps", "excluded_title_patterns", "llm_model_path"):
        actions.set_setting(services, name, getattr(choices, name))
    actions.set_setting(services, "capture_enabled", choices.capture_enabled)
    record_consent(services.data_dir, choices.capture_enabled)
    return services


class DesktopApp(QObject):
    """The running app. ``start()`` shows consent on first run, else the main window."""

    main_window_ready = Signal(object)

    def __init__(self, services: Services, *, use_tray: bool = True,
                 start_pipeline: bool = True, minimized: bool = False) -> None:
        super().__init__()
        self.services = services
        self.minimized = minimized
        self.use_tray = use_tray
        self.start_pipeline = start_pipeline
        self.first_run: FirstRunWindow | None = None
        self.window: MainWindow | None = None
        self.ctx: UiContext | None = None
        self.tray: Tray | None = None
        self.watcher: ChangeWatcher | None = None
        self.pipeline: PipelineHost | None = None

    def start(self) -> None:
        if consent_given(self.services.data_dir):
            self.open_main()
            return
        self.first_run = FirstRunWindow(self.services.data_dir)
        self.first_run.consent.finished.connect(self._consented)
        self.first_run.show()

    def _consented(self, choices: FirstRunChoices) -> None:
        try:
            self.services = apply_first_run(self.services, choices)
        except Exception as exc:  # shown as a sentence; a bug is also logged with its trace
            if not isinstance(exc, KnownError):
                log.error("first-run setup failed", exc_info=exc)
            assert self.first_run is not None
            self.first_run.consent.error.setText(readable_error(exc))
            self.first_run.consent.error.show()
            return
        assert self.first_run is not None
        self.first_run.close()
        self.first_run.deleteLater()
        self.first_run = None
        self.open_main()

    def open_main(self) -> None:
        self.ctx = UiContext(self.services)
        self.window = MainWindow(self.ctx)
        self.watcher = ChangeWatcher(self.ctx)
        if self.use_tray and Tray.available():
            self.tray = Tray(self.ctx, self.show_window, self.quit, self.window.show_about)
            self.window.status_panel.paused_changed.connect(self.tray.set_paused)
            self.ctx.hub.user_error.connect(self.tray.notify)
            self.tray.show()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(self.tray is None)
        if not self.minimized:
            self.window.show()
        elif self.tray is None:  # no tray to come back from: a minimised window instead
            self.window.showMinimized()
        self.window.status_panel.start()
        self.watcher.start()
        if self.start_pipeline:
            self.pipeline = PipelineHost(self.ctx)
            self.pipeline.start()
        self.ctx.hub.memory_did_change.emit(MemoryChanges(frames=True), None)
        self.main_window_ready.emit(self.window)

    def show_window(self) -> None:
        if self.window is not None:
            self.window.showNormal()
            self.window.raise_()
            self.window.activateWindow()

    def quit(self) -> None:
        self.shutdown()
        app = QApplication.instance()
        if app is not None:
            app.quit()

    def shutdown(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
        if self.window is not None:
            self.window.status_panel.stop()
        if self.pipeline is not None:
            self.pipeline.stop()
        if self.tray is not None:
            self.tray.icon.hide()
        shutdown_ops()


def data_dir_for_app(services: Services) -> Services:
    """Honour a folder chosen in the app when the CLI fell back to the default folder."""
    if os.environ.get(ENV_DATA_DIR) or services.data_dir != default_data_dir():
        return services
    chosen = remembered_data_dir()
    if chosen is None or chosen == services.data_dir:
        return services
    services.close()
    return Services(chosen)


def show_startup_error(text: str) -> bool:
    """Show an error that stopped the app from starting (another Engram already holds the
    data folder, say) in a window: started from a desktop menu there is no terminal to read.
    False when there is no display to show it on."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
            or os.environ.get("QT_QPA_PLATFORM")):
        return False
    qt_app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(qt_app, QApplication)
    box = QMessageBox(QMessageBox.Icon.Critical, "Engram cannot start", text,
                      QMessageBox.StandardButton.Close)
    box.setObjectName("startupError")
    box.setWindowIcon(app_icon())
    box.exec()
    return True


def run_desktop_app(services: Services, *, minimized: bool = False) -> int:
    qt_app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(qt_app, QApplication)
    qt_app.setApplicationName("Engram")
    qt_app.setDesktopFileName("engram")
    qt_app.setWindowIcon(app_icon())
    apply_theme(qt_app)
    desktop = DesktopApp(data_dir_for_app(services), minimized=minimized)
    qt_app.aboutToQuit.connect(desktop.shutdown)
    collector = MainThreadCollector()
    collector.start()
    desktop.start()
    try:
        code = int(qt_app.exec())
    finally:
        collector.stop()
    desktop.services.close()
    return code
