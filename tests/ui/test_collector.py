"""The cycle collector runs on the GUI thread, not in whichever thread allocates."""

from __future__ import annotations

import gc
import threading

from ui.collector import MainThreadCollector


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_cycles_made_on_a_worker_thread_are_collected_on_the_gui_thread(qtbot) -> None:
    collected_on: list[str] = []

    def note_thread(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            collected_on.append(threading.current_thread().name)

    collector = MainThreadCollector()
    collector.start()
    gc.callbacks.append(note_thread)
    try:
        assert not gc.isenabled()  # no collection runs in the worker below
        worker = threading.Thread(target=lambda: [_Cycle() for _ in range(50_000)],
                                  name="worker")
        worker.start()
        worker.join()
        assert collected_on == []
        qtbot.waitUntil(lambda: bool(collected_on), timeout=5000)
        assert set(collected_on) == {threading.main_thread().name}
    finally:
        gc.callbacks.remove(note_thread)
        collector.stop()
    assert gc.isenabled()
