"""Vault keys: passphrase wrapping (scrypt), OS keyring wrapping, re-wrapping on a new
passphrase. Real SQLite store, real AES-GCM.

This machine is headless and has no OS keyring (``keyring`` resolves to its ``fail``
backend), so the keyring path is tested with a real in-process keyring backend class,
registered with ``keyring.set_keyring`` exactly as a desktop backend would be found.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import PasswordDeleteError

from memory.errors import InvalidInput, VaultLocked
from memory.store import MemoryStore
from memory.vault_crypto import KEYRING_SERVICE, KeyRecord, VaultKeys, system_keyring


def in_process_keyring_class() -> type[KeyringBackend]:
    """A keyring backend holding passwords in this process (a stand-in for GNOME Keyring,
    KWallet or the macOS Keychain, none of which exist on this headless machine).

    Defined on demand: keyring registers every backend subclass for discovery, and the
    no-keyring test must see this machine's real (empty) discovery result."""

    class InProcessKeyring(KeyringBackend):
        priority = 5  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.items: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.items.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.items[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            if self.items.pop((service, username), None) is None:
                raise PasswordDeleteError("not found")

    return InProcessKeyring


@pytest.fixture
def os_keyring() -> Iterator[Any]:
    previous = keyring.get_keyring()
    backend = in_process_keyring_class()()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


def _secret_blobs(store: MemoryStore) -> dict[str, bytes]:
    return {r[0]: bytes(r[1]) for r in store.reader.execute(
        "SELECT id, secret_value FROM vault_memory")}


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """keyring's own ``fail`` backend: what a headless machine (like this one) resolves to."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


def test_without_a_keyring_the_passphrase_path_works(store: MemoryStore, no_keyring) -> None:
    assert system_keyring() is None
    vault = store.vault
    assert not vault.keyring_available()
    vault.unlock("first passphrase")
    entry = store.add("vault", {"caption": "bank", "secret_value": "pin 1234"})
    with pytest.raises(InvalidInput, match="No OS keyring"):
        vault.enable_keyring(store.store_id)
    assert not vault.unlock_with_keyring()  # nothing to do: a passphrase-only vault
    vault.lock()
    assert store.get(entry.id).fields["secret_value"] == "[encrypted]"
    with pytest.raises(VaultLocked, match="Wrong vault passphrase"):
        vault.unlock("wrong")
    vault.unlock("first passphrase")
    assert store.reveal_secret(entry.id) == "pin 1234"


def test_change_passphrase_rewraps_the_key_only(store: MemoryStore) -> None:
    vault = store.vault
    vault.unlock("old")
    store.add("vault", {"caption": "a", "secret_value": "alpha"})
    store.add("vault", {"caption": "b", "secret_value": "beta"})
    blobs = _secret_blobs(store)
    record_before = KeyRecord.from_json(store.get_meta(VaultKeys.META_KEY) or "")
    vault.change_passphrase("old", "new")
    record_after = KeyRecord.from_json(store.get_meta(VaultKeys.META_KEY) or "")
    assert _secret_blobs(store) == blobs  # no secret was re-encrypted
    assert record_before.passphrase and record_after.passphrase
    assert record_after.passphrase.wrapped != record_before.passphrase.wrapped
    vault.lock()
    with pytest.raises(VaultLocked):
        vault.unlock("old")
    vault.unlock("new")
    assert sorted(store.reveal_secret(i) for i in blobs) == ["alpha", "beta"]
    with pytest.raises(VaultLocked):
        vault.change_passphrase("not it", "newer")


def test_keyring_wraps_the_data_key(store: MemoryStore, os_keyring: Any) -> None:
    vault = store.vault
    assert vault.keyring_available()
    vault.unlock("passphrase")
    entry = store.add("vault", {"caption": "api", "secret_value": "sk-live-42"})
    vault.enable_keyring(store.store_id)
    assert (KEYRING_SERVICE, store.store_id) in os_keyring.items
    assert vault.uses_keyring and vault.has_passphrase
    vault.lock()
    assert vault.unlock_with_keyring()
    assert store.reveal_secret(entry.id) == "sk-live-42"
    # the passphrase still opens it (another machine, or a lost keyring)
    vault.lock()
    vault.unlock("passphrase")
    assert store.reveal_secret(entry.id) == "sk-live-42"
    # a wrong key in the keyring is refused, not used to seal anything
    os_keyring.items[(KEYRING_SERVICE, store.store_id)] = "A" * 44
    vault.lock()
    with pytest.raises(VaultLocked, match="does not open this vault"):
        vault.unlock_with_keyring()
    assert not vault.is_unlocked
    # without the key in the keyring, the keyring path declines and the passphrase remains
    del os_keyring.items[(KEYRING_SERVICE, store.store_id)]
    assert not vault.unlock_with_keyring()
    vault.unlock("passphrase")
    vault.disable_keyring()
    assert not vault.uses_keyring


def test_keyring_only_vault(store: MemoryStore, os_keyring: Any) -> None:
    vault = store.vault
    vault.create_with_keyring(store.store_id)
    assert not vault.has_passphrase and vault.is_unlocked
    entry = store.add("vault", {"caption": "wifi", "secret_value": "hunter2"})
    blob = _secret_blobs(store)[entry.id]
    vault.lock()
    with pytest.raises(VaultLocked, match="no passphrase yet"):
        vault.unlock("anything")
    with pytest.raises(InvalidInput, match="Set a vault passphrase"):
        vault.disable_keyring()
    assert vault.unlock_with_keyring()
    vault.set_passphrase("added later")
    assert _secret_blobs(store)[entry.id] == blob
    vault.lock()
    vault.unlock("added later")
    assert store.reveal_secret(entry.id) == "hunter2"


def test_records_of_the_first_format_still_open(store: MemoryStore) -> None:
    """A key record written before keyring support (flat scrypt fields, no check) opens."""
    from memory.vault_crypto import KEY_BYTES, WrappedKey

    data_key = bytes(range(KEY_BYTES))
    store.set_meta(VaultKeys.META_KEY, WrappedKey.create(data_key, "legacy").to_json())
    store.vault.unlock("legacy")
    store.add("vault", {"caption": "x", "secret_value": "still readable"})
    store.vault.change_passphrase("legacy", "modern")
    store.vault.lock()
    store.vault.unlock("modern")
    assert store.list("vault")[0].fields["caption"] == "x"
