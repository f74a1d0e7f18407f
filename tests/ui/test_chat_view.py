"""Chat: streamed answers from the real ChatService and bundled model, citations as chips
that open the memory, supporting memories, stop, abstaining, conversation history."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

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
    assert len(set(partials)) > 2, "the answer should arrive in pieces"
    assert any("Q3 budget review email" in t for t in items(chat.supporting))
    assert turn.citations
    qtbot.waitUntil(lambda: len(chips(chat)) >= 1)
    assert not chat.stop_button.isEnabled() and chat.send_button.isEnabled()
    target = turn.citations[0]
    click(qtbot, chips(chat)[0])
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.memories)
    qtbot.waitUntil(lambda: window.memories.current_tab().detail.memory_id == target)


@pytest.mark.slow
def test_stop_ends_a_streaming_answer(qtbot, chat) -> None:
    ask(qtbot, chat, "Summarise everything I did for the billing service today")
    qtbot.waitUntil(lambda: bool(chat.current.turns[-1].answer), timeout=ANSWER_TIMEOUT_MS)
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
    assert "PostgreSQL 16" in turn.answer and turn.citations
    qtbot.waitUntil(lambda: len(chips(chat)) >= 1)
    assert '<a href="memory:' in chat.transcript.toHtml()
