"""The installable Engram: the Debian package built by ``make package`` (tools/build_package.py),
extracted into a temporary root and run from there with no Python on PATH, installed and
removed with dpkg in a temporary root, and the wheel installed into a fresh venv.

The build takes minutes, so it is cached on a hash of its inputs (the code, the packaging
files, the installed distributions) under ``$ENGRAM_PACKAGE_CACHE`` (default
``~/.cache/engram-package``), outside the work tree.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import venv
import zipfile
from pathlib import Path
from typing import Any

import pytest

from app import __version__
from tests.capture.xhelpers import xvfb

pytestmark = pytest.mark.slow
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
MEMORY_TYPES = {"core", "episodic", "semantic", "procedural", "resource", "vault"}


def _need(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        message = f"needs {', '.join(missing)} (packaging/install-system-deps.sh)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def built() -> dict[str, Any]:
    _need("dpkg-deb", "ldd")
    from tools.build_package import cached_build

    cache = Path(os.environ.get("ENGRAM_PACKAGE_CACHE",
                                Path.home() / ".cache" / "engram-package"))
    return cached_build(cache)


@pytest.fixture(scope="module")
def deb(built: dict[str, Any]) -> Path:
    return Path(built["deb"]["path"])


@pytest.fixture(scope="module")
def extracted(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package's files under a temporary root, copied nowhere else."""
    root = tmp_path_factory.mktemp("root")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


def no_python_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """An environment where no Python can be found: an empty PATH folder, a PYTHONHOME
    that does not exist, and a fresh HOME."""
    empty = tmp_path / "empty-bin"
    empty.mkdir(exist_ok=True)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {"PATH": str(empty), "HOME": str(home), "PYTHONHOME": "/nonexistent",
            "LANG": "C.UTF-8", **extra}


def engram(root: Path, *args: str, env: dict[str, str], timeout: float = 300
           ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(root / "opt" / "engram" / "engram"), *args], env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_the_package_declares_its_files_libraries_and_no_maintainer_scripts(
        deb: Path, extracted: Path, tmp_path: Path) -> None:
    info = subprocess.run(["dpkg-deb", "-f", str(deb)], capture_output=True, text=True,
                          check=True).stdout
    fields = dict(line.split(": ", 1) for line in info.splitlines() if ": " in line
                  and not line.startswith(" "))
    assert fields["Package"] == "engram" and fields["Version"] == __version__
    depends = {d.strip() for d in fields["Depends"].split(",")}
    assert {"libxcb1", "libx11-6", "libxss1"} <= depends  # loaded by name (ctypes)
    assert any(d.startswith("libgl") or d.startswith("libegl") for d in depends)
    assert os.readlink(extracted / "usr" / "bin" / "engram") == "/opt/engram/engram"
    assert os.access(extracted / "opt" / "engram" / "engram", os.X_OK)
    for size in ICON_SIZES:
        icon = extracted / f"usr/share/icons/hicolor/{size}x{size}/apps/engram.png"
        assert icon.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    desktop = extracted / "usr/share/applications/engram.desktop"
    metainfo = next((extracted / "usr/share/metainfo").glob("*.metainfo.xml"))
    _need("desktop-file-validate", "appstreamcli")
    done = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout
    done = subprocess.run(["appstreamcli", "validate", "--no-net", str(metainfo)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    control = tmp_path / "control"
    subprocess.run(["dpkg-deb", "-e", str(deb), str(control)], check=True)
    scripts = {p.name for p in control.iterdir()} - {"control", "md5sums"}
    assert scripts == set(), f"maintainer scripts could touch user data: {scripts}"
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True,
                             check=True).stdout
    assert "/home" not in listing and ".local/share" not in listing
    assert "/bench/" not in listing and "/tools/" not in listing and "demo_data" not in listing


def test_the_frozen_app_runs_without_python(extracted: Path, tmp_path: Path) -> None:
    env = no_python_env(tmp_path)
    done = engram(extracted, "--version", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"engram {__version__}"
    data = tmp_path / "fresh data"
    done = engram(extracted, "--data-dir", str(data), "status", "--json", env=env)
    assert done.returncode == 0, done.stderr
    status = json.loads(done.stdout)
    assert status["memories"] == {t: 0 for t in MEMORY_TYPES}
    assert status["queue"] == 0 and status["data_dir"] == str(data)
    llm = status["models"]["llm"]
    assert llm["available"] and llm["path"].startswith(str(extracted / "opt" / "engram"))
    assert status["models"]["embedding"]["dimension"] == 384
    assert status["models"]["ocr"]["available"]
    # the answer reads irregular verbs from simplemma's dictionary, a data file of its own
    done = engram(extracted, "--data-dir", str(data), "remember",
                  "Noor: At the pottery evening we made little clay owls, so messy!", env=env)
    assert done.returncode == 0, done.stderr
    done = engram(extracted, "--data-dir", str(data), "ask",
                  "What did Noor make at the pottery evening?", "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["short_answer"] == "little clay owls"


@pytest.mark.xvfb
def test_the_frozen_app_captures_a_screen_on_xvfb(extracted: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    with xvfb([(1280, 800)], window_manager=False) as server:
        env = no_python_env(tmp_path, DISPLAY=server.display)
        done = engram(extracted, "--data-dir", str(data), "capture", "--once", "--json",
                      env=env)
    assert done.returncode == 0, done.stderr
    frames = json.loads(done.stdout)["frames"]
    assert [f["status"] for f in frames] == ["stored"], frames
    assert list((data).rglob("*.webp")), "no frame image was written"


@pytest.mark.xvfb
def test_the_frozen_gui_shows_the_engram_window(extracted: Path, tmp_path: Path) -> None:
    _need("xdotool")
    with xvfb([(1280, 800)]) as server:
        env = no_python_env(tmp_path, DISPLAY=server.display)
        app = subprocess.Popen(
            [str(extracted / "opt" / "engram" / "engram"), "--data-dir", str(tmp_path / "d"),
             "run"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            found = ""
            deadline = time.monotonic() + 180
            while not found and time.monotonic() < deadline and app.poll() is None:
                found = subprocess.run(
                    ["xdotool", "search", "--onlyvisible", "--name", "^Engram$"],
                    env={**os.environ, "DISPLAY": server.display}, capture_output=True,
                    text=True).stdout.strip()
                time.sleep(0.2)
            assert found, f"no visible window named Engram (exit {app.poll()})"
        finally:
            app.terminate()
            try:
                _out, err = app.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                app.kill()
                _out, err = app.communicate()
    assert "Traceback" not in err, err


def test_removing_the_package_leaves_the_users_data_alone(deb: Path, tmp_path: Path) -> None:
    """dpkg installs into and purges from a temporary root (``--root``), never this system."""
    _need("dpkg")
    root = tmp_path / "sysroot"
    admin = root / "var" / "lib" / "dpkg"
    for sub in ("info", "updates", "triggers"):
        (admin / sub).mkdir(parents=True)
    (admin / "status").touch()
    (admin / "available").touch()
    data = root / "home" / "user" / ".local" / "share" / "engram"
    data.mkdir(parents=True)
    (data / "engram.db").write_bytes(b"the user's memories")
    (data / "settings.json").write_text("{}")
    dpkg = ["dpkg", f"--root={root}", "--force-depends", "--force-script-chrootless",
            "--force-not-root"]
    done = subprocess.run([*dpkg, "--install", str(deb)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (root / "opt" / "engram" / "engram").is_file()
    done = subprocess.run([*dpkg, "--purge", "engram"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (root / "opt" / "engram").exists()
    assert not (root / "usr" / "bin" / "engram").exists()
    assert (data / "engram.db").read_bytes() == b"the user's memories"
    assert (data / "settings.json").read_text() == "{}"


def test_the_wheel_installs_and_its_engram_command_runs(built: dict[str, Any],
                                                        tmp_path: Path) -> None:
    wheel = Path(built["wheel"]["path"])
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("app/") for n in names) and any(n.startswith("ui/") for n in names)
    assert not any(n.startswith(("bench/", "tools/", "tests/")) for n in names)
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(target)
    py = target / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    str(wheel)], check=True, timeout=300)
    # Its dependencies come from the project's venv (appended to sys.path, not its .pth
    # files, so the editable checkout stays out of the way).
    site = next((target / "lib").glob("python3*/site-packages"))
    deps = next(Path(p) for p in sys.path if p.endswith("site-packages") and Path(p).is_dir())
    (site / "engram-deps.pth").write_text(str(deps) + "\n")
    env = {"PATH": str(target / "bin"), "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    done = subprocess.run([str(target / "bin" / "engram"), "--version"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == f"engram {__version__}", done.stderr
    done = subprocess.run([str(py), "-c", "import app, ui; print(app.__file__)"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().startswith(str(site)), done.stdout + done.stderr
    done = subprocess.run([str(target / "bin" / "engram"), "--data-dir", str(tmp_path / "d"),
                           "status", "--json"], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["memories"] == {t: 0 for t in MEMORY_TYPES}
