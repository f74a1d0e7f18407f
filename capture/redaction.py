"""Finds secrets and personal numbers in OCR text before anything is stored.

The formats come from the one secret catalogue (:mod:`memory.secrets`). Stored text gets a
typed placeholder (``[REDACTED:api_key]``); the boxes of the lines that held a secret are
blurred in the stored image so the pixels cannot be read back; the secrets themselves are
returned to the caller, which seals them into the knowledge vault (even while it is locked).
No secret is ever logged.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw, ImageFilter

from capture.ocr import Box, OcrLine, OcrResult
from memory.errors import VaultLocked
from memory.secrets import SecretMatch, SecretScanner, placeholder
from memory.vault_intake import SEALED_PREFIX

if TYPE_CHECKING:
    from memory.store import Memory, MemoryStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FoundSecret:
    """One secret: its placeholder label, the vault kind, the catalogue rule that found it
    and its value (kept in memory only, sealed before storage)."""

    kind: str
    value: str = field(repr=False)
    line_index: int | None = None
    entry_type: str = "other"
    rule_id: str = "custom"
    sensitivity: str = "high"

    def __str__(self) -> str:  # never show the value by accident
        return f"FoundSecret({self.kind})"

    @classmethod
    def of(cls, match: SecretMatch, line_index: int | None = None) -> FoundSecret:
        return cls(match.label, match.value, line_index, match.kind, match.rule_id,
                   match.sensitivity)


@dataclass
class RedactionResult:
    text: str
    lines: list[OcrLine]
    secrets: list[FoundSecret]
    boxes: list[Box]

    @property
    def ocr(self) -> OcrResult:
        return OcrResult(self.text, self.lines)


class Redactor:
    """Finds and replaces secrets. ``extra_patterns`` are the user's own regular
    expressions (their matches are redacted as ``custom``)."""

    def __init__(self, extra_patterns: Sequence[str] | None = None) -> None:
        self.scanner = SecretScanner(list(extra_patterns or []))

    def redact_text(self, text: str, *, line_index: int | None = None
                    ) -> tuple[str, list[FoundSecret]]:
        redacted, matches = self.scanner.redact(text)
        return redacted, [FoundSecret.of(m, line_index) for m in matches]

    def redact_ocr(self, result: OcrResult) -> RedactionResult:
        """Scan the lines joined, so a secret split over lines (a private key's body, a
        value under its label) is found; every line a secret touches is rewritten with the
        placeholder and its box blurred."""
        texts = [line.text for line in result.lines]
        joined = "\n".join(texts)
        matches = self.scanner.scan(joined)
        if not matches:
            return RedactionResult(joined, list(result.lines), [], [])
        starts, offset = [], 0
        for text in texts:
            starts.append(offset)
            offset += len(text) + 1
        # per line: the (start, end, label) pieces to cut, in line coordinates
        cuts: dict[int, list[tuple[int, int, str]]] = {}
        secrets: list[FoundSecret] = []
        for match in matches:
            first = None
            for index, (start, text) in enumerate(zip(starts, texts, strict=True)):
                end = start + len(text)
                if match.start <= end and match.end > start:
                    lo, hi = max(match.start, start) - start, min(match.end, end) - start
                    if hi > lo:
                        cuts.setdefault(index, []).append((lo, hi, match.label))
                        first = index if first is None else first
            secrets.append(FoundSecret.of(match, first))
        lines, boxes = [], []
        for index, line in enumerate(result.lines):
            pieces = cuts.get(index)
            if not pieces:
                lines.append(line)
                continue
            text, cursor, parts = line.text, 0, []
            for lo, hi, label in sorted(pieces):
                parts.append(text[cursor:lo])
                parts.append(placeholder(label))
                cursor = max(cursor, hi)
            parts.append(text[cursor:])
            lines.append(OcrLine("".join(parts), line.box, line.confidence))
            boxes.append(line.box)
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


@dataclass(frozen=True)
class Sighting:
    """Where a secret was seen: the frame (if any), the app and when."""

    frame_id: int | None
    app: str | None
    at: str | None


class SecretKeeper:
    """Puts redacted secrets into the knowledge vault at once, locked or not.

    While the vault is locked the store seals each value to the vault's public key
    (:class:`memory.vault_crypto.IntakeVaultKeys`): the entry is listed straight away with
    its caption, kind, frame and time, and its value opens only after unlock. A secret seen
    again in this process (keyed by an HMAC under a key that lives only in memory, so no
    fingerprint of a secret is ever stored) adds its frame to the entry it already has;
    :meth:`settle` merges repeats across runs once the vault is unlocked. Only a vault that
    has never been set up cannot keep a secret: it is counted as discarded."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store
        self._key = os.urandom(32)
        self._seen: dict[bytes, str] = {}
        #: Vault entries this keeper has created (sealed or not).
        self.added = 0
        self._settled_at = -1

    def _fingerprint(self, value: str) -> bytes:
        return hmac.new(self._key, _secret_key(value).encode("utf-8"), hashlib.sha256).digest()

    def keep(self, secrets: Sequence[FoundSecret], where: Sighting) -> tuple[int, int]:
        """Store each secret in the vault; (entries added or extended, secrets discarded)."""
        from memory.store import NewMemory

        if not secrets:
            return 0, 0
        if not self.store.vault.can_seal:
            return 0, len(secrets)
        frames = [where.frame_id] if where.frame_id is not None else []
        new: dict[bytes, NewMemory] = {}
        again: list[str] = []
        for secret in secrets:
            fingerprint = self._fingerprint(secret.value)
            if fingerprint in self._seen:
                again.append(self._seen[fingerprint])
            elif fingerprint not in new:
                new[fingerprint] = NewMemory(
                    type="vault",
                    fields={
                        "entry_type": secret.entry_type,
                        "source": "screen",
                        "sensitivity": secret.sensitivity,
                        "caption": caption_for(secret, where.app),
                        "secret_value": secret.value,
                    },
                    source="screen",
                    provenance={"frames": list(frames), "messages": []},
                    created_at=where.at,
                    reason="secret seen on screen",
                )
        try:
            ids = self.store.add_many(list(new.values()))
        except VaultLocked:  # the vault was reset meanwhile: nothing can hold the secret
            return 0, len(secrets)
        self._seen.update(zip(new, ids, strict=True))
        self.added += len(ids)
        for memory_id in dict.fromkeys(again):
            self._add_frames(memory_id, frames)
        return len(ids) + len(set(again)), 0

    def _add_frames(self, memory_id: str, frames: list[int]) -> None:
        memory = self.store.get(memory_id)
        added = [f for f in frames if f not in memory.provenance["frames"]]
        if added and not memory.deleted:
            self.store.update(memory_id, provenance={
                "frames": [*memory.provenance["frames"], *added],
                "messages": memory.provenance["messages"]}, reason="secret seen on screen again")

    def settle(self) -> int:
        """With the vault unlocked: move the older sealed candidates in, re-encrypt sealed
        entries under the data key and merge entries holding the same secret (their frames
        joined). The number of entries changed or removed."""
        if not self.store.vault.is_unlocked:
            return 0
        changed = self._promote_candidates()
        pending = self.store.reader.execute(
            "SELECT count(*) FROM vault_memory WHERE substr(secret_value, 1, 3) = ?", [SEALED_PREFIX]
        ).fetchone()[0]
        if not changed and not pending and self.added == self._settled_at:
            return 0  # nothing new since the last run: no need to open every entry
        self._settled_at = self.added
        entries = self.store.get_many(
            [m.id for m in self.store.list("vault", limit=1_000_000)], reveal=True)
        sealed = {
            row[0] for row in self.store.reader.execute(
                "SELECT id FROM vault_memory WHERE substr(secret_value, 1, 3) = ?",
                [SEALED_PREFIX])
        }
        by_value: dict[tuple[str, str], list[Memory]] = {}
        for memory in entries:
            value = str(memory.fields["secret_value"])
            if value:
                by_value.setdefault((memory.fields["entry_type"], _secret_key(value)),
                                    []).append(memory)
        for group in by_value.values():
            group.sort(key=lambda m: (m.id in sealed, m.created_at))
            keeper, rest = group[0], group[1:]
            frames = list(keeper.provenance["frames"])
            for other in rest:
                frames += [f for f in other.provenance["frames"] if f not in frames]
            if keeper.id in sealed or frames != keeper.provenance["frames"]:
                self.store.update(
                    keeper.id,
                    {"secret_value": keeper.fields["secret_value"]} if keeper.id in sealed
                    else None,
                    provenance={"frames": frames, "messages": keeper.provenance["messages"]},
                    reason="sealed secret opened after unlock",
                )
                changed += 1
            for other in rest:
                self.store.purge(other.id)
                changed += 1
        self._seen.clear()
        return changed

    def _promote_candidates(self) -> int:
        """Secrets an older version kept in ``capture_vault_candidates``: into the vault."""
        from memory.store import NewMemory

        rows = self.store.reader.execute(
            "SELECT id, frame_id, kind, caption, sealed, created_at "
            "FROM capture_vault_candidates ORDER BY id").fetchall()
        if not rows:
            return 0
        self.store.add_many([
            NewMemory(
                type="vault",
                fields={"entry_type": _LEGACY_KINDS.get(kind, "other"), "source": "screen",
                        "sensitivity": "high", "caption": caption,
                        "secret_value": self.store.vault.open_candidate(bytes(sealed))},
                source="screen",
                provenance={"frames": [frame_id] if frame_id is not None else [],
                            "messages": []},
                created_at=created_at,
                reason="secret seen on screen",
            )
            for _id, frame_id, kind, caption, sealed, created_at in rows
        ])
        ids = [row[0] for row in rows]
        self.store.writer.write(lambda db: db.execute(
            f"DELETE FROM capture_vault_candidates WHERE id IN ({','.join('?' * len(ids))})", ids
        ))
        return len(ids)


_LEGACY_KINDS = {"api_key": "api_key", "token": "api_key", "private_key": "credential",
                 "password": "credential", "card_number": "account_number",
                 "iban": "account_number"}


def caption_for(secret: FoundSecret, app: str | None) -> str:
    """What the vault list shows for a secret seen on screen (never the value)."""
    what = secret.rule_id.removesuffix("-labelled").replace("-", " ")
    return f"{what} seen in {app or 'an unknown app'}"


def _secret_key(value: str) -> str:
    """Two sightings are the same secret when they match ignoring white space (OCR drops
    and inserts spaces, for example inside an IBAN)."""
    return "".join(value.split())
