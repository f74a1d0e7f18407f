"""An app's own chrome, learnt from its other windows.

A sentence an app shows at the same place under several different window titles (a
browser's info bar, a mail client's footer, a chat app's banner) belongs to the app, not
to the page in front of the user, and is set aside before the page is read: it must not
become a fact, a summary or a page's first line. Chrome inside one frame (edge columns,
menu rows, the window's own title bar) is :mod:`memory.extraction.layout`'s and
:mod:`.rules`' job.

Only sentences count (several words): a short label ("Total", "Booking reference") also
repeats on every page of a site, but it is half of a key-value pair there. And only at the
same place on the screen: the same words elsewhere (a mail quoted in its replies, one page
open in two windows) are content. Terminals are left alone: what a shell prints again is
still output.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from memory.extraction.segments import Box, FrameText, Segment
from memory.schema import parse_iso, to_iso

#: A line is the app's when it appears under at least this many other window titles.
MIN_OTHER_TITLES = 3
#: A line needs this many words (or CJK characters) to count; shorter ones are labels.
MIN_WORDS = 5
MIN_CJK = 10
#: How far (in pixels) the same line may move between windows and still be "the same place".
PLACE_TOLERANCE = 12
#: How far back, and how many of the app's frames, a segment is compared with.
LOOKBACK = timedelta(days=14)
MAX_FRAMES = 300

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


class OtherWindows(Protocol):
    """What chrome learning reads of the frames table (its owner answers)."""

    def other_windows_lines(self, app: str, window_title: str | None, *, since: str,
                            limit: int) -> list[tuple[str, str]]: ...


def line_key(line: str) -> str:
    """A line as compared across frames: no case, accents, spacing or punctuation (OCR
    reads the same bar as "Stability" in one frame and "Stabilíty" in the next)."""
    text = unicodedata.normalize("NFKD", line.casefold())
    return "".join(ch for ch in text if ch.isalnum())


def title_key(title: str) -> str:
    """A window title as told apart from others: numbers do not count, so "Inbox (7)" and
    "Inbox (6)" (an unread counter that changed) are one window, not two."""
    return re.sub(r"\d+", "#", " ".join(title.casefold().split()))


def _sentence(line: str) -> bool:
    return len(line.split()) >= MIN_WORDS or len(_CJK.findall(line)) >= MIN_CJK


@dataclass
class AppChrome:
    """Where each sentence sat in the app's other windows: key -> [(title, left, top)]."""

    seen: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)
    min_titles: int = MIN_OTHER_TITLES

    def __bool__(self) -> bool:
        return bool(self.seen)

    def holds(self, line: str, box: Box | None) -> bool:
        """Is ``line``, at ``box``, the app's chrome?"""
        if box is None or not self.seen or not _sentence(line):
            return False
        places = self.seen.get(line_key(line))
        if not places:
            return False
        titles = {title for title, left, top in places
                  if abs(left - box[0]) <= PLACE_TOLERANCE and abs(top - box[1]) <= PLACE_TOLERANCE}
        return len(titles) >= self.min_titles


def from_frames(frames: Iterable[tuple[str, Sequence[tuple[str, Box]]]], *,
                own_title: str | None = None, min_titles: int = MIN_OTHER_TITLES) -> AppChrome:
    """What the given (window title, [(line, box)]) frames show outside the window titled
    ``own_title``: only sentences seen under ``min_titles`` titles or more are kept."""
    seen: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    own = title_key(own_title or "")
    for raw_title, lines in frames:
        title = title_key(raw_title)
        if title == own:
            continue
        for line, box in lines:
            if _sentence(line):
                seen[line_key(line)].append((title, box[0], box[1]))
    kept = {key: places for key, places in seen.items()
            if len({title for title, _, _ in places}) >= min_titles}
    return AppChrome(kept, min_titles)


def _placed_lines(raw: str) -> list[tuple[str, Box]]:
    """(text, box) of a frame's stored OCR lines; lines without a usable box are left out."""
    frame = FrameText.from_row({"id": 0, "captured_at": "", "ocr_lines": raw})
    return [(line, box) for line, box in zip(frame.lines, frame.boxes, strict=False)
            if box is not None]


def learn(frames: OtherWindows, segment: Segment) -> AppChrome:
    """The app's chrome as far as its recent other windows tell (nothing for text typed
    in Engram itself)."""
    if segment.source != "screen" or not segment.app:
        return AppChrome()
    since = to_iso(parse_iso(segment.started_at) - LOOKBACK)
    rows = frames.other_windows_lines(segment.app, segment.window_title, since=since,
                                      limit=MAX_FRAMES)
    return from_frames(((title, _placed_lines(raw)) for title, raw in rows),
                       own_title=segment.window_title)
