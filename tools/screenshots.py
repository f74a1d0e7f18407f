"""Render every view with the invented demo day into PNGs, at 1366x768 and 2560x1440, in
the light and dark palettes: ``python -m tools.screenshots docs/screenshots``.

The data is :mod:`tools.demo_data` (never real captures); the chat answer is produced by the
real chat service and bundled model on that data. Works under Xvfb or the offscreen
platform.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

SIZES = ((1366, 768), (2560, 1440))
THEMES = ("light", "dark")
CHAT_QUESTION = "What was decided about hiring in the Q3 budget review?"


def _settle(app: object, *, seconds: float = 20.0, quiet_ms: int = 400) -> None:
    """Process events until no op has run for ``quiet_ms`` (or ``seconds`` pass)."""
    from PySide6.QtCore import QEventLoop, QTimer

    from ui.ops import running_ops

    deadline = time.monotonic() + seconds
    quiet_since: float | None = None
    while time.monotonic() < deadline:
        loop = QEventLoop()
        QTimer.singleShot(50, loop.quit)
        loop.exec()
        if running_ops() == 0:
            quiet_since = quiet_since or time.monotonic()
            if (time.monotonic() - quiet_since) * 1000 >= quiet_ms:
                return
        else:
            quiet_since = None


def _wait(predicate: Callable[[], bool], seconds: float) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    deadline = time.monotonic() + seconds
    while not predicate() and time.monotonic() < deadline:
        loop = QEventLoop()
        QTimer.singleShot(50, loop.quit)
        loop.exec()
    if not predicate():
        raise TimeoutError("the view did not finish loading")


def _chat_done(chat: Any) -> bool:
    return chat.running is None


def _history_loaded(chat: Any) -> bool:
    return bool(chat.history_loaded)


def _frame_loaded(dialog: Any) -> bool:
    return dialog.detail is not None


def render(out: Path, *, ask_chat: bool = True) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    qt_app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(qt_app, QApplication)
    from app.services import Services
    from tools import demo_data
    from ui.app import FirstRunWindow
    from ui.consent_view import record_consent
    from ui.context import UiContext
    from ui.frame_dialog import FrameDialog
    from ui.main_window import MainWindow
    from ui.ops import shutdown_ops
    from ui.theme import apply_theme

    out.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="engram-screens-"))
    written: list[Path] = []
    services = Services(workdir / "data")
    try:
        summary = demo_data.seed(services, frames_per_activity=5)
        record_consent(services.data_dir, True)
        services.settings.set("capture_enabled", True)
        conversation_id: str | None = None
        for theme in THEMES:
            apply_theme(qt_app, dark=theme == "dark")
            for width, height in SIZES:
                size = f"{width}x{height}"

                def save(widget: object, name: str, size: str = size, theme: str = theme) -> None:
                    path = out / f"{name}-{size}-{theme}.png"
                    if not widget.grab().save(str(path)):  # type: ignore[attr-defined]
                        raise OSError(f"could not write {path}")
                    written.append(path)
                    print(path, flush=True)

                first = FirstRunWindow(services.data_dir)
                first.resize(min(width, 1100), min(height, 900) if height < 1000 else 1000)
                first.show()
                _settle(qt_app)
                save(first, "first-run")
                first.close()

                ctx = UiContext(services)
                window = MainWindow(ctx)
                window.resize(width, height)
                window.show()
                window.status_panel.refresh()
                _settle(qt_app)
                save(window, "timeline")

                window.show_page("Memories")
                window.memories.tabs.setCurrentIndex(1)
                _settle(qt_app)
                window.memories.type_tabs["episodic"].select(summary.episodes[3])
                _settle(qt_app)
                save(window, "memories")

                window.show_page("Vault")
                _settle(qt_app)
                save(window, "vault")

                window.show_page("Chat")
                chat = window.chat
                _wait(partial(_history_loaded, chat), 30)
                if conversation_id is None and ask_chat:
                    chat.input.setText(CHAT_QUESTION)
                    chat.ask()
                    _wait(partial(_chat_done, chat), 600)
                    conversation_id = chat.current.id
                elif conversation_id is not None:  # saved by the first window: from history
                    row = [c.id for c in chat.conversations].index(conversation_id)
                    chat.history.setCurrentRow(row)
                _settle(qt_app)
                save(window, "chat")

                window.show_page("Settings")
                _settle(qt_app)
                save(window, "settings")

                window.show_page("Timeline")
                dialog = FrameDialog(ctx, summary.frames[16], window)
                dialog.resize(int(width * 0.8), int(height * 0.8))
                dialog.show()
                _wait(partial(_frame_loaded, dialog), 30)
                _settle(qt_app)
                save(dialog, "frame")
                dialog.close()
                window.close()
                window.deleteLater()
                _settle(qt_app)
    finally:
        shutdown_ops()
        services.close()
        shutil.rmtree(workdir, ignore_errors=True)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", nargs="?", default="docs/screenshots", type=Path)
    parser.add_argument("--no-chat", action="store_true",
                        help="skip the chat answer (no language model run)")
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    render(args.out, ask_chat=not args.no_chat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
