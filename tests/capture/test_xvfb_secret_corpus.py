"""Every format of the secret catalogue, shown in real X windows and typed into
``remember``, with the vault locked: afterwards no secret is in clear anywhere in the data
folder (every file's bytes, the stored text, and the stored images OCR'd again), and after
unlock every one is in the vault.

The corpus is ``bench/secret_corpus.py`` (generated per documented format, not from the
catalogue's patterns). On screen, lines longer than fit a 1920-pixel window at a readable
size (a few tokens of 120+ characters) and labels in scripts the OCR models cannot read
(Cyrillic, Japanese: RapidOCR reads "Пароль:" as "∏:") are left to the typed path. ``remember`` is run as
the CLI runs it, through the extraction pipeline, without the language model (the rules
alone; the model is not what keeps secrets out).
"""

from __future__ import annotations

import re

import pytest

from bench.secret_corpus import CASES
from capture.frame_store import FrameStore
from capture.ocr import OcrEngine
from memory.extraction.pipeline import ExtractionPipeline
from memory.extraction.segments import text_segment
from memory.schema import now_iso
from tests.capture.conftest import make_pipeline, scan_for
from tests.capture.xhelpers import Window, xvfb

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

PASSPHRASE = "correct horse battery staple"
PAGE_LINES = 24
SCREEN_MAX_CHARS = 110


def fold(text: str) -> str:
    """What OCR cannot tell apart, made equal (0/O, 1/l/I, case, spaces)."""
    return re.sub(r"\s+", "", text.lower()).translate(str.maketrans("01i|", "olll"))


def chunks(secret: str, size: int = 12) -> list[str]:
    """Pieces of a secret to look for; a key block's armour lines (``-----BEGIN ...``,
    ``Encryption: none``) are public and may rightly stay in a caption."""
    body = [line for line in secret.split("\n")
            if not re.match(r"-----|[A-Za-z-]+(?:-\d)?: [\w-]{1,12}$", line)]
    folded = fold("\n".join(body))
    if len(folded) <= size:
        return [folded]
    return [folded[i:i + size] for i in range(0, len(folded) - size + 1, 4)]


def leaked(secrets: list[str], text: str) -> list[str]:
    """Secrets of which a 12-character piece (or the whole, when shorter) is in ``text``,
    compared OCR-blind."""
    haystack = fold(text)
    return [s for s in secrets if any(piece in haystack for piece in chunks(s))]


def screen_corpus() -> tuple[list[str], list[str]]:
    lines, secrets = [], []
    for case in CASES:
        for text, secret in case.positives:
            shown = text.split("\n")
            if max(len(line) for line in shown) > SCREEN_MAX_CHARS or not text.isascii() \
                    and not all(c.isascii() or c.isalpha() and c.lower() in "ñçéèàäöüß"
                                for c in text):
                continue
            lines += shown
            secrets.append(secret)
    return lines, secrets


def test_every_catalogue_format_is_sealed_and_never_stored_in_clear(store) -> None:
    store.vault.unlock(PASSPHRASE)  # the vault exists (and gets its intake key) ...
    store.vault.lock()  # ... and stays locked while everything below is captured
    typed = [(text, secret) for case in CASES for text, secret in case.positives]
    lines, on_screen = screen_corpus()
    assert len(on_screen) >= 100

    with xvfb([(1920, 1080)]) as x:
        pipeline = make_pipeline(store, x.display)
        for page, start in enumerate(range(0, len(lines), PAGE_LINES)):
            window = Window(x, title=f"credentials {page} — Editor", app_class="editor",
                            lines=lines[start:start + PAGE_LINES], font="DejaVu Sans Mono",
                            size=13, geometry="1920x1080+0+0")
            (frame,) = pipeline.capture_once()
            assert frame.status == "stored"
            window.close()
        pipeline.grabber.close()
    report = pipeline.ocr.run_pending(wait=True)
    assert report.failed == 0

    extraction = ExtractionPipeline(store)
    for text, _secret in typed:
        extraction.extract_segment(text_segment(text, now_iso()), use_model=False)

    # The vault lists every sighting at once, sealed.
    listed = store.list("vault", limit=10_000)
    assert listed and {m.fields["secret_value"] for m in listed} == {"[sealed]"}

    # Nothing in clear: every byte of the data folder, the stored text, the images.
    store.writer.write(lambda db: db.execute("PRAGMA wal_checkpoint(TRUNCATE)"),
                       transaction=False)
    every = sorted({secret for _text, secret in typed})
    longer = [s for s in every if len(s) >= 6]
    assert scan_for(store.data_dir, longer) == []
    frames = FrameStore(store)
    texts = [row[0] or "" for row in store.reader.execute("SELECT ocr_text FROM frames")]
    assert leaked(longer, "\n".join(texts)) == []
    memories = store.get_many([m.id for m in store.list(limit=100_000)])
    assert leaked(longer, "\n".join(str(m.fields) for m in memories)) == []
    engine = OcrEngine()
    reread = "\n".join(engine.read(frames.load_image(frames.get(frame_id))).text
                       for (frame_id,) in store.reader.execute("SELECT id FROM frames"))
    assert leaked(longer, reread) == []

    # After unlock every secret is in the vault: typed ones exactly (white space aside),
    # those read off the screen as OCR read them.
    store.vault.unlock(PASSPHRASE)
    pipeline.ocr.keeper.settle()
    entries = store.get_many([m.id for m in store.list("vault", limit=10_000)], reveal=True)
    values = {"".join(str(m.fields["secret_value"]).split()) for m in entries}
    assert "[sealed]" not in values
    # white space aside: one entry per secret, and sightings of "AB 12 34 56 C" and
    # "AB123456C" are one secret
    missing_typed = [s for s in every if "".join(s.split()) not in values]
    assert missing_typed == []
    screen_values = {fold(str(m.fields["secret_value"])) for m in entries
                     if m.provenance["frames"]}
    missing_screen = [s for s in on_screen if fold(s) not in screen_values]
    print(f"screen: {len(on_screen) - len(missing_screen)}/{len(on_screen)} in the vault as "
          f"read; typed: {len(every) - len(missing_typed)}/{len(every)}")
    assert len(missing_screen) <= len(on_screen) // 5, missing_screen
