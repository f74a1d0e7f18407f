"""What an extractor proposes: a memory still to be checked against the store."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_SPACES = re.compile(r"\s+")
#: Where memories that are said whole live (a chat message, a command's result): each
#: matches only itself when consolidated, never the next one under the same name.
MESSAGES = "messages"
RESULTS = "results"
WHOLE_STATEMENTS = (MESSAGES, RESULTS)


@dataclass
class Candidate:
    """A proposed memory. ``key`` names what it is about (a person, a URL, a secret's
    caption) so consolidation can find the memory it repeats; ``origin`` is "rule" or
    "llm"; an LLM value must have passed grounding before it becomes a candidate."""

    type: str
    fields: dict[str, Any]
    key: str
    origin: str = "rule"
    confidence: float = 0.9
    tree_path: str | None = None
    entities: list[str] = field(default_factory=list)

    @property
    def identity(self) -> tuple[str, str]:
        return self.type, normalise_key(self.key)


def normalise_key(text: str) -> str:
    return _SPACES.sub(" ", text).strip().lower()
