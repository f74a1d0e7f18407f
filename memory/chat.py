"""Chat with your own memories, on the device.

Retrieve, decide whether the memories found are convincing (else abstain plainly), then
answer extractively: the value of the asked type quoted from its span, with its citation
(:mod:`memory.answer`), streamed at once. Only a question asking for a description lets the
model add its phrasing after it (temperature 0: the same question on the same memories
gives the same answer), and each sentence it writes is kept only if every detail in it is
found in the memories it cites; when none is left, the extractive answer stands alone.
``citations`` are the memories a statement rests on; the other convincing memories are
``related``. Vault secrets enter a prompt only while the vault is unlocked.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import numpy as np

from memory.answer.extractive import Extract, extract, stem
from memory.answer.names import load_word_lists
from memory.answer.question import AnswerType, classify
from memory.answer.source import Source, SourceLine, load_sources, memory_text, screen_texts
from memory.answer.verify import Support, complete_sentences, sentences, unsupported
from memory.chat_history import conversation_provenance, new_conversation_id
from memory.errors import InvalidInput
from memory.retrieval import (
    HybridRetriever,
    SearchFilters,
    SearchResult,
    compounds_met,
    query_words,
)
from memory.schema import Memory, parse_iso
from memory.secrets.saving import scrub_for_saving
from memory.store import MemoryStore

__all__ = ["ABSTAIN", "ChatAnswer", "ChatModel", "ChatService", "memory_text"]

log = logging.getLogger(__name__)

ABSTAIN = "I don't have a memory of that."
#: A memory is convincing evidence when its meaning is close to the question, or when it
#: shares most of the question's words and is at least loosely related in meaning.
MIN_SIMILARITY = 0.45
MIN_SIMILARITY_WITH_WORDS = 0.25
MIN_WORD_COVERAGE = 0.5
RETRIEVE = 12
#: Whole-text vectors a chat keeps (1.5 KB each).
FULL_TEXT_VECTORS = 4096
#: The extractive answer reads at most this many convincing memories (it needs no model,
#: so more cost little: the span that answers is often not in the first six).
EVIDENCE_MEMORIES = 10
#: Prompt evaluation dominates time to first token: at most this many memories, this long.
PROMPT_MEMORIES = 6
MEMORY_CHARS = 400
#: The model's phrasing follows the extractive answer; it is kept short.
PHRASE_TOKENS = 48
PHRASE_MEMORIES = 3

SYSTEM_PROMPT = (
    "You answer the user's question using only their memories listed below. "
    "Answer in one or two short sentences. Cite the memories you use by their number, like "
    f'[1]. If the memories do not contain the answer, say "{ABSTAIN}"'
)
#: Questions the model may phrase; every other type is answered by its extracted value.
PHRASED = frozenset({AnswerType.DESCRIPTION})


class ChatModel(Protocol):
    """What chat needs from :class:`memory.llm.LocalLLM`."""

    def stream_chat(
        self, messages: Sequence[dict[str, str]], max_tokens: int,
        stop: threading.Event | None = None, *, temperature: float = ...,
    ) -> Any: ...

    def count_tokens(self, text: str) -> int: ...

    def load(self) -> None: ...


@dataclass(frozen=True)
class CitedSpan:
    """Where a cited statement came from: the memory, and for a screen memory the frame
    and the line of its OCR text."""

    memory_id: str
    text: str
    frame_id: int | None = None
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"memory": self.memory_id, "text": self.text, "frame": self.frame_id,
                "line": self.line}


@dataclass
class ChatAnswer:
    """``supporting`` holds every memory shown, in the order the answer's [n] count them;
    ``citations`` the ids of those a statement rests on, ``related`` the others."""

    question: str
    answer: str
    citations: list[str]
    abstained: bool
    supporting: list[SearchResult]
    prompt: list[dict[str, str]] = field(default_factory=list)
    saved_memory_id: str | None = None
    short_answer: str = ""
    related: list[str] = field(default_factory=list)
    spans: list[CitedSpan] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # model sentences cut by the verifier

    def to_json(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "short_answer": self.short_answer,
            "citations": self.citations,
            "related": self.related,
            "abstained": self.abstained,
            "spans": [s.to_json() for s in self.spans],
            "supporting": [
                {**r.to_json(), "text": memory_text(r.memory)} for r in self.supporting
            ],
            "saved_memory_id": self.saved_memory_id,
        }


def word_coverage(question: str, text: str) -> float:
    """Share of the question's meaningful words (loosely stemmed) found in ``text``."""
    q = classify(question)
    # in German, French …: "wann", "der" say nothing, and "Mietende" meets the
    # "Mietvertrag" asked about
    asked = list(q.words) if q.foreign else query_words(question)
    # ("sizes" meets "size", "crashed" meets "crash")
    wanted = {stem(w) for w in asked}
    if not wanted:
        return 0.0
    said = re.findall(r"\w+", text.lower())
    have = {stem(w) for w in [*said, *(compounds_met(asked, said) if q.forms_compounds
                                        else ())]}
    return len(wanted & have) / len(wanted)


def is_convincing(
    question: str, result: SearchResult, full_similarity: float | None = None,
    screen: str = "",
) -> bool:
    """Close enough in meaning, or sharing enough of the question's words. The index's
    vector covers only a memory's key fields, so ``full_similarity`` (question against the
    memory's whole text) is used too where the caller computed it; the words may also be
    on the ``screen`` the memory was read from (its frames' titles and text: a memory
    summing up the commands run in a terminal, whose screen shows the file they printed)."""
    candidates = [s for s in (result.similarity, full_similarity) if s is not None]
    similarity = max(candidates) if candidates else None
    if similarity is not None and similarity >= MIN_SIMILARITY:
        return True
    coverage = word_coverage(question, f"{memory_text(result.memory)}\n{screen}")
    return coverage >= MIN_WORD_COVERAGE and (
        similarity is None or similarity >= MIN_SIMILARITY_WITH_WORDS
    )


class ChatService:
    """Answers questions from memory. ``model`` is built on first need (abstaining needs
    none), so a missing model only matters when there is something to answer from."""

    def __init__(
        self,
        store: MemoryStore,
        retriever: HybridRetriever,
        model: Callable[[], ChatModel],
        *,
        save_as_memory: bool = True,
        context_tokens: int = 4096,
        answer_tokens: int = 256,
    ) -> None:
        self.store = store
        self.retriever = retriever
        self._model_factory = model
        self.save_as_memory = save_as_memory
        self.context_tokens = context_tokens
        self.answer_tokens = answer_tokens
        self._text_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._vectors_lock = threading.Lock()

    def _full_text_similarity(
        self, question: str, results: Sequence[SearchResult]
    ) -> list[float | None]:
        """Cosine of the question against each candidate's whole text (details included).
        A text's vector is kept (``FULL_TEXT_VECTORS`` of them): the memories of one screen
        answer one question after another."""
        if not results:
            return []
        texts = [memory_text(r.memory) for r in results]
        with self._vectors_lock:
            # (taken now: another question may push them out while these are embedded)
            known = {t: self._text_vectors[t] for t in texts if t in self._text_vectors}
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        vectors = self.store.embedder.embed([question, *missing])
        known.update(zip(missing, vectors[1:], strict=True))
        with self._vectors_lock:
            for text in texts:
                self._text_vectors[text] = known[text]
                self._text_vectors.move_to_end(text)
            while len(self._text_vectors) > FULL_TEXT_VECTORS:
                self._text_vectors.popitem(last=False)
        return [float(vectors[0] @ known[t]) for t in texts]

    def _convincing(
        self, question: str, results: Sequence[SearchResult]
    ) -> list[SearchResult]:
        """The results close enough to the question to answer from (``is_convincing``).
        Their whole texts are read against the question only where that can decide: with
        its key fields' similarity known, a convincing result stays so when the whole text
        is closer still."""
        screens = screen_texts(self.store, [r.memory for r in results])
        decided = [r.similarity is not None
                   and is_convincing(question, r, None, screens.get(r.memory.id, ""))
                   for r in results]
        unsure = [r for r, known in zip(results, decided, strict=True) if not known]
        full = dict(zip((id(r) for r in unsure),
                        self._full_text_similarity(question, unsure), strict=True))
        return [r for r, known in zip(results, decided, strict=True)
                if known or is_convincing(question, r, full[id(r)],
                                          screens.get(r.memory.id, ""))]

    def ask(
        self,
        question: str,
        *,
        on_token: Callable[[str], None] | None = None,
        stop: threading.Event | None = None,
        now: datetime | None = None,
        conversation_id: str | None = None,
    ) -> ChatAnswer:
        """Answer ``question``. ``conversation_id`` groups the saved turns of one
        conversation (:mod:`memory.chat_history` reads them back); None starts a new one."""
        question = " ".join(str(question).split())
        if not question:
            raise InvalidInput("Ask a question: the text is empty.")
        # The model loads (when it is not loaded already) while retrieval runs.
        loading = _in_background(self._loaded_model)
        results = self.retriever.search(question, SearchFilters(), limit=RETRIEVE, now=now)
        # Earlier chats are not evidence: an old "I don't have a memory" must not answer.
        results = [r for r in results if r.memory.source != "chat"]
        evidence = self._convincing(question, results)
        if not evidence:
            answer = ChatAnswer(question, ABSTAIN, [], True, [])
            if on_token:
                on_token(ABSTAIN)
            return self._finish(answer, conversation_id)
        evidence = evidence[:EVIDENCE_MEMORIES]
        shown = self._reveal_if_unlocked([r.memory for r in evidence])
        sources = load_sources(self.store, shown)
        found = extract(question, sources)
        ids = [r.memory.id for r in evidence]
        if found.abstained or found.number is None:
            if on_token:
                on_token(found.text)
            answer = ChatAnswer(question, found.text, [], True, evidence, related=ids)
            return self._finish(answer, conversation_id)
        if on_token:
            on_token(found.text)  # the extractive answer first: it needs no model
        text, numbers = found.text, [found.number, *(n for n, _ in found.also)]
        messages: list[dict[str, str]] = []
        dropped: list[str] = []
        if found.question.type in PHRASED:
            model = loading.result()
            messages, _numbered = self.build_prompt(question, shown[:PHRASE_MEMORIES], model)
            phrased, cited, dropped = self._phrase(model, messages, sources, found, on_token, stop)
            if phrased:
                text, numbers = f"{found.text}\n{phrased}", [*numbers, *cited]
        citations = list(dict.fromkeys(ids[n - 1] for n in numbers))
        spans = [_cited_span(sources[n - 1], line)
                 for n, line in [(found.number, found.span), *found.also]]
        answer = ChatAnswer(
            question, text, citations, False, evidence, messages,
            short_answer=found.short_answer,
            related=[i for i in ids if i not in citations], spans=spans, dropped=dropped,
        )
        return self._finish(answer, conversation_id)

    def _phrase(
        self, model: ChatModel, messages: list[dict[str, str]], sources: Sequence[Source],
        found: Extract, on_token: Callable[[str], None] | None,
        stop: threading.Event | None,
    ) -> tuple[str, list[int], list[str]]:
        """The model's answer, sentence by sentence, each kept (and streamed) only when every
        detail in it is found in the memories it cites (the extracted span's memory when it
        cites none). Returns (kept text, cited numbers, dropped sentences)."""
        kept: list[str] = []
        cited: list[int] = []
        dropped: list[str] = []
        supports: dict[tuple[int, ...], Support] = {}

        def judge(sentence: str) -> None:
            numbers = tuple(n for n in _cited_numbers(sentence) if 0 < n <= len(sources))
            if ABSTAIN.lower().rstrip(".") in sentence.lower() or _ECHOED_ENTRY.match(sentence):
                dropped.append(sentence)  # an abstention, or a copy of a memory's entry
                return
            if not numbers:
                numbers = (found.number or 1,)
                sentence = f"{sentence} [{numbers[0]}]"
            support = supports.get(numbers)
            if support is None:
                support = supports[numbers] = Support.of([sources[n - 1] for n in numbers])
            if unsupported(_CITATION_MARK.sub(" ", sentence), support):
                dropped.append(sentence)
                return
            kept.append(sentence)
            cited.extend(numbers)
            if on_token:
                on_token(("\n" if len(kept) == 1 else " ") + sentence)

        buffer = ""
        tokens = min(self.answer_tokens, PHRASE_TOKENS)
        pieces = 0
        for piece in model.stream_chat(messages, tokens, stop, temperature=0.0):
            pieces += 1
            done, buffer = complete_sentences(buffer + piece)
            for sentence in done:
                judge(sentence)
        if pieces >= tokens or (stop is not None and stop.is_set()):
            # cut off mid-sentence ("Your gift was"): what it would have said is unknown
            dropped.extend(sentences(buffer))
        else:
            for sentence in sentences(buffer):
                judge(sentence)
        return " ".join(kept), cited, dropped

    def _loaded_model(self) -> ChatModel:
        model = self._model_factory()
        model.load()
        return model

    def warm_up(self) -> None:
        """Load the model and evaluate the prompt's fixed opening (the instructions and the
        core memory), so the next question pays only for its own memories. The model keeps
        the evaluated opening and reuses it for any prompt that starts the same way. The
        desktop app calls this in the background when the chat view first opens. The
        word lists the extractive answer checks names against are read first."""
        load_word_lists()
        model = self._loaded_model()
        core = self._core_block()
        opening = SYSTEM_PROMPT + ("\n\n" + core if core else "") + "\n\nMemories:\n"
        for _piece in model.stream_chat(
            [{"role": "system", "content": opening}, {"role": "user", "content": "Hello"}], 1
        ):
            pass

    def build_prompt(
        self, question: str, memories: Sequence[Memory], model: ChatModel
    ) -> tuple[list[dict[str, str]], list[str]]:
        """The messages for the model and the memory id behind each [n] in them."""
        budget = self.context_tokens - self.answer_tokens - 64
        used = model.count_tokens(SYSTEM_PROMPT) + model.count_tokens(question)
        lines: list[str] = []
        core = self._core_block()
        if core:
            core_tokens = model.count_tokens(core)
            if used + core_tokens < budget // 2:
                lines.append(core)
                used += core_tokens
        numbered: list[str] = []
        entries: list[str] = []
        for memory in memories[:PROMPT_MEMORIES]:
            entry = f"[{len(numbered) + 1}] {_date_of(memory)} {memory_text(memory)[:MEMORY_CHARS]}"
            cost = model.count_tokens(entry) + 1
            if used + cost > budget:
                break
            entries.append(entry)
            numbered.append(memory.id)
            used += cost
        if entries:
            lines.append("Memories:\n" + "\n".join(entries))
        system = SYSTEM_PROMPT + "\n\n" + "\n\n".join(lines)
        return [{"role": "system", "content": system}, {"role": "user", "content": question}], numbered

    def _core_block(self) -> str:
        core = self.store.list("core", limit=20)
        if not core:
            return ""
        return "About the user:\n" + "\n".join(
            f"{m.fields.get('label')}: {m.fields.get('value') or ''}" for m in core
        )

    def _reveal_if_unlocked(self, memories: list[Memory]) -> list[Memory]:
        """Vault entries carry their secret only while the vault is unlocked."""
        if not self.store.vault.is_unlocked:
            return memories
        vault_ids = [m.id for m in memories if m.type == "vault"]
        if not vault_ids:
            return memories
        revealed = {m.id: m for m in self.store.get_many(vault_ids, reveal=True)}
        return [revealed.get(m.id, m) for m in memories]

    def _finish(self, answer: ChatAnswer, conversation_id: str | None) -> ChatAnswer:
        if answer.citations:
            self.store.touch(answer.citations)
        if self.save_as_memory:
            question, reply = scrub_for_saving(self.store, answer.question, answer.answer)
            saved = self.store.add(
                "episodic",
                {
                    "actor": "user",
                    "event_type": "chat",
                    "summary": f"Asked Engram: {question}"[:300],
                    "details": f"Q: {question}\nA: {reply}",
                    "app": "Engram chat",
                },
                source="chat",
                provenance=conversation_provenance(conversation_id or new_conversation_id()),
            )
            answer.saved_memory_id = saved.id
            for memory_id in answer.citations:
                self.store.link(saved.id, memory_id, "cites")
        return answer


def _in_background(work: Callable[[], ChatModel]) -> Future[ChatModel]:
    """Run ``work`` on a thread of its own; its error surfaces only if the result is
    asked for (an abstaining answer never needs the model)."""
    future: Future[ChatModel] = Future()

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(work())
        except BaseException as exc:  # handed to whoever asks for the result
            future.set_exception(exc)

    threading.Thread(target=run, name="chat-model-load", daemon=True).start()
    return future


_CITATION_MARK = re.compile(r"\[(\d{1,3})\]")
#: The model copying a memory's entry from its prompt ("[1] (2026-05-12 09:00) ..."), the
#: way :meth:`ChatService.build_prompt` lists them, instead of answering.
_ECHOED_ENTRY = re.compile(r"^\s*\[\d{1,3}\]\s*\(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}\)")


def _cited_numbers(text: str) -> list[int]:
    return [int(n) for n in _CITATION_MARK.findall(text)]


def _cited_span(source: Source, line: SourceLine | None) -> CitedSpan:
    if line is None:
        return CitedSpan(source.memory.id, "")
    return CitedSpan(source.memory.id, line.text, line.frame_id, line.line)


def _date_of(memory: Memory) -> str:
    stamp = memory.fields.get("occurred_at") or memory.event_at
    try:
        return "(" + parse_iso(str(stamp)).astimezone(UTC).strftime("%Y-%m-%d %H:%M") + ")"
    except InvalidInput:
        return ""
