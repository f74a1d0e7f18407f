"""The CLI contract and kill -9 safety, through real ``engram`` processes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.capture.xhelpers import Window, XServer, xvfb

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]


def engram(x: XServer, data_dir: Path, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "app", "--data-dir", str(data_dir), *args],
                          env=x.env(), capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def write_settings(data_dir: Path, **values) -> None:
    base = {"capture_interval_seconds": 0.5, "pause_when_idle_seconds": 0}
    (data_dir / "settings.json").write_text(json.dumps({**base, **values}))


def test_capture_once_ingest_and_status_json(data_dir: Path) -> None:
    write_settings(data_dir)
    with xvfb([(800, 500)]) as x:
        Window(x, title="Recipe — Notes", lines=["Preheat the oven to 200 degrees"],
               app_class="notesapp")
        first = engram(x, data_dir, "capture", "--once", "--json")
        second = engram(x, data_dir, "capture", "--once", "--json")
        ingest = engram(x, data_dir, "ingest", "--wait", "--json")
        status = engram(x, data_dir, "status", "--json")
    (frame,) = first["frames"]
    assert set(frame) >= {"id", "monitor", "status", "app", "window_title"}
    assert (frame["monitor"], frame["status"], frame["app"], frame["window_title"]) == (
        1, "stored", "notesapp", "Recipe — Notes")
    assert [f["status"] for f in second["frames"]] == ["duplicate"]  # seeded from disk
    assert (ingest["ocr_done"], ingest["failed"], ingest["pending"]) == (1, 0, 0)
    # The extraction step (another module) may have moved the frame on after OCR.
    assert sum(status["frames"].values()) == 1
    assert set(status["frames"]) <= {"ocr_done", "extracted"}
    counters = status["counters"]
    assert (counters["captured"], counters["skipped_duplicate"], counters["ocr_done"]) == (
        1, 1, 1)


def test_kill_9_during_a_burst_loses_nothing_and_does_nothing_twice(data_dir: Path) -> None:
    write_settings(data_dir)
    with xvfb([(800, 500)]) as x:
        Window(x, title="Busy", lines=["A window that never stops changing"],
               app_class="busyapp", tick_ms=150)
        for _round in range(2):
            watch = subprocess.Popen(
                [sys.executable, "-m", "app", "--data-dir", str(data_dir), "capture",
                 "--watch", "--json"],
                env=x.env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            stored = 0
            assert watch.stdout is not None
            for line in watch.stdout:  # each grab prints one JSON line
                stored += sum(f["status"] == "stored" for f in json.loads(line)["frames"])
                if stored >= 4:
                    break
            watch.send_signal(signal.SIGKILL)  # mid-burst: capture and OCR both busy
            watch.wait()
            assert stored >= 4
        import sqlite3

        db = sqlite3.connect(data_dir / "engram.db")
        left = db.execute("SELECT count(*) FROM frames WHERE status = 'pending'").fetchone()[0]
        db.close()
        assert left >= 1  # the killed processes left work behind for the restart
        ingest = engram(x, data_dir, "ingest", "--wait", "--json")
        engram(x, data_dir, "capture", "--once", "--json")  # a restart: cleans up orphans
        engram(x, data_dir, "ingest", "--wait", "--json")
        status = engram(x, data_dir, "status", "--json")
    db = sqlite3.connect(data_dir / "engram.db")
    rows = db.execute("SELECT id, status, image_path, ocr_text FROM frames").fetchall()
    counters = dict(db.execute("SELECT name, value FROM counters").fetchall())
    db.close()
    assert len(rows) >= 8
    statuses = {status for _id, status, _path, _text in rows}
    assert statuses <= {"ocr_done", "extracted"}, statuses  # none stuck or failed
    assert counters["captured"] == len(rows)  # none lost between file, row and counter
    assert counters["ocr_done"] == len(rows)  # none processed twice
    assert all("A window that never stops changing" in text for *_x, text in rows)
    on_disk = {p.relative_to(data_dir).as_posix() for p in (data_dir / "frames").rglob("*")
               if p.is_file()}
    assert on_disk == {path for _id, _status, path, _text in rows}  # no orphan, none missing
    assert ingest["failed"] == 0 and status["frames"].get("pending", 0) == 0
