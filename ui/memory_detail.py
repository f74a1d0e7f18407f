"""The detail pane of one memory: its fields, pin/edit/forget, version history, linked
memories and provenance (chips that open the source frames)."""

from __future__ import annotations

import json
from functools import partial

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from memory.schema import TYPE_FIELDS
from ui.actions import MemoryDetails
from ui.memory_editor import field_title
from ui.widgets import FlowLayout, chip, clear_layout, heading, subtle


def short_time(iso: str | None) -> str:
    """Local time, minutes precision, for lists ("2024-05-01 14:30")."""
    if not iso:
        return ""
    from memory.schema import parse_iso

    return parse_iso(iso).astimezone().strftime("%Y-%m-%d %H:%M")


def describe_history(op: str, before: dict | None, after: dict | None) -> str:
    if op != "update" or not before or not after:
        return op
    changed = [
        name for name in after.get("fields", {})
        if after["fields"].get(name) != before.get("fields", {}).get(name)
    ]
    changed += [k for k in ("pinned", "confidence", "tree_path", "provenance")
                if after.get(k) != before.get(k)]
    return f"update ({', '.join(changed)})" if changed else "update"


class MemoryDetailPane(QScrollArea):
    """Shows one memory. Buttons only emit requests; the view runs the ops."""

    edit_requested = Signal(str)
    pin_requested = Signal(str, bool)
    forget_requested = Signal(str)
    open_memory = Signal(str)
    open_frame = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        self.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 12)
        self.title = heading("Select a memory")
        self.title.setObjectName("detailTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta = subtle()
        buttons = QHBoxLayout()
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setObjectName("editButton")
        self.pin_button = QPushButton("Pin")
        self.pin_button.setObjectName("pinButton")
        self.pin_button.setCheckable(True)
        self.forget_button = QPushButton("Forget")
        self.forget_button.setObjectName("forgetButton")
        for b in (self.edit_button, self.pin_button, self.forget_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.fields = QFormLayout()
        self.fields.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.provenance = FlowLayout()
        self.links = FlowLayout()
        self.history = QListWidget()
        self.history.setObjectName("historyList")
        self.history.setProperty("role", "records")
        self.history.setMinimumHeight(90)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addLayout(buttons)
        layout.addLayout(self.fields)
        layout.addWidget(heading("Source", role="hour"))
        self.provenance_empty = subtle("Added by hand: no source frames.")
        layout.addWidget(self.provenance_empty)
        layout.addLayout(self.provenance)
        layout.addWidget(heading("Linked memories", role="hour"))
        self.links_empty = subtle("No linked memories.")
        layout.addWidget(self.links_empty)
        layout.addLayout(self.links)
        layout.addWidget(heading("Version history", role="hour"))
        layout.addWidget(self.history, 1)
        self.memory_id: str | None = None
        self.edit_button.clicked.connect(lambda: self._emit(self.edit_requested))
        self.forget_button.clicked.connect(lambda: self._emit(self.forget_requested))
        self.pin_button.clicked.connect(self._pin_clicked)
        self.show_details(None)

    def _emit(self, signal: SignalInstance) -> None:
        if self.memory_id:
            signal.emit(self.memory_id)

    def _pin_clicked(self, checked: bool) -> None:
        if self.memory_id:
            self.pin_requested.emit(self.memory_id, checked)

    def show_details(self, details: MemoryDetails | None) -> None:
        clear_layout(self.fields)
        self.provenance.clear()
        self.links.clear()
        self.history.clear()
        has = details is not None
        for b in (self.edit_button, self.pin_button, self.forget_button):
            b.setEnabled(has)
        if details is None:
            self.memory_id = None
            self.title.setText("Select a memory")
            self.meta.setText("")
            self.provenance_empty.show()
            self.links_empty.show()
            return
        memory = details.memory
        self.memory_id = memory.id
        self.title.setText(memory.summary or memory.id)
        self.meta.setText(
            f"{memory.type} · {short_time(memory.event_at)} · version {memory.version} · "
            f"source {memory.source} · confidence {memory.confidence:.2f}"
            + (" · pinned" if memory.pinned else "")
        )
        self.pin_button.setChecked(memory.pinned)
        self.pin_button.setText("Pinned" if memory.pinned else "Pin")
        for spec in TYPE_FIELDS[memory.type]:
            value = memory.fields.get(spec.name)
            if value in (None, "", []):
                continue
            if spec.kind == "list":
                text = "\n".join(f"{i}. {step}" for i, step in enumerate(value, 1))
            elif spec.kind == "datetime":
                text = short_time(value)
            else:
                text = str(value)
            label = QLabel(text)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setObjectName(f"value_{spec.name}")
            self.fields.addRow(field_title(spec.name), label)
        frames = memory.provenance.get("frames", [])
        messages = memory.provenance.get("messages", [])
        for frame_id in frames:
            self.provenance.addWidget(chip(
                f"Frame {frame_id}", partial(self.open_frame.emit, int(frame_id)),
                "Open the screen this memory came from",
            ))
        for message_id in messages:
            label = subtle(f"chat message {message_id}")
            self.provenance.addWidget(label)
        self.provenance_empty.setVisible(not frames and not messages)
        for link, other in details.links:
            self.links.addWidget(chip(
                f"{link.kind.replace('_', ' ')}: {other.summary}",
                partial(self.open_memory.emit, other.id),
                f"{other.type} memory, score {link.score:.2f}",
            ))
        self.links_empty.setVisible(not details.links)
        for entry in reversed(details.history):
            text = f"{short_time(entry.at)}  {describe_history(entry.op, entry.before, entry.after)}"
            if entry.reason:
                text += f" — {entry.reason}"
            item = QListWidgetItem(text)
            if entry.after:
                item.setToolTip(json.dumps(entry.after.get("fields", {}), ensure_ascii=False,
                                           indent=1)[:2000])
            self.history.addItem(item)
