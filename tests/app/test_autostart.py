"""Start Engram when I log in: the XDG autostart entry is written and removed to match the
setting, honours XDG_CONFIG_HOME, is a valid desktop entry, and its command starts this
same Engram minimised."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__, autostart
from app.paths import default_data_dir


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home


def test_enabling_writes_a_valid_entry_and_disabling_removes_it(config_home: Path,
                                                                 tmp_path: Path) -> None:
    path = autostart.apply(True, tmp_path / "my data")
    assert path == config_home / "autostart" / "engram.desktop"
    assert autostart.is_enabled()
    text = path.read_text(encoding="utf-8")
    assert "\nExec=" in text and text.rstrip().endswith("X-GNOME-Autostart-enabled=true")
    if shutil.which("desktop-file-validate"):
        done = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    autostart.apply(False)
    assert not path.exists() and not autostart.is_enabled()
    autostart.apply(False)  # already off: nothing to do, no error


def test_the_entry_starts_this_engram_minimised_with_its_data_folder(config_home: Path,
                                                                     tmp_path: Path) -> None:
    data = tmp_path / "my data"
    exec_line = next(line for line in autostart.apply(True, data).read_text().splitlines()
                     if line.startswith("Exec="))
    argv = shlex.split(exec_line.removeprefix("Exec="))
    assert argv[-2:] == ["run", "--minimized"]
    assert argv[-4:-2] == ["--data-dir", str(data.resolve())]
    done = subprocess.run([*argv[:-4], "--version"], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == f"engram {__version__}", done.stderr


def test_the_default_data_folder_is_not_spelled_out(config_home: Path) -> None:
    command = autostart.launch_command(default_data_dir())
    assert "--data-dir" not in command and command[-2:] == ["run", "--minimized"]


def test_a_relative_xdg_config_home_is_ignored(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/config")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert autostart.entry_path() == tmp_path / ".config" / "autostart" / "engram.desktop"


def test_an_unwritable_folder_is_a_known_error_with_a_sentence(config_home: Path) -> None:
    config_home.mkdir()
    (config_home / "autostart").write_text("a file where the folder should be")
    with pytest.raises(autostart.AutostartError, match="Could not write the login entry"):
        autostart.apply(True)


def test_exec_arguments_are_quoted_as_the_desktop_entry_spec_asks() -> None:
    assert autostart._desktop_quote("/opt/engram/engram") == "/opt/engram/engram"
    assert autostart._desktop_quote("/home/a b/100%") == '"/home/a b/100%%"'
    assert autostart._desktop_quote('x"$y') == '"x\\"\\$y"'


def test_version_flag_prints_the_version_and_touches_no_data(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-m", "app", "--version"], capture_output=True,
                          text=True, env=env, timeout=60)
    assert done.returncode == 0
    assert done.stdout.strip() == f"engram {__version__}"
    assert not (tmp_path / "data").exists()
