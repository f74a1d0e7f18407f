"""The timeline never shows an unredacted image: a frame still pending OCR and redaction
appears blurred (thumbnail, scrub preview, full-size dialog), and a frame whose OCR failed
shows why its image was removed. Real store, real WebP files, real OCR of what is shown."""

from __future__ import annotations

import io
from datetime import date, datetime, time

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QImage

from bench.capture import Screen
from capture.frame_store import MAX_ATTEMPTS, FrameStore
from capture.ocr import OcrEngine
from capture.window_info import WindowInfo
from memory.schema import to_iso
from tests.ui.helpers import click
from ui import images
from ui.frame_dialog import FrameDialog
from ui.ops import MemoryChanges

HOUR = 20
SECRET_LINE = "DATABASE_PASSWORD=Tr0ub4dor-and-3"


def to_pil(image: QImage) -> Image.Image:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    return Image.open(io.BytesIO(bytes(buffer.data().data()))).convert("L")


def sharpness(image: QImage) -> int:
    """The largest step between neighbouring pixels: text edges give ~200, a blur a few."""
    pixels = np.asarray(to_pil(image), dtype=np.int16)
    return int(max(np.abs(np.diff(pixels, axis=0)).max(), np.abs(np.diff(pixels, axis=1)).max()))


@pytest.fixture
def frames_of_the_evening(demo_services) -> tuple[int, int]:
    """One frame still pending OCR (raw pixels on disk) and one whose OCR failed."""
    frames = FrameStore(demo_services.store)
    ids = []
    for minute, lines in ((5, [SECRET_LINE, "psql -h db.internal -U admin"]),
                          (6, ["a frame the OCR engine choked on"])):
        moment = datetime.combine(date.today(), time(HOUR, minute)).astimezone()
        image = Screen(lines, width=1280, height=720).render()
        ids.append(frames.save(image, captured_at=to_iso(moment), monitor=1,
                               window=WindowInfo("0x9", "xterm", "psql - xterm", None),
                               phash=f"{minute:016x}"))
    failed = frames.get(ids[1])
    for _ in range(MAX_ATTEMPTS):
        frames.fail(failed, "OCR failed: RuntimeError: onnxruntime session aborted")
    return ids[0], ids[1]


def test_pending_frames_are_blurred_and_failed_ones_say_why(
    qtbot, window, demo_services, frames_of_the_evening
) -> None:
    pending_id, failed_id = frames_of_the_evening
    view = window.timeline
    window.ctx.hub.memory_did_change.emit(MemoryChanges(frames=True), window)
    qtbot.waitUntil(lambda: HOUR in view.sections and view.last_load.done)
    section = view.sections[HOUR]
    qtbot.waitUntil(lambda: view._thumbs is not None and view._thumbs.done)
    raw_path = next(f.image for f in section.frames if f.id == pending_id)
    assert raw_path is not None
    raw = images.read_scaled(raw_path, images.QSize(960, 600))
    assert sharpness(raw) > 150  # the check below can fail: the raw frame is sharp

    thumb = section.items[pending_id].icon().pixmap(160, 100).toImage()
    assert sharpness(thumb) < 40

    view.scrub_segment(section.frames, 0)
    preview = view._preview
    assert preview is not None and view.current_frame().id == pending_id
    qtbot.waitUntil(lambda: preview.done)
    assert not view.preview.pixmap().isNull()
    assert images.BLURRED_NOTE in view.scrub_caption.text()
    assert sharpness(view.preview.pixmap().toImage()) < 40

    click(qtbot, view.open_button)
    qtbot.waitUntil(lambda: isinstance(window.last_frame_dialog, FrameDialog)
                    and window.last_frame_dialog.detail is not None)
    dialog = window.last_frame_dialog
    shown = dialog.image.image
    assert shown is not None and sharpness(shown) < 40
    assert images.BLURRED_NOTE in dialog.caption.text()
    engine = OcrEngine()
    seen = " ".join(line.text for line in engine.read(to_pil(shown).convert("RGB")).lines)
    assert "PASSWORD" not in seen.upper() and "psql" not in seen
    raw_text = " ".join(line.text for line in engine.read(Image.open(raw_path).convert("RGB"))
                        .lines)
    assert "psql" in raw_text  # the same OCR reads the raw file: the blur is what hides it
    dialog.close()

    view.scrub_segment(section.frames, 1)
    qtbot.waitUntil(lambda: "Image removed: OCR failed: RuntimeError: onnxruntime session "
                    "aborted" in view.scrub_caption.text())
    window.ctx.open_frame(failed_id)
    qtbot.waitUntil(lambda: window.last_frame_dialog is not dialog
                    and window.last_frame_dialog.detail is not None)
    assert window.last_frame_dialog.image_label.text() == (
        "Image removed: OCR failed: RuntimeError: onnxruntime session aborted")
    window.last_frame_dialog.close()
