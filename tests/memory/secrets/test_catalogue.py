"""The one secret catalogue: every rule has fixtures that it finds (and near misses it
leaves alone), redaction writes typed placeholders, values never show in a repr."""

from __future__ import annotations

import pytest

from bench.secret_corpus import CASES, Case
from memory.schema import TYPE_FIELDS
from memory.secrets import RULES, SecretScanner, placeholder, redact, redact_values, scan

BY_ID = {rule.id: rule for rule in RULES}
ENTRY_TYPES = next(spec for spec in TYPE_FIELDS["vault"] if spec.name == "entry_type").choices


def test_the_catalogue_is_data_with_at_least_sixty_formats_each_with_fixtures() -> None:
    assert len(RULES) >= 60
    assert len(BY_ID) == len(RULES)  # ids are unique
    assert {case.rule for case in CASES} == set(BY_ID)
    for rule in RULES:
        assert rule.kind in ENTRY_TYPES, rule.id
        assert rule.sensitivity in ("low", "medium", "high"), rule.id
        assert placeholder(rule.label).startswith("[REDACTED:")


POSITIVES = [(case.rule, line, secret) for case in CASES for line, secret in case.positives]
NEGATIVES = [(case.rule, line) for case in CASES for line in case.negatives]


@pytest.mark.parametrize(("rule_id", "line", "secret"), POSITIVES,
                         ids=[f"{r}-{i}" for i, (r, _l, _s) in enumerate(POSITIVES)])
def test_each_format_is_found_with_its_value(rule_id: str, line: str, secret: str) -> None:
    found = [m for m in scan(line) if m.value == secret]
    assert found, f"{rule_id} missed"
    assert found[0].label == BY_ID[rule_id].label
    redacted, _ = redact(line)
    assert secret not in redacted
    assert placeholder(BY_ID[rule_id].label) in redacted


@pytest.mark.parametrize(("rule_id", "line"), NEGATIVES,
                         ids=[f"{r}-{i}" for i, (r, _l) in enumerate(NEGATIVES)])
def test_near_misses_are_left_alone(rule_id: str, line: str) -> None:
    assert scan(line) == [], rule_id


def test_each_rule_finds_its_own_fixture_alone() -> None:
    """A rule is not dead weight hidden behind another: run alone, it finds its fixture."""
    for case in CASES:
        scanner = SecretScanner(rules=[BY_ID[case.rule]])
        for line, secret in case.positives:
            assert secret in [m.value for m in scanner.scan(line)], case.rule


def test_secret_names_match_after_an_underscore() -> None:
    """The old labelled-key pattern had ``\\b`` before the name, which never matches after
    ``_``: AWS_SECRET_ACCESS_KEY= and *_TOKEN= values stayed in clear."""
    for line, value in [("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
                         "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"),
                        ("MY_SERVICE_TOKEN=q8Jz2LmX0pA7vR3n", "q8Jz2LmX0pA7vR3n"),
                        ("STAGING_DB_PASSWORD=Tr1cky-one", "Tr1cky-one"),
                        ("APP_CLIENT_SECRET: zz9-Plural-Z-Alpha", "zz9-Plural-Z-Alpha")]:
        assert [m.value for m in scan(line)] == [value], line


def test_values_never_show_in_a_repr() -> None:
    (match,) = scan("Password: Tr0ub4dor&3horse")
    assert "Tr0ub4dor" not in repr(match) and "Tr0ub4dor" not in str(match)


def test_redacting_twice_changes_nothing_more() -> None:
    text = "GITHUB_TOKEN=abcDEF123456ghiJKL and card 4111 1111 1111 1111"
    once, found = redact(text)
    assert len(found) == 2
    assert redact(once) == (once, [])


def test_custom_patterns_join_the_catalogue() -> None:
    scanner = SecretScanner([r"PROJECT-\d{4}"])
    assert scanner.redact("see PROJECT-1234 now")[0] == "see [REDACTED:custom] now"


def test_known_values_are_replaced_even_with_other_spacing() -> None:
    text = "your IBAN is DE89370400440532013000, and the PIN 4829"
    out = redact_values(text, ["DE89 3704 0044 0532 0130 00", "4829"], "vault_secret")
    assert "DE89" not in out and "4829" not in out
    assert out.count("[REDACTED:vault_secret]") == 2


def _case(rule_id: str) -> Case:
    return next(case for case in CASES if case.rule == rule_id)


def test_a_private_key_body_is_redacted_across_ocr_lines() -> None:
    from capture.ocr import OcrLine, OcrResult
    from capture.redaction import Redactor

    block, _ = _case("private-key").positives[0]
    texts = ["notes.txt", *block.split("\n"), "Lunch with Priya"]
    lines = [OcrLine(t, (0, 30 * i, 600, 30 * i + 25), 0.9) for i, t in enumerate(texts)]
    result = Redactor().redact_ocr(OcrResult.from_lines(lines))
    body = block.split("\n")[1:-1]
    assert all(piece not in result.text for piece in body)
    assert "Lunch with Priya" in result.text and "notes.txt" in result.text
    assert [s.kind for s in result.secrets] == ["private_key"]
    assert result.secrets[0].value == block
    assert len(result.boxes) == len(block.split("\n"))  # every line of the key blurred
