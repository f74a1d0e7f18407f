"""Saved conversations: each chat turn the user had is an episodic memory (source "chat")
whose provenance names its conversation (``{"messages": ["chat:<id>"]}``). This module reads
them back as conversations, newest first, and forgets or restores a whole conversation.

Turns saved before conversations had ids each stand alone as a conversation of one turn.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from memory.schema import Memory
from memory.store import MemoryStore

MESSAGE_PREFIX = "chat:"
#: The conversation list shows this many; older ones stay searchable as memories.
RECENT_CONVERSATIONS = 50
#: At most this many saved turns are read to build them.
RECENT_TURNS = 2000
TITLE_CHARS = 48


def new_conversation_id() -> str:
    return uuid.uuid4().hex


def conversation_title(question: str) -> str:
    """A conversation's name in the list: its first question, shortened."""
    return question[:TITLE_CHARS] + ("…" if len(question) > TITLE_CHARS else "")


def conversation_provenance(conversation_id: str) -> dict[str, list[str]]:
    """The provenance a saved turn carries so it can be found with its conversation."""
    return {"messages": [MESSAGE_PREFIX + conversation_id]}


@dataclass(frozen=True)
class SavedTurn:
    memory_id: str
    question: str
    answer: str
    citations: list[str]


@dataclass
class SavedConversation:
    id: str
    turns: list[SavedTurn] = field(default_factory=list)

    @property
    def title(self) -> str:
        return conversation_title(self.turns[0].question if self.turns else "")

    @property
    def memory_ids(self) -> list[str]:
        return [turn.memory_id for turn in self.turns]


def conversation_of(memory: Memory) -> str:
    """The conversation a saved turn belongs to (its own id when it names none)."""
    for message in memory.provenance.get("messages", []):
        if isinstance(message, str) and message.startswith(MESSAGE_PREFIX):
            return message[len(MESSAGE_PREFIX):]
    return memory.id


def split_turn(memory: Memory) -> tuple[str, str]:
    """(question, answer) of a saved turn. The details read "Q: …\\nA: …"; the question is
    one line (questions are whitespace-normalised before asking)."""
    details = str(memory.fields.get("details") or "")
    if details.startswith("Q: ") and "\nA: " in details:
        question, _, answer = details[3:].partition("\nA: ")
        return question, answer
    summary = str(memory.fields.get("summary") or "")
    return summary.removeprefix("Asked Engram: "), details


def saved_conversations(
    store: MemoryStore, limit: int = RECENT_CONVERSATIONS
) -> list[SavedConversation]:
    """The most recent saved conversations, newest first, each with its turns in order."""
    rows = store.reader.execute(
        "SELECT id FROM memories WHERE source = 'chat' AND type = 'episodic' AND deleted = 0 "
        "ORDER BY event_at DESC, seq DESC LIMIT ?",
        [RECENT_TURNS],
    ).fetchall()
    memories = store.get_many([r[0] for r in rows])
    cites = _citations(store, [m.id for m in memories])
    conversations: dict[str, SavedConversation] = {}
    for memory in memories:  # newest first
        key = conversation_of(memory)
        if key not in conversations:
            if len(conversations) == limit:
                continue
            conversations[key] = SavedConversation(key)
        question, answer = split_turn(memory)
        conversations[key].turns.append(
            SavedTurn(memory.id, question, answer, cites.get(memory.id, [])))
    for conversation in conversations.values():
        conversation.turns.reverse()
    return list(conversations.values())


def _citations(store: MemoryStore, ids: Sequence[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for src, dst in store.reader.execute(
            f"SELECT src_id, dst_id FROM memory_links WHERE kind = 'cites' AND src_id IN ({marks}) "
            "ORDER BY rowid",
            chunk,
        ):
            out.setdefault(src, []).append(dst)
    return out


def forget_conversation(store: MemoryStore, memory_ids: Sequence[str]) -> list[str]:
    """Forget (soft-delete) a conversation's saved turns; returns the ids
    :func:`restore_conversation` takes to undo it."""
    for memory_id in memory_ids:
        store.forget(memory_id, reason="conversation forgotten by user")
    return list(memory_ids)


def restore_conversation(store: MemoryStore, memory_ids: Sequence[str]) -> None:
    for memory_id in memory_ids:
        store.restore(memory_id, reason="conversation restored by user")
