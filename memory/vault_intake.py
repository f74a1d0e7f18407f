"""Sealed intake: the knowledge vault takes secrets while it is locked.

An X25519 key pair belongs to the vault: the public half is kept in clear, the private half
encrypted under the vault's data key (:mod:`memory.vault_crypto`). While the vault is
locked, a secret is sealed to the public key (ephemeral X25519 + HKDF-SHA256 + AES-256-GCM,
the memory id bound in as associated data): it can be stored and listed at once, and read
only after unlock.
"""

from __future__ import annotations

import base64
import json
import os
import threading
from collections.abc import Callable
from typing import Any

from memory.errors import VaultLocked
from memory.vault_crypto import KEY_BYTES, NONCE_BYTES, VaultKeys

#: Meta key of the intake key pair (the name predates this class: existing pairs stay valid).
INTAKE_META_KEY = "capture_candidate_key"
INTAKE_KEY_ID = "capture-candidate-private-key"
INTAKE_INFO = b"engram-capture-candidate-v1"
SEALED_PREFIX = b"ES1"


def _intake_key(shared: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None,
                info=INTAKE_INFO).derive(shared)


def seal_to(public_key: bytes, plaintext: bytes, aad: bytes = b"") -> bytes:
    """Seal to an X25519 public key (ephemeral key + HKDF-SHA256 + AES-256-GCM): anyone
    holding the public key can seal; only the private key's holder can open. ``aad`` binds
    the ciphertext to its place (a memory id)."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    ephemeral = X25519PrivateKey.generate()
    key = _intake_key(ephemeral.exchange(X25519PublicKey.from_public_bytes(public_key)))
    nonce = os.urandom(NONCE_BYTES)
    ephemeral_public = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return ephemeral_public + nonce + AESGCM(key).encrypt(nonce, plaintext,
                                                          ephemeral_public + aad)


def open_sealed_to(private_key: bytes, blob: bytes, aad: bytes = b"") -> bytes:
    """Open what :func:`seal_to` sealed; raises ``cryptography``'s InvalidTag on a wrong key
    or a ciphertext moved elsewhere."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    ephemeral_public, nonce, body = blob[:32], blob[32:32 + NONCE_BYTES], blob[32 + NONCE_BYTES:]
    key = _intake_key(X25519PrivateKey.from_private_bytes(private_key).exchange(
        X25519PublicKey.from_public_bytes(ephemeral_public)))
    return AESGCM(key).decrypt(nonce, body, ephemeral_public + aad)


class IntakeVaultKeys(VaultKeys):
    """Vault keys that can also take a secret while locked.

    An X25519 key pair belongs to the vault: the public half is kept in clear, the private
    half encrypted under the vault's data key. While the vault is locked, :meth:`encrypt`
    seals a secret to the public key (``ES1`` blobs): it can be stored at once and listed
    (caption, kind, frame, time) but read only after unlock, when :meth:`decrypt` opens it
    with the private half. A vault without a pair gets one at its next unlock; before the
    vault has ever been set up there is no pair and a locked write raises VaultLocked."""

    def __init__(
        self,
        load: Callable[[], str | None],
        save: Callable[[str], None],
        *,
        load_intake: Callable[[], str | None],
        save_intake: Callable[[str], None],
        keyring_backend: Any | None = None,
    ):
        super().__init__(load, save, keyring_backend=keyring_backend)
        self._load_intake = load_intake
        self._save_intake = save_intake
        self._intake_lock = threading.Lock()

    # Every way of unlocking ends by making sure the intake pair exists.
    def unlock(self, passphrase: str) -> None:
        super().unlock(passphrase)
        self.ensure_intake_key()

    def unlock_with_keyring(self) -> bool:
        opened = super().unlock_with_keyring()
        if opened:
            self.ensure_intake_key()
        return opened

    def create_with_keyring(self, account: str) -> None:
        super().create_with_keyring(account)
        self.ensure_intake_key()

    def intake_public_key(self) -> bytes | None:
        record = self._load_intake()
        return None if record is None else base64.b64decode(json.loads(record)["public"])

    @property
    def can_seal(self) -> bool:
        """A secret can be stored now: the vault is unlocked or has an intake key."""
        return self.is_unlocked or self.intake_public_key() is not None

    def ensure_intake_key(self) -> bytes | None:
        """Create the pair if the vault is unlocked and has none; the public key (None when
        locked without a pair)."""
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
        from cryptography.hazmat.primitives.serialization import (
            Encoding,
            NoEncryption,
            PrivateFormat,
            PublicFormat,
        )

        with self._intake_lock:
            existing = self.intake_public_key()
            if existing is not None or not self.is_unlocked:
                return existing
            private = X25519PrivateKey.generate()
            raw_private = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
            public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
            wrapped = super().encrypt(INTAKE_KEY_ID, raw_private.hex())
            self._save_intake(json.dumps({
                "public": base64.b64encode(public).decode(),
                "private": base64.b64encode(wrapped).decode(),
            }))
            return public

    def _intake_private_key(self) -> bytes:
        record = self._load_intake()
        if record is None:
            raise VaultLocked("This vault entry was sealed to a key this vault no longer has.")
        wrapped = base64.b64decode(json.loads(record)["private"])
        return bytes.fromhex(super().decrypt(INTAKE_KEY_ID, wrapped))

    def encrypt(self, memory_id: str, secret: str) -> bytes:
        if self.is_unlocked:
            return super().encrypt(memory_id, secret)
        public = self.intake_public_key()
        if public is None:
            raise VaultLocked(
                "The knowledge vault has never been unlocked, so Engram has no key to keep "
                "secrets with; set a vault passphrase once (Vault in the app, or "
                "`engram vault list --passphrase-file F`)."
            )
        return SEALED_PREFIX + seal_to(public, secret.encode("utf-8"), memory_id.encode())

    def decrypt(self, memory_id: str, blob: bytes) -> str:
        if not is_sealed(blob):
            return super().decrypt(memory_id, blob)
        from cryptography.exceptions import InvalidTag

        private = self._intake_private_key()
        try:
            return open_sealed_to(private, blob[len(SEALED_PREFIX):],
                                  memory_id.encode()).decode("utf-8")
        except (InvalidTag, ValueError) as exc:
            raise VaultLocked("This sealed vault entry is damaged or was moved.") from exc

    def open_candidate(self, blob: bytes) -> str:
        """A secret of the older candidate table (sealed without a memory id)."""
        return open_sealed_to(self._intake_private_key(), blob).decode("utf-8")


def is_sealed(blob: bytes | None) -> bool:
    """True for a secret sealed while the vault was locked (still to be re-encrypted)."""
    return bool(blob) and bytes(blob).startswith(SEALED_PREFIX)  # type: ignore[arg-type]
