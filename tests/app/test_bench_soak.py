"""bench/soak's own measuring: rates, and CPU and memory of a process tree from /proc
(the soak itself needs Xvfb, Chromium and minutes: it is run by hand, not here)."""

from __future__ import annotations

import subprocess
import sys

from bench.soak import parse_rate, sample_tree


def test_rates_read_like_the_issue_writes_them() -> None:
    assert parse_rate("20s") == 20.0 and parse_rate("1m") == 60.0 and parse_rate("5") == 5.0


def test_a_busy_child_counts_toward_the_tree() -> None:
    busy = "import time\nend = time.process_time() + 1.0\nwhile time.process_time() < end: pass\n"
    parent = subprocess.Popen(
        [sys.executable, "-c",
         f"import subprocess, sys; subprocess.run([sys.executable, '-c', {busy!r}]); "
         "import time; time.sleep(30)"])
    try:
        cpu, rss = 0.0, 0.0
        for _ in range(200):
            cpu, rss = sample_tree(parent.pid)
            if cpu >= 0.9:
                break
            subprocess.run(["sleep", "0.1"], check=True)
        assert cpu >= 0.9  # the child's second of CPU, reaped by the parent, is counted
        assert rss > 5
    finally:
        parent.kill()
        parent.wait()
