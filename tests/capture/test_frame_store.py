"""The frame store: a durable queue with honest statuses, retention that never touches
frames awaiting extraction, and clean recovery after a crash."""

from __future__ import annotations

import logging
import time

import pytest
from PIL import Image

from bench.capture import Screen
from capture.frame_store import FrameBudgetFull, FrameStore
from capture.ocr import OcrEngine, OcrLine
from capture.pipeline import OcrWorker
from capture.redaction import Redactor, SecretKeeper
from capture.window_info import WindowInfo
from memory.schema import now_iso, to_iso
from tests.memory.archive_seed import bomb_png

WINDOW = WindowInfo("0x1", "gedit", "notes.txt - gedit", None)


def counters(store) -> dict[str, int]:
    return dict(store.reader.execute("SELECT name, value FROM counters").fetchall())


def save(frames: FrameStore, image: Image.Image, captured_at: str | None = None) -> int:
    return frames.save(image, captured_at=captured_at or now_iso(), monitor=1, window=WINDOW,
                       phash="0" * 16)


def test_statuses_move_once_and_are_counted(store) -> None:
    frames = FrameStore(store)
    frame_id = save(frames, Screen(["hello"], width=640, height=360).render())
    row = frames.get(frame_id)
    assert row.status == "pending" and row.image_bytes == (store.data_dir / row.image_path
                                                           ).stat().st_size
    assert row.image_path.endswith(".webp") and row.app == "gedit"
    line = OcrLine("hello", (300, 80, 360, 100), 0.99)
    assert frames.complete_ocr(row, text="hello", lines=[line])
    assert not frames.complete_ocr(row, text="hello", lines=[line])  # never twice
    assert frames.get(frame_id).status == "ocr_done"
    assert frames.mark_extracted([frame_id]) == 1
    assert frames.mark_extracted([frame_id]) == 0
    assert counters(store) == {"captured": 1, "ocr_done": 1, "extracted": 1}


def test_failures_are_retried_then_marked_failed(store) -> None:
    frames = FrameStore(store)
    row = frames.get(save(frames, Screen(["x"], width=320, height=200).render()))
    assert frames.fail(row, "OCR failed: boom") == "pending"
    assert frames.fail(row, "OCR failed: boom") == "pending"
    assert frames.fail(row, "OCR failed: boom") == "failed"
    final = frames.get(row.id)
    assert (final.status, final.attempts, final.error) == ("failed", 3, "OCR failed: boom")
    assert counters(store)["failed"] == 1


@pytest.mark.parametrize("damage", ["empty", "corrupt", "missing", "bomb"])
def test_a_broken_image_gives_a_failed_status_and_a_log_line(
    store, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    frames = FrameStore(store)
    good = save(frames, Screen(["fine"], width=320, height=200).render())
    bad = frames.get(save(frames, Screen(["broken"], width=320, height=200).render()))
    path = store.data_dir / bad.image_path
    if damage == "empty":
        path.write_bytes(b"")
    elif damage == "corrupt":
        path.write_bytes(b"RIFF\x00\x00\x00\x00WEBPVP8 garbage")
    elif damage == "bomb":  # a few hundred bytes declaring 4.9 billion pixels
        path.write_bytes(bomb_png(70_000, 70_000))
    else:
        path.unlink()

    worker = OcrWorker(frames, OcrEngine(), Redactor(), SecretKeeper(store))
    with caplog.at_level(logging.WARNING, logger="capture"):
        report = worker.run_pending(wait=True)
    assert report.failed == 1 and report.ocr_done == 1
    broken = frames.get(bad.id)
    assert broken.status == "failed" and str(bad.id) in broken.error
    assert {"empty": "is empty", "corrupt": "not a readable image", "missing": "is missing",
            "bomb": "decompression bomb"}[damage] in broken.error
    assert any(f"frame {bad.id} failed" in r.getMessage() for r in caplog.records)
    assert frames.get(good).status == "ocr_done"


def test_retention_by_age_and_budget_spares_frames_awaiting_extraction(store) -> None:
    image = Screen(["retention"], width=640, height=360).render()
    old = to_iso_days_ago(30)
    frames = FrameStore(store, retention_days=7, budget_bytes=10**9)
    old_pending = save(frames, image, old)
    old_done = save(frames, image, old)
    row = frames.get(old_done)
    frames.complete_ocr(row, text="retention", lines=[])
    frames.mark_extracted([old_done])
    report = frames.enforce_retention()
    assert report.deleted_frames == 1
    assert frames.get(old_pending).status == "pending"  # awaiting extraction: kept
    assert not (store.data_dir / row.image_path).exists()

    newer = [save(frames, image) for _ in range(3)]
    for frame_id in newer[:2]:
        frames.complete_ocr(frames.get(frame_id), text="t", lines=[])
    frames.mark_extracted(newer[:2])
    frames.budget_bytes = frames.bytes_used() - 1  # one image too many
    report = frames.enforce_retention()
    assert report.dropped_images == 1
    dropped = frames.get(newer[0])  # the oldest extracted one goes first
    assert dropped.image_path is None and dropped.image_bytes == 0
    assert frames.get(newer[1]).image_path is not None
    assert frames.get(newer[2]).image_path is not None


def test_a_tiny_budget_refuses_new_frames_with_a_clear_message(store) -> None:
    frames = FrameStore(store, budget_bytes=1)
    with pytest.raises(FrameBudgetFull, match="await extraction"):
        save(frames, Screen(["full"], width=320, height=200).render())
    assert list(store.data_dir.rglob("*.webp")) == []
    assert counters(store) == {}


def test_images_are_dropped_after_extraction_when_asked(store) -> None:
    frames = FrameStore(store, drop_images_after_extraction=True)
    row = frames.get(save(frames, Screen(["drop me"], width=320, height=200).render()))
    frames.complete_ocr(row, text="drop me", lines=[])
    frames.mark_extracted([row.id])
    after = frames.get(row.id)
    assert after.status == "extracted" and after.image_path is None
    assert not (store.data_dir / row.image_path).exists()
    text = store.reader.execute("SELECT ocr_text FROM frames WHERE id = ?", [row.id]).fetchone()
    assert text[0] == "drop me"


def test_recover_removes_files_without_a_row(store) -> None:
    frames = FrameStore(store)
    kept = frames.get(save(frames, Screen(["kept"], width=320, height=200).render()))
    orphan = store.data_dir / "frames" / "2026" / "01" / "01" / "orphan.webp"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"left by a crash")
    half = store.data_dir / "frames" / ".x.webp.tmp"
    half.write_bytes(b"half")
    assert frames.recover(min_age_seconds=3600) == 0  # too young: maybe another writer's
    assert frames.recover() == 2
    assert not orphan.exists() and not half.exists()
    assert (store.data_dir / kept.image_path).exists()


def to_iso_days_ago(days: int) -> str:
    from datetime import UTC, datetime, timedelta

    return to_iso(datetime.fromtimestamp(time.time(), UTC) - timedelta(days=days))
