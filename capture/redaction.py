"""Finds secrets and personal numbers in OCR text before anything is stored.

Stored text gets a typed placeholder (``[REDACTED:api_key]``); the boxes of the lines that
held a secret are blurred in the stored image so the pixels cannot be read back; the
secrets themselves are returned to the caller, which seals them for the knowledge vault.
No secret is ever logged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw, ImageFilter

from capture.ocr import Box, OcrLine, OcrResult
from memory.errors import InvalidInput

if TYPE_CHECKING:
    from memory.store import MemoryStore

#: (kind, pattern); the named group ``secret`` (else the whole match) is what is redacted.
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("private_key", r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----"),
    ("api_key", r"\bAKIA[0-9A-Z]{16}\b"),
    ("api_key", r"\bgh[pousr]_[A-Za-z0-9]{30,}\b"),
    ("api_key", r"\bgithub_pat_[A-Za-z0-9_]{40,}\b"),
    ("api_key", r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b"),
    ("api_key", r"\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}\b"),
    ("api_key", r"\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}\b"),
    ("api_key", r"\bAIza[0-9A-Za-z_-]{35}\b"),
    ("api_key", r"\bglpat-[A-Za-z0-9_-]{20,}\b"),
    ("token", r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b"),
    ("token", r"(?i)\bbearer\s+(?P<secret>[A-Za-z0-9._~+/-]{20,}=*)"),
    ("api_key",
     r"(?i)\b(?:api[_ -]?key|access[_ -]?key|secret[_ -]?key|client[_ -]?secret|auth[_ -]?token"
     r"|access[_ -]?token|token)\b\s*[:=]\s*['\"]?(?P<secret>[A-Za-z0-9_\-./+]{12,})"),
    ("password",
     r"(?i)\b(?:password|passwd|passphrase|pwd|pass|pin|kennwort|mot de passe)\b\s*[:=]\s*"
     r"['\"]?(?P<secret>\S{4,})"),
)
_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
_PLACEHOLDER = re.compile(r"\[REDACTED:[a-z_]+\]")


@dataclass(frozen=True)
class FoundSecret:
    """One secret: its kind and value (kept in memory only, sealed before storage)."""

    kind: str
    value: str = field(repr=False)
    line_index: int | None = None

    def __str__(self) -> str:  # never show the value by accident
        return f"FoundSecret({self.kind})"


@dataclass
class RedactionResult:
    text: str
    lines: list[OcrLine]
    secrets: list[FoundSecret]
    boxes: list[Box]

    @property
    def ocr(self) -> OcrResult:
        return OcrResult(self.text, self.lines)


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def iban_valid(candidate: str) -> bool:
    compact = candidate.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in moved)
    return int(number) % 97 == 1


class Redactor:
    """Finds and replaces secrets. ``extra_patterns`` are the user's own regular
    expressions (their matches are redacted as ``custom``)."""

    def __init__(self, extra_patterns: list[str] | None = None) -> None:
        self._patterns = [(kind, re.compile(pattern)) for kind, pattern in _PATTERNS]
        for pattern in extra_patterns or []:
            try:
                self._patterns.append(("custom", re.compile(pattern)))
            except re.error as exc:
                raise InvalidInput(
                    f"The redaction pattern {pattern!r} is not a valid regular expression "
                    f"({exc}); fix it in Settings."
                ) from exc

    def _spans(self, text: str) -> list[tuple[int, int, str]]:
        spans: list[tuple[int, int, str]] = []
        for kind, pattern in self._patterns:
            for match in pattern.finditer(text):
                group = "secret" if "secret" in pattern.groupindex else 0
                if match.group(group):
                    spans.append((match.start(group), match.end(group), kind))
        for match in _CARD.finditer(text):
            digits = re.sub(r"\D", "", match.group(0))
            if 13 <= len(digits) <= 19 and luhn_valid(digits):
                spans.append((match.start(), match.end(), "card_number"))
        for match in _IBAN.finditer(text):
            if iban_valid(match.group(0)):
                spans.append((match.start(), match.end(), "iban"))
        done = [(m.start(), m.end()) for m in _PLACEHOLDER.finditer(text)]
        spans = [span for span in spans
                 if not any(span[0] < end and start < span[1] for start, end in done)]
        spans.sort(key=lambda span: (span[0], -span[1]))
        merged: list[tuple[int, int, str]] = []
        for start, end, kind in spans:
            if merged and start < merged[-1][1]:
                last_start, last_end, last_kind = merged[-1]
                merged[-1] = (last_start, max(last_end, end), last_kind)
            else:
                merged.append((start, end, kind))
        return merged

    def redact_text(self, text: str, *, line_index: int | None = None
                    ) -> tuple[str, list[FoundSecret]]:
        spans = self._spans(text)
        if not spans:
            return text, []
        parts, found, cursor = [], [], 0
        for start, end, kind in spans:
            parts.append(text[cursor:start])
            parts.append(f"[REDACTED:{kind}]")
            found.append(FoundSecret(kind, text[start:end], line_index))
            cursor = end
        parts.append(text[cursor:])
        return "".join(parts), found

    def redact_ocr(self, result: OcrResult) -> RedactionResult:
        """Redact each OCR line; a secret split over two lines is also caught by scanning
        the joined text, and then both lines' boxes are blurred."""
        lines, secrets, boxes = [], [], []
        for index, line in enumerate(result.lines):
            text, found = self.redact_text(line.text, line_index=index)
            if found:
                secrets.extend(found)
                boxes.append(line.box)
            lines.append(OcrLine(text, line.box, line.confidence))
        joined = "\n".join(line.text for line in lines)
        _, across = self.redact_text(joined.replace("\n", " "))
        if across:
            # Something only visible across line breaks: redact every line it touches.
            flat = joined.replace("\n", " ")
            for secret in across:
                start = flat.find(secret.value)
                if start < 0:
                    continue
                offset = 0
                for index, line in enumerate(lines):
                    end = offset + len(line.text)
                    if start < end + 1 and start + len(secret.value) > offset:
                        lines[index] = OcrLine(f"[REDACTED:{secret.kind}]", line.box,
                                               line.confidence)
                        boxes.append(line.box)
                    offset = end + 1
                secrets.append(FoundSecret(secret.kind, secret.value))
        return RedactionResult("\n".join(line.text for line in lines), lines, secrets,
                               sorted(set(boxes)))


def blur_boxes(image: Image.Image, boxes: list[Box], *, margin: int = 4) -> Image.Image:
    """A copy of ``image`` with each box made unreadable: the region is shrunk to a few
    blocks (destroying the glyphs), blown back up, blurred and overlaid with its mean
    colour, so OCR finds no characters there."""
    out = image.convert("RGB").copy()
    draw = ImageDraw.Draw(out)
    for left, top, right, bottom in boxes:
        box = (max(0, left - margin), max(0, top - margin),
               min(out.width, right + margin), min(out.height, bottom + margin))
        if box[2] <= box[0] or box[3] <= box[1]:
            continue
        region = out.crop(box)
        blocks = (max(1, region.width // 24), 1)
        smeared = region.resize(blocks, Image.Resampling.BOX).resize(
            region.size, Image.Resampling.BILINEAR
        ).filter(ImageFilter.GaussianBlur(radius=max(2, region.height // 3)))
        out.paste(smeared, box[:2])
        draw.rectangle(box, outline=smeared.getpixel((0, 0)))
    return out


# -- handing secrets to the knowledge vault ---------------------------------------------------

CANDIDATE_KEY_META = "capture_candidate_key"
_CANDIDATE_KEY_ID = "capture-candidate-private-key"
_CANDIDATE_INFO = b"engram-capture-candidate-v1"
VAULT_ENTRY_TYPES = {"api_key": "api_key", "token": "api_key", "private_key": "credential",
                     "password": "credential", "card_number": "account_number",
                     "iban": "account_number", "custom": "other"}


def _derive(shared: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_CANDIDATE_INFO).derive(
        shared
    )


def seal_to(public_key: bytes, plaintext: bytes) -> bytes:
    """Seal to an X25519 public key (ephemeral key + HKDF + AES-GCM): anyone can seal,
    only the private key's holder can open."""
    import os

    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    ephemeral = X25519PrivateKey.generate()
    key = _derive(ephemeral.exchange(X25519PublicKey.from_public_bytes(public_key)))
    nonce = os.urandom(12)
    ephemeral_public = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return ephemeral_public + nonce + AESGCM(key).encrypt(nonce, plaintext, ephemeral_public)


def open_sealed_to(private_key: bytes, blob: bytes) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    ephemeral_public, nonce, body = blob[:32], blob[32:44], blob[44:]
    key = _derive(X25519PrivateKey.from_private_bytes(private_key).exchange(
        X25519PublicKey.from_public_bytes(ephemeral_public)))
    return AESGCM(key).decrypt(nonce, body, ephemeral_public)


class SecretKeeper:
    """Turns redacted secrets into sealed vault candidates, and candidates into vault
    entries once the vault is unlocked.

    A candidate is sealed to a public key kept in the store's meta; its private half is
    itself encrypted with the vault's data key. So capture can keep a secret while the
    vault is locked, and nothing can read it back without the passphrase. Before the vault
    has ever been unlocked there is no key pair: the secret is discarded (and counted)."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store

    def public_key(self) -> bytes | None:
        import base64
        import json

        record = self.store.get_meta(CANDIDATE_KEY_META)
        if record is None:
            return None
        return base64.b64decode(json.loads(record)["public"])

    def ensure_key(self) -> bytes | None:
        """Create the key pair if the vault is unlocked and there is none; the public key."""
        import base64
        import json

        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
        from cryptography.hazmat.primitives.serialization import (
            Encoding,
            NoEncryption,
            PrivateFormat,
            PublicFormat,
        )

        existing = self.public_key()
        if existing is not None or not self.store.vault.is_unlocked:
            return existing
        private = X25519PrivateKey.generate()
        raw_private = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        wrapped = self.store.vault.encrypt(_CANDIDATE_KEY_ID, raw_private.hex())
        self.store.set_meta(CANDIDATE_KEY_META, json.dumps({
            "public": base64.b64encode(public).decode(),
            "private": base64.b64encode(wrapped).decode(),
        }))
        return public

    def seal(self, secret: FoundSecret) -> bytes | None:
        public = self.ensure_key()
        if public is None:
            return None
        return seal_to(public, secret.value.encode("utf-8"))

    def promote(self) -> int:
        """Move every candidate into the vault (needs it unlocked); the number moved."""
        import base64
        import json

        from memory.store import NewMemory

        if not self.store.vault.is_unlocked:
            return 0
        record = self.store.get_meta(CANDIDATE_KEY_META)
        if record is None:
            return 0
        wrapped = base64.b64decode(json.loads(record)["private"])
        private = bytes.fromhex(self.store.vault.decrypt(_CANDIDATE_KEY_ID, wrapped))
        rows = self.store.reader.execute(
            "SELECT id, frame_id, kind, caption, sealed FROM capture_vault_candidates ORDER BY id"
        ).fetchall()
        if not rows:
            return 0
        # A secret stays on screen for many frames: one vault entry per secret value, and a
        # sighting already in the vault only adds its frame to that entry's provenance.
        known = {
            _secret_key(str(m.fields["secret_value"])): m
            for m in self.store.get_many(
                [m.id for m in self.store.list("vault", limit=1_000_000)], reveal=True
            )
        }
        new: dict[str, NewMemory] = {}
        seen_again: dict[str, list[int]] = {}
        for _id, frame_id, kind, caption, sealed in rows:
            value = open_sealed_to(private, bytes(sealed)).decode("utf-8")
            key = _secret_key(value)
            frames = [frame_id] if frame_id is not None else []
            if key in known:
                seen_again.setdefault(key, []).extend(frames)
            elif key in new:
                provenance = new[key].provenance or {"frames": [], "messages": []}
                provenance["frames"].extend(f for f in frames if f not in provenance["frames"])
            else:
                new[key] = NewMemory(
                    type="vault",
                    fields={
                        "entry_type": VAULT_ENTRY_TYPES.get(kind, "other"),
                        "source": "screen",
                        "sensitivity": "high",
                        "caption": caption,
                        "secret_value": value,
                    },
                    source="screen",
                    provenance={"frames": frames, "messages": []},
                    reason="secret seen on screen",
                )
        self.store.add_many(list(new.values()))
        for key, frames in seen_again.items():
            memory = known[key]
            added = [f for f in dict.fromkeys(frames) if f not in memory.provenance["frames"]]
            if added:
                self.store.update(
                    memory.id,
                    provenance={"frames": [*memory.provenance["frames"], *added],
                                "messages": memory.provenance["messages"]},
                    reason="secret seen on screen again",
                )
            self.store.touch([memory.id])
        ids = [row[0] for row in rows]
        self.store.writer.write(lambda db: db.execute(
            f"DELETE FROM capture_vault_candidates WHERE id IN ({','.join('?' * len(ids))})", ids
        ))
        return len(ids)


def _secret_key(value: str) -> str:
    """Two sightings are the same secret when they match ignoring white space (OCR drops
    and inserts spaces, for example inside an IBAN)."""
    return "".join(value.split())
