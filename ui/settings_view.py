"""Settings, generated from the one declarative list :data:`app.settings.SETTINGS`: each
setting gets an input for its kind, its help text, and applies as soon as it is changed.
Below them: the language model (with download progress), the vault passphrase and the data
folder."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.settings import SETTINGS, Setting
from ui import actions
from ui.context import UiContext
from ui.model_settings import ModelSection
from ui.ops import MemoryChanges, MemoryOp, readable_error
from ui.widgets import heading, subtle

#: Where each setting appears; settings not named here land in "Advanced", so a new
#: setting always shows up without a UI change.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Capture", ("capture_enabled", "capture_interval_seconds", "monitors",
                 "forced_keyframe_minutes", "pause_when_idle_seconds", "pause_when_locked")),
    ("Privacy", ("excluded_apps", "excluded_title_patterns", "redaction_extra_patterns")),
    ("Storage", ("retention_days", "frame_budget_mb", "image_quality",
                 "drop_images_after_extraction")),
    ("Language model", ("llm_model_path", "llm_threads")),
)


ACRONYMS = {"llm": "LLM", "mb": "MB", "url": "URL", "ocr": "OCR"}


def title_of(setting: Setting) -> str:
    words = [ACRONYMS.get(w, w) for w in setting.name.split("_")]
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


class ListEdit(QPlainTextEdit):
    """One item per line; emits ``committed`` when it loses focus."""

    committed = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt API
        super().focusOutEvent(event)
        self.committed.emit()

    def items(self) -> list[str]:
        return [line.strip() for line in self.toPlainText().splitlines() if line.strip()]


class SettingRow(QWidget):
    """One setting: its input, its help, and an error line when a value is refused."""

    def __init__(self, view: SettingsView, setting: Setting, value: Any) -> None:
        super().__init__()
        self.view, self.setting = view, setting
        self.input = self._make_input(setting)
        self.input.setObjectName(f"setting_{setting.name}")
        self.error = QLabel()
        self.error.setStyleSheet("color: #d33;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.addWidget(self.input)
        help_label = subtle(setting.help)
        layout.addWidget(help_label)
        layout.addWidget(self.error)
        self.show_value(value)

    def _make_input(self, s: Setting) -> QWidget:
        if s.kind == "bool":
            box = QCheckBox("On")
            box.toggled.connect(lambda _v: self.commit())
            return box
        if s.kind == "int":
            spin = QSpinBox()
            spin.setRange(int(s.minimum if s.minimum is not None else -(2**31)),
                          int(s.maximum if s.maximum is not None else 2**31 - 1))
            spin.editingFinished.connect(self.commit)
            spin.setMinimumWidth(120)
            spin.setMaximumWidth(220)
            return spin
        if s.kind == "float":
            dspin = QDoubleSpinBox()
            dspin.setDecimals(1)
            dspin.setRange(float(s.minimum if s.minimum is not None else -1e9),
                           float(s.maximum if s.maximum is not None else 1e9))
            dspin.editingFinished.connect(self.commit)
            dspin.setMinimumWidth(120)
            dspin.setMaximumWidth(220)
            return dspin
        if s.kind == "choice":
            combo = QComboBox()
            combo.addItems(list(s.choices))
            combo.activated.connect(lambda _i: self.commit())
            return combo
        if s.kind == "list":
            edit = ListEdit()
            edit.setPlaceholderText("one per line")
            edit.setFixedHeight(84)
            edit.committed.connect(self.commit)
            return edit
        line = QLineEdit()
        line.editingFinished.connect(self.commit)
        return line

    def value(self) -> Any:
        w = self.input
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QSpinBox | QDoubleSpinBox):
            return w.value()
        if isinstance(w, QComboBox):
            return w.currentText()
        if isinstance(w, ListEdit):
            return w.items()
        assert isinstance(w, QLineEdit)
        return w.text()

    def show_value(self, value: Any) -> None:
        self.current = value
        w = self.input
        w.blockSignals(True)
        if isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QSpinBox):
            w.setValue(int(value))
        elif isinstance(w, QDoubleSpinBox):
            w.setValue(float(value))
        elif isinstance(w, QComboBox):
            w.setCurrentText(str(value))
        elif isinstance(w, ListEdit):
            w.setPlainText("\n".join(str(v) for v in value))
        elif isinstance(w, QLineEdit):
            w.setText(str(value))
        w.blockSignals(False)

    def commit(self) -> None:
        value = self.value()
        if value == self.current:
            return
        self.view.apply(self, value)

    def applied(self, value: Any) -> None:
        self.current = value
        self.error.hide()

    def refused(self, exc: BaseException) -> None:
        self.error.setText(readable_error(exc))
        self.error.show()
        self.show_value(self.current)


class SettingsView(QScrollArea):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWidgetResizable(True)
        outer = QWidget()
        self.setWidget(outer)
        outer_layout = QHBoxLayout(outer)
        body = QWidget()
        body.setMaximumWidth(1100)
        outer_layout.addWidget(body, 1)
        outer_layout.addStretch(0)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.addWidget(heading("Settings"))
        layout.addWidget(subtle("Changes apply at once and are saved in the data folder."))
        self.rows: dict[str, SettingRow] = {}
        values = ctx.services.settings.as_dict()
        placed: set[str] = set()
        known = {s.name: s for s in SETTINGS}
        groups = [*GROUPS, ("Advanced", tuple(n for n in known
                                              if n not in {x for _, g in GROUPS for x in g}))]
        for title, names in groups:
            names = tuple(n for n in names if n in known)
            if not names:
                continue
            box = QGroupBox(title)
            form = QFormLayout(box)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            for name in names:
                row = SettingRow(self, known[name], values[name])
                self.rows[name] = row
                form.addRow(title_of(known[name]), row)
                placed.add(name)
            layout.addWidget(box)
        self.models = ModelSection(ctx, self)
        layout.addWidget(self.models)
        layout.addWidget(self._vault_box())
        layout.addWidget(self._folder_box())
        layout.addStretch(1)
        ctx.hub.memory_did_change.connect(self._changed)

    def apply(self, row: SettingRow, value: Any) -> None:
        services, name = self.ctx.services, row.setting.name
        MemoryOp(parent=self, hub=self.ctx.hub,
                 op=lambda _c: actions.set_setting(services, name, value),
                 success=lambda _r: row.applied(services.settings.get(name)),
                 ).failure(row.refused).run_in_background()

    def _changed(self, changes: MemoryChanges, initiator: object) -> None:
        """Settings changed elsewhere (tray pause, first-run screen): show the new values."""
        if initiator is self:
            return
        for name in changes.settings:
            row = self.rows.get(name)
            if row is not None:
                row.show_value(self.ctx.services.settings.get(name))

    # -- vault passphrase ----------------------------------------------------------------

    def _vault_box(self) -> QGroupBox:
        box = QGroupBox("Vault passphrase")
        form = QFormLayout(box)
        self.old_pass, self.new_pass, self.repeat_pass = QLineEdit(), QLineEdit(), QLineEdit()
        for name, edit in (("oldPassphrase", self.old_pass), ("newPassphrase", self.new_pass),
                           ("repeatPassphrase", self.repeat_pass)):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setObjectName(name)
        self.change_pass = QPushButton("Change passphrase")
        self.change_pass.setObjectName("changePassphrase")
        self.pass_result = subtle()
        self.pass_result.setObjectName("passphraseResult")
        form.addRow("Current passphrase", self.old_pass)
        form.addRow("New passphrase", self.new_pass)
        form.addRow("Repeat new passphrase", self.repeat_pass)
        row = QHBoxLayout()
        row.addWidget(self.change_pass)
        row.addWidget(self.pass_result, 1)
        form.addRow(row)
        self.change_pass.clicked.connect(self.change_passphrase)
        return box

    def change_passphrase(self) -> None:
        services = self.ctx.services
        old, new, repeat = self.old_pass.text(), self.new_pass.text(), self.repeat_pass.text()

        def done(_r: object) -> None:
            for edit in (self.old_pass, self.new_pass, self.repeat_pass):
                edit.clear()
            self.pass_result.setText("Passphrase changed; secrets were not re-encrypted.")

        op: MemoryOp[Any] = MemoryOp(parent=self, hub=self.ctx.hub,
                      op=lambda _c: actions.change_vault_passphrase(services, old, new, repeat),
                      success=done)
        op.failure(lambda exc: self.pass_result.setText(readable_error(exc)))
        op.with_progress("Changing the vault passphrase…").run_in_background()

    # -- data folder ---------------------------------------------------------------------

    def _folder_box(self) -> QGroupBox:
        from ui.data_folder import DataFolderPicker

        box = QGroupBox("Data folder")
        layout = QVBoxLayout(box)
        layout.addWidget(subtle(
            "Everything Engram keeps — frames, memories, the vault and these settings — "
            "lives in this folder. Choosing another folder takes effect the next time Engram "
            "starts; move the old folder there yourself to keep your memories."))
        self.folder = DataFolderPicker(self.ctx.services.data_dir, remember=True)
        layout.addWidget(self.folder)
        return box
