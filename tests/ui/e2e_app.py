"""The real Engram desktop app in its own process on a real X display, driven through its
widgets by commands on stdin (one per line); each reply is one JSON line on stdout.

    python e2e_app.py DATA_DIR      (DISPLAY set, QT_QPA_PLATFORM=xcb)

Commands: ``consent`` (the user clicks "Turn on capture" on the first-run screen, after
adding the exclusions they want), ``status``, ``episodes`` (episodic memories shown on
today's timeline), ``search TEXT`` (typed into the memories search box), ``ask TEXT``
(typed into chat), ``tray`` (the tray icon's state, where it sits on the screen and, while
its menu is open, where each entry is), ``close_window`` (the user closes the main
window), ``quit``.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

OWN_WINDOWS = ["^Engram$", r"^Frame \d+$"]


class Driver(QObject):
    command = Signal(str)

    def __init__(self, data_dir: Path) -> None:
        super().__init__()
        from app.services import Services
        from ui.app import DesktopApp

        self.desktop = DesktopApp(Services(data_dir), use_tray=True, start_pipeline=True)
        self.desktop.start()
        self.command.connect(self.run, Qt.ConnectionType.QueuedConnection)

    def reply(self, data: dict[str, Any]) -> None:
        print(json.dumps(data, default=str), flush=True)

    def wait(self, predicate: Any, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            QApplication.processEvents()
            if predicate():
                return True
            QTest.qWait(50)
        return bool(predicate())

    def run(self, line: str) -> None:
        name, _, arg = line.strip().partition(" ")
        try:
            self.reply(getattr(self, f"do_{name}")(arg))
        except Exception as exc:  # reported to the test, which fails with it
            self.reply({"error": f"{type(exc).__name__}: {exc}"})

    def do_consent(self, _arg: str) -> dict[str, Any]:
        first = self.desktop.first_run
        assert first is not None and first.windowTitle() == "Engram"
        consent = first.consent
        consent.titles.setPlainText(consent.titles.toPlainText() + "\n" + "\n".join(OWN_WINDOWS))
        QTest.mouseClick(consent.start_button, Qt.MouseButton.LeftButton)
        ok = self.wait(lambda: self.desktop.window is not None
                       and self.desktop.window.isVisible(), 60)
        window = self.desktop.window
        return {"ok": ok, "title": window.windowTitle() if window else None,
                "capture_enabled": self.desktop.services.settings.get("capture_enabled")}

    def do_status(self, _arg: str) -> dict[str, Any]:
        status = self.desktop.services.status()
        return {"frames": status["frames"], "counters": status["counters"],
                "memories": status["memories"]}

    def do_episodes(self, _arg: str) -> dict[str, Any]:
        window = self.desktop.window
        assert window is not None
        window.show_page("Timeline")
        view = window.timeline
        view.reload()
        self.wait(lambda: view.last_load is not None and view.last_load.done, 30)
        labels = [label.text() for section in view.sections.values()
                  for label in section.findChildren(QLabel)
                  if label.objectName().startswith("episode_")]
        return {"episodes": labels, "hours": sorted(view.sections)}

    def do_search(self, text: str) -> dict[str, Any]:
        window = self.desktop.window
        assert window is not None
        window.show_page("Memories")
        view = window.memories
        view.tabs.setCurrentIndex(1)
        box = view.search_box
        box.clear()
        QTest.keyClicks(box, text)
        QTest.keyClick(box, Qt.Key.Key_Return)
        tab = view.type_tabs["episodic"]
        self.wait(lambda: tab.query == text and tab.last_load is not None
                  and tab.last_load.done, 60)
        return {"results": [tab.list.item(i).text() for i in range(tab.list.count())]}

    def do_ask(self, text: str) -> dict[str, Any]:
        window = self.desktop.window
        assert window is not None
        window.show_page("Chat")
        chat = window.chat
        QTest.keyClicks(chat.input, text)
        QTest.mouseClick(chat.send_button, Qt.MouseButton.LeftButton)
        done = self.wait(lambda: chat.running is None, 300)
        turn = chat.current.turns[-1]
        return {"done": done, "answer": turn.answer, "citations": turn.citations,
                "supporting": [m.summary for m in turn.supporting],
                "supporting_titles": [m.fields.get("window_title") for m in turn.supporting],
                "failure": turn.error}

    def do_tray(self, _arg: str) -> dict[str, Any]:
        from ui.theme import app_icon

        QApplication.processEvents()
        tray, window = self.desktop.tray, self.desktop.window
        state: dict[str, Any] = {
            "has_tray": tray is not None,
            "window_visible": bool(window and window.isVisible()),
            "capture_enabled": self.desktop.services.settings.get("capture_enabled"),
        }
        if tray is None:
            return state
        shown = tray.icon.icon().pixmap(22, 22).toImage()
        geometry = tray.icon.geometry()
        menu = tray.menu
        state.update({
            "visible": tray.icon.isVisible(),
            "tooltip": tray.icon.toolTip(),
            "icon_shows_paused": shown == app_icon(paused=True).pixmap(22, 22).toImage(),
            "geometry": [geometry.x(), geometry.y(), geometry.width(), geometry.height()],
            "menu_visible": menu.isVisible(),
            "menu": {action.text(): [menu.mapToGlobal(menu.actionGeometry(action).center()).x(),
                                     menu.mapToGlobal(menu.actionGeometry(action).center()).y()]
                     for action in menu.actions() if action.text()} if menu.isVisible() else {},
        })
        return state

    def do_close_window(self, _arg: str) -> dict[str, Any]:
        window = self.desktop.window
        assert window is not None
        window.close()
        self.wait(lambda: not window.isVisible(), 10)
        return {"window_visible": window.isVisible()}

    def do_quit(self, _arg: str) -> dict[str, Any]:
        QTimer.singleShot(0, self.desktop.quit)
        return {"ok": True}


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Engram")
    app.setDesktopFileName("engram")
    driver = Driver(Path(sys.argv[1]))

    def read_commands() -> None:
        for line in sys.stdin:
            driver.command.emit(line)
        driver.command.emit("quit")

    threading.Thread(target=read_commands, daemon=True).start()
    # as run_desktop_app does: the cycle collector runs on the GUI thread only
    from ui.collector import MainThreadCollector

    collector = MainThreadCollector()
    collector.start()
    print(json.dumps({"ready": True}), flush=True)
    code = app.exec()
    collector.stop()
    driver.desktop.services.close()
    return int(code)


if __name__ == "__main__":
    raise SystemExit(main())
