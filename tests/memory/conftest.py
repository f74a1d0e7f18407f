"""Fixtures of the archive tests: two small real archives and a target store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from memory.archive.export import export_archive
from memory.store import MemoryStore
from tests.memory.archive_seed import FAST_KDF, PASSPHRASE, add_frames


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory, embedder) -> dict[str, Path]:
    """A plain archive (no secrets) and an encrypted one (with a secret) of a small store."""
    root = tmp_path_factory.mktemp("archives")
    with MemoryStore(root / "source", embedder=embedder) as store:
        store.add("semantic", {"name": "Lisbon", "summary": "Capital of Portugal"})
        store.add("episodic", {"summary": "Booked a flight", "occurred_at": "2024-05-01"})
        add_frames(store, 2, marker="x")
        export_archive(store, root / "plain.engram")
        store.vault.unlock(PASSPHRASE)
        store.add("vault", {"caption": "k", "secret_value": "hostile-secret"})
        export_archive(store, root / "sealed.engram", passphrase=PASSPHRASE, log2_n=FAST_KDF)
    return {"plain": root / "plain.engram", "sealed": root / "sealed.engram"}


@pytest.fixture
def target(tmp_path: Path, embedder) -> Iterator[MemoryStore]:
    with MemoryStore(tmp_path / "target", embedder=embedder) as store:
        store.add("semantic", {"name": "Local", "summary": "Already here"})
        yield store
