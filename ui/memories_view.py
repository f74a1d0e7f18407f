"""Memories: one tab per type, a list and a detail pane, hybrid search, edit, pin, forget
with undo, history, links and provenance."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from memory.schema import Memory
from ui import actions
from ui.context import UiContext
from ui.memory_detail import MemoryDetailPane, short_time
from ui.memory_editor import MemoryEditor
from ui.ops import MemoryChanges, MemoryOp, QueryOp
from ui.widgets import subtle

BROWSABLE_TYPES = ("core", "episodic", "semantic", "procedural", "resource")
TAB_TITLES = {
    "core": "Core",
    "episodic": "Episodes",
    "semantic": "Facts",
    "procedural": "How-tos",
    "resource": "Resources",
}
SEARCH_DEBOUNCE_MS = 300


class MemoryTypeTab(QWidget):
    """The list and detail pane of one memory type."""

    def __init__(self, ctx: UiContext, memory_type: str) -> None:
        super().__init__()
        self.ctx = ctx
        self.memory_type = memory_type
        self.query = ""
        self.loaded = False
        self.list = QListWidget()
        self.list.setObjectName(f"list_{memory_type}")
        self.list.setProperty("role", "records")
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.empty = subtle()
        self.detail = MemoryDetailPane()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.empty)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self.list.currentItemChanged.connect(self._selected)
        self.detail.edit_requested.connect(self.edit)
        self.detail.pin_requested.connect(self.pin)
        self.detail.forget_requested.connect(self.forget)
        self.detail.open_memory.connect(ctx.open_memory)
        self.detail.open_frame.connect(ctx.open_frame)
        self._pending_select: str | None = None
        self._wanted_detail: str | None = None
        self.last_load: QueryOp[Any] | None = None

    def reload(self, query: str | None = None) -> None:
        if query is not None:
            self.query = query
        self.loaded = True
        memory_type, text, services = self.memory_type, self.query, self.ctx.services
        self.last_load = QueryOp(
            parent=self,
            op=lambda _ctx: actions.list_memories(services, memory_type, text),
            success=self._show_list,
        ).run_in_background()

    def _show_list(self, memories: list[Memory]) -> None:
        keep = self._pending_select or self.detail.memory_id
        self.list.blockSignals(True)
        self.list.clear()
        selected_row = -1
        for memory in memories:
            when = short_time(memory.fields.get("occurred_at") or memory.event_at)
            pin = "★ " if memory.pinned else ""
            item = QListWidgetItem(f"{pin}{memory.summary}\n{when}")
            item.setData(Qt.ItemDataRole.UserRole, memory.id)
            item.setToolTip(memory.summary)
            self.list.addItem(item)
            if memory.id == keep:
                selected_row = self.list.count() - 1
        self.list.blockSignals(False)
        if self.query:
            self.empty.setText(f"{len(memories)} matching “{self.query}”." if memories
                               else f"Nothing matches “{self.query}”.")
        else:
            self.empty.setText("" if memories else "No memories of this kind yet.")
        if selected_row >= 0:
            self.list.setCurrentRow(selected_row)
            self._load_detail(self.list.item(selected_row).data(Qt.ItemDataRole.UserRole))
        elif self._pending_select:
            self._load_detail(self._pending_select)
        elif self.list.count():
            self.list.setCurrentRow(0)
        else:
            self.detail.show_details(None)
        self._pending_select = None

    def select(self, memory_id: str) -> None:
        """Show one memory, even when the current list or search does not contain it."""
        if self.last_load is not None and not self.last_load.done:
            self._pending_select = memory_id  # the list being loaded keeps it selected
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == memory_id:
                self.list.setCurrentRow(row)
                return
        self._load_detail(memory_id)

    def _selected(self, current: QListWidgetItem | None, _previous: Any) -> None:
        if current is not None:
            self._load_detail(current.data(Qt.ItemDataRole.UserRole))

    def _load_detail(self, memory_id: str) -> None:
        services = self.ctx.services
        self._wanted_detail = memory_id
        QueryOp(
            parent=self,
            op=lambda _ctx: actions.memory_details(services, memory_id),
            success=self._show_detail,
        ).run_in_background()

    def _show_detail(self, details: actions.MemoryDetails) -> None:
        if details.memory.id == self._wanted_detail:  # a later selection wins
            self.detail.show_details(details)

    def refresh_for(self, changes: MemoryChanges) -> None:
        if not self.loaded or not changes.touches(self.memory_type):
            return
        if not self.isVisible():
            self.loaded = False  # reload when the tab is shown again
            return
        self.reload()

    # -- actions -------------------------------------------------------------------------

    def edit(self, memory_id: str) -> None:
        services = self.ctx.services
        QueryOp(parent=self, op=lambda _c: services.store.get(memory_id),
                success=self._open_editor).run_in_background()

    def _open_editor(self, memory: Memory) -> None:
        editor = MemoryEditor(memory.type, memory, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.finished.connect(
            lambda result: self._save_edit(memory.id, editor.values())
            if result == QDialog.DialogCode.Accepted else None
        )
        editor.open()

    def _save_edit(self, memory_id: str, values: dict[str, Any]) -> None:
        if not values:
            return
        services = self.ctx.services
        MemoryOp(parent=self, hub=self.ctx.hub,
                 op=lambda _c: actions.update_memory(services, memory_id, values),
                 success=lambda m: self.ctx.hub.status_message.emit(f"Saved “{m.summary}”."),
                 ).run_in_background()

    def pin(self, memory_id: str, pinned: bool) -> None:
        services = self.ctx.services
        MemoryOp(parent=self, hub=self.ctx.hub,
                 op=lambda _c: actions.set_pinned(services, memory_id, pinned),
                 ).run_in_background()

    def forget(self, memory_id: str) -> None:
        services, ctx = self.ctx.services, self.ctx

        def forgotten(memory: Memory) -> None:
            self.detail.show_details(None)
            ctx.offer_undo(f"Forgot “{memory.summary[:80]}”.", lambda: self.restore(memory.id))

        MemoryOp(parent=self, hub=ctx.hub,
                 op=lambda _c: actions.forget_memory(services, memory_id),
                 success=forgotten).run_in_background()

    def restore(self, memory_id: str) -> None:
        services = self.ctx.services
        self._pending_select = memory_id
        MemoryOp(parent=self, hub=self.ctx.hub,
                 op=lambda _c: actions.restore_memory(services, memory_id),
                 success=lambda m: self.ctx.hub.status_message.emit(f"Restored “{m.summary}”."),
                 ).run_in_background()


class MemoriesView(QWidget):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.search_box = QLineEdit()
        self.search_box.setObjectName("memorySearch")
        self.search_box.setPlaceholderText("Search memories by words or meaning…")
        self.search_box.setClearButtonEnabled(True)
        self.new_button = QPushButton("New memory…")
        self.new_button.setObjectName("newMemoryButton")
        top = QHBoxLayout()
        top.addWidget(self.search_box, 1)
        top.addWidget(self.new_button)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("memoryTabs")
        self.type_tabs: dict[str, MemoryTypeTab] = {}
        for memory_type in BROWSABLE_TYPES:
            tab = MemoryTypeTab(ctx, memory_type)
            self.type_tabs[memory_type] = tab
            self.tabs.addTab(tab, TAB_TITLES[memory_type])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 0)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.run_search)
        self.search_box.textChanged.connect(lambda _t: self._debounce.start())
        self.search_box.returnPressed.connect(self.run_search)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.new_button.clicked.connect(self.new_memory)
        ctx.hub.memory_did_change.connect(self._changed)

    def current_tab(self) -> MemoryTypeTab:
        return self.type_tabs[BROWSABLE_TYPES[self.tabs.currentIndex()]]

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not self.current_tab().loaded:
            self.current_tab().reload(self.search_box.text())

    def run_search(self) -> None:
        self._debounce.stop()
        query = self.search_box.text()
        for tab in self.type_tabs.values():
            tab.loaded = False
            tab.query = query
        self.current_tab().reload(query)

    def _tab_changed(self, _index: int) -> None:
        tab = self.current_tab()
        if not tab.loaded or tab.query != self.search_box.text():
            tab.reload(self.search_box.text())

    def _changed(self, changes: MemoryChanges, _initiator: object) -> None:
        for tab in self.type_tabs.values():
            tab.refresh_for(changes)

    def show_memory(self, memory: Memory) -> None:
        """Switch to the memory's tab and select it (from a citation, link or frame)."""
        if memory.type not in self.type_tabs:
            return
        self.tabs.setCurrentIndex(BROWSABLE_TYPES.index(memory.type))
        self.type_tabs[memory.type].select(memory.id)

    def new_memory(self) -> None:
        memory_type = self.current_tab().memory_type
        editor = MemoryEditor(memory_type, None, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.finished.connect(
            lambda result: self._create(memory_type, editor.values())
            if result == QDialog.DialogCode.Accepted else None
        )
        editor.open()

    def _create(self, memory_type: str, values: dict[str, Any]) -> None:
        services, tab = self.ctx.services, self.type_tabs[memory_type]

        def created(memory: Memory) -> None:
            tab._pending_select = memory.id
            self.ctx.hub.status_message.emit(f"Added “{memory.summary}”.")

        MemoryOp(parent=self, hub=self.ctx.hub,
                 op=lambda _c: actions.add_memory(services, memory_type, values),
                 success=created).run_in_background()
