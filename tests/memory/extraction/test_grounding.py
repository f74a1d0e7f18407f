"""The grounding check, and recorded bad model outputs that must store nothing bad.

The recorded outputs stand in for the model only to replay known-bad answers (invalid or
truncated JSON, wrong types, invented names, 10 KB strings) that the real tiny model
produces unpredictably; parsing goes through memory.llm's real JSON parser. The real
model is exercised in test_llm_real.py.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from capture.frame_store import FrameStore
from memory.extraction import rules
from memory.extraction.grounding import SourceText, SourceUnits, unsupported_reason
from memory.extraction.llm_extract import ground_output
from memory.extraction.pipeline import ExtractionPipeline
from memory.extraction.worker import ExtractionWorker
from memory.llm import LLMOutputError, _parse_object
from tests.memory.extraction.helpers import MAIL, all_text, queue_frames, segment

SOURCE = SourceText(MAIL)


@pytest.mark.parametrize(
    ("value", "supported"),
    [
        ("Alice Moreau asked to move the Atlas review to Thursday", True),
        ("Alice Moreau works at Northwind", True),
        ("Bob Smith asked to move the Atlas review", False),  # invented name
        ("The review moved to Friday at 14:00", False),  # invented day
        ("The review is at 15:00", False),  # invented number
        ('She said "see you in Paris"', False),  # invented quote
        ("x" * 10_000, False),
        (42, False),
        (["Alice"], False),
        ("", False),
        ("sabotage sabotage sabotage sabotage sabotage sabotage sabotage sabotage", False),
        ("Alice \x00 Moreau", False),
    ],
)
def test_unsupported_values_are_recognised(value: Any, supported: bool) -> None:
    assert (unsupported_reason(value, SOURCE) is None) is supported


BAD_OUTPUTS = [
    '{"summary": "Alice Moreau wants to move the Atlas rev',  # truncated
    "not json at all",
    "[1, 2, 3]",
    '{"summary": 17, "category": "mail", "facts": "Alice", "about_user": {"a": 1}}',
    json.dumps({"summary": "Bob Smith approved the Zephyr budget of $9,000,000",
                "category": "mail",
                "facts": [{"subject": "Bob Smith", "kind": "person", "fact": "Bob Smith is CEO"},
                          {"subject": "Alice Moreau", "kind": "person",
                           "fact": "Alice Moreau lives in Berlin"}],
                "about_user": ["The user owns a yacht named Seabreeze"]}),
    json.dumps({"summary": "A" * 10_000, "category": "space-travel",
                "facts": [{"subject": "Z" * 10_000, "kind": "person", "fact": "Q" * 10_000}] * 50,
                "about_user": ["W" * 10_000]}),
]
INVENTED = ["Bob Smith", "Zephyr", "9,000,000", "Berlin", "Seabreeze", "yacht", "A" * 500,
            "Z" * 500, "Q" * 500, "W" * 500, "space-travel"]


class RecordedModel:
    """Replays recorded raw model texts through memory.llm's real JSON parser."""

    def __init__(self, outputs: list[str]) -> None:
        self.outputs = list(outputs)
        self.calls = 0

    def complete_json(self, messages: Any, schema: dict[str, Any], max_tokens: int,
                      timeout_s: float) -> dict[str, Any]:
        self.calls += 1
        return _parse_object(self.outputs.pop(0), schema)


def test_ground_output_drops_everything_invented() -> None:
    raw = json.loads(BAD_OUTPUTS[4])
    out = ground_output(raw, MAIL, "Thunderbird")
    assert out.summary is None and out.about_user == []
    assert [f.fields["name"] for f in out.facts] == []
    assert out.stats.dropped >= 5 and out.stats.kept <= 1


def test_ground_output_survives_wrong_types() -> None:
    out = ground_output({"summary": 17, "category": 3, "facts": "Alice",
                         "about_user": {"a": 1}}, MAIL, None)
    assert (out.summary, out.category, out.facts, out.about_user) == (None, None, [], [])
    assert ground_output("garbage", MAIL, None).failure == "not an object"


def test_truncated_json_is_an_output_error() -> None:
    with pytest.raises(LLMOutputError):
        _parse_object(BAD_OUTPUTS[0], {"required": ["summary"]})


def test_bad_model_outputs_store_nothing_bad(store) -> None:
    model = RecordedModel(BAD_OUTPUTS)
    pipeline = ExtractionPipeline(store, model)
    worker = ExtractionWorker(FrameStore(store), pipeline)
    for i in range(len(BAD_OUTPUTS)):
        queue_frames(store, segment(MAIL, title=f"Mail {i} - Thunderbird",
                                    start=f"2026-05-12T{9 + i:02d}:00:00+00:00"))
    report = worker.drain()
    assert model.calls == len(BAD_OUTPUTS)
    assert report.frames_extracted == len(BAD_OUTPUTS) and report.frames_failed == 0
    assert report.grounding_dropped >= 10
    text = all_text(store)
    for invented in INVENTED:
        assert invented not in text
    assert max(len(line) for line in text.splitlines()) < 5000
    counts = store.counts()
    assert counts["episodic"] == len(BAD_OUTPUTS)
    # Only what the rules state (people, the mail's facts), once each: nothing from the model.
    rule_facts = {c.identity for c in rules.extract(segment(MAIL)).candidates
                  if c.type == "semantic"}
    assert counts["semantic"] == len(rule_facts)
    statuses = {r[0] for r in store.reader.execute("SELECT status FROM frames")}
    assert statuses == {"extracted"}


def test_supported_model_values_are_kept() -> None:
    raw = {"summary": "Alice Moreau asked to move the Atlas review to Thursday",
           "category": "mail",
           "facts": [{"subject": "Alice Moreau", "kind": "person",
                      "fact": "Alice Moreau is Product Lead at Northwind"},
                     {"subject": "Sam Carter", "kind": "person", "fact": "Alice Moreau"}],
           "about_user": []}
    out = ground_output(raw, MAIL, "Thunderbird")
    assert out.summary == raw["summary"] and out.category == "mail"
    assert [(f.fields["name"], f.fields["summary"]) for f in out.facts] == [
        ("Alice Moreau", "Alice Moreau is Product Lead at Northwind")]
    assert out.facts[0].tree_path == "people" and out.facts[0].origin == "llm"


def test_a_relation_made_of_source_words_is_rejected() -> None:
    from tests.memory.extraction.test_structure import frame, layout

    units = SourceUnits([*layout("mail").units, *frame("mail").lines])
    assert units.supports("quarterly planning offsite", "Friday 20 March at 10:30")
    assert units.supports("Lunch", "Brasserie Nord for 12 people")
    # Every word is on the screen, but never together: a wrong relation.
    assert not units.supports("Lunch", "Friday 20 March at 10:30")
    assert not units.supports("Brasserie Nord", "Lighthouse room")
    assert not units.supports("Ingrid Halvorsen", "Head of Operations")  # separate lines


def test_the_pipeline_drops_a_model_fact_that_pairs_source_words_wrongly(store) -> None:
    """The recorded answer stands in for a model that mixes up two sentences of the mail;
    each of its words is on the screen, so only the co-occurrence check can catch it."""
    from memory.extraction.segments import Segment
    from tests.memory.extraction.test_structure import frame

    wrong = json.dumps({
        "summary": "Ingrid Halvorsen moved the quarterly planning offsite",
        "category": "mail",
        "facts": [{"subject": "Brasserie Nord", "kind": "place",
                   "fact": "Brasserie Nord is in the Lighthouse room on floor 4"},
                  {"subject": "Lunch", "kind": "other",
                   "fact": "Lunch is booked at Brasserie Nord for 12 people"}],
        "about_user": []})
    pipeline = ExtractionPipeline(store, RecordedModel([wrong]))
    result = pipeline.extract_segment(Segment(frames=[frame("mail")]))
    assert result.model_used
    assert result.grounding.reasons["subject and value not stated together"] >= 1
    names = [m.fields.get("name") for m in store.get_many(result.memory_ids)
             if m.type == "semantic"]
    assert "Brasserie Nord" not in names
    assert "Lunch" in names
