"""Sealed intake: while the vault is locked a secret is sealed to the vault's X25519 public
key (HKDF, AES-GCM, memory id bound in); only an unlocked vault opens it. A vault made
before sealed intake existed gets its key pair at the next unlock."""

from __future__ import annotations

import pytest

from memory.errors import VaultLocked
from memory.store import MemoryStore
from memory.vault_crypto import VaultKeys
from memory.vault_intake import INTAKE_META_KEY, is_sealed


def test_an_older_vault_gets_its_intake_key_at_the_next_unlock(store: MemoryStore) -> None:
    older = VaultKeys(load=lambda: store.get_meta(VaultKeys.META_KEY),
                      save=lambda value: store.set_meta(VaultKeys.META_KEY, value))
    older.unlock("pw")  # set up by the previous version: no intake key pair
    assert store.vault.is_set_up and not store.vault.is_unlocked
    assert store.get_meta(INTAKE_META_KEY) is None and not store.vault.can_seal
    with pytest.raises(VaultLocked):
        store.add("vault", {"caption": "x", "secret_value": "y"})
    store.vault.unlock("pw")
    assert store.vault.intake_public_key() is not None
    store.vault.lock()
    assert store.vault.can_seal
    sealed = store.add("vault", {"caption": "new", "secret_value": "new-secret-2"})
    store.vault.unlock("pw")
    assert store.reveal_secret(sealed.id) == "new-secret-2"


def test_a_sealed_value_is_bound_to_its_row_and_never_in_clear(store: MemoryStore) -> None:
    store.vault.unlock("pw")
    store.vault.lock()
    a = store.add("vault", {"caption": "a", "secret_value": "alpha-secret"})
    b = store.add("vault", {"caption": "b", "secret_value": "beta-secret"})

    def blob(memory_id: str) -> bytes:
        return bytes(store.reader.execute(
            "SELECT secret_value FROM vault_memory WHERE id = ?", [memory_id]).fetchone()[0])

    assert is_sealed(blob(a.id)) and b"alpha-secret" not in blob(a.id)
    store.writer.write(lambda db: db.execute(
        "UPDATE vault_memory SET secret_value = ? WHERE id = ?", [blob(a.id), b.id]))
    store.vault.unlock("pw")
    assert store.reveal_secret(a.id) == "alpha-secret"
    with pytest.raises(VaultLocked, match="damaged or was moved"):
        store.reveal_secret(b.id)
