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


@pytest.mark.parametrize(("question", "kind"), [
    # what to do is steps, wherever "how do I" stands
    ("If the boiler shows E4 after the reset, how do I get hot water back?", AnswerType.STEPS),
    ("What did I ask the cleaner to do when the alarm beeps?", AnswerType.STEPS),
    ("What do I have to do to close the account?", AnswerType.STEPS),
    ("Co muszę zrobić, żeby zmienić taryfę?", AnswerType.STEPS),
    ("Was muss ich tun, um die Karte zu sperren?", AnswerType.STEPS),
    ("Wat moet ik doen als de meter piept?", AnswerType.STEPS),
    ("What did we do with the spare key?", AnswerType.DESCRIPTION),
    # how tight, how thick: a measure
    ("How tight should the wheel nuts be?", AnswerType.QUANTITY),
    ("How thick is the insulation they quoted?", AnswerType.QUANTITY),
    # what I charge or what the bank takes is money
    ("How much am I billing the bakery for March?", AnswerType.MONEY),
    ("Hoeveel wordt er op de 28e van mijn rekening afgeschreven?", AnswerType.MONEY),
    ("Wie viel wird nächste Woche abgebucht?", AnswerType.MONEY),
    ("Hoeveel uur heeft de oppas gewerkt?", AnswerType.QUANTITY),
])
def test_what_to_do_a_measure_and_a_charge_are_asked_wherever_they_stand(
        question: str, kind: AnswerType) -> None:
    assert classify(question).type is kind


@pytest.mark.parametrize(("question", "kind"), [
    # what a spending came to is an amount
    ("What did our grocery shopping come to in the household budget sheet?", AnswerType.MONEY),
    # a one-liner is a command
    ("What was that sed one-liner I used to rename the photos?", AnswerType.COMMAND),
    # the address a router hands out is a code, no place
    ("What address did the router give the living-room speaker?", AnswerType.IDENTIFIER),
    ("What address does the router hand out to the printer?", AnswerType.IDENTIFIER),
    ("What is the address of the router's shop?", AnswerType.PLACE),
])
def test_a_sum_come_to_a_one_liner_and_a_router_s_address(question: str,
                                                          kind: AnswerType) -> None:
    assert classify(question).type is kind
