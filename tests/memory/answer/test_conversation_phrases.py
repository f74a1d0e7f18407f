"""The phrase that answers a "what" question about a conversation: where the question's
wh-word would stand in the statement, a title the turn quotes, the kind named before the
thing, and irregular verbs meeting their dictionary form. Every turn here is invented."""

from __future__ import annotations

from memory.answer.extractive import description_value, slot_anchors, stem, stems
from memory.answer.question import classify
from memory.chat import ChatService
from memory.retrieval import HybridRetriever
from memory.store import MemoryStore
from tests.memory.answer.test_extractive import SilentModel


def _turn(store: MemoryStore, text: str, second: int) -> str:
    """One remembered chat turn, ``second`` seconds into an invented conversation."""
    return store.add("episodic", {
        "summary": text, "occurred_at": f"2024-05-11T16:20:{second:02d}+00:00"}).id


def _short(store: MemoryStore, question: str) -> str:
    answer = ChatService(store, HybridRetriever(store), SilentModel,
                         save_as_memory=False).ask(question)
    assert not answer.abstained, answer.answer
    return answer.short_answer


def _phrase(text: str, question: str) -> str:
    q = classify(question)
    return description_value(text, stems(" ".join(q.words)), slot_anchors(question), question)


def test_the_sentence_holding_the_slot_answers_over_one_naming_the_same_words(
        store: MemoryStore) -> None:
    """"What did the bake sale raise money for?": the answer stands after "money for" in
    the statement; the sentence that only names the bake sale says nothing of it."""
    _turn(store, "Ilse: That bake sale sounds lovely, Noor! Raising money for the lifeboat "
                 "crew is such a kind idea.", 0)
    _turn(store, "Noor: Thanks! The weather held up too.", 5)
    assert _short(store, "What did the bake sale raise money for?") == "lifeboat crew"


def test_the_last_words_of_the_question_say_where_its_answer_stands() -> None:
    # "… to Ghent for?": the purpose after Ghent, not the time between trip and Ghent
    assert slot_anchors("What did Noor take a trip to Ghent for?") == {"trip": 1, "ghent": 2}
    assert _phrase("Noor: Went on a short trip last month to Ghent to sketch the old harbour.",
                   "What did Noor take a trip to Ghent for?") == "sketch the old harbour"


def test_a_title_the_turn_quotes_is_the_answer() -> None:
    assert _phrase('Noor: Lately I\'m halfway through "The Salt Road" and loving its maps.',
                   "What book is Noor reading lately?") == "The Salt Road"


def test_the_kind_asked_for_is_named_before_the_thing() -> None:
    assert _phrase("Ilse: For the kitchen I'm after slate tiles, which is what most cottages "
                   "around here have.",
                   "What kind of tiles is Ilse looking for in her kitchen?") == "slate tiles"


def test_an_irregular_verb_meets_its_dictionary_form(store: MemoryStore) -> None:
    assert stem("made") == stem("make") and stem("bought") == stem("buy")
    assert stem("went") == stem("go") and stem("kids") == stem("kid")
    # a comparative is no form of its dictionary word's meaning
    assert stem("better") != stem("good")
    _turn(store, "Noor: At the pottery evening we made little clay owls, so messy!", 0)
    _turn(store, "Ilse: The pottery evening sounds messy but fun!", 5)
    assert _short(store, "What did Noor make at the pottery evening?") == "little clay owls"


def test_a_weekday_written_short_is_resolved_against_the_turns_date(store: MemoryStore) -> None:
    # the turn is from Saturday 11 May 2024: "last Fri" is the 10th, not the turn's own day
    _turn(store, "Noor: Last Fri we finally went to the glass museum, the kids loved it.", 0)
    assert _short(store, "When did Noor go to the glass museum?") == "10 May 2024"


def test_a_turn_tells_of_the_day_its_opening_names(store: MemoryStore) -> None:
    """"Last night was lovely! We celebrated …": the celebration was last night, the day
    before the turn, though the sentence saying so names no day itself."""
    _turn(store, "Ilse: Hi Noor! Last night was lovely! We celebrated my son's graduation "
                 "with a picnic by the canal.", 0)
    answer = ChatService(store, HybridRetriever(store), SilentModel,
                         save_as_memory=False).ask("When was Ilse's son's graduation picnic?")
    assert answer.short_answer == "10 May 2024"
    assert "the day this message tells of" in answer.answer


def test_what_a_thing_stands_for_is_read_to_the_end_of_its_list(store: MemoryStore) -> None:
    """"Stands for" says what a thing symbolizes, and the list the phrase opens is read to
    its end, though the clauses part it at its commas; a clause after "and" is no item."""
    _turn(store, "Noor: This ring is special to me, it stands for love, faith and strength.", 0)
    assert _short(store, "What does Noor's ring symbolize?") == "love, faith and strength"
    assert _phrase("Noor: It stands for love, and I wear it daily.",
                   "What does it stand for?") == "love"


def test_a_sentence_opening_with_a_pronoun_goes_on_about_the_one_before(
        store: MemoryStore) -> None:
    """"We went to the harbour festival. It was packed with food trucks.": the second
    sentence is about the festival, and is lent the first one's words to say so (as a
    turn is lent the question it replies to); a sentence opening otherwise is not."""
    from memory.answer.extractive import _spans
    from memory.answer.source import load_sources

    _turn(store, "Noor: We finally went to the harbour festival. It was packed with food "
                 "trucks. Parking was a nightmare.", 0)
    lent = {text: asked for _, text, _, asked in _spans(load_sources(store, store.list())[0])}
    assert "harbour festival" in lent["It was packed with food trucks."]
    assert "harbour festival" not in lent["Parking was a nightmare."]


def test_the_sentence_after_the_scene_fills_the_slot(store: MemoryStore) -> None:
    """The turn's first sentence names the question's words and sets the scene; the next
    one says what was made there."""
    _turn(store, "Odile: Last Sunday I took my nephews to a glass-blowing class. We all made "
                 "little green marbles, it was messy!", 0)
    _turn(store, "Bram: Sounds like a fun day with the boys.", 5)
    assert "marbles" in _short(store, "What did Odile and her nephews make during the "
                                      "glass-blowing class?")


def test_the_speakers_name_labels_nothing_and_the_addressee_did_nothing(
        store: MemoryStore) -> None:
    """"Ines: I'm a fan of … like Brahms, as well as jazz like Nina Okafor's …": the
    speaker's name before the colon is no label of the first name after it; "Hey Tomas!"
    only speaks to Tomas."""
    _turn(store, "Ines: I'm a fan of both classical like Brahms and Dvorak, as well as "
                 "jazz like Nina Okafor's \"Late Tide\".", 0)
    assert _short(store, "Who is Ines a fan of in terms of jazz?") == "Nina Okafor"
    _turn(store, "Ines: Hey Tomas! Last night was amazing! We celebrated my niece's "
                 "birthday at the harbour with a brass band.", 10)
    answer = ChatService(store, HybridRetriever(store), SilentModel,
                         save_as_memory=False).ask("Whose birthday did Ines celebrate recently?")
    assert "Tomas" not in answer.short_answer
