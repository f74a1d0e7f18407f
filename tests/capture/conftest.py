"""Capture fixtures: a pipeline on a real store, wired to a display the test started."""

from __future__ import annotations

from pathlib import Path

from capture.pipeline import CaptureConfig, CapturePipeline
from memory.store import MemoryStore


def make_pipeline(store: MemoryStore, display: str, **overrides) -> CapturePipeline:
    values = {
        "interval_seconds": 0.5,
        "excluded_apps": ["keepassxc", "1password"],
        "excluded_title_patterns": [r"(?i)private browsing", r"(?i)incognito"],
        "pause_when_idle_seconds": 0,
    }
    config = CaptureConfig(**{**values, **overrides})
    return CapturePipeline(store, config, display=display)


def scan_for(root: Path, needles: list[str]) -> list[tuple[str, str]]:
    """Every (file, needle) where a needle's UTF-8 or UTF-16 bytes appear under root."""
    hits = []
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        for needle in needles:
            for encoded in (needle.encode("utf-8"), needle.encode("utf-16-le")):
                if encoded in data:
                    hits.append((str(path), needle))
    return hits
