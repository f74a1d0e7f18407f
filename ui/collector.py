"""Python's cycle collector, run on the GUI thread only.

Left automatic, the collector runs in whichever thread allocates when its thresholds are
crossed: a worker thread (search, chat, OCR) may then free a Qt object's Python side, whose
weak-reference callback disconnects a signal while holding Qt's connection lock and waits
for the GIL, while the GUI thread holds the GIL and waits for that lock in a widget's
destructor. The app froze so once in its end-to-end test. Here automatic collection is off
while the app runs, and a timer on the GUI thread collects each generation when its count
passes the threshold Python would have used (as pyzo and pyqtgraph do for the same reason).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

#: How often the GUI thread looks at the collector's counts.
CHECK_MS = 250


class MainThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._was_enabled:
            gc.enable()

    def check(self) -> int | None:
        """Collect the oldest generation whose count passed its threshold; the generation
        collected, or None."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return generation
        return None
