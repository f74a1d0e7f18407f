"""The text behind a memory, line by line, as the answer quotes it.

For a screen memory that is the OCR text of the frames it came from (already redacted by
capture), so a citation can point at the exact frame line; for a note or a chat turn it is
the memory's own text. The memory's fields come too: extraction may have tidied a value the
OCR split over two lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from memory.errors import InvalidInput
from memory.extraction.layout import blocks, row_groups
from memory.extraction.segments import Box, FrameText
from memory.schema import Memory, parse_iso
from memory.store import MemoryStore


@dataclass(frozen=True)
class SourceLine:
    text: str
    frame_id: int | None = None
    line: int | None = None  # index of the line in the frame's OCR text (its "\n" lines)
    #: where the line stands on the frame (left, top, right, bottom), when OCR said
    box: tuple[int, int, int, int] | None = field(default=None, compare=False)

    def above(self, other: SourceLine) -> bool:
        """Does this line stand on a row above ``other`` (both placed on one frame)?"""
        if self.box is None or other.box is None or self.frame_id != other.frame_id:
            return False
        height = min(self.box[3] - self.box[1], other.box[3] - other.box[1])
        return (other.box[1] + other.box[3]) - (self.box[1] + self.box[3]) >= height


@dataclass(frozen=True)
class Source:
    """One memory with its date and the lines an answer may quote. A turn of a
    conversation also has its ``speaker`` (whose "I" and "my" it says) and ``asked``, the
    question of the turn before that it answers ("How long have you been painting?" for
    "Seven years now")."""

    memory: Memory
    when: datetime | None
    lines: tuple[SourceLine, ...]
    speaker: str = ""
    asked: str = ""
    #: the window titles of a screen memory's frames: what every line of the page is about
    title: str = ""
    #: the lines of each frame that has their boxes, in groups that stand together on
    #: screen (a card, a label over its value; many lines stand alone): OCR's reading
    #: order interleaves them with their neighbours'
    blocks: tuple[tuple[SourceLine, ...], ...] = ()
    #: the same lines by the visual row they share, top to bottom and left to right, the
    #: frames in the order of their ids
    rows: tuple[tuple[SourceLine, ...], ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def memory_text(memory: Memory) -> str:
    """A memory's words as shown to the user and the model (vault secrets stay masked unless
    the memory was read with ``reveal``)."""
    f = memory.fields
    if memory.type == "core":
        text = f"{f.get('label')}: {f.get('value') or ''}"
    elif memory.type == "episodic":
        text = str(f.get("summary") or "")
        if f.get("details") and f["details"] != f.get("summary"):
            text += f"\n{f['details']}"
    elif memory.type == "semantic":
        text = f"{f.get('name')}: {f.get('summary')}\n{f.get('details') or ''}"
    elif memory.type == "procedural":
        text = str(f.get("summary") or "") + "".join(
            f"\n{i}. {step}" for i, step in enumerate(f.get("steps") or [], 1)
        )
    elif memory.type == "resource":
        text = f"{f.get('title')}: {f.get('summary') or ''}\n{f.get('content') or ''}"
    else:
        text = f"{f.get('caption')} ({f.get('entry_type')})"
        secret = f.get("secret_value")
        if secret and secret != "[encrypted]":
            text += f": {secret}"
    return text.strip()


def memory_date(memory: Memory) -> datetime | None:
    stamp = memory.fields.get("occurred_at") or memory.event_at
    try:
        return parse_iso(str(stamp)) if stamp else None
    except InvalidInput:
        return None


#: A sentence ends at ". ", "! " or "? " before a capital or a digit, but not after a day
#: written with its ordinal dot ("am 1. Mai", "4. März").
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\b\d\.)(?<!\b\d\d\.)\s+(?=[\"“'A-Z0-9])")


def _sentences(text: str) -> list[str]:
    out: list[str] = []
    for line in text.splitlines():
        out.extend(part.strip() for part in _SENTENCE_END.split(line) if part.strip())
    return out


#: "Ilse: …" or "Ana Costa: …" opening a note or a chat turn: who says it.
_SPEAKER = re.compile(r"^(?P<name>[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,2}):\s")
#: Turns further apart than this are no question and its reply.
_REPLY_GAP = timedelta(minutes=10)


def speaker_of(memory: Memory) -> str:
    """Who speaks in a conversation turn (a remembered note or message that opens with
    "Name: "); "" for a screen memory, whose "Label: value" lines are no speakers."""
    if memory.source == "screen" or memory.type != "episodic":
        return ""
    m = _SPEAKER.match(memory_text(memory))
    return m.group("name") if m else ""


def asked_before(store: MemoryStore, memory: Memory, speaker: str,
                 when: datetime | None) -> str:
    """The question that ``memory``, a turn by ``speaker`` at ``when``, replies to: the last
    sentence of the turn just before it, when another speaker asked it; "" otherwise."""
    if not speaker or when is None:
        return ""
    row = store.reader.execute(
        "SELECT id FROM memories WHERE source = ? AND type = 'episodic' AND deleted = 0 "
        "AND (event_at, seq) < (?, (SELECT seq FROM memories WHERE id = ?)) "
        "ORDER BY event_at DESC, seq DESC LIMIT 1",
        [memory.source, memory.event_at, memory.id]).fetchone()
    before = store.get(row[0]) if row else None
    if before is None:
        return ""
    before_at = memory_date(before)
    if before_at is None or when - before_at > _REPLY_GAP:
        return ""
    asker = speaker_of(before)
    last = (_sentences(memory_text(before)) or [""])[-1]
    if not asker or asker == speaker or not last.rstrip().endswith("?"):
        return ""
    return _SPEAKER.sub("", last, count=1)


@dataclass
class _Frame:
    title: str
    lines: list[str]
    #: each line's box; empty when the frame has no boxes
    boxes: list[Box]

    @cached_property
    def blocks(self) -> list[list[int]]:
        """Groups of indexes into ``lines`` that stand together on screen."""
        return blocks(self.boxes) if self.boxes else []


def _frame(row: Sequence[object]) -> _Frame:
    lines = str(row[2] or "").split("\n")
    if len(row) < 4:
        return _Frame(str(row[1] or ""), lines, [])
    found = FrameText.from_row({"id": row[0], "captured_at": "", "ocr_lines": row[3]}).boxes
    boxes = [b for b in found if b is not None]
    return _Frame(str(row[1] or ""), lines, boxes if len(boxes) == len(lines) else [])


def frame_lines(store: MemoryStore, frame_ids: Sequence[int], *, placed: bool = False
                ) -> dict[int, _Frame]:
    """Each frame's window title and its OCR text split into its lines (redacted as
    stored); with ``placed``, also each line's box (and so the blocks they form)."""
    ids = [int(f) for f in frame_ids if str(f).isdigit()]
    if not ids:
        return {}
    boxes = ", ocr_lines" if placed else ""
    rows = store.reader.execute(
        f"SELECT id, window_title, ocr_text{boxes} FROM frames "
        f"WHERE id IN ({', '.join('?' for _ in ids)})", ids).fetchall()
    return {int(row[0]): _frame(row) for row in rows}


def _frames(memory: Memory, ocr: dict[int, _Frame]) -> list[tuple[int, _Frame]]:
    """``memory``'s frames that ``ocr`` holds, each with its id."""
    return [(int(f), ocr[int(f)]) for f in memory.provenance.get("frames", [])
            if str(f).isdigit() and int(f) in ocr]


def _frame_ids(memories: Sequence[Memory]) -> list[int]:
    return [f for m in memories for f in m.provenance.get("frames", [])]


def screen_texts(store: MemoryStore, memories: Sequence[Memory]) -> dict[str, str]:
    """What each memory was read in, by memory id: the window titles and OCR text of a
    screen memory's frames; the question a conversation turn replies to."""
    ocr = frame_lines(store, _frame_ids(memories))
    out: dict[str, str] = {}
    for memory in memories:
        shown = _frames(memory, ocr)
        if shown:
            out[memory.id] = "\n".join(f"{frame.title}\n" + "\n".join(frame.lines)
                                        for _, frame in shown)
        elif speaker := speaker_of(memory):
            out[memory.id] = asked_before(store, memory, speaker, memory_date(memory))
    return out


def load_sources(store: MemoryStore, memories: Sequence[Memory]) -> list[Source]:
    """The quotable lines of each memory, in the order given."""
    ocr = frame_lines(store, _frame_ids(memories), placed=True)
    sources = []
    for memory in memories:
        text = memory_text(memory)
        if memory.type == "episodic":
            # An episode's summary joins excerpts from different places of the screen with
            # " — "; each is a span of its own (a value never belongs to its neighbour's).
            summary = str(memory.fields.get("summary") or "")
            text = text.replace(summary, summary.replace(" — ", "\n"), 1)
        if memory.type == "resource" and memory.fields.get("title"):
            # a resource's title, a page's window title, is what all its lines are about
            # (the answer lends it to each as ``Source.title``): a line of its own, not the
            # label of the summary's first words
            title = str(memory.fields["title"])
            text = text.replace(f"{title}: ", f"{title}\n", 1)
        # an episode's details often start with its summary: that sentence is one line
        said = _sentences(text)
        lines = [SourceLine(s) for i, s in enumerate(said) if i == 0 or s != said[i - 1]]
        shown = _frames(memory, ocr)
        grouped: list[tuple[SourceLine, ...]] = []
        rows: list[tuple[int, tuple[SourceLine, ...]]] = []
        for frame_id, frame in shown:
            read = {index: SourceLine(text.strip(), frame_id, index,
                                      frame.boxes[index] if frame.boxes else None)
                    for index, text in enumerate(frame.lines) if text.strip()}
            lines += read.values()
            grouped += [block for block in (tuple(read[i] for i in group if i in read)
                                            for group in frame.blocks) if block]
            if frame.boxes:
                placed = list(read.values())
                rows += [(frame_id, tuple(placed[i] for i in row))
                         for row in row_groups([line.box for line in placed if line.box])]
        speaker, when = speaker_of(memory), memory_date(memory)
        sources.append(Source(memory, when, tuple(lines), speaker,
                              asked_before(store, memory, speaker, when),
                              " ".join(dict.fromkeys(f.title for _, f in shown if f.title)),
                              tuple(grouped),
                              tuple(row for _, row in sorted(rows, key=lambda r: r[0]))))
    return sources
