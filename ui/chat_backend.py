"""The one seam between the chat view and the chat service.

:func:`answer` streams an answer's tokens to the op (``ctx.emit``) and returns the finished
:class:`ChatResult`. It uses :class:`memory.chat.ChatService` (built the way the CLI builds
it) when that module is installed; otherwise :func:`retrieval_answer`, which answers with
the best-matching memories themselves, no language model, and says so.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.services import Services
from memory.schema import Memory
from ui.ops import OpContext

FALLBACK_NOTE = ("(The chat model is not installed, so these are the memories that match "
                 "best.)")


@dataclass(frozen=True)
class ChatEvent:
    kind: str  # "token"
    text: str = ""


@dataclass
class ChatResult:
    answer: str
    citations: list[str]
    supporting: list[Memory]
    abstained: bool
    saved_memory_id: str | None = None


@dataclass
class Turn:
    """One question and its answer as the chat view shows it."""

    question: str
    answer: str = ""
    citations: list[str] = field(default_factory=list)
    supporting: list[Memory] = field(default_factory=list)
    stopped: bool = False
    error: str | None = None


def chat_service_available() -> bool:
    try:
        return importlib.util.find_spec("memory.chat") is not None
    except ModuleNotFoundError:
        return False


def answer(services: Services, question: str, history: Sequence[Turn],
           ctx: OpContext) -> ChatResult:
    """Answer ``question``; tokens go to ``ctx.emit`` as they come; ``ctx`` cancels."""
    if not chat_service_available():
        return retrieval_answer(services, question, ctx)
    from app.commands.chat_cmds import build_chat_service

    chat = build_chat_service(services)
    result = chat.ask(question, on_token=lambda piece: ctx.emit(ChatEvent("token", piece)),
                      stop=ctx.stop_event)
    return ChatResult(result.answer, list(result.citations),
                      [r.memory for r in result.supporting], result.abstained,
                      result.saved_memory_id)


def retrieval_answer(services: Services, question: str, ctx: OpContext,
                     limit: int = 5) -> ChatResult:
    """Answer with the top memories for the question, each cited."""
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
    return ChatResult("".join(pieces), [m.id for m in memories], memories, False)
