"""One secret catalogue for all of Engram: capture redaction, the vault rules, chat saving
and export read the same rules (:mod:`memory.secrets.catalogue`) through the same scanner.

Public API::

    scan(text) -> list[SecretMatch]            every secret in text (rule id, label, kind,
                                               sensitivity, span, value)
    redact(text) -> (text, list[SecretMatch])  secrets replaced by "[REDACTED:<label>]"
    redact_values(text, values)                known values (revealed vault secrets) replaced
    SecretScanner(extra_patterns)              the same with the user's own patterns
    RULES, Rule, PLACEHOLDER, placeholder(label)
    luhn_valid, iban_valid, card_valid, shannon_entropy, looks_random

Text about to be stored from a conversation goes through
``memory.secrets.saving.scrub_for_saving(store, *texts)`` (revealed vault values and
catalogue secrets replaced); export can use ``redact`` on any text it writes in clear.
"""

from memory.secrets.catalogue import RULES, Rule
from memory.secrets.scanner import (
    PLACEHOLDER,
    SecretMatch,
    SecretScanner,
    default_scanner,
    placeholder,
    redact,
    redact_values,
    replace_matches,
    scan,
)
from memory.secrets.validators import (
    card_valid,
    iban_valid,
    looks_random,
    luhn_valid,
    shannon_entropy,
)

__all__ = [
    "PLACEHOLDER", "RULES", "Rule", "SecretMatch", "SecretScanner", "card_valid",
    "default_scanner", "iban_valid", "looks_random", "luhn_valid", "placeholder", "redact",
    "redact_values", "replace_matches", "scan", "shannon_entropy",
]
