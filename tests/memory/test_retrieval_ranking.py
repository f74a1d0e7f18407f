"""Hybrid retrieval on a real store (SQLite FTS5 + embedded Chroma + ONNX embeddings), with
small synthetic conversations written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from memory.retrieval import HybridRetriever, RankingWeights, SearchFilters
from memory.store import MemoryStore, NewMemory

NOW = datetime(2024, 3, 20, 12, 0, tzinfo=UTC)  # a Wednesday


def episodic(summary: str, at: datetime, actor: str = "user", app: str | None = None) -> NewMemory:
    fields = {"summary": summary, "occurred_at": at.isoformat(), "actor": actor}
    if app:
        fields["app"] = app
    return NewMemory(type="episodic", fields=fields, tree_path=summary[:20])


@pytest.fixture
def seeded(store: MemoryStore) -> MemoryStore:
    start = datetime(2024, 3, 2, 18, 0, tzinfo=UTC)
    chat = [
        ("Priya", "Did you ever sort out the thing with the landlord?"),
        ("Tom", "Yes, finally. He agreed to fix the heating before April."),
        ("Priya", "Nice. Are you still going to the climbing gym on Thursdays?"),
        ("Tom", "Every week, it keeps me sane."),
    ]
    items = [episodic(f"{who}: {text}", start + timedelta(seconds=i), who)
             for i, (who, text) in enumerate(chat)]
    items += [
        episodic("Booked the Tokyo flight, gate 42, seat 17C", datetime(2024, 3, 19, 9, 0,
                 tzinfo=UTC), app="firefox"),
        episodic("Reviewed the marketing budget spreadsheet with Sarah",
                 datetime(2024, 2, 14, 10, 0, tzinfo=UTC), app="libreoffice"),
        episodic("Sarah said the travel budget is frozen until June",
                 datetime(2024, 3, 13, 15, 0, tzinfo=UTC), app="slack"),
        episodic("Packed the suitcase and passport for the Tokyo trip",
                 datetime(2024, 3, 18, 20, 0, tzinfo=UTC)),
        episodic("Bought sunscreen at the pharmacy", datetime(2024, 3, 10, 11, 0, tzinfo=UTC)),
    ]
    store.add_many(items)
    store.add("procedural", {"summary": "Set up the office VPN",
                             "steps": ["Open Settings", "Import wg0.conf", "Toggle it on"]})
    return store


def summaries(results) -> list[str]:
    return [r.memory.summary for r in results]


def test_best_match_comes_first(seeded: MemoryStore) -> None:
    results = HybridRetriever(seeded).search("what was the gate for my Tokyo flight?", now=NOW)
    assert "gate 42" in summaries(results)[0]
    assert results[0].keyword_match and results[0].similarity is not None


def test_meaning_finds_a_memory_without_shared_words(seeded: MemoryStore) -> None:
    results = HybridRetriever(seeded).search("how do I connect to work remotely", now=NOW)
    assert summaries(results)[0] == "Set up the office VPN"


def test_type_filter(seeded: MemoryStore) -> None:
    results = HybridRetriever(seeded).search("VPN budget Tokyo", SearchFilters.build(["procedural"]))
    assert {r.memory.type for r in results} == {"procedural"}


def test_app_filter(seeded: MemoryStore) -> None:
    results = HybridRetriever(seeded).search("budget", SearchFilters.build(app="Slack"), now=NOW)
    assert summaries(results) == ["Sarah said the travel budget is frozen until June"]


def test_since_until_filters_are_hard(seeded: MemoryStore) -> None:
    filters = SearchFilters.build(since="2024-03-01", until="2024-03-15")
    results = HybridRetriever(seeded).search("budget Sarah", filters, now=NOW)
    assert "Sarah said the travel budget is frozen until June" in summaries(results)
    assert all("2024-03-01" <= r.memory.event_at < "2024-03-15" for r in results)


def test_time_expression_in_the_query_boosts_that_time(seeded: MemoryStore) -> None:
    retriever = HybridRetriever(seeded)
    in_february = retriever.search("what did Sarah say about the budget in February", now=NOW)
    assert summaries(in_february)[0] == "Reviewed the marketing budget spreadsheet with Sarah"
    last_week = retriever.search("what did Sarah say about the budget last week", now=NOW)
    assert summaries(last_week)[0] == "Sarah said the travel budget is frozen until June"


def test_before_an_event_is_resolved_through_that_event(seeded: MemoryStore) -> None:
    results = HybridRetriever(seeded).search("what did I buy before my Tokyo trip", now=NOW)
    assert summaries(results)[0] == "Bought sunscreen at the pharmacy"


def test_neighbouring_turns_of_the_same_episode_come_along(seeded: MemoryStore) -> None:
    question = "Did Tom sort out the thing with the landlord?"
    answer = "Tom: Yes, finally. He agreed to fix the heating before April."
    plain = HybridRetriever(seeded, weights=RankingWeights(neighbour_weight=0.0))
    with_context = HybridRetriever(seeded)
    assert answer in summaries(with_context.search(question, limit=2, now=NOW))
    assert summaries(with_context.search(question, now=NOW)).index(answer) < summaries(
        plain.search(question, now=NOW)).index(answer)


def test_named_speaker_is_preferred(seeded: MemoryStore) -> None:
    results = HybridRetriever(seeded).search("What does Tom do every week?", now=NOW)
    assert summaries(results)[0] == "Tom: Every week, it keeps me sane."


def test_forgotten_memories_are_not_found(seeded: MemoryStore) -> None:
    retriever = HybridRetriever(seeded)
    first = retriever.search("sunscreen pharmacy", now=NOW)[0]
    seeded.forget(first.memory.id)
    assert first.memory.id not in [r.memory.id for r in retriever.search("sunscreen", now=NOW)]


def test_result_json_contract(seeded: MemoryStore) -> None:
    result = HybridRetriever(seeded).search("Tokyo gate", limit=1, now=NOW)[0]
    data = result.to_json()
    assert set(data) == {"id", "type", "score", "summary", "occurred_at", "provenance"}
    assert data["occurred_at"].startswith("2024-03-19")


def test_limit_and_query_only_a_time_phrase(seeded: MemoryStore) -> None:
    retriever = HybridRetriever(seeded)
    assert len(retriever.search("budget", limit=1, now=NOW)) == 1
    yesterday = retriever.search("yesterday", now=NOW)
    assert summaries(yesterday) == ["Booked the Tokyo flight, gate 42, seat 17C"]


def test_a_chinese_or_japanese_question_finds_the_run_that_starts_like_its_words(
        store: MemoryStore) -> None:
    at = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    store.add_many([episodic(text, at + timedelta(minutes=i)) for i, text in enumerate([
        "发布负责人是林晓", "仓库盘点改到周五", "会议室预订已取消",
        "予約番号は KT-20931 です", "お支払い方法はカードです"])])
    retriever = HybridRetriever(store)
    for question, said in (("发布负责人是谁?", "发布负责人是林晓"),
                           ("予約番号は何ですか", "予約番号は KT-20931 です")):
        top = retriever.search(question, limit=1, now=NOW)[0]
        assert top.memory.fields["summary"] == said
        # The words themselves match, not only the meaning.
        (keyword,) = retriever.bm25(question, SearchFilters(), 5)
        assert keyword == top.memory.id


def test_a_time_in_the_question_may_be_what_the_memory_is_about(store: MemoryStore) -> None:
    """Seen on other days than the ones the question names: a day's plans, a month's
    figures in a file name, a change that must be documented "before it is merged"."""
    seen = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
    store.add_many([episodic(text, seen + timedelta(minutes=i)) for i, text in enumerate([
        "Are we still on for Saturday? Yes, I booked a table for 8pm",
        "Lunch at the canteen was busy today",
        "wc -l sales_2024-02.csv printed 311 lines",
        "Sales meeting notes for the spring campaign",
        "Please document the new cache_ttl setting before the change is merged",
        "Documented the VPN setup for new starters",
    ])])
    retriever = HybridRetriever(store)
    saturday = retriever.search("What time is the table on Saturday?", now=NOW)
    assert summaries(saturday)[0].startswith("Are we still on for Saturday?")
    february = retriever.search("How many sales lines were there in February 2024?", now=NOW)
    assert summaries(february)[0].startswith("wc -l sales_2024-02.csv")
    merged = retriever.search("Which setting must be documented before the change is merged?",
                              now=NOW)
    assert "cache_ttl" in summaries(merged)[0]


def test_figures_of_a_named_day_or_month_are_searched_in_any_order() -> None:
    from memory.retrieval import date_phrases
    from memory.time_expressions import TimeRange

    day = TimeRange(datetime(2026, 7, 4, tzinfo=UTC), datetime(2026, 7, 5, tzinfo=UTC), "")
    assert date_phrases(day) == ["2026 07 04", "04 07 2026", "07 04 2026"]
    december = TimeRange(datetime(2025, 12, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC), "")
    assert date_phrases(december) == ["2025 12", "12 2025"]
    week = TimeRange(datetime(2026, 7, 6, tzinfo=UTC), datetime(2026, 7, 13, tzinfo=UTC), "")
    assert date_phrases(week) == [] and date_phrases(None) == []


def test_a_compound_word_no_memory_holds_is_searched_by_its_parts(store: MemoryStore) -> None:
    at = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    store.add_many([episodic(text, at + timedelta(minutes=i)) for i, text in enumerate([
        "Vertragsende: 30.06.2027, Kündigungsfrist 3 Monate",
        "Die Wohnung hat einen Balkon und einen Keller",
        "Newsletter abonniert am 2. März",
    ])])
    retriever = HybridRetriever(store)
    assert retriever.compound_parts("handyvertrag") == ["vertrag"]
    assert retriever.compound_parts("newsletter") == []  # held as it is
    assert retriever.compound_parts("kellerraum") == ["keller"]
    (top,) = retriever.bm25("Wann endet der Handyvertrag?", SearchFilters(), 1)
    assert "Vertragsende" in store.get(top).fields["summary"]
