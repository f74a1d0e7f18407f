"""`engram ask` end to end: real store, real retrieval, real bundled model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from memory.store import MemoryStore


@pytest.fixture
def data_with_memories(data_dir: Path, embedder) -> tuple[Path, str]:
    with MemoryStore(data_dir, embedder=embedder) as store:
        flight = store.add("episodic", {"summary": "Booked the Tokyo flight NH106 at gate 42",
                                        "occurred_at": "2024-03-19T09:00:00+00:00"})
        store.add("episodic", {"summary": "Watered the balcony plants"})
    return data_dir, flight.id


def test_ask_json_answers_with_citations(data_with_memories, capsys) -> None:
    data_dir, flight_id = data_with_memories
    code = main(["--data-dir", str(data_dir), "ask", "What gate was my Tokyo flight?", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["abstained"] is False and out["answer"]
    assert out["short_answer"] == "gate 42"  # a gate is a place: asked which, its name
    assert out["citations"] == [flight_id] and out["related"] == []
    assert out["supporting"][0]["id"] == flight_id
    assert "gate 42" in out["supporting"][0]["text"]


def test_ask_abstains_in_json(data_with_memories, capsys) -> None:
    data_dir, _ = data_with_memories
    assert main(["--data-dir", str(data_dir), "ask", "Who won the 1986 chess olympiad?",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {**out, "answer": "I don't have a memory of that.", "citations": [],
                   "abstained": True}


def test_ask_streams_text_and_shows_the_evidence(data_with_memories, capsys) -> None:
    data_dir, flight_id = data_with_memories
    assert main(["--data-dir", str(data_dir), "ask", "What gate was my Tokyo flight?"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("gate 42: ")
    assert "Cited:" in out and flight_id in out and "gate 42" in out
    assert "Related, not used:" not in out  # the plants memory was not even convincing


def test_missing_model_is_one_line_error(data_with_memories, tmp_path, capsys) -> None:
    data_dir, _ = data_with_memories
    (data_dir / "settings.json").write_text(
        json.dumps({"llm_model_path": str(tmp_path / "nope.gguf")}))
    # a description is phrased by the model (a typed value such as a gate needs none)
    assert main(["--data-dir", str(data_dir), "ask", "What did I do about the Tokyo flight?"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("engram: error:") and "nope.gguf" in err
