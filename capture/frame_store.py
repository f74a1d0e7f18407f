"""Kept frames: a WebP file under ``frames/`` and a row in the ``frames`` table, which is
also the durable work queue (status pending -> ocr_done -> extracted, or failed).

This module is the one owner of the ``frames`` and ``counters`` tables: every status change,
the queue, the read models (:class:`FrameRow`, for capture, OCR, extraction and the timeline)
and the pipeline counters go through :class:`FrameStore`. (The portable archive copies rows
wholesale, column by column, and stays apart.)

Every status change is one writer transaction guarded by the status it expects, so a frame
is never processed twice, and a kill -9 at any moment leaves either the old state or the
new one. Files are written (temp file, fsync, rename) before their row commits; a file
without a row, left by a crash, is removed by :meth:`FrameStore.recover` on start.
"""

from __future__ import annotations

import io
import json
import logging
import os
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError
from sqlite_utils import Database

from capture.ocr import OcrLine
from capture.window_info import WindowInfo
from memory.database import as_known_error
from memory.errors import KnownError, NotFound
from memory.images import ImageTooLarge, open_image
from memory.schema import now_iso, parse_iso, to_iso
from memory.store import MemoryStore

log = logging.getLogger(__name__)

FRAMES_DIR = "frames"
MAX_ATTEMPTS = 3
#: Frames still waiting for extraction are never deleted by retention.
IN_FLIGHT = ("pending", "ocr_done")
#: Frame statuses whose stored image has been through OCR and pixel redaction. Any other
#: frame's image is the raw grab: shown only blurred, and purged if its OCR fails.
REDACTED_STATUSES = ("ocr_done", "extracted")


class FrameBudgetFull(KnownError):
    """The frames' byte budget is used up by frames that still await extraction."""


class FrameImageError(KnownError):
    """A frame's image file is missing, empty or not an image."""


@dataclass(frozen=True)
class FrameRow:
    """One frame row, the only frame type: capture, OCR, extraction and the timeline all
    read it. ``image`` is the absolute image file when it exists on disk (None once it was
    dropped after extraction or by retention); ``ocr_text``/``ocr_lines`` (JSON) are filled
    only by the read models that need them."""

    id: int
    captured_at: str
    monitor: int
    app: str | None
    window_title: str | None
    url: str | None
    width: int | None
    height: int | None
    image_path: str | None
    image_bytes: int
    status: str
    error: str | None
    attempts: int
    image: Path | None = None
    ocr_text: str | None = None
    ocr_lines: str | None = None

    @property
    def unredacted(self) -> bool:
        """Its image is the raw grab (OCR and redaction not done): show it only blurred."""
        return self.status not in REDACTED_STATUSES

    def missing_image_note(self, *, short: bool = False) -> str:
        """Why there is no image to show (``image`` is None), in the user's words;
        ``short`` for a thumbnail."""
        if self.status == "failed":
            if short:
                return "Image removed: OCR failed"
            reason = (self.error or "unknown error").removeprefix("OCR failed: ")
            return f"Image removed: OCR failed: {reason}"
        if self.status in REDACTED_STATUSES:
            return (self.app or "image dropped") if short else (
                "Image dropped after extraction; its text is kept.")
        return "Image missing."


_ROW_COLUMNS = ("id, captured_at, monitor, app, window_title, url, width, height, image_path, "
                "image_bytes, status, error, attempts")
_TEXT_COLUMNS = f"{_ROW_COLUMNS}, ocr_text, ocr_lines"


@dataclass
class RetentionReport:
    deleted_frames: int = 0
    dropped_images: int = 0
    freed_bytes: int = 0


def bump(db: Database, name: str, amount: int = 1) -> None:
    """Add to a pipeline counter inside the caller's transaction."""
    db.execute(
        "INSERT INTO counters(name, value) VALUES (?, ?) "
        "ON CONFLICT(name) DO UPDATE SET value = value + excluded.value",
        [name, amount],
    )


def _forget_failed_images(db: Database, frame_ids: list[int]) -> list[str]:
    """Inside the caller's transaction: drop the image of these failed frames from their
    rows (the row keeps its error); the files to delete once the transaction commits. A
    crash before the deletion leaves files without a row, which ``recover`` removes."""
    paths: list[str] = []
    for frame_id in frame_ids:
        row = db.execute("SELECT image_path FROM frames WHERE id = ? AND status = 'failed'",
                         [frame_id]).fetchone()
        if row is None or row[0] is None:
            continue
        db.execute("UPDATE frames SET image_path = NULL, image_bytes = 0 WHERE id = ?",
                   [frame_id])
        paths.append(str(row[0]))
    return paths
def read_counters(store: MemoryStore) -> dict[str, int]:
    """Every pipeline counter (``engram status``)."""
    return {str(name): int(value)
            for name, value in store.reader.execute("SELECT name, value FROM counters")}


def encode_webp(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="WEBP", quality=quality, method=4)
    return buffer.getvalue()


class FrameStore:
    def __init__(
        self,
        store: MemoryStore,
        *,
        quality: int = 60,
        retention_days: int = 90,
        budget_bytes: int = 5000 * 1024 * 1024,
        drop_images_after_extraction: bool = False,
    ) -> None:
        self.store = store
        self.data_dir = store.data_dir
        self.frames_dir = self.data_dir / FRAMES_DIR
        self.quality = quality
        self.retention_days = retention_days
        self.budget_bytes = budget_bytes
        self.drop_images_after_extraction = drop_images_after_extraction

    # -- files ----------------------------------------------------------------------------

    def _write_file(self, relative: str, data: bytes) -> None:
        path = self.data_dir / relative
        tmp = path.with_name(f".{path.name}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with open(tmp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise as_known_error(exc, path.parent) from exc

    def _new_relative_path(self, captured_at: str, monitor: int) -> str:
        moment = parse_iso(captured_at)
        stamp = moment.strftime("%Y%m%dT%H%M%S%f")
        return f"{FRAMES_DIR}/{moment:%Y/%m/%d}/{stamp}-m{monitor}-{secrets.token_hex(3)}.webp"

    def _unlink(self, relative: str | None) -> None:
        if relative:
            (self.data_dir / relative).unlink(missing_ok=True)

    def _row(self, row: Any) -> FrameRow:
        """A ``_ROW_COLUMNS`` (or ``_TEXT_COLUMNS``) result as a :class:`FrameRow`."""
        image = (self.data_dir / row[8]) if row[8] else None
        return FrameRow(
            id=int(row[0]), captured_at=row[1], monitor=int(row[2] or 0), app=row[3],
            window_title=row[4], url=row[5], width=row[6], height=row[7], image_path=row[8],
            image_bytes=int(row[9] or 0), status=row[10], error=row[11],
            attempts=int(row[12] or 0),
            image=image if image is not None and image.is_file() else None,
            ocr_text=row[13] if len(row) > 13 else None,
            ocr_lines=row[14] if len(row) > 14 else None,
        )

    # -- capture side ---------------------------------------------------------------------

    def bytes_used(self) -> int:
        row = self.store.reader.execute("SELECT coalesce(sum(image_bytes), 0) FROM frames")
        return int(row.fetchone()[0])

    def save(
        self,
        image: Image.Image,
        *,
        captured_at: str,
        monitor: int,
        window: WindowInfo,
        phash: str,
    ) -> int:
        """Store one kept frame as pending; its id. Raises FrameBudgetFull when the budget
        cannot hold it even after retention, and StoreUnavailable when the disk is full."""
        data = encode_webp(image, self.quality)
        if self.bytes_used() + len(data) > self.budget_bytes:
            self.enforce_retention()
            used = self.bytes_used()
            if used + len(data) > self.budget_bytes:
                raise FrameBudgetFull(
                    f"Frames use {used // 1024} KB of their {self.budget_bytes // 1024} KB budget "
                    "and all of them still await extraction; capture is paused until ingest "
                    "catches up or the budget (frame_budget_mb) is raised."
                )
        relative = self._new_relative_path(captured_at, monitor)
        self._write_file(relative, data)

        def insert(db: Database) -> int:
            cursor = db.execute(
                "INSERT INTO frames (captured_at, monitor, app, window_title, url, width, height,"
                " phash, image_path, image_bytes, status, attempts, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?)",
                [captured_at, monitor, window.app, window.title, window.url, image.width,
                 image.height, phash, relative, len(data), now_iso()],
            )
            bump(db, "captured")
            return int(cursor.lastrowid or 0)

        try:
            return self.store.writer.write(insert)
        except BaseException:
            self._unlink(relative)
            raise

    # -- OCR side -------------------------------------------------------------------------

    def get(self, frame_id: int, *, with_text: bool = False) -> FrameRow:
        columns = _TEXT_COLUMNS if with_text else _ROW_COLUMNS
        row = self.store.reader.execute(
            f"SELECT {columns} FROM frames WHERE id = ?", [frame_id]
        ).fetchone()
        if row is None:
            raise NotFound(f"There is no frame {frame_id}; it may have been deleted by "
                           "retention.")
        return self._row(row)

    def pending(self, limit: int = 50, *, after_id: int = 0) -> list[FrameRow]:
        rows = self.store.reader.execute(
            f"SELECT {_ROW_COLUMNS} FROM frames WHERE status = 'pending' AND id > ? "
            "ORDER BY id LIMIT ?",
            [after_id, limit],
        ).fetchall()
        return [self._row(row) for row in rows]

    def count(self, status: str) -> int:
        row = self.store.reader.execute("SELECT count(*) FROM frames WHERE status = ?", [status])
        return int(row.fetchone()[0])

    def status_counts(self) -> dict[str, int]:
        """Frames per status (``engram status``)."""
        return {str(status): int(n) for status, n in self.store.reader.execute(
            "SELECT status, count(*) FROM frames GROUP BY status")}

    def queue_length(self) -> int:
        """Frames still to be OCR'd or extracted."""
        row = self.store.reader.execute(
            f"SELECT count(*) FROM frames WHERE status IN {IN_FLIGHT!r}").fetchone()
        return int(row[0])

    def latest_with_image(self, monitor: int) -> FrameRow | None:
        """The newest frame of ``monitor`` that still has its image (dedup's reference)."""
        row = self.store.reader.execute(
            f"SELECT {_ROW_COLUMNS} FROM frames WHERE monitor = ? AND image_path IS NOT NULL"
            " ORDER BY id DESC LIMIT 1", [monitor]).fetchone()
        return self._row(row) if row is not None else None

    def previous_ocr_reference(self, frame: FrameRow, lookback: int) -> FrameRow | None:
        """The last OCR'd frame (with its lines and image) before ``frame`` on the same
        monitor and window with the same size, at most ``lookback`` ids back."""
        row = self.store.reader.execute(
            f"SELECT {_TEXT_COLUMNS} FROM frames WHERE monitor = ? AND id < ? AND id >= ?"
            " AND status IN ('ocr_done', 'extracted') AND app IS ? AND window_title IS ?"
            " AND width IS ? AND height IS ? AND image_path IS NOT NULL"
            " AND ocr_lines IS NOT NULL ORDER BY id DESC LIMIT 1",
            [frame.monitor, frame.id, frame.id - lookback, frame.app, frame.window_title,
             frame.width, frame.height],
        ).fetchone()
        return self._row(row) if row is not None else None

    # -- timeline read models -------------------------------------------------------------

    def between(self, since: str, until: str, *, app: str | None = None,
                limit: int = 20_000) -> list[FrameRow]:
        """Frames captured in ``[since, until)`` (ISO UTC), oldest first, optionally of one
        app."""
        where, params = "captured_at >= ? AND captured_at < ?", [since, until]
        if app:
            where += " AND app = ? COLLATE NOCASE"
            params.append(app)
        rows = self.store.reader.execute(
            f"SELECT {_ROW_COLUMNS} FROM frames WHERE {where} ORDER BY captured_at, id LIMIT ?",
            [*params, limit],
        ).fetchall()
        return [self._row(r) for r in rows]

    def app_counts(self, since: str, until: str) -> dict[str, int]:
        """Frames per app in ``[since, until)``."""
        return {str(app): int(n) for app, n in self.store.reader.execute(
            "SELECT app, count(*) FROM frames WHERE captured_at >= ? AND captured_at < ? "
            "AND app IS NOT NULL AND app != '' GROUP BY app", [since, until])}

    def last_change(self) -> str:
        """The newest ``updated_at`` of any frame ('' when there is none): a cheap marker."""
        row = self.store.reader.execute(
            "SELECT coalesce(max(updated_at), '') FROM frames").fetchone()
        return str(row[0])

    def load_image(self, frame: FrameRow) -> Image.Image:
        if not frame.image_path:
            raise FrameImageError(f"Frame {frame.id} has no image.")
        path = self.data_dir / frame.image_path
        try:
            if path.stat().st_size == 0:
                raise FrameImageError(f"Frame {frame.id}'s image {frame.image_path} is empty.")
            with open_image(path, frame.image_path) as opened:
                opened.load()
                image = opened.convert("RGB")
        except ImageTooLarge as exc:
            raise FrameImageError(f"Frame {frame.id}: {exc.text()}") from exc
        except FileNotFoundError as exc:
            raise FrameImageError(
                f"Frame {frame.id}'s image {frame.image_path} is missing."
            ) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise FrameImageError(
                f"Frame {frame.id}'s image {frame.image_path} is not a readable image ({exc})."
            ) from exc
        if image.width == 0 or image.height == 0:
            raise FrameImageError(f"Frame {frame.id}'s image has zero size.")
        return image

    def complete_ocr(
        self,
        frame: FrameRow,
        *,
        text: str,
        lines: list[OcrLine],
        redacted_image: Image.Image | None = None,
        candidates: list[tuple[str, str, bytes]] = (),  # type: ignore[assignment]
        secrets_found: int = 0,
        secrets_discarded: int = 0,
    ) -> bool:
        """pending -> ocr_done with the (already redacted) text. A redacted image replaces
        the original: the new file is written first, the row switched to it in the same
        transaction, then the original deleted. False when the frame was no longer pending
        (someone else finished it): nothing is written twice."""
        new_relative: str | None = None
        new_bytes = frame.image_bytes
        if redacted_image is not None:
            new_relative = self._new_relative_path(frame.captured_at, frame.monitor)
            data = encode_webp(redacted_image, self.quality)
            self._write_file(new_relative, data)
            new_bytes = len(data)
        lines_json = json.dumps([line.to_dict() for line in lines], ensure_ascii=False)

        def apply(db: Database) -> bool:
            cursor = db.execute(
                "UPDATE frames SET status = 'ocr_done', ocr_text = ?, ocr_lines = ?, error = NULL,"
                " image_path = coalesce(?, image_path), image_bytes = ?, updated_at = ?"
                " WHERE id = ? AND status = 'pending'",
                [text, lines_json, new_relative, new_bytes, now_iso(), frame.id],
            )
            if cursor.rowcount != 1:
                return False
            for kind, caption, sealed in candidates:
                db.execute(
                    "INSERT INTO capture_vault_candidates (frame_id, kind, caption, sealed,"
                    " created_at) VALUES (?, ?, ?, ?, ?)",
                    [frame.id, kind, caption, sealed, now_iso()],
                )
            bump(db, "ocr_done")
            if secrets_found:
                bump(db, "secrets_redacted", secrets_found)
            if secrets_discarded:
                bump(db, "secrets_discarded", secrets_discarded)
            return True

        try:
            done = self.store.writer.write(apply)
        except BaseException:
            self._unlink(new_relative)
            raise
        if not done:
            self._unlink(new_relative)
        elif new_relative is not None:
            self._unlink(frame.image_path)
        return done

    def fail(self, frame: FrameRow, error: str) -> str:
        """Record a failed attempt; the frame stays pending (retried) until MAX_ATTEMPTS,
        then becomes failed and its (never redacted) image is purged. Its new status."""
        purged: list[str] = []

        def apply(db: Database) -> str:
            row = db.execute(
                "SELECT attempts, status FROM frames WHERE id = ?", [frame.id]
            ).fetchone()
            if row is None or row[1] != "pending":
                return row[1] if row else "gone"
            attempts = int(row[0]) + 1
            status = "failed" if attempts >= MAX_ATTEMPTS else "pending"
            db.execute(
                "UPDATE frames SET attempts = ?, status = ?, error = ?, updated_at = ?"
                " WHERE id = ?",
                [attempts, status, error, now_iso(), frame.id],
            )
            if status == "failed":
                bump(db, "failed")
                purged.extend(_forget_failed_images(db, [frame.id]))
            return status

        status = self.store.writer.write(apply)
        self._unlink_all(purged)
        return status

    def fail_now(self, frame: FrameRow, error: str) -> None:
        """A failure retrying cannot fix (the image is gone or broken): failed at once, and
        whatever is left of its image purged."""
        purged: list[str] = []

        def apply(db: Database) -> None:
            cursor = db.execute(
                "UPDATE frames SET attempts = attempts + 1, status = 'failed', error = ?,"
                " updated_at = ? WHERE id = ? AND status = 'pending'",
                [error, now_iso(), frame.id],
            )
            if cursor.rowcount == 1:
                bump(db, "failed")
                purged.extend(_forget_failed_images(db, [frame.id]))

        self.store.writer.write(apply)
        self._unlink_all(purged)

    def purge_failed_images(self) -> int:
        """Delete the images failed frames still have (left by an older version, which
        kept them): an image that never went through redaction must not stay on disk. The
        rows and their errors stay. How many images went."""

        def apply(db: Database) -> list[str]:
            ids = [int(row[0]) for row in db.execute(
                "SELECT id FROM frames WHERE status = 'failed' AND image_path IS NOT NULL")]
            return _forget_failed_images(db, ids)

        purged = self.store.writer.write(apply)
        self._unlink_all(purged)
        if purged:
            log.info("recovery: purged the images of %d failed frames", len(purged))
        return len(purged)

    def _unlink_all(self, relatives: list[str]) -> None:
        for relative in relatives:
            self._unlink(relative)

    # -- extraction side ------------------------------------------------------------------

    def ocr_done(self, limit: int) -> list[FrameRow]:
        """The oldest OCR'd frames awaiting extraction, with their text."""
        rows = self.store.reader.execute(
            f"SELECT {_TEXT_COLUMNS} FROM frames WHERE status = 'ocr_done'"
            " ORDER BY captured_at, id LIMIT ?", [limit]).fetchall()
        return [self._row(r) for r in rows]

    def other_windows_lines(self, app: str, window_title: str | None, *, since: str,
                            limit: int) -> list[tuple[str, str]]:
        """(window title, OCR lines as stored: JSON with boxes) of the newest ``limit`` read
        frames of ``app`` captured from ``since`` on, in its windows other than
        ``window_title``: what extraction compares a window with to tell the app's own
        chrome from the page."""
        marks = ",".join("?" * len(REDACTED_STATUSES))
        rows = self.store.reader.execute(
            "SELECT window_title, ocr_lines FROM frames WHERE app = ? AND captured_at >= ?"
            f" AND status IN ({marks}) AND window_title IS NOT NULL AND window_title IS NOT ?"
            " AND ocr_lines IS NOT NULL ORDER BY captured_at DESC LIMIT ?",
            [app, since, *REDACTED_STATUSES, window_title, limit]).fetchall()
        return [(str(r[0]), str(r[1])) for r in rows]

    def ocr_done_count(self) -> int:
        """The extraction queue's depth."""
        return self.count("ocr_done")

    def mark_extracted(self, frame_ids: list[int]) -> int:
        """ocr_done -> extracted, dropping images when the setting says so; how many moved."""
        if not frame_ids:
            return 0
        marks = ",".join("?" * len(frame_ids))
        dropped: list[str] = []

        def apply(db: Database) -> int:
            if self.drop_images_after_extraction:
                dropped.extend(
                    row[0] for row in db.execute(
                        f"SELECT image_path FROM frames WHERE id IN ({marks})"
                        " AND status = 'ocr_done' AND image_path IS NOT NULL", frame_ids)
                )
            cursor = db.execute(
                f"UPDATE frames SET status = 'extracted', error = NULL, updated_at = ?"
                f"{', image_path = NULL, image_bytes = 0' if self.drop_images_after_extraction else ''}"
                f" WHERE id IN ({marks}) AND status = 'ocr_done'",
                [now_iso(), *frame_ids],
            )
            if cursor.rowcount:
                bump(db, "extracted", cursor.rowcount)
            return int(cursor.rowcount)

        moved = self.store.writer.write(apply)
        for relative in dropped:
            self._unlink(relative)
        return moved

    def fail_extraction(self, frame_ids: list[int], error: str,
                        max_attempts: int = MAX_ATTEMPTS) -> tuple[int, int]:
        """Record a failed extraction attempt on OCR'd frames: they stay ``ocr_done``
        (retried) until ``max_attempts``, then become failed. (failed, retrying)."""

        def apply(db: Database) -> tuple[int, int]:
            failed = retrying = 0
            for frame_id in frame_ids:
                row = db.execute("SELECT attempts FROM frames WHERE id = ?"
                                 " AND status = 'ocr_done'", [frame_id]).fetchone()
                if row is None:
                    continue
                status = "failed" if int(row[0]) + 1 >= max_attempts else "ocr_done"
                db.execute(
                    "UPDATE frames SET attempts = attempts + 1, error = ?, updated_at = ?,"
                    " status = ? WHERE id = ?", [error[:2000], now_iso(), status, frame_id])
                failed += status == "failed"
                retrying += status != "failed"
            if failed:
                bump(db, "failed", failed)
            return failed, retrying

        return self.store.writer.write(apply)

    def add_counters(self, counts: Mapping[str, int]) -> None:
        """Add to several pipeline counters in one transaction (zeros are skipped)."""
        rows = [(name, n) for name, n in counts.items() if n]
        if not rows:
            return

        def apply(db: Database) -> None:
            for name, n in rows:
                bump(db, name, n)

        self.store.writer.write(apply)

    # -- retention and recovery -----------------------------------------------------------

    def enforce_retention(self, now: float | None = None) -> RetentionReport:
        """Delete frames older than ``retention_days``, then drop the oldest images until
        the budget holds; frames awaiting extraction are never touched."""
        report = RetentionReport()
        from datetime import UTC, datetime

        moment = datetime.fromtimestamp(now if now is not None else time.time(), UTC)
        in_flight = ",".join(f"'{status}'" for status in IN_FLIGHT)
        doomed: list[tuple[int, str | None, int]] = []
        if self.retention_days > 0:
            cutoff = to_iso(moment - timedelta(days=self.retention_days))
            doomed = [(int(row[0]), row[1], int(row[2])) for row in self.store.reader.execute(
                f"SELECT id, image_path, image_bytes FROM frames WHERE captured_at < ?"
                f" AND status NOT IN ({in_flight})", [cutoff])]
        over = self.bytes_used() - sum(row[2] for row in doomed) - self.budget_bytes
        drops: list[tuple[int, str | None, int]] = []
        if over > 0:
            doomed_ids = {row[0] for row in doomed}
            for row in self.store.reader.execute(
                f"SELECT id, image_path, image_bytes FROM frames WHERE image_path IS NOT NULL"
                f" AND status NOT IN ({in_flight}) ORDER BY captured_at, id"
            ):
                if over <= 0:
                    break
                if row[0] in doomed_ids:
                    continue
                drops.append((row[0], row[1], row[2]))
                over -= row[2]
        if not doomed and not drops:
            return report

        def apply(db: Database) -> None:
            for frame_id, _path, _bytes in doomed:
                db.execute(f"DELETE FROM frames WHERE id = ? AND status NOT IN ({in_flight})",
                           [frame_id])
            for frame_id, _path, _bytes in drops:
                db.execute(
                    "UPDATE frames SET image_path = NULL, image_bytes = 0, updated_at = ?"
                    f" WHERE id = ? AND status NOT IN ({in_flight})", [now_iso(), frame_id])

        self.store.writer.write(apply)
        for _frame_id, path, size in doomed:
            self._unlink(path)
            report.freed_bytes += size
        for _frame_id, path, size in drops:
            self._unlink(path)
            report.freed_bytes += size
        report.deleted_frames, report.dropped_images = len(doomed), len(drops)
        log.info("retention: deleted %d old frames, dropped %d images, freed %d KB",
                 report.deleted_frames, report.dropped_images, report.freed_bytes // 1024)
        return report

    def recover(self, *, min_age_seconds: float = 0.0) -> int:
        """Remove files a crash left without a row (and half-written temp files), and the
        images failed frames still hold (:meth:`purge_failed_images`).

        Only call it with ``min_age_seconds=0`` when no other process is capturing into
        this folder (the pipeline holds the capture lock): a file written a moment ago may
        be about to get its row."""
        self.purge_failed_images()
        if not self.frames_dir.exists():
            return 0
        known = {row[0] for row in self.store.reader.execute(
            "SELECT image_path FROM frames WHERE image_path IS NOT NULL")}
        removed = 0
        for path in self.frames_dir.rglob("*"):
            if not path.is_file():
                continue
            relative = path.relative_to(self.data_dir).as_posix()
            if relative in known:
                continue
            try:
                age = time.time() - path.stat().st_mtime
            except OSError:
                continue
            if age >= min_age_seconds:
                path.unlink(missing_ok=True)
                removed += 1
        if removed:
            log.info("recovery: removed %d frame files left without a row by a crash", removed)
        return removed

    def frame_dict(self, frame: FrameRow) -> dict[str, Any]:
        return {name: getattr(frame, name) for name in FrameRow.__dataclass_fields__}
