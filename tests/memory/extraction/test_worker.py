"""The extraction worker on the real frame queue (the frame store owns every write to it):
batches, retries, crash safety, back-pressure, blank and loading frames, images dropped
after extraction, waiting for idle input, background priority, and ``engram ingest``."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from capture.frame_store import FrameStore
from memory.errors import StoreUnavailable
from memory.extraction.pipeline import ExtractionPipeline
from memory.extraction.worker import ExtractionWorker
from tests.memory.extraction.helpers import MAIL, queue_frames, segment


def statuses(store) -> dict[str, int]:
    return dict(store.reader.execute("SELECT status, count(*) FROM frames GROUP BY status"))


def test_drain_extracts_every_segment_and_counts_it(store) -> None:
    queue_frames(store, segment(MAIL, frames=4))
    queue_frames(store, segment("sam@laptop:~$ make test\nok\nsam@laptop:~$ make lint",
                                app="Terminal", title="sam@laptop: ~",
                                start="2026-05-12T10:00:00+00:00", frames=3))
    report = ExtractionWorker(FrameStore(store), ExtractionPipeline(store), batch_frames=5).drain()
    assert report.frames_extracted == 7 and report.segments >= 2
    assert statuses(store) == {"extracted": 7}
    assert store.counts()["episodic"] == 2 and store.counts()["procedural"] == 1
    counters = dict(store.reader.execute("SELECT name, value FROM counters"))
    added = sum(n for memory_type, n in store.counts().items() if memory_type != "vault")
    assert counters["extracted"] == 7 and counters["memories_add"] == added
    assert counters["vault_skipped_locked"] == 2  # two contacts; the vault is locked


def test_open_segment_waits_until_the_user_moves_on(store) -> None:
    queue_frames(store, segment(MAIL, frames=2))
    clock = [datetime(2026, 5, 12, 9, 0, 30, tzinfo=UTC)]
    worker = ExtractionWorker(FrameStore(store), ExtractionPipeline(store), clock=lambda: clock[0])
    assert worker.run_once().segments == 0
    assert statuses(store) == {"ocr_done": 2}
    clock[0] = datetime(2026, 5, 12, 9, 0, 45, tzinfo=UTC)  # 35 s without a new frame
    assert worker.run_once().segments == 0
    clock[0] = datetime(2026, 5, 12, 9, 0, 55, tzinfo=UTC)  # the screen stayed the same
    assert worker.run_once().frames_extracted == 2


class BrokenDiskPipeline(ExtractionPipeline):
    """Stands in for a full disk, which cannot be produced safely in a test."""

    def extract_segment(self, segment: Any, *, use_model: bool = True) -> Any:
        raise StoreUnavailable("The disk holding Engram's data is full; free some space.")


def test_failures_keep_their_error_and_are_retried_then_failed(store) -> None:
    queue_frames(store, segment(MAIL, frames=2))
    worker = ExtractionWorker(FrameStore(store), BrokenDiskPipeline(store), max_attempts=3)
    first = worker.run_once(drain=True)
    assert first.frames_retrying == 2 and statuses(store) == {"ocr_done": 2}
    report = worker.drain()
    assert report.frames_failed == 2
    rows = store.reader.execute("SELECT status, attempts, error FROM frames").fetchall()
    assert all(r[0] == "failed" and r[1] == 3 and "disk" in r[2] for r in rows)


def test_crash_between_commit_and_marking_frames_adds_no_duplicates(store) -> None:
    seg = segment(MAIL, frames=3)
    ids = queue_frames(store, seg)
    pipeline = ExtractionPipeline(store)
    # The pipeline committed its memories, then the process died before marking frames.
    pipeline.extract_segment(segment(MAIL, frames=3, first_id=ids[0]))
    before = store.counts()
    report = ExtractionWorker(FrameStore(store), pipeline).drain()
    assert store.counts() == before
    assert report.ops.get("ADD", 0) == 0 and report.ops["NOOP"] >= 2
    assert statuses(store) == {"extracted": 3}


class CountingModel:
    def __init__(self) -> None:
        self.calls = 0

    def complete_json(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self.calls += 1
        return {"summary": "", "category": "other", "facts": [], "about_user": []}


def test_back_pressure_skips_the_model_and_asks_capture_to_slow_down(store) -> None:
    model = CountingModel()
    for hour in range(3):
        queue_frames(store, segment(MAIL, title=f"Mail {hour}",
                                    start=f"2026-05-12T{10 + hour:02d}:00:00+00:00"))
    worker = ExtractionWorker(FrameStore(store), ExtractionPipeline(store, model), model_backlog=2,
                              high_water=2)
    assert worker.is_behind()
    report = worker.run_once(drain=True)
    assert model.calls == 0 and report.model_skipped == 3
    assert not worker.is_behind()
    queue_frames(store, segment(MAIL, title="Mail 9", start="2026-05-12T19:00:00+00:00"))
    worker.drain()
    assert model.calls == 1


def test_ingest_runs_ocr_then_extraction(tmp_path) -> None:
    from app.ingest import run_ingest
    from app.services import Services

    services = Services(tmp_path / "data")
    services.settings.set("llm_model_path", str(tmp_path / "no-model.gguf"))  # rules only
    try:
        queue_frames(services.store, segment(MAIL, frames=2))
        report = run_ingest(services, True)
        assert report["extraction"]["frames_extracted"] == 2
        assert services.store.counts()["episodic"] == 1
    finally:
        services.close()


def test_background_worker_extracts_when_woken(store) -> None:
    worker = ExtractionWorker(FrameStore(store), ExtractionPipeline(store))
    worker.start()
    try:
        queue_frames(store, segment(MAIL, frames=2, start="2020-01-01T09:00:00+00:00"))
        worker.wake()
        assert worker.batch_done.wait(60)
    finally:
        worker.stop(timeout=30)
    assert statuses(store) == {"extracted": 2}


def test_extraction_drops_images_when_the_setting_says_so(store) -> None:
    """The worker marks frames through the frame store, so
    ``drop_images_after_extraction`` deletes each image once its memories are committed."""
    from bench.capture import Screen
    from capture.ocr import OcrLine
    from capture.window_info import WindowInfo

    frames = FrameStore(store, drop_images_after_extraction=True)
    window = WindowInfo("0x1", "Thunderbird", "Atlas review - Thunderbird", None)
    lines = MAIL.splitlines()
    paths = []
    for i in range(2):
        frame_id = frames.save(Screen(lines[:4], width=640, height=360).render(),
                               captured_at=f"2026-05-12T09:00:{10 * i:02d}+00:00", monitor=1,
                               window=window, phash=f"{i:016x}")
        row = frames.get(frame_id)
        paths.append(store.data_dir / row.image_path)
        assert frames.complete_ocr(row, text=MAIL, lines=[
            OcrLine(text, (0, 20 * n, 300, 20 * n + 18), 0.99) for n, text in enumerate(lines)])
    assert all(path.is_file() for path in paths)
    report = ExtractionWorker(frames, ExtractionPipeline(store)).drain()
    assert report.frames_extracted == 2 and store.counts()["episodic"] == 1
    assert not any(path.exists() for path in paths)
    rows = store.reader.execute("SELECT status, image_path, image_bytes FROM frames").fetchall()
    assert rows == [("extracted", None, 0)] * 2
    assert frames.get(1).image is None


def blank(app: str, title: str, at: str) -> Any:
    return segment("", app=app, title=title, start=at)


def test_a_blank_loading_frame_joins_the_page_that_follows(store) -> None:
    """Chromium shows the file path as the title and an empty page while loading: that
    frame makes no episode of its own, it joins the page's."""
    loading = queue_frames(store, blank("chromium", "file:///srv/pages/mail.html",
                                        "2026-05-12T09:00:00+00:00"))
    page = queue_frames(store, segment(MAIL, app="chromium", title="Atlas review - Mail",
                                       start="2026-05-12T09:00:03+00:00", frames=2))
    report = ExtractionWorker(FrameStore(store), ExtractionPipeline(store)).drain()
    assert report.segments == 1 and statuses(store) == {"extracted": 3}
    episodes = store.list("episodic")
    assert len(episodes) == 1
    assert sorted(episodes[0].provenance["frames"]) == sorted(loading + page)
    assert "file:///" not in (episodes[0].fields.get("window_title") or "")


def test_a_title_that_changes_within_seconds_joins_the_next_one(store) -> None:
    queue_frames(store, segment("Loading…", app="chromium", title="mail.html",
                                start="2026-05-12T09:00:00+00:00"))
    queue_frames(store, segment(MAIL, app="chromium", title="Atlas review - Mail",
                                start="2026-05-12T09:00:04+00:00"))
    ExtractionWorker(FrameStore(store), ExtractionPipeline(store)).drain()
    assert store.counts()["episodic"] == 1


def test_a_file_path_title_with_some_text_joins_the_page_once_it_loads(store) -> None:
    queue_frames(store, segment("Atlas review\nFrom: Alice Moreau", app="chromium",
                                title="_/srv/pages/mail.html",
                                start="2026-05-12T09:00:00+00:00"))
    queue_frames(store, segment(MAIL, app="chromium", title="Atlas review - Mail",
                                start="2026-05-12T09:00:04+00:00"))
    ExtractionWorker(FrameStore(store), ExtractionPipeline(store)).drain()
    assert store.counts()["episodic"] == 1


def test_a_window_with_real_text_keeps_its_episode_however_brief(store) -> None:
    queue_frames(store, segment("Orchid launch plan\nThe Orchid launch review is on Thursday",
                                app="python3", title="Orchid launch plan — Notes",
                                start="2026-05-12T09:00:00+00:00"))
    queue_frames(store, segment("ls -la\nmake test", app="python3",
                                title="Scratch — Terminal", start="2026-05-12T09:00:03+00:00"))
    ExtractionWorker(FrameStore(store), ExtractionPipeline(store)).drain()
    assert store.counts()["episodic"] == 2


def test_a_page_read_for_a_while_keeps_its_own_episode(store) -> None:
    queue_frames(store, segment("Quarterly numbers are in the attached sheet.", app="chromium",
                                title="Numbers - Mail", start="2026-05-12T09:00:00+00:00",
                                frames=4, step_s=15))
    queue_frames(store, segment(MAIL, app="chromium", title="Atlas review - Mail",
                                start="2026-05-12T09:01:00+00:00"))
    ExtractionWorker(FrameStore(store), ExtractionPipeline(store)).drain()
    assert store.counts()["episodic"] == 2


def test_blank_frames_alone_make_nothing_and_are_not_lost(store) -> None:
    queue_frames(store, blank("xterm", "xterm", "2026-05-12T09:00:00+00:00"))
    report = ExtractionWorker(FrameStore(store), ExtractionPipeline(store)).drain()
    assert report.frames_blank == 1 and report.segments == 0
    assert statuses(store) == {"extracted": 1}
    assert store.counts()["episodic"] == 0


def test_background_extraction_waits_for_a_pause_in_input(store) -> None:
    idle = [1.0]
    worker = ExtractionWorker(FrameStore(store), ExtractionPipeline(store),
                              input_idle_seconds=lambda: idle[0], wait_for_idle_seconds=30)
    queue_frames(store, segment(MAIL, frames=2, start="2020-01-01T09:00:00+00:00"))
    worker.start()
    try:
        worker.wake()
        assert not worker.batch_done.wait(1.5)
        assert statuses(store) == {"ocr_done": 2}  # waiting, nothing lost
        idle[0] = 45.0
        worker.wake()
        assert worker.batch_done.wait(60)
    finally:
        worker.stop(timeout=30)
    assert statuses(store) == {"extracted": 2}


def test_background_threads_run_at_low_priority(store) -> None:
    from capture.ocr import OcrEngine
    from capture.pipeline import OcrWorker
    from capture.redaction import Redactor, SecretKeeper
    from memory.background import BACKGROUND_NICE, thread_io_priority, thread_nice

    worker = ExtractionWorker(FrameStore(store), ExtractionPipeline(store))
    ocr = OcrWorker(FrameStore(store), OcrEngine(), Redactor([]), SecretKeeper(store))
    queue_frames(store, segment(MAIL, frames=1, start="2020-01-01T09:00:00+00:00"))
    before = thread_nice()
    worker.start()
    ocr.start()
    try:
        assert worker.batch_done.wait(60)  # the loop is running
        assert worker._thread is not None and ocr._thread is not None
        for thread in (worker._thread, ocr._thread):
            assert thread.native_id is not None
            deadline = time.monotonic() + 10
            while thread_nice(thread.native_id) < BACKGROUND_NICE:
                assert time.monotonic() < deadline, f"{thread.name} kept its priority"
                time.sleep(0.05)
            io = thread_io_priority(thread.native_id)
            assert io is None or io == (2, 7)
        assert thread_nice() == before  # per thread: the caller's thread is untouched
    finally:
        worker.stop(timeout=30)
        ocr.stop()
