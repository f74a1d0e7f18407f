"""Time expressions resolve against a reference time; nonsense yields no range, never a crash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from memory.time_expressions import parse_query

NOW = datetime(2024, 1, 10, 15, 30, tzinfo=UTC)  # a Wednesday


def day(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, tzinfo=UTC)


CASES = [
    ("what did I do yesterday", "what did I do", day(2024, 1, 9), day(2024, 1, 10)),
    ("today", "", day(2024, 1, 10), day(2024, 1, 11)),
    ("the day before yesterday", "", day(2024, 1, 8), day(2024, 1, 9)),
    ("meeting last Tuesday", "meeting", day(2024, 1, 9), day(2024, 1, 10)),
    ("call on Wednesday", "call", day(2024, 1, 3), day(2024, 1, 4)),  # today is Wednesday
    ("budget in March 2023", "budget", day(2023, 3, 1), day(2023, 4, 1)),
    ("taxes in December", "taxes", day(2023, 12, 1), day(2024, 1, 1)),  # most recent December
    ("gate two weeks ago", "gate", day(2023, 12, 25), day(2024, 1, 1)),
    ("3 days ago", "", day(2024, 1, 7), day(2024, 1, 8)),
    ("a month ago", "", day(2023, 12, 1), day(2024, 1, 1)),
    ("last year", "", day(2023, 1, 1), day(2024, 1, 1)),
    ("last week", "", day(2024, 1, 1), day(2024, 1, 8)),
    ("this month", "", day(2024, 1, 1), day(2024, 2, 1)),
    ("on 8 May, 2023", "", day(2023, 5, 8), day(2023, 5, 9)),
    ("on October 13, 2023?", "?", day(2023, 10, 13), day(2023, 10, 14)),
    ("2023-02-28 notes", "notes", day(2023, 2, 28), day(2023, 3, 1)),
    ("in 2022", "", day(2022, 1, 1), day(2023, 1, 1)),
    ("leap day February 29 2024", "leap day", day(2024, 2, 29), day(2024, 3, 1)),
    ("what happened before March 2023", "what happened", None, day(2023, 3, 1)),
    ("since yesterday", "", day(2024, 1, 9), None),
    ("the past 3 days", "", NOW - timedelta(days=3), None),
]


@pytest.mark.parametrize(("query", "text", "since", "until"), CASES)
def test_phrase_resolves_to_range(query, text, since, until) -> None:
    parsed = parse_query(query, NOW)
    assert parsed.range is not None, query
    assert (parsed.range.since, parsed.range.until) == (since, until)
    assert parsed.text == text
    assert parsed.anchor is None


@pytest.mark.parametrize(
    "query",
    [
        "February 30 2023",  # no such day
        "2023-02-29",  # not a leap year
        "9999 years ago",  # before year 1
        "in 0 days",
        "asdf qwer",
        "may I go now",  # "may" alone is not a month
        "",
        "12 of never",
        "the 45th of Smarch",
    ],
)
def test_nonsense_gives_no_range(query: str) -> None:
    parsed = parse_query(query, NOW)
    assert parsed.range is None and parsed.anchor is None
    assert parsed.text == query


def test_before_an_event_becomes_an_anchor() -> None:
    parsed = parse_query("what did I pack before my trip?", NOW)
    assert parsed.range is None
    assert parsed.anchor is not None
    assert (parsed.anchor.relation, parsed.anchor.event) == ("before", "my trip")
    assert parsed.text == "what did I pack"


def test_calendar_days_follow_the_reference_timezone() -> None:
    tokyo = timezone(timedelta(hours=9))
    late_evening_utc = datetime(2024, 1, 10, 20, 0, tzinfo=UTC)  # already the 11th in Tokyo
    parsed = parse_query("yesterday", late_evening_utc.astimezone(tokyo))
    assert parsed.range is not None
    assert parsed.range.since == datetime(2024, 1, 10, tzinfo=tokyo)


@given(st.text(max_size=80))
def test_any_text_parses_without_raising(text: str) -> None:
    parse_query(text, NOW)


@pytest.mark.parametrize(("query", "named"), [
    ("What time is the picnic on Sunday?", True),
    ("What were the March 2031 invoices?", True),
    ("When is it due on 9 March?", True),
    ("what did I read yesterday", False),
    ("what did Ana say last week", False),
    ("what did I do this Sunday", False),
])
def test_a_phrase_naming_a_calendar_day_may_be_what_a_memory_is_about(
        query: str, named: bool) -> None:
    parsed = parse_query(query, datetime(2031, 3, 20, 12, 0, tzinfo=UTC))
    assert parsed.range is not None and parsed.range.named is named
