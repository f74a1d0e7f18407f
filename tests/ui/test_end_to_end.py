"""End to end under a real X server: start the real app, grant consent, open a window with
known text, and find the resulting episodic memory in the timeline, in search and in chat.

Everything is real: Xvfb with a window manager, the capture pipeline grabbing the screen,
RapidOCR, extraction with the bundled model, SQLite, Chroma, the Qt widgets (driven in the
app's own process by tests/ui/e2e_app.py). Stated time: the memory appears within
``MEMORY_DEADLINE_S`` seconds of the window opening.
"""

from __future__ import annotations

import json
import time

import pytest

from tests.ui.e2e_client import App, until

pytestmark = [pytest.mark.slow, pytest.mark.xvfb]

MEMORY_DEADLINE_S = 240
TITLE = "Orchid launch plan — Notes"
LINES = ["Orchid launch plan", "The Orchid launch review is on Thursday at 10:00",
         "Owner: Priya Raman, budget 40000 euros"]


def test_window_text_becomes_a_memory_in_timeline_search_and_chat(tmp_path) -> None:
    from tests.capture.xhelpers import Window, xvfb

    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o700)
    # The user's own settings file: never pause for idleness (Xvfb has no input at all).
    (data_dir / "settings.json").write_text(json.dumps({"pause_when_idle_seconds": 0}))
    with xvfb([(1280, 800)]) as server:
        env = server.env()
        env["QT_QPA_PLATFORM"] = "xcb"
        env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
        env["HOME"] = str(tmp_path)
        env.pop("ENGRAM_DATA_DIR", None)
        app = App(env, data_dir)
        try:
            granted = app.send("consent")
            assert granted["ok"] and granted["title"] == "Engram"
            assert granted["capture_enabled"] is True
            opened = time.monotonic()
            notes = Window(server, title=TITLE, lines=LINES)

            def frames_ocrd() -> int:
                frames = app.send("status")["frames"]
                return frames.get("ocr_done", 0) + frames.get("extracted", 0)

            until(lambda: frames_ocrd() >= 1, MEMORY_DEADLINE_S, "the notes window OCR'd")
            # Moving on to another window closes the notes' activity segment.
            notes.close()
            other = Window(server, title="Scratch — Terminal", lines=["ls -la", "make test"])
            episodes: list[str] = []

            def orchid_episode() -> bool:
                episodes[:] = app.send("episodes")["episodes"]
                return any("Orchid" in text for text in episodes)

            until(orchid_episode, MEMORY_DEADLINE_S - (time.monotonic() - opened),
                   "the Orchid episode on the timeline")
            seconds = time.monotonic() - opened
            print(f"episodic memory on the timeline {seconds:.0f} s after the window opened")
            other.close()

            results = app.send("search Orchid launch review")["results"]
            assert results and "Orchid" in results[0], results

            answer = app.send("ask When is the Orchid launch review?")
            assert answer["done"] and not answer["failure"], answer
            assert answer["citations"], answer
            assert any("Orchid" in (s or "") + (t or "") for s, t in
                       zip(answer["supporting"], answer["supporting_titles"], strict=True))
        finally:
            app.close()
