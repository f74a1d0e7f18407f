"""Live pipeline health in the status bar, the tray icon with pause/resume, and
notifications for problems the user must act on (disk budget reached, model missing)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSystemTrayIcon,
    QWidget,
)

from ui import actions
from ui.context import UiContext
from ui.ops import MemoryChanges, MemoryOp, QueryOp, readable_error
from ui.theme import app_icon

POLL_MS = 2000

#: Status-bar figures and the pipeline counters that add up to each: capture and OCR count
#: in capture.frame_store/pipeline, extraction in memory.extraction.worker. With none of a
#: figure's counters present yet, the frames table gives the figure.
HEALTH_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("captured", ("captured",)),
    ("duplicates skipped", ("skipped_duplicate",)),
    ("excluded", ("skipped_private",)),
    ("windows hidden", ("windows_masked",)),
    ("OCR'd", ("ocr_done",)),
    ("extracted", ("extracted", "frames_extracted")),
    ("failed", ("failed", "frames_extraction_failed")),
)


def pipeline_health(status: dict[str, Any]) -> dict[str, int]:
    counters: dict[str, int] = status.get("counters", {})
    frames: dict[str, int] = status.get("frames", {})
    out: dict[str, int] = {}
    for label, names in HEALTH_FIELDS:
        present = [int(counters[n]) for n in names if n in counters]
        value: int | None = sum(present) if present else None
        if value is None:
            if label == "captured":
                value = sum(frames.values())
            elif label == "OCR'd":
                value = frames.get("ocr_done", 0) + frames.get("extracted", 0)
            elif label in ("extracted", "failed"):
                value = frames.get(label, 0)
            else:
                value = 0
        out[label] = int(value)
    out["queued"] = int(status.get("queue", 0))
    return out


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


def problems(status: dict[str, Any], settings: dict[str, Any]) -> dict[str, str]:
    """Errors the user must act on, keyed so each is announced once while it lasts."""
    found: dict[str, str] = {}
    budget = int(settings.get("frame_budget_mb", 0)) * 1_000_000
    if budget and status.get("bytes_on_disk", 0) >= budget:
        found["disk"] = (f"Engram's data uses {human_bytes(status['bytes_on_disk'])}, the disk "
                         f"budget of {human_bytes(budget)}; the oldest frames are being "
                         "removed. Raise the budget in Settings or lower retention.")
    llm = status.get("models", {}).get("llm", {})
    if not llm.get("available", True):
        found["model"] = ("The language model is missing"
                          + (f" ({llm['path']})" if llm.get("path") else "")
                          + "; extraction and chat need it. Choose or download one in Settings.")
    return found


class StatusPanel(QWidget):
    """Sits in the status bar: capture state, pause button, pipeline counts and disk use."""

    paused_changed = Signal(bool)
    problem = Signal(str, str)  # key, message

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.badge = QLabel()
        self.badge.setObjectName("pausedBadge")
        self.pause_button = QPushButton()
        self.pause_button.setObjectName("pauseButton")
        self.pause_button.setFlat(True)
        self.health = QLabel("Starting…")
        self.health.setObjectName("pipelineHealth")
        self.disk = QLabel()
        self.disk.setObjectName("diskUse")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.addWidget(self.badge)
        layout.addWidget(self.pause_button)
        layout.addSpacing(8)
        layout.addWidget(self.health, 1)
        layout.addWidget(self.disk)
        self.last_status: dict[str, Any] | None = None
        self.announced: set[str] = set()
        self._polling: QueryOp[Any] | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.refresh)
        self.pause_button.clicked.connect(self.toggle_capture)
        ctx.hub.memory_did_change.connect(self._changed)
        self.show_capture_state()

    @property
    def capturing(self) -> bool:
        return bool(self.ctx.services.settings.get("capture_enabled"))

    def start(self) -> None:
        self.refresh()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def show_capture_state(self) -> None:
        on = self.capturing
        self.badge.setVisible(not on)
        self.badge.setText("Capture paused")
        self.pause_button.setText("Pause capture" if on else "Resume capture")
        self.paused_changed.emit(not on)

    def toggle_capture(self) -> None:
        set_capture(self.ctx, self, not self.capturing)

    def _changed(self, changes: MemoryChanges, _initiator: object) -> None:
        if "capture_enabled" in changes.settings:
            self.show_capture_state()
        if changes:
            self.refresh()

    def refresh(self) -> None:
        if self._polling is not None and not self._polling.done:
            return
        services = self.ctx.services
        self._polling = QueryOp(parent=self, op=lambda _c: actions.pipeline_status(services),
                                success=self._show)
        self._polling.failure(lambda exc: self.health.setText(readable_error(exc)))
        self._polling.run_in_background()

    def _show(self, status: dict[str, Any]) -> None:
        self.last_status = status
        health = pipeline_health(status)
        self.health.setText(" · ".join(f"{label} {n:,}" for label, n in health.items()))
        self.health.setToolTip("Frames through the capture pipeline since the data folder was "
                               "created.")
        self.disk.setText(f"Disk {human_bytes(status.get('bytes_on_disk', 0))}")
        found = problems(status, self.ctx.services.settings.as_dict())
        for key, message in found.items():
            if key not in self.announced:
                self.announced.add(key)
                self.problem.emit(key, message)
        self.announced &= set(found)


def set_capture(ctx: UiContext, parent: QWidget | None, on: bool) -> None:
    services = ctx.services
    MemoryOp(parent=parent, hub=ctx.hub,
             op=lambda _c: actions.set_setting(services, "capture_enabled", on),
             success=lambda _r: ctx.hub.status_message.emit(
                 "Capture is on." if on else "Capture paused.")).run_in_background()


class Tray(QObject):
    """The system tray icon, when the desktop offers one."""

    def __init__(self, ctx: UiContext, show_window: Callable[[], None],
                 quit_app: Callable[[], None], show_about: Callable[[], None]) -> None:
        super().__init__()
        self.ctx = ctx
        self.icon = QSystemTrayIcon(app_icon())
        self.menu = QMenu()
        self.show_action = self.menu.addAction("Show Engram")
        self.pause_action = self.menu.addAction("Pause capture")
        self.about_action = self.menu.addAction("About Engram")
        self.menu.addSeparator()
        self.quit_action = self.menu.addAction("Quit Engram")
        self.icon.setContextMenu(self.menu)
        self.show_action.triggered.connect(show_window)
        self.quit_action.triggered.connect(quit_app)
        self.about_action.triggered.connect(show_about)
        self.pause_action.triggered.connect(
            lambda: set_capture(ctx, None, not bool(ctx.services.settings.get("capture_enabled"))))
        self.icon.activated.connect(
            lambda reason: show_window()
            if reason == QSystemTrayIcon.ActivationReason.Trigger else None)
        self.set_paused(not bool(ctx.services.settings.get("capture_enabled")))

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def set_paused(self, paused: bool) -> None:
        self.icon.setIcon(app_icon(paused=paused))
        self.icon.setToolTip("Engram — capture paused" if paused else "Engram — capturing")
        self.pause_action.setText("Resume capture" if paused else "Pause capture")

    def show(self) -> None:
        self.icon.show()

    def notify(self, title: str, message: str) -> None:
        self.icon.showMessage(title, message, QSystemTrayIcon.MessageIcon.Warning, 15_000)
