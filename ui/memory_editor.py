"""A form for creating or editing a memory, generated from the schema's field table
(:data:`memory.schema.TYPE_FIELDS`), so a new field needs no UI change."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from memory.schema import TYPE_FIELDS, FieldSpec, Memory

#: Fields that hold more than a line of text.
LONG_FIELDS = {"details", "content", "value", "summary", "steps"}


def field_title(name: str) -> str:
    return name.replace("_", " ").capitalize()


class MemoryEditor(QDialog):
    """Edit ``memory`` (or create a ``memory_type`` memory when ``memory`` is None).

    ``values()`` returns only fields the user changed (all non-empty ones for a new memory).
    A vault secret left empty keeps the stored one."""

    def __init__(self, memory_type: str, memory: Memory | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.memory_type = memory_type
        self.memory = memory
        verb = "Edit" if memory else "New"
        self.setWindowTitle(f"{verb} {memory_type} memory")
        self.setObjectName("memoryEditor")
        self.resize(560, 520)
        self.inputs: dict[str, QWidget] = {}
        self._original: dict[str, Any] = {}
        form = QFormLayout()
        for spec in TYPE_FIELDS[memory_type]:
            current = memory.fields.get(spec.name) if memory else spec.default
            widget = self._input_for(spec, current)
            widget.setObjectName(f"field_{spec.name}")
            self.inputs[spec.name] = widget
            self._original[spec.name] = self._read(spec, widget)
            title = field_title(spec.name) + (" *" if spec.required else "")
            form.addRow(title, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if memory_type == "vault" and memory is not None:
            note = QLabel("Leave the secret empty to keep the stored one.")
            note.setProperty("role", "subtle")
            layout.addWidget(note)
        layout.addWidget(buttons)

    def _input_for(self, spec: FieldSpec, value: Any) -> QWidget:
        if spec.choices:
            combo = QComboBox()
            combo.addItems(list(spec.choices))
            if value in spec.choices:
                combo.setCurrentText(str(value))
            return combo
        if spec.kind == "int":
            spin = QSpinBox()
            spin.setRange(1, 10_000_000)
            spin.setValue(int(value or spec.default or 1))
            return spin
        if spec.name == "secret_value":
            line = QLineEdit()
            line.setEchoMode(QLineEdit.EchoMode.Password)
            line.setPlaceholderText("secret (stored encrypted)")
            return line
        if spec.kind == "list":
            text = QPlainTextEdit("\n".join(value or []))
            text.setPlaceholderText("one step per line")
            return text
        if spec.name in LONG_FIELDS:
            text = QPlainTextEdit(str(value or ""))
            text.setTabChangesFocus(True)
            return text
        line = QLineEdit(str(value or ""))
        if spec.kind == "datetime":
            line.setPlaceholderText("2024-05-01T14:30")
        return line

    @staticmethod
    def _read(spec: FieldSpec, widget: QWidget) -> Any:
        if isinstance(widget, QComboBox):
            return widget.currentText()
        if isinstance(widget, QSpinBox):
            return widget.value()
        if isinstance(widget, QPlainTextEdit):
            text = widget.toPlainText()
            if spec.kind == "list":
                return [line.strip() for line in text.splitlines() if line.strip()]
            return text
        assert isinstance(widget, QLineEdit)
        return widget.text()

    def set_value(self, name: str, value: Any) -> None:
        widget = self.inputs[name]
        if isinstance(widget, QComboBox):
            widget.setCurrentText(str(value))
        elif isinstance(widget, QSpinBox):
            widget.setValue(int(value))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText("\n".join(value) if isinstance(value, list) else str(value))
        elif isinstance(widget, QLineEdit):
            widget.setText(str(value))

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for spec in TYPE_FIELDS[self.memory_type]:
            value = self._read(spec, self.inputs[spec.name])
            if spec.name == "secret_value" and not value:
                continue
            if self.memory is None:
                if value not in ("", [], None):
                    out[spec.name] = value
            elif value != self._original[spec.name]:
                out[spec.name] = value if value != "" or spec.kind == "text" else None
        return out
