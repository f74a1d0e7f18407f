"""Decoding frame images off the main thread. ``QImage`` (unlike ``QPixmap``) may be used on
any thread; views turn the result into a pixmap when it arrives."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QImageReader, QPainter

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
