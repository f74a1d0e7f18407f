"""On-device OCR with RapidOCR and the ONNX models it ships: text, boxes, confidence, in
reading order.

The interface other parts depend on::

    OcrEngine().read(image) -> OcrResult(text, lines=[OcrLine(text, box, confidence)])

``box`` is ``(left, top, right, bottom)`` in the image's pixels; ``text`` is the lines
joined by newlines, top to bottom and left to right.

Speed (measured A/B on the same generated 1920x1080 screenshots, ``bench/capture.py``):
RapidOCR's defaults run text detection at full resolution on a 1080p screen (its limit is
a *minimum* side of 736 px) and recognise lines in batches of six padded to the widest.
Here detection runs on the frame scaled to at most ``det_max_side`` px (1280: 12 px UI
text is still found, while 960 starts to miss it), recognition reads each line on its own
(no padding to the batch's widest line) and the angle classifier is skipped (screens are
upright). Recognition still reads the full-resolution crops, so accuracy is unchanged.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from memory import telemetry
from memory.errors import KnownError

log = logging.getLogger(__name__)

Box = tuple[int, int, int, int]

#: Text detection sees the frame scaled to at most this many pixels on its longer side.
DET_MAX_SIDE = 1280
#: Lines recognised per ONNX call; 1 avoids padding short lines to the longest one.
REC_BATCH = 1


class OcrUnavailable(KnownError):
    """RapidOCR or its models cannot be loaded."""


@dataclass(frozen=True)
class OcrLine:
    text: str
    box: Box
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "box": list(self.box), "confidence": self.confidence}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OcrLine:
        left, top, right, bottom = (int(v) for v in data["box"])
        return cls(str(data["text"]), (left, top, right, bottom), float(data["confidence"]))


@dataclass(frozen=True)
class OcrResult:
    text: str
    lines: list[OcrLine] = field(default_factory=list)

    @classmethod
    def from_lines(cls, lines: list[OcrLine]) -> OcrResult:
        return cls("\n".join(line.text for line in lines), list(lines))


def reading_order(lines: list[OcrLine]) -> list[OcrLine]:
    """Top to bottom, and left to right among boxes that share a row.

    Two boxes share a row when their vertical centres are closer than half the smaller
    box's height, so a slightly taller word does not start a new row."""
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda item: (item.box[1] + item.box[3]) / 2):
        centre = (line.box[1] + line.box[3]) / 2
        height = max(1, line.box[3] - line.box[1])
        if rows:
            last = rows[-1][-1]
            last_centre = (last.box[1] + last.box[3]) / 2
            last_height = max(1, last.box[3] - last.box[1])
            if abs(centre - last_centre) < min(height, last_height) / 2:
                rows[-1].append(line)
                continue
        rows.append([line])
    return [line for row in rows for line in sorted(row, key=lambda item: item.box[0])]


class OcrEngine:
    """RapidOCR, loaded on first use (the ONNX sessions are the expensive part).

    One engine may be shared between threads: calls are serialised."""

    def __init__(self, *, threads: int = 2, min_confidence: float = 0.5,
                 det_max_side: int | None = DET_MAX_SIDE, rec_batch: int = REC_BATCH) -> None:
        """``det_max_side=None`` and ``rec_batch=6`` give RapidOCR's own defaults."""
        self.threads = threads
        self.min_confidence = min_confidence
        self.det_max_side = det_max_side
        self.rec_batch = rec_batch
        self._engine: Any = None
        self._lock = threading.Lock()

    @staticmethod
    def available() -> bool:
        return importlib.util.find_spec("rapidocr") is not None

    def _load(self) -> Any:
        if self._engine is None:
            try:
                telemetry.disable()
                from rapidocr import RapidOCR
            except ImportError as exc:
                raise OcrUnavailable(
                    "On-device OCR is not installed: install the 'rapidocr' and "
                    "'onnxruntime' packages (make setup does this)."
                ) from exc
            params: dict[str, Any] = {
                "Global.log_level": "error",
                "Global.text_score": self.min_confidence,
                "Global.use_cls": False,
                "EngineConfig.onnxruntime.intra_op_num_threads": self.threads,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                "Rec.rec_batch_num": self.rec_batch,
            }
            if self.det_max_side is not None:
                params["Det.limit_type"] = "max"
                params["Det.limit_side_len"] = self.det_max_side
            try:
                self._engine = RapidOCR(params=params)
            except (OSError, RuntimeError, ValueError) as exc:
                raise OcrUnavailable(
                    f"RapidOCR's bundled models could not be loaded ({exc}); reinstall rapidocr."
                ) from exc
        return self._engine

    def read(self, image: Image.Image) -> OcrResult:
        """The text in ``image``; an empty result for an image without text."""
        if image.width < 2 or image.height < 2:
            return OcrResult("", [])
        rgb = image if image.mode == "RGB" else image.convert("RGB")
        with self._lock:
            engine = self._load()
            output = engine(rgb, use_cls=False)  # a PIL image: RapidOCR converts RGB to BGR
        texts = getattr(output, "txts", None) or ()
        boxes = getattr(output, "boxes", None)
        scores = getattr(output, "scores", None) or ()
        lines: list[OcrLine] = []
        if boxes is None:
            return OcrResult("", [])
        for text, points, score in zip(texts, boxes, scores, strict=False):
            text = str(text).strip()
            if not text:
                continue
            xs = [float(p[0]) for p in points]
            ys = [float(p[1]) for p in points]
            box = (int(min(xs)), int(min(ys)), int(round(max(xs))), int(round(max(ys))))
            lines.append(OcrLine(text, box, round(float(score), 4)))
        return OcrResult.from_lines(reading_order(lines))
