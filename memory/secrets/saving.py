"""Text about to be stored from a conversation: no secret may go in.

Chat answers can quote a vault secret the user revealed (the vault was unlocked, so the
model saw it). Before a chat turn is saved as a memory (SQLite, full-text index, vectors,
archives) every revealed vault value and every catalogue secret is replaced by its
placeholder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from memory.secrets.scanner import redact, redact_values

if TYPE_CHECKING:
    from memory.store import MemoryStore


def vault_values(store: MemoryStore) -> list[str]:
    """The vault's secret values, when it is unlocked (else none can have been revealed)."""
    if not store.vault.is_unlocked:
        return []
    ids = [m.id for m in store.list("vault", limit=1_000_000)]
    return [str(m.fields.get("secret_value") or "") for m in store.get_many(ids, reveal=True)]


def scrub_for_saving(store: MemoryStore, *texts: str) -> list[str]:
    """Each text with revealed vault values and catalogue secrets replaced."""
    values = vault_values(store)
    return [redact(redact_values(text, values, "vault_secret"))[0] for text in texts]
