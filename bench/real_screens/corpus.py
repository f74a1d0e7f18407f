"""Scenes of the corpus: ``scenes/<id>/scene.json`` plus the material the app shows
(``page.html`` for Chromium, ``session.json`` and ``home/`` for an xterm session)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCENES_DIR = Path(__file__).with_name("scenes")
#: Scenes written after the extractor's development and measured as they are: the product
#: was never tuned on them (once their misses are studied, they join ``scenes/``).
HELDOUT_DIR = Path(__file__).with_name("heldout")

APPS = ("chromium", "xterm")
FACT_TYPES = ("semantic", "episodic", "procedural", "resource", "vault")
ANSWER_TYPES = ("date", "time", "money", "quantity", "person", "place", "identifier",
                "command", "steps", "yesno", "description")
SHELLS = ("bash", "zsh", "fish")


class SceneError(ValueError):
    """A scene file does not follow the schema; the message names the scene and the field."""


@dataclass(frozen=True)
class Fact:
    subject: str
    value: str
    type: str
    key: bool


@dataclass(frozen=True)
class Question:
    question: str
    answers: tuple[str, ...]
    answer_type: str


@dataclass(frozen=True)
class Scene:
    id: str
    app: str
    lang: str
    kind: str
    material: str
    scrolls: int
    facts: tuple[Fact, ...]
    questions: tuple[Question, ...]
    directory: Path
    shown_at: str | None = None
    session: dict[str, Any] = field(default_factory=dict)

    @property
    def material_path(self) -> Path:
        return self.directory / self.material

    @property
    def frames_expected(self) -> int:
        return 1 + self.scrolls

    def digest(self) -> str:
        """Hash of what is shown and how (the capture cache key): the material files, the
        app and the scrolls; the gold in scene.json may change without a new capture."""
        h = hashlib.sha256(f"{self.app}\0{self.scrolls}\0".encode())
        for path in sorted(p for p in self.directory.rglob("*")
                           if p.is_file() and p.name != "scene.json"):
            h.update(str(path.relative_to(self.directory)).encode())
            h.update(b"\0")
            h.update(path.read_bytes())
        return h.hexdigest()


def _need(data: dict[str, Any], name: str, kind: type | tuple[type, ...], where: str) -> Any:
    if name not in data:
        raise SceneError(f"{where}: missing {name!r}")
    value = data[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise SceneError(f"{where}: {name!r} has the wrong type ({type(value).__name__})")
    return value


def _nonempty(value: str, name: str, where: str) -> str:
    if not value.strip():
        raise SceneError(f"{where}: {name!r} is empty")
    return value


def parse_scene(directory: Path) -> Scene:
    """Read and validate one scene directory."""
    where = str(directory / "scene.json")
    try:
        data = json.loads((directory / "scene.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SceneError(f"{where}: {exc}") from exc
    if not isinstance(data, dict):
        raise SceneError(f"{where}: not a JSON object")
    allowed = {"id", "app", "lang", "kind", "material", "scrolls", "shown_at", "facts",
               "questions"}
    extra = set(data) - allowed
    if extra:
        raise SceneError(f"{where}: unknown keys {sorted(extra)}")
    scene_id = _need(data, "id", str, where)
    if scene_id != directory.name:
        raise SceneError(f"{where}: id {scene_id!r} differs from the directory name")
    app = _need(data, "app", str, where)
    if app not in APPS:
        raise SceneError(f"{where}: app must be one of {APPS}")
    material = _need(data, "material", str, where)
    expected = "page.html" if app == "chromium" else "session.json"
    if material != expected:
        raise SceneError(f"{where}: a {app} scene's material is {expected}")
    if not (directory / material).is_file():
        raise SceneError(f"{where}: material {material} is missing")
    scrolls = _need(data, "scrolls", int, where)
    if not 0 <= scrolls <= 10:
        raise SceneError(f"{where}: scrolls must be 0..10")
    shown_at = data.get("shown_at")
    if shown_at is not None and not isinstance(shown_at, str):
        raise SceneError(f"{where}: shown_at must be an ISO date-time string")
    facts = []
    for i, raw in enumerate(_need(data, "facts", list, where)):
        w = f"{where} facts[{i}]"
        if not isinstance(raw, dict) or set(raw) != {"subject", "value", "type", "key"}:
            raise SceneError(f"{w}: needs exactly subject, value, type, key")
        fact = Fact(_nonempty(_need(raw, "subject", str, w), "subject", w),
                    _nonempty(_need(raw, "value", str, w), "value", w),
                    _need(raw, "type", str, w), _need(raw, "key", bool, w))
        if fact.type not in FACT_TYPES:
            raise SceneError(f"{w}: type must be one of {FACT_TYPES}")
        facts.append(fact)
    if not facts or not any(f.key for f in facts):
        raise SceneError(f"{where}: needs facts, at least one of them key")
    questions = []
    for i, raw in enumerate(_need(data, "questions", list, where)):
        w = f"{where} questions[{i}]"
        if not isinstance(raw, dict) or set(raw) != {"question", "answers", "answer_type"}:
            raise SceneError(f"{w}: needs exactly question, answers, answer_type")
        answers = _need(raw, "answers", list, w)
        if not answers or not all(isinstance(a, str) and a.strip() for a in answers):
            raise SceneError(f"{w}: answers must be non-empty strings")
        q = Question(_nonempty(_need(raw, "question", str, w), "question", w), tuple(answers),
                     _need(raw, "answer_type", str, w))
        if q.answer_type not in ANSWER_TYPES:
            raise SceneError(f"{w}: answer_type must be one of {ANSWER_TYPES}")
        questions.append(q)
    if not 1 <= len(questions) <= 3:
        raise SceneError(f"{where}: 1 to 3 questions")
    session: dict[str, Any] = {}
    if app == "xterm":
        session = _parse_session(directory / material)
    return Scene(id=scene_id, app=app, lang=_need(data, "lang", str, where),
                 kind=_need(data, "kind", str, where), material=material, scrolls=scrolls,
                 facts=tuple(facts), questions=tuple(questions), directory=directory,
                 shown_at=shown_at, session=session)


def _parse_session(path: Path) -> dict[str, Any]:
    where = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SceneError(f"{where}: {exc}") from exc
    if not isinstance(data, dict):
        raise SceneError(f"{where}: not a JSON object")
    if _need(data, "shell", str, where) not in SHELLS:
        raise SceneError(f"{where}: shell must be one of {SHELLS}")
    _need(data, "prompt", str, where)
    for name in ("setup", "commands"):
        items = _need(data, name, list, where)
        if not all(isinstance(c, str) and c.strip() for c in items):
            raise SceneError(f"{where}: {name} must be non-empty strings")
    if not data["commands"]:
        raise SceneError(f"{where}: no command to run")
    return data


def load_scenes(root: Path | None = None, ids: list[str] | None = None) -> list[Scene]:
    """Every scene under ``root`` (default: this package's ``scenes/``), sorted by id;
    ``ids`` keeps only those (an unknown id is an error)."""
    base = root or SCENES_DIR
    scenes = [parse_scene(d) for d in sorted(base.iterdir()) if (d / "scene.json").is_file()]
    if ids:
        known = {s.id: s for s in scenes}
        missing = [i for i in ids if i not in known]
        if missing:
            raise SceneError(f"unknown scenes: {', '.join(missing)}")
        scenes = [known[i] for i in ids]
    return scenes
