"""Time expressions in a query ("yesterday", "last Tuesday", "in March 2023", "two weeks ago",
"before my trip"), resolved against a reference time into a range retrieval can use.

Calendar phrases resolve in the reference time's own timezone (pass an aware local
``now``: "yesterday" is the user's yesterday). "before/after <something that is not a
date>" becomes an :class:`EventAnchor` that the retriever resolves by finding that event.
Anything unrecognised or impossible yields no range; parsing never raises.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

_RELATIVE_WORD_TEXT = "last next this ago yesterday today tomorrow past coming"
_RELATIVE_WORDS = frozenset(_RELATIVE_WORD_TEXT.split())
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a couple of": 2, "a few": 3, "several": 3,
}
#: Counts that are only a guess: good enough to search a time range, never a stated date.
VAGUE_COUNTS = frozenset({"a couple of", "a few", "several"})
UNITS = {"day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month",
         "months": "month", "year": "year", "years": "year"}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
_NUMBER = r"(?P<n>\d{1,4}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
_UNIT = r"(?P<unit>days?|weeks?|months?|years?)"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"


@dataclass(frozen=True)
class TimeRange:
    """``since`` inclusive, ``until`` exclusive; either may be open (None)."""

    since: datetime | None
    until: datetime | None
    phrase: str

    def contains(self, moment: datetime) -> bool:
        return (self.since is None or moment >= self.since) and (
            self.until is None or moment < self.until
        )

    @property
    def named(self) -> bool:
        """Does the phrase name a calendar day, month or year ("on Saturday", "in July
        2026", "on 14 May"), which a screen may be about, rather than a time relative to
        now ("yesterday", "last week", "during the summer")?"""
        words = re.findall(r"\w+", self.phrase.lower())
        if any(w in _RELATIVE_WORDS for w in words):
            return False
        return any(w.isdigit() or w in MONTHS or w in WEEKDAYS for w in words)


@dataclass(frozen=True)
class EventAnchor:
    """"before my trip": a time relative to an event the retriever has to find first."""

    relation: str  # "before" or "after"
    event: str
    phrase: str

    @property
    def personal(self) -> bool:
        """"my trip", "our move": an event of the user's life, only a time. "the release
        is merged" may also be what the question is about."""
        return self.event.split(maxsplit=1)[0].lower() in ("my", "our", "his", "her", "their")


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # the query without the time phrase
    range: TimeRange | None = None
    anchor: EventAnchor | None = None


def _day_start(day: date, tz: tzinfo | None) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=tz)


def _days(start: date, count: int, tz: tzinfo | None, phrase: str) -> TimeRange:
    return TimeRange(_day_start(start, tz), _day_start(start + timedelta(days=count), tz), phrase)


def _month(year: int, month: int, tz: tzinfo | None, phrase: str) -> TimeRange:
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return TimeRange(_day_start(first, tz), _day_start(nxt, tz), phrase)


def _year(year: int, tz: tzinfo | None, phrase: str) -> TimeRange:
    return TimeRange(_day_start(date(year, 1, 1), tz), _day_start(date(year + 1, 1, 1), tz), phrase)


def _shift_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _number(text: str) -> int:
    text = " ".join(text.lower().split())
    return int(text) if text.isdigit() else NUMBER_WORDS[text]


def _ago(n: int, unit: str, now: datetime, phrase: str) -> TimeRange:
    tz, today = now.tzinfo, now.date()
    if unit == "day":
        return _days(today - timedelta(days=n), 1, tz, phrase)
    if unit == "week":
        monday = today - timedelta(days=today.weekday()) - timedelta(weeks=n)
        return _days(monday, 7, tz, phrase)
    if unit == "month":
        first = _shift_months(today, n)
        return _month(first.year, first.month, tz, phrase)
    return _year(today.year - n, tz, phrase)


def _past(n: int, unit: str, now: datetime, phrase: str) -> TimeRange:
    """"the past 3 days": a rolling window up to now."""
    span = {"day": 1, "week": 7, "month": 30.44, "year": 365.25}[unit] * n
    return TimeRange(now - timedelta(days=span), None, phrase)


def _last_weekday(weekday: int, now: datetime, *, strictly_last_week: bool) -> date:
    today = now.date()
    back = (today.weekday() - weekday) % 7
    if strictly_last_week or back == 0:
        back = back or 7
    return today - timedelta(days=back)


def _month_in_past(month: int, now: datetime) -> int:
    """The year of the most recent such month (this year's, unless it is still ahead)."""
    return now.year if month <= now.month else now.year - 1


def _relative(word: str, unit: str, now: datetime, phrase: str) -> TimeRange:
    tz, today = now.tzinfo, now.date()
    offset = {"this": 0, "current": 0, "last": 1, "previous": 1, "past": 1}[word]
    if unit == "week":
        monday = today - timedelta(days=today.weekday()) - timedelta(weeks=offset)
        return _days(monday, 7, tz, phrase)
    if unit == "weekend":
        saturday = today - timedelta(days=(today.weekday() - 5) % 7)
        if offset and saturday + timedelta(days=1) >= today:
            saturday -= timedelta(weeks=1)
        return _days(saturday, 2, tz, phrase)
    if unit == "month":
        first = _shift_months(today, offset)
        return _month(first.year, first.month, tz, phrase)
    return _year(today.year - offset, tz, phrase)


def _calendar_date(match: re.Match[str], now: datetime, phrase: str) -> TimeRange:
    month = MONTHS[match.group("month").lower()]
    day = int(match.group("day"))
    year_text = match.group("year")
    year = int(year_text) if year_text else _month_in_past(month, now)
    return _days(date(year, month, day), 1, now.tzinfo, phrase)


Builder = Callable[[re.Match[str], datetime], TimeRange]

# (pattern, builder) in priority order; a builder may raise ValueError/KeyError/OverflowError
# for impossible dates, which means "no range".
_RULES: list[tuple[re.Pattern[str], Builder]] = []


def _rule(pattern: str) -> Callable[[Builder], Builder]:
    def register(builder: Builder) -> Builder:
        _RULES.append((re.compile(r"\b" + pattern + r"\b", re.IGNORECASE), builder))
        return builder

    return register


@_rule(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})")
def _iso(m: re.Match[str], now: datetime) -> TimeRange:
    return _days(date(int(m["y"]), int(m["m"]), int(m["d"])), 1, now.tzinfo, m[0])


@_rule(r"(?:on\s+)?" + _MONTH + r"\s+" + _DAY + r"(?:,?\s+" + _YEAR + r")?")
def _month_day(m: re.Match[str], now: datetime) -> TimeRange:
    return _calendar_date(m, now, m[0])


@_rule(r"(?:on\s+)?(?:the\s+)?" + _DAY + r"(?:\s+of)?\s+" + _MONTH + r"(?:,?\s+" + _YEAR + r")?")
def _day_month(m: re.Match[str], now: datetime) -> TimeRange:
    return _calendar_date(m, now, m[0])


@_rule(r"(?:in\s+|during\s+)?" + _MONTH + r",?\s+" + _YEAR)
def _month_year(m: re.Match[str], now: datetime) -> TimeRange:
    return _month(int(m["year"]), MONTHS[m["month"].lower()], now.tzinfo, m[0])


@_rule(r"(?:in|during)\s+" + _MONTH)
def _month_only(m: re.Match[str], now: datetime) -> TimeRange:
    month = MONTHS[m["month"].lower()]
    return _month(_month_in_past(month, now), month, now.tzinfo, m[0])


@_rule(r"(?:in|during)\s+" + _YEAR)
def _year_only(m: re.Match[str], now: datetime) -> TimeRange:
    return _year(int(m["year"]), now.tzinfo, m[0])


@_rule(r"(?:the\s+)?day\s+before\s+yesterday")
def _day_before_yesterday(m: re.Match[str], now: datetime) -> TimeRange:
    return _days(now.date() - timedelta(days=2), 1, now.tzinfo, m[0])


@_rule(r"yesterday|last\s+night")
def _yesterday(m: re.Match[str], now: datetime) -> TimeRange:
    return _days(now.date() - timedelta(days=1), 1, now.tzinfo, m[0])


@_rule(r"today|tonight|this\s+(?:morning|afternoon|evening)")
def _today(m: re.Match[str], now: datetime) -> TimeRange:
    return _days(now.date(), 1, now.tzinfo, m[0])


@_rule(_NUMBER + r"\s+" + _UNIT + r"\s+ago")
def _n_ago(m: re.Match[str], now: datetime) -> TimeRange:
    return _ago(_number(m["n"]), UNITS[m["unit"].lower()], now, m[0])


@_rule(r"(?:in\s+|over\s+|during\s+)?(?:the\s+)?(?:past|last)\s+" + _NUMBER + r"\s+" + _UNIT)
def _past_n(m: re.Match[str], now: datetime) -> TimeRange:
    return _past(_number(m["n"]), UNITS[m["unit"].lower()], now, m[0])


@_rule(r"(?:on\s+)?(?P<which>last|this|past)?\s*" + _WEEKDAY)
def _weekday(m: re.Match[str], now: datetime) -> TimeRange:
    day = _last_weekday(
        WEEKDAYS[m["weekday"].lower()], now, strictly_last_week=(m["which"] or "").lower() == "last"
    )
    return _days(day, 1, now.tzinfo, m[0].strip())


@_rule(r"(?P<which>this|last|previous|past|current)\s+(?P<unit>week|weekend|month|year)")
def _this_or_last(m: re.Match[str], now: datetime) -> TimeRange:
    return _relative(m["which"].lower(), m["unit"].lower(), now, m[0])


_BOUND = re.compile(r"\b(?P<relation>before|after|since|until)\s+(?P<rest>.+)$", re.IGNORECASE)
_EVENT = re.compile(r"^(?P<event>(?:my|our|the|his|her|their)\s+[\w' -]+?)\s*[?.!]*$",
                    re.IGNORECASE)


def find_range(text: str, now: datetime) -> TimeRange | None:
    """The first calendar phrase in ``text`` as a range, else None."""
    return _first_range(text, now)[0]


def _first_range(text: str, now: datetime) -> tuple[TimeRange | None, re.Match[str] | None]:
    best: tuple[TimeRange | None, re.Match[str] | None] = (None, None)
    for pattern, builder in _RULES:
        for match in pattern.finditer(text):
            try:
                found = builder(match, now)
            except (ValueError, KeyError, OverflowError):
                continue
            if best[1] is None or match.start() < best[1].start():
                best = (found, match)
            break
    return best


def parse_query(query: str, now: datetime | None = None) -> ParsedQuery:
    """Split ``query`` into search text and a time range or event anchor, if it has one."""
    now = now or datetime.now(UTC).astimezone()
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    bound = _BOUND.search(query)
    time_range, match = _first_range(query, now)
    if bound and (match is None or match.start() >= bound.start("rest")):
        relation = bound["relation"].lower()
        if time_range is not None and match is not None:
            edge = time_range.since if relation in ("before", "until") else time_range.until
            if relation == "since":
                edge = time_range.since
            rest = query[: bound.start()] + query[match.end():]
            phrase = query[bound.start(): match.end()]
            limited = (TimeRange(None, edge, phrase) if relation in ("before", "until")
                       else TimeRange(edge, None, phrase))
            return ParsedQuery(_tidy(rest), limited)
        event = _EVENT.match(bound["rest"])
        if event and relation in ("before", "after"):
            return ParsedQuery(
                _tidy(query[: bound.start()]),
                anchor=EventAnchor(relation, event["event"].strip(), bound[0].strip()),
            )
    if time_range is None or match is None:
        return ParsedQuery(query)
    return ParsedQuery(_tidy(query[: match.start()] + query[match.end():]), time_range)


def _tidy(text: str) -> str:
    return " ".join(text.split()).strip(" ,")
