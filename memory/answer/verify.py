"""Every detail the model writes must be found in the memories it cites.

A detail is a date, time, amount, number, identifier, path, command, quoted phrase or
proper name; each is compared after normalising ("14 May" = "May 14" = "2026-05-14",
"€86.40" = "86.40 EUR", case, spacing and OCR-joined words). A sentence holding an
unsupported detail, or whose content words are mostly not in the memories, is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from memory.answer.dates import DateValue, find_dates
from memory.answer.source import Source
from memory.answer.values import (
    IDENTIFIER,
    MONEY,
    NUMBER,
    PATH,
    TIME,
    amount,
    clock_minutes,
    commands,
    names,
    number_value,
)
from memory.retrieval import STOPWORDS

#: Share of a sentence's content words that must be in the cited memories. All of them: a
#: sentence made of checked details and new words can still invert a fact ("the freeze will
#: be lifted" for "freeze until October"), so the model may only rearrange the memories' words.
MIN_CONTENT_SUPPORT = 1.0
_CITATION = re.compile(r"\[\d{1,3}\]")
_QUOTED = re.compile(r"[“\"]([^”\"\n]{3,})[”\"]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[a-z]{4,}")


@dataclass(frozen=True)
class Unsupported:
    kind: str
    text: str


def compact(text: str) -> str:
    """Lower case, letters and digits only: spacing and OCR-joined words stop mattering."""
    return re.sub(r"[^0-9a-z]+", "", text.lower())


@dataclass
class Support:
    """What the cited memories hold, normalised once per answer."""

    compact: str
    words: set[str]
    dates: list[DateValue]
    times: set[int]
    amounts: set[tuple[str, Decimal]]
    numbers: set[Decimal]

    @classmethod
    def of(cls, sources: Sequence[Source]) -> Support:
        texts = [s.text for s in sources]
        dates: list[DateValue] = []
        numbers: set[Decimal] = set()
        times: set[int] = set()
        amounts: set[tuple[str, Decimal]] = set()
        for source in sources:
            for found in find_dates(source.text, source.when):
                dates.append(found.value)
            if source.when is not None:
                dates.append(DateValue(source.when.year, source.when.month, source.when.day))
                times.add(source.when.hour * 60 + source.when.minute)
            for m in TIME.finditer(source.text):
                minute = clock_minutes(m.group(0))
                if minute is not None:
                    times.add(minute)
            for m in MONEY.finditer(source.text):
                parsed = amount(m.group(0))
                if parsed:
                    amounts.add(parsed)
            for m in NUMBER.finditer(source.text):
                number = number_value(m.group(0))
                if number is not None:
                    numbers.add(number)
        for day in dates:
            numbers.update(Decimal(x) for x in (day.year, day.day) if x is not None)
        joined = "\n".join(texts)
        return cls(compact(joined), set(re.findall(r"\w+", joined.lower())), dates, times,
                   amounts, numbers)

    def has_text(self, text: str) -> bool:
        return bool(compact(text)) and compact(text) in self.compact


def unsupported(sentence: str, support: Support) -> list[Unsupported]:
    """The details of ``sentence`` that the cited memories do not hold."""
    text = _CITATION.sub(" ", sentence)
    missing: list[Unsupported] = []
    taken: list[tuple[int, int]] = []

    def claim(start: int, end: int) -> bool:
        if any(start < e and s < end for s, e in taken):
            return False
        taken.append((start, end))
        return True

    for m in _QUOTED.finditer(text):
        claim(m.start(), m.end())
        if not support.has_text(m.group(1)):
            missing.append(Unsupported("quote", m.group(1)))
    for found in find_dates(text):
        if not claim(found.start, found.end):
            continue
        if not any(found.value.agrees(d) for d in support.dates):
            missing.append(Unsupported("date", text[found.start:found.end]))
    relative = re.finditer(r"\b(?:yesterday|today|tomorrow|last \w+|next \w+|\w+ ago)\b",
                           text, re.I)
    for m in relative:
        if claim(m.start(), m.end()) and not support.has_text(m.group(0)):
            missing.append(Unsupported("date", m.group(0)))
    for m in MONEY.finditer(text):
        if not claim(m.start(), m.end()):
            continue
        parsed = amount(m.group(0))
        if parsed is None or (parsed not in support.amounts and parsed[1] not in support.numbers):
            missing.append(Unsupported("amount", m.group(0)))
    for m in TIME.finditer(text):
        if claim(m.start(), m.end()) and clock_minutes(m.group(0)) not in support.times:
            missing.append(Unsupported("time", m.group(0)))
    for value in commands(text):
        if claim(value.start, value.end) and not support.has_text(value.text):
            missing.append(Unsupported("command", value.text))
    for m in PATH.finditer(text):
        if claim(m.start(), m.end()) and not support.has_text(m.group(0)):
            missing.append(Unsupported("path", m.group(0)))
    for m in IDENTIFIER.finditer(text):
        if claim(m.start(), m.end()) and not support.has_text(m.group(0)):
            missing.append(Unsupported("identifier", m.group(0)))
    for m in NUMBER.finditer(text):
        if not claim(m.start(), m.end()):
            continue
        number = number_value(m.group(0))
        if number is None or (number not in support.numbers and not support.has_text(m.group(0))):
            missing.append(Unsupported("number", m.group(0)))
    first_word = re.match(r"\W*", text)
    opening = first_word.end() if first_word else 0
    for value in names(text):
        if not claim(value.start, value.end):
            continue
        if value.start == opening and " " not in value.text:
            continue  # capitalised because it opens the sentence (its words are still checked)
        words = re.findall(r"\w+", value.text.lower())
        if not all(w in support.words for w in words) and not support.has_text(value.text):
            missing.append(Unsupported("name", value.text))
    content = [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]
    if not content and not taken:
        missing.append(Unsupported("words", "(a sentence that says nothing)"))
    absent = [w for w in content if w[:5] not in {x[:5] for x in support.words}]
    if content and len(absent) > (1 - MIN_CONTENT_SUPPORT) * len(content):
        missing.extend(Unsupported("words", w) for w in absent)
    return missing


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def complete_sentences(stream: str) -> tuple[list[str], str]:
    """The finished sentences of streamed text, and the unfinished rest, unchanged."""
    ends = list(_SENTENCE.finditer(stream))
    if not ends:
        return [], stream
    return sentences(stream[: ends[-1].start()]), stream[ends[-1].end():]


def keep_supported(text: str, sources: Sequence[Source]) -> tuple[list[str], list[str]]:
    """(kept, dropped) sentences of ``text``: kept ones hold no unsupported detail."""
    support = Support.of(sources)
    kept: list[str] = []
    dropped: list[str] = []
    for sentence in sentences(text):
        (dropped if unsupported(sentence, support) else kept).append(sentence)
    return kept, dropped
