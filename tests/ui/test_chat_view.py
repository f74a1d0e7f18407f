"""Chat: streamed answers from the real ChatService and bundled model, citations as chips
that open the memory, supporting memories, stop, abstaining, conversation history."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from memory.chat_history import conversation_of, new_conversation_id
from tests.ui.helpers import click, items
from ui import chat_backend

ANSWER_TIMEOUT_MS = 180_000


@pytest.fixture
def chat(qtbot, window):
    window.show_page("Chat")
    return window.chat


def ask(qtbot, chat, question: str) -> None:
    qtbot.keyClicks(chat.input, question)
    click(qtbot, chat.send_button)
    assert chat.running is not None and chat.stop_button.isEnabled()


def chips(chat) -> list[QPushButton]:
    return [b for b in chat.findChildren(QPushButton)
            if b.property("role") == "chip" and b.isVisible()]


@pytest.mark.slow
def test_answer_streams_with_citations_that_open_memories(qtbot, chat, window) -> None:
    assert chat_backend.chat_service_available()
    partials: list[int] = []
    chat.transcript.textChanged.connect(lambda: partials.append(len(chat.current.turns[-1]
                                                                    .answer)))
    ask(qtbot, chat, "What was decided about hiring in the Q3 budget review?")
    qtbot.waitUntil(lambda: chat.running is None, timeout=ANSWER_TIMEOUT_MS)
    turn = chat.current.turns[-1]
    assert turn.error is None and turn.answer
    assert partials, "the answer should stream"
    assert turn.citations
    shown = [m.summary for m in turn.supporting]
    assert any("Q3 budget review email" in t for t in shown)
    assert set(items(chat.supporting)) == {  # the list holds the related memories alone
        t for t in items(chat.supporting) if not any(c in t for c in turn.citations)}
    qtbot.waitUntil(lambda: len(chips(chat)) >= 1)
    assert not chat.stop_button.isEnabled() and chat.send_button.isEnabled()
    target = turn.citations[0]
    click(qtbot, chips(chat)[0])
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.memories)
    qtbot.waitUntil(lambda: window.memories.current_tab().detail.memory_id == target)


@pytest.mark.slow
def test_stop_ends_a_streaming_answer(qtbot, chat) -> None:
    ask(qtbot, chat, "Summarise everything I did for the billing service today")
    # Stop while the answer is being worked out: the extractive part can stream and finish
    # faster than a click after its first token.
    click(qtbot, chat.stop_button)
    qtbot.waitUntil(lambda: chat.running is None, timeout=30_000)
    turn = chat.current.turns[-1]
    assert turn.stopped and "Stopped." in chat.transcript.toPlainText()


def test_question_without_memories_abstains_and_history_keeps_it(qtbot, chat) -> None:
    ask(qtbot, chat, "What colour is the zebra on Jupiter's third moon?")
    qtbot.waitUntil(lambda: chat.running is None, timeout=60_000)
    first = chat.current.turns[-1]
    assert "don't have a memory" in first.answer or "nothing" in first.answer
    assert chat.history.item(0).text().startswith("What colour is the zebra")
    click(qtbot, chat.new_button)
    assert chat.history.count() == 2 and chat.current.turns == []
    assert "Ask a question" in chat.transcript.toPlainText()
    rect = chat.history.visualItemRect(chat.history.item(1))
    qtbot.mouseClick(chat.history.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert "zebra" in chat.transcript.toPlainText()


def test_without_the_chat_service_the_best_memories_answer(qtbot, chat, monkeypatch) -> None:
    monkeypatch.setattr(chat_backend, "chat_service_available", lambda: False)
    ask(qtbot, chat, "PostgreSQL release notes")
    qtbot.waitUntil(lambda: chat.running is None, timeout=60_000)
    turn = chat.current.turns[-1]
    assert turn.answer.startswith(chat_backend.FALLBACK_NOTE)
    assert "PostgreSQL 16" in turn.answer
    assert turn.citations == [] and turn.related  # listed memories, no statement made
    assert '<a href="memory:' in chat.transcript.toHtml()


def saved_turn_ids(services, conversation_id: str) -> list[str]:
    rows = services.store.reader.execute(
        "SELECT id FROM memories WHERE source = 'chat'").fetchall()
    return [m.id for m in services.store.get_many([r[0] for r in rows], include_deleted=True)
            if conversation_of(m) == conversation_id]


@pytest.mark.slow
def test_conversations_come_back_after_a_restart_and_can_be_forgotten(
    qtbot, demo_services, request
) -> None:
    """Two turns of one conversation, saved as memories before the window exists (an
    earlier run of the app), are listed by the chat view; forgetting the conversation
    soft-deletes its turns and the undo bar brings them back."""
    trip = new_conversation_id()
    service = demo_services.chat_service()
    service.ask("What was decided about hiring in the Q3 budget review?", conversation_id=trip)
    service.ask("What colour is the zebra on Jupiter's third moon?", conversation_id=trip)
    assert len(saved_turn_ids(demo_services, trip)) == 2

    window = request.getfixturevalue("window")
    window.show_page("Chat")
    view = window.chat
    qtbot.waitUntil(lambda: view.history_loaded, timeout=30_000)
    titles = items(view.history)
    assert titles[0] == "New conversation"
    assert titles[1].startswith("What was decided about hiring in the Q3")
    rect = view.history.visualItemRect(view.history.item(1))
    qtbot.mouseClick(view.history.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.current.id == trip and len(view.current.turns) == 2
    text = view.transcript.toPlainText()
    assert text.index("hiring in the Q3") < text.index("zebra")
    assert view.current.turns[0].citations and view.current.turns[0].supporting

    click(qtbot, view.forget_button)
    qtbot.waitUntil(lambda: trip not in [c.id for c in view.conversations], timeout=10_000)
    assert window.undo_bar.isVisible()
    turns = demo_services.store.get_many(saved_turn_ids(demo_services, trip),
                                         include_deleted=True)
    assert turns and all(m.deleted for m in turns)
    click(qtbot, window.undo_bar.undo_button)
    qtbot.waitUntil(lambda: trip in [c.id for c in view.conversations], timeout=10_000)
    assert view.current.id == trip
    turns = demo_services.store.get_many(saved_turn_ids(demo_services, trip))
    assert len(turns) == 2 and not any(m.deleted for m in turns)


def test_a_new_turn_is_saved_under_its_conversation(qtbot, chat) -> None:
    ask(qtbot, chat, "What colour is the zebra on Jupiter's third moon?")
    qtbot.waitUntil(lambda: chat.running is None, timeout=60_000)
    turn = chat.current.turns[-1]
    assert turn.memory_id is not None
    assert saved_turn_ids(chat.ctx.services, chat.current.id) == [turn.memory_id]
    assert chat.forget_button.isEnabled()


def test_a_missing_model_is_reported_when_the_chat_view_opens(
    qtbot, demo_services, request, tmp_path
) -> None:
    """The warm-up meets the missing model before the first question does, and says so."""
    demo_services.settings.set("llm_model_path", str(tmp_path / "gone.gguf"))
    window = request.getfixturevalue("window")
    window.show_page("Chat")
    view = window.chat
    qtbot.waitUntil(lambda: "not ready" in view.backend_note.text(), timeout=30_000)
    assert "gone.gguf" in view.backend_note.text() and "Settings" in view.backend_note.text()
    assert view.send_button.isEnabled()  # questions that need no model still get answers


def test_with_saving_off_the_history_says_so_and_nothing_is_saved(qtbot, demo_services,
                                                                   request) -> None:
    demo_services.settings.set("save_chat_as_memory", False)
    window = request.getfixturevalue("window")
    window.show_page("Chat")
    view = window.chat
    assert "not being saved" in view.history_note.text()
    ask(qtbot, view, "What colour is the zebra on Jupiter's third moon?")
    qtbot.waitUntil(lambda: view.running is None, timeout=60_000)
    assert view.current.turns[-1].memory_id is None and not view.forget_button.isEnabled()
    assert saved_turn_ids(demo_services, view.current.id) == []
