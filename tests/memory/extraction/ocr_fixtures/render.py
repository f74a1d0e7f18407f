"""Re-create the OCR fixtures: render each page in html/ with headless Chromium and read
the screenshot with the product's own OCR (capture.ocr.OcrEngine).

    PYTHONPATH=. python tests/memory/extraction/ocr_fixtures/render.py

The pages were written for the extraction tests before the extractors (the dev screens);
terminal sessions are shown as monospace text on a dark page, as xterm shows them.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

from capture.ocr import OcrEngine

HERE = Path(__file__).parent
TERMINALS = {"bash", "zsh", "fish", "twoline"}
TITLES = {
    "mail": "Quarterly planning offsite moved - Postbox - Chromium",
    "chat": "deploys - Kestrel Labs - Chromium",
    "order": "Order confirmation - Chromium",
    "wiki": "Vesper Lake - Wikipedia - Chromium",
    "runbook": "Rotate the TLS certificate - Runbooks - Chromium",
    "event": "Dentist appointment - Calendar - Chromium",
    "german": "Buchungsbestätigung - Chromium",
    "bash": "dana@buildbox: ~/src/ledger",
    "zsh": "pat@mini: ~/infra",
    "fish": "fish /home/lee/notes",
    "twoline": "kim@station: ~/photos",
}


def main() -> None:
    engine = OcrEngine()
    with tempfile.TemporaryDirectory() as tmp:
        for page in sorted((HERE / "html").glob("*.html")):
            shot = Path(tmp) / f"{page.stem}.png"
            subprocess.run(
                ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                 "--window-size=1280,800", f"--screenshot={shot}", page.resolve().as_uri()],
                check=True, capture_output=True, timeout=120,
            )
            with Image.open(shot) as image:
                result = engine.read(image.convert("RGB"))
            data = {
                "app": "xterm" if page.stem in TERMINALS else "chromium",
                "window_title": TITLES[page.stem],
                "captured_at": "2026-03-03T09:00:00+00:00",
                "source": f"html/{page.name} rendered by headless Chromium, read by "
                          "capture.ocr.OcrEngine",
                "lines": [line.to_dict() for line in result.lines],
            }
            out = HERE / f"{page.stem}.json"
            out.write_text(json.dumps(data, ensure_ascii=False, indent=0), encoding="utf-8")
            print(page.stem, len(result.lines))


if __name__ == "__main__":
    main()
