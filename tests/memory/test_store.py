"""The six-type store on real SQLite and a real embedded Chroma."""

from __future__ import annotations

import sqlite3

import pytest

from memory.errors import InvalidInput, NotFound, VaultLocked
from memory.schema import MEMORY_TYPES
from memory.store import MemoryStore, NewMemory
from tests.memory.store_cases import CASES, exercise_lifecycle


@pytest.mark.parametrize("memory_type", MEMORY_TYPES)
def test_lifecycle_of_each_type(store: MemoryStore, memory_type: str) -> None:
    exercise_lifecycle(store, memory_type)


def test_vault_secret_is_never_searchable_nor_in_clear(store: MemoryStore) -> None:
    store.vault.unlock("pw")
    secret = "sk-live-UNIQUE-7f3a9c"
    memory = store.add("vault", {"caption": "Stripe key", "entry_type": "api_key",
                                 "secret_value": secret})
    assert store.reader.execute(
        "SELECT count(*) FROM memory_fts WHERE memory_fts MATCH ?", ['"7f3a9c"']
    ).fetchone()[0] == 0
    raw = store.reader.execute(
        "SELECT secret_value FROM vault_memory WHERE id = ?", [memory.id]
    ).fetchone()[0]
    assert secret.encode() not in bytes(raw)
    store.vault.lock()
    assert store.get(memory.id).fields["secret_value"] == "[encrypted]"
    with pytest.raises(VaultLocked):
        store.reveal_secret(memory.id)
    # Added while locked: sealed to the vault's public key, listed, opened only after unlock.
    sealed = store.add("vault", {"caption": "x", "secret_value": "y-sealed-value"})
    assert store.get(sealed.id).fields["secret_value"] == "[sealed]"
    with pytest.raises(VaultLocked):
        store.reveal_secret(sealed.id)
    store.vault.unlock("pw")
    assert store.reveal_secret(sealed.id) == "y-sealed-value"


def test_a_vault_never_set_up_cannot_take_a_secret(store: MemoryStore) -> None:
    with pytest.raises(VaultLocked, match="never been unlocked"):
        store.add("vault", {"caption": "x", "secret_value": "y"})


def test_secret_sealed_to_its_row(store: MemoryStore) -> None:
    """A ciphertext copied onto another entry does not open there."""
    store.vault.unlock("pw")
    a = store.add("vault", {"caption": "a", "secret_value": "alpha"})
    b = store.add("vault", {"caption": "b", "secret_value": "beta"})

    def swap(db):
        blob = db.execute("SELECT secret_value FROM vault_memory WHERE id = ?", [a.id]).fetchone()
        db.execute("UPDATE vault_memory SET secret_value = ? WHERE id = ?", [blob[0], b.id])

    store.writer.write(swap)
    with pytest.raises(VaultLocked):
        store.reveal_secret(b.id)


def test_core_labels_are_unique_and_limited(store: MemoryStore) -> None:
    store.add("core", {"label": "persona", "value": "helpful", "limit": 20})
    with pytest.raises(InvalidInput, match="already exists"):
        store.add("core", {"label": "persona", "value": "again"})
    memory = store.list("core")[0]
    with pytest.raises(InvalidInput, match="limit is 20"):
        store.update(memory.id, {"value": "x" * 21})
    assert store.get(memory.id).fields["value"] == "helpful"


def test_batch_insert_is_atomic(store: MemoryStore) -> None:
    """One bad item in a batch stores nothing of the batch."""
    good = NewMemory("semantic", {"name": "A", "summary": "fine"})
    bad = NewMemory("semantic", {"name": "B"})  # summary missing
    with pytest.raises(InvalidInput, match="summary"):
        store.add_many([good, bad])
    assert store.counts()["semantic"] == 0
    dup_id = store.add("semantic", {"name": "C", "summary": "first"}).id
    with pytest.raises(InvalidInput, match="already exists"):
        store.add_many([good, NewMemory("semantic", {"name": "D", "summary": "x"}, id=dup_id)])
    assert store.counts()["semantic"] == 1


def test_not_found_errors_are_clear(store: MemoryStore) -> None:
    for action in (store.get, store.forget, store.purge, lambda i: store.update(i, {})):
        with pytest.raises(NotFound, match="No memory with id 'missing'"):
            action("missing")


def test_list_orders_by_event_time_and_filters(store: MemoryStore) -> None:
    for day in ("2024-01-03", "2024-01-01", "2024-01-02"):
        store.add("episodic", {"summary": f"day {day}", "occurred_at": f"{day}T12:00:00+00:00"})
    listed = store.list("episodic")
    assert [m.fields["summary"] for m in listed] == ["day 2024-01-03", "day 2024-01-02",
                                                     "day 2024-01-01"]
    window = store.list("episodic", since="2024-01-02T00:00:00+00:00",
                        until="2024-01-03T00:00:00+00:00")
    assert [m.fields["summary"] for m in window] == ["day 2024-01-02"]


def test_touch_counts_access_and_strengthens(store: MemoryStore) -> None:
    memory = store.add("semantic", {"name": "A", "summary": "b"})
    store.writer.write(lambda db: db.execute("UPDATE memories SET strength = 0.5"))
    store.touch([memory.id, memory.id])
    touched = store.get(memory.id)
    assert touched.access_count == 1 and touched.last_accessed_at is not None
    assert touched.strength == pytest.approx(0.6)


def test_data_is_private_to_the_user(store: MemoryStore) -> None:
    assert store.data_dir.stat().st_mode & 0o777 == 0o700
    assert store.db_path.stat().st_mode & 0o777 == 0o600


def test_wal_mode(store: MemoryStore) -> None:
    assert store.reader.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_every_case_type_is_covered() -> None:
    assert set(CASES) == set(MEMORY_TYPES)


def test_reopen_keeps_everything(data_dir, embedder) -> None:
    with MemoryStore(data_dir, embedder=embedder) as first:
        memory = first.add("semantic", {"name": "Kept", "summary": "survives a restart"})
    with MemoryStore(data_dir, embedder=embedder) as second:
        assert second.get(memory.id).fields["summary"] == "survives a restart"
        assert memory.id in second.vectors.ids()
    sqlite3.connect(data_dir / "engram.db").close()


def test_long_bodies_are_searchable_but_not_embedded(store: MemoryStore) -> None:
    """Details and document content are found word for word (FTS5) but stay out of the
    vector, which is made from the key fields only."""
    from memory.retrieval import HybridRetriever
    from memory.schema import embedding_text

    fields = {"title": "Onboarding guide", "content": "the zanzibar provisioning checklist"}
    memory = store.add("resource", fields)
    key = embedding_text("resource", store.get(memory.id).fields)
    assert "Onboarding guide" in key and "zanzibar" not in key
    (vector_id, similarity), = store.vectors.query(store.embedder.embed_one(key), 1)
    assert vector_id == memory.id and similarity > 0.99
    assert HybridRetriever(store).search("zanzibar")[0].memory.id == memory.id
