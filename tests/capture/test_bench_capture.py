"""The capture benchmark runs end to end at a tiny scale and prints its JSON keys."""

from __future__ import annotations

import json

import pytest

from bench import capture as bench


def test_dedup_quality_meets_its_targets() -> None:
    quality = bench.dedup_quality(80, seed=3)
    assert quality["near_identical_skipped"] >= 0.95
    assert quality["changed_kept"] == 1.0


@pytest.mark.slow
@pytest.mark.xvfb
def test_the_benchmark_prints_every_figure(capsys, monkeypatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)  # it starts its own Xvfb
    assert bench.main(["--json", "--sequence", "16", "--ocr-frames", "1", "--bytes-frames",
                       "2", "--grabs", "3"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["grab_dedup_cpu_ms"] > 0 and result["grab_size"] == [1920, 1080]
    assert result["kept_while_unchanged"] == 0
    assert 0 < result["stored_bytes_median"] < 150_000
    assert result["ocr_char_accuracy"] >= 0.95 and result["ocr_seconds_per_frame"] > 0
    assert set(result["dedup"]) == {"near_identical", "near_identical_skipped", "changed",
                                    "changed_kept"}
