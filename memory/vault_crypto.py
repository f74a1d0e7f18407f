"""Encryption of knowledge-vault secrets at rest.

Each secret is sealed with AES-256-GCM under one random *data key*; the memory id is bound
in as associated data, so a ciphertext moved to another row fails to open. The data key is
never stored in clear: it is wrapped with a key derived from the user's passphrase (scrypt)
and, where the OS offers a keyring, may also be kept there. Changing the passphrase re-wraps
the data key; no secret is re-encrypted.
"""

from __future__ import annotations

import base64
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass

from memory.errors import InvalidInput, VaultLocked

SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
NONCE_BYTES = 12
KEY_BYTES = 32
WRAP_AAD = b"engram-vault-key-v1"
SECRET_PREFIX = b"EV1"


def derive_key(passphrase: str, salt: bytes, n: int = SCRYPT_N, r: int = SCRYPT_R,
               p: int = SCRYPT_P) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    if not passphrase:
        raise InvalidInput("The vault passphrase cannot be empty.")
    return Scrypt(salt=salt, length=KEY_BYTES, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def open_sealed(key: bytes, blob: bytes, aad: bytes) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except (InvalidTag, ValueError) as exc:
        raise VaultLocked("The passphrase is wrong or the vault data is damaged.") from exc


@dataclass(frozen=True)
class WrappedKey:
    """The data key sealed under a passphrase-derived key, as kept in the store's meta."""

    salt: bytes
    n: int
    r: int
    p: int
    wrapped: bytes

    def to_json(self) -> str:
        return json.dumps(
            {
                "kdf": "scrypt",
                "salt": base64.b64encode(self.salt).decode(),
                "n": self.n,
                "r": self.r,
                "p": self.p,
                "wrapped": base64.b64encode(self.wrapped).decode(),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> WrappedKey:
        data = json.loads(text)
        return cls(
            salt=base64.b64decode(data["salt"]),
            n=int(data["n"]),
            r=int(data["r"]),
            p=int(data["p"]),
            wrapped=base64.b64decode(data["wrapped"]),
        )

    @classmethod
    def create(cls, data_key: bytes, passphrase: str) -> WrappedKey:
        salt = os.urandom(16)
        kek = derive_key(passphrase, salt)
        return cls(salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, seal(kek, data_key, WRAP_AAD))

    def unwrap(self, passphrase: str) -> bytes:
        kek = derive_key(passphrase, self.salt, self.n, self.r, self.p)
        try:
            return open_sealed(kek, self.wrapped, WRAP_AAD)
        except VaultLocked:
            raise VaultLocked("Wrong vault passphrase.") from None


class VaultKeys:
    """The vault's key state for one session: locked (captions only) or unlocked.

    ``load``/``save`` read and write the wrapped key record (the store keeps it in its meta
    table), so this class knows nothing of SQLite.
    """

    META_KEY = "vault_key"

    def __init__(self, load: Callable[[], str | None], save: Callable[[str], None]):
        self._load = load
        self._save = save
        self._data_key: bytes | None = None
        self._lock = threading.Lock()

    @property
    def is_set_up(self) -> bool:
        return self._load() is not None

    @property
    def is_unlocked(self) -> bool:
        return self._data_key is not None

    def unlock(self, passphrase: str) -> None:
        """Unlock with the passphrase; the first unlock of a new vault sets the passphrase."""
        with self._lock:
            record = self._load()
            if record is None:
                data_key = os.urandom(KEY_BYTES)
                self._save(WrappedKey.create(data_key, passphrase).to_json())
            else:
                data_key = WrappedKey.from_json(record).unwrap(passphrase)
            self._data_key = data_key

    def lock(self) -> None:
        with self._lock:
            self._data_key = None

    def change_passphrase(self, old: str, new: str) -> None:
        record = self._load()
        if record is None:
            raise VaultLocked("The vault has no passphrase yet; unlock it to set one.")
        data_key = WrappedKey.from_json(record).unwrap(old)
        self._save(WrappedKey.create(data_key, new).to_json())
        self._data_key = data_key

    def encrypt(self, memory_id: str, secret: str) -> bytes:
        key = self._require_key()
        return SECRET_PREFIX + seal(key, secret.encode("utf-8"), memory_id.encode())

    def decrypt(self, memory_id: str, blob: bytes) -> str:
        key = self._require_key()
        if not blob.startswith(SECRET_PREFIX):
            raise VaultLocked("This vault entry is not in a format Engram can open.")
        return open_sealed(key, blob[len(SECRET_PREFIX) :], memory_id.encode()).decode("utf-8")

    def _require_key(self) -> bytes:
        key = self._data_key
        if key is None:
            raise VaultLocked(
                "The knowledge vault is locked; unlock it with your passphrase "
                "(--passphrase-file in the CLI)."
            )
        return key
