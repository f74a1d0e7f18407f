"""Runs the background pipeline while the desktop app is open — capture with its OCR worker
(:mod:`capture.pipeline`) and the extraction worker (:mod:`memory.extraction.worker`) — and
applies setting changes to it live.

The work itself runs on the pipeline's own threads; this host only builds, starts, stops
and restarts it, always off the Qt main thread, and turns its failures into readable
messages on the change hub.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from memory.errors import KnownError
from ui.context import UiContext
from ui.ops import MemoryChanges

log = logging.getLogger(__name__)

#: Settings the capture pipeline reads when it is built; changing one rebuilds it.
CAPTURE_SETTINGS = frozenset({
    "capture_enabled", "capture_interval_seconds", "monitors", "forced_keyframe_minutes",
    "excluded_apps", "excluded_title_patterns", "pause_when_idle_seconds", "pause_when_locked",
    "retention_days", "frame_budget_mb", "image_quality", "drop_images_after_extraction",
    "redaction_extra_patterns", "background_nice",
})
MODEL_SETTINGS = frozenset({"llm_model_path", "llm_threads", "llm_idle_release_seconds",
                            "extract_when_idle_seconds", "background_nice"})


def _available(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def capture_available() -> bool:
    return _available("capture.pipeline")


def extraction_available() -> bool:
    return _available("memory.extraction.worker")


class PipelineHost(QObject):
    """Owns the capture pipeline and the extraction worker of one data folder."""

    failed = Signal(str)  # emitted from worker threads; delivered on the main thread

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.capture: Any | None = None
        self.extraction: Any | None = None
        self._capture_thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._restart_lock = threading.Lock()
        self._closing = False
        self.failed.connect(lambda message: ctx.hub.user_error.emit("Engram", message),
                            Qt.ConnectionType.QueuedConnection)
        ctx.hub.memory_did_change.connect(self._changed)

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> None:
        threading.Thread(target=self._start_all, name="engram-pipeline-start",
                         daemon=True).start()

    def _start_all(self) -> None:
        self._start_extraction()
        if bool(self.ctx.services.settings.get("capture_enabled")):
            self._start_capture()

    def stop(self) -> None:
        """Stop capture and extraction and wait for them (on quit)."""
        self._closing = True
        self._stop_capture()
        with self._lock:
            worker, self.extraction = self.extraction, None
        if worker is not None:
            worker.stop(timeout=30)

    # -- extraction ----------------------------------------------------------------------

    def _start_extraction(self) -> None:
        if not extraction_available():
            return
        try:
            worker = self.ctx.services.extraction_worker(background=True)
        except KnownError as exc:
            self.failed.emit(exc.text())
            return
        with self._lock:
            if self._closing:
                return
            self.extraction = worker
        worker.start()

    def _restart_extraction(self) -> None:
        with self._restart_lock:
            with self._lock:
                worker, self.extraction = self.extraction, None
            if worker is not None:
                worker.stop(timeout=60)
            if not self._closing:
                self._start_extraction()

    # -- capture -------------------------------------------------------------------------

    def _start_capture(self) -> None:
        if not capture_available() or self._closing:
            return
        from capture.pipeline import CaptureConfig, CapturePipeline

        services = self.ctx.services
        try:
            pipeline = CapturePipeline(services.store,
                                       CaptureConfig.from_settings(services.settings))
        except KnownError as exc:
            self.failed.emit(exc.text())
            return
        thread = threading.Thread(target=self._run_capture, args=(pipeline,),
                                  name="engram-capture", daemon=True)
        with self._lock:
            self.capture, self._capture_thread = pipeline, thread
        thread.start()

    def _run_capture(self, pipeline: Any) -> None:
        def frames_stored(results: list[Any]) -> None:
            worker = self.extraction
            if worker is not None and any(r.status == "stored" for r in results):
                worker.wake()

        try:
            pipeline.run(with_ocr=True, on_frames=frames_stored)
        except KnownError as exc:
            self.failed.emit(exc.text())
        except Exception as exc:  # a bug: logged with its trace, shown as a sentence
            log.error("capture stopped by a bug", exc_info=exc)
            self.failed.emit(f"Capture stopped because of a bug ({type(exc).__name__}: {exc}); "
                             "the details are in the log.")

    def _stop_capture(self) -> None:
        with self._lock:
            pipeline, thread = self.capture, self._capture_thread
            self.capture, self._capture_thread = None, None
        if pipeline is not None:
            pipeline.stop()
        if thread is not None:
            thread.join(timeout=60)

    def _restart_capture(self) -> None:
        with self._restart_lock:
            self._stop_capture()
            if bool(self.ctx.services.settings.get("capture_enabled")):
                self._start_capture()

    # -- settings ------------------------------------------------------------------------

    def _changed(self, changes: MemoryChanges, _initiator: object) -> None:
        if self._closing:
            return
        if changes.settings & CAPTURE_SETTINGS:
            threading.Thread(target=self._restart_capture, name="engram-capture-restart",
                             daemon=True).start()
        if changes.settings & MODEL_SETTINGS:
            threading.Thread(target=self._restart_extraction, name="engram-extract-restart",
                             daemon=True).start()

    @property
    def capturing(self) -> bool:
        return self.capture is not None
