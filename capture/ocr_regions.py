"""Incremental OCR: read only what changed since the previous frame of the same window.

Between two kept frames a screen mostly stays the same: a chat gains a message, a document
a typed line, the clock ticks. The reference is the previous OCR'd frame of the same
monitor and window, as stored (its image and its line boxes). Both frames are shrunk 2x in
grey and compared; a 16 px tile changed when a pixel in it moved by more than compression
noise. Changed tiles are grouped into rectangles, each grown by a margin and then to cover
every previous line it touches (a line is always read whole, never half old and half new),
and only those rectangles are OCR'd. Previous lines outside them are kept as they were:
text, box and confidence. The whole frame is read when there is no usable reference, when
most of it changed (another page, a scroll) and every ``FULL_EVERY`` frames of a window, so
changes too slow to pass the noise level between two frames cannot pile up.

Redaction stays whole: a previous line holding a ``[REDACTED:...]`` placeholder is always
read again (and the stored reference has that line blurred, so it differs anyway), so the
secret on the new frame is found, blurred and handed to the vault like on the first.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np
from PIL import Image

from capture.ocr import Box, OcrEngine, OcrLine, OcrResult, reading_order
from memory.errors import KnownError

if TYPE_CHECKING:
    from capture.frame_store import FrameRow, FrameStore

log = logging.getLogger(__name__)

#: Frames are compared shrunk by this factor (it averages compression noise away).
REDUCE = 2
#: A shrunk grey pixel changed when it moved by more than this (0-255). WebP at quality 60
#: moves unchanged pixels by at most ~20 after the 2x shrink; a changed glyph by 60-250.
PIXEL_NOISE = 36
#: Tile side in shrunk pixels (16 screen pixels).
TILE = 8
#: Screen pixels added around changed tiles before growing to the lines they touch.
MARGIN = 16
#: Past this share of the frame changed, reading it whole is as fast and simpler.
MAX_CHANGED_SHARE = 0.5
#: More separate changed rectangles than this: read the whole frame.
MAX_REGIONS = 12
#: Every this many frames of one window, the whole frame is read again.
FULL_EVERY = 10
#: How far back (in frame ids) to look for the reference frame.
LOOKBACK_FRAMES = 1000

_PLACEHOLDER = "[REDACTED:"


@dataclass(frozen=True)
class Reference:
    """The previous OCR'd frame of a window: its stored image and its lines."""

    image: Image.Image
    lines: list[OcrLine]
    frame_id: int | None = None


@dataclass
class IncrementalStats:
    """What the incremental reader did, for benchmarks and logs."""

    full_reads: int = 0
    region_reads: int = 0
    regions_read: int = 0
    lines_reused: int = 0
    #: Sum over frames of the share of the frame that was OCR'd (1.0 for a full read).
    area_read: float = 0.0
    reasons: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        frames = self.full_reads + self.region_reads
        return {
            "full_reads": self.full_reads, "region_reads": self.region_reads,
            "regions_read": self.regions_read, "lines_reused": self.lines_reused,
            "mean_share_read": round(self.area_read / frames, 4) if frames else None,
            "full_read_reasons": dict(self.reasons),
        }


def _grey(image: Image.Image) -> np.ndarray:
    grey = image.convert("L")
    if min(grey.size) >= REDUCE * 2:
        grey = grey.reduce(REDUCE)
    return np.asarray(grey, dtype=np.int16)


def changed_rectangles(previous: Image.Image, current: Image.Image) -> list[Box]:
    """Rectangles (screen pixels) around the tiles that differ between two frames of the
    same size; neighbouring tiles (one tile apart) form one rectangle."""
    a, b = _grey(previous), _grey(current)
    moved = np.abs(a - b) > PIXEL_NOISE
    height, width = moved.shape
    rows, cols = -(-height // TILE), -(-width // TILE)
    padded = np.zeros((rows * TILE, cols * TILE), dtype=bool)
    padded[:height, :width] = moved
    grid: np.ndarray = np.asarray(padded.reshape(rows, TILE, cols, TILE).any(axis=(1, 3)),
                                  dtype=np.uint8)
    if not grid.any():
        return []
    joined = cv2.dilate(grid, np.ones((3, 3), np.uint8))
    count, labels = cv2.connectedComponents(joined, connectivity=8)
    scale = TILE * REDUCE
    boxes: list[Box] = []
    for index in range(1, count):
        ys, xs = np.nonzero((labels == index) & (grid > 0))
        boxes.append((int(xs.min()) * scale, int(ys.min()) * scale,
                      min(current.width, (int(xs.max()) + 1) * scale),
                      min(current.height, (int(ys.max()) + 1) * scale)))
    return boxes


def _intersects(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _union(a: Box, b: Box) -> Box:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def regions_to_read(changed: list[Box], lines: list[OcrLine], size: tuple[int, int]
                    ) -> list[Box]:
    """``changed`` grown by the margin and then to whole previous lines (and the lines
    holding a redaction placeholder added), merged until no two overlap."""
    width, height = size

    def clip(box: Box) -> Box:
        return max(0, box[0]), max(0, box[1]), min(width, box[2]), min(height, box[3])

    regions = [clip((b[0] - MARGIN, b[1] - MARGIN, b[2] + MARGIN, b[3] + MARGIN))
               for b in changed]
    regions += [clip(line.box) for line in lines if _PLACEHOLDER in line.text]
    boxes = [clip(line.box) for line in lines]
    grown = True
    while grown:
        grown = False
        merged: list[Box] = []
        for region in regions:
            for index, other in enumerate(merged):
                if _intersects(region, other):
                    merged[index] = _union(region, other)
                    grown = True
                    break
            else:
                merged.append(region)
        regions = merged
        for box in boxes:
            for index, region in enumerate(regions):
                if _intersects(box, region) and _union(box, region) != region:
                    regions[index] = _union(box, region)
                    grown = True
    return [r for r in regions if r[2] > r[0] and r[3] > r[1]]


class IncrementalOcr:
    """Reads frames through an :class:`OcrEngine`, OCRing only what changed against a
    :class:`Reference`. ``read`` returns the same :class:`OcrResult` a full read would."""

    def __init__(self, engine: OcrEngine, *, max_changed_share: float = MAX_CHANGED_SHARE,
                 full_every: int = FULL_EVERY) -> None:
        self.engine = engine
        self.max_changed_share = max_changed_share
        self.full_every = full_every
        self.stats = IncrementalStats()
        self._since_full: dict[Hashable, int] = {}

    def _full(self, image: Image.Image, chain: Hashable | None, reason: str) -> OcrResult:
        self.stats.full_reads += 1
        self.stats.area_read += 1.0
        self.stats.reasons[reason] = self.stats.reasons.get(reason, 0) + 1
        if chain is not None:
            self._since_full[chain] = 0
        return self.engine.read(image)

    def read(self, image: Image.Image, reference: Reference | None, *,
             chain: Hashable | None = None) -> OcrResult:
        """The text of ``image``; ``chain`` names the window (frames of one chain are
        read whole every ``full_every`` frames)."""
        if reference is None:
            return self._full(image, chain, "no_reference")
        if reference.image.size != image.size:
            return self._full(image, chain, "size_changed")
        if chain is not None and self._since_full.get(chain, 0) + 1 >= self.full_every:
            return self._full(image, chain, "periodic")
        regions = regions_to_read(changed_rectangles(reference.image, image), reference.lines,
                                  image.size)
        area = sum((r[2] - r[0]) * (r[3] - r[1]) for r in regions)
        share = area / float(image.width * image.height)
        if share > self.max_changed_share:
            return self._full(image, chain, "mostly_changed")
        if len(regions) > MAX_REGIONS:
            return self._full(image, chain, "scattered_changes")
        kept = [line for line in reference.lines
                if not any(_intersects(line.box, region) for region in regions)]
        lines = list(kept)
        for left, top, right, bottom in regions:
            for line in self.engine.read(image.crop((left, top, right, bottom))).lines:
                x0, y0, x1, y1 = line.box
                lines.append(OcrLine(line.text, (x0 + left, y0 + top, x1 + left, y1 + top),
                                     line.confidence))
        self.stats.region_reads += 1
        self.stats.regions_read += len(regions)
        self.stats.lines_reused += len(kept)
        self.stats.area_read += share
        if chain is not None:
            self._since_full[chain] = self._since_full.get(chain, 0) + 1
        return OcrResult.from_lines(reading_order(lines))


def previous_reference(frames: FrameStore, frame: FrameRow) -> Reference | None:
    """The last OCR'd frame before ``frame`` on the same monitor and window, with the same
    size and a stored image; None when there is none or it cannot be read."""
    from capture.frame_store import FrameImageError

    previous = frames.previous_ocr_reference(frame, LOOKBACK_FRAMES)
    if previous is None or previous.ocr_lines is None:
        return None
    try:
        lines = [OcrLine.from_dict(item) for item in json.loads(previous.ocr_lines)]
        image = frames.load_image(previous)
    except (ValueError, KeyError, TypeError) as exc:
        log.info("ocr: frame %s's lines cannot serve as reference (%s)", previous.id, exc)
        return None
    except (FrameImageError, KnownError) as exc:
        log.info("ocr: frame %s cannot serve as reference: %s", previous.id, exc.text())
        return None
    return Reference(image, lines, previous.id)
