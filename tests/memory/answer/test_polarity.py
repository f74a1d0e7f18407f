"""The statuses a screen writes, read as yes or no (invented screens)."""

from __future__ import annotations

from memory.answer.polarity import NEGATED_WORD, asks_negative, statuses


def said(text: str) -> list[tuple[str, bool]]:
    return [(text[s.start:s.end], s.positive) for s in statuses(text)]


def test_a_state_a_negated_state_and_a_bare_answer_in_their_cells() -> None:
    assert said("Roof rack | Not added | $0.00") == [("Not added", False)]
    assert said("Brillenversicherung: nicht gebucht") == [("nicht gebucht", False)]
    assert said("Värme: ingår ej") == [("ingår ej", False)]
    assert said("Balcony | Yes | 6 m²") == [("Yes", True)]
    assert said("Autosave is off") == [("off", False)]
    assert said("Kita-Abholung: abgelaufen") == [("abgelaufen", False)]
    assert said("Two-step login · ✓ configured") == [("✓", True), ("configured", True)]
    assert said("Extend loan · No more renewals") == [("No more renewals", False)]


def test_every_negation_word_negates_a_state() -> None:
    """The negations of the question languages are one list: a contraction other than
    "isn't" ("hasn't shipped"), "never", "nooit", "aldrig" before a state, and a
    negation right before a word ("don't smoke") read as the answerer reads them."""
    assert said("Parcel 77-K hasn't shipped yet") == [("hasn't shipped", False)]
    assert said("Factuur 2031-88: nooit betaald") == [("nooit betaald", False)]
    assert said("Faktura 5512 · aldrig betald") == [("aldrig betald", False)]
    assert [m["word"] for m in NEGATED_WORD.finditer("Guests please don't smoke inside")] == [
        "smoke"]


def test_words_that_are_no_status_where_they_stand() -> None:
    # a number's abbreviation, a preposition, a footer, a button's verb, a payment's date
    assert said("No. 4411 Quarry Lane") == []
    assert said("Open on Mondays from 9") == []
    assert said("© 2031 Tessel Ltd. All rights reserved") == []
    assert said("Cancel | Book now") == []
    assert said("Fecha de pago: 03/05") == []


def test_a_question_asking_a_state_that_says_no() -> None:
    assert asks_negative("Did the nightly sync fail?")
    assert asks_negative("Is my library card expired?")
    assert not asks_negative("Did I add a roof rack to the booking?")
    # a state describing a thing asks nothing of it
    assert not asks_negative("Was the app deployed in the failed run?")
