"""Encryption of knowledge-vault secrets at rest.

Each secret is sealed with AES-256-GCM under one random *data key*; the memory id is bound
in as associated data, so a ciphertext moved to another row fails to open. The data key is
never stored in clear. It is wrapped by a key derived from the user's passphrase (scrypt),
and/or kept in the OS keyring (package ``keyring``) where one is available, so the vault can
open without typing anything. Changing the passphrase re-wraps the data key; no secret is
re-encrypted.

The key record (kept by the store in its ``meta`` table) is one JSON object::

    {"kdf": "scrypt", "salt": b64, "n": int, "r": int, "p": int, "wrapped": b64,   # passphrase
     "keyring": {"service": str, "account": str},                                 # optional
     "check": b64}                                                                # optional

A keyring-only vault has ``"kdf": "keyring"`` and no passphrase fields. ``check`` is a known
value sealed under the data key; it proves that a key fetched from the keyring is this
vault's key before anything is encrypted with it.

New passphrase wraps use scrypt with ``n = SCRYPT_N`` (2^17, OWASP's minimum for scrypt);
a vault wrapped with weaker parameters (Engram once used 2^15) is re-wrapped at its next
successful unlock. The re-wrap is one replacement of the key record: a kill at any moment
leaves either the old record or the new one, and both open the same data key.

While unlocked, the data key lives in one ``bytearray`` owned by :class:`VaultKeys`; locking
overwrites it with zeros and drops it. With ``idle_lock_seconds`` set, the vault locks itself
after that long without :meth:`VaultKeys.note_activity` (a timer thread, armed only while
unlocked) and tells its lock listeners.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from memory.errors import InvalidInput, KnownError, VaultLocked

log = logging.getLogger(__name__)

SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1
NONCE_BYTES = 12
KEY_BYTES = 32
WRAP_AAD = b"engram-vault-key-v1"
CHECK_AAD = b"engram-vault-check-v1"
CHECK_PLAINTEXT = b"engram vault key check"
KEYRING_SERVICE = "engram-vault"
SECRET_PREFIX = b"EV1"


def derive_key(passphrase: str, salt: bytes, n: int = SCRYPT_N, r: int = SCRYPT_R,
               p: int = SCRYPT_P) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    if not passphrase:
        raise InvalidInput("The vault passphrase cannot be empty.")
    return Scrypt(salt=salt, length=KEY_BYTES, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def seal(key: bytes | bytearray, plaintext: bytes, aad: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def open_sealed(key: bytes | bytearray, blob: bytes, aad: bytes) -> bytes:
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "kdf": "scrypt",
            "salt": base64.b64encode(self.salt).decode(),
            "n": self.n,
            "r": self.r,
            "p": self.p,
            "wrapped": base64.b64encode(self.wrapped).decode(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    @classmethod
    def from_json(cls, text: str) -> WrappedKey:
        return cls.from_dict(json.loads(text))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WrappedKey:
        return cls(
            salt=base64.b64decode(data["salt"]),
            n=int(data["n"]),
            r=int(data["r"]),
            p=int(data["p"]),
            wrapped=base64.b64decode(data["wrapped"]),
        )

    @classmethod
    def create(cls, data_key: bytes | bytearray, passphrase: str) -> WrappedKey:
        salt = os.urandom(16)
        kek = derive_key(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
        return cls(salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, seal(kek, bytes(data_key), WRAP_AAD))

    @property
    def is_weak(self) -> bool:
        """Derived with less work than new wraps get: re-wrap it at the next unlock."""
        return self.n < SCRYPT_N or self.r < SCRYPT_R or self.p < SCRYPT_P

    def unwrap(self, passphrase: str) -> bytes:
        kek = derive_key(passphrase, self.salt, self.n, self.r, self.p)
        try:
            return open_sealed(kek, self.wrapped, WRAP_AAD)
        except VaultLocked:
            raise VaultLocked("Wrong vault passphrase.") from None


@dataclass(frozen=True)
class KeyRecord:
    """How this vault's data key is kept: passphrase-wrapped, in the OS keyring, or both."""

    passphrase: WrappedKey | None = None
    keyring_account: str | None = None
    keyring_service: str = KEYRING_SERVICE
    check: bytes | None = None

    def to_json(self) -> str:
        data: dict[str, Any] = self.passphrase.to_dict() if self.passphrase else {"kdf": "keyring"}
        if self.keyring_account is not None:
            data["keyring"] = {"service": self.keyring_service, "account": self.keyring_account}
        if self.check is not None:
            data["check"] = base64.b64encode(self.check).decode()
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> KeyRecord:
        data = json.loads(text)
        ring = data.get("keyring") or {}
        return cls(
            passphrase=WrappedKey.from_dict(data) if "wrapped" in data else None,
            keyring_account=ring.get("account"),
            keyring_service=ring.get("service", KEYRING_SERVICE),
            check=base64.b64decode(data["check"]) if data.get("check") else None,
        )


def system_keyring() -> Any | None:
    """The OS keyring backend, or None where there is none (a headless machine, a CI box)."""
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or float(getattr(backend, "priority", 0)) <= 0:
        return None
    return backend


class VaultKeys:
    """The vault's key state for one session: locked (captions only) or unlocked.

    ``load``/``save`` read and write the key record (the store keeps it in its meta table),
    so this class knows nothing of SQLite. ``keyring_backend`` is the keyring to use; by
    default the OS keyring, looked up only when a keyring operation is asked for (the lookup
    may talk to a desktop service, so a passphrase-only vault never triggers it).
    """

    META_KEY = "vault_key"

    def __init__(
        self,
        load: Callable[[], str | None],
        save: Callable[[str], None],
        *,
        keyring_backend: Any | None = None,
    ):
        self._load = load
        self._save = save
        self._keyring_backend = keyring_backend
        self._data_key: bytearray | None = None
        self._lock = threading.RLock()
        self._idle_lock_seconds = 0.0
        self._last_activity = time.monotonic()
        self._idle_timer: threading.Timer | None = None
        self._auto_lock_listeners: list[Callable[[], None]] = []

    # -- state -------------------------------------------------------------------------

    @property
    def is_set_up(self) -> bool:
        return self._load() is not None

    @property
    def is_unlocked(self) -> bool:
        return self._data_key is not None

    @property
    def has_passphrase(self) -> bool:
        record = self._record()
        return record is not None and record.passphrase is not None

    @property
    def uses_keyring(self) -> bool:
        record = self._record()
        return record is not None and record.keyring_account is not None

    def _record(self) -> KeyRecord | None:
        text = self._load()
        return None if text is None else KeyRecord.from_json(text)

    def _hold(self, data_key: bytes | bytearray) -> None:
        """Keep the data key for this session (caller holds ``_lock``)."""
        self._wipe()
        self._data_key = bytearray(data_key)
        self._last_activity = time.monotonic()
        self._arm_idle_timer()

    def _wipe(self) -> None:
        """Overwrite and drop the data key (caller holds ``_lock``)."""
        if self._data_key is not None:
            self._data_key[:] = bytes(len(self._data_key))
        self._data_key = None
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None

    # -- auto-lock -------------------------------------------------------------------------

    @property
    def idle_lock_seconds(self) -> float:
        return self._idle_lock_seconds

    @idle_lock_seconds.setter
    def idle_lock_seconds(self, seconds: float) -> None:
        """Lock after this long without activity; 0 never locks by itself."""
        with self._lock:
            self._idle_lock_seconds = max(0.0, float(seconds))
            self._arm_idle_timer()

    def note_activity(self) -> None:
        """The user is using the vault (or the app): push the idle lock back."""
        self._last_activity = time.monotonic()

    def add_auto_lock_listener(self, listener: Callable[[], None]) -> None:
        """Called (on the timer thread) each time the vault locks itself for idleness."""
        self._auto_lock_listeners.append(listener)

    def remove_auto_lock_listener(self, listener: Callable[[], None]) -> None:
        if listener in self._auto_lock_listeners:
            self._auto_lock_listeners.remove(listener)

    def lock_if_idle(self) -> bool:
        """Lock when unlocked and idle for ``idle_lock_seconds``; True when it locked now."""
        with self._lock:
            if self._data_key is None or self._idle_lock_seconds <= 0:
                return False
            if time.monotonic() - self._last_activity < self._idle_lock_seconds:
                self._arm_idle_timer()
                return False
            self._wipe()
        log.info("vault locked after %.0f s without activity", self._idle_lock_seconds)
        for listener in list(self._auto_lock_listeners):
            listener()
        return True

    def _arm_idle_timer(self) -> None:
        """(Re)start the timer for the moment the vault becomes idle (caller holds _lock)."""
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None
        if self._data_key is None or self._idle_lock_seconds <= 0:
            return
        due = self._last_activity + self._idle_lock_seconds - time.monotonic()
        timer = threading.Timer(max(0.0, due) + 0.01, self.lock_if_idle)
        timer.name = "engram-vault-idle-lock"
        timer.daemon = True
        self._idle_timer = timer
        timer.start()

    def _keyring(self) -> Any | None:
        return self._keyring_backend if self._keyring_backend is not None else system_keyring()

    def keyring_available(self) -> bool:
        return self._keyring() is not None

    # -- passphrase --------------------------------------------------------------------

    def unlock(self, passphrase: str) -> None:
        """Unlock with the passphrase; the first unlock of a new vault sets the passphrase.
        A key wrapped with weaker scrypt parameters is re-wrapped with the current ones."""
        with self._lock:
            record = self._record()
            if record is None:
                data_key = os.urandom(KEY_BYTES)
                self._save(KeyRecord(
                    passphrase=WrappedKey.create(data_key, passphrase),
                    check=seal(data_key, CHECK_PLAINTEXT, CHECK_AAD),
                ).to_json())
            elif record.passphrase is None:
                raise VaultLocked(
                    "This vault is opened by the OS keyring and has no passphrase yet; "
                    "unlock it from the keyring and set a passphrase first."
                )
            else:
                data_key = record.passphrase.unwrap(passphrase)
                if record.passphrase.is_weak:
                    self._rewrap(record, data_key, passphrase)
            self._hold(data_key)

    def _rewrap(self, record: KeyRecord, data_key: bytes, passphrase: str) -> None:
        """Replace a weak passphrase wrap by one with today's scrypt parameters, in one
        write of the key record; if that write fails the old wrap stays and still opens."""
        try:
            self._save(replace(record, passphrase=WrappedKey.create(data_key, passphrase))
                       .to_json())
        except KnownError as exc:
            log.warning("vault: could not strengthen the passphrase wrap (%s); "
                        "will try again at the next unlock", exc.text())

    def lock(self) -> None:
        with self._lock:
            self._wipe()

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-wrap the data key under a new passphrase; no secret is re-encrypted."""
        with self._lock:
            record = self._record()
            if record is None or record.passphrase is None:
                raise VaultLocked("The vault has no passphrase yet; unlock it to set one.")
            data_key = record.passphrase.unwrap(old)
            self._save(replace(record, passphrase=WrappedKey.create(data_key, new)).to_json())
            self._hold(data_key)

    def set_passphrase(self, new: str) -> None:
        """Add (or replace) the passphrase wrap of an unlocked vault, e.g. a keyring-only one."""
        with self._lock:
            data_key = self._require_key()
            record = self._record() or KeyRecord()
            self._save(replace(
                record,
                passphrase=WrappedKey.create(data_key, new),
                check=record.check or seal(data_key, CHECK_PLAINTEXT, CHECK_AAD),
            ).to_json())

    # -- OS keyring ----------------------------------------------------------------------

    def create_with_keyring(self, account: str) -> None:
        """Set up a new vault whose data key lives in the OS keyring (no passphrase)."""
        with self._lock:
            if self._load() is not None:
                raise InvalidInput("The vault is already set up.")
            backend = self._require_keyring()
            data_key = os.urandom(KEY_BYTES)
            backend.set_password(KEYRING_SERVICE, account, base64.b64encode(data_key).decode())
            self._save(KeyRecord(
                keyring_account=account, check=seal(data_key, CHECK_PLAINTEXT, CHECK_AAD)
            ).to_json())
            self._hold(data_key)

    def enable_keyring(self, account: str) -> None:
        """Also keep the (unlocked) data key in the OS keyring, so no passphrase is needed."""
        with self._lock:
            data_key = self._require_key()
            backend = self._require_keyring()
            record = self._record() or KeyRecord()
            backend.set_password(
                record.keyring_service, account, base64.b64encode(data_key).decode()
            )
            self._save(replace(
                record,
                keyring_account=account,
                check=record.check or seal(data_key, CHECK_PLAINTEXT, CHECK_AAD),
            ).to_json())

    def disable_keyring(self) -> None:
        """Remove the data key from the keyring; refused when no passphrase wrap remains."""
        with self._lock:
            record = self._record()
            if record is None or record.keyring_account is None:
                return
            if record.passphrase is None:
                raise InvalidInput(
                    "Set a vault passphrase before removing the key from the keyring, "
                    "or the vault could never be opened again."
                )
            backend = self._keyring()
            if backend is not None:
                try:
                    backend.delete_password(record.keyring_service, record.keyring_account)
                except Exception as exc:  # keyring raises PasswordDeleteError when absent
                    if type(exc).__name__ != "PasswordDeleteError":
                        raise
            self._save(replace(record, keyring_account=None).to_json())

    def unlock_with_keyring(self) -> bool:
        """Unlock from the OS keyring. False when the vault does not use one, no keyring is
        available here, or it does not hold the key; raises if it holds a wrong key."""
        with self._lock:
            record = self._record()
            if record is None or record.keyring_account is None:
                return False
            backend = self._keyring()
            if backend is None:
                return False
            stored = backend.get_password(record.keyring_service, record.keyring_account)
            if not stored:
                return False
            try:
                data_key = base64.b64decode(stored, validate=True)
            except ValueError:
                data_key = b""
            if len(data_key) != KEY_BYTES or (
                record.check is not None
                and not _opens(data_key, record.check)
            ):
                raise VaultLocked(
                    "The key kept in the OS keyring does not open this vault; unlock it with "
                    "the passphrase instead."
                )
            self._hold(data_key)
            return True

    def _require_keyring(self) -> Any:
        backend = self._keyring()
        if backend is None:
            raise InvalidInput(
                "No OS keyring is available on this machine; the vault is protected by its "
                "passphrase instead."
            )
        return backend

    # -- secrets -----------------------------------------------------------------------

    def encrypt(self, memory_id: str, secret: str) -> bytes:
        with self._lock:
            key = self._require_key()
            return SECRET_PREFIX + seal(key, secret.encode("utf-8"), memory_id.encode())

    def decrypt(self, memory_id: str, blob: bytes) -> str:
        if not blob.startswith(SECRET_PREFIX):
            raise VaultLocked("This vault entry is not in a format Engram can open.")
        with self._lock:
            key = self._require_key()
            plain = open_sealed(key, blob[len(SECRET_PREFIX) :], memory_id.encode())
        return plain.decode("utf-8")

    def _require_key(self) -> bytearray:
        """The held data key; only use it while holding ``_lock`` (lock() zeroes it)."""
        key = self._data_key
        if key is None:
            raise VaultLocked(
                "The knowledge vault is locked; unlock it with your passphrase "
                "(--passphrase-file in the CLI)."
            )
        return key


def _opens(data_key: bytes, check: bytes) -> bool:
    try:
        return open_sealed(data_key, check, CHECK_AAD) == CHECK_PLAINTEXT
    except VaultLocked:
        return False
