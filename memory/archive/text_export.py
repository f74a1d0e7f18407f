"""Human-readable exports: one Markdown file, or one CSV file per memory type.

These are for reading and for spreadsheets, not for moving a store (that is the ``.engram``
archive). They hold live memories only, and never a vault secret: a vault entry shows its
caption, type, sensitivity and source.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from memory.errors import StoreUnavailable
from memory.schema import MEMORY_TYPES, Memory, field_names, now_iso

if TYPE_CHECKING:
    from memory.store import MemoryStore

PAGE = 500
TITLES = {
    "core": "Core memories", "episodic": "Episodes", "semantic": "Facts and knowledge",
    "procedural": "Procedures", "resource": "Resources", "vault": "Vault (captions only)",
}
CSV_COMMON = ("id", "created_at", "updated_at", "event_at", "source", "confidence", "strength",
              "pinned", "tree_path", "version", "provenance")


def _live(store: MemoryStore, memory_type: str) -> Iterator[Memory]:
    """Live memories of one type, oldest event first, a page at a time."""
    ids = [r[0] for r in store.reader.execute(
        "SELECT id FROM memories WHERE type = ? AND deleted = 0 ORDER BY event_at, seq",
        [memory_type],
    )]
    for start in range(0, len(ids), PAGE):
        yield from store.get_many(ids[start : start + PAGE])


def _private_file(path: Path) -> io.TextIOWrapper:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as exc:
        raise StoreUnavailable(f"Cannot write {path}: {exc.strerror}.") from exc
    os.fchmod(fd, 0o600)
    return open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115 - caller closes


def _public_fields(memory: Memory) -> dict[str, Any]:
    return {k: v for k, v in memory.fields.items() if k != "secret_value"}


def export_markdown(store: MemoryStore, path: str | Path) -> dict[str, int]:
    """Write every live memory to one Markdown file; returns counts per type."""
    counts = dict.fromkeys(MEMORY_TYPES, 0)
    target = Path(path)
    with _private_file(target) as out:
        out.write(f"# Engram memories\n\nExported {now_iso()}.\n")
        for memory_type in MEMORY_TYPES:
            out.write(f"\n## {TITLES[memory_type]}\n")
            for memory in _live(store, memory_type):
                counts[memory_type] += 1
                out.write(_markdown_entry(memory))
    return counts


def _markdown_entry(memory: Memory) -> str:
    lines = [f"\n### {_one_line(memory.summary) or memory.id}\n"]
    for name, value in _public_fields(memory).items():
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            lines.append(f"- **{name}**:")
            lines += [f"  {i}. {_one_line(step)}" for i, step in enumerate(value, 1)]
        elif isinstance(value, str) and "\n" in value:
            quoted = "\n".join(f"  > {line}" for line in value.splitlines())
            lines.append(f"- **{name}**:\n{quoted}")
        else:
            lines.append(f"- **{name}**: {_one_line(str(value))}")
    if memory.type == "vault":
        lines.append("- **secret**: not exported (see `engram vault reveal`)")
    lines.append(
        f"- *id {memory.id} · {memory.source} · when {memory.event_at} · "
        f"version {memory.version}*"
    )
    if any(memory.provenance.values()):
        lines.append(f"- *provenance: {json.dumps(memory.provenance)}*")
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def export_csv(store: MemoryStore, folder: str | Path) -> dict[str, int]:
    """Write ``<type>.csv`` for each type into ``folder``; returns counts per type."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    counts = dict.fromkeys(MEMORY_TYPES, 0)
    for memory_type in MEMORY_TYPES:
        names = [n for n in field_names(memory_type) if n != "secret_value"]
        headers = [f"{memory_type}.{n}" if n in CSV_COMMON else n for n in names]
        with _private_file(target / f"{memory_type}.csv") as out:
            writer = csv.writer(out)
            writer.writerow([*CSV_COMMON, *headers])
            for memory in _live(store, memory_type):
                counts[memory_type] += 1
                common = memory.to_dict()
                writer.writerow(
                    [json.dumps(common["provenance"]) if c == "provenance" else common[c]
                     for c in CSV_COMMON]
                    + [json.dumps(memory.fields[n], ensure_ascii=False)
                       if isinstance(memory.fields[n], list) else memory.fields[n]
                       for n in names]
                )
    return counts
