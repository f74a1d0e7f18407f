"""How the real-screens harness chooses the extraction model: through the product's own
settings and ``engram models use``, seen back through ``engram models list --json``; and
how it dates a scene's frames when the person saw the screen."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.services import bundled_llm_path
from bench.real_screens.corpus import Scene
from bench.real_screens.harness import (
    DEFAULT_MODEL,
    NO_MODEL,
    BuildReport,
    choose_model,
    engram,
    stamp_shown_at,
)

pytestmark = pytest.mark.slow


def test_no_model_points_the_setting_at_a_missing_file(data_dir: Path) -> None:
    choose_model(data_dir, NO_MODEL)
    active = engram(data_dir, "models", "list")["active"]
    assert active and not Path(active).exists()


def test_a_gguf_path_is_chosen_with_models_use(data_dir: Path) -> None:
    bundled = bundled_llm_path()
    if bundled is None:
        pytest.skip("the bundled model package is not installed")
    choose_model(data_dir, str(bundled))
    assert Path(engram(data_dir, "models", "list")["active"]) == bundled.resolve()


def test_the_default_leaves_the_bundled_model(data_dir: Path) -> None:
    choose_model(data_dir, DEFAULT_MODEL)
    assert engram(data_dir, "models", "list")["active"] == str(bundled_llm_path())
    values = json.loads((data_dir / "settings.json").read_text())
    assert values == {"extract_with_model": True}


def test_a_scenes_frames_are_dated_when_the_person_saw_it(store, data_dir: Path) -> None:
    """A scene's frames take its ``shown_at`` (a page and its scrolled screen a few seconds
    apart), so "in 10 days" on the page counts from then; a scene that says no time keeps
    its capture time."""
    def frame(captured_at: str) -> int:
        return store.writer.write(lambda db: int(db.execute(
            "INSERT INTO frames (captured_at, app, status, updated_at) VALUES (?, 'xterm', "
            "'pending', ?)", [captured_at, captured_at]).lastrowid))

    ids = [frame("2031-01-05T10:00:00+00:00") for _ in range(3)]
    seen = Scene(id="seen", app="chromium", lang="en", kind="t", material="page.html",
                 scrolls=1, facts=(), questions=(), directory=data_dir,
                 shown_at="2030-06-02T21:00:00")
    undated = Scene(id="undated", app="xterm", lang="en", kind="t", material="session.json",
                    scrolls=0, facts=(), questions=(), directory=data_dir)
    report = BuildReport(data_dir=str(data_dir), model=NO_MODEL,
                         scene_frames={"seen": ids[:2], "undated": ids[2:]})
    stamp_shown_at(data_dir, [seen, undated], report)
    times = dict(store.reader.execute("SELECT id, captured_at FROM frames").fetchall())
    assert [times[i] for i in ids] == ["2030-06-02T21:00:00+00:00",
                                       "2030-06-02T21:00:04+00:00",
                                       "2031-01-05T10:00:00+00:00"]
