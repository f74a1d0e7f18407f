"""A simulated working day: scenes in sequence, each shown over several frames (the text
appearing as the user scrolls or types), written as images plus a ``manifest.json`` of
frames, window metadata and gold labels."""

from __future__ import annotations

import json
import math
import random
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.screens.scenes import SCENES, Scene
from tools.synthetic_screens import MONO, SANS, WINDOW, Screen

DAY_START = "2026-05-12T08:30:00+00:00"


@dataclass
class FrameSpec:
    index: int
    captured_at: str
    lines: list[str]
    image: str = ""


@dataclass
class SegmentSpec:
    index: int
    kind: str
    app: str
    window_title: str
    url: str | None
    started_at: str
    ended_at: str
    gold: list[dict[str, Any]]
    secrets: list[str]
    mono: bool
    dark: bool
    frames: list[FrameSpec] = field(default_factory=list)


@dataclass
class Day:
    seed: int
    segments: list[SegmentSpec]

    @property
    def frame_count(self) -> int:
        return sum(len(s.frames) for s in self.segments)

    def to_json(self) -> dict[str, Any]:
        return {"seed": self.seed, "segments": [asdict(s) for s in self.segments]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Day:
        segments = []
        for raw in data["segments"]:
            frames = [FrameSpec(**f) for f in raw.pop("frames")]
            segments.append(SegmentSpec(**raw, frames=frames))
        return cls(seed=data["seed"], segments=segments)


def generate_day(*, seed: int = 7, frames: int = 300, start: str = DAY_START) -> Day:
    """Scenes in a shuffled order (every kind appears before any repeats), 5-9 frames each,
    5-15 s apart, with 1-25 minutes between activities, until ``frames`` frames exist."""
    rng = random.Random(seed)
    moment = datetime.fromisoformat(start)
    segments: list[SegmentSpec] = []
    order: list[Any] = []
    total = 0
    while total < frames:
        if not order:
            order = list(SCENES)
            rng.shuffle(order)
        make = order.pop()
        scene: Scene = make(rng)
        count = min(rng.randint(5, 9), frames - total)
        segment = SegmentSpec(
            index=len(segments), kind=make.__name__, app=scene.app,
            window_title=scene.title, url=scene.url, started_at=moment.isoformat(),
            ended_at="", gold=scene.gold, secrets=scene.secrets, mono=scene.mono,
            dark=scene.dark,
        )
        for i in range(count):
            shown = max(3, math.ceil(len(scene.lines) * (i + 1) / count))
            segment.frames.append(FrameSpec(total, moment.isoformat(), scene.lines[:shown]))
            total += 1
            segment.ended_at = moment.isoformat()
            moment += timedelta(seconds=rng.randint(5, 15))
        segment.gold = [*scene.gold, {"type": "episodic", "app": scene.app,
                                      "started_at": segment.started_at,
                                      "ended_at": segment.ended_at}]
        segments.append(segment)
        moment += timedelta(minutes=rng.randint(1, 25))
    return Day(seed=seed, segments=segments)


def write_day(day: Day, out_dir: Path) -> Path:
    """Render every frame as a PNG under ``out_dir`` and write ``manifest.json``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for segment in day.segments:
        for frame in segment.frames:
            path = out_dir / f"frame-{frame.index:04d}.png"
            clock = datetime.fromisoformat(frame.captured_at).strftime("%H:%M")
            Screen(frame.lines, width=1024, height=640, dark=segment.dark, cursor=False,
                   clock=clock, size=16, font_name=MONO if segment.mono else SANS,
                   title=segment.window_title, url=segment.url, layout=WINDOW).render().save(path)
            frame.image = path.name
    manifest = out_dir / "manifest.json"
    manifest.write_text(json.dumps(day.to_json(), indent=1), encoding="utf-8")
    return manifest


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Render a synthetic day of screen activity.")
    parser.add_argument("out", type=Path)
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    day = generate_day(seed=args.seed, frames=args.frames)
    print(write_day(day, args.out))


if __name__ == "__main__":
    main()
