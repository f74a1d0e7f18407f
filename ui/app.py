"""Start the desktop application."""

from __future__ import annotations

import sys

from app.services import Services


def run_desktop_app(services: Services) -> int:
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    qt_app = QApplication.instance() or QApplication(sys.argv)
    qt_app.setApplicationName("Engram")
    qt_app.setQuitOnLastWindowClosed(True)
    window = MainWindow(services)
    window.show()
    return int(qt_app.exec())
