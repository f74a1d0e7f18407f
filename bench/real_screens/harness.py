"""Build a data folder from corpus scenes through the product's own path.

For each scene the real application window is opened on Xvfb, then
``engram --data-dir D capture --once --json`` grabs the screen (app and title come from the
window manager), ``Page_Down`` + capture again for each scroll, and the window is closed.
``engram ingest --wait --json`` then runs OCR and extraction.

Cache: capture + OCR are slow and do not depend on the extractor, so the folder after OCR
(every frame ``ocr_done``, no memory yet) is kept under ``cache/<hash of the scenes>``.
OCR alone runs through the product's ingest seam (``run_ingest`` with an empty extraction
step); the frames then wait in the same ``ocr_done`` state an ingest would leave them in
before extraction. A later build copies that folder and runs ``engram ingest --wait``,
which finds no frame to OCR and extracts them all.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.real_screens.corpus import Scene

MANIFEST = "real-screens-manifest.json"
#: Bumped when the way scenes are shown or captured changes (it invalidates the cache).
HARNESS_VERSION = "1"
DEFAULT_MODEL = "default"
NO_MODEL = "none"


class HarnessError(RuntimeError):
    """A product command failed; the message holds its output."""


@dataclass
class BuildReport:
    data_dir: str
    model: str
    scene_frames: dict[str, list[int]] = field(default_factory=dict)
    captures: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    capture_seconds: float = 0.0
    #: Time inside ``engram capture --once`` alone (without opening and drawing windows).
    capture_command_seconds: float = 0.0
    ocr_seconds: float = 0.0
    extraction_seconds: float = 0.0
    cached: bool = False
    ingest: dict[str, Any] = field(default_factory=dict)

    @property
    def frames(self) -> int:
        return sum(len(v) for v in self.scene_frames.values())

    def frame_scene(self) -> dict[int, str]:
        return {f: s for s, ids in self.scene_frames.items() for f in ids}

    def frames_per_minute(self) -> float | None:
        """Frames per minute through the product: capture commands, OCR, extraction."""
        grab = self.capture_command_seconds or self.capture_seconds
        total = grab + self.ocr_seconds + self.extraction_seconds
        return round(self.frames * 60.0 / total, 2) if total > 0 else None

    def save(self) -> None:
        Path(self.data_dir, MANIFEST).write_text(json.dumps(asdict(self), indent=1),
                                                 encoding="utf-8")

    @classmethod
    def load(cls, data_dir: Path) -> BuildReport:
        return cls(**json.loads((Path(data_dir) / MANIFEST).read_text(encoding="utf-8")))


def engram(data_dir: Path, *args: str, env: dict[str, str] | None = None,
           timeout: float = 3600) -> dict[str, Any]:
    """Run ``python -m app --data-dir D ARGS --json`` and return its one JSON object."""
    command = [sys.executable, "-m", "app", "--data-dir", str(data_dir), *args, "--json"]
    done = subprocess.run(command, capture_output=True, text=True, env=env or _env(),
                          timeout=timeout)
    if done.returncode != 0:
        raise HarnessError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    try:
        result: dict[str, Any] = json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        raise HarnessError(f"{' '.join(args)} printed no JSON: {done.stdout[-2000:]}") from exc
    return result


def _env(display: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("ENGRAM_DATA_DIR", None)
    if display:
        env["DISPLAY"] = display
    return env


def cache_key(scenes: list[Scene]) -> str:
    """The scenes' material and the product's capture code (``capture/``: grabbing, OCR,
    redaction), so a change to either captures and OCRs afresh."""
    h = hashlib.sha256(HARNESS_VERSION.encode())
    capture = Path(__file__).resolve().parents[2] / "capture"
    for path in sorted(capture.rglob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    for scene in scenes:
        h.update(scene.id.encode() + b"\0" + scene.digest().encode())
    return h.hexdigest()[:20]


def capture_scenes(data_dir: Path, scenes: list[Scene], *, log: Any = None) -> BuildReport:
    """Show every scene and capture it into ``data_dir`` (frames left ``pending``)."""
    from bench.real_screens.display import Display, SceneWindow

    report = BuildReport(data_dir=str(data_dir), model="")
    started = time.monotonic()
    with Display() as display, tempfile.TemporaryDirectory(prefix="rs-scene-") as work:
        env = _env(display.name)
        for scene in scenes:
            frames: list[int] = []
            grabs: list[dict[str, Any]] = []
            workdir = Path(work, scene.id)
            with SceneWindow(display, scene, workdir) as window:
                for index in range(scene.frames_expected):
                    if index:
                        window.page_down()
                    grab_started = time.monotonic()
                    out = engram(data_dir, "capture", "--once", env=env, timeout=120)
                    report.capture_command_seconds += time.monotonic() - grab_started
                    for frame in out["frames"]:
                        grabs.append(frame)
                        if frame.get("id"):
                            frames.append(int(frame["id"]))
            report.scene_frames[scene.id] = frames
            report.captures[scene.id] = grabs
            if log:
                log(f"captured {scene.id}: {[(g['status'], g['app'], g['window_title']) for g in grabs]}")
    report.capture_seconds = round(time.monotonic() - started, 2)
    report.capture_command_seconds = round(report.capture_command_seconds, 2)
    return report


def shown_at(scene: Scene) -> datetime | None:
    """When the person saw ``scene`` (its ``shown_at``, a time on this machine's clock, UTC
    here), or None when the scene does not say."""
    if not scene.shown_at:
        return None
    when = datetime.fromisoformat(scene.shown_at)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def stamp_shown_at(data_dir: Path, scenes: list[Scene], report: BuildReport) -> None:
    """Date each scene's frames when the person saw the screen, not when the harness drew
    it: a page writing "in 10 days" beside "22 October" means 10 days from its
    ``shown_at``, and the product reads the phrase against its frame's time. The frames
    keep their order and their seconds apart. Run before ``engram ingest``."""
    stamps = []
    for scene in scenes:
        when = shown_at(scene)
        if when is None:
            continue
        stamps += [((when + timedelta(seconds=SECONDS_APART * index)).isoformat(), frame)
                   for index, frame in enumerate(report.scene_frames.get(scene.id, []))]
    if not stamps:
        return
    with closing(sqlite3.connect(Path(data_dir) / "engram.db")) as db, db:
        db.executemany("UPDATE frames SET captured_at = ? WHERE id = ?", stamps)


#: Seconds between the frames of one scene as stamped (a page, then the page scrolled).
SECONDS_APART = 4


def ocr_only(data_dir: Path) -> float:
    """OCR pending frames through the product's ingest seam without extracting."""
    code = ("import json,sys; from pathlib import Path; from app.services import Services; "
            "from app.ingest import run_ingest; s = Services(Path(sys.argv[1])); "
            "r = run_ingest(s, True, extract=False); s.close(); print(json.dumps(r))")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code, str(data_dir)], capture_output=True,
                          text=True, env=_env(), timeout=3600)
    if done.returncode != 0:
        raise HarnessError(f"OCR failed:\n{done.stderr[-3000:]}")
    return round(time.monotonic() - started, 2)


def choose_model(data_dir: Path, model: str) -> None:
    """``default``: the bundled model (no setting); ``none``: extraction without a model
    (``llm_model_path`` names a file that does not exist, so the pipeline gets no model,
    as when no model is installed); anything else: a GGUF path, set with
    ``engram models use PATH``. With a model, ``extract_with_model`` is switched on (the
    product's default leaves extraction to the rules)."""
    settings = data_dir / "settings.json"
    values = json.loads(settings.read_text()) if settings.exists() else {}
    values["extract_with_model"] = model != NO_MODEL
    if model == NO_MODEL:
        values["llm_model_path"] = str(data_dir / "no-model-installed.gguf")
    settings.write_text(json.dumps(values, indent=2), encoding="utf-8")
    if model not in (DEFAULT_MODEL, NO_MODEL):
        engram(data_dir, "models", "use", str(Path(model).expanduser().resolve()))


def build_data_dir(data_dir: Path, scenes: list[Scene], *, model: str = DEFAULT_MODEL,
                   cache: Path | None = None, log: Any = None) -> BuildReport:
    """Capture (or copy from ``cache``) the scenes into a fresh ``data_dir``, then run
    ``engram ingest --wait``. ``model``: ``default``, ``none`` or a GGUF path."""
    data_dir = Path(data_dir)
    if data_dir.exists() and any(data_dir.iterdir()):
        raise HarnessError(f"{data_dir} is not empty")
    cached_dir = Path(cache) / cache_key(scenes) if cache else None
    if cached_dir is not None and (cached_dir / "data" / MANIFEST).is_file():
        shutil.copytree(cached_dir / "data", data_dir, dirs_exist_ok=True)
        report = BuildReport.load(data_dir)
        report.cached = True
    else:
        data_dir.mkdir(parents=True, exist_ok=True)
        report = capture_scenes(data_dir, scenes, log=log)
        report.ocr_seconds = ocr_only(data_dir)
        report.save()
        if cached_dir is not None:
            tmp = cached_dir.with_name(cached_dir.name + ".tmp")
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.copytree(data_dir, tmp / "data")
            shutil.rmtree(cached_dir, ignore_errors=True)
            tmp.rename(cached_dir)
    report.data_dir = str(data_dir)
    report.model = model
    stamp_shown_at(data_dir, scenes, report)
    choose_model(data_dir, model)
    started = time.monotonic()
    report.ingest = engram(data_dir, "ingest", "--wait")
    report.extraction_seconds = round(time.monotonic() - started, 2)
    report.save()
    return report
