"""The extraction worker: consumes OCR'd frames (status ``ocr_done``) in batches, groups
them into activity segments and runs each through the pipeline.

The worker never touches the ``frames`` table itself: it is handed a :class:`FrameQueue`
(in the app, :class:`capture.frame_store.FrameStore`, the table's one owner), which claims
frames, marks them extracted (dropping images when the settings say so), records failures
and keeps the counters.

Crash-safe by order: a segment's frames are marked ``extracted`` only after its memories
are committed; after a crash they are extracted again and consolidation turns the repeat
into reinforcement, not duplicates. A segment that fails keeps its frames' error and
attempt count and is retried; after ``max_attempts`` its frames become ``failed``.
Back-pressure: when the queue is deep the worker skips the (slow) language model, so the
rules keep up, and :meth:`is_behind` tells capture to slow down.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from memory.background import BACKGROUND_NICE, lower_thread_priority, trim_heap
from memory.errors import KnownError
from memory.extraction import chrome
from memory.extraction.pipeline import ExtractionPipeline, SegmentResult
from memory.extraction.segments import FrameText, Segment, closed_segments, group_segments
from memory.extraction.settling import is_blank, settle

log = logging.getLogger(__name__)

BATCH_FRAMES = 64
MAX_ATTEMPTS = 3
#: Queue depth above which the model is skipped (rules only) to catch up.
MODEL_BACKLOG = 120
#: Queue depth above which capture is told to slow down.
HIGH_WATER = 400
IDLE_WAIT_S = 5.0
#: The newest segment is extracted once no frame has joined it for this long (the screen
#: stayed the same, so capture stored nothing new); a frame arriving later is consolidated
#: into the same memories as reinforcement. At 60 s a screen read for a minute became
#: searchable only after 63 s (median, `bench.soak --rate 1m`).
OPEN_SEGMENT_WAIT_S = 40.0


class QueuedFrame(Protocol):
    """What the worker reads of one OCR'd frame (a ``capture.frame_store.FrameRow``)."""

    @property
    def id(self) -> int: ...
    @property
    def captured_at(self) -> str: ...
    @property
    def app(self) -> str | None: ...
    @property
    def window_title(self) -> str | None: ...
    @property
    def url(self) -> str | None: ...
    @property
    def ocr_text(self) -> str | None: ...
    @property
    def ocr_lines(self) -> str | None: ...


class FrameQueue(Protocol):
    """The durable frame queue as extraction uses it; its owner does every write."""

    def ocr_done(self, limit: int) -> Sequence[QueuedFrame]: ...
    def ocr_done_count(self) -> int: ...
    def mark_extracted(self, frame_ids: list[int]) -> int: ...
    def fail_extraction(self, frame_ids: list[int], error: str,
                        max_attempts: int = ...) -> tuple[int, int]: ...
    def add_counters(self, counts: Mapping[str, int]) -> None: ...
    def other_windows_lines(self, app: str, window_title: str | None, *, since: str,
                            limit: int) -> list[tuple[str, str]]: ...


def frame_text(frame: QueuedFrame) -> FrameText:
    return FrameText.from_row({
        "id": frame.id, "captured_at": frame.captured_at, "app": frame.app,
        "window_title": frame.window_title, "url": frame.url, "ocr_text": frame.ocr_text,
        "ocr_lines": frame.ocr_lines,
    })


@dataclass
class BatchReport:
    frames_extracted: int = 0
    frames_failed: int = 0
    frames_retrying: int = 0
    frames_blank: int = 0
    segments: int = 0
    model_calls: int = 0
    model_skipped: int = 0
    ops: dict[str, int] = field(default_factory=dict)
    grounding_dropped: int = 0
    grounding_kept: int = 0
    vault_skipped_locked: int = 0

    def add(self, result: SegmentResult) -> None:
        self.segments += 1
        for op, n in result.report.ops.items():
            self.ops[op] = self.ops.get(op, 0) + n
        self.grounding_dropped += result.grounding.dropped
        self.grounding_kept += result.grounding.kept
        self.vault_skipped_locked += result.report.vault_skipped_locked
        self.model_calls += int(result.model_used)

    def merge(self, other: BatchReport) -> None:
        for name in ("frames_extracted", "frames_failed", "frames_retrying", "frames_blank",
                     "segments",
                     "model_calls", "model_skipped", "grounding_dropped", "grounding_kept",
                     "vault_skipped_locked"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for op, n in other.ops.items():
            self.ops[op] = self.ops.get(op, 0) + n


class ExtractionWorker:
    """Drives :class:`ExtractionPipeline` over the frame queue."""

    def __init__(
        self, frames: FrameQueue, pipeline: ExtractionPipeline, *,
        batch_frames: int = BATCH_FRAMES, max_attempts: int = MAX_ATTEMPTS,
        model_backlog: int = MODEL_BACKLOG, high_water: int = HIGH_WATER,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        input_idle_seconds: Callable[[], float | None] | None = None,
        wait_for_idle_seconds: float = 0.0,
        nice: int = BACKGROUND_NICE,
    ) -> None:
        self.frames = frames
        self.pipeline = pipeline
        self.batch_frames = batch_frames
        self.max_attempts = max_attempts
        self.model_backlog = model_backlog
        self.high_water = high_water
        self.clock = clock
        #: Seconds since the user's last input (None when unknown): with
        #: ``wait_for_idle_seconds`` > 0 the background loop extracts only after such a pause
        #: (or when the queue passes its high-water mark); frames wait in the durable queue.
        self.input_idle_seconds = input_idle_seconds
        self.wait_for_idle_seconds = wait_for_idle_seconds
        #: CPU priority of the background loop's thread (and the threads it starts).
        self.nice = nice
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_error: str | None = None
        #: Set after each batch that extracted something (for the UI and tests to wait on).
        self.batch_done = threading.Event()

    # -- queue -----------------------------------------------------------------------------

    def queue_depth(self) -> int:
        return self.frames.ocr_done_count()

    def is_behind(self) -> bool:
        """True when capture should lower its rate (the queue passed its high-water mark)."""
        return self.queue_depth() > self.high_water

    def _claim(self) -> list[FrameText]:
        return [frame_text(frame) for frame in self.frames.ocr_done(self.batch_frames)]

    # -- one batch -------------------------------------------------------------------------

    def run_once(self, *, drain: bool = False) -> BatchReport:
        """Extract one batch. Without ``drain`` the newest segment waits until it is
        closed (the user moved on or was away), so it is extracted whole."""
        report = BatchReport()
        frames = self._claim()
        if not frames:
            return report
        segments = group_segments(settle(frames))
        ready = segments if drain else closed_segments(
            segments, now=self.clock(), max_gap_seconds=OPEN_SEGMENT_WAIT_S)
        if not ready and len(frames) >= self.batch_frames:
            ready = segments  # one long activity fills the batch: take it in parts
        use_model = self.queue_depth() <= self.model_backlog
        for segment in ready:
            self._run_segment(segment, use_model, report)
        if not use_model:
            report.model_skipped = len(ready)
        self._count(report)
        return report

    def _run_segment(self, segment: Segment, use_model: bool, report: BatchReport) -> None:
        if all(is_blank(frame) for frame in segment.frames):  # nothing to remember
            report.frames_blank += self.frames.mark_extracted(_ids(segment))
            return
        try:
            segment.app_chrome = chrome.learn(self.frames, segment)
            result = self.pipeline.extract_segment(segment, use_model=use_model)
        except KnownError as exc:
            log.warning("extraction of frames %s failed: %s", segment.frame_ids, exc)
            self._failed(segment, exc.text(), report)
            return
        except Exception as exc:  # a bug: keep the trace, keep the frames for a retry
            log.exception("extraction of frames %s crashed", segment.frame_ids)
            self._failed(segment, f"{type(exc).__name__}: {exc}", report)
            return
        report.add(result)
        report.frames_extracted += self.frames.mark_extracted(_ids(segment))

    def _failed(self, segment: Segment, error: str, report: BatchReport) -> None:
        self.last_error = error
        failed, retrying = self.frames.fail_extraction(_ids(segment), error, self.max_attempts)
        report.frames_failed += failed
        report.frames_retrying += retrying

    def _count(self, report: BatchReport) -> None:
        counts = {
            "extraction_segments": report.segments,
            "frames_blank": report.frames_blank,
            "extraction_model_calls": report.model_calls,
            "extraction_model_skipped_backlog": report.model_skipped,
            "grounding_dropped": report.grounding_dropped,
            "grounding_kept": report.grounding_kept,
            "vault_skipped_locked": report.vault_skipped_locked,
            **{f"memories_{op.lower()}": n for op, n in report.ops.items()},
        }
        self.frames.add_counters(counts)

    # -- draining and the background thread ---------------------------------------------

    def drain(self, progress: Callable[[int, int], None] | None = None) -> BatchReport:
        """Extract until no ``ocr_done`` frame is left (``engram ingest --wait``)."""
        total = BatchReport()
        start_depth = self.queue_depth()
        while True:
            report = self.run_once(drain=True)
            total.merge(report)
            if progress is not None:
                progress(total.frames_extracted + total.frames_failed, start_depth)
            if (report.frames_extracted + report.frames_failed + report.frames_retrying
                    + report.frames_blank == 0):
                return total

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="engram-extract", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """New OCR'd frames are waiting."""
        self._wake.set()

    def stop(self, timeout: float | None = None) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def user_is_busy(self) -> bool:
        """True while the background loop should leave the CPU to the user."""
        if self.wait_for_idle_seconds <= 0 or self.input_idle_seconds is None:
            return False
        idle = self.input_idle_seconds()
        return idle is not None and idle < self.wait_for_idle_seconds and not self.is_behind()

    def _loop(self) -> None:
        lower_thread_priority(self.nice)
        worked = False
        while not self._stop.is_set():
            if self.user_is_busy():
                self._wake.wait(min(IDLE_WAIT_S, self.wait_for_idle_seconds))
                self._wake.clear()
                continue
            started = time.monotonic()
            try:
                report = self.run_once()
            except KnownError as exc:  # the store went away (disk full, locked): wait, retry
                log.warning("extraction paused: %s", exc)
                self.last_error = exc.text()
                report = BatchReport()
            if report.segments == 0:
                if worked:
                    trim_heap()  # the batch's buffers go back to the system while idle
                    worked = False
                self._wake.wait(IDLE_WAIT_S)
                self._wake.clear()
            else:
                worked = True
                log.debug("extracted %d segments in %.1fs", report.segments,
                          time.monotonic() - started)
                self.batch_done.set()


def _ids(segment: Segment) -> list[int]:
    return [int(frame.id) for frame in segment.frames]
