"""The synthetic day generator and the extraction benchmark on a tiny slice (real OCR)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from bench.screens import generate_day, write_day
from bench.screens.scenes import SCENES


def test_a_day_has_every_kind_of_screen_with_gold_labels() -> None:
    day = generate_day(seed=7, frames=300)
    assert day.frame_count == 300
    assert {s.kind for s in day.segments} == {scene.__name__ for scene in SCENES}
    times = [f.captured_at for s in day.segments for f in s.frames]
    assert times == sorted(times) and times[0] < times[-1]
    for segment in day.segments:
        assert any(g["type"] == "episodic" and g["app"] == segment.app for g in segment.gold)
        assert all(g.get("facts") for g in segment.gold if g["type"] != "episodic")
    secrets = [s for seg in day.segments for s in seg.secrets]
    assert len(secrets) >= 6 and len(set(secrets)) == len(secrets)
    assert generate_day(seed=7, frames=300).to_json() == day.to_json()


@pytest.mark.slow
def test_rendered_frames_are_readable_by_the_products_ocr(tmp_path: Path) -> None:
    from capture.ocr import OcrEngine

    day = generate_day(seed=3, frames=12)
    write_day(day, tmp_path)
    segment = next(s for s in day.segments if s.secrets) if any(
        s.secrets for s in day.segments) else day.segments[0]
    frame = segment.frames[-1]
    with Image.open(tmp_path / frame.image) as image:
        assert image.size == (1024, 640)
        text = OcrEngine().read(image.convert("RGB")).text
    assert segment.window_title.split(" - ")[0] in text
    for secret in segment.secrets:
        assert secret.replace(" ", "") in text.replace(" ", "")


@pytest.mark.slow
def test_extraction_bench_runs_end_to_end(tmp_path: Path) -> None:
    from bench.extraction import run

    result = run(10, 7, tmp_path, use_model=False, replay=True)
    assert result["frames"] == 10
    assert result["hallucination"]["rate"] == 0.0
    assert result["secrets"]["stored_in_clear"] == 0
    assert result["per_type"]["episodic"]["recall"] == 1.0
    assert result["replay"]["growth"] == 0.0
    assert result["frames_per_minute"] > 0
