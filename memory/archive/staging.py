"""The private folder where an import stages images before they move into place.

An import holds an exclusive ``flock`` on a lock file inside its folder for as long as it
runs. A folder whose lock nobody holds was left by an import that crashed (its images may
be decrypted copies from an encrypted archive), so :func:`sweep_staging`, called when a data
folder is opened, removes it; a folder still locked belongs to a live import and is kept.
"""

from __future__ import annotations

import fcntl
import logging
import os
import secrets
import shutil
from pathlib import Path

log = logging.getLogger(__name__)

STAGING_PREFIX = ".import-"
LOCK_NAME = ".lock"


class StagingFolder:
    """``<data dir>/.import-<random>``, created (and locked) on first use."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / f"{STAGING_PREFIX}{secrets.token_hex(4)}"
        self._lock_fd: int | None = None

    def ensure(self) -> Path:
        if self._lock_fd is None:
            self.path.mkdir(mode=0o700)
            fd = os.open(self.path / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._lock_fd = fd
        return self.path

    def remove(self) -> None:
        """Delete the folder and what is left in it, then release the lock."""
        shutil.rmtree(self.path, ignore_errors=True)
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None


def sweep_staging(data_dir: Path) -> int:
    """Remove staging folders no running import holds; how many were removed."""
    removed = 0
    for folder in data_dir.glob(f"{STAGING_PREFIX}*"):
        if folder.is_symlink() or not folder.is_dir():
            folder.unlink(missing_ok=True)
            removed += 1
            continue
        if _in_use(folder):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    if removed:
        log.info("removed %d staging folder(s) left by an interrupted import", removed)
    return removed


def _in_use(folder: Path) -> bool:
    try:
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_NOFOLLOW)
    except OSError:
        return False  # no lock file: the import died before taking it
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
