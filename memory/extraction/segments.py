"""Activity segments: OCR'd frames grouped by app, window and time, so extraction works on
a coherent stretch of activity instead of on single frames."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from memory.schema import parse_iso

#: A pause longer than this between two frames of the same window starts a new segment.
MAX_GAP_SECONDS = 180.0
#: Largest segment text handed to extractors; longer segments keep their first lines.
MAX_SEGMENT_CHARS = 20_000
#: Two frames of one window show different things when each has at least this many lines
#: and they share at most ``SAME_SCREEN_SHARE`` of the shorter one's lines (a terminal
#: whose title stays "zsh" while its user moves from a log to an editor). A page scrolled
#: or a chat that grew shares far more.
NEW_SCREEN_MIN_LINES = 8
SAME_SCREEN_SHARE = 0.15

if TYPE_CHECKING:
    from memory.extraction.chrome import AppChrome

_SPACES = re.compile(r"\s+")

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class FrameText:
    """One OCR'd frame, as the extraction pipeline sees it."""

    id: int | str
    captured_at: str
    app: str | None
    window_title: str | None
    url: str | None
    text: str
    lines: tuple[str, ...] = ()
    #: Each line's OCR box ``(left, top, right, bottom)`` in pixels, or None when unknown
    #: (typed text, old frames); the layout reader uses them for columns, rows and chrome.
    boxes: tuple[Box | None, ...] = ()

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> FrameText:
        lines: tuple[str, ...] = ()
        boxes: tuple[Box | None, ...] = ()
        raw = row.get("ocr_lines")
        if raw:
            try:
                parsed = json.loads(raw) if isinstance(raw, str) else raw
            except ValueError:
                parsed = []
            items = [item for item in parsed if item] if isinstance(parsed, list) else []
            lines = tuple(
                mend_ocr(str(item.get("text", "")) if isinstance(item, dict) else str(item))
                for item in items
            )
            boxes = tuple(_box(item.get("box") if isinstance(item, dict) else None)
                          for item in items)
        text = row.get("ocr_text") or ""
        if not lines:
            lines = tuple(mend_ocr(line) for line in text.splitlines() if line.strip())
            boxes = ()
        return cls(
            id=row["id"],
            captured_at=row["captured_at"],
            app=row.get("app") or None,
            window_title=row.get("window_title") or None,
            url=row.get("url") or None,
            text=text,
            lines=lines,
            boxes=boxes,
        )


#: Upper-case words of logs and code (levels, markers) with a letter O that OCR often reads
#: as the digit 0 ("ERR0R"); no identifier is spelled like them.
_O_AS_ZERO = re.compile(r"\b(?:ERR[0O]R|INF0|N0TICE|T[0O]D[0O])(?=S?\b)")


#: A zero that starts a word of letters ("0konkwo", "0RDER") or a code's letter prefix
#: ("0MB-7Q4K2"): no number is written so, a capital O misread is.
_LEADING_ZERO = re.compile(r"\b0(?=[a-z]{3,}\b|[A-Z]{3,}\b|[A-Z]{2,5}-[A-Z0-9])")


def mend_ocr(line: str) -> str:
    """Undo OCR's digit-for-letter misreads in the few words where they are unambiguous."""
    line = _O_AS_ZERO.sub(lambda m: m.group(0).replace("0", "O"), line)
    return _LEADING_ZERO.sub("O", line)


def _box(value: Any) -> Box | None:
    """A well-formed box, or None (a missing or malformed box is not an error: the line
    is still read, only without geometry)."""
    if not isinstance(value, (list, tuple)) or len(value) != 4:
        return None
    try:
        left, top, right, bottom = (int(v) for v in value)
    except (TypeError, ValueError):
        return None
    if right <= left or bottom <= top:
        return None
    return left, top, right, bottom


@dataclass
class Segment:
    """Consecutive frames of one app and window; ``lines`` holds each distinct text line
    once, in the order it first appeared."""

    frames: list[FrameText] = field(default_factory=list)
    source: str = "screen"
    #: What the app shows at the same place in its other windows too (its chrome; see
    #: :mod:`memory.extraction.chrome`), set aside before the page is read.
    app_chrome: AppChrome | None = None

    @property
    def app(self) -> str | None:
        return self.frames[0].app if self.frames else None

    @property
    def window_title(self) -> str | None:
        titles = [f.window_title for f in self.frames if f.window_title]
        return titles[-1] if titles else None

    @property
    def url(self) -> str | None:
        urls = [f.url for f in self.frames if f.url]
        return urls[-1] if urls else None

    @property
    def started_at(self) -> str:
        return self.frames[0].captured_at

    @property
    def ended_at(self) -> str:
        return self.frames[-1].captured_at

    @property
    def frame_ids(self) -> list[int | str]:
        return [f.id for f in self.frames]

    @property
    def lines(self) -> list[str]:
        seen: dict[str, None] = {}
        for frame in self.frames:
            for line in frame.lines:
                clean = _SPACES.sub(" ", line).strip()
                if clean and clean not in seen:
                    seen[clean] = None
        return list(seen)

    @property
    def text(self) -> str:
        text = "\n".join(self.lines)
        return text[:MAX_SEGMENT_CHARS]

    @property
    def context(self) -> str:
        """Window metadata plus text: everything a value may be grounded in."""
        meta = [value for value in (self.app, self.window_title, self.url) if value]
        return "\n".join([*meta, self.text])


def _key(frame: FrameText) -> tuple[str, str]:
    app = (frame.app or "").strip().lower()
    title = _normalise_title(frame.window_title or "", app)
    return app, title


def _normalise_title(title: str, app: str) -> str:
    """Strip unread counters and the app suffix, so "(3) Inbox - Mail" groups with
    "Inbox - Mail"."""
    clean = re.sub(r"^\(\d+\)\s*", "", title.strip().lower())
    clean = re.sub(r"\s*[-—|]\s*" + re.escape(app) + r"$", "", clean) if app else clean
    return _SPACES.sub(" ", clean)


def other_screen(before: Iterable[str], after: Iterable[str]) -> bool:
    """Whether the lines ``after`` show something else than the lines ``before`` in the
    same window: both hold enough lines and they share almost none."""
    first = {_SPACES.sub(" ", line).strip() for line in before} - {""}
    second = {_SPACES.sub(" ", line).strip() for line in after} - {""}
    shorter = min(len(first), len(second))
    if shorter < NEW_SCREEN_MIN_LINES:
        return False
    return len(first & second) <= SAME_SCREEN_SHARE * shorter


def _seconds_between(earlier: str, later: str) -> float:
    return (parse_iso(later) - parse_iso(earlier)).total_seconds()


def group_segments(
    frames: Iterable[FrameText], *, max_gap_seconds: float = MAX_GAP_SECONDS
) -> list[Segment]:
    """Split frames (in capture order) into segments: a new one starts when the app or
    window changes, when the window shows something else altogether, or when the user
    was away longer than ``max_gap_seconds``."""
    ordered = sorted(frames, key=lambda f: (f.captured_at, str(f.id)))
    segments: list[Segment] = []
    for frame in ordered:
        current = segments[-1] if segments else None
        if (
            current is not None
            and _key(current.frames[-1]) == _key(frame)
            and _seconds_between(current.ended_at, frame.captured_at) <= max_gap_seconds
            and not other_screen(current.frames[-1].lines, frame.lines)
        ):
            current.frames.append(frame)
        else:
            segments.append(Segment(frames=[frame]))
    return segments


def closed_segments(
    segments: Sequence[Segment], *, now: datetime, max_gap_seconds: float = MAX_GAP_SECONDS
) -> list[Segment]:
    """Segments that can no longer grow: every one but the last, and the last once the
    user has been elsewhere (or away) for longer than the gap."""
    if not segments:
        return []
    last = segments[-1]
    idle = (now - parse_iso(last.ended_at)).total_seconds()
    return list(segments) if idle > max_gap_seconds else list(segments[:-1])


def text_segment(text: str, occurred_at: str, *, source: str = "manual") -> Segment:
    """A segment for text the user typed (``engram remember``, a chat line)."""
    lines = tuple(line for line in text.splitlines() if line.strip())
    frame = FrameText(
        id="text", captured_at=occurred_at, app=None, window_title=None, url=None,
        text=text, lines=lines,
    )
    return Segment(frames=[frame], source=source)
