"""Consolidation: each candidate is compared with the memories that already exist (exact
identity in SQL, then near duplicates by vector similarity and FTS) and becomes one of

- ADD: nothing like it exists;
- UPDATE: it is about an existing memory and says something new (a new version; the store
  keeps the old one in history, so a conflicting fact leaves the newer current);
- MERGE: it shows two existing memories are the same thing; they become one (the other is
  forgotten with a "merged into" reason, its links moved);
- NOOP: it repeats what is known; the memory is reinforced (access count, strength).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from memory.extraction.candidates import WHOLE_STATEMENTS, Candidate, normalise_key
from memory.extraction.grounding import normalise
from memory.extraction.segments import other_screen
from memory.retrieval import fts_query
from memory.schema import Memory, parse_iso, to_iso
from memory.store import MemoryStore, NewMemory

log = logging.getLogger(__name__)

#: Cosine similarity above which two memories of one type say the same thing.
SAME_SIMILARITY = 0.95
#: Index hits above this are compared on their identity text (name + summary) alone.
NEAR_SIMILARITY = 0.75
#: Episodes of one window closer than this in time are one episode.
EPISODE_JOIN = timedelta(minutes=3)
MAX_MERGED_CHARS = 4000
REINFORCE_BOOST = 0.1


@dataclass
class ConsolidationReport:
    ops: Counter[str] = field(default_factory=Counter)
    memory_ids: list[str] = field(default_factory=list)
    added_ids: list[str] = field(default_factory=list)
    vault_skipped_locked: int = 0

    def merge(self, other: ConsolidationReport) -> None:
        self.ops.update(other.ops)
        self.memory_ids += [i for i in other.memory_ids if i not in self.memory_ids]
        self.added_ids += other.added_ids
        self.vault_skipped_locked += other.vault_skipped_locked


class Consolidator:
    """Applies candidates to the store. Runs on the extraction worker's thread; every write
    goes through the store (and so through its one writer thread)."""

    def __init__(self, store: MemoryStore, *, same_similarity: float = SAME_SIMILARITY) -> None:
        self.store = store
        self.same_similarity = same_similarity

    def apply(
        self, candidates: Sequence[Candidate], *, source: str,
        provenance: dict[str, list[Any]], created_at: str | None = None,
    ) -> ConsolidationReport:
        report = ConsolidationReport()
        to_add: list[Candidate] = []
        seen: set[tuple[str, str]] = set()
        for candidate in candidates:
            if candidate.identity in seen:
                continue
            seen.add(candidate.identity)
            if candidate.type == "vault" and not self.store.vault.is_unlocked:
                if self.store.vault.can_seal:  # sealed now; repeats merge after unlock
                    to_add.append(candidate)
                    continue
                report.vault_skipped_locked += 1
                report.ops["SKIP_LOCKED"] += 1
                continue
            matches = self.find_matches(candidate)
            if not matches:
                to_add.append(candidate)
                continue
            keeper = matches[0]
            if len(matches) > 1:
                for other in matches[1:]:
                    self.merge(keeper, other)
                    report.ops["MERGE"] += 1
                keeper = self.store.get(keeper.id, reveal=self._reveal(keeper))
            op = self.update_or_reinforce(keeper, candidate, provenance)
            report.ops[op] += 1
            report.memory_ids.append(keeper.id)
        if to_add:
            ids = self.store.add_many([
                NewMemory(
                    type=c.type, fields=dict(c.fields), source=source, provenance=provenance,
                    confidence=c.confidence, tree_path=c.tree_path, created_at=created_at,
                    reason=f"extracted ({c.origin})",
                )
                for c in to_add
            ])
            report.ops["ADD"] += len(ids)
            report.added_ids += ids
            report.memory_ids += ids
        return report

    # -- finding what a candidate repeats -------------------------------------------------

    def find_matches(self, candidate: Candidate) -> list[Memory]:
        """Existing live memories the candidate is about: exact identity first, then near
        duplicates by vector and FTS."""
        ids = self._exact_ids(candidate)
        if candidate.type in ("semantic", "procedural", "resource"):
            ids += [i for i in self._similar_ids(candidate) if i not in ids]
        if not ids:
            return []
        found = self.store.get_many(ids[:3], reveal=candidate.type == "vault")
        if candidate.type == "episodic" and candidate.fields.get("app") is not None:
            # The same window minutes later showing something else is another activity
            # (a terminal titled "bash" moving from a git log to a build).
            lines = str(candidate.fields.get("details") or "").splitlines()
            found = [m for m in found if not other_screen(
                str(m.fields.get("details") or "").splitlines(), lines)]
        return found

    def _exact_ids(self, c: Candidate) -> list[str]:
        f = c.fields
        live = "id IN (SELECT id FROM memories WHERE deleted = 0)"
        if c.type == "vault":
            sql = (f"SELECT id FROM vault_memory WHERE {live} AND entry_type = ? "
                   "AND caption = ? COLLATE NOCASE")
            params: list[Any] = [f["entry_type"], f["caption"]]
        elif c.type == "semantic":
            sql = f"SELECT id FROM semantic_memory WHERE {live} AND name = ? COLLATE NOCASE"
            params = [f["name"]]
            if c.tree_path in WHOLE_STATEMENTS:
                # "Ana 10:07" names another message on another day.
                sql += " AND summary = ? COLLATE NOCASE"
                params += [f["summary"]]
            elif c.tree_path == "facts" and f.get("source"):
                # A label ("Total", "Milestone") names another fact on another page.
                sql += " AND (source IS NULL OR source = ? OR summary = ? COLLATE NOCASE)"
                params += [f["source"], f["summary"]]
        elif c.type == "resource":
            if f.get("uri"):
                sql = f"SELECT id FROM resource_memory WHERE {live} AND uri = ?"
                params = [f["uri"]]
            else:
                sql = (f"SELECT id FROM resource_memory WHERE {live} AND title = ? "
                       "COLLATE NOCASE AND uri IS NULL")
                params = [f["title"]]
        elif c.type == "procedural":
            sql = (f"SELECT id FROM procedural_memory WHERE {live} AND (summary = ? "
                   "COLLATE NOCASE OR json_extract(steps, '$[0]') = ?)")
            params = [f["summary"], (f.get("steps") or [""])[0]]
        elif c.type == "episodic":
            start, end = parse_iso(f["occurred_at"]), parse_iso(f.get("ended_at")
                                                               or f["occurred_at"])
            sql = (f"SELECT id FROM episodic_memory WHERE {live} AND app IS ? "
                   "AND window_title IS ? AND occurred_at <= ? AND "
                   "coalesce(ended_at, occurred_at) >= ? ORDER BY occurred_at")
            params = [f.get("app"), f.get("window_title"), to_iso(end + EPISODE_JOIN),
                      to_iso(start - EPISODE_JOIN)]
            if f.get("app") is None:  # typed notes: the same text at the same time
                sql = (f"SELECT id FROM episodic_memory WHERE {live} AND app IS NULL "
                       "AND details = ? AND occurred_at = ?")
                params = [f.get("details"), f["occurred_at"]]
        else:
            return []
        return [r[0] for r in self.store.reader.execute(sql, params).fetchall()]

    def _similar_ids(self, c: Candidate) -> list[str]:
        text = _identity_text(c)
        vector = self.store.embedder.embed_one(text)
        hits = self.store.vectors.query(vector, 3, {"type": c.type})
        near = self.store.get_many([i for i, sim in hits if sim >= NEAR_SIMILARITY])
        ids: list[str] = []
        if near:
            # The index holds each memory's whole text; compare like with like.
            texts = [_memory_identity_text(m) for m in near]
            for memory, text, other in zip(near, texts, self.store.embedder.embed(texts),
                                           strict=True):
                if float(vector @ other) >= self.same_similarity and _numbers(text) == _numbers(
                    _identity_text(c)
                ):
                    ids.append(memory.id)
        match = fts_query(c.key)
        if match:
            rows = self.store.reader.execute(
                "SELECT m.id FROM memory_fts JOIN memories m ON m.seq = memory_fts.rowid "
                "WHERE memory_fts MATCH ? AND m.deleted = 0 AND m.type = ? "
                "ORDER BY bm25(memory_fts) LIMIT 3",
                [match, c.type],
            ).fetchall()
            key_field = {"semantic": "name", "resource": "title", "procedural": "summary"}[c.type]
            for memory in self.store.get_many([r[0] for r in rows]):
                if normalise_key(str(memory.fields.get(key_field) or "")) == normalise_key(
                    str(c.fields.get(key_field) or "")
                ) and memory.id not in ids and _same_place(memory, c):
                    ids.append(memory.id)
        return ids

    # -- applying ------------------------------------------------------------------------

    def _reveal(self, memory: Memory) -> bool:
        return memory.type == "vault" and self.store.vault.is_unlocked

    def update_or_reinforce(
        self, existing: Memory, candidate: Candidate, provenance: dict[str, list[Any]]
    ) -> str:
        changes = merged_changes(existing, candidate)
        if not changes:
            self.store.touch([existing.id], boost=REINFORCE_BOOST)
            return "NOOP"
        frames = list(dict.fromkeys([*existing.provenance.get("frames", []),
                                     *provenance.get("frames", [])]))
        messages = list(dict.fromkeys([*existing.provenance.get("messages", []),
                                       *provenance.get("messages", [])]))
        self.store.update(
            existing.id, changes, reason=f"seen again with new details ({candidate.origin})",
            provenance={"frames": frames, "messages": messages},
        )
        self.store.touch([existing.id], boost=REINFORCE_BOOST)
        return "UPDATE"

    def merge(self, keeper: Memory, other: Memory) -> None:
        """Fold ``other`` into ``keeper``: fields and provenance combined, links moved,
        ``other`` forgotten with a reason pointing at ``keeper``."""
        as_candidate = Candidate(other.type, dict(other.fields), key=other.id, origin="merge")
        if other.type == "vault":
            as_candidate.fields.pop("secret_value", None)
        changes = merged_changes(keeper, as_candidate, prefer_existing=True)
        frames = list(dict.fromkeys([*keeper.provenance["frames"], *other.provenance["frames"]]))
        messages = list(dict.fromkeys([*keeper.provenance["messages"],
                                       *other.provenance["messages"]]))
        self.store.update(keeper.id, changes, reason=f"merged with {other.id}",
                          provenance={"frames": frames, "messages": messages})
        for link in self.store.links(other.id):
            peer = link.dst_id if link.src_id == other.id else link.src_id
            if peer != keeper.id:
                self.store.link(keeper.id, peer, link.kind, link.score)
        self.store.forget(other.id, reason=f"merged into {keeper.id}")
        self.store.link(keeper.id, other.id, "merged_from", 1.0)


def merged_changes(
    existing: Memory, candidate: Candidate, *, prefer_existing: bool = False
) -> dict[str, Any]:
    """Field changes that bring ``candidate``'s news into ``existing``; empty when it adds
    nothing. Text that grows is combined; a conflicting short value takes the newer one."""
    old, new = existing.fields, candidate.fields
    changes: dict[str, Any] = {}
    if existing.type == "episodic":
        start = min(old["occurred_at"], new.get("occurred_at") or old["occurred_at"])
        end = max(old.get("ended_at") or old["occurred_at"], new.get("ended_at") or start)
        if start != old["occurred_at"]:
            changes["occurred_at"] = start
        if end != old.get("ended_at"):
            changes["ended_at"] = end
        details = _combine(old.get("details") or "", new.get("details") or "")
        if details != (old.get("details") or ""):
            changes["details"] = details
        return changes
    for name, value in new.items():
        if value in (None, "", []) or name in ("source", "entry_type", "resource_type",
                                               "sensitivity"):
            continue
        current = old.get(name)
        if isinstance(value, list):
            combined = list(dict.fromkeys([*(current or []), *value]))
            if combined != list(current or []):
                changes[name] = combined
        elif name in ("details", "content"):
            combined_text = _combine(str(current or ""), str(value))
            if combined_text != (current or ""):
                changes[name] = combined_text
        elif current in (None, "") or (
            not prefer_existing and normalise(str(value)) not in normalise(str(current))
        ):
            changes[name] = value
    return changes


def _combine(old: str, new: str) -> str:
    """``old`` plus the lines of ``new`` it lacks, capped."""
    known = {normalise(line) for line in old.splitlines()}
    extra = [line for line in new.splitlines() if line.strip() and normalise(line) not in known]
    if not extra:
        return old
    combined = "\n".join([old, *extra]) if old else "\n".join(extra)
    return combined[:MAX_MERGED_CHARS] if len(combined) > MAX_MERGED_CHARS else combined


def _same_place(memory: Memory, c: Candidate) -> bool:
    """A fact named by a label ("Total", "Milestone") repeats only on the page it came
    from, or where it says the same; on another page with another value, the same label
    names another fact. A chat message matches only itself."""
    if c.type == "semantic" and c.tree_path in WHOLE_STATEMENTS:  # the same one, seen again
        return normalise(str(memory.fields.get("summary") or "")) == normalise(
            str(c.fields.get("summary")))
    if c.type != "semantic" or c.tree_path != "facts" or not c.fields.get("source"):
        return True
    return memory.fields.get("source") in (None, "", c.fields["source"]) or normalise(
        str(memory.fields.get("summary") or "")) == normalise(str(c.fields.get("summary")))


def _identity_text(c: Candidate) -> str:
    f = c.fields
    if c.type == "semantic":
        return f"{f['name']}\n{f['summary']}"
    if c.type == "resource":
        return f"{f['title']}\n{f.get('summary') or ''}"
    return f"{f.get('summary') or ''}\n" + "\n".join(f.get("steps") or [])


_NUMBER = re.compile(r"\d+(?:[.,:-]\d+)*")


def _numbers(text: str) -> set[str]:
    """Numbers in a text: two near-identical texts with different numbers (two orders, two
    meetings) are different things."""
    return set(_NUMBER.findall(text))


def _memory_identity_text(memory: Memory) -> str:
    return _identity_text(Candidate(memory.type, memory.fields, key=memory.id))
