"""Vault hardening: scrypt n >= 2^17 for new wraps, a vault wrapped by the old parameters
(n = 2^15) re-wrapped at its next unlock without losing anything, the key zeroed on lock,
and the idle lock. Real SQLite store, real scrypt and AES-GCM."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from memory import vault_crypto
from memory.errors import StoreUnavailable, VaultLocked
from memory.store import MemoryStore
from memory.vault_crypto import KeyRecord, VaultKeys, derive_key, open_sealed


def _record(store: MemoryStore) -> KeyRecord:
    return KeyRecord.from_json(store.get_meta(VaultKeys.META_KEY) or "")


def _old_vault(store: MemoryStore, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A vault set up by the previous release, whose new wraps used scrypt n = 2^15."""
    with monkeypatch.context() as patch:
        patch.setattr(vault_crypto, "SCRYPT_N", 2**15)
        store.vault.unlock("old passphrase")
        ids = {store.add("vault", {"caption": caption, "secret_value": secret}).id: secret
               for caption, secret in (("bank", "pin 4321"), ("wifi", "correct horse"))}
        store.vault.lock()
    assert _record(store).passphrase is not None
    assert _record(store).passphrase.n == 2**15  # type: ignore[union-attr]
    return ids


def test_new_vaults_use_scrypt_n_2_17(store: MemoryStore) -> None:
    assert vault_crypto.SCRYPT_N >= 2**17
    store.vault.unlock("a passphrase")
    wrap = _record(store).passphrase
    assert wrap is not None and (wrap.n, wrap.r, wrap.p) == (2**17, 8, 1)
    assert not wrap.is_weak
    # the stored wrap really is keyed by scrypt at those parameters
    kek = derive_key("a passphrase", wrap.salt, 2**17, 8, 1)
    assert len(open_sealed(kek, wrap.wrapped, vault_crypto.WRAP_AAD)) == 32


def test_an_old_vault_is_rewrapped_at_the_next_unlock(
    store: MemoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets = _old_vault(store, monkeypatch)
    blobs = dict(store.reader.execute("SELECT id, secret_value FROM vault_memory").fetchall())
    old = _record(store)
    with pytest.raises(VaultLocked, match="Wrong vault passphrase"):
        store.vault.unlock("not it")
    assert _record(store) == old  # a failed unlock changes nothing

    store.vault.unlock("old passphrase")
    new = _record(store)
    assert new.passphrase is not None and old.passphrase is not None
    assert new.passphrase.n == 2**17 and new.passphrase.salt != old.passphrase.salt
    assert new.check == old.check  # same data key: only the wrap changed
    assert dict(store.reader.execute(
        "SELECT id, secret_value FROM vault_memory").fetchall()) == blobs
    assert {i: store.reveal_secret(i) for i in secrets} == secrets

    store.vault.lock()
    store.vault.unlock("old passphrase")  # the new wrap opens with the same passphrase
    assert _record(store) == new  # and is not re-wrapped again
    assert {i: store.reveal_secret(i) for i in secrets} == secrets


def test_a_failed_rewrap_loses_nothing_and_is_retried(
    data_dir: Path, embedder: object, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The re-wrap is one replacement of the key record. The write is made to fail (as on
    a full disk: faked, since this machine's disk is not full) and the old wrap must still
    open every secret; the next unlock re-wraps."""
    with MemoryStore(data_dir, embedder=embedder) as store:  # type: ignore[arg-type]
        secrets = _old_vault(store, monkeypatch)
        old = _record(store)
        real_save = store.vault._save

        def full_disk(_text: str) -> None:
            raise StoreUnavailable("The disk holding Engram's data is full; free some space.")

        monkeypatch.setattr(store.vault, "_save", full_disk)
        store.vault.unlock("old passphrase")  # unlocks all the same
        assert "could not strengthen" in caplog.text
        assert {i: store.reveal_secret(i) for i in secrets} == secrets
        assert _record(store) == old
        store.vault.lock()
        monkeypatch.setattr(store.vault, "_save", real_save)
    with MemoryStore(data_dir, embedder=embedder) as store:  # type: ignore[arg-type]
        store.vault.unlock("old passphrase")
        assert _record(store).passphrase.n == 2**17  # type: ignore[union-attr]
        assert {i: store.reveal_secret(i) for i in secrets} == secrets


def test_lock_zeroes_the_key_and_keeps_no_reference(store: MemoryStore) -> None:
    vault = store.vault
    vault.unlock("passphrase")
    entry = store.add("vault", {"caption": "api", "secret_value": "sk-test-77"})
    held = vault._data_key
    assert held is not None and any(held)
    key_bytes = bytes(held)
    vault.lock()
    assert held == bytearray(len(held))  # overwritten in place
    assert not any(value == key_bytes or value is held for value in vars(vault).values())
    with pytest.raises(VaultLocked):
        store.reveal_secret(entry.id)


def test_the_vault_locks_itself_when_idle(store: MemoryStore) -> None:
    vault = store.vault
    locked = threading.Event()
    locked_at: list[float] = []
    vault.add_auto_lock_listener(lambda: (locked_at.append(time.monotonic()), locked.set()))
    vault.idle_lock_seconds = 0.6
    vault.unlock("passphrase")
    entry = store.add("vault", {"caption": "pin", "secret_value": "2468"})
    time.sleep(0.3)  # use the vault half-way through: the lock moves back
    used_at = time.monotonic()
    vault.note_activity()
    assert locked.wait(10)
    assert locked_at[0] - used_at >= 0.6
    assert not vault.is_unlocked and vault._data_key is None
    with pytest.raises(VaultLocked):
        store.reveal_secret(entry.id)


def test_zero_never_locks_and_a_new_value_applies_at_once(store: MemoryStore) -> None:
    vault = store.vault
    locked = threading.Event()
    vault.add_auto_lock_listener(locked.set)
    vault.idle_lock_seconds = 0
    vault.unlock("passphrase")
    assert vault._idle_timer is None  # no timer runs at all
    assert not vault.lock_if_idle() and vault.is_unlocked
    vault.idle_lock_seconds = 0.2  # e.g. changed in Settings while unlocked
    assert locked.wait(10)
    assert not vault.is_unlocked


#: Unlocks the vault in the folder given (the re-wrap runs inside), announcing the start.
UNLOCKER = """
import sys, time
from memory.store import MemoryStore
store = MemoryStore(sys.argv[1], sync_on_open=False)
print("go", flush=True)
store.vault.unlock("old passphrase")
print("done", flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("fraction", [0.3, 0.8, 1.5])
def test_killed_during_the_rewrap_nothing_is_lost(
    data_dir: Path, embedder: object, monkeypatch: pytest.MonkeyPatch, fraction: float
) -> None:
    """A real process unlocking an old vault is killed (SIGKILL) at a point of its unlock:
    scrypt of the old wrap, scrypt of the new one, the one write, or after it. Whatever it
    left, the passphrase opens the vault with every secret."""
    import os
    import signal
    import subprocess
    import sys

    with MemoryStore(data_dir, embedder=embedder) as store:  # type: ignore[arg-type]
        secrets = _old_vault(store, monkeypatch)
        started = time.perf_counter()
        store.vault.unlock("old passphrase")  # how long an unlock with re-wrap takes here
        spent = time.perf_counter() - started
        with monkeypatch.context() as patch:  # back to an old wrap for the child to re-wrap
            patch.setattr(vault_crypto, "SCRYPT_N", 2**15)
            store.vault.change_passphrase("old passphrase", "old passphrase")
        store.vault.lock()
        assert _record(store).passphrase.n == 2**15  # type: ignore[union-attr]
    root = str(Path(__file__).resolve().parents[2])
    child = subprocess.Popen([sys.executable, "-c", UNLOCKER, str(data_dir)],
                             stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": root})
    assert child.stdout is not None and child.stdout.readline().strip() == "go"
    time.sleep(spent * fraction)
    child.send_signal(signal.SIGKILL)
    child.wait()
    with MemoryStore(data_dir, embedder=embedder) as store:  # type: ignore[arg-type]
        assert _record(store).passphrase.n in (2**15, 2**17)  # type: ignore[union-attr]
        store.vault.unlock("old passphrase")
        assert {i: store.reveal_secret(i) for i in secrets} == secrets
        assert _record(store).passphrase.n == 2**17  # type: ignore[union-attr]
