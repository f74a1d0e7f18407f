"""bench/answers's own scoring and its independent checker (no product code involved)."""

from __future__ import annotations

from datetime import date

from bench.answers import (
    Evidence,
    _derived_days,
    evidence_of,
    score,
    token_f1,
    unsupported_details,
)


def test_locomo_scoring_follows_the_paper() -> None:
    assert token_f1("7 May 2023", "7 May 2023") == 1.0
    assert token_f1("the adoption agencies", "Adoption agencies") == 1.0  # articles go
    assert 0 < token_f1("researching adoption agencies now", "Adoption agencies") < 1
    f1, contained = score("1", "beach, forest", "beach, mountains, forest")
    assert round(f1, 3) == 0.667 and not contained
    assert score("3", "likely no", "Likely no; she needed support")[1]


def evidence(text: str, when: date) -> Evidence:
    days = _derived_days(text, when)
    return Evidence(text, days, {d.year for d in days}, {(d.year, d.month) for d in days})


def test_the_checker_finds_planted_details_and_accepts_resolved_dates() -> None:
    source = evidence("Caroline: I went to the support group yesterday with Mel, 3 of us",
                      date(2023, 5, 8))
    assert unsupported_details("7 May 2023: “I went to the support group yesterday” [1]",
                               source) == []
    assert unsupported_details("Caroline went with 3 friends", source) == []
    assert unsupported_details("She went on 9 May 2023 [1]", source) == ["9 May 2023"]
    assert unsupported_details("She went with Marcus and 4 friends", source) == ["4", "Marcus"]
    assert unsupported_details("Booking QX7K2M", source) == ["QX7K2M"]


def test_the_checker_reads_a_day_ocr_joined_to_its_month() -> None:
    page = evidence("Free cancellation until 22:00 on 21Mar 2031.From 00:05 on 22Mar 2031",
                    date(2031, 3, 1))
    assert unsupported_details("21 Mar 2031: “Free cancellation until …” [1]", page) == []
    assert unsupported_details("23 Mar 2031 [1]", page) == ["23 Mar 2031"]


def test_the_checker_reads_numeric_dates_either_way_round() -> None:
    bill = evidence("Amount due $61.20 by 09/24/2026; last bill 03/04/2026", date(2026, 9, 1))
    assert unsupported_details("Due 09/24/2026 [1]", bill) == []  # month first: no 24th month
    assert unsupported_details("Last bill 03/04/2026 [1]", bill) == []
    assert unsupported_details("Due 09/25/2026 [1]", bill) == ["09/25/2026"]


def test_the_checker_reads_a_weekday_written_short() -> None:
    source = evidence("Noor: Last Fri we finally went to the glass museum", date(2024, 5, 11))
    assert unsupported_details("10 May 2024: “Last Fri we finally went” [1]", source) == []
    assert unsupported_details("9 May 2024 [1]", source) == ["9 May 2024"]


def test_a_day_no_calendar_has_is_no_evidence_and_no_crash(store) -> None:  # noqa: ANN001
    """A screen printing "31/11/2031" (a typo, or OCR's misreading) is read for its other
    days; the checker does not stop on it."""
    memory = store.add("episodic", {"summary": "Instalments: 31/11/2031 and 15/12/2031",
                                    "occurred_at": "2031-10-01T09:00:00+00:00"})
    found = evidence_of(store, [memory.id])
    assert date(2031, 12, 15) in found.days


def test_a_figure_on_the_line_above_does_not_take_a_date_s_month() -> None:
    """"$312.46" over "March 11, 2026": the checker reads the date, not a day "46"."""
    page = evidence("Total amount due\n$312.46\nMarch 11, 2026\nPayment due date",
                    date(2026, 2, 18))
    assert unsupported_details("March 11, 2026: “Payment due date March 11, 2026” [1]",
                               page) == []
