"""Small helpers for driving the real widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QListWidget, QMessageBox, QPushButton, QWidget


def click(qtbot, widget: QWidget) -> None:
    assert widget.isEnabled(), f"{widget.objectName() or widget} is disabled"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def items(list_widget: QListWidget) -> list[str]:
    return [list_widget.item(i).text() for i in range(list_widget.count())]


def button(parent: QWidget, text: str) -> QPushButton:
    for candidate in parent.findChildren(QPushButton):
        if candidate.text().replace("&", "") == text and candidate.isVisible():
            return candidate
    raise AssertionError(f"no visible button {text!r} in {parent}")


def error_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "errorBox" and w.isVisible()]
