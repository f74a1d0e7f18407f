"""Finding and replacing the catalogue's secrets in text.

A :class:`SecretScanner` runs every catalogue rule (skipping those whose keywords do not
occur), checks validators, drops matches inside an existing placeholder, and joins
overlapping matches into one (the earlier rule in the catalogue names it: provider rules
come before generic shapes). Values are kept only in memory and never shown by ``repr``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from memory.errors import InvalidInput
from memory.secrets.catalogue import RULES, Rule

PLACEHOLDER = re.compile(r"\[REDACTED:[a-z_]+\]")
CUSTOM_LABEL = "custom"


def placeholder(label: str) -> str:
    return f"[REDACTED:{label}]"


@dataclass(frozen=True)
class SecretMatch:
    """One secret found in a text: which rule, where, and the value (never in ``repr``)."""

    rule_id: str
    label: str
    kind: str
    sensitivity: str
    start: int
    end: int
    value: str = field(repr=False)

    def __str__(self) -> str:
        return f"SecretMatch({self.rule_id})"


def custom_rules(patterns: Iterable[str]) -> list[Rule]:
    """The user's own regular expressions as catalogue rules (label ``custom``)."""
    rules = []
    for index, pattern in enumerate(patterns):
        try:
            rules.append(Rule(f"custom-{index}", CUSTOM_LABEL, pattern, "other"))
        except re.error as exc:
            raise InvalidInput(
                f"The redaction pattern {pattern!r} is not a valid regular expression "
                f"({exc}); fix it in Settings."
            ) from exc
    return rules


class SecretScanner:
    """The catalogue (plus any custom rules) compiled once; thread-safe to share."""

    def __init__(self, extra_patterns: Sequence[str] = (), *,
                 rules: Sequence[Rule] = RULES) -> None:
        self.rules: tuple[Rule, ...] = (*rules, *custom_rules(extra_patterns))

    def scan(self, text: str) -> list[SecretMatch]:
        """Every secret in ``text``, in order, overlapping matches joined."""
        if not text:
            return []
        found: list[tuple[int, int, int]] = []  # start, end, rule index
        self._find(text, text, found)
        folded = ocr_folded(text)
        if folded != text:  # a name or prefix OCR misread (T0KEN, CL0JARS_): match again
            self._find(folded, text, found, unfolded=text.lower())
        if not found:
            return []
        done = [m.span() for m in PLACEHOLDER.finditer(text)]
        if done:
            found = [f for f in found if not any(f[0] < e and s < f[1] for s, e in done)]
        found.sort(key=lambda f: (f[0], -f[1]))
        merged: list[list[int]] = []
        for start, end, index in found:
            if merged and start < merged[-1][1]:
                last = merged[-1]
                last[1] = max(last[1], end)
                last[2] = min(last[2], index)
            else:
                merged.append([start, end, index])
        out = []
        for start, end, index in merged:
            rule = self.rules[index]
            value = text[start:end].rstrip()
            out.append(SecretMatch(rule.id, rule.label, rule.kind, rule.sensitivity, start,
                                   start + len(value), value))
        return out

    def _find(self, text: str, original: str, found: list[tuple[int, int, int]], *,
              unfolded: str | None = None) -> None:
        """Add each rule's matches in ``text`` to ``found``; values are checked as they read
        in ``original`` (the same length as ``text``). On an OCR-folded ``text``
        (``unfolded`` is the original, lower-cased) only rules found by a name, and rules
        whose keyword only the folding revealed, are run again."""
        lower = text.lower()
        for index, rule in enumerate(self.rules):
            if unfolded is not None and not rule.named and not any(
                    word in lower and word not in unfolded for word in rule.keywords):
                continue
            if rule.keywords:
                windows = _windows(lower, rule.keywords, rule.reach)
                if not windows:
                    continue
            else:
                windows = [(0, len(text))]
            pattern = rule.compiled
            group: int | str = "secret" if "secret" in pattern.groupindex else 0
            matches = (m for lo, hi in windows for m in pattern.finditer(text, lo, hi))
            for match in matches:
                start, end = match.span(group)
                if start < 0 or end <= start:
                    continue
                value = original[start:end]
                if len(value) >= 2 and value[0] in "'\"`" and value[-1] == value[0]:
                    start, end, value = start + 1, end - 1, value[1:-1]
                if rule.validator is not None and not rule.validator(value):
                    continue
                if rule.rejected is not None and rule.rejected.search(match.group(0)):
                    continue
                found.append((start, end, index))

    def redact(self, text: str) -> tuple[str, list[SecretMatch]]:
        """``text`` with each secret replaced by its typed placeholder, and the secrets."""
        matches = self.scan(text)
        return replace_matches(text, matches), matches


_OCR_ZERO_UPPER = re.compile(r"(?<=[A-Z])0(?=[A-Z])")
_OCR_ZERO_LOWER = re.compile(r"(?<=[a-z])0(?=[a-z])")
_OCR_ONE_UPPER = re.compile(r"(?<=[A-Z])1(?=[A-Z])")


def ocr_folded(text: str) -> str:
    """``text`` with the digit-for-letter misreads OCR makes inside words undone (``T0KEN``
    -> ``TOKEN``, ``passw0rd`` -> ``password``), same length, so spans still fit."""
    if "0" not in text and "1" not in text:
        return text
    text = _OCR_ZERO_UPPER.sub("O", text)
    text = _OCR_ZERO_LOWER.sub("o", text)
    return _OCR_ONE_UPPER.sub("I", text)


#: How far before a keyword a match may start (a name's prefix: ``AWS_`` of ``AWS_SECRET``).
_BEFORE = 80


def _windows(lower: str, keywords: tuple[str, ...], reach: int) -> list[tuple[int, int]]:
    """The parts of the text a keyword rule needs to read: from a little before each
    keyword to ``reach`` characters after it, extended to the end of that line so a long
    token is never cut; overlapping parts joined. Empty when no keyword occurs."""
    spans = []
    size = len(lower)
    for word in keywords:
        at = lower.find(word)
        while at >= 0:
            stop = lower.find("\n", min(size, at + len(word) + reach))
            spans.append((max(0, at - _BEFORE), size if stop < 0 else stop))
            at = lower.find(word, at + 1)
    if len(spans) < 2:
        return spans
    spans.sort()
    merged = [spans[0]]
    for lo, hi in spans[1:]:
        if lo <= merged[-1][1]:
            if hi > merged[-1][1]:
                merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


def replace_matches(text: str, matches: Sequence[SecretMatch]) -> str:
    parts, cursor = [], 0
    for match in matches:
        parts.append(text[cursor:match.start])
        parts.append(placeholder(match.label))
        cursor = match.end
    parts.append(text[cursor:])
    return "".join(parts)


_DEFAULT: SecretScanner | None = None


def default_scanner() -> SecretScanner:
    """The catalogue without custom rules, compiled on first use."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = SecretScanner()
    return _DEFAULT


def scan(text: str) -> list[SecretMatch]:
    return default_scanner().scan(text)


def redact(text: str) -> tuple[str, list[SecretMatch]]:
    return default_scanner().redact(text)


def redact_values(text: str, values: Iterable[str], label: str = "secret") -> str:
    """``text`` with each of ``values`` (e.g. revealed vault secrets) replaced, longest
    first; white space inside a value may differ in ``text`` (OCR, line wrapping)."""
    for value in sorted({v for v in values if v and len(v.strip()) >= 4}, key=len,
                        reverse=True):
        pieces = [re.escape(p) for p in value.split()]
        if not pieces:
            continue
        text = re.sub(r"\s*".join(pieces), placeholder(label), text)
    return text
