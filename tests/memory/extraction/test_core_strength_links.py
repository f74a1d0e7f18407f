"""Core memory blocks within their limit, the forgetting curve, and A-MEM-style links."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from memory.extraction import core_memory, links, strength
from memory.extraction.pipeline import ExtractionPipeline
from memory.schema import to_iso
from tests.memory.extraction.helpers import MAIL, segment


def test_core_blocks_stay_within_their_limit_and_condense(store) -> None:
    blocks = core_memory.ensure_blocks(store, limit=200)
    assert set(blocks) == {"human", "persona"}
    assert blocks["human"].pinned
    notes = [f"The user likes trail number {i} near the lake" for i in range(12)]
    for note in notes:
        core_memory.add_notes(store, "human", [note], reason="test")
    assert core_memory.add_notes(store, "human", [notes[-1]], reason="test") == 0  # known
    human = core_memory.block(store, "human")
    assert human is not None
    assert len(human.fields["value"]) <= 200
    assert notes[-1] in human.fields["value"]  # newest kept
    assert notes[0] not in human.fields["value"]  # oldest condensed away
    assert any("condensed" in (h.reason or "") for h in store.history(human.id))


def test_retention_decays_with_time_and_reinforcement_slows_it() -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    week_ago = now - timedelta(days=7)
    once = strength.retention(last_seen=week_ago, access_count=0, now=now)
    often = strength.retention(last_seen=week_ago, access_count=4, now=now)
    assert 0.3 < once < 0.4 and often > 0.8
    assert strength.retention(last_seen=now - timedelta(days=365), access_count=0, now=now,
                              pinned=True) == 1.0
    assert strength.retention(last_seen=now - timedelta(days=365), access_count=0, now=now,
                              memory_type="vault") == 1.0


def _age(store, memory_id: str, days: int) -> None:
    old = to_iso(datetime.now(UTC) - timedelta(days=days))
    store.writer.write(lambda db: db.execute(
        "UPDATE memories SET updated_at = ?, last_accessed_at = NULL WHERE id = ?",
        [old, memory_id]))


def test_decay_dry_run_lists_what_would_fade_without_writing(tmp_path: Path, embedder) -> None:
    from memory.store import MemoryStore

    data = tmp_path / "data"
    with MemoryStore(data, embedder=embedder) as store:
        old = store.add("episodic", {"summary": "Old errand"})
        pinned = store.add("episodic", {"summary": "Wedding day"}, pinned=True)
        fresh = store.add("episodic", {"summary": "Today"})
        _age(store, old.id, 60)
        _age(store, pinned.id, 60)
    command = [sys.executable, "-m", "app", "--data-dir", str(data), "decay", "--json"]
    dry = json.loads(subprocess.run([*command, "--dry-run"], capture_output=True, text=True,
                                    check=True).stdout)
    assert [f["id"] for f in dry["fading"]] == [old.id]
    assert dry["applied"] == 0
    with MemoryStore(data, embedder=embedder) as store:
        assert store.get(old.id).strength == 1.0
    applied = json.loads(subprocess.run(command, capture_output=True, text=True,
                                        check=True).stdout)
    assert applied["applied"] >= 1
    with MemoryStore(data, embedder=embedder) as store:
        assert store.get(old.id).strength < strength.FADE_THRESHOLD
        assert store.get(pinned.id).strength == 1.0
        assert store.get(fresh.id).strength > 0.99


def test_memories_sharing_an_entity_are_linked(store) -> None:
    note = store.add("episodic", {"summary": "Lunch with Alice Moreau at the canteen"})
    result = ExtractionPipeline(store).extract_segment(segment(MAIL))
    person = next(m for m in store.list("semantic") if m.fields["name"] == "Alice Moreau")
    person_links = {(link.kind, link.src_id, link.dst_id) for link in store.links(person.id)}
    assert ("same_activity", result.episode_id, person.id) in person_links
    assert ("shared_entity", person.id, note.id) in person_links
    assert "Alice Moreau" in links.entities_of("Met Alice Moreau on Tuesday")
