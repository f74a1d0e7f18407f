"""What rules cannot do, asked of the on-device language model: a summary, facts about
people/places/projects/preferences, a category for the activity, and notes about the user
for core memory. Output is JSON-schema constrained with a hard token budget and timeout,
and every value goes through :mod:`memory.extraction.grounding` before it becomes a
candidate. The model only adds: when it fails or says nothing supported, rules stand alone.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from memory.extraction.candidates import Candidate
from memory.extraction.grounding import GroundingStats, SourceText, ground_list, ground_value
from memory.extraction.rules import APP_KINDS
from memory.llm import LLMOutputError, LLMTimeout

log = logging.getLogger(__name__)

CATEGORIES = tuple(kind for kind, _ in APP_KINDS) + ("shopping", "reading", "other")
FACT_KINDS = ("person", "place", "project", "preference", "other")
#: Characters of segment text put in the prompt (SmolLM2 reads ~4 characters per token).
PROMPT_CHARS = 1200
MAX_TOKENS = 160
TIMEOUT_S = 25.0

#: Short string limits keep llama.cpp's grammar small (a 160-character limit made one
#: answer take ~50 s on 2 cores; 40-100 takes ~2 s) and stop a tiny model from rambling.
SEGMENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "summary": {"type": "string", "maxLength": 100},
        "category": {"type": "string", "enum": list(CATEGORIES)},
        "facts": {
            "type": "array",
            "maxItems": 2,
            "items": {
                "type": "object",
                "properties": {
                    "subject": {"type": "string", "maxLength": 40},
                    "kind": {"type": "string", "enum": list(FACT_KINDS)},
                    "fact": {"type": "string", "maxLength": 100},
                },
                "required": ["subject", "kind", "fact"],
            },
        },
        "about_user": {"type": "array", "maxItems": 1,
                       "items": {"type": "string", "maxLength": 80}},
    },
    "required": ["summary", "category", "facts", "about_user"],
}

SYSTEM_PROMPT = (
    "Extract memories from the screen text as JSON. Copy names, numbers and dates exactly "
    "from the text. Do not invent anything."
)


class JsonModel(Protocol):
    """The part of :class:`memory.llm.LocalLLM` extraction uses."""

    def complete_json(
        self, messages: Sequence[dict[str, str]], schema: dict[str, Any], max_tokens: int,
        timeout_s: float,
    ) -> dict[str, Any]: ...


@dataclass
class ModelOutput:
    """Grounded additions from the model for one segment."""

    summary: str | None = None
    category: str | None = None
    facts: list[Candidate] = field(default_factory=list)
    about_user: list[str] = field(default_factory=list)
    stats: GroundingStats = field(default_factory=GroundingStats)
    failure: str | None = None


def build_messages(app: str | None, title: str | None, text: str) -> list[dict[str, str]]:
    header = "\n".join(f"{k}: {v}" for k, v in (("App", app), ("Window", title)) if v)
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": f"{header}\nText:\n{text[:PROMPT_CHARS]}"},
    ]


def ask_model(
    model: JsonModel, *, app: str | None, title: str | None, text: str, context: str,
    source_label: str | None, max_tokens: int = MAX_TOKENS, timeout_s: float = TIMEOUT_S,
) -> ModelOutput:
    """Ask the model about one segment; keep only what ``context`` supports.

    ``text`` is what the prompt shows (secrets already redacted); ``context`` is what a
    value may be grounded in."""
    try:
        raw = model.complete_json(build_messages(app, title, text), SEGMENT_SCHEMA,
                                  max_tokens, timeout_s)
    except (LLMOutputError, LLMTimeout) as exc:
        log.info("language model output discarded: %s", exc)
        out = ModelOutput(failure=type(exc).__name__)
        out.stats.checked += 1
        out.stats.drop("invalid output" if isinstance(exc, LLMOutputError) else "timeout")
        return out
    return ground_output(raw, context, source_label)


def ground_output(raw: Any, context: str, source_label: str | None) -> ModelOutput:
    """Turn a (possibly garbage) model answer into grounded additions."""
    out = ModelOutput()
    stats = out.stats
    if not isinstance(raw, dict):
        stats.checked += 1
        stats.drop("not an object")
        out.failure = "not an object"
        return out
    source = SourceText(context)
    out.summary = _statement(ground_value(raw.get("summary"), source, stats, max_chars=200),
                             context, stats)
    category = raw.get("category")
    if isinstance(category, str) and category in CATEGORIES:
        out.category = category
    elif category is not None:
        stats.checked += 1
        stats.drop("unknown category")
    facts = raw.get("facts")
    if not isinstance(facts, list):
        facts = [] if facts is None else [facts]
    for item in facts[:4]:
        if not isinstance(item, dict):
            stats.checked += 1
            stats.drop("wrong type")
            continue
        subject = ground_value(item.get("subject"), source, stats, max_chars=60,
                               min_overlap=1.0)
        fact = ground_value(item.get("fact"), source, stats, max_chars=200)
        kind = item.get("kind") if item.get("kind") in FACT_KINDS else "other"
        if subject is None or fact is None or len(subject) < 3:
            continue
        if subject.lower() == fact.lower() or len(fact.split()) < 3 or fact.istitle():
            stats.kept -= 1
            stats.drop("fact says nothing about its subject")
            continue
        out.facts.append(Candidate(
            "semantic",
            {"name": subject, "summary": fact, "details": "", "source": source_label},
            key=f"{kind}:{subject}", origin="llm", confidence=0.5,
            tree_path={"person": "people", "place": "places", "project": "projects",
                       "preference": "preferences"}.get(str(kind), "topics"),
        ))
    about = ground_list(raw.get("about_user", []), source, stats, max_items=2, max_chars=160)
    out.about_user = [
        note for note in about
        if _statement(note, context, stats) and _ABOUT_USER.search(note)
    ]
    return out


_ABOUT_USER = re.compile(r"\b(?:i|my|me|user|prefer\w*|like[sd]?|love[sd]?|live[sd]?|work[sd]?)\b",
                         re.IGNORECASE)


def _statement(value: str | None, context: str, stats: GroundingStats) -> str | None:
    """A value that says something: several words, not one line of the source repeated
    (a tiny model often echoes the window title)."""
    if value is None:
        return None
    words = value.split()
    lines = {line.strip().lower() for line in context.splitlines()}
    if len(words) < 4 or value.strip().lower() in lines:
        stats.kept -= 1
        stats.drop("not a statement")
        return None
    return value
