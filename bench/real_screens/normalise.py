"""The checker's own text normalisation and value recognition (no code shared with
``memory/`` or ``capture/``): case, spacing, accents, OCR-joined words, and dates and times
written in many formats and languages compared by their calendar value."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_QUOTES = {ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u00b4`"} | {
    ord(c): '"' for c in "\u201c\u201d\u201e\u00ab\u00bb"}

MONTHS = {
    # English
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
    # German
    "januar": 1, "janner": 1, "februar": 2, "marz": 3, "mai": 5, "juni": 6, "juli": 7,
    "oktober": 10, "okt": 10, "dezember": 12, "dez": 12,
    # French
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    # Spanish
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12,
}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))


def fold(text: str) -> str:
    """Lower case, no accents, one kind of dash and quote, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).translate(_QUOTES)
    text = "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))
    text = text.replace("ß", "ss").casefold()
    return re.sub(r"\s+", " ", text).strip()


def squash(text: str) -> str:
    """``fold`` without anything but letters and digits (OCR joins and splits words and
    drops punctuation)."""
    return re.sub(r"[\W_]+", "", fold(text))


def tokens(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", fold(text))


@dataclass(frozen=True)
class DateValue:
    year: int | None
    month: int
    day: int


def _year(text: str | None) -> int | None:
    if not text:
        return None
    y = int(text)
    return y + 2000 if y < 100 else y


def dates_in(text: str) -> set[DateValue]:
    """Calendar dates written in ``text`` (numeric, month names in en/de/fr/es, CJK)."""
    t = fold(text)
    found: set[DateValue] = set()

    def add(y: int | None, m: int, d: int) -> None:
        if 1 <= m <= 12 and 1 <= d <= 31:
            found.add(DateValue(y, m, d))

    for m in re.finditer(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)", t):
        add(int(m[1]), int(m[2]), int(m[3]))
    for m in re.finditer(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{2,4})?(?![\d])", t):
        add(_year(m[3]), int(m[2]), int(m[1]))
    for m in re.finditer(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?(?![\d/])", t):
        a, b, y = int(m[1]), int(m[2]), _year(m[3])
        add(y, b, a)  # day first (most of the world)
        add(y, a, b)  # month first (US): both readings count as written
    for m in re.finditer(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th|er|\.)?\s*(?:de\s+)?({_MONTH_RE})\.?"
                         rf"(?![a-z])(?:,?\s*(?:de\s+)?(\d{{4}}))?", t):
        add(_year(m[3]), MONTHS[m[2]], int(m[1]))
    for m in re.finditer(rf"(?<![a-z])({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?!\d)"
                         rf"(?:,?\s*(\d{{4}}))?", t):
        add(_year(m[3]), MONTHS[m[1]], int(m[2]))
    for m in re.finditer(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日", t):
        add(_year(m[1]), int(m[2]), int(m[3]))
    return found


def times_in(text: str) -> set[tuple[int, int]]:
    """Clock times (24-hour, am/pm, ``16h45``, ``9:30 Uhr``, ``14時``) as (hour, minute)."""
    t = fold(text)
    found: set[tuple[int, int]] = set()
    for m in re.finditer(r"(?<![\d:.])(\d{1,2})(?::|h|\.)(\d{2})(?!\d)\s*(a\.?m\.?|p\.?m\.?)?", t):
        h, mi = int(m[1]), int(m[2])
        if m[2] and m[0][len(m[1])] == "." and not m[3]:
            continue  # 4.20 is a number unless followed by am/pm
        h = _meridiem(h, m[3])
        if 0 <= h <= 24 and 0 <= mi < 60:
            found.add((h % 24, mi))
    for m in re.finditer(r"(?<![\d:.])(\d{1,2})\s*(a\.?m\.?|p\.?m\.?)(?![a-z])", t):
        h = _meridiem(int(m[1]), m[2])
        if 0 <= h <= 24:
            found.add((h % 24, 0))
    for m in re.finditer(r"(?<![\d:.h])(\d{1,2})\s*(?:uhr|時)", t):
        found.add((int(m[1]) % 24, 0))
    return found


def _meridiem(hour: int, suffix: str | None) -> int:
    if not suffix:
        return hour
    pm = suffix.startswith("p")
    if hour == 12:
        return 12 if pm else 0
    return hour + 12 if pm else hour


def _date_matches(gold: DateValue, have: set[DateValue]) -> bool:
    return any(d.month == gold.month and d.day == gold.day
               and (gold.year is None or d.year is None or d.year == gold.year) for d in have)


def contains_value(text: str, value: str) -> bool:
    """Does ``text`` state ``value``? Folded phrase with word boundaries, or the squashed
    form for values long enough not to match by chance, or, for a value that is a date or
    time, the same calendar date(s) and clock time(s) in any format."""
    fv, ft = fold(value), fold(text)
    if not fv:
        return False
    if _CJK.search(fv):
        return squash(value) in squash(text)
    # A letter or digit next to the value makes it another word; a CJK character does not
    # (Chinese and Japanese run words together: "新版本3.6.0定于" states 3.6.0).
    if re.search(rf"(?<!{_WORD_CHAR})" + re.escape(fv) + rf"(?!{_WORD_CHAR})", ft):
        return True
    sv = squash(value)
    if len(sv) >= 6 and sv in squash(text):
        return True
    gold_dates, gold_times = dates_in(value), times_in(value)
    if not gold_dates and not gold_times:
        return _number_matches(value, text)
    have_dates, have_times = dates_in(text), times_in(text)
    return (all(_date_matches(d, have_dates) for d in gold_dates)
            and all(t in have_times for t in gold_times))


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_WORD_CHAR = r"[^\W_\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"
_NUMBER = re.compile(r"\d[\d.,' \u00a0\u202f]*\d|\d")


def _numbers(text: str) -> set[str]:
    """Numbers with thousands separators and decimal commas read as one canonical form."""
    out = set()
    for raw in _NUMBER.findall(text):
        digits = re.sub(r"[ '\u00a0\u202f]", "", raw)
        if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", digits):  # 1.250,00
            digits = digits.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"\d+,\d{1,2}", digits):  # 84,90
            digits = digits.replace(",", ".")
        else:
            digits = digits.replace(",", "")
        try:
            out.add(f"{float(digits):.2f}")
        except ValueError:
            continue
    return out


def _number_matches(value: str, text: str) -> bool:
    """A money or quantity value whose numbers all appear in ``text`` (``84,90 €`` and
    ``EUR 84.90``), and whose words, if any, too."""
    nums = _numbers(value)
    if not nums or not nums <= _numbers(text):
        return False
    words = [w for w in tokens(value) if not w.isdigit() and len(w) > 2]
    ft = fold(text)
    return all(w in ft for w in words)


STOPWORDS = frozenset([
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and",
    "or", "is", "are", "was", "were", "be", "your", "you", "my", "our", "this", "that",
    "it", "its", "as", "not", "no", "de", "la", "le", "les", "des", "du", "et", "en", "un",
    "une", "el", "los", "las", "del", "y", "der", "die", "das", "und", "im", "am", "zu",
    "von", "mit",
])


def content_tokens(text: str) -> list[str]:
    return [t for t in tokens(text) if t not in STOPWORDS and (len(t) > 2 or t.isdigit())]


def contains_subject(text: str, subject: str) -> bool:
    """The subject's phrase (folded or squashed), or for a subject of three or more words,
    three quarters of its content words."""
    if contains_value(text, subject):
        return True
    words = content_tokens(subject)
    if len(words) < 3:
        return False
    have = set(tokens(text))
    return sum(w in have for w in words) >= 0.75 * len(words)


_VALUE_PATTERNS = [
    re.compile(r"(?i)\b\d{1,2}[:h.]\d{2}(?:\s?[ap]\.?m\.?)?(?!\d)|\b\d{1,2}\s?(?:[ap]\.?m\.?|uhr)(?!\w)"),
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),                            # email
    re.compile(r"(?:https?://|www\.)\S+|(?:~|\.{0,2})/[\w./-]+"),            # url, path
    re.compile(r"(?:[$€£¥]|US\$|NOK|EUR|USD|GBP)\s?\d[\d.,]*|\d[\d.,]*\s?(?:€|EUR|USD|kr)"),
    re.compile(r"[#!]?[^\s,;()<>\[\]\"'“”]*\d[^\s,;()<>\[\]\"'“”]*"),          # ids, numbers
]
_NAME = re.compile(r"\b[A-ZÀ-Þ][a-zß-ÿ'’-]+(?:\s+(?:de |van |von |da |di )?[A-ZÀ-Þ][a-zß-ÿ'’-]+)+")


def value_tokens(text: str) -> list[str]:
    """Value-like tokens a memory states: dates, times, amounts, numbers, identifiers,
    emails, URLs and paths, and names (two or more capitalised words)."""
    found: list[str] = []
    spans: list[tuple[int, int]] = []
    date_re = re.compile(
        rf"(?i)\b\d{{1,2}}\.?\s+(?:de\s+)?(?:{_MONTH_RE})\.?(?:,?\s+(?:de\s+)?\d{{4}})?"
        rf"|\b(?:{_MONTH_RE})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
        r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\d{4}年\d{1,2}月\d{1,2}日")
    for pattern in [date_re, *_VALUE_PATTERNS, _NAME]:
        for m in pattern.finditer(text):
            if any(s <= m.start() < e or s < m.end() <= e for s, e in spans):
                continue
            token = m.group(0).strip(" .,;:")
            if len(token) < 2 or token.isalpha() and pattern is not _NAME:
                continue
            if re.fullmatch(r"\d", token):
                continue
            if pattern is _NAME and not text[:m.start()].strip() and token.count(" ") >= 2:
                token = token.split(" ", 1)[1]  # a sentence's first word is capitalised anyway
            spans.append((m.start(), m.end()))
            found.append(token)
    return found
