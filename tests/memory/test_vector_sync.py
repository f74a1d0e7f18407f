"""SQLite is the source of truth: Chroma is repaired from it on open and by reindex."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from memory.errors import EmbeddingMismatch
from memory.store import MemoryStore
from memory.vectors import VectorIndex

CRASH_SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from memory.store import MemoryStore
    store = MemoryStore(Path(sys.argv[1]))
    store.add("semantic", {"name": "Before", "summary": "stored before the crash"})
    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)
    store.vectors.upsert = die  # the process dies after SQLite committed, before Chroma
    store.add("semantic", {"name": "Orphan", "summary": "committed but never embedded"})
    """
)


def test_kill_between_sqlite_commit_and_chroma_write_is_repaired(data_dir, embedder) -> None:
    proc = subprocess.run([sys.executable, "-c", CRASH_SCRIPT, str(data_dir)],
                          capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    with MemoryStore(data_dir, embedder=embedder, sync_on_open=False) as store:
        assert store.counts()["semantic"] == 2
        assert store.vectors.count() == 1
        assert store.reader.execute("SELECT count(*) FROM vector_outbox").fetchone()[0] == 1
    with MemoryStore(data_dir, embedder=embedder) as store:  # sync on open repairs it
        assert store.vectors.count() == 2
        assert store.reader.execute("SELECT count(*) FROM vector_outbox").fetchone()[0] == 0
        (top_id, _similarity), = store.vectors.query(
            store.embedder.embed_one("committed but never embedded"), 1
        )
        assert store.get(top_id).fields["name"] == "Orphan"


def test_drift_found_by_count_is_repaired(store: MemoryStore) -> None:
    kept = store.add("semantic", {"name": "Kept", "summary": "k"})
    store.vectors.delete([kept.id])  # lost vector
    stray = "stray-id"
    import numpy as np

    store.vectors.upsert([stray], np.ones((1, 384), dtype=np.float32) / np.sqrt(384),
                         [{"type": "semantic"}])
    store.vectors.upsert(["stray-2"], np.ones((1, 384), dtype=np.float32) / np.sqrt(384),
                         [{"type": "semantic"}])
    report = store.sync_vectors()
    assert report.upserted == 1 and report.deleted == 2
    assert store.vectors.ids() == {kept.id}


def test_reindex_rebuilds_every_vector(store: MemoryStore) -> None:
    ids = [store.add("semantic", {"name": f"n{i}", "summary": f"s{i}"}).id for i in range(5)]
    store.forget(ids[0])
    store.vectors.rebuild_empty()
    assert store.vectors.count() == 0
    seen: list[tuple[int, int]] = []
    assert store.reindex(lambda done, total: seen.append((done, total))) == 4
    assert store.vectors.ids() == set(ids[1:])
    assert seen[-1] == (4, 4)


def test_model_mismatch_is_refused_with_a_clear_error(store: MemoryStore) -> None:
    from chromadb import PersistentClient

    from memory.vectors import chroma_settings

    client = PersistentClient(path=str(store.data_dir / "vectors"), settings=chroma_settings())
    with pytest.raises(EmbeddingMismatch, match="engram reindex"):
        VectorIndex(client, store.vectors.collection_name, "another-model", 768)
    rebuilt = VectorIndex(client, store.vectors.collection_name, "another-model", 768,
                          rebuild_on_mismatch=True)
    assert rebuilt.count() == 0


def test_chroma_telemetry_is_off(store: MemoryStore) -> None:
    assert store.vectors._client.get_settings().anonymized_telemetry is False
    assert os.environ.get("ANONYMIZED_TELEMETRY") in (None, "False", "false")


def test_the_same_vector_search_finds_the_same_memories_in_any_order_of_ties(
        tmp_path) -> None:
    """Memories with the same vector (two turns both saying "Thanks!") tie: which of them
    a search keeps, and in what order, is decided by id, not by the index graph's order."""
    import random

    import numpy as np
    from chromadb import PersistentClient

    from memory.vectors import SEARCH_EF, chroma_settings

    client = PersistentClient(path=str(tmp_path / "vectors"), settings=chroma_settings())
    # a collection made before the search was widened: opening it widens it
    client.get_or_create_collection(
        name="memories", configuration={"hnsw": {"space": "cosine"}},
        metadata={"embedding_model": "m", "dimension": 8}, embedding_function=None)
    index = VectorIndex(client, "memories", "m", 8)
    assert index._collection.configuration["hnsw"]["ef_search"] == SEARCH_EF
    rng = random.Random(7)
    ids = [f"m{n:03d}" for n in range(60)]
    rng.shuffle(ids)
    same = np.ones(8, dtype=np.float32) / np.sqrt(8)
    vectors = np.stack([same if int(i[1:]) % 5 == 0 else rng.random() * np.eye(8)[
        int(i[1:]) % 8].astype(np.float32) + 0.1 for i in ids]).astype(np.float32)
    index.upsert(ids, vectors, [{"type": "episodic"}] * len(ids))
    found = index.query(same, 5)
    assert [memory_id for memory_id, _ in found] == ["m000", "m005", "m010", "m015", "m020"]
