"""Engram's look: the app icon (drawn with QPainter, so it scales and needs no asset), the
paused tray variant, and light and dark palettes."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QIcon,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QApplication

ACCENT = QColor("#5b5bd6")
ACCENT_DARK = QColor("#3d3aa8")
PAUSED = QColor("#8a8f98")


def draw_icon(size: int, *, paused: bool = False) -> QImage:
    """A rounded tile holding a stylised memory trace: three nested arcs around a dot.

    Paused: grey tile with two pause bars, so the tray shows the state at a glance."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    tile = QRectF(s * 0.04, s * 0.04, s * 0.92, s * 0.92)
    gradient = QLinearGradient(tile.topLeft(), tile.bottomRight())
    top, bottom = (PAUSED, PAUSED.darker(140)) if paused else (ACCENT.lighter(115), ACCENT_DARK)
    gradient.setColorAt(0.0, top)
    gradient.setColorAt(1.0, bottom)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(gradient))
    p.drawRoundedRect(tile, s * 0.22, s * 0.22)
    centre = QPointF(s * 0.5, s * 0.52)
    white = QColor(255, 255, 255)
    if paused:
        p.setBrush(white)
        bar_w, bar_h = s * 0.12, s * 0.42
        for dx in (-0.11, 0.11):
            x = centre.x() + dx * s - bar_w / 2
            p.drawRoundedRect(QRectF(x, centre.y() - bar_h / 2, bar_w, bar_h), s * 0.03, s * 0.03)
    else:
        for i, radius in enumerate((0.34, 0.25, 0.16)):
            pen = QPen(white, max(1.0, s * 0.055))
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            white.setAlphaF(0.55 + 0.15 * i)
            pen.setColor(white)
            p.setPen(pen)
            r = s * radius
            path = QPainterPath()
            rect = QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r)
            start = 200 - 35 * i
            path.arcMoveTo(rect, start)
            path.arcTo(rect, start, 250)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(255, 255, 255))
        p.drawEllipse(centre, s * 0.065, s * 0.065)
    p.end()
    return image


def app_icon(*, paused: bool = False) -> QIcon:
    icon = QIcon()
    for size in (16, 22, 24, 32, 48, 64, 128, 256):
        icon.addPixmap(QPixmap.fromImage(draw_icon(size, paused=paused)))
    return icon


def palette(dark: bool) -> QPalette:
    pal = QPalette()
    if dark:
        colours = {
            QPalette.ColorRole.Window: "#1f2126",
            QPalette.ColorRole.WindowText: "#e6e7ea",
            QPalette.ColorRole.Base: "#2a2d34",
            QPalette.ColorRole.AlternateBase: "#30333a",
            QPalette.ColorRole.Text: "#e6e7ea",
            QPalette.ColorRole.Button: "#33363e",
            QPalette.ColorRole.ButtonText: "#e6e7ea",
            QPalette.ColorRole.ToolTipBase: "#2a2d34",
            QPalette.ColorRole.ToolTipText: "#e6e7ea",
            QPalette.ColorRole.PlaceholderText: "#8b8f98",
            QPalette.ColorRole.Highlight: "#5b5bd6",
            QPalette.ColorRole.HighlightedText: "#ffffff",
            QPalette.ColorRole.Link: "#9b9bff",
            QPalette.ColorRole.Mid: "#4a4e57",
            QPalette.ColorRole.Midlight: "#3a3d45",
            QPalette.ColorRole.Dark: "#111215",
        }
        disabled = "#6b6f78"
    else:
        colours = {
            QPalette.ColorRole.Window: "#f4f5f7",
            QPalette.ColorRole.WindowText: "#1d1f24",
            QPalette.ColorRole.Base: "#ffffff",
            QPalette.ColorRole.AlternateBase: "#f0f1f4",
            QPalette.ColorRole.Text: "#1d1f24",
            QPalette.ColorRole.Button: "#eceef2",
            QPalette.ColorRole.ButtonText: "#1d1f24",
            QPalette.ColorRole.ToolTipBase: "#ffffff",
            QPalette.ColorRole.ToolTipText: "#1d1f24",
            QPalette.ColorRole.PlaceholderText: "#80848c",
            QPalette.ColorRole.Highlight: "#5b5bd6",
            QPalette.ColorRole.HighlightedText: "#ffffff",
            QPalette.ColorRole.Link: "#4343c0",
            QPalette.ColorRole.Mid: "#c9ccd3",
            QPalette.ColorRole.Midlight: "#dfe1e6",
            QPalette.ColorRole.Dark: "#a0a4ad",
        }
        disabled = "#9a9ea6"
    for role, colour in colours.items():
        pal.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled))
    return pal


def is_dark(pal: QPalette) -> bool:
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


STYLESHEET = """
QListWidget#navigation { border: none; padding-top: 8px; font-size: 11pt; }
QListWidget#navigation { background: palette(window); outline: 0; }
QListWidget#navigation::item { padding: 9px 14px; border-radius: 6px; margin: 1px 6px;
                               color: palette(window-text); }
QListWidget#navigation::item:selected { background: palette(highlight);
                                        color: palette(highlighted-text); }
QListWidget[role="records"]::item { padding: 5px 4px;
                                     border-bottom: 1px solid palette(midlight); }
QListWidget[role="records"]::item:selected { background: palette(highlight);
                                             color: palette(highlighted-text); }
QLabel[role="heading"] { font-size: 15pt; font-weight: 600; }
QLabel[role="subtle"] { color: palette(placeholder-text); }
QLabel[role="hour"] { font-size: 12pt; font-weight: 600; }
QFrame[role="card"] { background: palette(base); border: 1px solid palette(mid);
                      border-radius: 8px; }
QPushButton[role="chip"] { border: 1px solid palette(highlight); border-radius: 10px;
                           padding: 2px 10px; color: palette(link); background: transparent; }
QPushButton[role="primary"] { background: palette(highlight); color: palette(highlighted-text);
                              border-radius: 5px; padding: 6px 16px; font-weight: 600; }
QFrame#undoBar { background: palette(tool-tip-base); border: 1px solid palette(mid);
                 border-radius: 6px; }
QLabel#pausedBadge { color: white; background: #c2410c; border-radius: 4px; padding: 1px 6px; }
"""


def apply_theme(app: QApplication, *, dark: bool | None = None) -> None:
    """Fusion with Engram's palette; ``dark=None`` follows the system's colour scheme."""
    app.setStyle("Fusion")
    if dark is None:
        dark = app.styleHints().colorScheme() == Qt.ColorScheme.Dark
    app.setPalette(palette(dark))
    app.setStyleSheet(STYLESHEET)
