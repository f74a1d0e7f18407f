"""Dedup keeps what changed and skips what did not, and says why."""

from __future__ import annotations

import numpy as np
import pytest

from bench.capture import Screen
from capture.dedup import Deduplicator

LINES = ["Quarterly report draft", "Revenue grew 12 percent in Europe",
         "Next step: send the figures to Dana"]


def keep(dedup: Deduplicator, screen: Screen, *, now: float, window: str = "0x1") -> bool:
    decision = dedup.decide(1, screen.render(), now=now, window_id=window)
    if decision.keep:
        dedup.remember(1, decision.fingerprint)
    return decision.keep


@pytest.mark.parametrize("dark", [False, True])
def test_cursor_blink_and_clock_tick_are_skipped(dark: bool) -> None:
    """The first tick is a change like any other; from then on the clock's and the
    cursor's tiles are known to be volatile and never keep a frame again."""
    dedup = Deduplicator(keyframe_seconds=300)
    assert keep(dedup, Screen(LINES, dark=dark), now=0)
    kept = []
    for second in range(1, 30):
        screen = Screen(LINES, dark=dark, cursor=second % 2 == 0, clock=f"12:00:{second:02d}")
        decision = dedup.decide(1, screen.render(), now=second, window_id="0x1")
        if decision.keep:
            dedup.remember(1, decision.fingerprint)
            kept.append(second)
        elif second > 2:
            assert decision.reason == "near_duplicate"
            assert "skipped" in decision.explain()
    assert kept in ([], [1]), kept


@pytest.mark.parametrize("size", [14, 20, 32])
def test_a_changed_line_of_text_is_kept(size: int) -> None:
    dedup = Deduplicator()
    assert keep(dedup, Screen(LINES, size=size), now=0)
    for second in range(1, 6):  # a ticking clock first: volatile tiles must not hide edits
        keep(dedup, Screen(LINES, size=size, clock=f"12:00:{second:02d}"), now=second)
    changed = [LINES[0], "Revenue grew 15 percent in Europe", LINES[2]]
    decision = dedup.decide(1, Screen(changed, size=size, clock="12:00:06").render(), now=6,
                           window_id="0x1")
    assert decision.keep and decision.reason == "changed", decision.explain()
    assert decision.changed_tiles >= 1
    added = [*LINES, "Remember to book the train"]
    assert keep(dedup, Screen(added, size=size, clock="12:00:07"), now=7)


def test_focus_change_and_forced_keyframe_always_keep() -> None:
    dedup = Deduplicator(keyframe_seconds=60)
    screen = Screen(LINES)
    assert keep(dedup, screen, now=0)
    assert not keep(dedup, screen, now=10)
    decision = dedup.decide(1, screen.render(), now=11, window_id="0x2")
    assert decision.keep and decision.reason == "focus_changed"
    dedup.remember(1, decision.fingerprint)
    decision = dedup.decide(1, screen.render(), now=11 + 60, window_id="0x2")
    assert decision.keep and decision.reason == "forced_keyframe"


def test_monitors_are_compared_separately_and_noise_is_ignored() -> None:
    dedup = Deduplicator()
    first = Screen(LINES).render()
    other = Screen(["A different monitor"]).render()
    for monitor, image in ((1, first), (2, other)):
        decision = dedup.decide(monitor, image, now=0, window_id="0x1")
        assert decision.reason == "first_frame"
        dedup.remember(monitor, decision.fingerprint)
    rng = np.random.default_rng(7)
    noisy = np.clip(np.asarray(first, dtype=np.int16) + rng.integers(-3, 4, (1080, 1920, 3)),
                    0, 255).astype(np.uint8)
    from PIL import Image

    decision = dedup.decide(1, Image.fromarray(noisy), now=1, window_id="0x1")
    assert not decision.keep, decision.explain()
    assert dedup.decide(2, first, now=1, window_id="0x1").keep


def test_a_change_that_could_not_be_stored_still_counts_next_time() -> None:
    """A grab refused later in the pipeline (full disk, pause) is not remembered, so the
    same new content must be kept by the next grab."""
    dedup = Deduplicator()
    assert keep(dedup, Screen(LINES), now=0)
    assert not keep(dedup, Screen(LINES), now=1)
    edited = Screen([LINES[0], "Revenue grew 13 percent in Europe", LINES[2]])
    refused = dedup.decide(1, edited.render(), now=2, window_id="0x1")
    assert refused.keep  # ... but the caller could not store it, so no remember()
    retried = dedup.decide(1, edited.render(), now=3, window_id="0x1")
    assert retried.keep and retried.reason == "changed", retried.explain()
