"""The same store code against a real Chroma server (`chroma run` on 127.0.0.1)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from memory.errors import StoreUnavailable
from memory.schema import MEMORY_TYPES
from memory.store import MemoryStore
from tests.memory.store_cases import exercise_lifecycle

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _chroma_command() -> str:
    candidate = Path(sys.executable).with_name("chroma")
    found = str(candidate) if candidate.exists() else shutil.which("chroma")
    if not found:
        pytest.fail("the `chroma` command from the chromadb package is not installed")
    return found


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = (path / "server.log").open("w")
    proc = subprocess.Popen(
        [_chroma_command(), "run", "--path", str(path / "db"), "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env={"ANONYMIZED_TELEMETRY": "False",
                                                   "PATH": "/usr/bin:/bin"},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("chroma server did not start: " + (path / "server.log").read_text())
            time.sleep(0.2)  # polling a child process's port: there is no signal to wait on
    yield url
    proc.terminate()
    proc.wait(10)
    log.close()


@pytest.mark.parametrize("memory_type", MEMORY_TYPES)
def test_lifecycle_against_server(chroma_server: str, tmp_path, embedder, memory_type) -> None:
    with MemoryStore(tmp_path / "data", embedder=embedder, chroma_url=chroma_server) as store:
        assert not (tmp_path / "data" / "vectors").exists()  # nothing embedded locally
        exercise_lifecycle(store, memory_type)


def test_two_stores_share_a_server_without_mixing(chroma_server, tmp_path, embedder) -> None:
    with MemoryStore(tmp_path / "a", embedder=embedder, chroma_url=chroma_server) as a, \
            MemoryStore(tmp_path / "b", embedder=embedder, chroma_url=chroma_server) as b:
        a.add("semantic", {"name": "only in a", "summary": "alpha"})
        assert b.vectors.count() == 0 and a.vectors.count() == 1


def test_unreachable_server_is_a_clear_error(tmp_path, embedder) -> None:
    with pytest.raises(StoreUnavailable, match="could not be opened"):
        MemoryStore(tmp_path / "d", embedder=embedder,
                    chroma_url=f"http://127.0.0.1:{_free_port()}")
