"""Soak: the CPU, memory and disk budget of the running desktop app.

    python -m bench.soak --rate 20s --minutes 10 --json

Starts the real desktop app (``python -m app run``, capture on, first-run consent answered
the way the first-run screen records it) on its own Xvfb with a window manager, and shows a
new real window at the given rate: Chromium in app mode on a local HTML page (mail, order,
article, chat, runbook) or an xterm running a shell session. Every screen carries one unique
code word. It measures from outside the app, from ``/proc`` and a read-only look at the
data folder:

- ``cpu_share_of_one_core``: CPU time of the app and its children over the soak's wall time;
- ``rss_mb``: peak and steady (median of the last third) resident memory of the app and
  its children (PSS: pages shared with a short-lived forked child count once), and
  whether the language model was loaded at the end;
- ``bytes_written_per_hour``: the app's write_bytes (``/proc/PID/io``) and the frames
  folder's growth, both per hour;
- ``frames``: captured / skipped / failed counters, and screens ``lost`` (shown but never
  found in any frame's text);
- ``queue``: queue length (pending + ocr_done) and RSS over time, and ``drain_seconds``
  after the last screen;
- ``searchable_seconds``: per screen, time from its window appearing to its code word
  being in the full-text index (``memory_fts``: the lexical half of ``engram search``);
- ``footprint_mb``: each part's resident-memory cost (Qt main window, OCR session,
  embedder, Chroma, language model), measured by loading them one by one in a probe process.

Beside the figures: the load average (other work on the machine inflates CPU figures).
Targets (issue 15): <= 15% of one core at a screen every 20 s; steady RSS <= 600 MB with the
model released (<= 900 MB loaded); no screen lost; queue drained within 120 s; median
searchable <= 60 s; frames <= 150 MB/hour (<= 5 MB with ``--drop-images``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.processes import stop, stop_group

ROOT = Path(__file__).resolve().parents[1]
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") / 1024
SAMPLE_S = 2.0
DRAIN_LIMIT_S = 300.0
TARGETS = {"cpu_share_of_one_core": 0.15, "steady_rss_mb_released": 600,
           "steady_rss_mb_loaded": 900, "drain_seconds": 120, "searchable_median_s": 60,
           "frames_mb_per_hour": 150, "frames_mb_per_hour_dropped": 5}

WORDS = ["budget", "review", "moved", "to", "the", "Aurora", "room", "after", "the", "vendor",
         "call;", "please", "bring", "the", "signed", "copy", "and", "the", "updated",
         "forecast", "for", "the", "second", "quarter"]


# -- the screens ----------------------------------------------------------------------------

def _page(kind: str, code: str, n: int) -> tuple[str, str]:
    """(title, html) of one ordinary page carrying ``code``."""
    rng = random.Random(n)
    filler = " ".join(rng.choice(WORDS) for _ in range(60))
    if kind == "mail":
        title = f"Invoice {code} - Inbox - Mailbox"
        body = (f"<h2>Invoice {code} for the design work</h2><p><b>From:</b> Lena Hartmann "
                f"&lt;lena.hartmann@example.org&gt;</p><p>Hello, the invoice {code} is "
                f"attached. Payment is due on 14 May.</p><p>{filler}</p>")
    elif kind == "order":
        title = f"Order {code} confirmed"
        body = (f"<h2>Thank you for your order</h2><table border=1><tr><th>Order</th>"
                f"<th>Item</th><th>Total</th></tr><tr><td>{code}</td><td>Studio monitor"
                f"</td><td>EUR 139.00</td></tr></table><p>{filler}</p>")
    elif kind == "article":
        title = f"{code} (river) - Encyclopedia"
        body = (f"<h1>{code}</h1><p>The {code} is a river in the north of the valley. "
                f"{filler}</p><p>{filler}</p>")
    elif kind == "chat":
        title = f"#release-{n} | Team chat"
        body = (f"<p><b>Marta</b> 10:{n % 60:02d}</p><p>The release tag is {code}, "
                f"ship it after lunch.</p><p><b>Dev</b> 10:{(n + 2) % 60:02d}</p>"
                f"<p>{filler}</p>")
    else:
        title = f"Runbook {code} - Wiki"
        body = (f"<h2>Runbook {code}</h2><ol><li>Stop the worker</li><li>Run the backup "
                f"script</li><li>Start the worker</li></ol><p>{filler}</p>")
    html = (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
            f"<style>body{{font:20px sans-serif;margin:40px;max-width:1100px}}</style>"
            f"</head><body>{body}</body></html>")
    return title, html


@dataclass
class Screen:
    n: int
    code: str
    kind: str
    shown_at: float
    searchable_at: float | None = None
    in_frames: bool = False


@dataclass
class Desktop:
    """Xvfb + matchbox + the windows the soak shows, all started (and stopped) here."""

    workdir: Path
    display: str = ""
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    window: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        from bench.real_screens.display import start_xvfb

        xvfb, self.display = start_xvfb("1600x1000x24")
        self.processes.append(xvfb)
        self.processes.append(subprocess.Popen(
            ["matchbox-window-manager", "-use_titlebar", "no", "-display", self.display],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        time.sleep(1.0)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["DISPLAY"] = self.display
        env.pop("QT_QPA_PLATFORM", None)
        return env

    def show(self, n: int, code: str) -> str:
        """Replace the current window with screen ``n``; its kind."""
        kinds = ("mail", "terminal", "order", "article", "chat", "terminal", "runbook")
        kind = kinds[n % len(kinds)]
        if kind == "terminal":
            script = (f"PS1='sam@laptop:~/deploy$ '; echo 'sam@laptop:~/deploy$ ./release.sh "
                      f"--tag {code}'; echo 'building {code} ...'; for i in 1 2 3 4 5 6; "
                      f"do echo \"step $i of 6: ok\"; done; echo 'release {code} done'; "
                      "exec sleep 100000")
            args = ["xterm", "-T", f"sam@laptop: ~/deploy ({n})", "-fa", "DejaVu Sans Mono",
                    "-fs", "14", "-geometry", "110x35", "-e", "bash", "--noprofile",
                    "--norc", "-c", script]
        else:
            _title, html = _page(kind, code, n)
            page = self.workdir / "pages" / f"page{n}.html"
            page.parent.mkdir(exist_ok=True)
            page.write_text(html, encoding="utf-8")
            profile = self.workdir / "chromium" / f"p{n}"
            args = ["chromium", f"--app=file://{page}", f"--user-data-dir={profile}",
                    "--no-first-run", "--no-default-browser-check", "--disable-gpu",
                    "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1500,950",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--password-store=basic", "--disable-extensions",
                    "--disable-features=Translate,MediaRouter,OptimizationHints"]
        previous = self.window
        self.window = subprocess.Popen(args, env=self.env(), stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, start_new_session=True)
        if previous is not None:
            time.sleep(3.0)  # the new window is up before the old one goes
            stop_group(previous, timeout=10)
        return kind

    def stop(self) -> None:
        if self.window is not None:
            stop_group(self.window, timeout=10)
        for process in reversed(self.processes):
            stop(process, timeout=60)


# -- measuring from /proc -------------------------------------------------------------------

def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _cpu_seconds(pid: int, *, reaped: bool) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if reaped:
        ticks += int(fields[13]) + int(fields[14])  # children already waited for
    return ticks / CLK_TCK


def _rss_mb(pid: int) -> float:
    pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return pages * PAGE_KB / 1024


def _pss_mb(pid: int) -> float:
    """Proportional resident memory: a page shared with a forked child counts once in the
    tree's sum (plain RSS would count a momentary fork twice)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return _rss_mb(pid)


def _write_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        if line.startswith("write_bytes:"):
            return int(line.split()[1])
    return 0


def sample_tree(pid: int) -> tuple[float, float]:
    """(CPU seconds, resident MB as PSS) of ``pid`` and its living descendants."""
    cpu = rss = 0.0
    for index, member in enumerate(_descendants(pid)):
        try:
            cpu += _cpu_seconds(member, reaped=index == 0)
            rss += _pss_mb(member)
        except (OSError, ValueError, IndexError):
            continue
    return cpu, rss


def _dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


# -- the data folder, read only -------------------------------------------------------------

class Folder:
    def __init__(self, data_dir: Path) -> None:
        self.db_path = data_dir / "engram.db"
        self._conn: sqlite3.Connection | None = None

    def conn(self) -> sqlite3.Connection | None:
        if self._conn is None and self.db_path.exists():
            self._conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=5)
        return self._conn

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        conn = self.conn()
        if conn is None:
            return []
        try:
            return conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError:  # a table not created yet, or a busy moment
            return []

    def queue(self) -> int:
        rows = self.query("SELECT count(*) FROM frames WHERE status IN ('pending','ocr_done')")
        return int(rows[0][0]) if rows else 0

    def searchable(self, code: str) -> bool:
        return bool(self.query("SELECT 1 FROM memory_fts WHERE memory_fts MATCH ? LIMIT 1",
                               (f'"{code.lower()}"',)))

    def in_frames(self, code: str) -> bool:
        return bool(self.query("SELECT 1 FROM frames WHERE ocr_text LIKE ? LIMIT 1",
                               (f"%{code}%",)))

    def counters(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.query("SELECT name, value FROM counters")}

    def statuses(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in
                self.query("SELECT status, count(*) FROM frames GROUP BY status")}


# -- the soak -------------------------------------------------------------------------------

def prepare_folder(data_dir: Path, *, drop_images: bool) -> None:
    """What the first-run screen records when the user turns capture on, plus the soak's
    own exclusions (the app's windows) and no idle pause (Xvfb has no input at all)."""
    from app.settings import Settings
    from ui.consent_view import record_consent

    settings = Settings(data_dir)
    settings.set("excluded_title_patterns", ["^Engram$", r"^Frame \d+$"])
    settings.set("pause_when_idle_seconds", 0)
    settings.set("drop_images_after_extraction", drop_images)
    settings.set("capture_enabled", True)
    record_consent(data_dir, True)


def soak(rate_s: float, minutes: float, *, drop_images: bool, workdir: Path) -> dict[str, Any]:
    data_dir = workdir / "data"
    data_dir.mkdir(mode=0o700)
    prepare_folder(data_dir, drop_images=drop_images)
    folder = Folder(data_dir)
    desktop = Desktop(workdir)
    desktop.start()
    env = desktop.env()
    env.update({"HOME": str(workdir), "XDG_CONFIG_HOME": str(workdir / "config"),
                "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(ROOT)})
    env.pop("ENGRAM_DATA_DIR", None)
    app = subprocess.Popen([sys.executable, "-m", "app", "--data-dir", str(data_dir), "run"],
                           env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                           stderr=(workdir / "app.log").open("wb"))
    screens: list[Screen] = []
    samples: list[dict[str, float]] = []
    try:
        time.sleep(10.0)  # the app's own start-up (window, tray, pipeline)
        cpu0, _ = sample_tree(app.pid)
        io0 = _write_bytes(app.pid)
        frames0 = _dir_bytes(data_dir / "frames")
        soak_start = time.monotonic()
        soak_end = soak_start + minutes * 60
        next_screen = soak_start
        input_stopped: float | None = None
        drained_at: float | None = None
        while True:
            now = time.monotonic()
            if app.poll() is not None:
                raise RuntimeError(f"the app exited with {app.returncode}; see app.log")
            if now < soak_end and now >= next_screen:
                n = len(screens)
                code = f"QX{n:02d}{random.Random(n).randrange(1000, 9999)}"
                kind = desktop.show(n, code)
                screens.append(Screen(n, code, kind, time.monotonic()))
                next_screen += rate_s
            if now >= soak_end and input_stopped is None:
                input_stopped = now
            cpu, rss = sample_tree(app.pid)
            queue = folder.queue()
            samples.append({"t": round(now - soak_start, 1), "cpu": cpu, "rss_mb": rss,
                            "queue": queue})
            for screen in screens:
                if screen.searchable_at is None and folder.searchable(screen.code):
                    screen.searchable_at = time.monotonic()
            if input_stopped is not None:
                done = queue == 0 and all(s.searchable_at for s in screens)
                if queue == 0 and drained_at is None:
                    drained_at = now
                if done or now - input_stopped > DRAIN_LIMIT_S:
                    break
            time.sleep(SAMPLE_S)
        end = time.monotonic()
        cpu_end, _ = sample_tree(app.pid)
        io_end = _write_bytes(app.pid)
        frames_end = _dir_bytes(data_dir / "frames")
        for screen in screens:
            screen.in_frames = folder.in_frames(screen.code)
        counters, statuses = folder.counters(), folder.statuses()
        llm_loaded = _llm_loaded(app.pid)
    finally:
        stop(app, timeout=60)
        desktop.stop()
    soak_samples = [s for s in samples if s["t"] <= minutes * 60]
    wall = max(1e-6, (input_stopped or end) - soak_start)
    cpu_soak = _cpu_at(soak_samples, wall) - cpu0 if soak_samples else cpu_end - cpu0
    hours = (end - soak_start) / 3600
    rss_series = [s["rss_mb"] for s in soak_samples] or [0.0]
    steady = rss_series[len(rss_series) * 2 // 3:] or rss_series
    waits = [s.searchable_at - s.shown_at for s in screens if s.searchable_at]
    return {
        "rate_s": rate_s, "minutes": minutes, "drop_images_after_extraction": drop_images,
        "screens_shown": len(screens),
        "cpu_share_of_one_core": round(cpu_soak / wall, 3),
        "cpu_share_incl_drain": round((cpu_end - cpu0) / max(1e-6, end - soak_start), 3),
        "rss_mb": {"peak": round(max(s["rss_mb"] for s in samples), 1),
                   "steady": round(statistics.median(steady), 1),
                   "llm_loaded_at_end": llm_loaded},
        "bytes_written_per_hour": {
            "process_write_bytes": int((io_end - io0) / hours),
            "frames_folder": int((frames_end - frames0) / hours),
            "frames_mb_per_hour": round((frames_end - frames0) / hours / 1e6, 1),
        },
        "frames": {
            "statuses": statuses,
            "captured": counters.get("captured", 0),
            "skipped": {k: v for k, v in counters.items() if k.startswith("skipped")},
            "failed": statuses.get("failed", 0),
            "blank_joined": counters.get("frames_blank", 0),
            "lost": sum(1 for s in screens if not s.in_frames),
            "model_calls": counters.get("extraction_model_calls", 0),
            "episodes_segments": counters.get("extraction_segments", 0),
        },
        "queue": {
            "over_time": [[s["t"], s["queue"], round(s["rss_mb"])]
                          for s in samples[:: max(1, len(samples) // 60)]],
            "over_time_columns": ["seconds", "queue", "rss_mb"],
            "max": max((s["queue"] for s in samples), default=0),
            "drain_seconds": round(drained_at - input_stopped, 1)
            if drained_at and input_stopped else None,
        },
        "searchable_seconds": {
            "median": round(statistics.median(waits), 1) if waits else None,
            "max": round(max(waits), 1) if waits else None,
            "never": sum(1 for s in screens if s.searchable_at is None),
            "by_kind": {kind: round(statistics.median(
                [s.searchable_at - s.shown_at for s in screens
                 if s.kind == kind and s.searchable_at]), 1)
                for kind in sorted({s.kind for s in screens})
                if any(s.kind == kind and s.searchable_at for s in screens)},
        },
    }


def _cpu_at(samples: list[dict[str, float]], t: float) -> float:
    """The app tree's CPU seconds at the sample nearest to soak time ``t``."""
    return min(samples, key=lambda s: abs(s["t"] - t))["cpu"]


def _llm_loaded(pid: int) -> bool:
    """Whether a GGUF file is mapped into the app right now (the model's weights)."""
    try:
        return ".gguf" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


# -- per-part footprint (a probe process) ---------------------------------------------------

def probe() -> dict[str, float]:
    """Load each part in turn in this process; the RSS each one adds, in MB."""
    def rss() -> float:
        return _rss_mb(os.getpid())

    parts: dict[str, float] = {}
    base = rss()
    tmp = Path(tempfile.mkdtemp(prefix="engram-soak-probe-"))
    try:
        from PIL import Image, ImageDraw

        image = Image.new("RGB", (1280, 800), "white")
        ImageDraw.Draw(image).text((40, 40), "Invoice QX001234 due on 14 May", fill="black")
        parts["python_and_imports"] = round(base, 1)

        before = rss()
        from capture.ocr import OcrEngine

        OcrEngine().read(image)
        parts["ocr_session"] = round(rss() - before, 1)

        before = rss()
        from memory.embedder import Embedder

        Embedder(threads=2).embed(["a sentence to embed"])
        parts["embedder"] = round(rss() - before, 1)

        before = rss()
        from app.services import Services

        services = Services(tmp / "data")
        services.store.vectors.count()
        parts["chroma_and_store"] = round(rss() - before, 1)

        before = rss()
        model = services.language_model()
        if model is not None:
            model.load()
        parts["language_model"] = round(rss() - before, 1)
        if model is not None:
            model.close()

        before = rss()
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication

        from ui.context import UiContext
        from ui.main_window import MainWindow

        qt_app = QApplication.instance() or QApplication([])
        window = MainWindow(UiContext(services))
        window.show()
        qt_app.processEvents()
        parts["qt_main_window"] = round(rss() - before, 1)
        window.close()
        services.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return parts


def footprint() -> dict[str, float] | str:
    done = subprocess.run([sys.executable, "-m", "bench.soak", "--probe"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode != 0:
        return f"probe failed: {done.stderr.strip().splitlines()[-1:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def parse_rate(text: str) -> float:
    text = text.strip().lower()
    if text.endswith("m"):
        return float(text[:-1]) * 60
    return float(text.rstrip("s"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split(
        "\n\n")[0])
    parser.add_argument("--rate", default="20s", help="a new screen every ... (20s, 1m)")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--drop-images", action="store_true",
                        help="with drop_images_after_extraction on")
    parser.add_argument("--no-footprint", action="store_true", help="skip the probe")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe:
        print(json.dumps(probe()))
        return 0
    missing = [t for t in ("Xvfb", "matchbox-window-manager", "chromium", "xterm")
               if shutil.which(t) is None]
    if missing:
        print(json.dumps({"error": f"needs {', '.join(missing)}"}))
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="engram-soak-"))
    load_before = os.getloadavg()
    try:
        result = soak(parse_rate(args.rate), args.minutes, drop_images=args.drop_images,
                      workdir=workdir)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    result["footprint_mb"] = None if args.no_footprint else footprint()
    result["load_average"] = {"before": [round(x, 2) for x in load_before],
                              "after": [round(x, 2) for x in os.getloadavg()]}
    result["cpus"] = os.cpu_count()
    result["targets"] = TARGETS
    if args.keep:
        result["workdir"] = str(workdir)
    print(json.dumps(result, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
