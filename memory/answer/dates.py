"""Dates written in memories, found and resolved against the memory's own date.

"14 May", "May 14, 2026", "2026-05-14", "14/05/2026", "yesterday", "last Friday", "two weeks
ago", "last year", "next month": each becomes a :class:`DateValue` (year, month and day, any
of which may be unknown) so that the answer can state it plainly ("7 May 2023") and the
verifier can compare dates however they were written.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from memory.time_expressions import MONTHS, NUMBER_WORDS, VAGUE_COUNTS, WEEKDAYS

#: Month names of German, French, Spanish and Italian screens ("4. März", "2 juillet",
#: "9 de octubre"), and of Dutch, Swedish and Portuguese ones ("1 januari 2031", "24 de
#: novembro").
_FOREIGN_MONTH_TEXT = (
    "januar jänner janvier enero gennaio januari janeiro|"
    "februar février fevrier febrero febbraio februari fevereiro|"
    "märz maerz mars marzo maart março|april avril abril aprile|mai mayo maggio mei maj maio|"
    "juni juin junio giugno junho|juli juillet julio luglio julho|"
    "august août aout agosto augustus augusti|"
    "september septembre septiembre setiembre settembre setembro|"
    "oktober octobre octubre ottobre outubro|november novembre noviembre novembro|"
    "dezember décembre decembre diciembre dicembre december dezembro"
)
#: The forms Polish and Czech write a day's month in ("3 grudnia 2031", "5. listopadu
#: 2031"): they name a month only after a day's number; alone, or opening a word, they may
#: be another word ("marcava", "maja").
_AFTER_A_DAY_MONTH_TEXT = (
    "stycznia ledna|lutego února unora|marca března brezna|kwietnia dubna|maja května kvetna|"
    "czerwca června cervna|lipca července cervence|sierpnia srpna|września zari září|"
    "października října rijna|listopada listopadu|grudnia prosince"
)
MONTH_NUMBERS = dict(MONTHS)
for _text in (_FOREIGN_MONTH_TEXT, _AFTER_A_DAY_MONTH_TEXT):
    for _number_of, _names in enumerate(_text.split("|"), 1):
        MONTH_NUMBERS.update({name: _number_of for name in _names.split()})
_AFTER_A_DAY_ONLY = frozenset(_AFTER_A_DAY_MONTH_TEXT.replace("|", " ").split())
_MONTH = r"(?P<month>" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
_MONTH2 = _MONTH.replace("?P<month>", "?P<month2>")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|\.)?"
_DAY2 = _DAY.replace("?P<day>", "?P<day2>")
_YEAR = r"(?P<year>(?:19|20)\d\d)"
#: "a few years ago" is no date: only a count said exactly resolves ("three weeks ago").
_NUMBER = r"(?P<n>\d{1,3}|" + "|".join(
    sorted(set(NUMBER_WORDS) - VAGUE_COUNTS, key=len, reverse=True)) + r")"
#: The weekdays English writes short, and French (a calendar's "Fri 23", "Jeu 12").
_ENGLISH_DAY_SHORT = {"Mon": 0, "Tue": 1, "Tues": 1, "Wed": 2, "Thu": 3, "Thur": 3, "Thurs": 3,
                      "Fri": 4, "Sat": 5, "Sun": 6}
_FRENCH_DAY_SHORT = {"Lun": 0, "Mer": 2, "Jeu": 3, "Ven": 4, "Sam": 5, "Dim": 6}
#: A weekday written short after "last", "next", "on" ("last Fri"), capitalised: "sat" and
#: "wed" are words too.
_WEEKDAY_ABBREVIATIONS = {**{w.lower(): day for w, day in _ENGLISH_DAY_SHORT.items()}, "weds": 2}
_WEEKDAY = (r"(?P<weekday>" + "|".join(WEEKDAYS) + "|(?-i:" + "|".join(
    sorted((w.capitalize() for w in _WEEKDAY_ABBREVIATIONS), key=len, reverse=True)) + r")\.?)")
#: Each weekday's whole names in the question languages, Monday first (Portuguese ones
#: only with "-feira" or after "na": "segunda via" is a bill's copy).
_DAY_NAME_TEXT = (
    "monday montag lunes lundi lunedì lunedi maandag måndag mandag poniedziałek pondělí",
    "tuesday dienstag martes mardi martedì martedi dinsdag tisdag tirsdag wtorek úterý",
    "wednesday mittwoch miércoles miercoles mercredi mercoledì mercoledi woensdag onsdag "
    "środa środę sroda středa středu",
    "thursday donnerstag jueves jeudi giovedì giovedi donderdag torsdag czwartek čtvrtek",
    "friday freitag viernes vendredi venerdì venerdi vrijdag fredag piątek piatek pátek",
    "saturday samstag sonnabend sábado sabado samedi sabato zaterdag lördag lørdag sobota "
    "sobotę sobotu",
    "sunday sonntag domingo dimanche domenica zondag söndag søndag niedziela niedzielę "
    "neděle neděli",
)
_DAY_NAMES = {name: day for day, names in enumerate(_DAY_NAME_TEXT) for name in names.split()}
_PORTUGUESE_DAYS = {"segunda": 0, "terça": 1, "terca": 1, "quarta": 2, "quinta": 3, "sexta": 4}
#: A weekday written short, capitalised ("Sat", "Mi.", "Jeu"); the two-letter ones only
#: before a time, a comma or a range's dash ("Do 9-18", "Sa:"), as "Do" and "So" are words.
_DAY_SHORT = {**_ENGLISH_DAY_SHORT, "Lun": 0, "Mié": 2, "Mie": 2, "Jue": 3, "Vie": 4,
              "Sáb": 5, "Dom": 6, "Mer": 2, "Jeu": 3, "Ven": 4, "Sam": 5}
_DAY_TWO = {"Mo": 0, "Di": 1, "Mi": 2, "Do": 3, "Fr": 4, "Sa": 5, "So": 6}
_PORTUGUESE_SHORT = {"Seg": 0, "Ter": 1, "Qua": 2, "Qui": 3, "Sex": 4}
#: Weekdays in the languages questions are asked in, whole (any case) and short (capitalised
#: only: "do", "so" and "mar" are words too): a day and a month written after one are a
#: date ("sexta, 14/8", "Mi., 2.9.").
_WEEKDAY_NAMES = " ".join([*_DAY_NAMES, *_PORTUGUESE_DAYS])
_WEEKDAY_SHORT = " ".join([*_DAY_SHORT, *_DAY_TWO, *_PORTUGUESE_SHORT])
_ANY_WEEKDAY = (r"(?:(?i:" + "|".join(sorted(_WEEKDAY_NAMES.split(), key=len, reverse=True))
                + r")(?:-feira)?|(?:" + "|".join(sorted(_WEEKDAY_SHORT.split(), key=len,
                                                       reverse=True)) + r")\.?)")


@dataclass(frozen=True)
class DateValue:
    """A calendar date some parts of which may be unknown; ``week_of`` marks "the week
    before/after" readings, whose day is the anchor's."""

    year: int | None
    month: int | None
    day: int | None
    relation: str = ""  # "" exact, "week before", "weekend before", "week after"...

    def text(self) -> str:
        """As the LoCoMo answers and a person write it: "7 May 2023", "May 2023", "2022"."""
        parts = []
        if self.day is not None:
            parts.append(str(self.day))
        if self.month is not None:
            parts.append(calendar.month_name[self.month])
        if self.year is not None:
            parts.append(str(self.year))
        plain = " ".join(parts)
        return f"the {self.relation} {plain}" if self.relation else plain

    def agrees(self, other: DateValue) -> bool:
        """The same date, where both say a part (a missing part agrees with anything)."""
        pairs = ((self.year, other.year), (self.month, other.month), (self.day, other.day))
        known = [(a, b) for a, b in pairs if a is not None and b is not None]
        return bool(known) and all(a == b for a, b in known)


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    value: DateValue
    relative: bool


def _of(day: date) -> DateValue:
    return DateValue(day.year, day.month, day.day)


def _number(text: str) -> int:
    return int(text) if text.isdigit() else NUMBER_WORDS[text.lower()]


def _shift_months(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _absolute(m: re.Match[str], anchor: date | None) -> DateValue:
    groups = m.groupdict()
    month = MONTH_NUMBERS[groups["month"].lower()] if groups.get("month") else None
    if groups.get("month2"):
        month = MONTH_NUMBERS[groups["month2"].lower()]
    day_text = groups.get("day") or groups.get("day2")
    day = int(day_text) if day_text else None
    year = int(groups["year"]) if groups.get("year") else None
    if day is not None and not 1 <= day <= 31:
        raise ValueError("no such day")
    return DateValue(year, month, day)


def _iso(m: re.Match[str], anchor: date | None) -> DateValue:
    return _of(date(int(m["y"]), int(m["m"]), int(m["d"])))


def _cjk(m: re.Match[str], anchor: date | None) -> DateValue:
    year = int(m["y"]) if m["y"] else None
    month, day = int(m["m"]), int(m["d"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise ValueError("no such date")
    return DateValue(year, month, day)


def _weekday_day(m: re.Match[str], anchor: date | None) -> DateValue:
    """"Fri 23" on a calendar: the day of the month only, as the month is not written."""
    day = int(m["day"])
    if not 1 <= day <= 31:
        raise ValueError("no such day")
    return DateValue(None, None, day)


def _weekday_day_month(m: re.Match[str], anchor: date | None) -> DateValue:
    """"sexta, 14/8", "Thu 8/27": a weekday names the numbers after it as a day and a month
    (day first, unless only the second can be a day)."""
    first, second = int(m["a"]), int(m["b"] or m["c"])
    day, month = (second, first) if first <= 12 < second else (first, second)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise ValueError("no such date")
    return DateValue(None, month, day)


def _numeric(m: re.Match[str], anchor: date | None) -> DateValue:
    first, second, year = int(m["a"]), int(m["b"]), int(m["y"])
    if year < 100:
        year += 2000
    day, month = (first, second) if first > 12 or second <= 12 else (second, first)
    return _of(date(year, month, day))


def _relative(m: re.Match[str], anchor: date | None) -> DateValue:
    if anchor is None:
        raise ValueError("a relative date needs the memory's date")
    word = m[0].lower()
    words = word.split()
    if word == "today" or word == "tonight" or word == "this morning":
        return _of(anchor)
    if word in ("yesterday", "last night"):
        return _of(anchor - timedelta(days=1))
    if word == "the day before yesterday":
        return _of(anchor - timedelta(days=2))
    if word == "tomorrow":
        return _of(anchor + timedelta(days=1))
    if m.groupdict().get("weekday"):
        named = m["weekday"].lower().rstrip(".")
        weekday = WEEKDAYS.get(named, _WEEKDAY_ABBREVIATIONS.get(named, 0))
        if words[0] == "next":
            ahead = (weekday - anchor.weekday()) % 7 or 7
            return _of(anchor + timedelta(days=ahead))
        back = (anchor.weekday() - weekday) % 7 or 7
        return _of(anchor - timedelta(days=back))
    if m.groupdict().get("n"):
        n, unit = _number(m["n"]), m["unit"].lower().rstrip("s")
        if unit == "day":
            return _of(anchor - timedelta(days=n))
        if unit == "week":
            return _of(anchor - timedelta(weeks=n))
        if unit == "month":
            year, month = _shift_months(anchor, -n)
            return DateValue(year, month, None)
        return DateValue(anchor.year - n, None, None)
    step = -1 if words[0] == "last" else (1 if words[0] == "next" else 0)
    unit = words[-1]
    if unit == "year":
        return DateValue(anchor.year + step, None, None)
    if unit == "month":
        year, month = _shift_months(anchor, step)
        return DateValue(year, month, None)
    if unit in ("week", "weekend"):
        relation = {-1: f"{unit} before", 1: f"{unit} after", 0: unit + " of"}[step]
        return DateValue(anchor.year, anchor.month, anchor.day, relation)
    raise ValueError(f"unhandled relative date {word!r}")


_RULES: list[tuple[re.Pattern[str], object, bool]] = [
    # "2031-05-06", "2031/05/06", and the day of a timestamp ("2031-05-06T10:00:00Z")
    (re.compile(r"\b(?P<y>(?:19|20)\d\d)([-/])(?P<m>[01]?\d)\2(?P<d>[0-3]?\d)(?:\b|(?=T\d))"),
     _iso, False),
    # day/month/year, or month/day/year where the day shows it ("11/27/2031")
    (re.compile(r"\b(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.](?P<y>(?:19|20)?\d\d)\b"), _numeric,
     False),
    # with a space after each dot, as Czech, Slovak and German write it, the year in full
    # ("21. 5. 2031")
    (re.compile(r"(?<![\w.])(?P<a>[0-3]?\d)\.\s(?P<b>[01]?\d)\.\s(?P<y>(?:19|20)\d\d)\b"),
     _numeric, False),
    # with hyphens, as Dutch, Danish and Portuguese pages write it, the year in full
    # ("17-03-2032"; "17-04-31" may be a code)
    (re.compile(r"(?<![\w-])(?P<a>[0-3]?\d)-(?P<b>[0-3]?\d)-(?P<y>(?:19|20)\d\d)(?![\w-])"),
     _numeric, False),
    # (Chinese and Japanese "2031年5月9日", Korean "2031년 5월 9일")
    (re.compile(r"(?:(?P<y>(?:19|20)\d\d)\s?[年년]\s?)?(?P<m>[01]?\d)\s?[月월]\s?"
                r"(?P<d>[0-3]?\d)\s?[日号일]"),
     _cjk, False),
    # a code's number is no day: "KB-14 Sep 3" is due on Sep 3, and "#12" is an issue
    # (OCR may join the year to its month: "30 junio2031")
    (re.compile(rf"(?<![A-Za-z]-)(?<!#)\b{_DAY}\s+(?:of\s+|de\s+)?{_MONTH}"
                rf"(?:(?:,?\s+(?:de\s+)?|(?<=[^\W\d_])){_YEAR})?\b", re.I), _absolute, False),
    # a day that OCR joined to its month, the year after: "21Sep 1987"
    (re.compile(rf"(?<![A-Za-z]-)(?<!#)\b{_DAY}{_MONTH},?\s+{_YEAR}\b", re.I), _absolute, False),
    # "24-Sep-2026", as logs and forms write it
    (re.compile(rf"\b{_DAY}-{_MONTH}-{_YEAR}\b", re.I), _absolute, False),
    (re.compile(rf"\b{_MONTH2}\s+{_DAY2}\b(?:,?\s+{_YEAR})?", re.I), _absolute, False),
    (re.compile(rf"\b{_MONTH}\s+(?:of\s+)?{_YEAR}\b", re.I), _absolute, False),
    (re.compile(r"\b(?:the day before yesterday|yesterday|today|tonight|tomorrow|"
                r"last night|this morning)\b", re.I), _relative, True),
    (re.compile(rf"\b(?:last|next|this past|on|this)\s+{_WEEKDAY}\b", re.I), _relative, True),
    (re.compile(rf"\b{_NUMBER}\s+(?P<unit>days?|weeks?|months?|years?)\s+ago\b", re.I),
     _relative, True),
    (re.compile(r"\b(?:last|next|this)\s+(?:year|month|week|weekend)\b", re.I), _relative, True),
    # a day and a month after a weekday: "14/8", or "2.9." with its closing dot ("3.5" is
    # a figure)
    (re.compile(rf"\b{_ANY_WEEKDAY},?\s+(?P<a>[0-3]?\d)(?:/(?P<b>[0-3]?\d)\b(?![/.]?\d)|"
                r"\.(?P<c>[01]?\d)\.(?!\d))"), _weekday_day_month, False),
    # (not the end of a span of weekdays with its opening hours: "Mon-Fri 8 AM-9 PM")
    (re.compile(r"(?<![-–])(?<![-–]\s)\b(?:" + "|".join(sorted(
        [*_ENGLISH_DAY_SHORT, *(w.upper() for w in _ENGLISH_DAY_SHORT if len(w) == 3),
         *_FRENCH_DAY_SHORT], key=len, reverse=True)) + r")\.?,?\s+(?P<day>[0-3]?\d)\b"
                r"(?![:.,]?\d)(?!\s?(?:(?i:[ap]\.?m|uhr|h)\b|[-–]\s?\d))"),
     _weekday_day, False),
    (re.compile(rf"\b(?:in\s+)?{_YEAR}\b"), _absolute, False),
]


def find_dates(text: str, anchor: datetime | date | None = None) -> list[FoundDate]:
    """Every date written in ``text``, in order, relative ones resolved against ``anchor``
    (the memory's own date); an overlapping later reading of the same words is skipped."""
    day = anchor.date() if isinstance(anchor, datetime) else anchor
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for pattern, builder, relative in _RULES:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            if relative and m[0].lower().startswith(("on ", "this ")) and day is None:
                continue
            try:
                value = builder(m, day)  # type: ignore[operator]
            except (ValueError, KeyError, OverflowError):
                continue
            taken.append((m.start(), m.end()))
            found.append(FoundDate(m.start(), m.end(), value, relative))
    return _weekdays_joined(sorted(found, key=lambda f: f.start), text)


#: A weekday written just before a full date is that date's ("Friday, 20 March 2026").
_BEFORE_DATE = re.compile(r"^[\s,]{0,3}$")


def _weekdays_joined(found: list[FoundDate], text: str) -> list[FoundDate]:
    out: list[FoundDate] = []
    for date_found in found:
        before = out[-1] if out else None
        last = text[before.start:before.end].split()[-1] if before is not None else ""
        if (before is not None and before.relative and not date_found.relative
                and last.lower() in WEEKDAYS
                and _BEFORE_DATE.match(text[before.end:date_found.start])):
            out[-1] = FoundDate(before.end - len(last), date_found.end, date_found.value, False)
            continue
        out.append(date_found)
    return out


#: A time said only roughly ("a few years ago", "some weeks back"): no date can be stated,
#: but the phrase itself answers "when" better than the day the memory was written.
_VAGUE_WHEN = re.compile(
    rf"\b(?:{'|'.join(sorted(VAGUE_COUNTS))}|some|many)\s+(?:days|weeks|months|years)\s+"
    r"(?:ago|back)\b|\b(?:a while|ages|long)\s+ago\b|\byears ago\b", re.I)


def vague_when(text: str) -> list[tuple[int, int]]:
    """Where ``text`` says when only roughly, as (start, end) spans."""
    return [m.span() for m in _VAGUE_WHEN.finditer(text)]


#: Whole month names, in the question languages and in Dutch, Swedish, Portuguese and
#: Polish too: a word that is one, or opens with one ("Oktoberrechnung", "novemberhyran"),
#: names that month. ("May", "mai" and "mars" are other words as well.)
_MORE_MONTH_TEXT = (
    "januari janeiro styczeń|februari fevereiro luty|maart março marzec|kwiecień|mei maj "
    "maio|junho czerwiec|julho lipiec|augusti augustus sierpień|setembro wrzesień|outubro "
    "październik|novembro listopad|dezembro grudzień"
)
_WHOLE_MONTHS = {name: number for name, number in MONTH_NUMBERS.items()
                 if len(name) >= 4 and name not in ("mars", "maerz")
                 and name not in _AFTER_A_DAY_ONLY}
for _number_of, _names in enumerate(_MORE_MONTH_TEXT.split("|"), 1):
    _WHOLE_MONTHS.update({name: _number_of for name in _names.split()})
_WHOLE_MONTHS.pop("sept")
#: (a short name only as a word of its own: "Junit" is no June)
_MONTH_WORD = re.compile(r"\b(" + "|".join(sorted((m for m in _WHOLE_MONTHS if len(m) > 4),
                                                  key=len, reverse=True))
                         + r"|(?:" + "|".join(m for m in _WHOLE_MONTHS if len(m) <= 4)
                         + r")\b)", re.I)


def months_named(text: str) -> set[int]:
    """The months ``text`` names by their whole name, alone or opening a compound."""
    return {_WHOLE_MONTHS[m[1].lower()] for m in _MONTH_WORD.finditer(text)}


_DAY_WORD = re.compile(
    r"(?i:\b(?P<whole>" + "|".join(sorted(_DAY_NAMES, key=len, reverse=True)) + r")\b)|"
    r"(?i:\b(?P<pt>" + "|".join(_PORTUGUESE_DAYS) + r")(?:-feira)?\b)|"
    r"\b(?P<short>" + "|".join(sorted(_DAY_SHORT, key=len, reverse=True)) + r")\b\.?|"
    r"\b(?P<two>" + "|".join(_DAY_TWO) + r")\b\.?(?=\s*(?:\d|[,:–-]))")
_PT_BEFORE = re.compile(r"\b(?:na|nesta|próxima|proxima|até|ate)\s+$", re.I)
_DAY_RANGE_DASH = re.compile(r"\s*[–—-]\s*$")


def weekdays_named(text: str) -> set[int]:
    """The weekdays ``text`` names, Monday 0: whole in the question languages or written
    short; a span of them ("Mon–Fri", "Mo-Sa") names each day in it."""
    found: list[tuple[int, int, int]] = []  # (start, end, day)
    for m in _DAY_WORD.finditer(text):
        if m["whole"]:
            day = _DAY_NAMES[m["whole"].lower()]
        elif m["pt"]:
            if not (m[0].lower().endswith("-feira") or _PT_BEFORE.search(text, 0, m.start())):
                continue
            day = _PORTUGUESE_DAYS[m["pt"].lower()]
        elif m["short"]:
            day = _DAY_SHORT[m["short"]]
        else:
            day = _DAY_TWO[m["two"]]
        found.append((m.start(), m.end(), day))
    days = {day for _, _, day in found}
    for (_, end, first), (start, _, last) in zip(found, found[1:], strict=False):
        if _DAY_RANGE_DASH.fullmatch(text[end:start]):
            days |= {(first + i) % 7 for i in range((last - first) % 7 + 1)}
    return days


def months_said(text: str) -> set[int]:
    """The months ``text`` names (see :func:`months_named`) or writes in a day's date
    ("30/09/2031" is in September)."""
    return months_named(text) | {d.value.month for d in find_dates(text, None)
                                 if d.value.month is not None and d.value.day is not None}
