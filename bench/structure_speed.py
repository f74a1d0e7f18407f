"""Rule extraction on one huge frame: ``python -m bench.structure_speed --json``.

Builds two synthetic frames with OCR-like boxes, a 5,000-line terminal (a build log with a
prompt every 50 lines) and a 2,000-row, 6-column table in a browser, and times
``memory.extraction.rules.extract`` (layout, values, facts, summaries; no store, no model)
on each, best of ``--repeat`` runs. The target is at most 2 s per frame.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from memory.extraction import rules
from memory.extraction.segments import FrameText, Segment

START = "2026-05-12T09:00:00+00:00"


def terminal_frame(lines: int = 5000) -> Segment:
    texts: list[str] = []
    boxes: list[tuple[int, int, int, int]] = []
    for i in range(lines):
        text = (f"dev@box:~/proj$ make target-{i}" if i % 50 == 0 else
                f"[{i:05d}] compiling unit_{i}.c -> obj/unit_{i}.o 2026-05-{1 + i % 28:02d} "
                f"12:{i % 60:02d} ok")
        texts.append(text)
        boxes.append((5, 5 + i * 18, 5 + 9 * len(text), 21 + i * 18))
    frame = FrameText(1, START, "xterm", "dev@box: ~/proj", None, "\n".join(texts),
                      tuple(texts), tuple(boxes))
    return Segment(frames=[frame])


def table_frame(rows: int = 2000) -> Segment:
    header = ["Date", "Description", "Reference", "Amount", "Balance", "Category"]
    texts: list[str] = []
    boxes: list[tuple[int, int, int, int]] = []
    for r in range(rows + 1):
        cells = header if r == 0 else [f"{1 + r % 28:02d}.03.2026", f"Payment to shop {r}",
                                       f"REF-{100000 + r}", f"€{r % 500}.{r % 100:02d}",
                                       f"€{10000 - r}.00", "Groceries"]
        for c, text in enumerate(cells):
            texts.append(text)
            boxes.append((20 + c * 200, 20 + r * 24, 20 + c * 200 + 9 * len(text), 38 + r * 24))
    frame = FrameText(1, START, "chromium", "Statement - Bank", None, "\n".join(texts),
                      tuple(texts), tuple(boxes))
    return Segment(frames=[frame])


def timed(segment: Segment, repeat: int) -> dict[str, Any]:
    best = float("inf")
    candidates = 0
    for _ in range(repeat):
        started = time.perf_counter()
        out = rules.extract(segment)
        best = min(best, time.perf_counter() - started)
        candidates = len(out.candidates)
    return {"lines": len(segment.lines), "seconds": round(best, 3), "candidates": candidates}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.structure_speed", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    rules.extract(table_frame(5))  # load dateparser's languages once, as a running app has
    result = {"terminal_5000_lines": timed(terminal_frame(), args.repeat),
              "table_2000_rows": timed(table_frame(), args.repeat), "target_seconds": 2.0}
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
