"""How the real-screens harness chooses the extraction model: through the product's own
settings and ``engram models use``, seen back through ``engram models list --json``."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services import bundled_llm_path
from bench.real_screens.harness import DEFAULT_MODEL, NO_MODEL, choose_model, engram

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
    assert not (data_dir / "settings.json").exists()
