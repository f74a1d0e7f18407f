"""Deterministic vault extractors: API keys, credentials, account numbers, contacts,
addresses and bookmarks, each with a sensitivity. Secrets come from the one secret catalogue
(:mod:`memory.secrets`, shared with capture redaction, chat and export); this module only
turns them into captioned vault candidates."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from memory.extraction.candidates import Candidate
from memory.secrets import looks_random, scan

SENSITIVITY = {
    "api_key": "high",
    "credential": "high",
    "account_number": "high",
    "address": "medium",
    "contact": "low",
    "bookmark": "low",
}

_USERNAME = re.compile(
    r"\b(?:user(?:name)?|login|e-?mail|account)\b\s*[:=]\s*(?P<value>[\w.+@-]{3,64})",
    re.IGNORECASE,
)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_NAMED_EMAIL = re.compile(
    r"(?P<name>[A-Z][\w'-]+(?: [A-Z][\w'.-]+){1,3})\s*[<(\[]\s*(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
)
_PHONE = re.compile(
    r"\b(?:phone|tel|mobile|cell)\b\s*[:.]?\s*(?P<value>\+?\d[\d ().-]{6,18}\d)", re.IGNORECASE
)
_STREET = re.compile(
    r"\b\d{1,5}[A-Za-z]? (?:[A-Z][\w.'-]* ){1,4}(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|"
    r"Boulevard|Blvd\.?|Lane|Ln\.?|Drive|Dr\.?|Way|Court|Ct\.?|Place|Pl\.?|Square|Sq\.?)"
    r"(?=\W|$)"
)
_CITY_LINE = re.compile(r"^(?:[A-Z][\w .,'-]{1,40}\d[\w -]{0,8}|\d{4,5}\s+[A-Z][\w .'-]{1,30})$")
_URL = re.compile(r"\bhttps?://[^\s<>\"')\]]+")


@dataclass(frozen=True)
class Secret:
    """A secret found in text: the value to encrypt and how to describe it without it."""

    entry_type: str
    caption: str
    value: str = field(repr=False)
    sensitivity: str = "high"


def _context_label(lines: Sequence[str], index: int, fallback: str) -> str:
    """A short human label for a secret on ``lines[index]``: its own label text or the line
    above it."""
    line = lines[index]
    head = re.split(r"[:=]", line, maxsplit=1)[0].strip(" -•*\t")
    if 2 <= len(head) <= 60 and not looks_random(head):
        return head
    if index > 0 and len(lines[index - 1]) <= 60:
        return lines[index - 1].strip()
    return fallback


def find_secrets(lines: Sequence[str], where: str) -> list[Secret]:
    """Every secret of the catalogue (:mod:`memory.secrets`) in ``lines``: keys, passwords,
    account and card numbers, identity numbers; ``where`` (app/window) goes into the
    caption so the user can tell entries apart. The lines are scanned joined, so a private
    key's body or a value under its label is found whole."""
    found: dict[str, Secret] = {}
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    for match in scan("\n".join(lines)):
        index = max(0, bisect_right(starts, match.start) - 1)
        value = match.value.strip().rstrip(".,;")
        if not value or value.startswith("[vault"):
            continue
        if match.rule_id == "iban":  # kept in print form: OCR often drops the spaces
            compact = value.replace(" ", "")
            value = " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))
        label = _caption_label(lines, index, match.rule_id, match.label)
        if value not in found:
            caption = f"{label} ({where})" if where else label
            found[value] = Secret(match.kind, caption.replace(value, "…"), value,
                                  match.sensitivity)
    return list(found.values())


def _caption_label(lines: Sequence[str], index: int, rule_id: str, label: str) -> str:
    if label == "password":
        user = _nearby_username(lines, index)
        return f"Password for {user}" if user else "Password"
    if label == "iban":
        return "IBAN"
    if label == "card_number":
        return "Payment card"
    if label in ("national_id", "one_time_code"):
        return _rule_name(rule_id)
    if label == "account_number":
        return _context_label(lines, index, "Account number")
    return _label_or(lines, index, _rule_name(rule_id))


def _rule_name(rule_id: str) -> str:
    words = rule_id.removesuffix("-labelled").split("-")
    return " ".join([words[0].capitalize(), *words[1:]])


def _label_or(lines: Sequence[str], index: int, name: str) -> str:
    label = _context_label(lines, index, name)
    return name if label == name or looks_random(label) else f"{name}: {label}"


def _nearby_username(lines: Sequence[str], index: int) -> str | None:
    for line in lines[max(0, index - 3) : index + 2]:
        match = _USERNAME.search(line)
        if match:
            return match.group("value")
    return None


def secret_candidates(secrets: Sequence[Secret], source: str) -> list[Candidate]:
    return [
        Candidate(
            type="vault",
            fields={
                "entry_type": s.entry_type,
                "source": source,
                "sensitivity": s.sensitivity,
                "caption": s.caption,
                "secret_value": s.value,
            },
            key=f"{s.entry_type}:{s.caption}",
            confidence=0.95,
            tree_path=f"vault/{s.entry_type}",
        )
        for s in secrets
    ]


def contact_candidates(lines: Sequence[str], source: str) -> list[Candidate]:
    """People with an email or phone number shown next to their name."""
    contacts: dict[str, list[str]] = {}
    for i, line in enumerate(lines):
        for match in _NAMED_EMAIL.finditer(line):
            name = match.group("name").strip()
            name = re.sub(r"^(?:From|To|Cc|Bcc|Reply-To)\s+", "", name)
            contacts.setdefault(name, [])
            if match.group("email") not in contacts[name]:
                contacts[name].append(match.group("email"))
            for near in lines[i : i + 12]:
                phone = _PHONE.search(near)
                if phone and phone.group("value") not in contacts[name]:
                    contacts[name].append(phone.group("value"))
    return [
        Candidate(
            type="vault",
            fields={
                "entry_type": "contact",
                "source": source,
                "sensitivity": SENSITIVITY["contact"],
                "caption": f"Contact: {name}",
                "secret_value": "\n".join(details),
            },
            key=f"contact:{name}",
            confidence=0.9,
            tree_path="vault/contact",
            entities=[name],
        )
        for name, details in contacts.items()
        if " " in name
    ]


def address_candidates(lines: Sequence[str], source: str, where: str) -> list[Candidate]:
    """Postal addresses: a street line, with the city/postcode line after it."""
    out: list[Candidate] = []
    for i, line in enumerate(lines):
        match = _STREET.search(line)
        if not match:
            continue
        parts = [line[match.start():].strip()]
        if i + 1 < len(lines) and _CITY_LINE.search(lines[i + 1].strip()):
            parts.append(lines[i + 1].strip())
        label = _context_label(lines, i, "Address") if ":" in line[: match.start()] else (
            lines[i - 1].strip() if i > 0 and lines[i - 1].strip().endswith(":") else "Address"
        )
        label = label.rstrip(":")
        caption = f"{label} ({where})" if where else label
        out.append(
            Candidate(
                type="vault",
                fields={
                    "entry_type": "address",
                    "source": source,
                    "sensitivity": SENSITIVITY["address"],
                    "caption": caption,
                    "secret_value": ", ".join(parts),
                },
                key=f"address:{', '.join(parts)}",
                confidence=0.85,
                tree_path="vault/address",
            )
        )
    return out


def bookmark_candidates(lines: Sequence[str], source: str, title: str) -> list[Candidate]:
    """Links listed on a bookmarks page or bar: caption is the link's label."""
    if "bookmark" not in (title + " " + " ".join(lines[:3])).lower():
        return []
    out: list[Candidate] = []
    for line in lines:
        match = _URL.search(line)
        if not match:
            continue
        label = line[: match.start()].strip(" -–—:•*|\t") or match.group(0)
        out.append(
            Candidate(
                type="vault",
                fields={
                    "entry_type": "bookmark",
                    "source": source,
                    "sensitivity": SENSITIVITY["bookmark"],
                    "caption": f"Bookmark: {label}",
                    "secret_value": match.group(0),
                },
                key=f"bookmark:{match.group(0)}",
                confidence=0.9,
                tree_path="vault/bookmark",
            )
        )
    return out


def redact(text: str, secrets: Sequence[Secret]) -> str:
    """``text`` with every secret value replaced by a reference to its vault caption. A
    secret over several lines (a private key) is also replaced line by line, since callers
    redact one line at a time."""
    pieces: list[tuple[str, str]] = []
    for secret in secrets:
        pieces.append((secret.value, secret.entry_type))
        if "\n" in secret.value:
            pieces += [(part.strip(), secret.entry_type) for part in secret.value.split("\n")
                       if len(part.strip()) >= 8]
    for value, entry_type in sorted(pieces, key=lambda p: len(p[0]), reverse=True):
        if value in text:
            text = text.replace(value, f"[vault: {entry_type}]")
    return text
