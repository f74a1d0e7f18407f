"""End to end on a real X server: two corpus scenes (a Chromium page and an xterm session)
shown by the real applications, captured with ``engram capture --once``, ingested with
``engram ingest --wait`` (no language model, to keep it short) and scored by the checker."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.real_screens.checker import score
from bench.real_screens.corpus import load_scenes
from bench.real_screens.harness import NO_MODEL, build_data_dir

pytestmark = [pytest.mark.slow, pytest.mark.xvfb]

SCENES = ["booking-flight", "term-fish-servers"]


def test_two_scenes_go_through_the_product_and_the_checker(tmp_path: Path) -> None:
    missing = [t for t in ("Xvfb", "matchbox-window-manager", "xdotool", "chromium", "xterm",
                           "fish") if shutil.which(t) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (packaging/install-system-deps.sh)")
    scenes = load_scenes(ids=SCENES)
    cache = tmp_path / "cache"
    report = build_data_dir(tmp_path / "data", scenes, model=NO_MODEL, cache=cache)

    # App and title come from the window manager, as the product sees them.
    grabs = {sid: [g for g in report.captures[sid] if g["status"] == "stored"]
             for sid in SCENES}
    assert grabs["booking-flight"][0]["app"] == "chromium"
    assert grabs["booking-flight"][0]["window_title"] == "Manage booking - Aurelia Airways"
    assert grabs["term-fish-servers"][0]["app"] == "xterm"
    assert report.frames == 2
    assert report.ingest["extraction"]["frames_extracted"] == 2

    figures = score(tmp_path / "data", scenes, report.frame_scene(), search=True)
    assert figures["memories"] > 0
    assert figures["scenes_with_episode"] is not None
    assert figures["questions"] == sum(len(s.questions) for s in scenes)
    assert 0.0 <= figures["fact_recall"] <= 1.0

    # The second build reuses the captured and OCR'd frames and extracts them again.
    again = build_data_dir(tmp_path / "again", scenes, model=NO_MODEL, cache=cache)
    assert again.cached and again.frames == 2
    assert again.ingest["ocr_done"] == 0
    assert again.ingest["extraction"]["frames_extracted"] == 2
