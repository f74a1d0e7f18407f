"""Extraction commands: ``decay`` (the forgetting curve) and ``models`` (list, download,
use)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from app.cli import emit
from app.services import Services, bundled_llm_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("decay", help="apply the forgetting curve to memory strength")
    p.add_argument("--dry-run", action="store_true", help="only list what would fade")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_decay)

    p = sub.add_parser("models", help="list, download or choose the language model")
    models = p.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    q = models.add_parser("list", help="the active model and recommended downloads")
    q.add_argument("--json", action="store_true", help="print one JSON object")
    q.set_defaults(func=cmd_models_list, read_only=True)
    q = models.add_parser("download", help="download a recommended model and use it")
    q.add_argument("name", help="a name from `engram models list`")
    q.add_argument("--sha256", help="expected checksum (default: the catalogue's or server's)")
    q.add_argument("--no-activate", action="store_true", help="download only")
    q.add_argument("--json", action="store_true", help="print one JSON object")
    q.set_defaults(func=cmd_models_download)
    q = models.add_parser("use", help="use any GGUF file (or 'default' for the bundled one)")
    q.add_argument("path")
    q.add_argument("--json", action="store_true", help="print one JSON object")
    q.set_defaults(func=cmd_models_use)


def cmd_decay(args: argparse.Namespace, services: Services) -> int:
    from memory.extraction import strength

    changes = strength.plan(services.store, datetime.now(UTC))
    fading = [r for r in changes if r.fades]
    applied = 0 if args.dry_run else strength.apply(services.store, changes)
    data = {
        "dry_run": bool(args.dry_run), "changed": len(changes), "applied": applied,
        "threshold": strength.FADE_THRESHOLD,
        "fading": [{"id": r.memory_id, "type": r.type, "summary": r.summary,
                    "strength": round(r.current, 4), "retention": r.retention} for r in fading],
    }
    lines = [f"{r.memory_id}  {r.type:<10} {r.current:.2f} -> {r.retention:.2f}  {r.summary}"
             for r in fading]
    head = (f"{len(fading)} memories would fade" if args.dry_run
            else f"Updated {applied} strengths; {len(fading)} memories fade")
    emit(args, data, "\n".join([head + ":" if lines else head + ".", *lines]))
    return 0


def cmd_models_list(args: argparse.Namespace, services: Services) -> int:
    from memory.extraction import models

    active = services.llm_path()
    installed = [str(p) for p in models.installed(services.data_dir)]
    data = {
        "active": str(active) if active else None,
        "bundled": str(bundled_llm_path()) if bundled_llm_path() else None,
        "installed": installed,
        "recommended": [
            {**spec.to_json(), "installed": str(models.models_dir(services.data_dir)
                                                / spec.file_name) in installed}
            for spec in models.RECOMMENDED
        ],
    }
    lines = [f"Active: {data['active'] or 'none'}", "Recommended (engram models download NAME):"]
    lines += [f"  {s.name:<14} {s.title:<34} ~{s.size_mb} MB  {s.note}".rstrip()
              for s in models.RECOMMENDED]
    emit(args, data, "\n".join(lines))
    return 0


def cmd_models_download(args: argparse.Namespace, services: Services) -> int:
    from memory.extraction import models

    spec = models.find_spec(args.name)
    last = [-1]

    def progress(done: int, total: int | None) -> None:
        percent = int(done * 100 / total) if total else -1
        if percent != last[0] and not args.json:
            last[0] = percent
            shown = f"{percent}%" if total else f"{done / 1e6:.0f} MB"
            print(f"\rdownloading {spec.name}: {shown}", end="", file=sys.stderr, flush=True)

    path = models.download(spec, models.models_dir(services.data_dir), progress=progress,
                           expected_sha256=args.sha256)
    if not args.json:
        print(file=sys.stderr)
    if not args.no_activate:
        models.activate(services.settings, path)
    emit(args, {"name": spec.name, "path": str(path), "active": not args.no_activate},
         f"Downloaded {spec.title} to {path}" + ("" if args.no_activate else "; now in use."))
    return 0


def cmd_models_use(args: argparse.Namespace, services: Services) -> int:
    from memory.extraction import models

    if args.path == "default":
        services.settings.set("llm_model_path", "")
        path = bundled_llm_path()
    else:
        path = Path(args.path).expanduser().resolve()
        models.activate(services.settings, path)
    emit(args, {"active": str(path) if path else None}, f"Language model: {path}")
    return 0
