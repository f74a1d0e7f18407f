"""Structure from OCR boxes: what a screen's text lines are to each other.

OCR gives lines with boxes in a global top-to-bottom order, so a sidebar, a main column and
an infobox interleave. This module cuts the frame into columns (a vertical gutter whose two
sides are not row-aligned), reads each column top to bottom, and inside a column finds:
wrapped lines of one paragraph, rows of cells (tables with their header, key-value pairs
side by side), labels stacked above their value, chat messages (author, time, text) and
terminal commands (prompt, command, output) for any prompt style. A narrow edge column of
short single-cell lines (navigation sidebars, channel lists) and a top strip of many short
cells (menus, tab strips) are set aside as chrome.

Everything works on the text alone when boxes are missing (typed text, old frames): rows
are then the lines themselves. No template, no app name: only geometry and text shape.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from statistics import median

from memory.extraction.values import DATE, find_values

Box = tuple[int, int, int, int]

#: A gutter narrower than this many line heights does not separate columns.
GUTTER_HEIGHTS = 1.0
#: Share of the smaller side's lines that must share a row with the other side for the
#: two sides to be one table (label/value columns) rather than two columns.
ROW_ALIGNED = 0.7
#: An edge column narrower than this share of the page, of short lines, is chrome.
SIDEBAR_SHARE = 0.3
MAX_GUTTERS_TRIED = 6
#: Bands at the top of a region set aside, at most, to find the columns under them.
MAX_TOP_BANDS = 6
#: A label stacked above its value is at most this much taller than the value (OCR boxes of
#: one font size differ by a few pixels; a heading is far bigger).
STACKED_LABEL_HEIGHT = 1.2
#: How far (pixels) a table row's second line may start from the cell it continues.
CELL_ALIGN = 10
#: Most words a value set beside its label (a form's right-hand column) has.
MAX_VALUE_WORDS = 6
#: Words that make a cell a line of prose, and the share of such lines that make a side of
#: a gutter a text column (not a table's column).
PROSE_WORDS = 5
PROSE_SHARE = 0.5


class Cell:
    """One OCR line with its box (height and vertical centre computed once: layout
    compares them many times)."""

    __slots__ = ("box", "centre", "height", "text")

    def __init__(self, text: str, box: Box) -> None:
        self.text = text
        self.box = box
        self.height = max(1, box[3] - box[1])
        self.centre = (box[1] + box[3]) / 2


@dataclass
class Row:
    """Cells that share a visual row inside one column, left to right."""

    cells: list[Cell]
    column: int

    @cached_property
    def text(self) -> str:
        return " ".join(c.text for c in self.cells)

    @cached_property
    def box(self) -> Box:
        return (min(c.box[0] for c in self.cells), min(c.box[1] for c in self.cells),
                max(c.box[2] for c in self.cells), max(c.box[3] for c in self.cells))

    @cached_property
    def height(self) -> int:
        return int(median(c.height for c in self.cells))


@dataclass(frozen=True)
class Pair:
    label: str
    value: str

    @property
    def text(self) -> str:
        return f"{self.label}: {self.value}"


@dataclass(frozen=True)
class TableRow:
    """One table row: ``cells`` as (header, value); header is "" when the table has none."""

    cells: tuple[tuple[str, str], ...]

    @property
    def text(self) -> str:
        return "; ".join(f"{h}: {v}" if h else v for h, v in self.cells)


@dataclass(frozen=True)
class Message:
    author: str
    time: str
    text: str


#: A command's output short enough to be its result ("v4.1.7", "total 212.30 SEK"), in
#: lines and characters; longer output is a listing, read for facts like any text.
MAX_RESULT_LINES = 3
MAX_RESULT_CHARS = 160


@dataclass(frozen=True)
class Command:
    prompt: str
    command: str
    output: tuple[str, ...]

    @property
    def prompted(self) -> bool:
        """After a prompt that says it is one: a bare "#" or ">" starts a comment, a
        Markdown heading or a quote as often as a command."""
        return self.prompt.strip() not in ("#", ">")

    @property
    def result(self) -> str:
        """The output when it is short enough to be the command's answer, else ""."""
        lines = [line.strip() for line in self.output if line.strip()]
        text = " ".join(lines)
        if not 1 <= len(lines) <= MAX_RESULT_LINES or len(text) > MAX_RESULT_CHARS:
            return ""
        return text


@dataclass
class Layout:
    """A frame's (or a segment's) structure. ``lines`` is the content in reading order
    with wrapped lines joined and chrome removed; ``units`` are the spans a fact may come
    from (a sentence, a line, a table row, a key-value pair, a message)."""

    lines: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)
    table: list[TableRow] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)
    chrome: list[str] = field(default_factory=list)

    @property
    def prompted(self) -> bool:
        """Does a real prompt show on screen (a shell session, not a pager or an editor)?"""
        return any(c.prompted for c in self.commands)

    def merge(self, other: Layout) -> None:
        """Add what ``other`` has that this layout has not (frames of one segment)."""
        for name in ("lines", "units", "headings", "pairs", "table", "messages", "commands",
                     "chrome"):
            mine = getattr(self, name)
            seen = set(mine)
            for item in getattr(other, name):
                if item not in seen:
                    mine.append(item)
                    seen.add(item)
        chrome = set(self.chrome) - set(other.lines) - set(self.lines)
        self.chrome = [c for c in self.chrome if c in chrome]


# -- geometry --------------------------------------------------------------------------------


def usable_boxes(lines: Sequence[str], boxes: Sequence[Box | None]) -> bool:
    """Boxes say something only when every line has one of a plausible size and they are
    not all the same placeholder."""
    if not lines or len(boxes) != len(lines) or any(b is None for b in boxes):
        return False
    real = [b for b in boxes if b is not None]
    if any(b[3] - b[1] < 4 for b in real):
        return False
    return len(set(real)) > len(real) // 2


def _columns(cells: list[Cell], column: int, counter: list[int], depth: int = 0) -> list[Row]:
    """Rows in reading order: split at a gutter whose sides are not row-aligned (columns,
    left first), else into horizontal bands, each read on its own."""
    if len(cells) <= 1 or depth > 40:
        return _rows(cells, column)
    if len(cells) <= 12:
        rows = _rows(cells, column)
        if len(rows) == 1:
            return rows
    split = _column_split(cells)
    if split is not None:
        left, right = split
        counter[0] += 1
        left_id = counter[0]
        counter[0] += 1
        right_id = counter[0]
        return (_columns(left, left_id, counter, depth + 1)
                + _columns(right, right_id, counter, depth + 1))
    bands = _bands(cells)
    if len(bands) == 1:
        return _rows(cells, column)
    for k in range(1, min(MAX_TOP_BANDS, len(bands) - 1) + 1):
        # A bar across the top (a title, a browser's info bar) hides the columns below it.
        below = [c for band in bands[k:] for c in band]
        if len(below) >= 6 and _column_split(below) is not None:
            above = [c for band in bands[:k] for c in band]
            return (_columns(above, column, counter, depth + 1)
                    + _columns(below, column, counter, depth + 1))
    out: list[Row] = []
    for band in bands:
        out += _columns(band, column, counter, depth + 1) if len(band) > 1 else _rows(
            band, column)
    return out


def _gutters(cells: list[Cell], min_gap: float) -> list[tuple[int, int]]:
    spans = sorted((c.box[0], c.box[2]) for c in cells)
    gaps: list[tuple[int, int]] = []
    reach = spans[0][1]
    for left, right in spans[1:]:
        if left - reach >= min_gap:
            gaps.append((reach, left))
        reach = max(reach, right)
    return sorted(gaps, key=lambda g: g[0] - g[1])[:MAX_GUTTERS_TRIED]


def _column_split(cells: list[Cell]) -> tuple[list[Cell], list[Cell]] | None:
    height = median(c.height for c in cells)
    for start, end in _gutters(cells, max(12.0, GUTTER_HEIGHTS * height)):
        left = [c for c in cells if c.box[2] <= start]
        right = [c for c in cells if c.box[0] >= end]
        if (not _row_aligned(left, right) and not _values_beside_labels(left, right)
                or _prose(left) and _prose(right) or _listed(left) and _listed(right)):
            return left, right
    return None


def _listed(cells: list[Cell]) -> bool:
    """Mostly list items ("• 2 tbsp olive oil", "3. Add the beans"): two lists side by
    side (a recipe's ingredients and its method) line up row by row like a table, but a
    table's rows do not start with list markers on both sides."""
    items = sum(1 for c in cells if _LIST_ITEM.match(c.text))
    return items >= 3 and items >= LISTED_SHARE * len(cells)


#: Share of a side's lines that start with a list marker for it to be a list.
LISTED_SHARE = 0.5


def _values_beside_labels(left: list[Cell], right: list[Cell]) -> bool:
    """A form or settings page: short values set far right, each on the row of a label at
    the left ("Language ........ Português (Brasil)"), often a little off its centre
    when the label has a line of help text under it."""
    if len(right) < 2 or any(len(c.text.split()) > MAX_VALUE_WORDS for c in right):
        return False
    labels = [c for c in left if label_like(c.text)]
    beside = sum(1 for v in right if any(_overlap(v, label) >= 0.5 for label in labels))
    return beside >= ROW_ALIGNED * len(right)


def _gap(above: Cell | Row, below: Cell | Row) -> int:
    """The space (pixels) between ``above``'s bottom and ``below``'s top; below zero where
    their boxes overlap."""
    return below.box[1] - above.box[3]


def _overlap(a: Cell, b: Cell) -> float:
    """Vertical overlap of two cells, as a share of the lower one's height."""
    shared = min(a.box[3], b.box[3]) - max(a.box[1], b.box[1])
    return max(0, shared) / max(1, min(a.height, b.height))


def _prose(cells: list[Cell]) -> bool:
    """Mostly long lines of words (text columns set on one baseline grid line up row by
    row like a table, but a table's cells are short)."""
    long = sum(1 for c in cells if len(c.text.split()) >= PROSE_WORDS)
    return len(cells) >= 3 and long >= PROSE_SHARE * len(cells)


def _row_aligned(a: list[Cell], b: list[Cell]) -> bool:
    """Do the two sides share their rows (a table, a label column beside its values)?
    One side sitting on the other's rows is enough: a table's value columns line up with
    its item column even when a block below the table (an address, a note) has nothing
    beside it."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return (_aligned_share(small, large) >= ROW_ALIGNED
            or _aligned_share(large, small) >= ROW_ALIGNED)


def _aligned_share(cells: list[Cell], other: list[Cell]) -> float:
    """The share of ``cells`` whose centre sits on a row of ``other``."""
    if not cells or not other:
        return 0.0
    centres = sorted(c.centre for c in other)
    last = len(centres) - 1
    matched = 0
    for cell in cells:
        i = bisect.bisect_left(centres, cell.centre)
        tolerance = max(2.0, 0.15 * cell.height)
        if (i <= last and centres[i] - cell.centre <= tolerance
                or i > 0 and cell.centre - centres[i - 1] <= tolerance):
            matched += 1
    return matched / len(cells)


def _bands(cells: list[Cell]) -> list[list[Cell]]:
    """Groups of cells whose (slightly shrunk) vertical extents overlap."""
    ordered = sorted(cells, key=lambda c: c.box[1])
    bands: list[list[Cell]] = []
    bottom = float("-inf")
    for cell in ordered:
        inset = cell.height * 0.25
        top, low = cell.box[1] + inset, cell.box[3] - inset
        if bands and top < bottom:
            bands[-1].append(cell)
            bottom = max(bottom, low)
        else:
            bands.append([cell])
            bottom = low
    return bands


def _rows(cells: list[Cell], column: int) -> list[Row]:
    return [Row([cells[i] for i in group], column)
            for group in row_groups([cell.box for cell in cells])]


def row_groups(boxes: Sequence[Box]) -> list[list[int]]:
    """The lines (indexes into ``boxes``) that share a visual row, top to bottom, each row
    left to right: a line joins the row of the line above it in that order when their
    vertical centres are closer than half the smaller one's height."""
    cells = [Cell("", box) for box in boxes]
    rows: list[list[int]] = []
    for i in sorted(range(len(cells)), key=lambda i: cells[i].centre):
        if rows:
            last = cells[rows[-1][-1]]
            if abs(cells[i].centre - last.centre) < min(cells[i].height, last.height) / 2:
                rows[-1].append(i)
                continue
        rows.append([i])
    return [sorted(row, key=lambda i: cells[i].box[0]) for row in rows]


#: Lines stand in one block when the gap between them is at most this many line heights
#: (a card's title over its due date and assignee; cards and table rows sit further apart
#: than the lines inside a card) and they share this much width, in line heights.
BLOCK_GAP = 0.6
BLOCK_OVERLAP = 0.5


def blocks(boxes: Sequence[Box]) -> list[list[int]]:
    """Groups of lines (indexes into ``boxes``) that stand together as one block on screen:
    each line joined to the lines just under it that share its width. A kanban card, an
    order's header over its item, a label over its value form one block, which OCR's
    reading order interleaves with the blocks beside it. Every line is in one block (many
    stand alone), each block in index order."""
    cells = [Cell("", box) for box in boxes]
    order = sorted(range(len(cells)), key=lambda i: cells[i].box[1])
    tops = [cells[i].box[1] for i in order]
    parent = list(range(len(cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(cells):
        reach = a.box[3] + BLOCK_GAP * a.height
        for j in order[bisect.bisect_left(tops, a.box[1]):bisect.bisect_right(tops, reach)]:
            b = cells[j]
            height = min(a.height, b.height)
            if b.centre - a.centre < height / 2 or _gap(a, b) > BLOCK_GAP * height:
                continue  # on the same row, or too far below
            if min(a.box[2], b.box[2]) - max(a.box[0], b.box[0]) < BLOCK_OVERLAP * height:
                continue  # beside it, not under it
            parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(cells)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def _chrome_columns(rows: list[Row]) -> set[int]:
    """Narrow edge columns of short single-cell lines next to a wordier column."""
    if not rows:
        return set()
    page_left = min(r.box[0] for r in rows)
    page_right = max(r.box[2] for r in rows)
    width = max(1, page_right - page_left)
    by_column: dict[int, list[Row]] = {}
    for row in rows:
        by_column.setdefault(row.column, []).append(row)
    words = {col: sum(len(r.text.split()) for r in rs) for col, rs in by_column.items()}
    chrome: set[int] = set()
    for col, col_rows in by_column.items():
        left = min(r.box[0] for r in col_rows)
        right = max(r.box[2] for r in col_rows)
        at_edge = (right - page_left) < SIDEBAR_SHARE * width or (
            page_right - left) < SIDEBAR_SHARE * width
        single = all(len(r.cells) == 1 for r in col_rows)
        short = words[col] / len(col_rows) <= 3.0
        wordier = any(w > words[col] for c, w in words.items() if c != col)
        if at_edge and single and short and wordier and len(by_column) > 1 and not (
                _holds_fields(col_rows)):
            chrome.add(col)
    return chrome


def _holds_fields(rows: list[Row]) -> bool:
    """A side column with a label stacked above a number ("Milestone" / "4.2"): an item's
    metadata panel, not navigation."""
    return any(_stacked_label(a, b, a.text) and _numeric(b.text)
               for a, b in zip(rows, rows[1:], strict=False))


def _numeric(text: str) -> bool:
    """Mostly digits ("4.2.0", "12/05/2025", "€ 40"), not a name with a count ("Inbox (12)")."""
    compact = re.sub(r"\s", "", text)
    return bool(compact) and sum(ch.isdigit() for ch in compact) >= 0.5 * len(compact)


# -- text shapes -----------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?…:;。！？]$")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?。！？])\s+(?=[\"“(]?[A-ZÀ-Ý0-9])")
#: A capitalised word of one to three letters and a full stop, just before a cut: a title
#: or an abbreviation ("Dr.", "Nr.", "St."), not the end of a sentence.
_ABBREVIATION = re.compile(r"(?:^|[\s(])[A-ZÀ-Ý][a-zà-ÿ]{0,2}\.$")
#: A label's last word cut short ("Order No.", "Ref.", "Tel."): its full stop ends no sentence.
_LABEL_ABBREVIATION = re.compile(r"(?:^|\s)[A-ZÀ-Ý][^\W\d_]{0,2}\.$")
_MARKER = re.compile(r"^(?:\(?\d{1,2}[.)]|[-•*·▪◦])$")
_LIST_ITEM = re.compile(r"^\s*(?:\(?\d{1,2}[.)]|[-•*·▪◦])\s")
_INLINE_PAIR = re.compile(
    r"^(?P<label>[^\W\d_][\w .'’/()&#-]{0,38}?)\s*(?:[:：]\s+|\s=\s*)(?P<value>\S.*)$")
_TIME = r"\d{1,2}[:.]\d{2}(?:\s?[AaPp]\.?\s?[Mm]\.?)?"
#: Longest value a key-value pair may have (a longer text beside a label is prose).
MAX_PAIR_VALUE = 60
_MESSAGE_HEAD = re.compile(
    r"^(?:\[?(?P<t1>" + _TIME + r")\]?\s+)?"
    # A name's words hold no digits: "Priya Raman9:14 AM" is a name and a time run together.
    r"(?P<author>@?[A-ZÀ-Ý](?:[^\W\d_]|['’.-])*"
    r"(?:\s[A-ZÀ-Ý](?:[^\W\d_]|['’.-])*){0,3}|@[\w.-]+"
    r"|[\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]{2,4})"
    r"(?:\s*[,·•|-]?\s*(?i:(?:today|yesterday|heute|gestern|hier|ayer|hoy)\s*(?:at|um|à|a las)?\s*)?"
    r"(?P<t2>" + _TIME + r"))?\s*(?::\s*(?P<text>\S.*))?$"
)
#: A prompt before a command: user@host[:path] $, a path then > or %, a bare prompt glyph,
#: the second line of a two-line prompt (└─$), PowerShell and Python prompts.
_PROMPT = re.compile(
    r"^(?P<prompt>(?:\([\w.-]+\)\s*)?(?:"
    r"[\w.-]+@[\w.-]+(?::?\s?[~/][^\s$#%>❯]*)?\s*[$#%>❯](?:\s[~/][^\s$#%>❯]*[$#%>❯])?"
    r"|[~/][^\s$#%>❯]*\s*[$#%>❯]"
    r"|[└╰┗]?[─━-]*\s?[$#%❯›»>]"
    r"|PS [A-Z]:\\[^>]*>|>>>"
    r"))\s+(?P<cmd>\S.*)$"
)
#: A prompt whose final glyph (❯, ➜, λ) OCR did not read: a path, then a wide gap.
_GLYPHLESS_PROMPT = re.compile(r"^(?P<prompt>(?:[\w.-]+@[\w.-]+\s?)?[~/][^\s$#%>❯]*)\s{2,}"
                               r"(?P<cmd>[a-z][\w.-]*(?:\s.*)?)$")
#: Prompt styles trusted outside a terminal window (documentation showing commands).
_DOC_PROMPT = re.compile(r"^(?:[\w.-]+@[\w.-]+[^$]*\$|\$)$")
_FIGURE = r"\d[\d.,]*(?:\s?[KMGTkmgt]i?B?|%)?"
#: A terminal's output line of one name and one figure, either way round.
_COUNT_LINE = re.compile(r"^(?:(?P<n1>" + _FIGURE + r")\s+(?P<k1>[^\s\d]\S*|\S*[^\W\d]\S*)"
                         r"|(?P<k2>[^\s\d][^\s]*)\s+(?P<n2>" + _FIGURE + r"))$")
_AGO = re.compile(r"\b\d+\s+(?:second|minute|hour|day|week|month|year)s?\s+ago\b")
_PROMPT_TAIL = re.compile(r"[~/]\S*[$#%>❯]")
_BARE_PROMPT = re.compile(r"^(?:[\w.-]+@[\w.-]+\S*\s*\S*\s*|[~/]\S*\s*|[└╰┗]?[─━-]*)[$#%>❯]$")
_PROMPT_CONTEXT = re.compile(r"^[┌╭┏]?[─━-]*\(?[\w.-]+[@㉿]?[\w.-]*\)?-\[[^\]]+\]$")


def prompted_line(text: str) -> bool:
    """Does ``text`` open with a shell's prompt before a command ("ana@box:~$ ls")?"""
    return bool(_PROMPT.match(text))


def label_like(text: str) -> bool:
    """A field's name: a few words, no digits, no sentence; never an address or a link
    ("ana.lima@example.org" is a value)."""
    words = text.split()
    bare = text.rstrip(":")
    return (0 < len(words) <= 4 and len(text) <= 32 and not any(ch.isdigit() for ch in text)
            and "@" not in text and "://" not in text
            and not (_SENTENCE_END.search(bare) and not _LABEL_ABBREVIATION.search(bare)))


def sentences(text: str) -> list[str]:
    """``text``'s sentences. A full stop inside a date ("am 3. Juli 2026") or after an
    abbreviation ("Nr. QX-118", "Dr. Lindqvist") does not end one."""
    cuts = [m for m in _SENTENCE_SPLIT.finditer(text)
            if not _ABBREVIATION.search(text, 0, m.start())]
    if not cuts:
        return [text.strip()] if text.strip() else []
    dates = [(d.start(), d.end()) for d in DATE.finditer(text)]
    out: list[str] = []
    start = 0
    for cut in cuts:
        if any(a < cut.start() and cut.end() < b for a, b in dates):
            continue
        out.append(text[start:cut.start()])
        start = cut.end()
    out.append(text[start:])
    return [s.strip() for s in out if s.strip()]


def _wraps(previous: Row, row: Row, column_right: int) -> bool:
    """Is ``row`` the continuation of the wrapped line ``previous``?"""
    if len(previous.cells) != 1 or len(row.cells) != 1 or len(previous.text) < 25:
        return False
    p, r = previous.box, row.box
    gap = r[1] - p[3]
    height = min(previous.height, row.height)
    if gap > 0.6 * height or abs(r[0] - p[0]) > height or abs(previous.height - row.height) > (
            0.3 * height):
        return False
    width = max(1, column_right - p[0])
    return ((p[2] - p[0]) >= 0.75 * width and not _SENTENCE_END.search(previous.text)
            and not _LIST_ITEM.match(row.text) and not _code_like(previous.text)
            and not _code_like(row.text))


# -- reading ---------------------------------------------------------------------------------


def read_frame(lines: Sequence[str], boxes: Sequence[Box | None] = (), *,
               terminal: bool = False) -> Layout:
    """The structure of one frame's OCR lines (``boxes`` parallel to ``lines``)."""
    texts = [line.strip() if terminal else " ".join(line.split()) for line in lines]
    if usable_boxes(texts, boxes):
        cells = [Cell(t, b) for t, b in zip(texts, boxes, strict=True) if t and b is not None]
        rows = _columns(cells, 0, [0])
        chrome_cols = set() if terminal else _chrome_columns(rows)
        geometric = True
    else:
        rows = [Row([Cell(t, (0, i * 20, 1, i * 20 + 16))], 0) for i, t in enumerate(texts)
                if t]
        chrome_cols = set()
        geometric = False
    layout = Layout()
    content: list[Row] = []
    for row in rows:
        if row.column in chrome_cols:
            layout.chrome.append(row.text)
        else:
            content.append(row)
    if geometric and not terminal:
        content = _top_strip(content, layout)
    if terminal:
        layout.lines = [r.text for r in content]
        layout.units = list(layout.lines)
        layout.commands = _commands(layout.lines, terminal=True)
        # A command and its short output say one thing ("git describe" → "v4.1.7").
        layout.units += [f"{c.command} {c.result}" for c in layout.commands if c.result]
        _read_output(content, layout)
        return layout
    _read_blocks(content, layout, geometric)
    layout.commands = _commands(layout.lines, terminal=False)
    code = [Command("", line, ()) for line in layout.lines if _code_like(line)]
    if len(code) >= 2 and not layout.commands:
        layout.commands = code
    layout.messages = _messages(layout.lines)
    for message in layout.messages:
        layout.units.append(f"{message.author} {message.time}: {message.text}".strip())
    return layout


def _read_output(rows: list[Row], layout: Layout) -> None:
    """A terminal's output: ``key = value`` and ``key: value`` lines (config files, `less`
    pages) and column-aligned rows read as a table (ls, ps, query results)."""
    output = [r for r in rows if not _PROMPT.match(r.text) and not _BARE_PROMPT.match(r.text)]
    grid = Layout()
    run: list[Row] = []
    for row in [*output, None]:
        if row is not None and len(row.cells) >= 2:
            run.append(row)
            continue
        if len(run) >= 2:
            _read_grid(run, grid)
        run = []
        if row is not None and (inline := _INLINE_PAIR.match(row.text.strip())) and (
                label_like(inline.group("label"))):
            pair = Pair(inline.group("label").strip(), inline.group("value").strip())
            layout.pairs.append(pair)
        elif row is not None and (count := _COUNT_LINE.match(row.text.strip())):
            # "53 orders.csv" (wc, du, uniq -c) or "thumbnail-svc 918" (a sorted report).
            layout.pairs.append(Pair(count.group("k1") or count.group("k2"),
                                     count.group("n1") or count.group("n2")))
    layout.pairs += grid.pairs
    layout.table += grid.table
    layout.units += grid.units


_CODE_START = re.compile(r"^(?:sudo\s+)?[a-z][\w.+-]*(?:\s+\S+){1,20}$")
#: A flag, a path (a slash with no space on one side at least: "a / b" is a breadcrumb), an
#: assignment, an address or a pipe into a command ("a | Label" is a row this module joined).
_CODE_SIGN = re.compile(r"(?:^|\s)--?[A-Za-z]|\S/|/\S|=|@|\|\s*[a-z]")
_PROSE_WORDS = {"the", "a", "an", "to", "and", "with", "of", "in", "for", "is", "are", "on",
                "it", "this", "that", "your", "you", "we", "be", "from", "at", "by", "or",
                "der", "die", "das", "und", "le", "la", "les", "et", "el", "los", "y", "de"}


def _code_like(line: str) -> bool:
    """A command shown on a page (a runbook's code block): lowercase command words with
    flags, paths or assignments, no sentence around them."""
    if not _CODE_START.match(line) or _SENTENCE_END.search(line) and not line.endswith(";"):
        return False
    if _AGO.search(line):
        return False  # "mkovacs commented 3 days ago": an activity feed's line
    words = line.split()
    if any(w.lower() in _PROSE_WORDS for w in words):
        return False
    return bool(_CODE_SIGN.search(line)) or len(words) >= 3 and all(
        w[:1].islower() or w[:1].isdigit() for w in words)


def _top_strip(rows: list[Row], layout: Layout) -> list[Row]:
    """A first row of many short cells (a menu bar, a tab strip) is chrome."""
    if rows and len(rows[0].cells) >= 4 and all(len(c.text.split()) <= 2
                                                 for c in rows[0].cells):
        layout.chrome.append(rows[0].text)
        return rows[1:]
    return rows


def _read_blocks(rows: list[Row], layout: Layout, geometric: bool) -> None:
    right_of: dict[int, int] = {}
    for row in rows:
        right_of[row.column] = max(right_of.get(row.column, 0), row.box[2])
    heights = [r.height for r in rows]
    body = median(heights) if heights else 0
    i = 0
    heading_at = -10
    while i < len(rows):
        row = rows[i]
        if len(row.cells) >= 2 and _MARKER.match(row.cells[0].text):
            row = Row([Cell(row.text, row.box)], row.column)  # "1." beside its item
            rows[i] = row
        if len(row.cells) >= 2:
            j = i
            while j < len(rows) and len(rows[j].cells) >= 2 and rows[j].column == row.column:
                j += 1
            _read_grid(rows[i:j], layout)
            i = j
            continue
        text = row.text
        j = i + 1
        while geometric and j < len(rows) and rows[j].column == row.column and _wraps(
                rows[j - 1], rows[j], right_of[row.column]):
            text = f"{text} {rows[j].text}"
            j += 1
        nxt = rows[j] if j < len(rows) else None
        if geometric and row.height > 1.25 * body and len(text) <= 120:
            layout.headings.append(text)
            heading_at = len(layout.lines)
        elif len(layout.lines) - heading_at <= 3 and layout.headings and _only_values(text):
            pair = Pair(layout.headings[-1], text)
            if layout.pairs and layout.pairs[-1].label == pair.label and layout.lines and (
                    layout.pairs[-1].value == layout.lines[-1]):
                pair = Pair(pair.label, f"{layout.pairs.pop().value} {text}")
            layout.pairs.append(pair)
            layout.units.append(pair.text)
        elif geometric and i > 0 and _titles(rows[i - 1], row, layout) and _only_values(text):
            # An item's title directly above its time ("Sprint planning" / "9 - 10 AM").
            pair = Pair(layout.lines[-1], text)
            if pair not in layout.pairs[-1:]:
                layout.pairs.append(pair)
                layout.units.append(pair.text)
        elif geometric and nxt is not None and _stacked_label(row, nxt, text):
            pair = Pair(text.rstrip(":："), nxt.text)
            layout.pairs.append(pair)
            layout.units.append(pair.text)
        elif (inline := _INLINE_PAIR.match(text)) and label_like(inline.group("label")):
            pair = Pair(inline.group("label").strip(), inline.group("value").strip())
            layout.pairs.append(pair)
        layout.lines.append(text)
        layout.units += sentences(text) if len(text) > 60 else [text]
        i = j


def _only_values(text: str) -> bool:
    """A line that is nothing but dates and times (the when of the heading above it)."""
    values = [v for v in find_values(text) if v.kind in ("date", "time")]
    covered = sum(len(v.text) for v in values)
    return bool(values) and covered >= 0.75 * len(re.sub(r"[\s,–—-]", "", text))


def _titles(above: Row, row: Row, layout: Layout) -> bool:
    """Is the line above ``row`` a short title (an event, an item) that ``row`` belongs to?"""
    if not layout.lines or above.column != row.column or len(above.cells) != 1:
        return False
    title = layout.lines[-1]
    gap = _gap(above, row)
    return (title == above.text and gap <= 0.8 * row.height and len(title.split()) <= 8
            and not _SENTENCE_END.search(title) and not _only_values(title)
            and bool(re.search(r"[^\W\d_]{3,}", title)))


def _stacked_label(label: Row, value: Row, text: str) -> bool:
    """A short label line directly above its value (same column and left edge, no
    bigger than the value's text)."""
    if value.column != label.column or len(value.cells) != 1 or not label_like(text):
        return False
    gap = _gap(label, value)
    return (gap <= 0.6 * label.height and abs(value.box[0] - label.box[0]) <= label.height
            and label.height <= STACKED_LABEL_HEIGHT * value.height and not label_like(value.text))


def _read_grid(rows: list[Row], layout: Layout) -> None:
    """Consecutive multi-cell rows: label/value pairs, or a table with its header."""
    widths = {len(r.cells) for r in rows}
    labelled = widths == {2} and all(label_like(r.cells[0].text.rstrip(":")) for r in rows) and (
        not _card(rows))
    if labelled and any(len(r.cells[1].text) > MAX_PAIR_VALUE for r in rows):
        # Short lines beside prose (a sidebar next to an article): not a table.
        for row in rows:
            for cell in row.cells:
                layout.lines.append(cell.text)
                layout.units.append(cell.text)
        return
    if labelled and not (len(rows) > 2 and all(label_like(r.cells[1].text) for r in rows)) and (
            all(r.cells[1].box[0] - r.cells[0].box[2] <= 25 * r.cells[0].height for r in rows)):
        for row in rows:
            pair = Pair(row.cells[0].text.rstrip(":："), row.cells[1].text)
            layout.pairs.append(pair)
            layout.units.append(pair.text)
            layout.lines.append(pair.text)
        return
    header: list[Cell] = []
    held: tuple[str, str] | None = None
    body: list[list[Cell]] = []
    used: Row | None = None
    tile_gap: int | None = None
    for n, row in enumerate(rows):
        if row is used:
            continue
        before = rows[n - 1] if n else None
        after = rows[n + 1] if n + 1 < len(rows) else None
        later = rows[n + 2] if n + 2 < len(rows) else None
        tiles = None
        if after is not None and not header and not _figures(later, after):
            if _captioned(after, row):
                # Labels over their figures, a pair of rows at a time ("Version | License"
                # over "5.0.1 | BSD-3"); a header over many rows is a table's.
                tiles = zip(row.cells, after.cells, strict=True)
            elif _captioned(row, after) and not (before and _figures(before, row)):
                # Figures over their captions ("25 | 8 | 7.5" over "Entitlement | Taken |
                # Remaining after approval").
                tiles = zip(after.cells, row.cells, strict=True)
        if tiles is not None:
            for label, value in tiles:
                pair = Pair(label.text, value.text)
                layout.pairs.append(pair)
                layout.units.append(pair.text)
                layout.lines.append(pair.text)
            used = after
            continue
        labels, code = _header_held(row.cells) if after is not None else ([], None)
        if after is not None and _starts_table(row, labels, code, after, header, before):
            _table_rows(body, header, layout, held)
            body = []
            # New labels as wide as the last header are one card field's row: their
            # values sit right under them, and a row set further apart is not theirs.
            tile_gap = (_gap(row, after) if header and not code
                        and len(labels) == len(header) else None)
            header, held = labels, code
            layout.lines.append(" | ".join(c.text for c in row.cells))
            continue
        if body and header and _continues(row, body[-1]):
            body[-1] = _joined(body[-1], row.cells)
            continue
        if tile_gap is not None and body and before is not None and (
                _gap(before, row) > tile_gap + 0.3 * row.height):
            _table_rows(body, header, layout, held)
            body, header, held, tile_gap = [], [], None, None
        body.append(list(row.cells))
    _table_rows(body, header, layout, held)


#: Most words in a figure over its caption ("4.5 days", "€1,204").
MAX_FIGURE_WORDS = 3


def _card(rows: list[Row]) -> bool:
    """Do rows of labels set in capitals alternate with rows of their values under them
    (a card of fields, two rows at a time), rather than a form's column of labels beside
    a column of values?"""
    return any(_capitals(row.cells) and all(label_like(c.text) for c in row.cells)
               and not nxt.cells[0].text.isupper()
               for row, nxt in zip(rows, rows[1:], strict=False))


def _captioned(figures: Row, captions: Row) -> bool:
    """Are ``figures`` and ``captions`` neighbouring rows (either above the other) of short
    figures and their labels, cell over cell (a dashboard's tiles, a package's "Version"
    over "5.0.1")?"""
    if len(figures.cells) != len(captions.cells) or len(figures.cells) < 2:
        return False
    top, low = sorted((figures, captions), key=lambda r: r.box[1])
    if _gap(top, low) > 1.5 * low.height:
        return False
    return all(label_like(c.text) and min(f.box[2], c.box[2]) > max(f.box[0], c.box[0])
               for f, c in zip(figures.cells, captions.cells, strict=True)) and _figures(
        figures, captions)


def _figures(row: Row | None, like: Row) -> bool:
    """Is ``row`` a row of short figures as wide as ``like``?"""
    return row is not None and len(row.cells) == len(like.cells) and all(
        any(ch.isdigit() for ch in f.text) and len(f.text.split()) <= MAX_FIGURE_WORDS
        for f in row.cells)


def _table_rows(body: list[list[Cell]], header: list[Cell], layout: Layout,
                held: tuple[str, str] | None = None) -> None:
    """``body``'s rows under ``header``; a value the header holds ("Order # 58-1107" over
    the order's date and total) belongs to each of them."""
    for row_cells in body:
        cells = tuple((_header_for(cell, header), cell.text) for cell in row_cells)
        cells = (held, *cells) if held else cells
        table_row = TableRow(cells)
        layout.table.append(table_row)
        layout.units.append(table_row.text)
        layout.lines.append(" | ".join(c.text for c in row_cells))


def _continues(row: Row, above: list[Cell]) -> bool:
    """A table row's second line ("Skin check, follow-up" under its provider, an address
    under its clinic): fewer cells, right under the row, each starting where a cell of the
    row above starts, but none in its first column (a row of its own, "Total | €250.40",
    starts there)."""
    bottom = max(c.box[3] for c in above)
    if len(row.cells) >= len(above) or row.box[1] - bottom > 0.5 * row.height:
        return False
    first = min(a.box[0] for a in above)
    return all(abs(c.box[0] - first) > CELL_ALIGN
               and any(abs(c.box[0] - a.box[0]) <= CELL_ALIGN for a in above)
               for c in row.cells)


def _joined(above: list[Cell], below: list[Cell]) -> list[Cell]:
    """The row above with each second-line cell's text added to the cell it starts under."""
    out = list(above)
    for cell in below:
        i = min(range(len(out)), key=lambda k: abs(out[k].box[0] - cell.box[0]))
        a = out[i]
        out[i] = Cell(f"{a.text} {cell.text}", (a.box[0], a.box[1], max(a.box[2], cell.box[2]),
                                                cell.box[3]))
    return out


def _starts_table(row: Row, cells: list[Cell], held: tuple[str, str] | None, after: Row,
                  header: list[Cell], before: Row | None = None) -> bool:
    """Is ``row`` (read as ``cells`` and the code it holds, by :func:`_header_held`) a
    header (labels only) over the rows after it: the grid's first row, a row of another
    width than the current header's that the next row follows (a second table under the
    first, "Shipping to | Estimated delivery" under the items), the same labels again
    over the next item's rows (a list of orders, each under its own "Placed | Total |
    Order # 58-1107"), or new labels as wide as the header over a row of values (a card
    of fields set two rows at a time: "SEAT | DIET" over theirs, then "SIZE | DINNER" over
    theirs), when they are set like the header (capitals) or sit nearer their values than
    the row above?"""
    if not all(label_like(c.text) for c in cells):
        return False
    if not header:
        return True
    if held and [c.text for c in cells] == [c.text for c in header]:
        return True
    if len(cells) == len(header) == len(after.cells):
        if _capitals(cells) and _capitals(header):
            return not _capitals(after.cells)
        return before is not None and not all(label_like(c.text) for c in after.cells) and (
            _gap(before, row) - _gap(row, after) > 0.3 * row.height)
    # The row after may hold one cell more or less (an action link, an empty cell).
    return len(row.cells) != len(header) and abs(len(after.cells) - len(row.cells)) <= 1


def _capitals(cells: Sequence[Cell]) -> bool:
    """Are all ``cells`` set in capitals ("WORKSHOP SEAT", "ORDER NO.")?"""
    return all(c.text.isupper() for c in cells)


def _header_held(cells: Sequence[Cell]) -> tuple[list[Cell], tuple[str, str] | None]:
    """A header's cells, the one that holds a code after its label ("Order # 58-1107",
    "Invoice INV-2041") cut to its label, and that (label, code)."""
    out = list(cells)
    others = [i for i, cell in enumerate(cells) if not label_like(cell.text)]
    if len(others) != 1:  # labels only, or more than one cell that is no label: no code held
        return out, None
    cell = cells[others[0]]
    values = find_values(cell.text)
    if len(values) != 1 or values[0].kind != "identifier" or cell.text[values[0].end:].strip():
        return out, None
    label = cell.text[: values[0].start].strip(" #:№")
    if not label_like(label):
        return out, None
    out[others[0]] = Cell(label, cell.box)
    return out, (label, values[0].text)


def _header_for(cell: Cell, header: list[Cell]) -> str:
    if not header:
        return ""
    centre = (cell.box[0] + cell.box[2]) / 2
    best = min(header, key=lambda h: min(abs(centre - (h.box[0] + h.box[2]) / 2),
                                         abs(cell.box[0] - h.box[0])))
    return best.text


def _messages(lines: list[str]) -> list[Message]:
    """Chat messages: a line naming an author with a time, then the message text."""
    heads: list[tuple[int, re.Match[str]]] = []
    for i, line in enumerate(lines):
        match = _MESSAGE_HEAD.match(line)
        if match and (match.group("t1") or match.group("t2")) and len(line) <= 80:
            heads.append((i, match))
    if len(heads) < 2:
        return []
    out: list[Message] = []
    for n, (i, match) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else min(len(lines), i + 6)
        body = [match.group("text")] if match.group("text") else []
        body += lines[i + 1 : end]
        text = " ".join(b for b in body if b).strip()
        if text:
            out.append(Message(match.group("author").strip(),
                               (match.group("t1") or match.group("t2") or "").strip(), text))
    return out


def _commands(lines: list[str], *, terminal: bool) -> list[Command]:
    """Commands after a prompt, each with the output lines up to the next prompt."""
    found: list[tuple[int, str, str]] = []
    for i, line in enumerate(lines):
        match = _PROMPT.match(line) or (_GLYPHLESS_PROMPT.match(line) if terminal else None)
        if match is None:
            continue
        prompt = match.group("prompt").strip()
        if not terminal and not _DOC_PROMPT.match(prompt):
            continue
        command = match.group("cmd").strip()
        if _PROMPT_TAIL.fullmatch(command):
            continue  # a two-part prompt waiting ("tove@larkspur ~/shop> ~>")
        found.append((i, prompt, command))
    # A prompt whose glyph OCR lost stands alone on the last line, waiting.
    prompts = {prompt for _, prompt, _ in found}
    out: list[Command] = []
    for n, (i, prompt, command) in enumerate(found):
        end = found[n + 1][0] if n + 1 < len(found) else len(lines)
        output = tuple(line for line in lines[i + 1 : end]
                       if not _BARE_PROMPT.match(line) and not _PROMPT_CONTEXT.match(line)
                       and line.strip() not in prompts)
        out.append(Command(prompt, command, output[:40]))
    return out
