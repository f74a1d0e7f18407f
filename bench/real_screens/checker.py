"""The independent checker: reads the memories a build left in the data folder (SQLite,
read-only) and scores them against each scene's gold and each scene's own screen text.
Imports nothing from ``memory/`` or ``capture/``: its text reading (``screen_text``) and
normalisation (``normalise``) are its own.

Definitions:
- a memory belongs to the scenes whose frames are in its provenance;
- a memory's *stated chunks*: semantic ``name + summary`` and each line of its details
  (prefixed with the name); episodic ``summary``; procedural ``summary + step`` per step;
  resource ``title + summary`` and ``title + line`` per line of its content; core
  ``label + value``; vault ``caption``;
- fact recall: a gold fact is recalled when a memory of an acceptable type belonging to its
  scene has a stated chunk holding the fact's subject and value;
- claims (precision): in semantic, episodic and resource ``title + summary`` chunks and in
  procedural steps, each value-like token (date, time, amount, number, identifier, email,
  URL, path, capitalised name) with its subject (semantic name, resource title, procedure
  summary; for an episodic summary, the words of the token's own clause). A claim is right
  when the value and the subject occur together in one block of the scene's screen text;
- key-fact summaries: a scene counts when a memory belonging to it states a key fact in its
  summary (semantic name + summary, episodic summary, procedural summary, resource title +
  summary);
- episodes: a scene (one activity in one window) counts when an episodic memory belongs to it;
- real procedures: a procedural memory is real when at least half of its steps (and one)
  are steps or commands on its scenes' screens (list items, code blocks, typed commands).
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.real_screens.corpus import Fact, Scene
from bench.real_screens.normalise import (
    contains_subject,
    contains_value,
    content_tokens,
    fold,
    tokens,
    value_tokens,
)
from bench.real_screens.screen_text import ScreenText, screen_text

ACCEPTED_TYPES = {
    "semantic": ("semantic", "episodic", "resource", "core"),
    "episodic": ("episodic", "semantic"),
    "procedural": ("procedural",),
    "resource": ("resource", "semantic"),
    "vault": ("vault",),
}
LONG_LINE = 300
#: Where an episodic summary's clauses end: ": ", "; ", ", ", " | ", dashes between spaces.
CLAUSE = re.compile(r"[:;,]\s|\s[|\u2013\u2014-]\s|\s\u2014|\u2014\s")


@dataclass
class StoredMemory:
    id: str
    type: str
    fields: dict[str, Any]
    frames: list[int]
    scenes: set[str] = field(default_factory=set)

    def text(self, name: str) -> str:
        value = self.fields.get(name)
        if value is None:
            return ""
        if isinstance(value, list):
            return "\n".join(str(v) for v in value)
        return str(value)

    def steps(self) -> list[str]:
        raw = self.fields.get("steps")
        if isinstance(raw, list):
            return [str(s) for s in raw]
        return []

    def summary_chunk(self) -> str:
        t = self.type
        if t == "semantic":
            return f"{self.text('name')} {self.text('summary')}"
        if t == "resource":
            return f"{self.text('title')} {self.text('summary')}"
        if t == "core":
            return f"{self.text('label')} {self.text('value')}"
        if t == "vault":
            return self.text("caption")
        return self.text("summary")

    def chunks(self) -> list[str]:
        """The memory's stated text in the pieces a fact must fall in whole."""
        out = [self.summary_chunk()]
        if self.type == "semantic":
            out += [f"{self.text('name')} {line}" for line in _pieces(self.text("details"))]
        elif self.type == "procedural":
            out += [f"{self.text('summary')} {step}" for step in self.steps()]
        elif self.type == "resource":
            out += [f"{self.text('title')} {line}" for line in _pieces(self.text("content"))]
        return [c for c in out if c.strip()]

    def all_text(self) -> str:
        parts = [self.text(k) for k in self.fields if k not in ("secret_value",)]
        return "\n".join(p for p in parts if p)


def _pieces(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = line.strip()
        if len(line) <= LONG_LINE:
            out.append(line)
        else:
            out += [s.strip() for s in re.split(r"(?<=[.!?。])\s+", line) if s.strip()]
    return [x for x in out if x]


def read_memories(data_dir: Path) -> list[StoredMemory]:
    """Every live memory with its own fields (read-only connection)."""
    uri = f"file:{Path(data_dir) / 'engram.db'}?mode=ro"
    db = sqlite3.connect(uri, uri=True)
    db.row_factory = sqlite3.Row
    try:
        rows = db.execute("SELECT id, type, provenance FROM memories WHERE deleted = 0").fetchall()
        out = []
        for row in rows:
            table = f"{row['type']}_memory"
            own = db.execute(f"SELECT * FROM {table} WHERE id = ?", [row["id"]]).fetchone()
            fields = {k: own[k] for k in own.keys() if k != "id"}  # noqa: SIM118 - sqlite3.Row if own else {}
            if isinstance(fields.get("steps"), str):
                try:
                    fields["steps"] = json.loads(fields["steps"])
                except json.JSONDecodeError:
                    fields["steps"] = [fields["steps"]]
            fields.pop("secret_value", None)
            provenance = json.loads(row["provenance"] or "{}")
            frames = [int(f) for f in provenance.get("frames", []) if str(f).isdigit()]
            out.append(StoredMemory(row["id"], row["type"], fields, frames))
        return out
    finally:
        db.close()


def _db_path_ok(data_dir: Path) -> None:
    if not (Path(data_dir) / "engram.db").is_file():
        raise FileNotFoundError(f"{data_dir} has no engram.db")


def claims(memory: StoredMemory) -> list[tuple[str | None, str]]:
    """(subject, value) pairs the memory states; subject None: the value's clause words
    (see the module docstring) are checked instead."""
    out: list[tuple[str | None, str]] = []
    if memory.type == "semantic":
        subject = memory.text("name")
        for piece in [memory.text("summary"), *_pieces(memory.text("details"))]:
            out += [(subject, v) for v in value_tokens(_without(piece, subject))]
    elif memory.type == "resource":
        subject = memory.text("title")
        out += [(subject, v) for v in value_tokens(memory.text("summary"))]
    elif memory.type == "episodic":
        for clause in CLAUSE.split(memory.text("summary")):
            for v in value_tokens(clause):
                out.append((_without(clause, v), v))
    elif memory.type == "procedural":
        for step in memory.steps():
            for v in value_tokens(step):
                out.append((_without(step, v), v))
    return list(dict.fromkeys(out))


def _without(text: str, part: str) -> str:
    return text.replace(part, " ") if part else text


def claim_holds(subject: str | None, value: str, screen: ScreenText, *,
                explicit: bool) -> bool:
    for block in screen.blocks:
        if not contains_value(block, value):
            continue
        if explicit:
            if subject and contains_subject(block, subject):
                return True
            continue
        words = content_tokens(subject or "")
        if not words:
            return True
        have = set(tokens(block))
        if sum(w in have for w in words) >= 0.5 * len(words):
            return True
    return False


def fact_stated(fact: Fact, chunks: list[str]) -> bool:
    return any(contains_subject(c, fact.subject) and contains_value(c, fact.value)
               for c in chunks)


def is_real_procedure(memory: StoredMemory, screens: list[ScreenText]) -> bool:
    steps = [s for s in memory.steps() if s.strip()]
    if not steps:
        return False
    shown = [st for screen in screens for st in screen.steps]
    found = sum(any(_same_step(step, s) for s in shown) for step in steps)
    return found >= max(1, (len(steps) + 1) // 2)


def _same_step(step: str, shown: str) -> bool:
    a, b = fold(step), fold(shown)
    if a and (a in b or b in a) and min(len(a), len(b)) >= 0.6 * max(len(a), len(b)):
        return True
    ta, tb = tokens(step), set(tokens(shown))
    return bool(ta) and sum(t in tb for t in ta) >= 0.8 * len(ta) and len(ta) >= 2


def search_hits(data_dir: Path, scenes: list[Scene], memories: dict[str, StoredMemory],
                k: int = 5) -> list[dict[str, Any]]:
    questions = [q for s in scenes for q in s.questions]
    done = subprocess.run(
        [sys.executable, "-m", "bench.real_screens.search_runner", str(data_dir), str(k)],
        input=json.dumps([q.question for q in questions]), capture_output=True, text=True,
        timeout=3600, env=_runner_env())
    if done.returncode != 0:
        raise RuntimeError(f"search failed: {done.stderr[-2000:]}")
    answers = json.loads(done.stdout)
    out = []
    owner = {id(q): s.id for s in scenes for q in s.questions}
    for q, got in zip(questions, answers, strict=True):
        hit_rank = None
        for rank, result in enumerate(got["results"][:k], 1):
            memory = memories.get(result["id"])
            text = memory.all_text() if memory else str(result.get("summary", ""))
            if any(contains_value(text, a) for a in q.answers):
                hit_rank = rank
                break
        out.append({"scene": owner[id(q)], "question": q.question, "hit_rank": hit_rank,
                    "top": [r.get("summary", "")[:120] for r in got["results"][:k]]})
    return out


def _runner_env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _share(n: int, d: int) -> float | None:
    return round(n / d, 4) if d else None


def score(data_dir: Path, scenes: list[Scene], frame_scene: dict[int, str], *,
          search: bool = True) -> dict[str, Any]:
    """All figures for one built data folder, plus per-scene details."""
    _db_path_ok(data_dir)
    memories = read_memories(data_dir)
    for m in memories:
        m.scenes = {frame_scene[f] for f in m.frames if f in frame_scene}
    screens = {s.id: screen_text(s) for s in scenes}
    by_scene: dict[str, list[StoredMemory]] = {s.id: [] for s in scenes}
    for m in memories:
        for sid in m.scenes:
            by_scene.setdefault(sid, []).append(m)

    details: dict[str, Any] = {}
    recalled = total_facts = claims_ok = claims_all = 0
    key_scenes = episode_scenes = 0
    per_type: dict[str, list[int]] = {}
    wrong_claims: dict[str, list[str]] = {}
    for scene in scenes:
        mine = by_scene.get(scene.id, [])
        missed = []
        for fact in scene.facts:
            ok = any(m.type in ACCEPTED_TYPES[fact.type] and fact_stated(fact, m.chunks())
                     for m in mine)
            recalled += ok
            total_facts += 1
            per_type.setdefault(fact.type, [0, 0])
            per_type[fact.type][0] += ok
            per_type[fact.type][1] += 1
            if not ok:
                missed.append(f"{fact.subject} = {fact.value}")
        key = any(fact_stated(f, [m.summary_chunk()]) for f in scene.facts if f.key
                  for m in mine)
        key_scenes += key
        has_episode = any(m.type == "episodic" for m in mine)
        episode_scenes += has_episode
        details[scene.id] = {"memories": len(mine), "missed_facts": missed,
                             "key_fact_in_summary": key, "episode": has_episode,
                             "summaries": [f"{m.type}: {m.summary_chunk()[:160]}" for m in mine]}
    for m in memories:
        if not m.scenes:
            continue
        scene_screens = [screens[s] for s in sorted(m.scenes)]
        explicit = m.type in ("semantic", "resource")
        for subject, value in claims(m):
            claims_all += 1
            if any(claim_holds(subject, value, st, explicit=explicit) for st in scene_screens):
                claims_ok += 1
            else:
                sid = sorted(m.scenes)[0]
                wrong_claims.setdefault(sid, []).append(f"{m.type}: ({subject!s:.60}) {value}")
    for sid, wrong in wrong_claims.items():
        details.setdefault(sid, {})["wrong_claims"] = wrong
    procedures = [m for m in memories if m.type == "procedural" and m.scenes]
    real = [m for m in procedures if is_real_procedure(m, [screens[s] for s in m.scenes])]
    result: dict[str, Any] = {
        "scenes": len(scenes),
        "facts": total_facts,
        "memories": len(memories),
        "memories_by_type": _count_types(memories),
        "fact_recall": _share(recalled, total_facts),
        "fact_recall_by_type": {t: _share(a, b) for t, (a, b) in sorted(per_type.items())},
        "precision": _share(claims_ok, claims_all),
        "claims": claims_all,
        "key_fact_in_summary": _share(key_scenes, len(scenes)),
        "scenes_with_episode": _share(episode_scenes, len(scenes)),
        "procedural_memories": len(procedures),
        "real_procedures": _share(len(real), len(procedures)),
    }
    langs = sorted({s.lang for s in scenes})
    result["fact_recall_by_lang"] = {
        lang: _share(sum(1 for s in scenes if s.lang == lang for f in s.facts
                         if f"{f.subject} = {f.value}" not in details[s.id]["missed_facts"]),
                     sum(len(s.facts) for s in scenes if s.lang == lang))
        for lang in langs}
    if search:
        hits = search_hits(data_dir, scenes, {m.id: m for m in memories})
        result["questions"] = len(hits)
        result["search_hit_at_5"] = _share(sum(h["hit_rank"] is not None for h in hits),
                                           len(hits))
        for h in hits:
            details[h["scene"]].setdefault("questions", []).append(
                {"question": h["question"], "hit_rank": h["hit_rank"]})
    for m in procedures:
        if m not in real:
            sid = sorted(m.scenes)[0]
            details[sid].setdefault("not_real_procedures", []).append(
                f"{m.summary_chunk()[:100]} | {m.steps()[:3]}")
    result["details"] = details
    return result


def _count_types(memories: list[StoredMemory]) -> dict[str, int]:
    out: dict[str, int] = {}
    for m in memories:
        out[m.type] = out.get(m.type, 0) + 1
    return dict(sorted(out.items()))
