"""Startup benchmark: seconds from launching Engram to its window "Engram" being shown, for
the frozen build and from source, and the size of the package.

    python -m bench.startup [--runs 3] [--frozen DIR] [--deb FILE] [--skip-source]

Each launch runs ``engram run`` on a fresh copy of a data folder where consent was given
(capture off), on an Xvfb with a window manager started here, and is timed until
``xdotool search --onlyvisible --name '^Engram$'`` finds the window; then the app is closed.
The first launch of the frozen build is its first run from a fresh copy of the build
("first"); the later ones are "warm" (the files are in the page cache). Without ``--frozen``
the build is the one ``tools.build_package --cache`` keeps (built if missing). Prints one
JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.processes import stop
from bench.real_screens.display import start_xvfb

ROOT = Path(__file__).resolve().parents[1]
TARGET_FROZEN_SECONDS = 4.0
TARGET_PACKAGE_BYTES = 400 * 1_000_000
TIMEOUT = 300.0


@contextmanager
def x_display() -> Iterator[str]:
    """An Xvfb with a window manager; yields its DISPLAY."""
    server, display = start_xvfb("1366x768x24")
    manager = subprocess.Popen(["matchbox-window-manager", "-use_titlebar", "no"],
                               env={**os.environ, "DISPLAY": display},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield display
    finally:
        for process in (manager, server):
            stop(process, timeout=20)


def consented_data(folder: Path) -> Path:
    """A data folder past the first-run screen, capture off (what a user starts daily)."""
    from app.services import Services
    from ui.consent_view import record_consent

    services = Services(folder)
    services.settings.set("capture_enabled", False)
    services.close()
    record_consent(folder, False)
    return folder


def time_to_window(command: list[str], display: str, data: Path, env: dict[str, str]) -> float:
    env = {**env, "DISPLAY": display}
    start = time.monotonic()
    app = subprocess.Popen([*command, "--data-dir", str(data), "run"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.monotonic() - start < TIMEOUT:
            found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^Engram$"],
                                   env=env, capture_output=True, text=True).stdout.strip()
            if found:
                return round(time.monotonic() - start, 3)
            if app.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with {app.returncode} before its window")
            time.sleep(0.05)
        raise TimeoutError(f"no window after {TIMEOUT:.0f} s")
    finally:
        stop(app, timeout=30)


def measure(command: list[str], template: Path, runs: int, display: str,
            env: dict[str, str], work: Path) -> dict[str, Any]:
    seconds = []
    for run in range(runs):
        data = work / f"data-{len(list(work.iterdir()))}-{run}"
        shutil.copytree(template, data)
        seconds.append(time_to_window(command, display, data, env))
    return {"first_s": seconds[0], "warm_s": seconds[1:],
            "warm_median_s": statistics.median(seconds[1:]) if runs > 1 else None}


def folder_bytes(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if not p.is_dir())


def run(runs: int, frozen: Path | None, deb: Path | None, source: bool) -> dict[str, Any]:
    if frozen is None or deb is None:
        from tools.build_package import cached_build

        built = cached_build(Path.home() / ".cache" / "engram-package")
        frozen = frozen or Path(built["frozen"]["path"])
        deb = deb or Path(built["deb"]["path"])
    report: dict[str, Any] = {"runs": runs, "machine": f"{os.cpu_count()} cores"}
    with tempfile.TemporaryDirectory(prefix="engram-startup-") as tmp:
        work = Path(tmp)
        copy = work / "engram"
        shutil.copytree(frozen, copy, symlinks=True)  # a copy outside the repository
        template = consented_data(work / "template")
        (work / "runs").mkdir()
        home = work / "home"
        home.mkdir()
        clean = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
        with x_display() as display:
            report["frozen"] = measure([str(copy / "engram")], template, runs, display,
                                       {**clean, "PYTHONHOME": "/nonexistent"}, work / "runs")
            if source:
                report["source"] = measure([sys.executable, "-m", "app"], template, runs,
                                           display, {**clean, "PYTHONPATH": str(ROOT)},
                                           work / "runs")
    report["package_bytes"] = deb.stat().st_size
    report["installed_bytes"] = folder_bytes(frozen)
    report["targets"] = {
        "frozen_first_s_at_most": TARGET_FROZEN_SECONDS,
        "frozen_first_met": report["frozen"]["first_s"] <= TARGET_FROZEN_SECONDS,
        "package_bytes_at_most": TARGET_PACKAGE_BYTES,
        "package_met": report["package_bytes"] <= TARGET_PACKAGE_BYTES,
    }
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--frozen", type=Path, help="the frozen build's folder (dist/engram)")
    parser.add_argument("--deb", type=Path, help="the Debian package")
    parser.add_argument("--skip-source", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    print(json.dumps(run(max(1, args.runs), args.frozen, args.deb, not args.skip_source)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
