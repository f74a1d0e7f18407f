"""Chat commands: ``engram ask QUESTION [--json]``."""

from __future__ import annotations

import argparse
import sys

from app.cli import emit
from app.services import Services
from memory.chat import ChatAnswer, memory_text


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ask", help="answer a question from your memories (local model)")
    p.add_argument("question", help="the question ('-' reads standard input)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_ask)


def cmd_ask(args: argparse.Namespace, services: Services) -> int:
    question = sys.stdin.read() if args.question == "-" else args.question
    chat = services.chat_service()
    streaming = not args.json
    answer = chat.ask(
        question,
        on_token=(lambda piece: print(piece, end="", flush=True)) if streaming else None,
    )
    if streaming:
        print()
        print(_evidence_text(answer))
    else:
        emit(args, answer.to_json(), "")
    return 0


def _evidence_text(answer: ChatAnswer) -> str:
    """The memories behind the answer: the cited ones (that a statement rests on) apart
    from the related ones (found, but not used)."""
    lines: list[str] = []
    for title, ids in (("Cited:", answer.citations), ("Related, not used:", answer.related)):
        shown = [(n, r) for n, r in enumerate(answer.supporting, 1) if r.memory.id in ids]
        if not shown:
            continue
        lines += ["", title]
        for n, result in shown:
            when = result.memory.fields.get("occurred_at") or result.memory.event_at
            lines.append(f"  [{n}] {result.memory.id} {when[:16]}  "
                         f"{' '.join(memory_text(result.memory).split())[:200]}")
    return "\n".join(lines)
