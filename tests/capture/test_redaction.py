"""Redaction: secrets in OCR text become typed placeholders, their pixels are blurred
beyond OCR's reach, and the secrets are sealed for the vault, never stored in clear."""

from __future__ import annotations

import pytest

from bench.capture import Screen
from capture.ocr import OcrEngine, OcrLine, OcrResult
from capture.redaction import Redactor, blur_boxes
from memory.errors import InvalidInput
from memory.secrets import iban_valid, luhn_valid
from memory.vault_intake import open_sealed_to, seal_to

AWS = "AKIAQ7R2XK5M3NB4TZ6W"
GITHUB = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
STRIPE = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
CARD = "4111 1111 1111 1111"
IBAN = "GB82 WEST 1234 5698 7654 32"
PASSWORD = "Tr0ub4dor&3horse"


@pytest.mark.parametrize(
    ("text", "kind", "secret"),
    [
        (f"export AWS_ACCESS_KEY_ID={AWS}", "api_key", AWS),
        (f"token {GITHUB} copied", "api_key", GITHUB),
        (f"STRIPE={STRIPE}", "api_key", STRIPE),
        (f"Card: {CARD} exp 12/29", "card_number", CARD),
        (f"Pay to {IBAN} by Friday", "iban", IBAN),
        (f"Password: {PASSWORD}", "password", PASSWORD),
        ("Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123", "token",
         "abcdefghijklmnopqrstuvwxyz0123"),
    ],
)
def test_secrets_become_typed_placeholders(text: str, kind: str, secret: str) -> None:
    redacted, found = Redactor().redact_text(text)
    assert secret not in redacted
    assert f"[REDACTED:{kind}]" in redacted
    assert [f.kind for f in found] == [kind]
    assert found[0].value == secret
    assert secret not in repr(found[0]) and secret not in str(found[0])


def test_numbers_that_only_look_like_secrets_are_kept() -> None:
    text = "Order 4111 1111 1111 1112 shipped; ref GB00 WEST 1234 5698 7654 32; call 555 0199"
    assert not luhn_valid("4111111111111112") and luhn_valid("4111111111111111")
    assert not iban_valid("GB00WEST12345698765432") and iban_valid("DE89370400440532013000")
    assert Redactor().redact_text(text) == (text, [])


def test_extra_patterns_are_redacted_and_bad_ones_refused() -> None:
    redacted, found = Redactor([r"PROJECT-\d{4}"]).redact_text("see PROJECT-1234 now")
    assert redacted == "see [REDACTED:custom] now" and found[0].value == "PROJECT-1234"
    with pytest.raises(InvalidInput, match="not a valid regular expression"):
        Redactor(["(unclosed"])


def test_a_secret_split_over_two_lines_is_still_found() -> None:
    lines = [OcrLine("Password:", (10, 10, 100, 30), 0.9),
             OcrLine("hunter2hunter2", (10, 40, 160, 60), 0.9)]
    result = Redactor().redact_ocr(OcrResult.from_lines(lines))
    assert "hunter2hunter2" not in result.text
    assert result.text == "Password:\n[REDACTED:password]"
    assert result.boxes == [(10, 40, 160, 60)] and result.secrets[0].kind == "password"


def test_sealed_secrets_open_only_with_the_private_key() -> None:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    key = X25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    sealed = seal_to(public, PASSWORD.encode())
    assert PASSWORD.encode() not in sealed
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    assert open_sealed_to(raw, sealed) == PASSWORD.encode()
    other = X25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw,
                                                      NoEncryption())
    from cryptography.exceptions import InvalidTag

    with pytest.raises(InvalidTag):
        open_sealed_to(other, sealed)


@pytest.mark.slow
@pytest.mark.parametrize("dark", [False, True])
def test_blurred_boxes_cannot_be_read_back_by_ocr(dark: bool) -> None:
    """Real RapidOCR reads the secrets, redaction blurs them, and a second real OCR pass
    over the blurred image finds the harmless lines but none of the secrets."""
    screen = Screen([f"Password: {PASSWORD}", "Meeting with Dana at noon",
                     f"Card: {CARD}", f"key {AWS}"], width=1280, height=480, dark=dark,
                    cursor=False, size=28)
    image = screen.render()
    engine = OcrEngine()
    first = engine.read(image)
    assert PASSWORD in first.text and AWS in first.text and "Dana" in first.text
    redacted = Redactor().redact_ocr(first)
    assert {s.kind for s in redacted.secrets} == {"password", "card_number", "api_key"}
    assert PASSWORD not in redacted.text and "[REDACTED:password]" in redacted.text
    blurred = blur_boxes(image, redacted.boxes)
    again = engine.read(blurred).text
    assert "Dana" in again
    for secret in (PASSWORD, "Tr0ub4dor", CARD, "1111 1111", AWS, "AKIA"):
        assert secret not in again, again


def test_redacting_twice_changes_nothing_more() -> None:
    line = OcrLine(f"Password: {PASSWORD}", (0, 0, 300, 30), 0.99)
    result = Redactor().redact_ocr(OcrResult.from_lines([line]))
    assert result.text == "Password: [REDACTED:password]"
    assert [s.value for s in result.secrets] == [PASSWORD]
    assert Redactor().redact_text(result.text) == (result.text, [])


def test_a_secret_seen_on_many_frames_becomes_one_vault_entry(tmp_path, embedder) -> None:
    """Sightings of one secret (spaces aside) while the vault is locked: sealed entries at
    once, one per secret within a run; after unlock, repeats from other runs (and an older
    sealed candidate row) merge into one entry whose provenance lists every frame."""
    from capture.redaction import FoundSecret, SecretKeeper, Sighting
    from memory.store import SEALED_MARK, MemoryStore

    with MemoryStore(tmp_path / "d", embedder=embedder) as store:
        store.vault.unlock("pw")
        public = store.vault.intake_public_key()
        assert public is not None
        store.vault.lock()
        first, second = SecretKeeper(store), SecretKeeper(store)  # two runs of the app

        def sight(keeper: SecretKeeper, frame_id: int, value: str) -> None:
            assert keeper.keep([FoundSecret("iban", value, entry_type="account_number",
                                            rule_id="iban")],
                               Sighting(frame_id, "Bank", "2024-01-01T00:00:00Z")) == (1, 0)

        sight(first, 1, "DE89370400440532013000")
        sight(first, 2, "DE89370400440532013000")
        sight(first, 3, "GB29NWBK60161331926819")
        sight(second, 4, "DE89 3704 0044 0532 0130 00")
        # an older version's candidate row, sealed to the same key
        store.writer.write(lambda db: db.execute(
            "INSERT INTO capture_vault_candidates (frame_id, kind, caption, sealed, "
            "created_at) VALUES (5, 'iban', 'IBAN on screen', ?, '2024-01-01')",
            [seal_to(public, b"GB29NWBK60161331926819")],
        ))
        listed = store.list("vault")
        assert len(listed) == 3 and {m.fields["secret_value"] for m in listed} == {SEALED_MARK}
        assert {m.fields["caption"] for m in listed} == {"iban seen in Bank"}
        assert first.settle() == 0  # locked: nothing to open yet

        store.vault.unlock("pw")
        assert first.settle() >= 3
        entries = store.get_many([m.id for m in store.list("vault")], reveal=True)
        by_value = {"".join(str(m.fields["secret_value"]).split()): m for m in entries}
        assert len(entries) == 2
        assert sorted(by_value["DE89370400440532013000"].provenance["frames"]) == [1, 2, 4]
        assert sorted(by_value["GB29NWBK60161331926819"].provenance["frames"]) == [3, 5]
        assert store.reader.execute(
            "SELECT count(*) FROM capture_vault_candidates").fetchone()[0] == 0
        assert store.reader.execute(  # every sealed blob re-encrypted under the data key
            "SELECT count(*) FROM vault_memory WHERE substr(secret_value, 1, 3) = ?",
            [b"ES1"]).fetchone()[0] == 0


def test_without_a_vault_secrets_are_counted_as_discarded(tmp_path, embedder) -> None:
    from capture.redaction import FoundSecret, SecretKeeper, Sighting
    from memory.store import MemoryStore

    with MemoryStore(tmp_path / "d", embedder=embedder) as store:
        keeper = SecretKeeper(store)
        assert keeper.keep([FoundSecret("password", PASSWORD)], Sighting(None, None, None)) \
            == (0, 1)
        assert store.list("vault") == []
