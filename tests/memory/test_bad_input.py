"""Bad input gets a clear error (or a sane result) and leaves the store unchanged."""

from __future__ import annotations

import contextlib
import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from memory.errors import InvalidInput
from memory.retrieval import HybridRetriever, SearchFilters
from memory.store import MemoryStore


def fingerprint(store: MemoryStore) -> str:
    dump = "\n".join(store.reader.conn.iterdump())
    return hashlib.sha256(dump.encode("utf-8", "surrogatepass")).hexdigest()


@pytest.fixture
def seeded(store: MemoryStore) -> MemoryStore:
    store.add("semantic", {"name": "Seed", "summary": "already stored"})
    return store


BAD_ADDS = [
    ("unknown type", "diary", {"summary": "x"}, "Unknown memory type 'diary'"),
    ("wrong field type", "semantic", {"name": "A", "summary": 42}, "must be text, not int"),
    ("unknown field", "semantic", {"name": "A", "summary": "b", "mood": "ok"}, "Unknown field"),
    ("missing required", "episodic", {"details": "no summary"}, "needs a non-empty 'summary'"),
    ("10 MB text", "resource", {"title": "big", "content": "a" * 10_000_000}, "the limit is"),
    ("invalid utf-8", "semantic", {"name": "A", "summary": b"caf\xe9".decode("utf-8", "surrogateescape")},
     "not valid UTF-8"),
    ("bad choice", "vault", {"caption": "c", "sensitivity": "extreme"}, "must be one of"),
    ("bad date", "episodic", {"summary": "s", "occurred_at": "last thursdayish"}, "ISO 8601"),
    ("steps not a list", "procedural", {"summary": "s", "steps": "do it"}, "list of text"),
    ("nul byte", "semantic", {"name": "A", "summary": "a\x00b"}, "NUL"),
    ("bool as limit", "core", {"label": "human", "limit": True}, "whole number"),
]


@pytest.mark.parametrize("case", BAD_ADDS, ids=[c[0] for c in BAD_ADDS])
def test_bad_add_is_refused_and_store_unchanged(seeded: MemoryStore, case) -> None:
    _name, memory_type, fields, message = case
    before = fingerprint(seeded)
    vectors_before = seeded.vectors.count()
    with pytest.raises(InvalidInput, match=message):
        seeded.add(memory_type, fields)
    assert fingerprint(seeded) == before
    assert seeded.vectors.count() == vectors_before


def test_bad_update_is_refused_and_store_unchanged(seeded: MemoryStore) -> None:
    memory = seeded.list("semantic")[0]
    before = fingerprint(seeded)
    for fields, common in (({"summary": 1}, {}), ({"colour": "red"}, {}), ({}, {"pinned": "yes"}),
                           ({}, {"confidence": 7}), ({}, {"id": "other"})):
        with pytest.raises(InvalidInput):
            seeded.update(memory.id, fields, **common)
    assert fingerprint(seeded) == before


def test_empty_query_lists_recent_memories(seeded: MemoryStore) -> None:
    results = HybridRetriever(seeded).search("   ")
    assert [r.memory.fields["name"] for r in results] == ["Seed"]


def test_punctuation_only_query_is_sane(seeded: MemoryStore) -> None:
    results = HybridRetriever(seeded).search('"*) OR NEAR(( -- ;')
    assert isinstance(results, list)  # no FTS syntax error reaches the user


def test_reversed_date_range_is_refused() -> None:
    with pytest.raises(InvalidInput, match="earlier"):
        SearchFilters.build(since="2024-05-02", until="2024-05-01")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=200))
def test_any_query_text_never_crashes(seeded: MemoryStore, query: str) -> None:
    with contextlib.suppress(InvalidInput):
        HybridRetriever(seeded).search(query, limit=5)


@pytest.mark.parametrize("when", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00"])
def test_dates_outside_the_storable_range_are_refused(seeded: MemoryStore, when: str) -> None:
    before = fingerprint(seeded)
    with pytest.raises(InvalidInput, match="outside the range"):
        seeded.add("episodic", {"summary": "edge of time", "occurred_at": when})
    assert fingerprint(seeded) == before
