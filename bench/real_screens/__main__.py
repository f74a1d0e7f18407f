"""``python -m bench.real_screens --json``: build a data folder from the corpus through the
product (``engram capture`` / ``engram ingest``) and score it with the independent checker.

One run per model choice: the bundled model (default), ``--no-model``, ``--model PATH``;
``--all`` runs without a model and with the bundled one (and ``--model`` if given)."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.real_screens.checker import score
from bench.real_screens.corpus import HELDOUT_DIR, load_scenes
from bench.real_screens.harness import DEFAULT_MODEL, NO_MODEL, build_data_dir

DEFAULT_CACHE = Path.home() / ".cache" / "engram-bench" / "real_screens"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.real_screens", description=__doc__)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--verbose", action="store_true", help="per-scene details")
    p.add_argument("--no-model", action="store_true", help="extract without a language model")
    p.add_argument("--model", metavar="PATH", help="extract with this GGUF model")
    p.add_argument("--all", action="store_true",
                   help="run without a model and with the bundled one (and --model)")
    p.add_argument("--scenes", help="comma-separated scene ids (default: all)")
    p.add_argument("--heldout", action="store_true",
                   help="score the held-out scenes (bench/real_screens/heldout) instead")
    p.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                   help=f"capture+OCR cache folder (default {DEFAULT_CACHE})")
    p.add_argument("--no-cache", action="store_true", help="capture and OCR afresh")
    p.add_argument("--keep", type=Path, metavar="DIR",
                   help="keep each run's data folder under DIR")
    p.add_argument("--no-search", action="store_true", help="skip the search questions")
    return p.parse_args(argv)


def model_runs(args: argparse.Namespace) -> list[tuple[str, str]]:
    """(label, model choice) for each run asked for."""
    if args.all:
        runs = [("no_model", NO_MODEL), ("bundled", DEFAULT_MODEL)]
        if args.model:
            runs.append((Path(args.model).name, args.model))
        return runs
    if args.no_model:
        return [("no_model", NO_MODEL)]
    if args.model:
        return [(Path(args.model).name, args.model)]
    return [("bundled", DEFAULT_MODEL)]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    scenes = load_scenes(HELDOUT_DIR if args.heldout else None,
                         ids=args.scenes.split(",") if args.scenes else None)

    def log(message: str) -> None:
        if args.verbose:
            print(message, file=sys.stderr, flush=True)

    runs: dict[str, Any] = {}
    started = time.monotonic()
    for label, model in model_runs(args):
        work = Path(tempfile.mkdtemp(prefix=f"rs-{label}-"))
        try:
            data_dir = work / "data"
            report = build_data_dir(data_dir, scenes, model=model,
                                    cache=None if args.no_cache else args.cache, log=log)
            figures = score(data_dir, scenes, report.frame_scene(), search=not args.no_search)
            details = figures.pop("details")
            figures["throughput"] = {
                "frames": report.frames,
                "capture_command_seconds": report.capture_command_seconds,
                "capture_with_windows_seconds": report.capture_seconds,
                "ocr_seconds": report.ocr_seconds,
                "extraction_seconds": report.extraction_seconds,
                "frames_per_minute": report.frames_per_minute(),
                "capture_cached": report.cached,
            }
            figures["model_calls"] = (report.ingest.get("extraction") or {}).get("model_calls")
            if args.verbose:
                figures["details"] = details
            runs[label] = figures
            if args.keep:
                target = args.keep / label
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(data_dir, target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    out = {"corpus": "bench/real_screens/heldout" if args.heldout else "bench/real_screens",
           "scenes": len(scenes),
           "facts": sum(len(s.facts) for s in scenes),
           "questions": sum(len(s.questions) for s in scenes),
           "runs": runs, "seconds": round(time.monotonic() - started, 1)}
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        for label, fig in runs.items():
            print(f"{label}: recall {fig['fact_recall']}  precision {fig['precision']}  "
                  f"key-fact summaries {fig['key_fact_in_summary']}  "
                  f"search@5 {fig.get('search_hit_at_5')}  episodes {fig['scenes_with_episode']}"
                  f"  real procedures {fig['real_procedures']}  "
                  f"frames/min {fig['throughput']['frames_per_minute']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
