"""The grounding check: a value the language model proposes is kept only when the source
text supports it. Names, numbers, dates, emails, URLs and quoted strings must appear in the
source; most other words must too. Anything else is dropped and counted, never stored."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

#: Longest value the model may propose for one field; longer output is garbage, not content.
MAX_VALUE_CHARS = 400
#: Share of a value's content words that must occur in the source.
MIN_WORD_OVERLAP = 0.7

_WORD = re.compile(r"[\w'’-]+", re.UNICODE)
_CLAIMS = (
    re.compile(r"\bhttps?://\S+"),
    re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"),
    re.compile(r"\d+(?:[.,:/-]\d+)*"),
    re.compile(r"[\"“”«»]([^\"“”«»]{2,})[\"“”«»]"),
)
_CAPITALISED = re.compile(r"\b[A-ZÀ-Ý][\w'’-]*")
def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Words a summary may use without the source containing them (function words and the
#: few verbs a summary of activity needs).
FREE_WORDS = _word_set(
    """a an and are as at be been by for from had has have he her him his i in into is it its
    me my of on or our she so that the their them they this to was we were will with you your
    user about also after before during not no yes there then than which who what when where
    why how all any some more most other such only own same just can could would should may
    might must shall do does did done am being here s t read reading wrote writing worked
    working looked looking viewed viewing discussed discussing checked checking used using
    opened browsed mentioned mentions talked met meeting note notes says said"""
)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("’", "'").replace("–", "-").replace("—", "-")
    return re.sub(r"\s+", " ", text)


class SourceText:
    """The text a segment showed, prepared for fast "does it say this?" checks."""

    def __init__(self, text: str) -> None:
        self.text = normalise(text)
        self.words = set(_WORD.findall(self.text))
        self.squashed = re.sub(r"[\s.,:/-]", "", self.text)

    def contains(self, phrase: str) -> bool:
        needle = normalise(phrase).strip()
        if not needle:
            return True
        if needle in self.text:
            return True
        squashed = re.sub(r"[\s.,:/-]", "", needle)
        return len(squashed) >= 3 and squashed in self.squashed


class SourceUnits:
    """The spans of a screen a relation may be stated in: sentences, lines, table rows,
    key-value pairs, messages. A fact holds only when its subject and its value occur in
    the same span; both merely appearing somewhere on the screen is not enough."""

    def __init__(self, units: Iterable[str]) -> None:
        self.units = [SourceText(unit) for unit in dict.fromkeys(u for u in units if u.strip())]

    def supports(self, subject: str, value: str) -> bool:
        if not subject.strip() or not value.strip():
            return False
        return any(unit.contains(subject) and _stated(value, unit) for unit in self.units)


def _stated(value: str, unit: SourceText) -> bool:
    """Does ``unit`` say ``value``: verbatim, or every claim in it (numbers, dates,
    emails, quoted text) and most of its words?"""
    if unit.contains(value):
        return True
    for pattern in _CLAIMS:
        for match in pattern.finditer(value):
            if not unit.contains(match.group(match.lastindex or 0)):
                return False
    words = [w for w in _WORD.findall(normalise(value)) if w not in FREE_WORDS and len(w) > 2]
    if not words:
        return False
    present = sum(1 for w in words if w in unit.words or unit.contains(w))
    return present / len(words) >= MIN_WORD_OVERLAP


@dataclass
class GroundingStats:
    """What the check kept and dropped, by reason, for counters and the bench."""

    checked: int = 0
    kept: int = 0
    dropped: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    def drop(self, reason: str) -> None:
        self.dropped += 1
        self.reasons[reason] += 1

    def merge(self, other: GroundingStats) -> None:
        self.checked += other.checked
        self.kept += other.kept
        self.dropped += other.dropped
        self.reasons.update(other.reasons)


def unsupported_reason(
    value: Any, source: SourceText, *, max_chars: int = MAX_VALUE_CHARS,
    min_overlap: float = MIN_WORD_OVERLAP, free_words: frozenset[str] = frozenset(),
) -> str | None:
    """Why ``value`` is not supported by ``source``, or None when it is. ``free_words`` may
    appear without support (the labels a rule template adds)."""
    free = FREE_WORDS | free_words
    if not isinstance(value, str):
        return "wrong type"
    text = value.strip()
    if not text:
        return "empty"
    if len(text) > max_chars:
        return "too long"
    if any(unicodedata.category(ch) in ("Cc", "Co", "Cs") and ch not in "\n\t" for ch in text):
        return "control characters"
    for pattern in _CLAIMS:
        for match in pattern.finditer(text):
            claim = match.group(match.lastindex or 0)
            if not source.contains(claim):
                return f"unsupported value {claim[:40]!r}"
    for match in _CAPITALISED.finditer(text):
        word = match.group(0)
        if word.lower() not in free and normalise(word) not in source.words and not (
            source.contains(word)
        ):
            return f"unsupported name {word[:40]!r}"
    words = [w for w in _WORD.findall(normalise(text)) if w not in free and len(w) > 2]
    if words:
        present = sum(1 for w in words if w in source.words or source.contains(w))
        if present / len(words) < min_overlap:
            return "words not in the source"
    if _repetitive(text):
        return "repetitive output"
    return None


def _repetitive(text: str) -> bool:
    words = _WORD.findall(text.lower())
    return len(words) >= 8 and len(set(words)) / len(words) < 0.35


def ground_value(value: Any, source: SourceText, stats: GroundingStats, **limits: Any) -> str | None:
    """The value stripped, or None (and a counted drop) when the source does not support it."""
    stats.checked += 1
    reason = unsupported_reason(value, source, **limits)
    if reason is not None:
        stats.drop(reason)
        return None
    stats.kept += 1
    return str(value).strip()


def ground_list(
    values: Any, source: SourceText, stats: GroundingStats, *, max_items: int = 8, **limits: Any
) -> list[str]:
    """The supported strings of a list; a non-list counts as one drop."""
    if not isinstance(values, list):
        stats.checked += 1
        stats.drop("wrong type")
        return []
    kept: list[str] = []
    for item in values[:max_items]:
        value = ground_value(item, source, stats, **limits)
        if value is not None and value not in kept:
            kept.append(value)
    for _ in values[max_items:]:
        stats.checked += 1
        stats.drop("too many items")
    return kept
