"""Passphrase encryption of a whole archive file, chunked so it streams both ways.

Layout: a fixed header, then the zip's bytes cut into chunks of ``chunk_size`` plaintext
bytes, each sealed with AES-256-GCM under a key derived from the passphrase with scrypt.
The header is the associated data of every chunk (authenticated headers); a chunk's nonce is
``prefix(7) || index(4, big endian) || last(1)``, so chunks cannot be reordered, dropped or
cut off without the final tag failing. A check tag (an empty plaintext sealed with its own
nonce) tells a wrong passphrase apart from a damaged file.

The reader is seekable (chunk ``i`` sits at a known offset), so :mod:`zipfile` reads an
encrypted archive in place, holding only a few chunks in memory.
"""

from __future__ import annotations

import io
import os
import struct
from collections import OrderedDict
from typing import TYPE_CHECKING, BinaryIO

from memory.errors import BadArchive, InvalidInput

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer, WriteableBuffer

MAGIC = b"ENGRAMX1"
CONTAINER_VERSION = 1
KDF_SCRYPT = 1
DEFAULT_LOG2_N = 15
DEFAULT_R = 8
DEFAULT_P = 1
DEFAULT_CHUNK = 1 << 20
SALT_BYTES = 16
PREFIX_BYTES = 7
TAG_BYTES = 16
KEY_BYTES = 32
#: magic, version, kdf, log2 n, r, p, salt, chunk size, nonce prefix
_HEADER = struct.Struct(f">8sBBBBB{SALT_BYTES}sI{PREFIX_BYTES}s")
HEADER_BYTES = _HEADER.size + TAG_BYTES
#: Checked on the header BEFORE deriving, so a crafted archive cannot make scrypt eat the
#: machine: scrypt needs 128 * r * N bytes and time in proportion to N * r * p. The caps
#: allow 8x Engram's own cost (2^15, 8, 1: 32 MiB), at most 256 MiB and 2^22 block mixes.
MAX_LOG2_N, MAX_R, MAX_P = 18, 16, 4
MAX_SCRYPT_MEMORY = 256 << 20
MAX_SCRYPT_WORK = 1 << 22
MIN_CHUNK, MAX_CHUNK = 1 << 10, 1 << 24
_CHECK_INDEX = 0xFFFFFFFF


def is_encrypted(path: str | os.PathLike[str]) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def scrypt_params_allowed(log2_n: int, r: int, p: int) -> bool:
    """Whether an archive may ask for this scrypt cost (memory and time both capped)."""
    return (
        1 <= log2_n <= MAX_LOG2_N and 1 <= r <= MAX_R and 1 <= p <= MAX_P
        and 128 * r * (1 << log2_n) <= MAX_SCRYPT_MEMORY
        and (1 << log2_n) * r * p <= MAX_SCRYPT_WORK
    )


def _derive(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    if not scrypt_params_allowed(log2_n, r, p):
        raise BadArchive(
            f"The archive asks for a key derivation cost (scrypt N=2^{log2_n}, r={r}, p={p}) "
            "beyond what Engram allows; refused before deriving anything."
        )
    if not passphrase:
        raise InvalidInput("The archive passphrase cannot be empty.")
    return Scrypt(salt=salt, length=KEY_BYTES, n=1 << log2_n, r=r, p=p).derive(
        passphrase.encode("utf-8")
    )


def _nonce(prefix: bytes, index: int, flag: int) -> bytes:
    return prefix + struct.pack(">IB", index, flag)


class EncryptingWriter(io.RawIOBase):
    """A write-only, non-seekable stream that seals what it is given into ``sink``.

    ``tell()`` reports plaintext bytes written, which is all :mod:`zipfile` needs to write
    to an unseekable file. Call :meth:`finish` after the zip is closed to seal the last
    chunk; without it the file is (detectably) truncated.
    """

    def __init__(
        self,
        sink: BinaryIO,
        passphrase: str,
        *,
        chunk_size: int = DEFAULT_CHUNK,
        log2_n: int = DEFAULT_LOG2_N,
    ) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        super().__init__()
        if not MIN_CHUNK <= chunk_size <= MAX_CHUNK:
            raise InvalidInput(f"Chunk size must be between {MIN_CHUNK} and {MAX_CHUNK} bytes.")
        if not scrypt_params_allowed(log2_n, DEFAULT_R, DEFAULT_P):
            raise InvalidInput(f"scrypt cost 2^{log2_n} is outside what a reader accepts.")
        salt, prefix = os.urandom(SALT_BYTES), os.urandom(PREFIX_BYTES)
        self._aead = AESGCM(_derive(passphrase, salt, log2_n, DEFAULT_R, DEFAULT_P))
        self._header = _HEADER.pack(
            MAGIC, CONTAINER_VERSION, KDF_SCRYPT, log2_n, DEFAULT_R, DEFAULT_P, salt,
            chunk_size, prefix,
        )
        self._prefix = prefix
        self._chunk = chunk_size
        self._sink = sink
        self._buffer = bytearray()
        self._index = 0
        self._position = 0
        check = self._aead.encrypt(_nonce(prefix, _CHECK_INDEX, 2), b"", self._header)
        sink.write(self._header + check)

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def tell(self) -> int:
        return self._position

    def write(self, data: ReadableBuffer) -> int:
        view = memoryview(data).cast("B")
        self._buffer += view
        self._position += len(view)
        while len(self._buffer) > self._chunk:
            self._emit(bytes(self._buffer[: self._chunk]), last=False)
            del self._buffer[: self._chunk]
        return len(view)

    def _emit(self, plaintext: bytes, *, last: bool) -> None:
        if self._index >= _CHECK_INDEX:
            raise InvalidInput("The archive is too large for its chunk size.")
        nonce = _nonce(self._prefix, self._index, 1 if last else 0)
        self._sink.write(self._aead.encrypt(nonce, plaintext, self._header))
        self._index += 1

    def finish(self) -> None:
        """Seal the final chunk (marked last) and flush the sink."""
        self._emit(bytes(self._buffer), last=True)
        self._buffer.clear()
        self._sink.flush()


class DecryptingReader(io.RawIOBase):
    """A seekable read-only view of the plaintext of an encrypted archive.

    Opening checks the passphrase and the final chunk (so a truncated or extended file is
    refused at once); every chunk is authenticated when it is read.
    """

    CACHE_CHUNKS = 4

    def __init__(self, source: BinaryIO, passphrase: str) -> None:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        super().__init__()
        self._invalid_tag = InvalidTag
        self._source = source
        raw_header = source.read(HEADER_BYTES)
        if len(raw_header) < HEADER_BYTES or not raw_header.startswith(MAGIC):
            raise BadArchive("This file is not an encrypted Engram archive, or it is cut short.")
        header, check = raw_header[: _HEADER.size], raw_header[_HEADER.size :]
        _magic, version, kdf, log2_n, r, p, salt, chunk, prefix = _HEADER.unpack(header)
        if version != CONTAINER_VERSION or kdf != KDF_SCRYPT:
            raise BadArchive(
                f"This archive uses encryption version {version}; this Engram reads version "
                f"{CONTAINER_VERSION}. Update Engram to open it."
            )
        if not MIN_CHUNK <= chunk <= MAX_CHUNK:
            raise BadArchive("The archive's encryption header is damaged (bad chunk size).")
        self._aead = AESGCM(_derive(passphrase, salt, log2_n, r, p))
        self._header, self._prefix, self._chunk = header, prefix, chunk
        try:
            self._aead.decrypt(_nonce(prefix, _CHECK_INDEX, 2), check, header)
        except InvalidTag:
            raise BadArchive(
                "Wrong passphrase for this archive (or its header is damaged)."
            ) from None
        body = source.seek(0, io.SEEK_END) - HEADER_BYTES
        sealed = chunk + TAG_BYTES
        self._chunks = max(1, -(-body // sealed))
        last_len = body - (self._chunks - 1) * sealed
        if body < TAG_BYTES or last_len < TAG_BYTES:
            raise BadArchive("The archive is truncated: its last encrypted chunk is missing.")
        self._size = body - self._chunks * TAG_BYTES
        self._cache: OrderedDict[int, bytes] = OrderedDict()
        self._position = 0
        self._chunk_plain(self._chunks - 1)

    @property
    def size(self) -> int:
        return self._size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        position = base + offset
        if position < 0:
            raise OSError("negative seek position")
        self._position = position
        return position

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        done = 0
        while done < len(view) and self._position < self._size:
            index, start = divmod(self._position, self._chunk)
            plain = self._chunk_plain(index)
            take = min(len(view) - done, len(plain) - start)
            view[done : done + take] = plain[start : start + take]
            done += take
            self._position += take
        return done

    def _chunk_plain(self, index: int) -> bytes:
        cached = self._cache.get(index)
        if cached is not None:
            self._cache.move_to_end(index)
            return cached
        sealed = self._chunk + TAG_BYTES
        self._source.seek(HEADER_BYTES + index * sealed)
        blob = self._source.read(sealed)
        last = index == self._chunks - 1
        try:
            plain = self._aead.decrypt(
                _nonce(self._prefix, index, 1 if last else 0), blob, self._header
            )
        except self._invalid_tag:
            where = "cut short or extended" if last else f"damaged (chunk {index})"
            raise BadArchive(
                f"The encrypted archive is {where}; it cannot be trusted. Export it again."
            ) from None
        self._cache[index] = plain
        if len(self._cache) > self.CACHE_CHUNKS:
            self._cache.popitem(last=False)
        return plain

    def close(self) -> None:
        if not self.closed:
            self._source.close()
        super().close()
