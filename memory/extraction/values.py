"""General value extractors: the typed values a line of any screen may hold.

Dates and times in many formats and languages (numeric, ISO, "Tue 3 Mar", "February 18,
2026", "12. Juni 2026", "8 avril", "3 de marzo de 2026", "2026年5月14日", 12- and 24-hour
times), money, quantities, identifiers (order, booking, ticket, PR numbers, tracking codes),
emails, URLs and file paths. Finding is regular expressions (fast, one pass per line);
turning a found date into a moment, resolved against the frame's time, is ``dateparser``
behind :func:`resolve_when`, called only for the few spans a fact keeps.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

log = logging.getLogger(__name__)

_MONTH_NAMES = """
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
januar februar märz maerz mai juni juli oktober dezember jän
janvier février fevrier mars avril juin juillet août aout septembre octobre novembre décembre
janv févr avr juil déc
enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre
diciembre ene abr ago dic
gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre
januari februari maart mei augustus
"""
_WEEKDAY_NAMES = """
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri
sat sun montag dienstag mittwoch donnerstag freitag samstag sonntag mo di mi do fr sa so
lundi mardi mercredi jeudi vendredi samedi dimanche lun mer jeu ven sam dim
lunes martes miércoles miercoles jueves viernes sábado sabado domingo
lunedì martedì mercoledì giovedì venerdì sabato domenica
"""


def _alternation(words: str) -> str:
    return "|".join(sorted(set(words.split()), key=len, reverse=True))


_MONTH = r"(?:" + _alternation(_MONTH_NAMES) + r")\.?"
_WEEKDAY = r"(?:" + _alternation(_WEEKDAY_NAMES) + r")\.?,?"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th|er|º|\.)?"
_YEAR = r"(?:19|20)\d\d"

#: A letter or digit of a script that puts spaces between words: a value glued to Chinese
#: or Japanese characters, with no space on either side, still has its edges.
_ALNUM = r"[^\W\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"

DATE = re.compile(
    r"(?<!" + _ALNUM + r")(?<![/.-])(?:"
    r"\d{4}-\d{2}-\d{2}"
    r"|(?:" + _WEEKDAY + r"\s+)?(?:"
    + _DAY + r"\s*(?:de\s+)?" + _MONTH + r"(?:,?\s*(?:de\s+)?" + _YEAR + r")?"
    r"|" + _MONTH + r"\s+" + _DAY + r"(?:,?\s+" + _YEAR + r")?"
    r")"
    r"|[0-3]?\d[./][01]?\d[./](?:" + _YEAR + r"|\d\d)"
    r"|(?:" + _YEAR + r"\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日"
    r")(?!" + _ALNUM + r")",
    re.IGNORECASE,
)
_WEEKDAY_ONLY = re.compile(r"(?<![\w])(?:" + _alternation(
    "monday tuesday wednesday thursday friday saturday sunday montag dienstag mittwoch "
    "donnerstag freitag samstag sonntag lundi mardi mercredi jeudi vendredi samedi dimanche "
    "lunes martes miércoles jueves viernes sábado domingo today tomorrow heute morgen "
    "demain mañana") + r")(?![\w])", re.IGNORECASE)
TIME = re.compile(
    r"(?<!" + _ALNUM + r")(?<![:.,])(?:"
    r"[0-2]?\d:[0-5]\d(?::[0-5]\d)?(?:\s?[AaPp]\.?\s?[Mm]\.?)?(?:\s?(?:Uhr|h))?"
    r"|[0-2]?\d\.[0-5]\d\s?(?:[AaPp]\.?[Mm]\.?|Uhr)"
    r"|[0-2]?\dh[0-5]\d"
    r"|1?\d\s?[AaPp]\.?[Mm]\.?"
    r"|[0-2]?\d\s?Uhr"
    r")(?!" + _ALNUM + r")"
)
MONEY = re.compile(
    r"(?:(?:[$€£¥₹]|(?:USD|EUR|GBP|CHF|CAD|AUD|JPY|SEK|NOK|DKK|PLN)\s?)\s?\d[\d,.' ]*\d"
    r"|\d[\d,.' ]*\d\s?(?:[$€£¥₹]|(?:USD|EUR|GBP|CHF|CAD|AUD|JPY|SEK|NOK|DKK|PLN|kr|zł)\b)"
    r"|[$€£]\s?\d)"
)
QUANTITY = re.compile(
    r"(?<![\w.,])\d[\d,.]*\s?(?:km²|m²|km|cm|mm|kg|mg|GB|MB|KB|TB|GiB|MiB|ms|°C|°F|%|"
    r"m|g|l|ml|h|min|s|lm|kW|W|V|(?:square\s+)?(?:kilo)?met(?:re|er)s|miles|feet|"
    r"years?|months?|weeks?|days?|hours?|minutes?|nights?|people|persons?|guests?|items?|"
    r"pcs|Jahre|Tage|Nächte|Personen|ans|jours|nuits|años|días|noches|personas)(?![\w-])"
)
IDENTIFIER = re.compile(
    r"(?<![\w/.@-])(?:"
    r"#?[A-Z]{1,6}-\d{2,}[A-Z0-9-]*"
    r"|#?(?=[A-Z0-9]{0,5}[A-Z])[A-Z0-9]{2,6}-(?=[A-Z]*\d)(?=\d*[A-Z])[A-Z0-9]{4,}(?:-[A-Z0-9]+)*"
    r"|#\d{2,}"
    r"|(?=[A-Z0-9]{7,}\b)(?=[A-Z]*\d)(?=\d*[A-Z])[A-Z0-9]{7,}"
    r"|\d{3,}-\d{3,}(?:-\d+)*"
    r")(?![\w@-])"
)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
URL = re.compile(r"\bhttps?://[^\s<>\"')\]]+|\bwww\.[\w-]+(?:\.[\w-]+)+(?:/[^\s<>\"')\]]*)?")
PATH = re.compile(r"(?<![\w/])(?:~|\.{1,2})?(?:/[\w.@+-]+){2,}/?|\b[A-Z]:\\(?:[\w .-]+\\?)+"
                  # a relative path to a file: "dist/app-1.2.0.tar.gz", "src/main.rs"
                  r"|(?<![\w/.:@-])[\w-]+(?:/[\w.@+-]+)+\.[A-Za-z][A-Za-z0-9]{0,4}(?![\w/])")

YEAR = re.compile(r"(?<![\w.,:/-])(?:1[6-9]|20)\d\d(?![\w.,:/-]\d|\w)")

KINDS = ("email", "url", "path", "date", "time", "money", "quantity", "identifier", "year")
_PATTERNS: dict[str, re.Pattern[str]] = {
    "email": EMAIL, "url": URL, "path": PATH, "date": DATE, "time": TIME, "money": MONEY,
    "quantity": QUANTITY, "identifier": IDENTIFIER, "year": YEAR,
}


@dataclass(frozen=True)
class Value:
    kind: str
    text: str
    start: int
    end: int


def find_values(text: str) -> list[Value]:
    """Typed values in ``text``, left to right, without overlaps (the earlier kind in
    :data:`KINDS` wins a tie: an email's digits are not a quantity)."""
    found: list[Value] = []
    taken: list[tuple[int, int]] = []
    for kind in KINDS:
        for match in _PATTERNS[kind].finditer(text):
            start, end = match.span()
            value = match.group(0).strip().rstrip(".,;:")
            if not value or any(start < e and s < end for s, e in taken):
                continue
            if kind == "date" and not _plausible_date(value):
                continue
            found.append(Value(kind, value, start, start + len(value)))
            taken.append((start, end))
    return sorted(found, key=lambda v: v.start)


def _plausible_date(value: str) -> bool:
    numeric = re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{2,4})", value)
    if numeric:
        first, second = int(numeric.group(1)), int(numeric.group(2))
        return 1 <= first <= 31 and 1 <= second <= 31 and (first <= 12 or second <= 12)
    day_only = re.fullmatch(r"(\d{1,2})\.?\s*(\w+)\.?", value)
    return not (day_only and day_only.group(2).lower() in ("mar", "may", "mai", "jun", "sat",
                                                            "sun") and len(value) < 5)


def when_spans(text: str) -> list[str]:
    """Date-and-time phrases: a date with the time that follows it ("Friday 20 March at
    16:45"), a weekday with a time ("Thursday at 2:35 PM"), or a date or a time alone."""
    values = [v for v in find_values(text) if v.kind in ("date", "time")]
    days = [(m.start(), m.end()) for m in _WEEKDAY_ONLY.finditer(text)]
    spans: list[tuple[int, int]] = []
    last_kind = ""
    for value in values:
        start, end = value.start, value.end
        if spans and value.kind == "time" and last_kind == "date" and _joined(
                text[spans[-1][1]:start]):
            spans[-1] = (spans[-1][0], end)
            last_kind = "time"
            continue
        last_kind = value.kind
        if value.kind == "time":
            day = next(((s, e) for s, e in days if 0 <= start - e <= 8
                        and _joined(text[e:start])), None)
            if day is not None:
                start = day[0]
        spans.append((start, end))
    return [text[s:e] for s, e in spans]


def _joined(between: str) -> bool:
    return bool(re.fullmatch(r"\s*(?:,|at|um|à|a las|alle|om|,\s*at|-|–|·)?\s*", between,
                             re.IGNORECASE))


_LANGUAGE_WORDS = {
    "de": "januar februar märz maerz mai juni juli oktober dezember montag dienstag mittwoch "
          "donnerstag freitag samstag sonntag uhr heute morgen gestern",
    "fr": "janvier février fevrier mars avril juin juillet août aout septembre octobre "
          "novembre décembre lundi mardi mercredi jeudi vendredi samedi dimanche demain hier",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
          "diciembre lunes martes miércoles jueves viernes sábado domingo mañana ayer hoy",
    "it": "gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre lunedì "
          "martedì mercoledì giovedì venerdì sabato domenica",
    "nl": "januari februari maart mei augustus",
}


def _languages(phrase: str) -> list[str]:
    """The languages a phrase's words belong to (English always), so dateparser loads only
    those: each language it loads costs ~0.2 s once per process."""
    words = set(re.findall(r"[^\W\d_]+", phrase.lower()))
    found = ["en"]
    for language, vocabulary in _LANGUAGE_WORDS.items():
        if words & set(vocabulary.split()):
            found.append(language)
    if re.search(r"[\u3040-\u30ff]", phrase):
        found.append("ja")
    elif re.search(r"[\u4e00-\u9fff]", phrase):
        found += ["zh", "ja"]
    return found


def resolve_when(phrase: str, now: datetime) -> datetime | None:
    """The moment a date/time phrase names, read relative to ``now`` (the frame's time:
    "Thursday" on a Monday's screen is that week's Thursday). None when it is not a date."""
    try:
        import dateparser
    except ImportError:  # pragma: no cover - a declared dependency
        log.warning("dateparser is not installed; dates stay as text")
        return None
    settings: dict[str, Any] = {"RELATIVE_BASE": now.replace(tzinfo=None),
                                "RETURN_AS_TIMEZONE_AWARE": False,
                                "PREFER_DAY_OF_MONTH": "first"}
    if not DATE.search(phrase) and _WEEKDAY_ONLY.search(phrase):
        settings["PREFER_DATES_FROM"] = "future"  # "on Thursday": the coming one
    cleaned = re.sub(r"\s+(?:at|um|à|a las)\s+", " ", phrase.strip(), flags=re.IGNORECASE)
    try:
        moment = dateparser.parse(cleaned, settings=settings, languages=_languages(cleaned))
    except (ValueError, OverflowError, TypeError) as exc:
        log.debug("dateparser could not read %r: %s", phrase, exc)
        return None
    if moment is None:
        return None
    return moment.replace(tzinfo=now.tzinfo) if now.tzinfo else moment
