"""The real-application corpus itself: every scene follows the schema, its gold sits on its
own screen, and no gold value or accepted answer is written into product code."""

from __future__ import annotations

import builtins
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bench.real_screens.corpus import HELDOUT_DIR, SceneError, load_scenes, parse_scene
from bench.real_screens.normalise import contains_subject, contains_value
from bench.real_screens.screen_text import screen_text

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_DIRS = ("memory", "capture")
MIN_LEN = 4


def test_every_scene_follows_the_schema_and_the_corpus_is_varied() -> None:
    scenes = load_scenes()
    assert len(scenes) >= 40
    assert {s.app for s in scenes} == {"chromium", "xterm"}
    assert sum(s.lang != "en" for s in scenes) >= 5
    assert {"de", "fr", "es"} <= {s.lang for s in scenes}
    assert {"ja", "zh", "ko"} & {s.lang for s in scenes}
    assert {s.session["shell"] for s in scenes if s.app == "xterm"} == {"bash", "zsh", "fish"}
    assert any(s.scrolls for s in scenes)
    assert len({s.kind for s in scenes}) >= 15


def _common_word(value: str) -> bool:
    """One plain word (``passed``, ``Done``, or in capitals as a status chip writes it:
    ``FAIL``), a power of two (``4096``, a buffer's or a
    context's size) or one of Python's own names (``FileNotFoundError``, which the code
    catches): ordinary vocabulary, not gold data."""
    if value in vars(builtins):
        return True
    if value.isdigit() and int(value) >= 256:
        return int(value) & (int(value) - 1) == 0
    return bool(re.fullmatch(r"[A-Za-z][a-z]+|[A-Z]+", value))


def _all_scenes() -> list:  # noqa: ANN202 - the development and held-out scenes
    heldout = load_scenes(HELDOUT_DIR) if HELDOUT_DIR.is_dir() else []
    return [*load_scenes(), *heldout]


def _gold_strings() -> set[str]:
    out: set[str] = set()
    for scene in _all_scenes():
        out.update(f.value for f in scene.facts)
        for question in scene.questions:
            out.update(question.answers)
    return {v for v in out if len(v.strip()) >= MIN_LEN and not _common_word(v.strip())}


def test_no_gold_value_or_accepted_answer_appears_in_product_code() -> None:
    files = [p for d in PRODUCT_DIRS for p in (ROOT / d).rglob("*")
             if p.is_file() and "__pycache__" not in p.parts]
    assert files
    texts = {p: p.read_text(encoding="utf-8", errors="replace").casefold() for p in files}
    gold = _gold_strings()
    assert len(gold) > 150
    found = sorted(f"{v!r} in {p.relative_to(ROOT)}" for v in gold
                   for p, t in texts.items() if v.casefold() in t)
    assert not found, "gold corpus strings in product code: " + "; ".join(found)


def test_each_gold_fact_is_on_its_own_screen_as_a_pair() -> None:
    """Gold is written from the screen: subject and value are both on it, and for most
    facts in one block. Some relate blocks on purpose (a grid's row and column, a heading
    and its details: the scenes written by another hand test layout reading)."""
    missing, apart, facts = [], [], 0
    for scene in _all_scenes():
        blocks = screen_text(scene).blocks
        for fact in scene.facts:
            facts += 1
            if not (any(contains_subject(b, fact.subject) for b in blocks)
                    and any(contains_value(b, fact.value) for b in blocks)):
                missing.append(f"{scene.id}: {fact.subject} = {fact.value}")
            elif not any(contains_subject(b, fact.subject) and contains_value(b, fact.value)
                         for b in blocks):
                apart.append(f"{scene.id}: {fact.subject} = {fact.value}")
        for question in scene.questions:
            if not any(contains_value(b, a) for b in blocks for a in question.answers) and not (
                    question.answer_type == "date" and _said_relatively(
                        blocks, scene.shown_at, question.answers)):
                missing.append(f"{scene.id}: no answer on screen for {question.question}")
    assert not missing
    assert len(apart) <= 0.1 * facts, apart


_RELATIVE = re.compile(r"\b(?:in (?P<ahead>\d+) days?|(?P<ago>\d+) days? ago|"
                       r"(?P<word>yesterday|today|tomorrow))\b", re.I)
_DATE_FORMATS = ("%Y-%m-%d", "%b %d, %Y", "%B %d, %Y", "%d %B %Y", "%d %b %Y", "%m/%d/%Y")


def _said_relatively(blocks: list[str], shown_at: str, answers: list[str]) -> bool:
    """Is one of the accepted dates the day a relative phrase on screen ("Due in 2 days",
    "yesterday") names, counted from when the screen was shown? (The checker's own small
    reader: it shares nothing with the product's date resolution.)"""
    shown = datetime.fromisoformat(shown_at).date()
    days = set()
    for block in blocks:
        for m in _RELATIVE.finditer(block):
            offset = (int(m["ahead"]) if m["ahead"] else -int(m["ago"]) if m["ago"] else
                      {"yesterday": -1, "today": 0, "tomorrow": 1}[m["word"].lower()])
            days.add(shown + timedelta(days=offset))
    for answer in answers:
        for form in _DATE_FORMATS:
            try:
                if datetime.strptime(answer.strip(), form).date() in days:
                    return True
            except ValueError:
                continue
    return False


def _write(directory: Path, scene: dict) -> Path:
    directory.mkdir(parents=True)
    (directory / "page.html").write_text("<title>t</title><p>x</p>")
    (directory / "scene.json").write_text(json.dumps(scene))
    return directory


GOOD = {"id": "s", "app": "chromium", "lang": "en", "kind": "k", "material": "page.html",
        "scrolls": 0, "facts": [{"subject": "a", "value": "b", "type": "semantic", "key": True}],
        "questions": [{"question": "q?", "answers": ["b"], "answer_type": "description"}]}


def test_a_valid_scene_parses(tmp_path: Path) -> None:
    scene = parse_scene(_write(tmp_path / "s", GOOD))
    assert scene.facts[0].value == "b" and scene.frames_expected == 1


@pytest.mark.parametrize("change", [
    {"app": "firefox"},
    {"material": "session.json"},
    {"scrolls": -1},
    {"facts": [{"subject": "a", "value": "b", "type": "opinion", "key": True}]},
    {"facts": [{"subject": "a", "value": "b", "type": "semantic", "key": False}]},
    {"questions": []},
    {"questions": [{"question": "q?", "answers": [], "answer_type": "date"}]},
    {"questions": [{"question": "q?", "answers": ["x"], "answer_type": "color"}]},
    {"id": "other"},
    {"extra": 1},
])
def test_a_scene_breaking_the_schema_is_refused(tmp_path: Path, change: dict) -> None:
    with pytest.raises(SceneError):
        parse_scene(_write(tmp_path / "s", {**GOOD, **change}))


def test_the_capture_key_ignores_gold_edits_but_not_the_page(tmp_path: Path) -> None:
    directory = _write(tmp_path / "s", GOOD)
    before = parse_scene(directory).digest()
    (directory / "scene.json").write_text(json.dumps({**GOOD, "kind": "other"}))
    assert parse_scene(directory).digest() == before
    (directory / "page.html").write_text("<title>t</title><p>y</p>")
    assert parse_scene(directory).digest() != before
