"""Opening an image file without letting it exhaust memory (a decompression bomb).

Every place that opens a frame image with Pillow goes through :func:`open_image`: the OCR
worker's loader and the archive import. A few hundred bytes of WebP or PNG can declare a
60000 x 60000 picture that takes gigabytes to decode; the size is known from the header, so
it is checked before any pixel is decoded. (Qt's image reader, used by the UI, has its own
allocation limit.)
"""

from __future__ import annotations

import os
from typing import IO

from PIL import Image

from memory.errors import KnownError

#: The most pixels a frame image may have: an 8K screen is 33 million.
MAX_PIXELS = 1 << 26


class ImageTooLarge(KnownError):
    """An image declares more pixels than Engram will decode (a decompression bomb)."""


def open_image(source: str | os.PathLike[str] | IO[bytes], name: str) -> Image.Image:
    """``Image.open`` (lazy: only the header is read), refusing a bomb before decoding.

    Raises :class:`ImageTooLarge`; Pillow's own errors for a file that is not an image
    (``UnidentifiedImageError``, ``OSError``...) pass through for the caller to word."""
    try:
        image = Image.open(source)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLarge(_too_large(name, str(exc))) from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        image.close()
        raise ImageTooLarge(_too_large(name, f"{width} x {height} pixels"))
    return image


def _too_large(name: str, detail: str) -> str:
    return (f"The image {name} is too large to open safely ({detail}; at most "
            f"{MAX_PIXELS:,} pixels): it may be a decompression bomb, so it was not decoded.")
