"""Typed errors.

Two kinds, as in qutebrowser: a :class:`KnownError` is an environment or input problem the
user can act on, and carries a sentence saying how; anything else is a bug and is logged
with its traceback.
"""

from __future__ import annotations


class KnownError(Exception):
    """A failure with a message a user can act on."""

    def text(self) -> str:
        return str(self)


class InvalidInput(KnownError):
    """The caller gave something the store cannot accept (unknown type, wrong field type...)."""


class NotFound(KnownError):
    """No memory (or frame) with that id."""


class ModelMissing(KnownError):
    """An on-device model file is not installed."""


class EmbeddingMismatch(KnownError):
    """The vector index was built with a different embedding model or dimension."""


class StoreUnavailable(KnownError):
    """The database or vector index cannot be opened or written (locked, read-only, disk full)."""


class VaultLocked(KnownError):
    """A vault secret was needed but the vault is locked."""


class BadArchive(KnownError):
    """An archive is malformed, tampered with, or from an unknown future format."""
