"""One writer: many threads writing and reading at once never see `database is locked`,
never lose a write, and the counts come out exact."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from memory.database import Writer, connect
from memory.errors import InvalidInput
from memory.store import MemoryStore

THREADS = 8
SECONDS = 4.0


def test_eight_threads_write_and_read_concurrently(store: MemoryStore) -> None:
    written = [0] * THREADS
    reads = [0] * THREADS
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)
    deadline = time.monotonic() + SECONDS

    def work(n: int) -> None:
        try:
            start.wait()
            i = 0
            last_seen = 0
            while time.monotonic() < deadline:
                store.add("semantic", {"name": f"t{n}-{i}", "summary": f"fact {i} of thread {n}"})
                written[n] += 1
                i += 1
                seen = store.reader.execute(
                    "SELECT count(*) FROM memories WHERE type = 'semantic'"
                ).fetchone()[0]
                assert seen >= last_seen, "a reader saw the count go backwards"
                last_seen = seen
                reads[n] += 1
        except BaseException as exc:  # noqa: BLE001 - collected and failed on below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    total = sum(written)
    assert total > THREADS  # every thread got real work done
    assert store.counts()["semantic"] == total
    names = {r[0] for r in store.reader.execute("SELECT name FROM semantic_memory")}
    assert len(names) == total
    history = store.reader.execute("SELECT count(*) FROM memory_history").fetchone()[0]
    assert history == total
    assert store.vectors.count() == total
    assert store.reader.execute("SELECT count(*) FROM vector_outbox").fetchone()[0] == 0


def test_failed_task_rolls_back_and_writer_carries_on(tmp_path) -> None:
    writer = Writer(tmp_path / "w.db")
    writer.write(lambda db: db.execute("CREATE TABLE t (x INTEGER)"))

    def half_then_fail(db) -> None:
        db.execute("INSERT INTO t VALUES (1)")
        raise InvalidInput("nope")

    with pytest.raises(InvalidInput):
        writer.write(half_then_fail)
    writer.write(lambda db: db.execute("INSERT INTO t VALUES (2)"))
    reader = connect(tmp_path / "w.db")
    assert [r[0] for r in reader.execute("SELECT x FROM t")] == [2]
    writer.close()


def test_sqlite_errors_become_known_errors(tmp_path) -> None:
    writer = Writer(tmp_path / "w.db")
    from memory.errors import StoreUnavailable

    with pytest.raises(StoreUnavailable, match="could not be used"):
        writer.write(lambda db: db.execute("INSERT INTO missing VALUES (1)"))
    writer.close()


def test_readers_do_not_block_on_a_long_write(tmp_path) -> None:
    writer = Writer(tmp_path / "w.db")
    writer.write(lambda db: db.execute("CREATE TABLE t (x INTEGER)"))
    writer.write(lambda db: db.execute("INSERT INTO t VALUES (1)"))
    inside = threading.Event()
    release = threading.Event()

    def slow(db) -> None:
        db.execute("INSERT INTO t VALUES (2)")
        inside.set()
        release.wait(5)

    future = writer.submit(slow)
    assert inside.wait(5)
    reader = sqlite3.connect(tmp_path / "w.db", timeout=0.1)
    assert reader.execute("SELECT count(*) FROM t").fetchone()[0] == 1  # WAL: old snapshot
    release.set()
    future.result()
    assert reader.execute("SELECT count(*) FROM t").fetchone()[0] == 2
    reader.close()
    writer.close()
