"""Redaction benchmark: catalogue size, cost per frame, false positives, recall.

    python -m bench.redaction --json [--frames 200] [--max-lines 200000]

- ``per_frame_ms``: :class:`capture.redaction.Redactor` ``redact_ocr`` on the OCR lines of
  a 1080p frame's worth of text (80 lines, ~5 KB, cut from the prose-and-code corpus),
  mean and p95 over ``--frames`` frames.
- ``false_positive_rate``: share of non-empty lines the catalogue flags in real text it was
  not written for: this repository's README, docs and product sources (the catalogue and
  its corpus excluded), the Python standard library's sources and the text files under
  /usr/share/doc. A flagged line is counted as a false positive even when it really holds a
  secret (the standard library's test keys), so the rate is an upper bound.
- ``recall``: share of the generated corpus (``bench/secret_corpus.py``: every catalogue
  format) whose secret value is found exactly.

With ``--detect-secrets`` the same three figures are measured for Yelp's ``detect-secrets``
(its default plugins and filters, scanning the same files), for comparison.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import sysconfig
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.secret_corpus import CASES
from capture.ocr import OcrLine, OcrResult
from capture.redaction import Redactor
from memory.secrets import RULES, scan

REPO = Path(__file__).resolve().parent.parent
FRAME_LINES = 80


def corpus_files() -> dict[str, list[Path]]:
    own = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
    for package in ("app", "ui", "capture", "memory"):
        own += [p for p in sorted((REPO / package).rglob("*.py"))
                if "secrets" not in p.relative_to(REPO).parts]
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    python = [p for p in sorted(stdlib.rglob("*.py")) if "site-packages" not in p.parts]
    docs = [p for p in sorted(Path("/usr/share/doc").rglob("*"))
            if p.is_file() and p.suffix not in (".gz", ".png", ".jpg", ".svg", ".bz2", ".xz")]
    return {"engram": own, "python_stdlib": python, "usr_share_doc": docs}


def read_lines(paths: list[Path], limit: int) -> list[str]:
    lines: list[str] = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        lines += [line for line in text.splitlines() if line.strip()]
        if len(lines) >= limit:
            break
    return lines[:limit]


def false_positives(lines: list[str]) -> dict[str, Any]:
    flagged, rules = 0, Counter[str]()
    for line in lines:
        found = scan(line)
        if found:
            flagged += 1
            rules.update(m.rule_id for m in found)
    return {"lines": len(lines), "flagged": flagged,
            "rate": round(flagged / max(1, len(lines)), 5), "by_rule": dict(rules.most_common(8))}


def frame_cost(lines: list[str], frames: int, seed: int = 7) -> dict[str, float]:
    rng = random.Random(seed)
    redactor = Redactor()
    redactor.redact_text("warm up")
    times = []
    for _ in range(frames):
        start = rng.randrange(0, max(1, len(lines) - FRAME_LINES))
        chunk = [line.strip()[:90] for line in lines[start:start + FRAME_LINES]]
        ocr = OcrResult.from_lines([OcrLine(text, (10, 12 * i, 1900, 12 * i + 11), 0.95)
                                    for i, text in enumerate(chunk)])
        began = time.perf_counter()
        redactor.redact_ocr(ocr)
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    chars = statistics.mean(len(line) for line in lines[:FRAME_LINES * 10]) * FRAME_LINES
    return {"mean": round(statistics.mean(times), 3),
            "p95": round(times[int(len(times) * 0.95) - 1], 3),
            "frame_chars": round(chars)}


def recall() -> dict[str, Any]:
    total, found, missed = 0, 0, []
    for case in CASES:
        for line, secret in case.positives:
            total += 1
            if secret in [m.value for m in scan(line)]:
                found += 1
            else:
                missed.append(case.rule)
    return {"secrets": total, "found": found, "recall": round(found / total, 4),
            "missed": missed}


def detect_secrets_figures(corpora: dict[str, list[str]], frames: int) -> dict[str, Any]:
    """detect-secrets on the same lines: flagged-line rate, recall, cost per frame."""
    import tempfile

    from detect_secrets import SecretsCollection
    from detect_secrets.settings import default_settings

    def flagged_lines(lines: list[str]) -> tuple[set[int], set[str]]:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
            handle.write("\n".join(lines))
        collection = SecretsCollection()
        with default_settings():
            collection.scan_file(handle.name)
        Path(handle.name).unlink()
        found = [s for _f, s in collection]
        return {s.line_number for s in found}, {str(s.secret_value) for s in found}

    fp = {}
    for name, lines in corpora.items():
        numbers, _ = flagged_lines(lines)
        fp[name] = {"lines": len(lines), "flagged": len(numbers),
                    "rate": round(len(numbers) / max(1, len(lines)), 5)}
    secrets = [(line, secret) for case in CASES for line, secret in case.positives]
    _, values = flagged_lines([line for line, _ in secrets])
    found = sum(1 for _line, secret in secrets if secret in values)
    every = [line for lines in corpora.values() for line in lines]
    rng = random.Random(7)
    times = []
    for _ in range(min(frames, 50)):
        start = rng.randrange(0, max(1, len(every) - FRAME_LINES))
        began = time.perf_counter()
        flagged_lines(every[start:start + FRAME_LINES])
        times.append((time.perf_counter() - began) * 1000)
    total = sum(f["lines"] for f in fp.values())
    return {"false_positive_rate": round(sum(f["flagged"] for f in fp.values()) / total, 5),
            "false_positives": fp, "recall_generated_corpus": round(found / len(secrets), 4),
            "per_frame_ms_mean": round(statistics.mean(times), 3)}


def run(frames: int, max_lines: int, compare: bool = False) -> dict[str, Any]:
    files = corpus_files()
    corpora = {name: read_lines(paths, max_lines) for name, paths in files.items()}
    fp = {name: false_positives(lines) for name, lines in corpora.items()}
    all_lines = sum(f["lines"] for f in fp.values())
    all_flagged = sum(f["flagged"] for f in fp.values())
    prose_and_code = [line for lines in corpora.values() for line in lines]
    result = {
        "catalogue_rules": len(RULES),
        "per_frame_ms": frame_cost(prose_and_code, frames),
        "false_positive_rate": round(all_flagged / max(1, all_lines), 5),
        "false_positives": fp,
        "recall_generated_corpus": recall(),
    }
    if compare:
        result["detect_secrets"] = detect_secrets_figures(corpora, frames)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--frames", type=int, default=200)
    parser.add_argument("--max-lines", type=int, default=200_000,
                        help="lines read from each corpus at most")
    parser.add_argument("--detect-secrets", action="store_true",
                        help="also measure the detect-secrets package on the same data")
    args = parser.parse_args(argv)
    result = run(args.frames, args.max_lines, args.detect_secrets)
    print(json.dumps(result, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
