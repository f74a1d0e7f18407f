"""Write the app icon (drawn by :func:`ui.theme.draw_icon`) as PNG files for packaging:
``python -m tools.make_icons packaging/icons``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def write_icons(folder: Path) -> list[Path]:
    from PySide6.QtGui import QGuiApplication

    from ui.theme import draw_icon

    _app = QGuiApplication.instance() or QGuiApplication([])
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for size in SIZES:
        for paused in (False, True):
            name = f"engram{'-paused' if paused else ''}-{size}.png"
            path = folder / name
            if not draw_icon(size, paused=paused).save(str(path)):
                raise OSError(f"could not write {path}")
            written.append(path)
    main = folder / "engram.png"
    draw_icon(256).save(str(main))
    written.append(main)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = Path(args[0] if args else "packaging/icons")
    for path in write_icons(folder):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
