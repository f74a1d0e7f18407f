"""Frames that say nothing yet: a blank screen (no text) or a page still loading (a title
that changes within seconds, while it is only a location such as the file path a browser
shows before the page's own title, or while the screen holds next to no text) joins the
activity that follows it, so it makes no episode and no model call of its own. A window
with real text and a real title keeps its own activity however briefly it was shown.
Nothing is dropped: the frame stays in the following segment's provenance."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from memory.extraction.segments import FrameText
from memory.schema import parse_iso

#: A title shown for at most this long before the same app shows another is still loading.
SETTLE_SECONDS = 6.0
#: A blank or loading frame joins activity at most this far away.
MAX_JOIN_SECONDS = 180.0
#: Less text than this on every frame of a briefly shown title: still loading ("Loading…").
LOADING_TEXT_CHARS = 40
#: A title that is only a location: one word holding a slash or a dot (a path, a file name,
#: a URL or a domain), as browsers show before the page's own title arrives.
_LOCATION = re.compile(r"^\S*[/\\.]\S*$")


def is_blank(frame: FrameText) -> bool:
    return not frame.text.strip() and not any(line.strip() for line in frame.lines)


def _still_loading(run: list[FrameText], following: FrameText, settle_seconds: float) -> bool:
    if run[0].app != following.app or _seconds(run[0], following) > settle_seconds:
        return False
    title = (run[-1].window_title or "").strip()
    little_text = max(len(f.text.strip()) for f in run) < LOADING_TEXT_CHARS
    return little_text or bool(_LOCATION.match(title))


def _key(frame: FrameText) -> tuple[str | None, str | None]:
    return frame.app, frame.window_title


def _seconds(earlier: FrameText, later: FrameText) -> float:
    return (parse_iso(later.captured_at) - parse_iso(earlier.captured_at)).total_seconds()


def _runs(frames: Sequence[FrameText]) -> list[list[FrameText]]:
    runs: list[list[FrameText]] = []
    for frame in frames:
        if runs and _key(runs[-1][-1]) == _key(frame):
            runs[-1].append(frame)
        else:
            runs.append([frame])
    return runs


def _relabel(run: list[FrameText], like: FrameText) -> list[FrameText]:
    return [replace(f, app=like.app, window_title=like.window_title, url=like.url or f.url)
            for f in run]


def settle(frames: Sequence[FrameText], *, settle_seconds: float = SETTLE_SECONDS
           ) -> list[FrameText]:
    """``frames`` in capture order, with each blank or still-loading run of frames taking
    the app and title of the run that follows it (a trailing blank run takes the one
    before it). A run is still loading when the same app shows another title within
    ``settle_seconds`` of the run's first frame and the run's title is only a location or
    its frames hold next to no text."""
    ordered = sorted(frames, key=lambda f: (f.captured_at, str(f.id)))
    runs = _runs(ordered)
    settled: list[list[FrameText]] = []
    following: FrameText | None = None
    for run in reversed(runs):
        blank = all(is_blank(f) for f in run)
        if (following is not None and _seconds(run[-1], following) <= MAX_JOIN_SECONDS
                and (blank or _still_loading(run, following, settle_seconds))):
            run = _relabel(run, following)
        settled.append(run)
        following = run[0]
    settled.reverse()
    if len(settled) > 1 and all(is_blank(f) for f in settled[-1]):
        before = settled[-2][-1]
        if _seconds(before, settled[-1][0]) <= MAX_JOIN_SECONDS:
            settled[-1] = _relabel(settled[-1], before)
    return [frame for run in settled for frame in run]
