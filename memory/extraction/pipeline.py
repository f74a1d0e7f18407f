"""One segment through extraction: rules, the language model (optional, grounded),
consolidation, core-memory notes and links. Also the entry point for text the user types
(``engram remember``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from memory.errors import InvalidInput
from memory.extraction import core_memory, links, rules
from memory.extraction.candidates import Candidate
from memory.extraction.consolidation import ConsolidationReport, Consolidator
from memory.extraction.grounding import GroundingStats, SourceUnits
from memory.extraction.llm_extract import JsonModel, ModelOutput, ask_model
from memory.extraction.segments import Segment, text_segment
from memory.extraction.vault_rules import redact
from memory.schema import Memory, now_iso, parse_iso, to_iso
from memory.store import MemoryStore

log = logging.getLogger(__name__)

#: Segments with less text than this are not worth a model call.
MIN_TEXT_FOR_MODEL = 120


@dataclass
class SegmentResult:
    memory_ids: list[str] = field(default_factory=list)
    episode_id: str | None = None
    report: ConsolidationReport = field(default_factory=ConsolidationReport)
    grounding: GroundingStats = field(default_factory=GroundingStats)
    model_used: bool = False
    model_failure: str | None = None
    core_notes: int = 0


class ExtractionPipeline:
    """Rules + model + grounding + consolidation for one store.

    ``model`` is optional: without it (or when the worker is behind and skips it) the rules
    alone produce memories; the model only ever adds grounded values."""

    def __init__(self, store: MemoryStore, model: JsonModel | None = None) -> None:
        self.store = store
        self.model = model
        self.consolidator = Consolidator(store)

    def extract_segment(self, segment: Segment, *, use_model: bool = True) -> SegmentResult:
        result = SegmentResult()
        found = rules.extract(segment)
        candidates: list[Candidate] = list(found.candidates)
        safe_text = "\n".join(redact(line, found.secrets) for line in segment.lines)
        notes: list[str] = []
        if segment.source != "screen":
            notes += [c.fields["summary"] for c in candidates
                      if c.type == "semantic" and (c.tree_path or "") == "preferences"]
        if use_model and self.model is not None and len(safe_text) >= MIN_TEXT_FOR_MODEL:
            context = redact(segment.context, found.secrets)
            output = ask_model(
                self.model, app=segment.app, title=segment.window_title, text=safe_text,
                context=context, source_label=segment.app or segment.source,
            )
            result.model_used = True
            result.model_failure = output.failure
            result.grounding.merge(output.stats)
            self._add_model_output(candidates, output, found.kind)
            notes += output.about_user
        candidates = _stated_together(candidates, [*found.layout.units, *safe_text.splitlines()],
                                      result.grounding)
        provenance: dict[str, list[Any]] = {"frames": [], "messages": []}
        if segment.source == "screen":
            provenance["frames"] = [f for f in segment.frame_ids if isinstance(f, int)]
        result.report = self.consolidator.apply(
            candidates, source=segment.source, provenance=provenance,
            created_at=segment.ended_at,
        )
        result.memory_ids = list(result.report.memory_ids)
        result.episode_id = next(
            (m.id for m in self.store.get_many(result.memory_ids) if m.type == "episodic"), None
        )
        if notes:
            result.core_notes = core_memory.add_notes(
                self.store, core_memory.HUMAN, notes, reason="learned from " + segment.source
            )
        links.link_activity(self.store, result.episode_id, result.memory_ids)
        links.link_related(self.store, result.report.added_ids)
        return result

    @staticmethod
    def _add_model_output(candidates: list[Candidate], output: ModelOutput, kind: str) -> None:
        episode = next((c for c in candidates if c.type == "episodic"), None)
        if episode is not None:
            if output.summary and output.summary.lower() not in episode.fields["details"].lower():
                episode.fields["details"] = f"{output.summary}\n{episode.fields['details']}"
            if output.category and kind == "other":
                episode.fields["event_type"] = output.category
        known = {c.identity for c in candidates}
        known_names = {str(c.fields.get("name", "")).lower() for c in candidates}
        for fact in output.facts:
            if fact.identity not in known and fact.fields["name"].lower() not in known_names:
                candidates.append(fact)


def _stated_together(candidates: list[Candidate], units: list[str],
                     stats: GroundingStats) -> list[Candidate]:
    """Keep a semantic fact only when its subject and value occur together in one span
    of the redacted source (a sentence, line, row, pair or message)."""
    source = SourceUnits(units)
    kept: list[Candidate] = []
    for candidate in candidates:
        if candidate.type != "semantic":
            kept.append(candidate)
            continue
        subject, value = (candidate.entities[:2] if len(candidate.entities) >= 2 else
                          (candidate.fields.get("name", ""), candidate.fields.get("summary", "")))
        stats.checked += 1
        if source.supports(str(subject), str(value)):
            stats.kept += 1
            kept.append(candidate)
        else:
            stats.drop("subject and value not stated together")
    return kept


def remember_text(pipeline: ExtractionPipeline, text: str,
                  occurred_at: str | None) -> list[Memory]:
    """Feed typed text (a note, a chat line) through extraction; return the memories it
    produced or reinforced, the episodic note first."""
    clean = (text or "").strip()
    if not clean:
        raise InvalidInput("Nothing to remember: the text is empty.")
    when = to_iso(parse_iso(occurred_at)) if occurred_at else now_iso()
    result = pipeline.extract_segment(text_segment(clean, when, source="manual"))
    memories = pipeline.store.get_many(result.memory_ids)
    return sorted(memories, key=lambda m: m.type != "episodic")
