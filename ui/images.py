"""Decoding frame images off the main thread. ``QImage`` (unlike ``QPixmap``) may be used on
any thread; views turn the result into a pixmap when it arrives."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QImageReader, QPainter

from app.timeline import FrameRow as Frame
from memory.errors import KnownError


class ImageUnreadable(KnownError):
    """A frame image is missing or damaged on disk."""


def read_scaled(path: Path, box: QSize) -> QImage:
    """The image at ``path`` scaled to fit ``box`` (decoded at that size when the format
    allows, which keeps a 4K WebP thumbnail cheap)."""
    reader = QImageReader(str(path))
    size = reader.size()
    if size.isValid() and (size.width() > box.width() or size.height() > box.height()):
        reader.setScaledSize(size.scaled(box, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        raise ImageUnreadable(f"Cannot read the frame image {path}: {reader.errorString()}.")
    return image


def read_full(path: Path) -> QImage:
    image = QImageReader(str(path)).read()
    if image.isNull():
        raise ImageUnreadable(f"Cannot read the frame image {path}; it may have been deleted.")
    return image


#: Width, in pixels, a frame not yet redacted is reduced to before it is shown: no text
#: survives it (a 1920-pixel-wide screen becomes 32 pixels), only the layout and colours.
BLUR_WIDTH = 32
#: How views say why a frame is blurred.
BLURRED_NOTE = "blurred until OCR and redaction finish"


def read_blurred(path: Path, box: QSize) -> QImage:
    """The image at ``path`` reduced to ``BLUR_WIDTH`` pixels across and smoothed back up to
    fit ``box``: for frames whose secrets are not yet redacted. The sharp pixels are never
    handed to a view."""
    reader = QImageReader(str(path))
    size = reader.size()
    if size.isValid() and size.width() > BLUR_WIDTH and size.height() > 0:
        height = max(1, round(size.height() * BLUR_WIDTH / size.width()))
        reader.setScaledSize(QSize(BLUR_WIDTH, height))
    image = reader.read()
    if image.isNull():
        raise ImageUnreadable(f"Cannot read the frame image {path}: {reader.errorString()}.")
    if image.width() > BLUR_WIDTH:  # the format ignored the scaled size
        image = image.scaledToWidth(BLUR_WIDTH, Qt.TransformationMode.SmoothTransformation)
    target = image.size().scaled(box, Qt.AspectRatioMode.KeepAspectRatio)
    return image.scaled(target, Qt.AspectRatioMode.IgnoreAspectRatio,
                        Qt.TransformationMode.SmoothTransformation)


def frame_image(frame: Frame, box: QSize, *, dark: bool = False,
                thumbnail: bool = False) -> QImage:
    """What a view may show of a frame, fitted to ``box``: the redacted image; a blurred one
    while OCR and redaction are pending; a captioned tile when there is no image."""
    if frame.image is None:
        return placeholder(box, frame.missing_image_note(short=thumbnail), dark=dark)
    if frame.unredacted:
        return read_blurred(frame.image, box)
    return read_scaled(frame.image, box)


def placeholder(box: QSize, text: str, *, dark: bool = False) -> QImage:
    """A neutral tile with a caption, for frames whose image was dropped after extraction."""
    image = QImage(box, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("#2b2e35" if dark else "#e3e5ea"))
    painter = QPainter(image)
    painter.setPen(QColor("#9aa0aa" if dark else "#6b7079"))
    font = QFont()
    font.setPointSizeF(max(7.0, box.height() / 10))
    painter.setFont(font)
    painter.drawText(image.rect().adjusted(6, 6, -6, -6),
                     Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
    painter.end()
    return image
