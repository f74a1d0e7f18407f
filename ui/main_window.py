"""The main window: search box and memory list (the full views land with the UI issue)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from app.services import Services
from memory.errors import KnownError


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)


class _Search(QRunnable):
    def __init__(self, services: Services, query: str):
        super().__init__()
        self.services, self.query, self.signals = services, query, _Signals()

    def run(self) -> None:
        try:
            results = self.services.retriever.search(self.query, limit=50)
        except KnownError as exc:
            self.signals.failed.emit(exc.text())
            return
        self.signals.done.emit(results)


class MainWindow(QMainWindow):
    def __init__(self, services: Services):
        super().__init__()
        self.services = services
        self.setWindowTitle("Engram")
        self.resize(1100, 720)
        central = QWidget()
        layout = QVBoxLayout(central)
        self.search_box = QLineEdit(placeholderText="Search your memories…")
        self.results = QListWidget()
        self.status = QLabel()
        layout.addWidget(self.search_box)
        layout.addWidget(self.results)
        layout.addWidget(self.status)
        self.setCentralWidget(central)
        self.search_box.returnPressed.connect(self.run_search)
        self.run_search()

    def run_search(self) -> None:
        job = _Search(self.services, self.search_box.text())
        job.signals.done.connect(self._show_results)
        job.signals.failed.connect(self.status.setText)
        QThreadPool.globalInstance().start(job)

    def _show_results(self, results: list) -> None:
        self.results.clear()
        for r in results:
            self.results.addItem(f"{r.memory.event_at[:16]}  [{r.memory.type}]  {r.memory.summary}")
        self.status.setText(f"{len(results)} memories")
