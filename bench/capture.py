"""Capture benchmark: CPU per grab+dedup, OCR time and accuracy, stored bytes, dedup quality.

    python -m bench.capture --json [--sequence 120] [--ocr-frames 4] [--grabs 30]
                                   [--incremental-frames 12] [--windows 10]

Everything runs through the product's own code (``ScreenGrabber``, ``Deduplicator``,
``encode_webp``, ``OcrEngine``) on generated 1920x1080 UI screenshots with known text
(tools/synthetic_screens.py, the ``NOTES`` layout).
The grab is timed on the X display in ``$DISPLAY``, or on an Xvfb the benchmark starts
when there is none (it then shows a generated screenshot as the root window's picture).
Reading the visible windows (for masking excluded ones, capture/visible_windows.py) is
timed on an Xvfb of its own with a window manager and ``--windows`` real Tk windows; the
pipeline reads them twice per grab (before and after it).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from typing import Any

from PIL import Image

from capture.dedup import Deduplicator
from capture.frame_store import encode_webp
from tools.synthetic_screens import MONO, SANS, SERIF, Screen

WIDTH, HEIGHT = 1920, 1080
WORDS = (
    "report", "budget", "meeting", "invoice", "project", "travel", "review", "design",
    "server", "deploy", "customer", "contract", "schedule", "update", "backup", "figures",
    "launch", "summary", "draft", "quarter", "release", "notes", "garden", "recipe",
    "flight", "hotel", "train", "ticket", "doctor", "dentist", "school",
)
FONTS = (SANS, SERIF, MONO)


def sentence(rng: random.Random, words: int = 7) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + f" {rng.randint(2, 98)}"


def random_screen(rng: random.Random, **overrides: Any) -> Screen:
    values: dict[str, Any] = {
        "lines": [sentence(rng) for _ in range(rng.randint(6, 14))],
        "dark": rng.random() < 0.4,
        "size": rng.choice((18, 22, 26, 30)),
        "font_name": rng.choice(FONTS),
    }
    values.update(overrides)
    return Screen(**values)


# -- dedup quality --------------------------------------------------------------------------

def dedup_quality(count: int, seed: int) -> dict[str, Any]:
    """A generated session: long stretches where only the clock, the cursor, compression
    or sensor noise changes (should be skipped), broken by edits of one line, added lines
    and changed numbers (must be kept)."""
    rng = random.Random(seed)
    dedup = Deduplicator(keyframe_seconds=10**9)
    screen = random_screen(rng)
    near, near_skipped, changed, changed_kept = 0, 0, 0, 0
    second = 0

    def decide(image: Image.Image) -> bool:
        decision = dedup.decide(1, image, now=float(second), window_id="0x1")
        if decision.keep:
            dedup.remember(1, decision.fingerprint)
        return decision.keep

    decide(screen.render())
    for step in range(count):
        second += 3
        screen.clock = f"12:{second // 60 % 60:02d}:{second % 60:02d}"
        screen.cursor = step % 2 == 0
        if step % 8 == 7:
            kind = rng.choice(("edit", "append", "number"))
            if kind == "edit":
                screen.lines[rng.randrange(len(screen.lines))] = sentence(rng)
            elif kind == "append" and len(screen.lines) < 16:
                screen.lines.append(sentence(rng))
            else:
                index = rng.randrange(len(screen.lines))
                words = screen.lines[index].rsplit(" ", 1)
                screen.lines[index] = f"{words[0]} {int(words[1]) + 1}"
            changed += 1
            changed_kept += decide(screen.render())
            continue
        image = screen.render()
        if step % 5 == 1:  # lossy compression of the same pixels
            buffer = io.BytesIO()
            image.save(buffer, format="WEBP", quality=70)
            image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
        near += 1
        near_skipped += not decide(image)
    return {
        "near_identical": near,
        "near_identical_skipped": round(near_skipped / near, 4) if near else None,
        "changed": changed,
        "changed_kept": round(changed_kept / changed, 4) if changed else None,
    }


# -- OCR ------------------------------------------------------------------------------------

def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def char_errors(known: list[str], text: str) -> tuple[int, int]:
    """(edit errors, characters): each known line against the closest OCR line."""
    ocr_lines = text.splitlines()
    errors = characters = 0
    for line in known:
        best = min((levenshtein(line, candidate) for candidate in ocr_lines), default=len(line))
        errors += min(best, len(line))
        characters += len(line)
    return errors, characters


def _accuracy(errors: int, characters: int) -> float | None:
    return round(1 - errors / characters, 4) if characters else None


def _stored(image: Image.Image, quality: int = 60) -> Image.Image:
    """The frame as the OCR worker sees it: encoded to WebP as the frame store does."""
    return Image.open(io.BytesIO(encode_webp(image, quality))).convert("RGB")


def ocr_accuracy(frames: int, seed: int) -> dict[str, Any]:
    """Character accuracy (1 - edit distance / length) of each known line against the
    closest OCR line, over generated screenshots in light and dark, three fonts, four sizes.

    Read with the product's engine and, on the same frames in alternating order (the
    machine is shared, so only interleaved timings compare), with RapidOCR's own defaults
    (full-resolution detection, batches of six): ``ocr_ab.full_frame``."""
    from capture.ocr import OcrEngine

    rng = random.Random(seed)
    engines = {"product": OcrEngine(), "rapidocr_defaults": OcrEngine(det_max_side=None,
                                                                       rec_batch=6)}
    for engine in engines.values():
        engine.read(Screen(["warm up"], width=320, height=120).render())
    seconds: dict[str, list[float]] = {name: [] for name in engines}
    errors = {name: [0, 0] for name in engines}
    for index in range(frames):
        screen = random_screen(rng, dark=index % 2 == 1, font_name=FONTS[index % len(FONTS)])
        image = screen.render()
        order = list(engines) if index % 2 == 0 else list(reversed(engines))
        for name in order:
            started = time.perf_counter()
            result = engines[name].read(image)
            seconds[name].append(time.perf_counter() - started)
            wrong, total = char_errors(screen.lines, result.text)
            errors[name][0] += wrong
            errors[name][1] += total
    ab = {name: {"seconds_per_frame": round(statistics.median(seconds[name]), 3)
                 if seconds[name] else None,
                 "char_accuracy": _accuracy(*errors[name])} for name in engines}
    product = ab["product"]
    return {
        "frames": frames,
        "ocr_seconds_per_frame": product["seconds_per_frame"],
        "ocr_char_accuracy": product["char_accuracy"],
        "ocr_ab": {"full_frame": ab},
    }


def incremental_ocr_ab(frames: int, seed: int) -> dict[str, Any]:
    """A window being worked in: each frame the clock ticks and a line is typed, edited or
    appended (a chat, a document). Each frame is read whole and incrementally (only what
    changed against the previous stored frame, capture/ocr_regions.py), alternating which
    goes first; both are scored against the known lines."""
    from capture.ocr import OcrEngine
    from capture.ocr_regions import IncrementalOcr, Reference

    rng = random.Random(seed + 1)
    engine = OcrEngine()
    incremental = IncrementalOcr(engine, full_every=10**9)  # measure the region path alone
    screen = random_screen(rng, lines=[sentence(rng) for _ in range(4)], size=22)
    reference: Reference | None = None
    seconds: dict[str, list[float]] = {"full": [], "incremental": []}
    errors = {name: [0, 0] for name in seconds}
    for index in range(frames + 1):
        if index:
            screen.clock = f"12:{index // 20:02d}:{index * 3 % 60:02d}"
            if len(screen.lines) < 14 and rng.random() < 0.6:
                screen.lines.append(sentence(rng))
            else:
                screen.lines[rng.randrange(len(screen.lines))] = sentence(rng)
        image = _stored(screen.render())
        results = {}
        for name in (("full", "incremental") if index % 2 else ("incremental", "full")):
            started = time.perf_counter()
            if name == "full":
                results[name] = engine.read(image)
            else:
                results[name] = incremental.read(image, reference, chain="bench")
            elapsed = time.perf_counter() - started
            if index:  # the first frame has no reference: both read it whole
                seconds[name].append(elapsed)
                wrong, total = char_errors(screen.lines, results[name].text)
                errors[name][0] += wrong
                errors[name][1] += total
        reference = Reference(image, results["incremental"].lines)
    out: dict[str, Any] = {
        name: {"seconds_per_frame": round(statistics.median(seconds[name]), 3)
               if seconds[name] else None, "char_accuracy": _accuracy(*errors[name])}
        for name in seconds
    }
    out["frames"] = frames
    out["incremental"]["reads"] = incremental.stats.to_dict()
    return out


# -- storage --------------------------------------------------------------------------------

def stored_bytes(frames: int, seed: int, quality: int) -> dict[str, Any]:
    rng = random.Random(seed)
    sizes = [len(encode_webp(random_screen(rng).render(), quality)) for _ in range(frames)]
    return {"stored_bytes_median": int(statistics.median(sizes)), "webp_quality": quality,
            "stored_bytes_max": max(sizes)}


# -- grab + dedup CPU -----------------------------------------------------------------------

def _start_xvfb() -> tuple[subprocess.Popen[bytes], str] | None:
    if shutil.which("Xvfb") is None:
        return None
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp", "-screen", "0",
         f"{WIDTH}x{HEIGHT}x24"], pass_fds=(write_end,), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as reader:
        number = reader.readline().strip()
    return (process, f":{number}") if number else None


def grab_and_dedup_cpu(grabs: int) -> dict[str, Any]:
    """CPU milliseconds per grab + dedup decision while the screen does not change."""
    from capture.grabber import ScreenGrabber

    started_server = None
    display = os.environ.get("DISPLAY")
    if not display and sys.platform.startswith("linux"):
        started_server = _start_xvfb()
        if started_server is None:
            return {"grab_dedup_cpu_ms": None, "note": "no X display and no Xvfb"}
        display = started_server[1]
    try:
        grabber = ScreenGrabber(display)
        monitor = grabber.monitors()[0]
        dedup = Deduplicator()
        cpu, wall, kept = [], [], 0
        for index in range(grabs + 2):
            cpu_start, wall_start = time.process_time(), time.perf_counter()
            grab = grabber.grab(monitor)
            if grab.image is None:
                raise RuntimeError(f"grab failed: {grab.error}")
            decision = dedup.decide(monitor.number, grab.image, now=float(index),
                                    window_id="0x1")
            if decision.keep:
                dedup.remember(monitor.number, decision.fingerprint)
                kept += 1
            if index >= 2:  # the first grabs set up shared memory and the reference
                cpu.append((time.process_time() - cpu_start) * 1000)
                wall.append((time.perf_counter() - wall_start) * 1000)
        grabber.close()
        return {
            "grab_dedup_cpu_ms": round(statistics.median(cpu), 2),
            "grab_dedup_wall_ms": round(statistics.median(wall), 2),
            "grab_size": [monitor.width, monitor.height],
            "grabs": grabs,
            "kept_while_unchanged": kept - 1,
        }
    finally:
        if started_server is not None:
            started_server[0].terminate()
            started_server[0].wait()


_WINDOWS_SCRIPT = """
import sys, tkinter as tk
root = tk.Tk(className="benchwindows")
root.withdraw()
count = int(sys.argv[1])
mapped = set()
def on_map(event):
    if event.widget in tops and event.widget not in mapped:
        mapped.add(event.widget)
        if len(mapped) == count:
            root.update()
            print("ready", flush=True)
tops = []
for index in range(count):
    top = tk.Toplevel(root)
    top.title(f"window {index} - a title long enough to be realistic")
    top.geometry(f"400x300+{index * 40}+{index * 30}")
    tk.Label(top, text=f"window {index}").pack()
    top.bind("<Map>", on_map)
    tops.append(top)
root.mainloop()
"""


def visible_windows_cost(reads: int, windows: int) -> dict[str, Any]:
    """CPU and wall milliseconds per read of the visible windows with ``windows`` windows
    open, under the matchbox window manager when installed (the EWMH path)."""
    from capture.visible_windows import X11VisibleWindows

    if not sys.platform.startswith("linux") or windows <= 0:
        return {"read_cpu_ms": None, "note": "X11 only"}
    started_server = _start_xvfb()
    if started_server is None:
        return {"read_cpu_ms": None, "note": "no Xvfb"}
    server, display = started_server
    env = {**os.environ, "DISPLAY": display}
    helpers: list[subprocess.Popen[bytes]] = []
    try:
        if shutil.which("matchbox-window-manager"):
            helpers.append(subprocess.Popen(
                ["matchbox-window-manager", "-use_titlebar", "no", "-display", display],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        app = subprocess.Popen([sys.executable, "-c", _WINDOWS_SCRIPT, str(windows)], env=env,
                               stdout=subprocess.PIPE)
        helpers.append(app)
        assert app.stdout is not None
        if app.stdout.readline().strip() != b"ready":
            return {"read_cpu_ms": None, "note": "the Tk windows did not start"}
        reader = X11VisibleWindows(display)
        seen = len(reader.read())
        cpu, wall = [], []
        for _ in range(reads):
            cpu_start, wall_start = time.process_time(), time.perf_counter()
            reader.read()
            cpu.append((time.process_time() - cpu_start) * 1000)
            wall.append((time.perf_counter() - wall_start) * 1000)
        reader.close()
        return {"windows": windows, "visible": seen, "reads": reads,
                "read_cpu_ms": round(statistics.median(cpu), 3),
                "read_wall_ms": round(statistics.median(wall), 3),
                "window_manager": bool(helpers[:-1])}
    finally:
        for helper in helpers:
            helper.terminate()
            helper.wait()
        server.terminate()
        server.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.capture", description=__doc__)
    parser.add_argument("--sequence", type=int, default=240, help="frames in the dedup run")
    parser.add_argument("--ocr-frames", type=int, default=6)
    parser.add_argument("--incremental-frames", type=int, default=12,
                        help="frames of the typed-in window for the incremental OCR A/B")
    parser.add_argument("--bytes-frames", type=int, default=12)
    parser.add_argument("--grabs", type=int, default=30)
    parser.add_argument("--windows", type=int, default=10,
                        help="windows open while timing the visible-window read (0: skip)")
    parser.add_argument("--quality", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result: dict[str, Any] = {"machine": {"platform": platform.platform(),
                                          "cpus": os.cpu_count()}}
    result.update(grab_and_dedup_cpu(args.grabs))
    result["visible_windows"] = visible_windows_cost(max(args.grabs, 10), args.windows)
    result["dedup"] = dedup_quality(args.sequence, args.seed)
    result.update(stored_bytes(args.bytes_frames, args.seed, args.quality))
    result.update(ocr_accuracy(args.ocr_frames, args.seed))
    if args.incremental_frames:
        result["ocr_ab"]["incremental"] = incremental_ocr_ab(args.incremental_frames, args.seed)
    result["seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
