"""The capture pipeline: privacy gate -> grab -> mask excluded windows -> dedup -> frame
store, and the OCR worker that turns pending frames into redacted text.

Capture never waits for OCR: a kept frame is a committed ``pending`` row, and the worker
is only woken. The queue lives in SQLite, so it is bounded by disk (the frame budget), not
memory, and survives a crash. When the backlog grows, capture slows down (back-pressure)
instead of dropping work. Each outcome is counted in the ``counters`` table.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from capture.dedup import Deduplicator, fingerprint
from capture.frame_store import FrameBudgetFull, FrameImageError, FrameRow, FrameStore, bump
from capture.grabber import FocusWatcher, Grab, ScreenGrabber
from capture.ocr import OcrEngine, OcrUnavailable
from capture.ocr_regions import IncrementalOcr, previous_reference
from capture.privacy import PrivacyGate, SessionState, session_state_for_platform
from capture.redaction import Redactor, SecretKeeper, Sighting, blur_boxes
from capture.visible_windows import VisibleWindowsReader, visible_windows_reader
from capture.window_info import WindowInfo, WindowInfoReader, window_info_reader
from capture.window_mask import WindowMasker
from memory.background import BACKGROUND_NICE, lower_thread_priority, trim_heap
from memory.errors import KnownError, StoreUnavailable
from memory.folder_lock import FolderLock
from memory.schema import parse_iso
from memory.store import MemoryStore

log = logging.getLogger(__name__)

LOCK_FILE = "capture.lock"
#: Past this many pending frames, each further ``BACKLOG_STEP`` doubles the interval.
BACKLOG_STEP = 200
MAX_SLOWDOWN = 8


@dataclass
class CaptureConfig:
    interval_seconds: float = 3.0
    monitors: list[int] = field(default_factory=list)
    keyframe_minutes: float = 5.0
    excluded_apps: list[str] = field(default_factory=list)
    excluded_title_patterns: list[str] = field(default_factory=list)
    pause_when_idle_seconds: float = 300
    pause_when_locked: bool = True
    retention_days: int = 90
    budget_bytes: int = 5000 * 1024 * 1024
    image_quality: int = 60
    drop_images_after_extraction: bool = False
    redaction_extra_patterns: list[str] = field(default_factory=list)
    ocr_threads: int = 2
    background_nice: int = BACKGROUND_NICE

    @classmethod
    def from_settings(cls, settings: Any) -> CaptureConfig:
        return cls(
            interval_seconds=float(settings.get("capture_interval_seconds")),
            monitors=[int(m) for m in settings.get("monitors")],
            keyframe_minutes=float(settings.get("forced_keyframe_minutes")),
            excluded_apps=list(settings.get("excluded_apps")),
            excluded_title_patterns=list(settings.get("excluded_title_patterns")),
            pause_when_idle_seconds=float(settings.get("pause_when_idle_seconds")),
            pause_when_locked=bool(settings.get("pause_when_locked")),
            retention_days=int(settings.get("retention_days")),
            budget_bytes=int(settings.get("frame_budget_mb")) * 1024 * 1024,
            image_quality=int(settings.get("image_quality")),
            drop_images_after_extraction=bool(settings.get("drop_images_after_extraction")),
            redaction_extra_patterns=list(settings.get("redaction_extra_patterns")),
            background_nice=int(settings.get("background_nice")),
        )


@dataclass(frozen=True)
class CapturedFrame:
    """One monitor's outcome of one grab: stored, duplicate, excluded, paused or failed."""

    id: int | None
    monitor: int
    status: str
    app: str | None
    window_title: str | None
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "monitor": self.monitor, "status": self.status, "app": self.app,
                "window_title": self.window_title, "reason": self.reason}


def capture_lock(data_dir: Path) -> FolderLock:
    """One capturing process per data folder (``flock``; a killed process releases it)."""
    return FolderLock(data_dir / LOCK_FILE, "being captured into")


class CapturePipeline:
    def __init__(
        self,
        store: MemoryStore,
        config: CaptureConfig,
        *,
        display: str | None = None,
        grabber: ScreenGrabber | None = None,
        window_reader: WindowInfoReader | None = None,
        session: SessionState | None = None,
        ocr_engine: OcrEngine | None = None,
        visible_windows: VisibleWindowsReader | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self.frames = FrameStore(
            store,
            quality=config.image_quality,
            retention_days=config.retention_days,
            budget_bytes=config.budget_bytes,
            drop_images_after_extraction=config.drop_images_after_extraction,
        )
        self.grabber = grabber or ScreenGrabber(display, only=config.monitors)
        self.window_reader = window_reader or window_info_reader(display)
        self.gate = PrivacyGate(
            excluded_apps=config.excluded_apps,
            excluded_title_patterns=config.excluded_title_patterns,
            pause_when_idle_seconds=config.pause_when_idle_seconds,
            pause_when_locked=config.pause_when_locked,
            session=session or session_state_for_platform(display),
        )
        self.masker = WindowMasker(self.gate, visible_windows or visible_windows_reader(display))
        self.dedup = Deduplicator(keyframe_seconds=config.keyframe_minutes * 60)
        self.redactor = Redactor(config.redaction_extra_patterns)
        self.ocr = OcrWorker(self.frames, ocr_engine or OcrEngine(threads=config.ocr_threads),
                             self.redactor, SecretKeeper(store), nice=config.background_nice)
        self.lock = capture_lock(store.data_dir)
        self.state = "idle"
        self._seeded: set[int] = set()
        self._wake = threading.Event()
        self._stop = threading.Event()

    # -- one grab -------------------------------------------------------------------------

    def start(self) -> None:
        """Take the capture lock and clean up after a crash (orphan files)."""
        self.lock.acquire()
        self.frames.recover()

    def _set_state(self, state: str) -> None:
        if state != self.state:
            if state.startswith("paused"):
                log.warning("capture %s", state)
            elif self.state.startswith("paused"):
                log.warning("capture resumed (was %s)", self.state)
            self.state = state

    def _count(self, name: str, amount: int = 1) -> None:
        if amount:
            self.store.writer.write(lambda db: bump(db, name, amount))

    def capture_once(self) -> list[CapturedFrame]:
        """Grab every monitor once through the whole pipeline."""
        verdict = self.gate.check_session()
        if not verdict.allowed:
            monitors = self.grabber.monitors()
            self._count("skipped_paused", max(1, len(monitors)))
            self._set_state(f"paused: {verdict.reason}")
            return [CapturedFrame(None, m.number, "paused", None, None, verdict.reason)
                    for m in monitors]
        window = self.window_reader.read()
        privacy = self.gate.check_window(window)
        if not privacy.allowed:  # not even grabbed
            return self._excluded([m.number for m in self.grabber.monitors()], window,
                                  privacy.reason)
        hidden = self.masker.hidden()  # read before the grab and again after it
        grabs = self.grabber.grab_all()
        if not grabs:
            self._set_state("paused: no monitor can be grabbed (is the display gone?)")
            self._count("skipped_paused")
            return []
        if privacy.allowed and self.window_reader.active_window_id() != window.window_id:
            # The focus moved during the grab: the pixels may belong to the new window.
            window = self.window_reader.read()
            privacy = self.gate.check_window(window)
        if not privacy.allowed:
            for grab in grabs:
                grab.image = None  # dropped here: an excluded window never reaches the disk
            return self._excluded([g.monitor.number for g in grabs], window, privacy.reason)
        after = self.masker.hidden() if hidden is not None else None
        hidden = None if after is None or hidden is None else hidden + after
        title, _found = self.redactor.redact_text(window.title)
        kept_window = WindowInfo(window.window_id, window.app, title,
                                 self.redactor.redact_text(window.url)[0] if window.url else None,
                                 window.pid)
        results = []
        masked: set[int] = set()
        for grab in grabs:
            if grab.image is not None:
                mask = self.masker.mask(grab.image, grab.monitor, hidden)
                masked |= mask.masked
                if mask.covered:
                    grab.image = None  # dropped here, before dedup, OCR or the disk
                    results += self._excluded([grab.monitor.number], window, mask.reason)
                    continue
            results.append(self._keep_or_skip(grab, window, kept_window))
        self._count("windows_masked", len(masked))
        if any(r.status == "stored" for r in results):
            self.ocr.wakeup.set()
        if not any(r.status == "paused" for r in results):
            self._set_state("running")
        return results

    def _excluded(self, monitors: list[int], window: WindowInfo, reason: str
                  ) -> list[CapturedFrame]:
        self._count("skipped_private", len(monitors))
        self._set_state("running")
        return [CapturedFrame(None, number, "excluded", window.app, None, reason)
                for number in monitors]

    def _keep_or_skip(self, grab: Grab, window: WindowInfo, kept: WindowInfo) -> CapturedFrame:
        number = grab.monitor.number
        if grab.image is None:
            log.warning("capture: monitor %d could not be grabbed (%s); it may have been "
                        "disconnected; the others carry on", number, grab.error)
            self._count("grab_failed")
            self.dedup.forget(number)
            return CapturedFrame(None, number, "failed", kept.app, kept.title, grab.error or "")
        self._seed(number, window)
        now = time.monotonic()
        decision = self.dedup.decide(number, grab.image, now=now, window_id=window.window_id)
        log.debug("dedup monitor %d: %s", number, decision.explain())
        if not decision.keep:
            self._count("skipped_duplicate")
            return CapturedFrame(None, number, "duplicate", kept.app, kept.title,
                                 decision.explain())
        try:
            frame_id = self.frames.save(grab.image, captured_at=grab.captured_at, monitor=number,
                                        window=kept, phash=decision.fingerprint.hex)
        except (FrameBudgetFull, StoreUnavailable) as exc:
            self._set_state(f"paused: {exc.text()}")
            self._count("skipped_paused")
            return CapturedFrame(None, number, "paused", kept.app, kept.title, exc.text())
        self.dedup.remember(number, decision.fingerprint)
        return CapturedFrame(frame_id, number, "stored", kept.app, kept.title, decision.explain())

    def _seed(self, monitor: int, window: WindowInfo) -> None:
        """Once per monitor: the last stored frame becomes the dedup reference, so a fresh
        process (``engram capture --once``) does not store the same screen again."""
        if monitor in self._seeded:
            return
        self._seeded.add(monitor)
        last = self.frames.latest_with_image(monitor)
        if last is None:
            return
        try:
            image = self.frames.load_image(last)
        except FrameImageError as exc:
            log.info("dedup: cannot use the last frame as reference: %s", exc.text())
            return
        age = max(0.0, time.time() - parse_iso(last.captured_at).timestamp())
        same_window = (last.app == window.app
                       and last.window_title == self.redactor.redact_text(window.title)[0])
        self.dedup.remember(monitor, fingerprint(
            image, at=time.monotonic() - age,
            window_id=window.window_id if same_window else f"frame {last.id}",
        ))

    # -- the loop -------------------------------------------------------------------------

    def interval(self) -> float:
        """The configured interval, slowed down while the OCR backlog is large."""
        backlog = self.frames.count("pending")
        factor = min(MAX_SLOWDOWN, 2 ** max(0, backlog // BACKLOG_STEP))
        return self.config.interval_seconds * factor

    def run(self, *, with_ocr: bool = True,
            on_frames: Callable[[list[CapturedFrame]], None] | None = None) -> None:
        """Capture until :meth:`stop`; grabs at once when the focused window changes. The
        calling thread (and the OCR thread it starts) runs at background priority."""
        lower_thread_priority(self.config.background_nice)
        self.start()
        focus = FocusWatcher(self.window_reader)
        focus.changed = self._wake
        focus.start()
        if with_ocr:
            self.ocr.start()
        try:
            while not self._stop.is_set():
                self._wake.clear()
                try:
                    results = self.capture_once()
                except KnownError as exc:
                    self._set_state(f"paused: {exc.text()}")
                    results = []
                if on_frames is not None:
                    on_frames(results)
                self.frames.enforce_retention()
                self._wake.wait(self.interval())
        finally:
            focus.stop()
            if with_ocr:
                self.ocr.stop()
            self.grabber.close()
            self.masker.reader.close()
            self.lock.release()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()


@dataclass
class OcrReport:
    ocr_done: int = 0
    failed: int = 0
    retried: int = 0

    def to_dict(self) -> dict[str, int]:
        return {"ocr_done": self.ocr_done, "failed": self.failed, "retried": self.retried}


class OcrWorker:
    """Reads pending frames, OCRs, redacts (text and pixels) and marks them ocr_done."""

    def __init__(self, frames: FrameStore, engine: OcrEngine, redactor: Redactor,
                 keeper: SecretKeeper, *, incremental: bool = True,
                 nice: int = BACKGROUND_NICE) -> None:
        self.frames = frames
        self.nice = nice
        self.engine = engine
        #: Reads only what changed since the window's previous frame (capture/ocr_regions.py).
        self.incremental = IncrementalOcr(engine) if incremental else None
        self.redactor = redactor
        self.keeper = keeper
        self.wakeup = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_error: str | None = None

    def process(self, frame: FrameRow) -> str:
        """One frame; its status afterwards."""
        try:
            image = self.frames.load_image(frame)
        except FrameImageError as exc:
            log.warning("ocr: frame %d failed: %s", frame.id, exc.text())
            self.frames.fail_now(frame, exc.text())
            return "failed"
        try:
            if self.incremental is not None:
                result = self.incremental.read(
                    image, previous_reference(self.frames, frame),
                    chain=(frame.monitor, frame.app, frame.window_title))
            else:
                result = self.engine.read(image)
        except OcrUnavailable:
            raise
        except (RuntimeError, ValueError, MemoryError, OSError) as exc:
            status = self.frames.fail(frame, f"OCR failed: {type(exc).__name__}: {exc}")
            log.warning("ocr: frame %d failed (%s: %s); now %s", frame.id, type(exc).__name__,
                        exc, status)
            return status
        redacted = self.redactor.redact_ocr(result)
        # Into the vault first (sealed if it is locked): a crash before the frame is marked
        # done only re-reads it, and settle() merges the repeat.
        _kept, discarded = self.keeper.keep(
            redacted.secrets, Sighting(frame.id, frame.app, frame.captured_at))
        if discarded:
            log.info("ocr: frame %d: %d secret(s) redacted but not kept: set a vault "
                     "passphrase once so Engram can keep redacted secrets", frame.id, discarded)
        done = self.frames.complete_ocr(
            frame,
            text=redacted.text,
            lines=redacted.lines,
            redacted_image=blur_boxes(image, redacted.boxes) if redacted.boxes else None,
            secrets_found=len(redacted.secrets),
            secrets_discarded=discarded,
        )
        return "ocr_done" if done else self.frames.get(frame.id).status

    def run_pending(
        self,
        *,
        wait: bool = False,
        progress: Callable[[int, int], None] | None = None,
        stop: threading.Event | None = None,
    ) -> OcrReport:
        """OCR the frames pending now (and, with ``wait``, any that arrive meanwhile)."""
        report = OcrReport()
        stop = stop or self._stop
        while not stop.is_set():
            after = 0
            batch = self.frames.pending(limit=20)
            if not batch:
                break
            progressed = False
            while batch and not stop.is_set():
                for frame in batch:
                    if stop.is_set():
                        break
                    status = self.process(frame)
                    after = frame.id
                    if status == "ocr_done":
                        report.ocr_done += 1
                        progressed = True
                    elif status == "failed":
                        report.failed += 1
                        progressed = True
                    else:
                        report.retried += 1
                    if progress is not None:
                        progress(report.ocr_done + report.failed, self.frames.count("pending"))
                batch = self.frames.pending(limit=20, after_id=after)
            if not wait or not progressed and not self.frames.pending(limit=1):
                break
        return report

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="engram-ocr", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        lower_thread_priority(self.nice)  # its ONNX Runtime threads, created on first use, inherit it
        while not self._stop.is_set():
            try:
                report = self.run_pending()
                if report.ocr_done or report.failed:
                    trim_heap()  # OCR's large buffers go back to the system between bursts
                # While the user has the vault unlocked, sealed secrets are opened and merged.
                self.keeper.settle()
                self.last_error = None
            except KnownError as exc:
                if self.last_error != exc.text():
                    log.warning("ocr paused: %s", exc.text())
                self.last_error = exc.text()
            self.wakeup.wait(5.0)
            self.wakeup.clear()

    def stop(self) -> None:
        self._stop.set()
        self.wakeup.set()
        if self._thread is not None:
            self._thread.join()

