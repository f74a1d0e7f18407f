"""`remember_text`: typed text through extraction (rules + the bundled model)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.services import Services
from memory.errors import InvalidInput
from memory.extraction import core_memory
from memory.extraction.pipeline import remember_text

NOTE = ("I prefer window seats on long flights. Met Alice Moreau <alice.moreau@northwind.io> "
        "about the Atlas launch; the steps are:\n1. Freeze the branch\n2. Tag the release")


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    running = Services(tmp_path / "data")
    yield running
    running.close()


@pytest.mark.slow
def test_remember_extracts_note_preference_and_steps(services: Services) -> None:
    memories = remember_text(services.extraction_pipeline(), NOTE, "2026-05-01T10:00:00+00:00")
    assert memories[0].type == "episodic"
    assert memories[0].fields["details"] == NOTE
    assert memories[0].source == "manual"
    assert memories[0].fields["occurred_at"].startswith("2026-05-01T10:00:00")
    types = {m.type for m in memories}
    assert {"episodic", "semantic", "procedural"} <= types
    human = core_memory.block(services.store, "human")
    assert human is not None and "I prefer window seats on long flights" in human.fields["value"]
    counts = services.store.counts()
    again = remember_text(services.extraction_pipeline(), NOTE, "2026-05-01T10:00:00+00:00")
    assert services.store.counts() == counts
    assert {m.id for m in again} >= {m.id for m in memories if m.type != "core"}


def test_remember_refuses_empty_text(services: Services) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        remember_text(services.extraction_pipeline(), "   ", None)
