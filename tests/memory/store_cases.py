"""Store behaviour every backend must pass: shared by the embedded-Chroma tests and the
Chroma-server tests (the same store code against ``chromadb.HttpClient``)."""

from __future__ import annotations

from typing import Any

from memory.retrieval import HybridRetriever, SearchFilters
from memory.store import MemoryStore

#: For each type: fields to create with, a change to apply, and a word only it contains.
CASES: dict[str, tuple[dict[str, Any], dict[str, Any], str]] = {
    "core": (
        {"label": "human", "value": "Alex prefers dark mode and lives in Lisbon."},
        {"value": "Alex prefers dark mode and moved to Porto."},
        "porto",
    ),
    "episodic": (
        {
            "summary": "Booked the Tokyo flight, gate 42",
            "details": "Confirmation ZX81 on the airline site",
            "occurred_at": "2024-05-01T10:00:00+00:00",
            "app": "firefox",
            "window_title": "Bookings",
            "url": "https://example.com/booking",
        },
        {"summary": "Booked the Tokyo flight, gate 43 after a gate change"},
        "gate",
    ),
    "semantic": (
        {"name": "Sarah Chen", "summary": "Sarah owns the marketing budget", "source": "mail"},
        {"summary": "Sarah owns the marketing and travel budgets"},
        "travel",
    ),
    "procedural": (
        {"summary": "Set up the office VPN", "steps": ["Open Settings", "Import wg0.conf"]},
        {"steps": ["Open Settings", "Import wg0.conf", "Toggle the tunnel on"]},
        "tunnel",
    ),
    "resource": (
        {"title": "Q3 budget sheet", "resource_type": "spreadsheet", "content": "rows",
         "uri": "file:///home/alex/q3.xlsx"},
        {"summary": "Quarterly numbers for marketing"},
        "quarterly",
    ),
    "vault": (
        {"caption": "Staging database password", "entry_type": "credential",
         "sensitivity": "high", "secret_value": "hunter2-staging"},
        {"caption": "Staging database password (rotated)", "secret_value": "hunter3-staging"},
        "rotated",
    ),
}


def exercise_lifecycle(store: MemoryStore, memory_type: str) -> None:
    """Create, read, update (history), link, soft delete, restore and purge one memory."""
    create, change, marker = CASES[memory_type]
    if memory_type == "vault" and not store.vault.is_unlocked:
        store.vault.unlock("correct horse battery staple")
    retriever = HybridRetriever(store)
    other = store.add("semantic", {"name": "Anchor", "summary": "a memory to link to"})

    memory = store.add(memory_type, create, source="manual", provenance={"frames": [7]})
    read = store.get(memory.id)
    assert read.type == memory_type and read.version == 1 and not read.deleted
    assert read.provenance == {"frames": [7], "messages": []}
    for name, value in create.items():
        if name == "secret_value":
            assert read.fields[name] == "[encrypted]"
            assert store.reveal_secret(memory.id) == value
        elif name == "occurred_at":
            assert read.fields[name].startswith("2024-05-01T10:00:00")
        else:
            assert read.fields[name] == value

    updated = store.update(memory.id, change, reason="test change")
    assert updated.version == 2
    history = store.history(memory.id)
    assert [h.op for h in history] == ["insert", "update"]
    assert history[1].reason == "test change"
    assert history[1].before is not None and history[1].after is not None
    for name, value in change.items():
        if name == "secret_value":
            assert store.reveal_secret(memory.id) == value
            assert history[1].before["fields"][name].startswith("enc:")
            assert value not in str(history[1].after)
        else:
            assert history[1].after["fields"][name] == value
            assert history[1].before["fields"][name] != value
    hits = [r.memory.id for r in retriever.search(marker, SearchFilters.build([memory_type]))]
    assert hits[:1] == [memory.id], f"updated text not searchable for {memory_type}"

    store.link(memory.id, other.id, "same_entity", 0.8)
    assert [(link.dst_id, link.kind) for link in store.links(memory.id)] == [
        (other.id, "same_entity")
    ]
    assert store.links(other.id)[0].src_id == memory.id

    live_before = store.counts()[memory_type]
    store.forget(memory.id)
    assert store.get(memory.id).deleted
    assert memory.id not in [r.memory.id for r in retriever.search(marker)]
    assert memory.id not in store.vectors.ids()
    assert store.counts()[memory_type] == live_before - 1
    store.restore(memory.id)
    assert memory.id in [r.memory.id for r in retriever.search(marker)]
    assert memory.id in store.vectors.ids()

    store.purge(memory.id)
    assert store.get_many([memory.id], include_deleted=True) == []
    assert store.history(memory.id) == []
    assert store.links(other.id) == []
    assert memory.id not in store.vectors.ids()
    fts_rows = store.reader.execute(
        "SELECT count(*) FROM memory_fts WHERE memory_fts MATCH ?", [f'"{marker}"']
    ).fetchone()[0]
    assert fts_rows == 0
    assert store.reader.execute("SELECT count(*) FROM vector_outbox").fetchone()[0] == 0
