"""One writer per data folder, with real processes: a second writer is refused with the
holder's pid and command, readers keep working, and the lock dies with its holder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.services import Services
from memory.errors import StoreUnavailable
from memory.folder_lock import FolderInUse, FolderLock

#: A long-lived writer (like the desktop app): opens the folder for writing, adds a memory,
#: says so on stdout, then holds the folder until its stdin closes.
HOLDER = """
import json, sys
from app.services import Services
services = Services(sys.argv[1], command="engram test-holder")
memory = services.store.add("semantic", {"name": "holder", "summary": "written by the holder"})
print(json.dumps({"id": memory.id}), flush=True)
sys.stdin.read()
services.close()
"""


def _env() -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[2])
    return {**os.environ, "PYTHONPATH": root, "ENGRAM_DATA_DIR": "/nonexistent-engram-dir"}


def engram(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", "--data-dir", str(data), *args],
                          capture_output=True, text=True, env=_env(), timeout=180)


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    data = tmp_path / "data"
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(data), "private words"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env=_env())
    assert proc.stdout is not None
    line = proc.stdout.readline()  # blocks until the holder has written
    assert line, "the holder process failed to start"
    try:
        yield proc, json.loads(line)["id"]
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def test_second_writer_is_refused_readers_work_and_the_lock_dies_with_its_holder(
    tmp_path: Path, holder: tuple[subprocess.Popen[str], str]
) -> None:
    proc, held_id = holder
    data = tmp_path / "data"

    refused = engram(data, "reindex", "--json")
    assert refused.returncode == 1
    assert f"process {proc.pid}" in refused.stderr
    assert "(engram test-holder)" in refused.stderr  # and what it is
    assert "private words" not in refused.stderr  # never its arguments
    assert "close it first" in refused.stderr

    status = engram(data, "status", "--json")
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["memories"]["semantic"] == 1
    shown = engram(data, "show", held_id, "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["fields"]["summary"] == "written by the holder"
    found = engram(data, "search", "written by the holder", "--json")
    assert found.returncode == 0, found.stderr
    assert held_id in [r["id"] for r in json.loads(found.stdout)["results"]]
    listed = engram(data, "vault", "list", "--json")
    assert listed.returncode == 0 and json.loads(listed.stdout) == {"entries": []}

    proc.send_signal(signal.SIGKILL)  # no chance to release: the kernel drops the flock
    proc.wait()
    after = engram(data, "reindex", "--json")
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout) == {"reindexed": 1}  # nothing the holder wrote was lost


def test_the_lock_is_released_on_close(data_dir: Path, embedder: object,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import app.services

    monkeypatch.setattr(app.services, "_embedder", embedder)
    first = Services(data_dir)
    try:
        with pytest.raises(FolderInUse, match=f"process {os.getpid()}"):
            Services(data_dir)
        reader = Services(data_dir, read_only=True)
        try:
            assert reader.store.counts()["semantic"] == 0
            with pytest.raises(StoreUnavailable, match="only reads the data folder"):
                reader.store.add("semantic", {"name": "x", "summary": "refused"})
        finally:
            reader.close()
    finally:
        first.close()
    second = Services(data_dir)
    try:
        assert second.writer_lock.held
    finally:
        second.close()
    lock = FolderLock.for_writer(data_dir)
    assert lock.try_acquire()
    lock.release()
