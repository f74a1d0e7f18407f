"""Chat with your memories: streamed answers; the cited memories (those the answer rests on)
as chips that open the memory or the exact frame line the answer quotes; the related
memories (found, not used) apart; a stop button; and the conversation history:
conversations saved as memories come back when the app starts, and can be forgotten (with
undo)."""

from __future__ import annotations

import html
import re
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from memory.chat_history import conversation_title
from memory.schema import Memory
from ui import chat_backend
from ui.chat_backend import ChatEvent, ChatResult, CitedLine, Conversation, Turn
from ui.context import UiContext
from ui.frame_dialog import FrameDialog
from ui.memory_detail import short_time
from ui.ops import (
    MemoryChanges,
    MemoryOp,
    OpCancelled,
    OpContext,
    QueryOp,
    WithChanges,
    readable_error,
)
from ui.widgets import FlowLayout, chip, heading, subtle

_CITATION = re.compile(r"\[(\d{1,3})\]")


def turn_html(turn: Turn) -> str:
    """One question and its answer; ``[n]`` citations link to the n-th supporting memory."""

    def link(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if 0 < n <= len(turn.supporting):
            return f'<a href="memory:{turn.supporting[n - 1].id}">[{n}]</a>'
        return match.group(0)

    answer = _CITATION.sub(link, html.escape(turn.answer)).replace("\n", "<br>")
    extra = ""
    if turn.stopped:
        extra = '<br><i style="opacity:.7">Stopped.</i>'
    if turn.error:
        extra += f'<br><b>Could not answer:</b> {html.escape(turn.error)}'
    return (f'<p style="margin-top:12px"><b>You</b><br>{html.escape(turn.question)}</p>'
            f'<p><b>Engram</b><br>{answer or "<i>…</i>"}{extra}</p>')


def _keep_evidence(session: Conversation, stored: Conversation) -> None:
    """A turn read back from the store keeps what this session knew of its evidence (the
    related memories and the cited frame lines are not saved with the turn)."""
    known = {t.memory_id: t for t in session.turns if t.memory_id}
    for turn in stored.turns:
        old = known.get(turn.memory_id) if turn.memory_id else None
        if old is not None:
            turn.supporting, turn.related, turn.lines = old.supporting, old.related, old.lines


def _new_one_first(conversations: list[Conversation]) -> None:
    """Keep an empty conversation at the top of the list, ready for the next question."""
    if not conversations or conversations[0].turns:
        conversations.insert(0, Conversation())


class ChatView(QWidget):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.conversations: list[Conversation] = [Conversation()]
        self.current = self.conversations[0]
        self.running: QueryOp[Any] | None = None
        self._evidence_shown: tuple[Any, ...] | None = None
        self.history_loaded = False
        self.model_warm = False
        self._saves = 0  # turns saved this session: a history read that raced one is redone
        self._reload_pending = False

        self.history = QListWidget()
        self.history.setObjectName("conversations")
        self.history.setProperty("role", "records")
        self.history.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.new_button = QPushButton("New conversation")
        self.new_button.setObjectName("newConversation")
        self.forget_button = QPushButton("Forget conversation")
        self.forget_button.setObjectName("forgetConversation")
        self.forget_button.setToolTip("Forget this conversation's saved turns (you can undo)")
        self.history_note = subtle(self._history_note_text())
        self.history_note.setWordWrap(True)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(heading("Conversations", role="hour"))
        left_layout.addWidget(self.history, 1)
        left_layout.addWidget(self.history_note)
        left_layout.addWidget(self.new_button)
        left_layout.addWidget(self.forget_button)

        self.transcript = QTextBrowser()
        self.transcript.setObjectName("transcript")
        self.transcript.setOpenLinks(False)
        self.citations = FlowLayout()
        self.no_citations = subtle("No memory supports a statement of this answer.")
        self.no_citations.setObjectName("noCitations")
        self.no_citations.setVisible(False)
        self.last_frame_dialog: FrameDialog | None = None
        self.supporting = QListWidget()
        self.supporting.setObjectName("related")
        self.supporting.setProperty("role", "records")
        self.supporting.setMaximumHeight(150)
        self.input = QLineEdit()
        self.input.setObjectName("chatInput")
        self.input.setPlaceholderText("Ask about something you saw or did…")
        self.send_button = QPushButton("Ask")
        self.send_button.setObjectName("askButton")
        self.send_button.setProperty("role", "primary")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setEnabled(False)
        ask_row = QHBoxLayout()
        ask_row.addWidget(self.input, 1)
        ask_row.addWidget(self.send_button)
        ask_row.addWidget(self.stop_button)
        self.backend_note = subtle(
            "" if chat_backend.chat_service_available() else chat_backend.FALLBACK_NOTE)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.transcript, 3)
        self.cited_label = subtle("Cited: the answer rests on these")
        self.cited_label.setObjectName("citedLabel")
        self.related_label = subtle("Related: found, but not used in the answer")
        self.related_label.setObjectName("relatedLabel")
        right_layout.addWidget(self.cited_label)
        right_layout.addLayout(self.citations)
        right_layout.addWidget(self.no_citations)
        right_layout.addWidget(self.related_label)
        right_layout.addWidget(self.supporting, 1)
        right_layout.addWidget(self.backend_note)
        right_layout.addLayout(ask_row)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
        split.setSizes([240, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 0)
        layout.addWidget(split)

        self.send_button.clicked.connect(self.ask)
        self.input.returnPressed.connect(self.ask)
        self.stop_button.clicked.connect(self.stop)
        self.new_button.clicked.connect(self.new_conversation)
        self.forget_button.clicked.connect(self.forget_conversation)
        self.history.currentRowChanged.connect(self._conversation_chosen)
        self.transcript.anchorClicked.connect(self._link_clicked)
        self.supporting.itemActivated.connect(
            lambda item: ctx.open_memory(item.data(Qt.ItemDataRole.UserRole)))
        self.supporting.itemClicked.connect(
            lambda item: ctx.open_memory(item.data(Qt.ItemDataRole.UserRole)))
        ctx.hub.memory_did_change.connect(self._changed)
        self._refresh_history()
        self._render()
        self.load_history()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.model_warm:
            self.model_warm = True
            self._warm_up()

    def _warm_up(self) -> None:
        """Load the chat model in the background while the user types the first question."""
        services = self.ctx.services

        def failed(exc: BaseException) -> None:
            self.backend_note.setText(f"The chat model is not ready: {readable_error(exc)}")

        QueryOp(parent=self, op=lambda _c: chat_backend.warm_up(services, _c)
                ).failure(failed).run_in_background()

    # -- conversations -------------------------------------------------------------------

    def _history_note_text(self) -> str:
        if self.ctx.services.settings.get("save_chat_as_memory"):
            return "Conversations are kept as episodic memories."
        return ("New conversations are not being saved (Settings: save_chat_as_memory), "
                "so they end when Engram closes.")

    def load_history(self) -> None:
        """Read the saved conversations back, in the background, and merge them in."""
        services = self.ctx.services
        saves_before = self._saves

        def loaded(saved: list[Conversation]) -> None:
            if self.running is not None:  # a turn is being saved: read again once it is
                self._reload_pending = True
                return
            if self._saves != saves_before:  # a turn was saved while reading
                self.load_history()
                return
            self._merge(saved)
            self.history_loaded = True

        def failed(exc: BaseException) -> None:
            self.history_loaded = True
            self.history_note.setText(f"Earlier conversations could not be read: "
                                      f"{readable_error(exc)}")

        QueryOp(parent=self, op=lambda _c: chat_backend.saved_history(services),
                success=loaded).failure(failed).run_in_background()

    def _merge(self, saved: list[Conversation]) -> None:
        """What the store holds replaces this session's copy of each saved conversation; a
        conversation with a turn that was never saved stays as it is; one whose saved turns
        are all gone from the store (forgotten elsewhere) goes."""
        loaded = {c.id: c for c in saved}
        merged: list[Conversation] = []
        for conversation in self.conversations:
            stored = loaded.pop(conversation.id, None)
            if any(t.memory_id is None for t in conversation.turns) or not conversation.turns:
                merged.append(conversation)
            elif stored is not None:
                _keep_evidence(conversation, stored)
                merged.append(stored)
        merged.extend(loaded.values())
        _new_one_first(merged)
        current = {c.id: c for c in merged}.get(self.current.id)
        self.conversations = merged
        self.current = current or merged[0]
        self._refresh_history()
        self._render()

    def _refresh_history(self) -> None:
        self.history.blockSignals(True)
        self.history.clear()
        for conversation in self.conversations:
            self.history.addItem(conversation.title)
        self.history.setCurrentRow(self.conversations.index(self.current))
        self.history.blockSignals(False)
        self.forget_button.setEnabled(bool(self.current.saved_ids) and self.running is None)

    def forget_conversation(self) -> None:
        """Forget the shown conversation's saved turns; the undo bar brings them back."""
        conversation = self.current
        if not conversation.saved_ids or self.running is not None:
            return
        services, ctx = self.ctx.services, self.ctx
        position = self.conversations.index(conversation)

        def undo() -> None:
            def restored(_none: None) -> None:
                if conversation not in self.conversations:
                    self.conversations.insert(min(position, len(self.conversations)),
                                              conversation)
                self.current = conversation
                self._refresh_history()
                self._render()

            MemoryOp(parent=self, hub=ctx.hub,
                     op=lambda _c: chat_backend.restore_conversation(services, forgotten),
                     success=restored).failure(self._show_failure).run_in_background()

        def done(ids: list[str]) -> None:
            forgotten.extend(ids)
            if conversation in self.conversations:
                self.conversations.remove(conversation)
            _new_one_first(self.conversations)
            self.current = self.conversations[0]
            self._refresh_history()
            self._render()
            ctx.offer_undo(f"Forgot the conversation “{conversation.title}”.", undo)

        forgotten: list[str] = []
        MemoryOp(parent=self, hub=ctx.hub,
                 op=lambda _c: chat_backend.forget_conversation(services, conversation),
                 success=done).failure(self._show_failure).run_in_background()

    def _show_failure(self, exc: BaseException) -> None:
        self.ctx.hub.status_message.emit(readable_error(exc))

    def new_conversation(self) -> None:
        self.stop()
        if self.current.turns:
            self.current = Conversation()
            self.conversations.insert(0, self.current)
        self._refresh_history()
        self._render()

    def _conversation_chosen(self, row: int) -> None:
        if 0 <= row < len(self.conversations) and self.running is None:
            self.current = self.conversations[row]
            self.forget_button.setEnabled(bool(self.current.saved_ids))
            self._render()

    # -- asking --------------------------------------------------------------------------

    def ask(self) -> None:
        question = self.input.text().strip()
        if not question or self.running is not None:
            return
        self.input.clear()
        turn = Turn(question)
        conversation_id = self.current.id
        self.current.turns.append(turn)
        if self.current.title == "New conversation":
            self.current.title = conversation_title(question)
            self._refresh_history()
        self._render()
        services = self.ctx.services

        def run(ctx: OpContext) -> WithChanges[tuple[ChatResult, bool]]:
            result = chat_backend.answer(services, question, conversation_id, ctx)
            changes = (MemoryChanges.of("episodic", result.saved_memory_id)
                       if result.saved_memory_id else MemoryChanges())
            return WithChanges((result, ctx.cancelled), changes)

        self.send_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.forget_button.setEnabled(False)
        op: MemoryOp[Any] = MemoryOp(parent=self, hub=self.ctx.hub, op=run,
                      success=lambda done: self._finished(turn, *done))
        op.on_partial(lambda events: self._events(turn, events))
        op.failure(lambda exc: self._failed(turn, exc))
        self.running = op.run_in_background()

    def stop(self) -> None:
        if self.running is not None:
            self.running.cancel()

    def _events(self, turn: Turn, events: list[ChatEvent]) -> None:
        for event in events:
            if event.kind == "token":
                turn.answer += event.text
        self._render()

    def _finished(self, turn: Turn, result: ChatResult, stopped: bool) -> None:
        turn.answer = result.answer
        turn.citations = result.citations
        turn.supporting = result.supporting
        turn.related = result.related
        turn.lines = result.lines
        turn.stopped = stopped
        turn.memory_id = result.saved_memory_id
        self._saves += 1
        self._done()
        self._render()

    def _failed(self, turn: Turn, exc: BaseException) -> None:
        if isinstance(exc, OpCancelled):
            turn.stopped = True
        else:
            turn.error = readable_error(exc)
        self._done()
        self._render()

    def _done(self) -> None:
        self.running = None
        self.send_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.forget_button.setEnabled(bool(self.current.saved_ids))
        if self._reload_pending:
            self._reload_pending = False
            self.load_history()

    # -- rendering -----------------------------------------------------------------------

    def _render(self) -> None:
        turns = self.current.turns
        if not turns:
            self.transcript.setHtml(
                "<p style='opacity:.7'>Ask a question about what you have seen or done, for "
                "example <i>“What did I decide about the Q3 budget?”</i></p>")
        else:
            self.transcript.setHtml("".join(turn_html(t) for t in turns))
        bar = self.transcript.verticalScrollBar()
        bar.setValue(bar.maximum())
        last = turns[-1] if turns else None
        shown = (id(last), tuple(last.citations) if last else (),
                 tuple(m.id for m in last.supporting) if last else (),
                 tuple(last.related) if last else ())
        if shown == self._evidence_shown:
            return
        self._evidence_shown = shown
        self.citations.clear()
        self.supporting.clear()
        self.no_citations.setVisible(bool(last and last.answer and not last.citations))
        if last is None:
            return
        order = {m.id: n for n, m in enumerate(last.supporting, 1)}
        by_id = {m.id: m for m in last.supporting}
        for memory_id in last.citations:
            memory = by_id.get(memory_id)
            number = f"[{order[memory_id]}] " if memory_id in order else ""
            label = f"{number}{memory.summary}" if memory else f"memory {memory_id[:8]}"
            self.citations.addWidget(chip(label, partial(self.ctx.open_memory, memory_id),
                                          "Open the cited memory"))
            cited_line = last.lines.get(memory_id)
            frames = memory.provenance.get("frames", []) if memory else []
            if cited_line is not None:
                self.citations.addWidget(chip(
                    f"frame {cited_line.frame_id}, line {cited_line.line + 1}",
                    partial(self.open_cited_line, cited_line),
                    "Open the screen this came from, at the quoted line"))
            elif frames:
                self.citations.addWidget(chip(
                    f"frame {frames[0]}", partial(self.ctx.open_frame, int(frames[0])),
                    "Open the screen this came from"))
        related = set(last.related)
        for memory in last.supporting:
            if memory.id not in related:
                continue
            item = QListWidgetItem(f"[{order[memory.id]}] {self._memory_line(memory)}")
            item.setData(Qt.ItemDataRole.UserRole, memory.id)
            self.supporting.addItem(item)

    def open_cited_line(self, cited: CitedLine) -> None:
        """The frame a citation came from, with the quoted line marked."""
        dialog = FrameDialog(self.ctx, cited.frame_id, self, highlight_line=cited.line)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_frame_dialog = dialog
        dialog.show()

    @staticmethod
    def _memory_line(memory: Memory) -> str:
        when = short_time(memory.fields.get("occurred_at") or memory.event_at)
        return f"{when}  [{memory.type}]  {memory.summary}"

    def _link_clicked(self, url: QUrl) -> None:
        text = url.toString()
        kind, _, value = text.partition(":")
        if kind == "memory":
            self.ctx.open_memory(value)
        elif kind == "frame" and value.isdigit():
            self.ctx.open_frame(int(value))

    def _changed(self, changes: MemoryChanges, initiator: object) -> None:
        if "save_chat_as_memory" in changes.settings:
            self.history_note.setText(self._history_note_text())
        saved = {m for c in self.conversations for m in c.saved_ids}
        if initiator is not self and changes.ids & saved:
            self.load_history()  # a saved turn was forgotten or restored elsewhere
        if changes.vault_lock:
            self.backend_note.setText(
                "" if chat_backend.chat_service_available() else chat_backend.FALLBACK_NOTE)
