"""The extraction worker on the real frame queue: batches, retries, crash safety,
back-pressure, and the ingest hook."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

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
    report = ExtractionWorker(store, ExtractionPipeline(store), batch_frames=5).drain()
    assert report.frames_extracted == 7 and report.segments >= 2
    assert statuses(store) == {"extracted": 7}
    assert store.counts()["episodic"] == 2 and store.counts()["procedural"] == 1
    counters = dict(store.reader.execute("SELECT name, value FROM counters"))
    added = sum(n for memory_type, n in store.counts().items() if memory_type != "vault")
    assert counters["frames_extracted"] == 7 and counters["memories_add"] == added
    assert counters["vault_skipped_locked"] == 2  # two contacts; the vault is locked


def test_open_segment_waits_until_the_user_moves_on(store) -> None:
    queue_frames(store, segment(MAIL, frames=2))
    clock = [datetime(2026, 5, 12, 9, 0, 30, tzinfo=UTC)]
    worker = ExtractionWorker(store, ExtractionPipeline(store), clock=lambda: clock[0])
    assert worker.run_once().segments == 0
    assert statuses(store) == {"ocr_done": 2}
    clock[0] = datetime(2026, 5, 12, 9, 30, tzinfo=UTC)
    assert worker.run_once().frames_extracted == 2


class BrokenDiskPipeline(ExtractionPipeline):
    """Stands in for a full disk, which cannot be produced safely in a test."""

    def extract_segment(self, segment: Any, *, use_model: bool = True) -> Any:
        raise StoreUnavailable("The disk holding Engram's data is full; free some space.")


def test_failures_keep_their_error_and_are_retried_then_failed(store) -> None:
    queue_frames(store, segment(MAIL, frames=2))
    worker = ExtractionWorker(store, BrokenDiskPipeline(store), max_attempts=3)
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
    report = ExtractionWorker(store, pipeline).drain()
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
    worker = ExtractionWorker(store, ExtractionPipeline(store, model), model_backlog=2,
                              high_water=2)
    assert worker.is_behind()
    report = worker.run_once(drain=True)
    assert model.calls == 0 and report.model_skipped == 3
    assert not worker.is_behind()
    queue_frames(store, segment(MAIL, title="Mail 9", start="2026-05-12T19:00:00+00:00"))
    worker.drain()
    assert model.calls == 1


def test_ingest_runs_extraction_through_the_registered_step(tmp_path) -> None:
    from app.commands import capture_cmds, extract_cmds
    from app.services import Services

    services = Services(tmp_path / "data")
    services.settings.set("llm_model_path", str(tmp_path / "no-model.gguf"))  # rules only
    try:
        queue_frames(services.store, segment(MAIL, frames=2))
        extract_cmds._plug_into_ingest()
        report = capture_cmds.run_ingest(services, True)
        assert report["extraction"]["frames_extracted"] == 2
        assert services.store.counts()["episodic"] == 1
    finally:
        capture_cmds.register_extraction_step(None)
        services.close()


def test_background_worker_extracts_when_woken(store) -> None:
    worker = ExtractionWorker(store, ExtractionPipeline(store))
    worker.start()
    try:
        queue_frames(store, segment(MAIL, frames=2, start="2020-01-01T09:00:00+00:00"))
        worker.wake()
        assert worker.batch_done.wait(60)
    finally:
        worker.stop(timeout=30)
    assert statuses(store) == {"extracted": 2}
