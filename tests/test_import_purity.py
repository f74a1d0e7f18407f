"""The core is a library usable without the GUI (Anki's rule): memory and capture never
import PySide6, nor the app or ui packages (wiring lives in app/); only the frame store
changes the frames table."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_memory_and_capture_do_not_import_qt() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import memory, capture\n"
        "for pkg in (memory, capture):\n"
        "    for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"imported Qt: {out.stdout}"


def test_memory_and_capture_import_nothing_from_app_or_ui() -> None:
    """At run time (every module imported) and in the source, type-checking imports
    included: the libraries receive their collaborators, they never reach up for them."""
    code = (
        "import importlib, pkgutil, sys\n"
        "import memory, capture\n"
        "for pkg in (memory, capture):\n"
        "    for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('app', 'ui'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "", f"imported: {out.stdout}"
    upward = re.compile(r"^\s*(from|import)\s+(app|ui)(\.|\s|$)", re.MULTILINE)
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("memory", "capture")
        for path in sorted((ROOT / package).rglob("*.py"))
        if upward.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


#: The portable archive copies frame rows wholesale on import (its own transaction).
FRAME_WRITERS = {"capture/frame_store.py", "memory/archive/merge.py"}


def test_only_the_frame_store_changes_frames() -> None:
    writes = re.compile(r"(UPDATE|INSERT INTO|DELETE FROM)\s+frames\b", re.IGNORECASE)
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("app", "capture", "memory", "ui")
        for path in sorted((ROOT / package).rglob("*.py"))
        if str(path.relative_to(ROOT)) not in FRAME_WRITERS
        and writes.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "frame rows changed outside capture/frame_store.py"


def test_importing_the_cli_has_no_side_effects(tmp_path) -> None:
    """No import-time work: importing the CLI creates no data folder and loads no model."""
    code = (
        "import sys, app.cli\n"
        "app.cli.build_parser()\n"
        "print(','.join(m for m in ('onnxruntime', 'chromadb', 'llama_cpp', 'PySide6')"
        " if m in sys.modules))\n"
    )
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "XDG_DATA_HOME": str(tmp_path / "x")}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == ""
    assert not (tmp_path / "x").exists()
