"""The extraction worker: consumes OCR'd frames (status ``ocr_done``) in batches, groups
them into activity segments and runs each through the pipeline.

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
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlite_utils import Database

from memory.errors import KnownError
from memory.extraction.llm_extract import JsonModel
from memory.extraction.pipeline import ExtractionPipeline, SegmentResult
from memory.extraction.segments import FrameText, Segment, closed_segments, group_segments
from memory.schema import now_iso
from memory.store import MemoryStore

log = logging.getLogger(__name__)

BATCH_FRAMES = 64
MAX_ATTEMPTS = 3
#: Queue depth above which the model is skipped (rules only) to catch up.
MODEL_BACKLOG = 120
#: Queue depth above which capture is told to slow down.
HIGH_WATER = 400
IDLE_WAIT_S = 5.0


@dataclass
class BatchReport:
    frames_extracted: int = 0
    frames_failed: int = 0
    frames_retrying: int = 0
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
        for name in ("frames_extracted", "frames_failed", "frames_retrying", "segments",
                     "model_calls", "model_skipped", "grounding_dropped", "grounding_kept",
                     "vault_skipped_locked"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for op, n in other.ops.items():
            self.ops[op] = self.ops.get(op, 0) + n


class ExtractionWorker:
    """Drives :class:`ExtractionPipeline` over the frame queue."""

    def __init__(
        self, store: MemoryStore, pipeline: ExtractionPipeline, *,
        batch_frames: int = BATCH_FRAMES, max_attempts: int = MAX_ATTEMPTS,
        model_backlog: int = MODEL_BACKLOG, high_water: int = HIGH_WATER,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self.pipeline = pipeline
        self.batch_frames = batch_frames
        self.max_attempts = max_attempts
        self.model_backlog = model_backlog
        self.high_water = high_water
        self.clock = clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_error: str | None = None
        #: Set after each batch that extracted something (for the UI and tests to wait on).
        self.batch_done = threading.Event()

    # -- queue -----------------------------------------------------------------------------

    def queue_depth(self) -> int:
        row = self.store.reader.execute(
            "SELECT count(*) FROM frames WHERE status = 'ocr_done'"
        ).fetchone()
        return int(row[0])

    def is_behind(self) -> bool:
        """True when capture should lower its rate (the queue passed its high-water mark)."""
        return self.queue_depth() > self.high_water

    def _claim(self) -> list[FrameText]:
        rows = self.store.reader.execute(
            "SELECT id, captured_at, app, window_title, url, ocr_text, ocr_lines FROM frames "
            "WHERE status = 'ocr_done' ORDER BY captured_at, id LIMIT ?",
            [self.batch_frames],
        ).fetchall()
        names = ("id", "captured_at", "app", "window_title", "url", "ocr_text", "ocr_lines")
        return [FrameText.from_row(dict(zip(names, row, strict=True))) for row in rows]

    # -- one batch -------------------------------------------------------------------------

    def run_once(self, *, drain: bool = False) -> BatchReport:
        """Extract one batch. Without ``drain`` the newest segment waits until it is
        closed (the user moved on or was away), so it is extracted whole."""
        report = BatchReport()
        frames = self._claim()
        if not frames:
            return report
        segments = group_segments(frames)
        ready = segments if drain else closed_segments(segments, now=self.clock())
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
        try:
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
        ids = [f.id for f in segment.frames]
        now = now_iso()
        self.store.writer.write(lambda db: db.conn.executemany(
            "UPDATE frames SET status = 'extracted', error = NULL, updated_at = ? WHERE id = ?",
            [(now, frame_id) for frame_id in ids],
        ))
        report.frames_extracted += len(ids)

    def _failed(self, segment: Segment, error: str, report: BatchReport) -> None:
        self.last_error = error
        ids = [f.id for f in segment.frames]
        now = now_iso()

        def mark(db: Database) -> tuple[int, int]:
            failed = retrying = 0
            for frame_id in ids:
                db.execute(
                    "UPDATE frames SET attempts = attempts + 1, error = ?, updated_at = ?, "
                    "status = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE status END "
                    "WHERE id = ?",
                    [error[:2000], now, self.max_attempts, frame_id],
                )
                status = db.execute("SELECT status FROM frames WHERE id = ?",
                                    [frame_id]).fetchone()[0]
                failed += status == "failed"
                retrying += status != "failed"
            return failed, retrying

        failed, retrying = self.store.writer.write(mark)
        report.frames_failed += failed
        report.frames_retrying += retrying

    def _count(self, report: BatchReport) -> None:
        counts = {
            "frames_extracted": report.frames_extracted,
            "frames_extraction_failed": report.frames_failed,
            "extraction_segments": report.segments,
            "extraction_model_calls": report.model_calls,
            "extraction_model_skipped_backlog": report.model_skipped,
            "grounding_dropped": report.grounding_dropped,
            "grounding_kept": report.grounding_kept,
            "vault_skipped_locked": report.vault_skipped_locked,
            **{f"memories_{op.lower()}": n for op, n in report.ops.items()},
        }
        rows = [(name, n) for name, n in counts.items() if n]
        if rows:
            self.store.writer.write(lambda db: db.conn.executemany(
                "INSERT INTO counters (name, value) VALUES (?, ?) "
                "ON CONFLICT(name) DO UPDATE SET value = value + excluded.value",
                rows,
            ))

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
            if report.frames_extracted + report.frames_failed + report.frames_retrying == 0:
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

    def _loop(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                report = self.run_once()
            except KnownError as exc:  # the store went away (disk full, locked): wait, retry
                log.warning("extraction paused: %s", exc)
                self.last_error = exc.text()
                report = BatchReport()
            if report.segments == 0:
                self._wake.wait(IDLE_WAIT_S)
                self._wake.clear()
            else:
                log.debug("extracted %d segments in %.1fs", report.segments,
                          time.monotonic() - started)
                self.batch_done.set()


def drain_store(
    store: MemoryStore, model: JsonModel | None,
    progress: Callable[[int, int], None] | None = None,
) -> BatchReport:
    """Extract every OCR'd frame of ``store`` now (``engram ingest --wait``)."""
    return ExtractionWorker(store, ExtractionPipeline(store, model)).drain(progress)
