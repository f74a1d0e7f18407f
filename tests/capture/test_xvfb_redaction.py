"""Secrets shown in a real window: the stored text holds placeholders, the stored image
holds blurred boxes OCR cannot read, the vault gets the secrets encrypted, and no byte of
the data folder or the logs holds them in clear."""

from __future__ import annotations

import logging

import pytest

from capture.frame_store import FrameStore
from capture.ocr import OcrEngine
from capture.redaction import SecretKeeper
from tests.capture.conftest import make_pipeline, scan_for
from tests.capture.xhelpers import Window, xvfb

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

PASSWORD = "Tr0ub4dor&3horse"
AWS = "AKIAQ7R2XK5M3NB4TZ6W"
CARD = "4111 1111 1111 1111"
IBAN = "DE89 3704 0044 0532 0130 00"
SECRETS = [PASSWORD, AWS, CARD, IBAN, CARD.replace(" ", ""), IBAN.replace(" ", "")]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_secrets_on_screen_never_reach_the_disk_in_clear(store, caplog, theme) -> None:
    store.vault.unlock("correct horse battery staple")
    assert store.vault.intake_public_key() is not None  # made at the first unlock
    store.vault.lock()  # capture runs with the vault locked: secrets are sealed
    lines = [f"Password: {PASSWORD}", f"aws_access_key_id = {AWS}", f"Card: {CARD}",
             f"IBAN: {IBAN}", "Lunch with Priya on Friday"]
    caplog.set_level(logging.DEBUG)
    with xvfb([(1280, 720)]) as x:
        Window(x, title="credentials.txt — Editor", lines=lines, app_class="editor",
               theme=theme, size=24)
        pipeline = make_pipeline(store, x.display)
        (frame,) = pipeline.capture_once()
        pipeline.grabber.close()
    assert frame.status == "stored"
    report = pipeline.ocr.run_pending(wait=True)
    assert report.ocr_done == 1
    text, image_path = store.reader.execute(
        "SELECT ocr_text, image_path FROM frames WHERE id = ?", [frame.id]).fetchone()
    for kind in ("password", "api_key", "card_number", "iban"):
        assert f"[REDACTED:{kind}]" in text, text
    assert "Priya" in text
    counters = dict(store.reader.execute("SELECT name, value FROM counters").fetchall())
    assert counters["secrets_redacted"] == 4
    # Listed in the vault at once, sealed, with the frame they were seen on.
    sealed = store.list("vault")
    assert len(sealed) == 4 and {m.fields["secret_value"] for m in sealed} == {"[sealed]"}
    assert all(m.provenance["frames"] == [frame.id] for m in sealed)

    # The stored image: the harmless line is still there, the secrets are not.
    frames = FrameStore(store)
    reread = OcrEngine().read(frames.load_image(frames.get(frame.id))).text
    assert "Priya" in reread
    for secret in [*SECRETS, "Tr0ub4dor", "AKIAQ7R2", "1111 1111", "3704 0044"]:
        assert secret not in reread, reread
    assert len(list(store.data_dir.rglob("*.webp"))) == 1  # the unredacted original is gone

    # The secrets reach the vault once it is unlocked, encrypted at rest.
    store.vault.unlock("correct horse battery staple")
    assert SecretKeeper(store).settle() == 4  # each re-encrypted under the data key
    vault = store.list("vault")
    revealed = {store.get(m.id, reveal=True).fields["secret_value"] for m in vault}
    assert revealed == {PASSWORD, AWS, CARD, IBAN}
    assert {m.fields["caption"] for m in vault} >= {"password field seen in editor"}
    assert all(frame.id in m.provenance["frames"] for m in vault)
    store.vault.lock()

    store.writer.write(lambda db: db.execute("PRAGMA wal_checkpoint(TRUNCATE)"),
                       transaction=False)
    assert scan_for(store.data_dir, SECRETS) == []
    leaked = [r.getMessage() for r in caplog.records
              if any(secret in r.getMessage() for secret in SECRETS)]
    assert leaked == []


def test_without_a_vault_secrets_are_counted_as_discarded_not_kept(store) -> None:
    """Only a vault never set up has no key to seal to: the secret is redacted and counted,
    nothing of it is kept."""
    with xvfb([(1024, 400)]) as x:
        Window(x, title="notes", lines=[f"Password: {PASSWORD}"], app_class="editor")
        pipeline = make_pipeline(store, x.display)
        (frame,) = pipeline.capture_once()
        pipeline.grabber.close()
    pipeline.ocr.run_pending(wait=True)
    counters = dict(store.reader.execute("SELECT name, value FROM counters").fetchall())
    assert counters["secrets_redacted"] == 1 and counters["secrets_discarded"] == 1
    assert store.list("vault") == []
    assert scan_for(store.data_dir, [PASSWORD]) == []
