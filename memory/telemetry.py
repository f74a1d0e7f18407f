"""Switch off the telemetry that libraries Engram uses would otherwise send.

onnxruntime (1.29 and later, on Linux) ships Microsoft's 1DS client: every process that
loads it writes a device id and an event queue under ``~/.cache/Microsoft`` and tries to
upload them. Chroma and the Hugging Face libraries have their own switches. Each is turned
off by an environment variable read when the library loads, so :func:`disable` runs before
any of them is imported: at the CLI and desktop entry points, and again inside every
function that loads one (the embedder, OCR, the vector index), for library callers.
"""

from __future__ import annotations

import os

SWITCHES: dict[str, str] = {
    "ORT_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_OFFLINE": "1",
    "DO_NOT_TRACK": "1",
}


def disable() -> None:
    """Set every switch (a user's own stricter value is kept)."""
    for name, value in SWITCHES.items():
        os.environ[name] = value
