"""The core is a library usable without the GUI (Anki's rule): memory and capture never
import PySide6."""

import subprocess
import sys


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
