"""Schema versions: from an empty database and from the first released schema."""

from __future__ import annotations

import json

from sqlite_utils import Database

from memory import migrations
from memory.database import connect
from memory.retrieval import HybridRetriever
from memory.store import MemoryStore


def test_fresh_database_gets_every_migration(tmp_path) -> None:
    db = connect(tmp_path / "engram.db")
    migrations.apply(db)
    assert migrations.applied_names(db) == [m.name for m in migrations.migrations._migrations]
    assert {"memories", "memory_history", "memory_links", "frames", "vector_outbox"} <= set(
        db.table_names()
    )
    migrations.apply(db)  # idempotent
    assert len(migrations.applied_names(db)) == len(migrations.migrations._migrations)


def test_upgrade_from_first_schema_keeps_data(data_dir, embedder) -> None:
    db: Database = connect(data_dir / "engram.db")
    migrations.apply(db, stop_before="m002_frames_and_vector_queue")
    assert migrations.applied_names(db) == ["m001_memories"]
    assert "frames" not in db.table_names()
    # A memory written by the first released version, with plain SQL as it wrote it.
    db.execute(
        "INSERT INTO memories (id, type, created_at, updated_at, source, provenance, event_at) "
        "VALUES ('old1', 'semantic', '2024-01-01T00:00:00.000000+00:00', "
        "'2024-01-01T00:00:00.000000+00:00', 'manual', ?, '2024-01-01T00:00:00.000000+00:00')",
        [json.dumps({"frames": [], "messages": []})],
    )
    db.execute(
        "INSERT INTO semantic_memory (id, name, summary, details, source) "
        "VALUES ('old1', 'Lisbon', 'Alex lived in Lisbon', '', NULL)"
    )
    seq = db.execute("SELECT seq FROM memories WHERE id = 'old1'").fetchone()[0]
    db.execute("INSERT INTO memory_fts(rowid, text) VALUES (?, 'Lisbon Alex lived in Lisbon')",
               [seq])
    db.conn.close()

    with MemoryStore(data_dir, embedder=embedder) as store:
        assert "frames" in store.reader.table_names()
        assert store.get("old1").fields["summary"] == "Alex lived in Lisbon"
        # The open-time sync embedded the memory the old version never indexed.
        assert "old1" in store.vectors.ids()
        hits = HybridRetriever(store).search("where did Alex live")
        assert hits[0].memory.id == "old1"
        updated = store.update("old1", {"summary": "Alex lived in Lisbon, then Porto"})
        assert updated.version == 2
