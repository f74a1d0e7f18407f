"""One language model per process: extraction and chat get the same instance from
``app/services.py``, and nothing is loaded until a call needs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services import Services
from memory.errors import ModelMissing


@pytest.fixture
def services(tmp_path: Path, embedder, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("app.services._embedder", embedder)
    monkeypatch.setattr("app.services._llms", {})  # this test's own process-wide registry
    running = Services(tmp_path / "data")
    yield running
    running.close()


def test_extraction_and_chat_share_one_model(services: Services, tmp_path: Path) -> None:
    model = services.language_model()
    assert model is not None and not model.loaded  # lazily: nothing read yet
    assert services.extraction_pipeline(use_model=True).model is model
    assert services.chat_model() is model
    assert services.extraction_worker(use_model=True).pipeline.model is model
    other = Services(tmp_path / "other")
    try:
        assert other.language_model() is model  # one per process, not per folder
    finally:
        other.close()
    services.chat_service().warm_up()
    assert model.loaded and model.loads == 1
    assert services.status()["models"]["llm"]["loaded"] is True


def test_idle_release_and_priority_follow_the_settings(services: Services) -> None:
    services.settings.set("llm_idle_release_seconds", 7)
    model = services.language_model()
    assert model is not None and model.idle_release_seconds == 7
    assert services.extraction_worker().nice == 10  # the default: background yields
    services.settings.set("background_nice", 15)
    assert services.extraction_worker().nice == 15


def test_without_a_model_file_extraction_uses_rules_and_chat_says_why(
    services: Services, tmp_path: Path
) -> None:
    services.settings.set("llm_model_path", str(tmp_path / "absent.gguf"))
    assert services.language_model() is None
    assert services.extraction_pipeline().model is None
    with pytest.raises(ModelMissing, match="llm_model_path"):
        services.chat_model()


def test_one_chat_service_serves_every_question_until_its_setting_changes(
        services: Services) -> None:
    """The service keeps the whole-text vectors it read, so the app asks one; saving chats
    as memories, set anew, gives a service that does so."""
    first = services.chat_service()
    assert services.chat_service() is first
    services.settings.set("save_chat_as_memory", not first.save_as_memory)
    changed = services.chat_service()
    assert changed is not first and changed.save_as_memory is not first.save_as_memory
