"""One frame full size, with its OCR text (redacted parts shown as redacted) and the
memories extracted from it."""

from __future__ import annotations

import html
import re
from functools import partial

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.timeline import FrameDetail
from ui import actions, images
from ui.context import UiContext
from ui.memory_detail import short_time
from ui.ops import QueryOp
from ui.widgets import FlowLayout, chip, heading, subtle

#: The size a frame awaiting redaction is shown at (already blurred; see images.read_blurred).
BLURRED_SIZE = QSize(1280, 800)

#: How the capture pipeline marks redacted text: "[REDACTED]", "[REDACTED:email]",
#: "[redacted card]" or a run of block characters.
REDACTION = re.compile(r"\[(?:REDACTED|redacted):?(?P<kind>[^\]]*)\]|█+")


#: Where the dialog scrolls to: the highlighted line a chat citation came from.
HIGHLIGHT_ANCHOR = "cited-line"


def ocr_html(text: str, highlight_line: int | None = None) -> str:
    """OCR text as HTML with each redaction shown as a dark, labelled bar, and the line
    ``highlight_line`` (an index into the text's lines) marked."""
    if highlight_line is not None and 0 <= highlight_line < len(text.split("\n")):
        lines = [_redacted_html(line) for line in text.split("\n")]
        lines[highlight_line] = (
            f'<a name="{HIGHLIGHT_ANCHOR}"></a><span style="background:#ffe58a;color:#1d1d1d;">'
            f"{lines[highlight_line]}</span>")
        body = "<br>".join(lines)
    else:
        body = _redacted_html(text).replace("\n", "<br>")
    return f'<div style="white-space:pre-wrap;">{body}</div>'


def _redacted_html(text: str) -> str:
    parts: list[str] = []
    last = 0
    for match in REDACTION.finditer(text):
        parts.append(html.escape(text[last:match.start()]))
        kind = (match.group("kind") or "").strip().replace("_", " ")
        label = f"redacted {kind}".strip()
        parts.append(
            f'<span style="background:#3b3f47;color:#f2f2f2;">&nbsp;▇ {html.escape(label)}'
            '&nbsp;</span>'
        )
        last = match.end()
    parts.append(html.escape(text[last:]))
    return "".join(parts)


class FrameImage(QScrollArea):
    """The frame image, fitted to the space available, or at actual size."""

    def __init__(self) -> None:
        super().__init__()
        self.label = QLabel("Loading…")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.setWidget(self.label)
        self.setWidgetResizable(True)
        self.image: QImage | None = None
        self.actual_size = False

    def set_image(self, image: QImage) -> None:
        self.image = image
        self._update()

    def set_actual_size(self, on: bool) -> None:
        self.actual_size = on
        self.setWidgetResizable(not on)
        self._update()

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._update()

    def _update(self) -> None:
        if self.image is None:
            return
        if self.actual_size:
            self.label.setPixmap(QPixmap.fromImage(self.image))
            self.label.adjustSize()
            return
        box = self.viewport().size()
        self.label.setPixmap(QPixmap.fromImage(self.image.scaled(
            box, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation)))


class FrameDialog(QDialog):
    """``highlight_line``: the line of the frame's text to mark and scroll to (the line a
    chat citation quotes)."""

    def __init__(self, ctx: UiContext, frame_id: int, parent: QWidget | None = None,
                 highlight_line: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.frame_id = frame_id
        self.highlight_line = highlight_line
        self.setObjectName("frameDialog")
        self.setWindowTitle(f"Frame {frame_id}")
        self.image = FrameImage()
        self.image_label = self.image.label
        self.actual_size = QCheckBox("Actual size")
        self.actual_size.setObjectName("actualSize")
        self.actual_size.toggled.connect(self.image.set_actual_size)
        self.caption = subtle()
        self.caption.setObjectName("frameCaption")
        self.ocr = QTextBrowser()
        self.ocr.setObjectName("ocrText")
        self.memories = FlowLayout()
        self.no_memories = subtle("No memories were extracted from this frame yet.")
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(heading("Text on screen", role="hour"))
        side_layout.addWidget(self.ocr, 1)
        side_layout.addWidget(heading("Memories from this frame", role="hour"))
        side_layout.addWidget(self.no_memories)
        side_layout.addLayout(self.memories)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.image)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([600, 400])
        top = QHBoxLayout()
        top.addWidget(self.caption, 1)
        top.addWidget(self.actual_size)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        screen = self.screen().availableGeometry() if self.screen() else None
        width = int(screen.width() * 0.8) if screen else 1100
        height = int(screen.height() * 0.8) if screen else 700
        self.resize(width, height)
        self.detail: FrameDetail | None = None
        services = ctx.services
        self.loader = QueryOp(
            parent=self,
            op=lambda _c: self._load(services, frame_id),
            success=self._show,
        ).failure(self._failed).run_in_background()

    @staticmethod
    def _load(services: object, frame_id: int) -> tuple[FrameDetail, QImage | None]:
        detail = actions.frame_detail(services, frame_id)  # type: ignore[arg-type]
        frame = detail.frame
        if frame.image is None:
            return detail, None
        if frame.unredacted:  # never the raw grab: its secrets are not redacted yet
            return detail, images.read_blurred(frame.image, BLURRED_SIZE)
        return detail, images.read_full(frame.image)

    def _show(self, result: tuple[FrameDetail, QImage | None]) -> None:
        detail, image = result
        self.detail = detail
        frame = detail.frame
        where = " · ".join(x for x in (frame.app, frame.window_title, frame.url) if x)
        self.caption.setText(f"{short_time(frame.captured_at)} · {where or 'unknown window'} · "
                             f"{frame.status.replace('_', ' ')}"
                             + (f" · error: {frame.error}" if frame.error else ""))
        if image is not None:
            self.image.set_image(image)
            if frame.unredacted:
                self.image.setToolTip(images.BLURRED_NOTE.capitalize())
                self.caption.setText(f"{self.caption.text()} · {images.BLURRED_NOTE}")
        else:
            self.image_label.setText(frame.missing_image_note())
        self.ocr.setHtml(ocr_html(detail.ocr_text, self.highlight_line) if detail.ocr_text
                         else "<i>No text recognised (OCR pending or nothing on screen).</i>")
        if self.highlight_line is not None:
            self.ocr.scrollToAnchor(HIGHLIGHT_ANCHOR)
        for memory in detail.memories:
            self.memories.addWidget(chip(
                f"{memory.type}: {memory.summary}",
                partial(self._open_memory, memory.id), "Open this memory"))
        self.no_memories.setVisible(not detail.memories)

    def _open_memory(self, memory_id: str) -> None:
        self.ctx.open_memory(memory_id)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from ui.ops import readable_error

        self.image_label.setText(readable_error(exc))
