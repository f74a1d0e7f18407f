"""An amount is expected only when the question asks for one, not when it names a budget or
a price in passing (then the answer describes what was decided)."""

from __future__ import annotations

import pytest

from memory.answer.question import AnswerType, classify


@pytest.mark.parametrize("question", [
    "What is the total of the order?", "What was the price of the ferry ticket?",
    "What did the repair cost?", "What is our budget?", "How much was the fare?",
])
def test_asking_for_an_amount_expects_money(question: str) -> None:
    assert classify(question).type is AnswerType.MONEY


@pytest.mark.parametrize("question", [
    "What was decided about travel in the annual budget meeting?",
    "What did the price review committee recommend for the spring catalogue?",
])
def test_an_amount_named_in_passing_is_not_the_question(question: str) -> None:
    assert classify(question).type is not AnswerType.MONEY


@pytest.mark.parametrize(("question", "kind"), [
    ("What is the address of my dentist?", AnswerType.PLACE),
    ("What's the gym's address?", AnswerType.PLACE),
    ("What is the location of the offsite?", AnswerType.PLACE),
    ("What is the email address of the landlord?", AnswerType.ITEM),
    ("What is the IP address of the printer?", AnswerType.IDENTIFIER),
])
def test_an_address_asked_for_is_a_place_unless_it_is_a_technical_one(
        question: str, kind: AnswerType) -> None:
    assert classify(question).type is kind
