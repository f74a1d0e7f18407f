"""Memory commands: run, remember, search, status, show, forget, reindex."""

from __future__ import annotations

import argparse
import json
import sys

from app.cli import emit
from app.services import Services
from memory.retrieval import SearchFilters
from memory.schema import MEMORY_TYPES, parse_iso, to_iso


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="start the desktop app (tray, capture, workers)")
    p.add_argument("--minimized", action="store_true",
                   help="start in the tray without showing the window (used at login)")
    p.set_defaults(func=cmd_run, errors_in_window=True)

    p = sub.add_parser("remember", help="store a note or a chat line as a memory")
    p.add_argument("text", help="the text to remember ('-' reads standard input)")
    p.add_argument("--at", metavar="ISO", help="when it happened (default: now)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_remember)

    p = sub.add_parser("search", help="hybrid search (keywords + meaning)")
    p.add_argument("query")
    p.add_argument("--type", action="append", choices=MEMORY_TYPES, help="only this type")
    p.add_argument("--since", metavar="DATE", help="only memories at or after DATE (ISO)")
    p.add_argument("--until", metavar="DATE", help="only memories before DATE (ISO)")
    p.add_argument("--app", help="only episodic memories from this app")
    p.add_argument("--limit", type=int, default=10, metavar="N")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_search, read_only=True)

    p = sub.add_parser("status", help="memory counts, pipeline queue and disk use")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_status, read_only=True)

    p = sub.add_parser("show", help="one memory with its history and links")
    p.add_argument("id")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_show, read_only=True)

    p = sub.add_parser("forget", help="forget a memory (restorable), or --purge it for good")
    p.add_argument("id")
    p.add_argument("--purge", action="store_true",
                   help="remove it, its history, links and vector for good")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_forget)

    p = sub.add_parser("restore", help="bring back a forgotten memory")
    p.add_argument("id")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("reindex", help="rebuild every vector from the database")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_reindex)


def cmd_run(args: argparse.Namespace, services: Services) -> int:
    from memory.background import limit_heap_arenas
    from ui.app import run_desktop_app

    limit_heap_arenas()  # a long-running app with many worker threads: fewer malloc arenas
    return run_desktop_app(services, minimized=args.minimized)


def cmd_remember(args: argparse.Namespace, services: Services) -> int:
    """The text goes through extraction: an episodic note plus whatever facts, steps,
    resources or vault entries the rules (and the grounded model) find in it."""
    from memory.extraction.pipeline import remember_text

    text = sys.stdin.read() if args.text == "-" else args.text
    occurred_at = to_iso(parse_iso(args.at)) if args.at else None
    memories = remember_text(services.extraction_pipeline(), text, occurred_at)
    emit(
        args,
        {"memories": [{"id": m.id, "type": m.type, "summary": m.summary} for m in memories]},
        "\n".join(f"Remembered {m.id} ({m.type}): {m.summary}" for m in memories),
    )
    return 0


def cmd_search(args: argparse.Namespace, services: Services) -> int:
    filters = SearchFilters.build(args.type, args.since, args.until, args.app)
    results = services.retriever.search(args.query, filters, limit=args.limit)
    lines = [
        f"{r.memory.id}  {r.memory.type:<10} {r.memory.event_at[:16]}  {r.memory.summary}"
        for r in results
    ]
    emit(args, {"results": [r.to_json() for r in results]}, "\n".join(lines) or "No memories found.")
    return 0


def cmd_status(args: argparse.Namespace, services: Services) -> int:
    status = services.status()
    memories = ", ".join(f"{t} {n}" for t, n in status["memories"].items())
    frames = ", ".join(f"{s} {n}" for s, n in sorted(status["frames"].items())) or "none"
    text = (
        f"Data folder: {status['data_dir']}\n"
        f"Memories: {memories}\n"
        f"Frames: {frames}; queue {status['queue']}\n"
        f"Disk: {status['bytes_on_disk'] / 1e6:.1f} MB\n"
        f"Vectors: {status['models']['embedding']['vectors']} "
        f"({status['models']['embedding']['id']})\n"
        f"Language model: {status['models']['llm']['path'] or 'not installed'}"
    )
    emit(args, status, text)
    return 0


def cmd_show(args: argparse.Namespace, services: Services) -> int:
    store = services.store
    memory = store.get(args.id)
    history = store.history(args.id)
    links = store.links(args.id)
    data = memory.to_dict()
    data["history"] = [
        {"op": h.op, "at": h.at, "reason": h.reason, "before": h.before, "after": h.after}
        for h in history
    ]
    data["links"] = [link.__dict__ for link in links]
    lines = [f"{memory.id} ({memory.type}, version {memory.version}"
             + (", forgotten" if memory.deleted else "") + ")"]
    lines += [f"  {name}: {value}" for name, value in memory.fields.items() if value not in (None, "")]
    lines.append(f"  when: {memory.event_at}  source: {memory.source}")
    if any(memory.provenance.values()):
        lines.append(f"  provenance: {json.dumps(memory.provenance)}")
    lines += [f"  history: {h.at[:19]} {h.op} ({h.reason})" for h in history]
    lines += [f"  link: {link.kind} {link.src_id} -> {link.dst_id} ({link.score:.2f})"
              for link in links]
    emit(args, data, "\n".join(lines))
    return 0


def cmd_forget(args: argparse.Namespace, services: Services) -> int:
    store = services.store
    if args.purge:
        store.purge(args.id)
        emit(args, {"id": args.id, "purged": True}, f"Purged {args.id} for good.")
    else:
        store.forget(args.id)
        emit(args, {"id": args.id, "forgotten": True},
             f"Forgot {args.id}; `engram restore {args.id}` brings it back.")
    return 0


def cmd_restore(args: argparse.Namespace, services: Services) -> int:
    memory = services.store.restore(args.id)
    emit(args, {"id": memory.id, "restored": True}, f"Restored {memory.id}: {memory.summary}")
    return 0


def cmd_reindex(args: argparse.Namespace, services: Services) -> int:
    def progress(done: int, total: int) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\rre-embedding {done}/{total}", end="", file=sys.stderr, flush=True)

    count = services.store.reindex(progress)
    if not args.json and sys.stderr.isatty():
        print(file=sys.stderr)
    emit(args, {"reindexed": count}, f"Rebuilt {count} vectors.")
    return 0
