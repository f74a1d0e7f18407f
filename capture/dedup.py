"""Decides whether a grabbed frame is new enough to keep, and says why.

Two measures against the last kept frame of the same monitor:

- a 64-bit difference hash (dHash) of the whole frame: a large distance means the screen
  changed as a whole (another window, a scroll);
- the changed tiles: the frame is shrunk 4x in grey and cut into 32x32 tiles (128 px on
  screen); a tile changed when at least two of its pixels moved by more than the noise
  level. That is fine enough for one changed digit of 14 px text.

A blinking cursor or a ticking clock changes as many pixels as one edited digit, so size
cannot tell them apart; history can. Each monitor keeps its last few grabs, and a tile only
counts when its content is *new*: unlike the kept frame and unlike every recent grab. A
cursor blinking between two states stops being new after one blink. A clock is new on every
tick, so each tile also has a volatility score (+1 when new, halved each grab): a tile new
grab after grab is volatile and ignored, while an edit next to a blinking cursor counts.
A change wider than a clock and a cursor together (``WIDE_CHANGE`` tiles) is kept even
where tiles are volatile: a line rewritten again and again.

A frame is always kept when the focused window changed, when it is the monitor's first, or
when the last kept frame is older than the forced-keyframe interval.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np
from PIL import Image

DOWNSCALE = 4
TILE = 32
#: Pixel differences (0-255 grey) below this are noise: compression, anti-aliasing.
PIXEL_NOISE = 16
#: A tile changed when at least this many of its pixels moved by more than the noise.
TILE_PIXELS = 2
#: Volatility: halved each grab, +1 when the tile changed since the previous grab.
VOLATILITY_DECAY = 0.5
VOLATILE = 1.2
#: Recent grabs per monitor that a tile's content is compared with.
HISTORY = 6
#: This many changed tiles keep a frame even when they are volatile: a clock and a cursor
#: together touch at most three; a rewritten line of text, a new chat message, more.
WIDE_CHANGE = 4
#: A whole-frame dHash distance (of 64 bits) that counts as a different screen.
HASH_THRESHOLD = 10


@dataclass(frozen=True)
class Fingerprint:
    """What dedup remembers of a kept frame."""

    dhash: int
    grey: np.ndarray  # the 4x-reduced grey frame
    at: float  # monotonic seconds when it was kept
    window_id: str | None

    @property
    def hex(self) -> str:
        return f"{self.dhash:016x}"


@dataclass(frozen=True)
class DedupDecision:
    keep: bool
    reason: str  # first_frame | focus_changed | forced_keyframe | changed | near_duplicate
    hash_distance: int
    changed_tiles: int
    total_tiles: int
    fingerprint: Fingerprint

    @property
    def changed_share(self) -> float:
        return self.changed_tiles / self.total_tiles if self.total_tiles else 1.0

    def explain(self) -> str:
        verdict = "kept" if self.keep else "skipped"
        return (
            f"{verdict}: {self.reason.replace('_', ' ')} (hash distance {self.hash_distance}/64, "
            f"{self.changed_tiles} of {self.total_tiles} tiles changed)"
        )


def fingerprint(image: Image.Image, *, at: float, window_id: str | None) -> Fingerprint:
    grey_image = image.convert("L")
    small = grey_image.reduce(DOWNSCALE) if min(grey_image.size) >= DOWNSCALE * 2 else grey_image
    dhash_source = np.asarray(small.resize((9, 8), Image.Resampling.BILINEAR), dtype=np.int16)
    bits = (dhash_source[:, 1:] > dhash_source[:, :-1]).flatten()
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    return Fingerprint(value, np.asarray(small, dtype=np.int16), at, window_id)


def changed_tiles(previous: np.ndarray, current: np.ndarray) -> np.ndarray:
    """A boolean grid: which tiles differ between two reduced grey frames of one size."""
    moved = np.abs(current - previous) > PIXEL_NOISE
    height, width = moved.shape
    rows, cols = -(-height // TILE), -(-width // TILE)
    padded = np.zeros((rows * TILE, cols * TILE), dtype=np.int32)
    padded[:height, :width] = moved
    return padded.reshape(rows, TILE, cols, TILE).sum(axis=(1, 3)) >= TILE_PIXELS


class Deduplicator:
    """Per-monitor memory of the last kept frame, the previous grab and tile volatility.

    ``decide`` observes the grab (volatility) but does not make it the reference; call
    ``remember`` once the frame is actually stored (a frame the privacy gate or a full
    disk refused must not become the reference)."""

    def __init__(self, *, keyframe_seconds: float = 300.0) -> None:
        self.keyframe_seconds = keyframe_seconds
        self._last: dict[int, Fingerprint] = {}
        self._history: dict[int, deque[np.ndarray]] = {}
        self._volatility: dict[int, np.ndarray] = {}
        #: Tiles with new content that no kept frame holds yet (a refused or skipped grab
        #: is in the history, but its content must still count until a frame is kept).
        self._unsaved: dict[int, np.ndarray] = {}

    def _observe(self, monitor: int, grey: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """Record this grab; (new tiles, volatile tiles), or None without a history."""
        history = self._history.get(monitor)
        if history is None or history[-1].shape != grey.shape:
            self._history[monitor] = deque([grey], maxlen=HISTORY)
            self._volatility.pop(monitor, None)
            return None
        new = changed_tiles(history[-1], grey)
        for past in list(history)[:-1]:
            new &= changed_tiles(past, grey)
        history.append(grey)
        score = self._volatility.get(monitor)
        if score is None or score.shape != new.shape:
            score = np.zeros(new.shape, dtype=np.float32)
        score = score * VOLATILITY_DECAY + new
        self._volatility[monitor] = score
        return new, score >= VOLATILE

    def decide(
        self, monitor: int, image: Image.Image, *, now: float, window_id: str | None
    ) -> DedupDecision:
        current = fingerprint(image, at=now, window_id=window_id)
        observed = self._observe(monitor, current.grey)
        last = self._last.get(monitor)
        if last is None:
            return DedupDecision(True, "first_frame", 64, 0, 0, current)
        distance = bin(last.dhash ^ current.dhash).count("1")
        if last.grey.shape != current.grey.shape:
            return DedupDecision(True, "changed", distance, 0, 0, current)
        grid = changed_tiles(last.grey, current.grey)
        if observed is not None and observed[0].shape == grid.shape:
            new, volatile = observed
            unsaved = self._unsaved.get(monitor)
            if unsaved is not None and unsaved.shape == grid.shape:
                new = new | unsaved
            grid &= new
            self._unsaved[monitor] = grid.copy()
            if int(grid.sum()) < WIDE_CHANGE:
                grid &= ~volatile
        changed, total = int(grid.sum()), grid.size
        if window_id is not None and window_id != last.window_id:
            reason, keep = "focus_changed", True
        elif distance > HASH_THRESHOLD or changed > 0:
            reason, keep = "changed", True
        elif now - last.at >= self.keyframe_seconds:
            reason, keep = "forced_keyframe", True
        else:
            reason, keep = "near_duplicate", False
        return DedupDecision(keep, reason, distance, changed, total, current)

    def remember(self, monitor: int, kept: Fingerprint) -> None:
        self._last[monitor] = kept
        self._unsaved.pop(monitor, None)

    def forget(self, monitor: int) -> None:
        self._last.pop(monitor, None)
        self._history.pop(monitor, None)
        self._volatility.pop(monitor, None)
        self._unsaved.pop(monitor, None)
