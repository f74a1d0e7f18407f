"""Shared fixtures. Every path a test touches lives under ``tmp_path``."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from memory import telemetry  # noqa: E402 - before any test imports onnxruntime

telemetry.disable()
os.environ.pop("ENGRAM_DATA_DIR", None)


@pytest.fixture(scope="session")
def embedder():
    """One real ONNX embedder for the whole run (loading it is the slow part)."""
    from memory.embedder import Embedder

    return Embedder()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir(mode=0o700)
    return path


@pytest.fixture
def store(data_dir: Path, embedder) -> Iterator:
    """A real store: real SQLite and an embedded real Chroma under tmp_path."""
    from memory.store import MemoryStore

    with MemoryStore(data_dir, embedder=embedder) as memory_store:
        yield memory_store


@pytest.fixture(autouse=True)
def fail_on_unexpected_error_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Like qutebrowser's logfail: an ERROR log a test did not expect fails it.

    A test that expects one asserts it and then calls ``caplog.clear()``."""
    yield
    errors = [
        r for r in caplog.get_records("call")
        if r.levelno >= logging.ERROR
        and r.name.split(".")[0] in ("memory", "capture", "app", "ui", "engram", "bench")
    ]
    if errors:
        pytest.fail("unexpected error log: " + "; ".join(r.getMessage() for r in errors))
