"""Deterministic vault extractors: API keys, credentials, account numbers, contacts,
addresses and bookmarks, each with a sensitivity. Secrets are found by pattern and checked
(Luhn, IBAN mod-97, entropy) so that ordinary words are not mistaken for them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from memory.extraction.candidates import Candidate

SENSITIVITY = {
    "api_key": "high",
    "credential": "high",
    "account_number": "high",
    "address": "medium",
    "contact": "low",
    "bookmark": "low",
}

_KNOWN_KEYS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("OpenAI API key", re.compile(r"\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}")),
    ("Stripe key", re.compile(r"\b[sprk]k_(?:live|test)_[A-Za-z0-9]{16,}")),
    ("AWS access key", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})")),
    ("GitLab token", re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}")),
    ("Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("Hugging Face token", re.compile(r"\bhf_[A-Za-z0-9]{30,}")),
)
_LABELLED_KEY = re.compile(
    r"(?P<label>[A-Za-z][\w .-]{0,40}?(?:api[ _-]?key|token|secret|access[ _-]?key|client[ _-]?"
    r"secret|webhook secret))\s*[:=]\s*[\"']?(?P<value>[A-Za-z0-9_\-./+]{16,})",
    re.IGNORECASE,
)
_PASSWORD = re.compile(
    r"\b(?:password|passwd|passphrase|pwd|pin)\b\s*[:=]\s*(?P<value>\S{4,64})", re.IGNORECASE
)
_USERNAME = re.compile(
    r"\b(?:user(?:name)?|login|e-?mail|account)\b\s*[:=]\s*(?P<value>[\w.+@-]{3,64})",
    re.IGNORECASE,
)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
_CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
_ACCOUNT = re.compile(
    r"\b(?:account|acct|routing|sort code)(?: number| no\.?| #)?\s*[:#]\s*(?P<value>[\d][\d -]{4,22}\d)",
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
    value: str


def luhn_ok(digits: str) -> bool:
    total, parity = 0, len(digits) % 2
    for i, ch in enumerate(digits):
        d = int(ch)
        if i % 2 == parity:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return total % 10 == 0


def iban_ok(text: str) -> bool:
    iban = text.replace(" ", "")
    if not 15 <= len(iban) <= 34:
        return False
    moved = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in moved)
    return int(digits) % 97 == 1


def looks_random(value: str) -> bool:
    """A token with letters and digits mixed, as keys are; not a word or a plain number."""
    return (
        len(value) >= 16
        and any(c.isdigit() for c in value)
        and any(c.isalpha() for c in value)
        and len(set(value)) >= 10
    )


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
    """Every API key, password and account number in ``lines``; ``where`` (app/window)
    goes into the caption so the user can tell entries apart."""
    found: dict[str, Secret] = {}

    def keep(entry_type: str, label: str, value: str) -> None:
        value = value.strip().rstrip(".,;")
        if "REDACTED" in value.upper() or value.startswith("[vault"):
            return  # capture already took this secret out of the text
        if value and value not in found:
            caption = f"{label} ({where})" if where else label
            found[value] = Secret(entry_type, caption.replace(value, "…"), value)

    for i, line in enumerate(lines):
        for name, pattern in _KNOWN_KEYS:
            for match in pattern.finditer(line):
                keep("api_key", _label_or(lines, i, name), match.group(0))
        for match in _LABELLED_KEY.finditer(line):
            if looks_random(match.group("value")):
                keep("api_key", match.group("label").strip(), match.group("value"))
        for match in _PASSWORD.finditer(line):
            user = _nearby_username(lines, i)
            label = f"Password for {user}" if user else "Password"
            keep("credential", label, match.group("value"))
        for match in _IBAN.finditer(line):
            if iban_ok(match.group(0)):  # kept in print form: OCR often drops the spaces
                compact = match.group(0).replace(" ", "")
                keep("account_number", "IBAN",
                     " ".join(compact[i:i + 4] for i in range(0, len(compact), 4)))
        for match in _ACCOUNT.finditer(line):
            keep("account_number", _context_label(lines, i, "Account number"),
                 match.group("value"))
        for match in _CARD.finditer(line):
            digits = re.sub(r"\D", "", match.group(0))
            if 13 <= len(digits) <= 19 and luhn_ok(digits) and match.group(0) not in found:
                keep("account_number", "Payment card", match.group(0))
    return list(found.values())


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
                "sensitivity": SENSITIVITY[s.entry_type],
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
    """``text`` with every secret value replaced by a reference to its vault caption."""
    for secret in sorted(secrets, key=lambda s: len(s.value), reverse=True):
        if secret.value in text:
            text = text.replace(secret.value, f"[vault: {secret.entry_type}]")
    return text
