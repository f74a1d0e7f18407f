"""Pillow rendering of a desktop window: title bar, optional address bar, body text."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
WIDTH, HEIGHT = 1024, 640
LINE_HEIGHT = 24
BODY_TOP = 84


@lru_cache(maxsize=8)
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    path = FONT_DIR / name
    if not path.is_file():
        raise FileNotFoundError(f"font {path} is missing (install fonts-dejavu-core)")
    return ImageFont.truetype(str(path), size)


def render_window(
    *, app: str, title: str, url: str | None, lines: list[str], mono: bool, dark: bool,
    clock: str,
) -> Image.Image:
    background = (30, 32, 36) if dark else (252, 252, 250)
    ink = (225, 228, 232) if dark else (28, 28, 30)
    image = Image.new("RGB", (WIDTH, HEIGHT), background)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, WIDTH, 34], fill=(222, 224, 228))
    draw.text((14, 8), f"{title}", fill=(20, 20, 20), font=font("DejaVuSans-Bold.ttf", 15))
    draw.text((WIDTH - 70, 8), clock, fill=(60, 60, 60), font=font("DejaVuSans.ttf", 14))
    top = 46
    if url:
        draw.rounded_rectangle([12, 40, WIDTH - 12, 70], radius=8, fill=(240, 241, 244),
                               outline=(200, 200, 205))
        draw.text((24, 46), url, fill=(40, 40, 40), font=font("DejaVuSans.ttf", 15))
        top = BODY_TOP
    body_font = font("DejaVuSansMono.ttf" if mono else "DejaVuSans.ttf", 16)
    y = top
    for line in lines:
        if y > HEIGHT - LINE_HEIGHT:
            break
        draw.text((24, y), line, fill=ink, font=body_font)
        y += LINE_HEIGHT
    return image
