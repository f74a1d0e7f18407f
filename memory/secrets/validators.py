"""Checksums and measures that tell a real secret or number from text that only looks like
one: Luhn (cards, Canadian SIN), IBAN mod-97, Verhoeff (Aadhaar), the Dutch 11-test, the
Spanish DNI letter, the US SSN and UK NI number rules, and Shannon entropy."""

from __future__ import annotations

import math
import re
from collections import Counter


def digits_of(text: str) -> str:
    return re.sub(r"\D", "", text)


def luhn_valid(digits: str) -> bool:
    """The Luhn check digit of card numbers (and Canadian SINs) holds."""
    digits = digits_of(digits)
    if not digits:
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


#: How card numbers are printed when grouped: 4-4-4-4 (and 4-4-4-4-3), Amex 4-6-5, Diners
#: 4-6-4. An order or ticket number grouped otherwise ("113-7719302-1045583") is no card,
#: even when its digits happen to pass Luhn (one in ten does).
_CARD_GROUPS = {(4, 4, 4, 4), (4, 4, 4, 4, 3), (4, 4, 4, 4, 2), (4, 4, 4, 1), (4, 6, 5),
                (4, 6, 4)}


def card_valid(text: str) -> bool:
    """A payment card number: a card network's leading digit (2-6: Mastercard, Amex,
    Diners, JCB, Visa, Discover, UnionPay, Maestro), 13-19 digits printed as cards are, and
    the Luhn check."""
    digits = digits_of(text)
    groups = tuple(len(g) for g in re.split(r"[ -]", text.strip()) if g)
    if len(groups) > 1 and groups not in _CARD_GROUPS:
        return False
    return (13 <= len(digits) <= 19 and digits[0] in "23456" and len(set(digits)) > 1
            and luhn_valid(digits))


def iban_valid(candidate: str) -> bool:
    """ISO 13616 mod-97 check of an IBAN, spaces ignored."""
    compact = candidate.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34 or not compact.isalnum():
        return False
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def ssn_valid(text: str) -> bool:
    """A US social security number the SSA could issue (area, group and serial rules)."""
    digits = digits_of(text)
    if len(digits) != 9:
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return (area not in ("000", "666") and not area.startswith("9") and group != "00"
            and serial != "0000")


_NINO_BAD_PREFIX = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}


def nino_valid(text: str) -> bool:
    """A UK National Insurance number shape HMRC allows (prefix letters and suffix A-D)."""
    compact = text.replace(" ", "").upper()
    if not re.fullmatch(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]", compact):
        return False
    return compact[:2] not in _NINO_BAD_PREFIX


def sin_valid(text: str) -> bool:
    digits = digits_of(text)
    return len(digits) == 9 and luhn_valid(digits)


def bsn_valid(text: str) -> bool:
    """Dutch citizen service number: the 11-test."""
    digits = digits_of(text)
    if len(digits) != 9 or digits == "0" * 9:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def dni_valid(text: str) -> bool:
    """Spanish DNI/NIE: the control letter matches the number."""
    compact = text.replace("-", "").replace(" ", "").upper()
    match = re.fullmatch(r"([XYZ]?)(\d{7,8})([A-Z])", compact)
    if not match:
        return False
    prefix = str("XYZ".index(match.group(1))) if match.group(1) else ""
    return _DNI_LETTERS[int(prefix + match.group(2)) % 23] == match.group(3)


_VERHOEFF_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_VERHOEFF_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2], [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]


def verhoeff_valid(text: str) -> bool:
    digits = digits_of(text)
    if not digits:
        return False
    check = 0
    for index, char in enumerate(reversed(digits)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[index % 8][int(char)]]
    return check == 0


def aadhaar_valid(text: str) -> bool:
    digits = digits_of(text)
    return len(digits) == 12 and digits[0] not in "01" and verhoeff_valid(digits)


def shannon_entropy(value: str) -> float:
    """Bits per character of ``value``'s own character distribution."""
    if not value:
        return 0.0
    counts = Counter(value)
    size = len(value)
    return -sum(n / size * math.log2(n / size) for n in counts.values())


def looks_random(value: str, *, min_length: int = 16, min_entropy: float = 3.0) -> bool:
    """A token with mixed letters and digits and high entropy, as generated keys are; not a
    word, a path, an identifier in snake case or a plain number."""
    if len(value) < min_length:
        return False
    if not any(c.isdigit() for c in value) or not any(c.isalpha() for c in value):
        return False
    if re.fullmatch(r"[a-z]+(?:[_.-][a-z0-9]+)*", value):  # dotted / snake identifiers
        return False
    return shannon_entropy(value) >= min_entropy


def secret_value_plausible(value: str) -> bool:
    """A value assigned to a secret-looking name that is worth keeping: not a placeholder,
    a variable reference, a type annotation or an empty-ish literal."""
    stripped = value.strip("'\"`")
    if len(stripped) < 6:
        return False
    lower = stripped.lower()
    if lower in _NOT_SECRETS or lower.startswith(("${", "$(", "{{", "<", "%(", "os.", "env.",
                                                  "process.env", "self.", "settings.")):
        return False
    if re.fullmatch(r"[xX*•.#_-]+", stripped) or "redacted" in lower:
        return False
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*(?:\(\)?)?", stripped):
        # an identifier or attribute chain (code, not a value) unless it has digits mixed in
        return looks_random(stripped, min_length=12)
    return True


_NOT_SECRETS = {
    "none", "null", "true", "false", "undefined", "password", "secret", "token", "changeme",
    "example", "your_token", "your_api_key", "placeholder", "str", "string", "bytes", "optional",
    "required", "default", "getenv", "environ", "not set", "notset", "unset", "empty",
    "passphrase", "passwd", "pass", "pwd", "int", "bool", "float", "any", "dict", "list",
}


def literal_plausible(value: str) -> bool:
    """A value written after a password label that is a value, not code or a placeholder."""
    stripped = value.strip("'\"`").rstrip(",;)")
    lower = stripped.lower()
    if len(stripped) < 4 or lower in _NOT_SECRETS or "redacted" in lower:
        return False
    if re.fullmatch(r"[xX*•.#_-]+|\W+", stripped):
        return False
    if lower.startswith(("${", "$(", "{{", "<", "%(", "os.", "env.", "process.env", "self.",
                         "settings.", "config.", "args.", "getenv", "get_", "input(", "getpass")):
        return False
    return not re.search(r"[()\[\]{}]", stripped)


def assigned_value_plausible(value: str) -> bool:
    """The value of ``NAME=value`` where NAME looks secret. A quoted value is a literal; an
    unquoted one must not be a variable, attribute chain or call (code, not a secret)."""
    quoted = len(value) >= 2 and value[0] in "'\"`" and value[-1] == value[0]
    stripped = value.strip("'\"`")
    if not literal_plausible(stripped):
        return False
    if quoted:  # a constant made of lower-case words is a name, not a secret
        return (len(stripped) >= 6 and " " not in stripped
                and not re.fullmatch(r"[a-z]+(?:[-_.][a-z]+)*", stripped))
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*", stripped):
        return looks_random(stripped, min_length=12) or bool(
            re.search(r"\d", stripped) and re.search(r"[a-z]", stripped)
            and not re.fullmatch(r"[a-z_]+\d?", stripped) and "_" not in stripped
        )
    if re.fullmatch(r"[a-z][a-z0-9+.-]*://\S*", stripped):
        return "@" in stripped  # a URL is a secret only when it carries a credential
    return not re.fullmatch(r"\d{1,6}|[\d.]+", stripped)
