"""The ops layer: results come back on the main thread, changes are broadcast on the one
signal, progress shows only for slow work and cancels it, errors become sentences."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget

from memory.errors import NotFound
from ui.ops import (
    PROGRESS_DELAY_MS,
    ChangeHub,
    MemoryChanges,
    MemoryOp,
    OpCancelled,
    QueryOp,
    WithChanges,
    readable_error,
)


def test_query_op_runs_off_the_main_thread_and_returns_on_it(qtbot) -> None:
    seen: dict[str, object] = {}

    def work(_ctx) -> str:
        seen["worker"] = threading.current_thread() is threading.main_thread()
        return "result"

    def done(value: str) -> None:
        seen["value"] = value
        seen["on_main"] = QThread.currentThread() is QApplication.instance().thread()

    op = QueryOp(parent=None, op=work, success=done).run_in_background()
    qtbot.waitUntil(lambda: op.done)
    assert seen == {"worker": False, "value": "result", "on_main": True}


def test_memory_op_broadcasts_its_changes_once(qtbot) -> None:
    hub = ChangeHub()
    changes = MemoryChanges.of("semantic", "abc")
    with qtbot.waitSignal(hub.memory_did_change) as signal:
        MemoryOp(parent=None, hub=hub, op=lambda _c: WithChanges(42, changes)).run_in_background()
    assert signal.args[0] == changes
    assert changes.touches("semantic") and not changes.touches("episodic")


def test_known_error_reaches_failure_as_a_sentence(qtbot) -> None:
    failures: list[BaseException] = []

    def fail(_ctx) -> None:
        raise NotFound("No memory with id 'x'.")

    op = QueryOp(parent=None, op=fail).failure(failures.append).run_in_background()
    qtbot.waitUntil(lambda: op.done)
    assert readable_error(failures[0]) == "No memory with id 'x'."


def test_a_bug_is_logged_and_shown_without_a_traceback(qtbot, caplog) -> None:
    failures: list[BaseException] = []

    def crash(_ctx) -> None:
        raise ZeroDivisionError("division by zero")

    with caplog.at_level(logging.ERROR, logger="ui.ops"):
        op = QueryOp(parent=None, op=crash).failure(failures.append).run_in_background()
        qtbot.waitUntil(lambda: op.done)
    message = readable_error(failures[0])
    assert "bug" in message and "Traceback" not in message
    assert any("bug in a background operation" in r.getMessage() for r in caplog.records)
    caplog.clear()


def test_progress_appears_only_after_the_delay_and_cancels(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    release = threading.Event()
    failures: list[BaseException] = []

    def slow(ctx) -> None:
        ctx.progress("Working…", 1, 10)
        while not ctx.cancelled and not release.is_set():
            ctx.stop_event.wait(0.02)
        ctx.check_cancelled()

    fast = QueryOp(parent=parent, op=lambda _c: 1).with_progress("quick").run_in_background()
    qtbot.waitUntil(lambda: fast.done)
    assert fast._dialog is None, "a quick op must not flash a progress dialog"

    op = QueryOp(parent=parent, op=slow).with_progress("Slow work").failure(failures.append)
    op.run_in_background()
    qtbot.waitUntil(lambda: op._dialog is not None, timeout=PROGRESS_DELAY_MS + 3000)
    dialog = op._dialog
    assert isinstance(dialog, QProgressDialog)
    assert dialog.labelText() == "Working…"
    qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: op.done)
    release.set()
    assert isinstance(failures[0], OpCancelled)


def test_partial_results_stream_to_the_main_thread_in_order(qtbot) -> None:
    got: list[int] = []

    def stream(ctx) -> int:
        for i in range(50):
            ctx.emit(i)
        return 50

    op = QueryOp(parent=None, op=stream).on_partial(got.extend).run_in_background()
    qtbot.waitUntil(lambda: op.done)
    assert got == list(range(50))


@pytest.mark.parametrize("result", [None, 3])
def test_memory_op_refuses_results_without_changes(qtbot, caplog, result) -> None:
    failures: list[BaseException] = []
    hub = ChangeHub()
    with caplog.at_level(logging.ERROR):
        op = MemoryOp(parent=None, hub=hub, op=lambda _c: result)
        op.failure(failures.append)
        with pytest.raises(TypeError):
            op._on_success(result)
    caplog.clear()
