"""Start Engram when the user logs in: an XDG autostart entry,
``$XDG_CONFIG_HOME/autostart/engram.desktop`` (``~/.config`` when unset).

The setting ``start_at_login`` is the user's wish; this module is the one place that makes
the file match it. The entry starts the app minimised to the tray (``engram run
--minimized``) and names the data folder when it is not the default one.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from app.paths import default_data_dir
from memory.errors import KnownError

SETTING = "start_at_login"
ENTRY_NAME = "engram.desktop"


class AutostartError(KnownError):
    """The autostart entry could not be written or removed."""


def autostart_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or ""
    # The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return root / "autostart"


def entry_path() -> Path:
    return autostart_dir() / ENTRY_NAME


def launch_command(data_dir: Path | None = None) -> list[str]:
    """How to start this same Engram: the frozen binary, the ``engram`` script next to this
    interpreter, or ``python -m app``."""
    if getattr(sys, "frozen", False):
        command = [sys.executable]
    else:
        script = Path(sys.executable).with_name("engram")
        found = str(script) if script.is_file() else shutil.which("engram")
        command = [found] if found else [sys.executable, "-m", "app"]
    if data_dir is not None and Path(data_dir).resolve() != default_data_dir().resolve():
        command += ["--data-dir", str(Path(data_dir).resolve())]
    return [*command, "run", "--minimized"]


def entry_text(data_dir: Path | None = None) -> str:
    exec_line = " ".join(_desktop_quote(part) for part in launch_command(data_dir))
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Engram\n"
        "Comment=Start Engram minimised to the tray when you log in\n"
        f"Exec={exec_line}\n"
        "Icon=engram\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def _desktop_quote(arg: str) -> str:
    """Quote one Exec argument as the Desktop Entry spec asks (reserved characters inside
    double quotes, backslash-escaped; a literal % doubled)."""
    arg = arg.replace("%", "%%")
    if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`="):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{escaped}"'


def is_enabled() -> bool:
    return entry_path().is_file()


def apply(enabled: bool, data_dir: Path | None = None) -> Path:
    """Write or remove the entry so it matches ``enabled``; returns the entry's path."""
    path = entry_path()
    try:
        if enabled:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{ENTRY_NAME}.tmp")
            tmp.write_text(entry_text(data_dir), encoding="utf-8")
            os.replace(tmp, path)
        else:
            path.unlink(missing_ok=True)
    except OSError as exc:
        action = "write" if enabled else "remove"
        raise AutostartError(
            f"Could not {action} the login entry {path}: {exc.strerror}. Check that the folder "
            f"{path.parent} is yours and writable."
        ) from exc
    return path

