"""A second desktop app on a data folder another Engram process writes is refused, and says
so in a window (started from a desktop menu, it has no terminal)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app import cli
from app.services import Services


def test_a_second_app_names_the_holder_in_a_window(qtbot, data_dir: Path,
                                                    _shared_embedder) -> None:
    holder = Services(data_dir)
    shown: list[str] = []

    def close_the_box() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.objectName() == "startupError" \
                    and widget.isVisible():
                shown.append(widget.text())
                widget.close()
                poll.stop()

    poll = QTimer()
    poll.setInterval(50)
    poll.timeout.connect(close_the_box)
    poll.start()
    try:
        code = cli.main(["--data-dir", str(data_dir), "run"])
    finally:
        poll.stop()
        holder.close()
    assert code == 1
    assert len(shown) == 1 and f"process {os.getpid()}" in shown[0]
    assert "already open for writing" in shown[0]
