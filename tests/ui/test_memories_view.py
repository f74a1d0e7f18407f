"""Memories: tabs per type, hybrid search, detail, edit, pin, forget with undo, history,
links and provenance — driven through the real widgets on a real store."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QPlainTextEdit, QPushButton

from tests.ui.helpers import click, error_boxes, items
from ui.frame_dialog import FrameDialog
from ui.memories_view import BROWSABLE_TYPES
from ui.memory_editor import MemoryEditor


def open_tab(qtbot, window, memory_type: str):
    window.show_page("Memories")
    view = window.memories
    bar = view.tabs.tabBar()
    index = BROWSABLE_TYPES.index(memory_type)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    tab = view.type_tabs[memory_type]
    qtbot.waitUntil(lambda: tab.list.count() > 0)
    return tab


def select(qtbot, tab, text: str) -> None:
    row = next(i for i, t in enumerate(items(tab.list)) if text in t)
    rect = tab.list.visualItemRect(tab.list.item(row))
    qtbot.mouseClick(tab.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: text in tab.detail.title.text())


def save_editor(qtbot, parent) -> None:
    editor = parent.findChild(MemoryEditor)
    assert editor is not None and editor.isVisible()
    box = editor.findChild(QDialogButtonBox)
    click(qtbot, box.button(QDialogButtonBox.StandardButton.Save))


def test_one_tab_per_type_lists_that_type(qtbot, window, demo) -> None:
    assert [window.memories.tabs.tabText(i) for i in range(5)] == [
        "Core", "Episodes", "Facts", "How-tos", "Resources"]
    tab = open_tab(qtbot, window, "episodic")
    assert tab.list.count() == len(demo.episodes)
    facts = open_tab(qtbot, window, "semantic")
    assert any("Q3 hiring freeze" in t for t in items(facts.list))
    assert not any("billing service" in t.lower() and "Fixed" in t for t in items(facts.list))


def test_search_box_runs_hybrid_search_in_the_current_tab(qtbot, window) -> None:
    tab = open_tab(qtbot, window, "episodic")
    qtbot.keyClicks(window.memories.search_box, "budget hiring")
    qtbot.keyClick(window.memories.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.query == "budget hiring" and "budget" in items(tab.list)[0])
    assert "matching" in tab.empty.text()
    window.memories.search_box.clear()
    qtbot.keyClick(window.memories.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.list.count() == 6)


def test_edit_saves_a_new_version_with_history(qtbot, window, demo_services) -> None:
    tab = open_tab(qtbot, window, "semantic")
    select(qtbot, tab, "Billing deploy window")
    memory_id = tab.detail.memory_id
    click(qtbot, tab.detail.edit_button)
    qtbot.waitUntil(lambda: tab.findChild(MemoryEditor) is not None)
    editor = tab.findChild(MemoryEditor)
    details = editor.inputs["details"]
    assert isinstance(details, QPlainTextEdit)
    details.setPlainText("Moved to 15:00 on Fridays.")
    save_editor(qtbot, tab)
    qtbot.waitUntil(lambda: tab.detail.findChild(type(tab.detail.title), "value_details")
                    is not None and "15:00 on Fridays" in
                    tab.detail.findChild(type(tab.detail.title), "value_details").text())
    memory = demo_services.store.get(memory_id)
    assert memory.version == 2 and memory.fields["details"] == "Moved to 15:00 on Fridays."
    history = items(tab.detail.history)
    assert "update (details) — edited by user" in history[0]
    assert "insert" in history[-1]


def test_pin_marks_the_memory(qtbot, window, demo_services) -> None:
    tab = open_tab(qtbot, window, "semantic")
    select(qtbot, tab, "pg_stat_io")
    memory_id = tab.detail.memory_id
    click(qtbot, tab.detail.pin_button)
    qtbot.waitUntil(lambda: any(t.startswith("★ pg_stat_io") for t in items(tab.list)))
    qtbot.waitUntil(lambda: "pinned" in tab.detail.meta.text())
    assert demo_services.store.get(memory_id).pinned
    assert tab.detail.pin_button.isChecked()


def test_forget_hides_the_memory_and_undo_brings_it_back(qtbot, window, demo_services) -> None:
    tab = open_tab(qtbot, window, "procedural")
    select(qtbot, tab, "Check the overnight invoice job")
    memory_id = tab.detail.memory_id
    click(qtbot, tab.detail.forget_button)
    qtbot.waitUntil(lambda: not any("overnight" in t for t in items(tab.list)))
    assert demo_services.store.get(memory_id).deleted
    assert window.undo_bar.isVisible() and "Forgot" in window.undo_bar.message.text()
    click(qtbot, window.undo_bar.undo_button)
    qtbot.waitUntil(lambda: any("overnight" in t for t in items(tab.list)))
    assert not demo_services.store.get(memory_id).deleted
    assert not window.undo_bar.isVisible()
    qtbot.waitUntil(lambda: tab.detail.memory_id == memory_id)


def test_linked_memory_chip_opens_the_linked_memory(qtbot, window, demo) -> None:
    tab = open_tab(qtbot, window, "semantic")
    select(qtbot, tab, "Q3 hiring freeze")
    chips = lambda: [b for b in tab.detail.findChildren(QPushButton)  # noqa: E731
                     if b.text().startswith("derived from:") and b.isVisible()]
    qtbot.waitUntil(lambda: len(chips()) == 1)
    click(qtbot, chips()[0])
    episodes = window.memories.type_tabs["episodic"]
    qtbot.waitUntil(lambda: window.memories.current_tab() is episodes
                    and episodes.detail.memory_id == demo.episodes[3])
    assert "Q3 budget review" in episodes.detail.title.text()


def test_provenance_chip_opens_the_source_frame(qtbot, window, demo) -> None:
    """The previous memory's chips are hidden the moment another memory is shown (they
    used to stay clickable until deleted, which opened a frame of another activity)."""
    tab = open_tab(qtbot, window, "episodic")
    select(qtbot, tab, "Q3 budget review email")
    chips = lambda: [b for b in tab.detail.findChildren(QPushButton)  # noqa: E731
                     if b.text().startswith("Frame ") and b.isVisible()]
    qtbot.waitUntil(lambda: len(chips()) == 3)
    click(qtbot, chips()[0])
    qtbot.waitUntil(lambda: isinstance(window.last_frame_dialog, FrameDialog)
                    and window.last_frame_dialog.detail is not None)
    dialog = window.last_frame_dialog
    assert "Q3 budget review" in dialog.ocr.toPlainText()
    window.last_frame_dialog.close()


def test_new_memory_and_a_refused_one(qtbot, window, demo_services) -> None:
    tab = open_tab(qtbot, window, "semantic")
    click(qtbot, window.memories.new_button)
    qtbot.waitUntil(lambda: window.memories.findChild(MemoryEditor) is not None)
    editor = window.memories.findChild(MemoryEditor)
    editor.set_value("name", "Office wifi")
    editor.set_value("summary", "The guest network is Larkspur-Guest.")
    save_editor(qtbot, window.memories)
    qtbot.waitUntil(lambda: any("Office wifi" in t for t in items(tab.list)))

    click(qtbot, window.memories.new_button)
    qtbot.waitUntil(lambda: window.memories.findChild(MemoryEditor) is not None
                    and window.memories.findChild(MemoryEditor).isVisible())
    editor = window.memories.findChild(MemoryEditor)
    editor.set_value("name", "No summary")
    save_editor(qtbot, window.memories)
    qtbot.waitUntil(lambda: bool(error_boxes()))
    box = error_boxes()[0]
    assert box.text() == "A semantic memory needs a non-empty 'summary'."
    box.close()


def test_cleared_chips_are_hidden_at_once(qtbot) -> None:
    """Clearing a row of chips hides them before Qt deletes them: a click in between must
    not reach a chip of the memory shown before."""
    from PySide6.QtWidgets import QWidget

    from ui.widgets import FlowLayout, chip

    holder = QWidget()
    qtbot.addWidget(holder)
    row = FlowLayout(holder)
    old = [chip(f"Frame {n}", lambda: None) for n in (16, 17, 18)]
    for button in old:
        row.addWidget(button)
    holder.show()
    qtbot.waitUntil(lambda: all(b.isVisible() for b in old))
    row.clear()
    assert not any(b.isVisible() for b in old)  # before any event is processed
