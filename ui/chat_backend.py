"""The one seam between the chat view and the chat service.

:func:`answer` streams an answer's tokens to the op (``ctx.emit``) and returns the finished
:class:`ChatResult`. It uses :class:`memory.chat.ChatService` (built by :mod:`app.services`,
as for the CLI) when that module is installed; otherwise :func:`retrieval_answer`, which answers with
the best-matching memories themselves, no language model, and says so. :func:`warm_up`
loads the model before the first question; :func:`saved_history` reads the conversations
saved as memories back, and :func:`forget_conversation` forgets one (undoably).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field

from app.services import Services
from memory import chat_history
from memory.schema import Memory
from ui.ops import MemoryChanges, OpContext, WithChanges

FALLBACK_NOTE = ("(The chat model is not installed, so these are the memories that match "
                 "best.)")


@dataclass(frozen=True)
class ChatEvent:
    kind: str  # "token"
    text: str = ""


@dataclass(frozen=True)
class CitedLine:
    """The frame line a cited memory's quoted span came from."""

    frame_id: int
    line: int


@dataclass
class ChatResult:
    """``supporting`` holds every memory shown, in the order the answer's [n] count them;
    ``citations`` those a statement rests on, ``related`` the others."""

    answer: str
    citations: list[str]
    supporting: list[Memory]
    abstained: bool
    saved_memory_id: str | None = None
    related: list[str] = field(default_factory=list)
    lines: dict[str, CitedLine] = field(default_factory=dict)


@dataclass
class Turn:
    """One question and its answer as the chat view shows it."""

    question: str
    answer: str = ""
    citations: list[str] = field(default_factory=list)
    supporting: list[Memory] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    lines: dict[str, CitedLine] = field(default_factory=dict)  # cited memory id: its line
    stopped: bool = False
    error: str | None = None
    memory_id: str | None = None  # the episodic memory the turn was saved as


@dataclass
class Conversation:
    """A conversation in the chat view; ``id`` groups its saved turns in the store."""

    id: str = field(default_factory=chat_history.new_conversation_id)
    title: str = "New conversation"
    turns: list[Turn] = field(default_factory=list)

    @property
    def saved_ids(self) -> list[str]:
        return [t.memory_id for t in self.turns if t.memory_id]


def chat_service_available() -> bool:
    try:
        return importlib.util.find_spec("memory.chat") is not None
    except ModuleNotFoundError:
        return False


def answer(services: Services, question: str, conversation_id: str,
           ctx: OpContext) -> ChatResult:
    """Answer ``question``; tokens go to ``ctx.emit`` as they come; ``ctx`` cancels."""
    if not chat_service_available():
        return retrieval_answer(services, question, ctx)
    chat = services.chat_service()
    result = chat.ask(question, on_token=lambda piece: ctx.emit(ChatEvent("token", piece)),
                      stop=ctx.stop_event, conversation_id=conversation_id)
    lines = {span.memory_id: CitedLine(span.frame_id, span.line) for span in result.spans
             if span.frame_id is not None and span.line is not None}
    return ChatResult(result.answer, list(result.citations),
                      [r.memory for r in result.supporting], result.abstained,
                      result.saved_memory_id, list(result.related), lines)


def retrieval_answer(services: Services, question: str, ctx: OpContext,
                     limit: int = 5) -> ChatResult:
    """Answer with the top memories for the question: related, not cited, as no statement
    was made from them."""
    hits = services.retriever.search(question, limit=limit)
    memories = [hit.memory for hit in hits if hit.memory.type != "vault"]
    if not memories:
        text = "I found nothing in your memories about that."
        ctx.emit(ChatEvent("token", text))
        return ChatResult(text, [], [], True)
    pieces = [FALLBACK_NOTE + "\n"]
    for n, memory in enumerate(memories, 1):
        when = memory.fields.get("occurred_at") or memory.event_at
        pieces.append(f"[{n}] {memory.summary} ({when[:10]})\n")
    for piece in pieces:
        ctx.check_cancelled()
        ctx.emit(ChatEvent("token", piece))
    return ChatResult("".join(pieces), [], memories, False,
                      related=[m.id for m in memories])


def warm_up(services: Services, ctx: OpContext) -> bool:
    """Load the chat model and evaluate the prompt's fixed opening, so the first question
    is answered as fast as later ones. False when there is no chat service to warm."""
    if not chat_service_available():
        return False
    services.chat_service().warm_up()
    return True


def saved_history(services: Services) -> list[Conversation]:
    """The conversations saved as memories, newest first, with their cited memories."""
    saved = chat_history.saved_conversations(services.store)
    cited_ids = {m for c in saved for t in c.turns for m in t.citations}
    cited = {m.id: m for m in services.store.get_many(sorted(cited_ids))}
    conversations = []
    for conversation in saved:
        turns = [Turn(t.question, t.answer, list(t.citations),
                      [cited[m] for m in t.citations if m in cited], memory_id=t.memory_id)
                 for t in conversation.turns]
        conversations.append(Conversation(conversation.id, conversation.title, turns))
    return conversations


def forget_conversation(services: Services, conversation: Conversation
                        ) -> WithChanges[list[str]]:
    forgotten = chat_history.forget_conversation(services.store, conversation.saved_ids)
    return WithChanges(forgotten, MemoryChanges(types=frozenset({"episodic"}),
                                                ids=frozenset(forgotten)))


def restore_conversation(services: Services, memory_ids: list[str]) -> WithChanges[None]:
    chat_history.restore_conversation(services.store, memory_ids)
    return WithChanges(None, MemoryChanges(types=frozenset({"episodic"}),
                                           ids=frozenset(memory_ids)))
