"""An image that never went through redaction does not stay on disk once its frame has
failed: purged on the failure itself and at start-up recovery, the row kept with its error.
Real store, real WebP files, real OCR engine."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PIL import Image

from bench.capture import Screen
from capture.frame_store import MAX_ATTEMPTS, FrameStore
from capture.ocr import OcrEngine
from capture.pipeline import OcrWorker
from capture.redaction import Redactor, SecretKeeper
from capture.window_info import WindowInfo
from memory.schema import now_iso
from memory.store import MemoryStore

WINDOW = WindowInfo("0x1", "xterm", "deploy - xterm", None)


def save(frames: FrameStore, text: str) -> int:
    image: Image.Image = Screen([text], width=480, height=240).render()
    return frames.save(image, captured_at=now_iso(), monitor=1, window=WINDOW, phash="0" * 16)


def webp_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in (root / "frames").rglob("*.webp")}


def test_a_frame_that_fails_for_good_loses_its_image_and_keeps_its_error(
    store: MemoryStore,
) -> None:
    frames = FrameStore(store)
    failing = frames.get(save(frames, "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI"))
    other = frames.get(save(frames, "an ordinary frame"))
    path = store.data_dir / (failing.image_path or "")
    for attempt in range(1, MAX_ATTEMPTS):
        assert frames.fail(failing, "OCR failed: RuntimeError: onnx session died") == "pending"
        assert path.is_file(), f"a frame still to be retried keeps its image (try {attempt})"
    assert frames.fail(failing, "OCR failed: RuntimeError: onnx session died") == "failed"
    assert not path.exists()
    row = frames.get(failing.id)
    assert (row.status, row.image_path, row.image_bytes) == ("failed", None, 0)
    assert row.error == "OCR failed: RuntimeError: onnx session died"
    assert webp_files(store.data_dir) == {other.image_path}
    assert frames.bytes_used() == other.image_bytes


def test_a_broken_image_failed_by_the_ocr_worker_is_purged(
    store: MemoryStore, caplog: pytest.LogCaptureFixture
) -> None:
    frames = FrameStore(store)
    bad = frames.get(save(frames, "unreadable"))
    path = store.data_dir / (bad.image_path or "")
    path.write_bytes(b"RIFF\x00\x00\x00\x00WEBPVP8 garbage")
    worker = OcrWorker(frames, OcrEngine(), Redactor(), SecretKeeper(store))
    with caplog.at_level(logging.WARNING, logger="capture"):
        report = worker.run_pending(wait=True)
    assert report.failed == 1
    row = frames.get(bad.id)
    assert row.status == "failed" and "not a readable image" in (row.error or "")
    assert row.image_path is None and not path.exists()


def test_recovery_purges_images_an_older_version_kept_for_failed_frames(
    store: MemoryStore,
) -> None:
    frames = FrameStore(store)
    kept = frames.get(save(frames, "password: hunter2"))
    pending = frames.get(save(frames, "still waiting for OCR"))
    # What the previous release left behind: a failed row that still names its raw image.
    store.writer.write(lambda db: db.execute(
        "UPDATE frames SET status = 'failed', attempts = 3, error = ? WHERE id = ?",
        ["OCR failed: ValueError: bad frame", kept.id]))
    assert (store.data_dir / (kept.image_path or "")).is_file()

    frames.recover()
    row = frames.get(kept.id)
    assert (row.status, row.image_path, row.image_bytes) == ("failed", None, 0)
    assert row.error == "OCR failed: ValueError: bad frame"
    assert not (store.data_dir / (kept.image_path or "")).exists()
    assert webp_files(store.data_dir) == {pending.image_path}  # pending frames untouched
    assert frames.recover() == 0  # nothing left to do the second time
