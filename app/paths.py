"""Where Engram keeps its data: ``--data-dir``, else ``$ENGRAM_DATA_DIR``, else the
platform's user data folder. The folder is private to the user (0700)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

ENV_DATA_DIR = "ENGRAM_DATA_DIR"


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("engram", appauthor=False))


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser().resolve()
    return default_data_dir()


def ensure_private_dir(path: Path) -> Path:
    """Create the folder if needed and make it readable by its owner only."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)
    return path


def bytes_on_disk(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += (Path(root) / name).lstat().st_size
            except OSError:
                continue
    return total


#: New files and folders Engram creates are its user's alone (0600 files, 0700 folders).
PRIVATE_UMASK = 0o077


def use_private_umask() -> int:
    """Make every file this process creates from now on private (SQLite's -wal/-shm files,
    the Chroma index, frames, logs, exports). Returns the previous umask."""
    return os.umask(PRIVATE_UMASK)


def make_private(root: Path) -> int:
    """Tighten an existing data folder: folders 0700, files 0600. Symbolic links are left
    alone (never followed). Returns how many entries were changed.

    Cheap when the folder is already private (the usual case, since new files follow the
    private umask): only the top level is looked at unless something there is loose."""
    if _top_level_private(root):
        return 0
    changed = 0
    for folder, dirs, files in os.walk(root):
        for name, wanted in [*((d, 0o700) for d in dirs), *((f, 0o600) for f in files)]:
            path = Path(folder) / name
            try:
                mode = path.lstat().st_mode
            except OSError:
                continue
            if stat.S_ISLNK(mode) or stat.S_IMODE(mode) == wanted:
                continue
            path.chmod(wanted)
            changed += 1
    if stat.S_IMODE(root.stat().st_mode) != 0o700:
        root.chmod(0o700)
        changed += 1
    return changed


def _top_level_private(root: Path) -> bool:
    if stat.S_IMODE(root.stat().st_mode) != 0o700:
        return False
    with os.scandir(root) as entries:
        for entry in entries:
            mode = entry.stat(follow_symlinks=False).st_mode
            if stat.S_ISLNK(mode):
                continue
            if stat.S_IMODE(mode) != (0o700 if stat.S_ISDIR(mode) else 0o600):
                return False
    return True
