"""The language-model section of Settings: the bundled model preselected, recommended
models downloadable with progress, or any GGUF file from disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import model_catalog
from ui.context import UiContext
from ui.ops import MemoryOp, OpCancelled, OpContext, QueryOp, readable_error
from ui.widgets import subtle

CUSTOM = "__custom__"


class ModelSection(QGroupBox):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__("Model for extraction and chat", parent)
        self.ctx = ctx
        self.combo = QComboBox()
        self.combo.setObjectName("modelChoice")
        self.download_button = QPushButton("Download")
        self.download_button.setObjectName("downloadModel")
        self.browse_button = QPushButton("Choose a GGUF file…")
        self.progress = QProgressBar()
        self.progress.setObjectName("modelProgress")
        self.progress.hide()
        self.note = subtle()
        self.note.setObjectName("modelNote")
        row = QHBoxLayout()
        row.addWidget(self.combo, 1)
        row.addWidget(self.download_button)
        row.addWidget(self.browse_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.note)
        self.choices: list[model_catalog.ModelChoice] = []
        self.download_op: QueryOp[Path] | None = None
        self.combo.activated.connect(self._chosen)
        self.download_button.clicked.connect(self.download)
        self.browse_button.clicked.connect(self.browse)
        self.reload()

    def reload(self) -> None:
        self.choices = model_catalog.choices(self.ctx.services)
        current = self.ctx.services.settings.get("llm_model_path")
        self.combo.blockSignals(True)
        self.combo.clear()
        selected = -1
        for i, choice in enumerate(self.choices):
            state = "" if choice.installed_path else "  — not downloaded"
            self.combo.addItem(choice.label + state, choice.key)
            path = str(choice.installed_path) if choice.installed_path else None
            if (choice.key == "" and not current) or (path and path == current):
                selected = i
        if current and selected < 0:
            self.combo.addItem(f"File: {Path(current).name}", CUSTOM)
            selected = self.combo.count() - 1
        self.combo.setCurrentIndex(max(0, selected))
        self.combo.blockSignals(False)
        self._update_buttons()

    def _current_choice(self) -> model_catalog.ModelChoice | None:
        key = self.combo.currentData()
        return next((c for c in self.choices if c.key == key), None)

    def _update_buttons(self) -> None:
        choice = self._current_choice()
        self.download_button.setEnabled(
            choice is not None and choice.key != "" and choice.installed_path is None)

    def _chosen(self, _index: int) -> None:
        choice = self._current_choice()
        self._update_buttons()
        if choice is None:
            return
        if choice.installed_path is None and choice.key:
            self.note.setText("Download this model to use it.")
            return
        self._use("" if choice.key == "" else str(choice.installed_path))

    def _use(self, path: str) -> None:
        services = self.ctx.services

        def done(_r: object) -> None:
            self.note.setText("Using " + (Path(path).name if path else "the bundled model") + ".")
            self.reload()

        op: MemoryOp[Any] = MemoryOp(parent=self, hub=self.ctx.hub,
                      op=lambda _c: model_catalog.activate(services, path),
                      success=done)
        op.failure(lambda exc: self.note.setText(readable_error(exc))).run_in_background()

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a GGUF model", str(Path.home()),
                                              "GGUF models (*.gguf)")
        if path:
            self._use(path)

    def download(self) -> None:
        if self.download_op is not None and not self.download_op.done:
            self.download_op.cancel()
            return
        choice = self._current_choice()
        if choice is None or not choice.key:
            return
        services, key = self.ctx.services, choice.key

        def run(ctx: OpContext) -> Path:
            def progress(done: int, total: int) -> None:
                ctx.progress(f"Downloading {choice.label}…", done, total)
                ctx.emit((done, total))

            return model_catalog.download(services, key, progress, ctx.check_cancelled)

        def partial(items: list[tuple[int, int]]) -> None:
            done, total = items[-1]
            if total:
                self.progress.setRange(0, 1000)
                self.progress.setValue(min(1000, done * 1000 // total))
            else:
                self.progress.setRange(0, 0)
            self.progress.setFormat(f"{done / 1e6:,.1f} MB" + (f" of {total / 1e6:,.0f} MB"
                                                               if total else ""))

        def finished(path: Path) -> None:
            self.download_button.setText("Download")
            self.progress.hide()
            self._use(str(path))

        def failed(exc: BaseException) -> None:
            self.download_button.setText("Download")
            self.progress.hide()
            self.note.setText("Download stopped; press Download to resume it."
                              if isinstance(exc, OpCancelled) else readable_error(exc))

        self.progress.setValue(0)
        self.progress.show()
        self.download_button.setText("Cancel download")
        self.note.setText(f"Downloading {choice.label}…")
        op = QueryOp(parent=self, op=run, success=finished).on_partial(partial).failure(failed)
        self.download_op = op.run_in_background()
