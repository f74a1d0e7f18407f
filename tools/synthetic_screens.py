"""The one renderer of synthetic screens (Pillow, real fonts) for benchmarks, tests, demo
data and screenshots: a window with a title bar and a clock, an optional address bar and
sidebar, and lines of body text with known content.

Two layouts cover every use:

- ``NOTES``: a full-screen notes app (sidebar, large text, a blinking cursor), the capture
  benchmark's screens (bench/capture.py);
- ``WINDOW``: an application window (title, address bar, body text), the extraction
  benchmark's simulated day (bench/screens) and the demo data (tools/demo_data.py).

A ``[REDACTED...]`` marker in a line is drawn as a grey box, as redaction leaves a frame.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_FOLDERS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype"),
                Path("/usr/share/fonts"), Path("/Library/Fonts"), Path("C:/Windows/Fonts"))
SANS, BOLD, SERIF, MONO = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSerif.ttf",
                           "DejaVuSansMono.ttf")
REDACTED = re.compile(r"\[REDACTED[^\]]*\]")
RGB = tuple[int, int, int]


@lru_cache(maxsize=64)
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """A TrueType font by file name; a missing font is an error, never a silent fallback
    (OCR figures depend on the glyphs)."""
    for folder in FONT_FOLDERS:
        direct = folder / name
        if direct.is_file():
            return ImageFont.truetype(str(direct), size)
        if folder.is_dir():
            for path in folder.rglob(name):
                return ImageFont.truetype(str(path), size)
    raise FileNotFoundError(f"font {name} is missing (install fonts-dejavu-core)")


@dataclass(frozen=True)
class Palette:
    background: RGB
    ink: RGB
    bar: RGB
    title_ink: RGB
    clock_ink: RGB


@dataclass(frozen=True)
class Layout:
    light: Palette
    dark: Palette
    bar_height: int
    title_at: tuple[int, int]
    title_font: tuple[str, int]
    clock_from_right: int
    clock_size: int
    sidebar_width: int  # 0: no sidebar
    body_left: int
    body_top: int
    body_top_below_url: int
    line_factor: float  # line height = int(font size * line_factor)


NOTES = Layout(
    light=Palette((255, 255, 255), (20, 20, 20), (228, 228, 232), (20, 20, 20), (20, 20, 20)),
    dark=Palette((30, 30, 30), (232, 232, 232), (60, 60, 66), (232, 232, 232), (232, 232, 232)),
    bar_height=40, title_at=(16, 8), title_font=(SANS, 20), clock_from_right=130, clock_size=20,
    sidebar_width=260, body_left=300, body_top=80, body_top_below_url=80, line_factor=1.9,
)
WINDOW = Layout(
    light=Palette((252, 252, 250), (28, 28, 30), (222, 224, 228), (20, 20, 20), (60, 60, 60)),
    dark=Palette((30, 32, 36), (225, 228, 232), (222, 224, 228), (20, 20, 20), (60, 60, 60)),
    bar_height=34, title_at=(14, 8), title_font=(BOLD, 15), clock_from_right=70, clock_size=14,
    sidebar_width=0, body_left=24, body_top=46, body_top_below_url=84, line_factor=1.5,
)


@dataclass
class Screen:
    """One synthetic screen; :meth:`render` draws it."""

    lines: list[str]
    width: int = 1920
    height: int = 1080
    dark: bool = False
    cursor: bool = True
    clock: str = "12:00:00"
    size: int = 26
    font_name: str = SANS
    title: str = "Notes"
    url: str | None = None
    sidebar: list[str] = field(default_factory=lambda: ["Inbox", "Drafts", "Archive"])
    layout: Layout = NOTES

    def render(self) -> Image.Image:
        lay = self.layout
        colours = lay.dark if self.dark else lay.light
        image = Image.new("RGB", (self.width, self.height), colours.background)
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, self.width, lay.bar_height), fill=colours.bar)
        draw.text(lay.title_at, self.title, font=font(*lay.title_font), fill=colours.title_ink)
        draw.text((self.width - lay.clock_from_right, 8), self.clock,
                  font=font(SANS, lay.clock_size), fill=colours.clock_ink)
        if lay.sidebar_width:
            draw.rectangle((0, lay.bar_height, lay.sidebar_width, self.height), fill=colours.bar)
            for index, item in enumerate(self.sidebar):
                draw.text((24, 70 + index * 44), item, font=font(SANS, 22), fill=colours.ink)
        top = lay.body_top
        if self.url:
            draw.rounded_rectangle([12, 40, self.width - 12, 70], radius=8,
                                   fill=(240, 241, 244), outline=(200, 200, 205))
            draw.text((24, 46), self.url, fill=(40, 40, 40), font=font(SANS, 15))
            top = lay.body_top_below_url
        body = font(self.font_name, self.size)
        step = int(self.size * lay.line_factor)
        y, right = top, lay.body_left
        for line in self.lines:
            if y > self.height - step:
                break
            right = self._line(draw, (lay.body_left, y), line, body, colours.ink)
            y += step
        if self.cursor:
            draw.rectangle((right + 4, y - step, right + 6, y - step + self.size + 4),
                           fill=colours.ink)
        return image

    @staticmethod
    def _line(draw: ImageDraw.ImageDraw, at: tuple[int, int], line: str,
              body: ImageFont.FreeTypeFont, ink: RGB) -> int:
        """Draw one line (redaction markers as grey boxes); return where it ends."""
        x, y = at
        for index, part in enumerate(REDACTED.split(line)):
            if index:
                width = int(draw.textlength("x" * 16, font=body))
                draw.rectangle((x, y, x + width, y + int(body.size * 1.2)), fill=(136, 136, 136))
                x += width
            draw.text((x, y), part, font=body, fill=ink)
            x += int(draw.textlength(part, font=body))
        return x
