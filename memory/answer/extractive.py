"""The extractive answer: the value of the asked type, quoted from its span, with its citation.

Every line (and short label line joined with the line below it, as OCR splits "Booking
reference" from its value) of the convincing memories is a candidate span. A span counts
when it holds the question's key words (it, or failing that its memory), names the people
the question names, and holds a value of the expected type; the best one answers. When
the evidence is related but no span holds such a value, the answer abstains and says what
is closest.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
import threading
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from datetime import date, datetime

import regex
import simplemma

from memory.answer.dates import (
    DateValue,
    find_dates,
    months_named,
    months_said,
    vague_when,
    weekdays_named,
)
from memory.answer.names import is_known_name, is_plain_word, opens_with_title
from memory.answer.polarity import (
    ANY_NEGATION,
    NEGATED_WORD,
    NEGATION,
    OPPOSITE_TEXT,
    SWITCHED,
    asked_states,
    asks_negative,
    statuses,
)
from memory.answer.question import (
    DOTTED_NUMBER,
    FOREIGN_STOPWORDS,
    WAITING_LIST,
    AnswerType,
    Question,
    bare_code,
    classify,
    stated_edges,
    yes_or_no,
)
from memory.answer.source import Source, SourceLine
from memory.answer.values import (
    PATH,
    SPELLED_NUMBER,
    STREET,
    TOWN_REGION,
    VENUE,
    Value,
    clock_minutes,
    join_pairs,
    values,
)
from memory.extraction.layout import label_like, prompted_line
from memory.retrieval import compounds_met, query_words
from memory.time_expressions import MONTHS, WEEKDAYS

#: Share of the question's key words a span (with its memory) must hold to answer.
MIN_SCORE = 0.35
#: A yes/no question is answered only from a span holding this share of its key words.
MIN_YESNO_COVERAGE = 0.6
_LABEL_WORDS = 5
_SPEAKER = re.compile(r"^[A-Z][\w .'-]{0,40}:\s+")
_KEY_PHRASE = re.compile(
    r"\b((?:\w+\s+)?(?:reference|ref|confirmation|code|number|no|id|pnr|tracking|iban|"
    r"serial|plate|passport|pin|seat|gate|extension|postcode|zip|"
    # a seat and a train's car, as the other question languages ask for them
    r"place|platz|sitzplatz|asiento|posto|assento|voiture|wagen|coche|carrozza)"
    r"(?:\s+(?:number|code|reference|id|no))?)\b", re.I)
_MONEY_WORDS = "cost price total paid pay fare amount charged fee sum due balance"
#: An amount's field label in the other question languages ("Importo: € 187,40").
_FOREIGN_MONEY_LABELS = ("importo importe montant betrag bedrag belopp beløp valor valore kwota "
                         "preis prix precio prezzo preço prijs pris cena částka suma")
_QUESTION_WORD_TEXT = "what which is my the a an of for"
_QUESTION_WORDS = frozenset(_QUESTION_WORD_TEXT.split())
_GENERIC_ID_TEXT = "number code id no reference"
#: Words that say which type is asked, not what about: they are not key words.
_TYPE_WORD_TEXT = (
    "much many long time date day year month cost price amount number often tell about know "
    "remember show give find anything something please happen happened kind type city "
    "cities country countries town place address location "
    # time, hour and date in the other question languages (not their "day": "ce jour-là"
    # says which day)
    "tid heure hora ora tijd godzina godzinie godzinę godziny czas uhrzeit zeit fecha datum "
    # the same in Japanese and Chinese: amount, fee, price, number, date, time
    "金額 金额 料金 価格 价格 値段 番号 号码 日付 日期 日時 時間 时间"
)


@dataclass(frozen=True)
class Extract:
    """``number`` is the 1-based position of the cited memory among the sources."""

    question: Question
    short_answer: str
    text: str
    abstained: bool
    number: int | None = None
    span: SourceLine | None = None
    #: The other items of a list answer ("Which cities …"), each (memory number, span).
    also: tuple[tuple[int, SourceLine], ...] = ()


@dataclass(frozen=True)
class _Candidate:
    score: float
    coverage: float
    number: int
    span: SourceLine
    text: str
    value: Value | None
    #: ``score`` plus how much of the question's rarer words the span holds: the order in
    #: which candidates are tried (``score`` alone decides whether one may answer).
    rank: float = 0.0


#: How much a word of the question a line answers counts, against the line's own words.
ASKED_WEIGHT = 0.5
#: What a procedure's span gains on a "how do I" question over a page or an episode that
#: mentions the same words.
PROCEDURE_BONUS = 0.1
#: What a word of the page's window title counts for on a line that does not say it
#: itself: the page is about it, the line may not be (a recipe's title lends "pie" to
#: its step saying "bake", at half the weight the step's own words have).
TITLE_WEIGHT = 0.5
#: Weight of the share of the question's words a span holds, each word weighted by how
#: few of the spans hold it ("bake" beats the recipe's name, which every line repeats).
RARE_WORDS_WEIGHT = 0.3


def _rare_word_weights(key: set[str], spans: list[set[str]]) -> dict[str, float]:
    """Inverse span frequency of each key word among the candidate spans."""
    total = len(spans)
    return {w: math.log((total + 1) / (sum(w in s for s in spans) + 0.5)) for w in key}


#: Irregular forms whose dictionary form is another word of a scale, not the same verb.
_NOT_LEMMATISED_TEXT = "better best worse worst less least more most gone lay"
_NOT_LEMMATISED = frozenset(_NOT_LEMMATISED_TEXT.split())


def _irregular_lemma(word: str) -> str:
    """An irregular English verb's or noun's dictionary form ("made": "make", "bought":
    "buy", "mice": "mouse"), from simplemma's dictionary; ``word`` itself for the rest (a
    regular form's loose stem meets its dictionary form's anyway). Only :func:`stem` asks,
    whose bounded cache keeps the answers (an unbounded one would grow with every word
    the screens ever showed)."""
    if not (word.isascii() and word.isalpha()) or word.endswith(("s", "ed", "ing")) or (
            word in _NOT_LEMMATISED):
        return word
    lemma = simplemma.lemmatize(word, lang="en")
    return lemma if lemma.isalpha() and lemma.islower() else word


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A loose stem: "runs" and "run", "booked" and "booking", "raise" and "raising", "made"
    and "make" meet."""
    word = _irregular_lemma(word)
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    else:
        if word.endswith("e") and len(word) >= 4:
            word = word[:-1]
    return word[:5]


_HAN = re.compile(r"[\u3400-\u9fff]{2,}")
_HYPHENED = re.compile(r"(?<![\w-])([^\W\d_]{1,4})-([^\W\d_]{2,})(?![\w-])")


def stems(text: str) -> set[str]:
    """Loose stems of ``text``'s words ("per_ip": per, ip); Chinese and Japanese, written
    without spaces, by each pair of neighbouring Han characters ("会議室": 会議, 議室)."""
    return set(_stems_of(text))  # (a copy: callers add to it and take from it)


@functools.lru_cache(maxsize=1 << 15)
def _stems_of(text: str) -> frozenset[str]:
    """``stems``, read once per text: a screen's lines are read for every span that holds
    them and again for every question."""
    lowered = text.lower()
    # a dotted number is one word ("7.4.2", "10.0.4.2"): its parts are no words of their own,
    # or "the 7.4.2 meeting" would meet every "3" and "8" on the page
    dotted = set(DOTTED_NUMBER.findall(lowered))
    if dotted:
        lowered = DOTTED_NUMBER.sub(" ", lowered)
    # a lone letter is no word: the "s" of "Jon's" or "that's", the "t" of "don't"; a
    # run holding Han characters is its pairs, not one word ("合計金額は" meets "合計")
    # (Korean writes its particles on the word: "날짜는" is the date, as topic)
    out = {_unparticled(w) if _HANGUL_WORD.fullmatch(w) else stem(w)
           for w in re.findall(r"[^\W_]+", lowered)
           if (len(w) > 1 or not w.isascii() or w.isdigit())
           and (w.isascii() or not _HAN.search(w))}
    out |= {run[i:i + 2] for run in _HAN.findall(lowered) for i in range(len(run) - 1)}
    # a word written with a hyphen is also the word written whole ("Wi-Fi" and "wifi",
    # "e-mail" and "email")
    out |= {stem(a + b) for a, b in _HYPHENED.findall(lowered)}
    return frozenset(out | dotted)


_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]+")
#: Korean particles and copulas written on a word's end, longest first.
_PARTICLES = ("에서는", "에서", "으로", "까지", "부터", "이에요", "입니다", "인가요", "은", "는",
              "이", "가", "을", "를", "의", "에", "로", "도", "와", "과", "요")


def _unparticled(word: str) -> str:
    """A Korean word without the particle on its end, two syllables left at least."""
    for particle in _PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            return word[: -len(particle)]
    return word


#: A sentence going on about the one before it: it opens with a pronoun for it.
_GOES_ON = re.compile(r"^\W*(?:it|this|that|these|those|they|there)\b", re.I)


def _spans(source: Source, *, wrapped: bool = False, names: bool = False
           ) -> list[tuple[SourceLine, str, SourceLine | None, str]]:
    """Each line, and each short label line (no sentence: "Booking reference", not
    "Thanks!") joined with the line below it; the third item is that line below, where a
    value found past the label is quoted from. The fourth is the question the line
    answers, whose words count for the span (at ``ASKED_WEIGHT``) but whose values do not:
    a line asking a question is no answer itself, the line after it is ("How long was the
    drive?" / "About five hours"), and a conversation turn answers the question of the turn
    before it (``Source.asked``). With ``wrapped``, a sentence wrapped onto the line under
    it is read whole too (for a figure it ends on: "the new rate is" over "$9.99"); with
    ``names``, a sentence wrapped inside a name ("… in Room" over "Kestrel (2nd floor)")."""
    out: list[tuple[SourceLine, str, SourceLine | None, str]] = []
    lines = source.lines
    # where the screen's boxes are known, a line is read with the next one below it only
    # when that one stands in its block (under it, not atop the column beside it)
    block_of = {line: block for block in source.blocks for line in block}
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        if following is not None and following.frame_id != line.frame_id:
            following = None
        if _asks(line.text):
            if following is not None:
                out.append((following, following.text, None, line.text))
            continue
        # a turn's sentence goes on about the one before it ("Been running more. It's
        # been great for my head"): that one lends it its words, as the question replied to
        before = lines[index - 1].text if source.speaker and index > 0 and _GOES_ON.match(
            line.text) else ""
        out.append((line, line.text, None, f"{before} {source.asked}".strip()))
        caption = _caption(line, lines)
        if caption is not None:
            out.append((line, f"{line.text} {caption.text}", caption, ""))
        # a sentence wrapped onto the line under it ("… the yearly" over "fee is €80
        # from May") is read whole, wherever reading order put that line
        if ((wrapped or names) and len(line.text.split()) > _LABEL_WORDS
                and not line.text.rstrip().endswith((".", "!", "?", ":", ";"))):
            rest = _stacked(line, block_of.get(line, ()), below=True) if line.box else following
            if rest is not None and (wrapped and _CONTINUES.match(rest.text)
                                     or names and _cut_name(line.text, rest.text)):
                out.append((line, f"{line.text} {rest.text}", rest, ""))
        if len(line.text.split()) > _LABEL_WORDS or line.text.rstrip().endswith((".", "!")):
            continue
        # in a grid, the line under this one is not the next in reading order, which runs
        # on along the row ("Talk A  Talk B" over "Speaker A  Speaker B")
        under = (_stacked(line, block_of.get(line, ()), below=True)
                 if not _FIGURE.search(line.text) else None)
        # a row of labels stands over the row of their values ("SEAT  CLASS" over "47  2nd"):
        # a label with its value under it is not read with the label beside it (a form's
        # column of labels, "Owner" over "Notes", has its values beside it)
        beside_label = (following is not None and under is not None
                        and not label_like(under.text)
                        and not line.above(following) and label_like(following.text))
        # (a prompt opens the next command: no line of the output before it reads on into
        # it; the last cell of a table's row does not read on into the next row, which
        # starts left of it: "2.2G  media" over "610M  logs")
        if (following is not None and not _asks(following.text) and not beside_label
                and not prompted_line(following.text)
                and not (line.above(following) and block_of[following] != block_of[line])
                and not _row_ends(line, following, lines)):
            out.append((line, f"{line.text} {following.text}", following, ""))
        if under is not None and under != following and not _asks(under.text):
            out.append((line, f"{line.text} {under.text}", under, ""))
        # a form's label with its value beside it on the row ("Serial  X-1", "Total  $9"),
        # which reading order may put elsewhere: a dense list of labels and values is
        # often read down its label column first
        right = _beside(line, lines, left=False) if label_like(line.text) else None
        if right is not None and len(right.text.strip()) <= _BADGE_CHARS:
            # an avatar's initials or an icon between a label and its value
            # ("Primary  AR  Ana Ruiz"): the value is the next one on
            right = _beside(right, lines, left=False)
        if (right is not None and right not in (following, under) and _close_beside(line, right)
                and not _asks(right.text) and not right.text.rstrip().endswith(":")):
            out.append((line, f"{line.text} {right.text}", right, ""))
    return out + _command_errors(lines) + _authored(lines)


#: How far above a chat message its author's header may stand, in its lines' heights.
AUTHOR_REACH = 12


def _authored(lines: Sequence[SourceLine]) -> list[tuple[SourceLine, str, SourceLine | None,
                                                          str]]:
    """Each line of a chat message read after its author's header, the nearest line above
    it, at its left edge, that opens with a name and a time ("Ana Ruiz 15:16" over
    "Decision: reverting …"): who said a thing is named there, not in the message."""
    headers = [line for line in lines if line.box is not None and _chat_header(line.text)]
    out: list[tuple[SourceLine, str, SourceLine | None, str]] = []
    if not headers:
        return out
    for line in lines:
        if line.box is None or line in headers:
            continue
        height = max(1, line.box[3] - line.box[1])
        over = [h for h in headers if h.frame_id == line.frame_id and h.box is not None
                and abs(h.box[0] - line.box[0]) <= height
                and 0 < line.box[1] - h.box[1] <= AUTHOR_REACH * height]
        if over:
            header = max(over, key=lambda h: h.box[1] if h.box else 0)
            out.append((header, f"{header.text} {line.text}", line, ""))
    return out


#: The types whose value a wrapped sentence may end on.
_FIGURES = frozenset({AnswerType.MONEY, AnswerType.QUANTITY, AnswerType.DATE, AnswerType.TIME})
#: The types a wrap may cut inside their value: a place's or a person's name.
_NAMED = frozenset({AnswerType.PLACE, AnswerType.PERSON})
#: A line going on with the sentence of the line above it: it opens in lower case.
_CONTINUES = re.compile(r"^\s*[a-zà-ÿ]+(?:[\s,.;:!?)]|$)")
#: A line cut inside a name: it ends on a capitalised word after a word in lower case
#: ("… in Room", "… call Malin"), and the line under it opens with a capital.
_CUT_NAME = regex.compile(r"\b\p{Ll}[\w'’]*\s+\p{Lu}[\w'’.-]*$")
_OPENS_CAPITAL = regex.compile(r"^\s*\p{Lu}")


def _cut_name(line: str, rest: str) -> bool:
    """Is the sentence of ``line`` (no label: more than a label's words) wrapped inside a
    name that ``rest``, the line under it, goes on with?"""
    return (len(line.split()) > _LABEL_WORDS and _CUT_NAME.search(line.rstrip()) is not None
            and _OPENS_CAPITAL.match(rest) is not None)


#: How far below its section's heading a line may stand, in the heading's heights, and
#: how far its left edge may stray from the heading's.
HEADING_REACH = 12
HEADING_INDENT = 1.5
_HEADING_LETTERS = re.compile(r"[^\W\d_]{2,}")


def _heading(text: str) -> bool:
    """A section's heading as dashboards and cards write it: a few words in capitals,
    no figures ("PLATFORM / SYNC", "DOORS")."""
    return (text.isupper() and label_like(text) and bool(_HEADING_LETTERS.search(text))
            and not text.rstrip().endswith(":"))


def _headings_over(lines: Sequence[SourceLine]) -> list[tuple[SourceLine, SourceLine]]:
    """Each line with the capitals heading of its section: the nearest one above it in
    its column, a heading's reach away at most."""
    headings = [line for line in lines if line.box is not None and _heading(line.text)]
    out: list[tuple[SourceLine, SourceLine]] = []
    for line in lines:
        if line.box is None or line in headings:
            continue
        over = [h for h in headings if h.box is not None and h.frame_id == line.frame_id
                and h.box[3] <= line.box[1] + 2
                and line.box[1] - h.box[3] <= HEADING_REACH * (h.box[3] - h.box[1])
                and abs(h.box[0] - line.box[0]) <= HEADING_INDENT * (h.box[3] - h.box[1])]
        if over:
            out.append((line, max(over, key=lambda h: h.box[3] if h.box else 0)))
    return out


def _commands_over(lines: Sequence[SourceLine]) -> list[tuple[SourceLine, SourceLine]]:
    """Each line of a terminal's output with the command line it follows on its frame (a
    file's "# comment" is no root prompt)."""
    out: list[tuple[SourceLine, SourceLine]] = []
    command: SourceLine | None = None
    for line in lines:
        if prompted_line(line.text) and not line.text.lstrip().startswith("#"):
            command = line
        elif command is not None and command.frame_id == line.frame_id:
            out.append((line, command))
    return out


#: A terminal's error line: "Error: …", "fatal: …", "sqlite3.OperationalError: …".
_ERROR_LINE = re.compile(r"^(?:[\w./-]+:\d+(?::\d+)?:\s+)?"  # a compiler's "src/a.c:4:2: error: …"
                         r"\S*?(?:error|exception|fatal|failed)\b[^:]{0,40}:\s+\S", re.I)


def _command_errors(lines: Sequence[SourceLine]) -> list[tuple[SourceLine, str, SourceLine | None,
                                                              str]]:
    """A command read with the error it ended in, lines of output apart (a traceback's
    last line): "why did my query fail" is asked in the command's words. The first
    exception a command's output names ("KeyError: 'XL'", under a test runner's "ERROR:
    test_rates") says why it stopped, else its first error line."""
    errors: dict[SourceLine, list[SourceLine]] = {}
    for line, command in _commands_over(lines):
        if _ERROR_LINE.match(line.text.strip()):
            errors.setdefault(command, []).append(line)
    out: list[tuple[SourceLine, str, SourceLine | None, str]] = []
    for command, found in errors.items():
        line = next((e for e in found if _EXCEPTION.match(e.text.strip())), found[0])
        out.append((command, f"{command.text} {line.text}", line, ""))
    return out


#: The name of an exception ("KeyError", "java.io.IOException"), and a traceback's last
#: line opening with one ("KeyError: …").
_EXCEPTION_NAME = r"[\w.]*[a-z][\w.]*(?:Error|Exception|Fault)"
_EXCEPTION = re.compile(rf"^{_EXCEPTION_NAME}\b:")


_FIGURE_ONLY = re.compile(r"^\W*\d[\d.,:]*\W*$")


def _caption(line: SourceLine, lines: Sequence[SourceLine]) -> SourceLine | None:
    """The caption written right of a lone figure, as a dashboard's tile writes a big
    number beside what it counts ("37  Your place on the waiting list")."""
    if not _FIGURE_ONLY.match(line.text) or line.box is None:
        return None
    # (OCR's box of a big figure may reach a few pixels into its caption's)
    box = line.box
    nudged = SourceLine(line.text, line.frame_id, line.line,
                        (box[0], box[1], box[2] - (box[3] - box[1]) // 5, box[3]))
    right = _beside(nudged, lines, left=False)
    if (right is None or not _close_beside(line, right) or _FIGURE.search(right.text)
            or len(right.text.split()) > _LABEL_WORDS or right.text.rstrip().endswith((".", "!", "?"))):
        return None
    return right


#: Most characters of a badge (an avatar's initials, an icon) standing between a label and
#: its value on a row.
_BADGE_CHARS = 2
#: How far right of its label a value may stand on the row, in the label's line heights.
BESIDE_GAP = 12


def _close_beside(label: SourceLine, value: SourceLine) -> bool:
    """Does ``value`` stand close enough right of ``label`` to be its value (not a
    column of the page far beside it)?"""
    if label.box is None or value.box is None:
        return False
    return value.box[0] - label.box[2] <= BESIDE_GAP * (label.box[3] - label.box[1])


_FIGURE = re.compile(r"\d")


def _stacked(line: SourceLine, block: Sequence[SourceLine], *,
             below: bool) -> SourceLine | None:
    """The line of ``block`` standing right under (``below``) or right over ``line``,
    sharing its width."""
    stacked = [other for other in block if other.box and line.box
               and (line.above(other) if below else other.above(line))
               and min(line.box[2], other.box[2]) > max(line.box[0], other.box[0])]
    if below:
        return min(stacked, key=lambda other: other.box[1] if other.box else 0, default=None)
    return max(stacked, key=lambda other: other.box[3] if other.box else 0, default=None)


def _row_ends(line: SourceLine, following: SourceLine, lines: Sequence[SourceLine]) -> bool:
    """Does ``line`` end a row of cells whose next row ``following`` starts, left of it?"""
    return (line.box is not None and following.box is not None and line.above(following)
            and following.box[2] <= line.box[0]
            and _beside(line, lines, left=True) is not None)


def _over(line: SourceLine, block: Sequence[SourceLine]) -> SourceLine | None:
    """The label standing right over ``line`` in its card ("TOTAL" over "$71.90"), if the
    line above it is one."""
    nearest = _stacked(line, block, below=False)
    return nearest if nearest is not None and label_like(nearest.text) else None


#: ``_beside``'s answers within one ``extract`` (a line's neighbour is asked for again by
#: every span and card holding it), per thread, and the lines it looks among by their
#: heights (``heights``); each keeps ``lines`` and ``line`` alive so their ids stand for
#: them.
_NEIGHBOURS = threading.local()


def _beside(line: SourceLine, lines: Sequence[SourceLine], *, left: bool) -> SourceLine | None:
    """The nearest of ``lines`` on ``line``'s row, to its left or to its right."""
    if line.box is None:
        return None
    memo: dict[tuple[int, int, bool], tuple[object, object, SourceLine | None]] | None = (
        getattr(_NEIGHBOURS, "memo", None))
    if memo is None:
        return _nearest_beside(line, _by_height(lines), left=left)
    key = (id(lines), id(line), left)
    if key not in memo:
        heights: dict[int, tuple[object, _ByHeight]] = _NEIGHBOURS.heights
        if id(lines) not in heights:
            heights[id(lines)] = (lines, _by_height(lines))
        memo[key] = (lines, line, _nearest_beside(line, heights[id(lines)][1], left=left))
    return memo[key][2]


#: A screen's placed lines by frame, in the order of their middles' heights: each with that
#: height (doubled: top plus bottom) and its place among the lines.
_ByHeight = dict[int | None, tuple[list[int], list[tuple[int, int, SourceLine]]]]


def _by_height(lines: Sequence[SourceLine]) -> _ByHeight:
    placed: dict[int | None, list[tuple[int, int, SourceLine]]] = {}
    for place, other in enumerate(lines):
        if other.box is not None:
            placed.setdefault(other.frame_id, []).append(
                (other.box[1] + other.box[3], place, other))
    out: _ByHeight = {}
    for frame, entries in placed.items():
        entries.sort(key=lambda entry: entry[0])
        out[frame] = ([entry[0] for entry in entries], entries)
    return out


def _nearest_beside(line: SourceLine, by_height: _ByHeight, *,
                    left: bool) -> SourceLine | None:
    assert line.box is not None
    box = line.box
    # only a line whose middle is less than this line's height away can share its row
    middles, entries = by_height.get(line.frame_id, ([], []))
    middle, height = box[1] + box[3], box[3] - box[1]
    near = entries[bisect.bisect_right(middles, middle - height):
                   bisect.bisect_left(middles, middle + height)]
    lines = [other for _, _, other in sorted(near, key=lambda entry: entry[1])]
    row = [other for other in lines if other.box is not None
           and other.frame_id == line.frame_id
           and (other.box[2] <= box[0] if left else other.box[0] >= box[2])
           and not other.above(line) and not line.above(other)]
    if left:
        return max(row, key=lambda o: o.box[2] if o.box else 0, default=None)
    return min(row, key=lambda o: o.box[0] if o.box else 0, default=None)


#: Most words of a card's line: a block with a longer line is prose, read line by line.
CARD_LINE_WORDS = 8
#: A block of more lines than this is a column of a table or a page, not one card.
MAX_CARD_LINES = 12
#: What a card's value gives up against a value its own line holds with the same words.
CARD_PENALTY = 0.05
_LIST_MARK = re.compile(r"^\s*(?:[-•*·▪◦]|\(?\d{1,2}[.)])\s")


def _block_spans(source: Source) -> list[tuple[tuple[SourceLine, ...], str]]:
    """Each card among a screen's blocks of lines that stand together (a task's title over
    its due date and assignee, an order's header over its item), its lines joined one per
    line of text. Paragraphs and lists are no cards: each of their lines says its own."""
    out = []
    for block in source.blocks:
        # a card's long line (the way there, a note under an appointment) says its own; the
        # card is its short lines, where fewer than half are long
        short = tuple(line for line in block if len(line.text.split()) <= CARD_LINE_WORDS)
        if (2 <= len(short) <= MAX_CARD_LINES and len(short) * 2 > len(block)
                and sum(1 for line in short if _LIST_MARK.match(line.text)) < 2
                and not _labelled_column(short, source.lines)
                and not _label_column(short, source.lines)):
            out.append((short, "\n".join(line.text for line in short)))
    return out


def _labelled_column(block: tuple[SourceLine, ...], lines: Sequence[SourceLine]) -> bool:
    """Is ``block`` the value column of a form, each of its lines beside its own label
    ("Status  Pending", "Approver  Ana Ruiz")? Its lines are then read with their labels."""
    return all((label := _beside(line, lines, left=True)) is not None
               and label_like(label.text) for line in block)


#: Most words of a figure standing beside its label on a row ("$13.40", "3 of 8 used").
_BESIDE_WORDS = 3


def _label_column(block: tuple[SourceLine, ...], lines: Sequence[SourceLine]) -> bool:
    """Is ``block`` the label column of a statement or a table, each of its lines (its
    heading aside) with its own figure beside it on the right ("Carried over  $31.60",
    "Late fee  $5.00")? Each line then says its own, with the figure of its row."""
    def figure_beside(line: SourceLine) -> bool:
        figure = _beside(line, lines, left=False)
        return figure is not None and len(figure.text.split()) <= _BESIDE_WORDS and any(
            c.isdigit() for c in figure.text)

    beside = sum(figure_beside(line) for line in block)
    return beside >= 2 and beside >= len(block) - 1


def _block_values(block: tuple[SourceLine, ...], joint: str, q: Question,
                  when: datetime | None, asked: set[str]) -> list[Value]:
    """The values of each line of ``block``, at their offsets in its text (its lines
    joined by ``joint``): none runs from one line into the next."""
    out: list[Value] = []
    start = 0
    street = False
    for line in block:
        found = _typed_values(line.text, q, when, asked)
        if street and q.type is AnswerType.PLACE:
            # an address's town on the line under its street is the same place, not another
            found = [v for v in found if not TOWN_REGION.match(line.text, v.start)]
        street = any(STREET.fullmatch(v.text) for v in found)
        out += [Value(v.start + start, v.end + start, v.text) for v in found]
        start += len(line.text) + len(joint)
    return out


def _bare(value: Value, text: str) -> bool:
    """Is ``value`` most of the line of ``text`` it stands on ("5:40 PM", not a time in
    "Branch hours: Mon-Sat 6:10AM-6:00PM")?"""
    start = text.rfind("\n", 0, value.start) + 1
    end = text.find("\n", value.end)
    line = text[start:end if end >= 0 else len(text)].strip()
    return 2 * len(value.text) >= len(line)


def _line_at(block: tuple[SourceLine, ...], joint: str, offset: int) -> SourceLine:
    """The line of ``block`` (its lines joined by ``joint``) that holds ``offset``."""
    for line in block:
        offset -= len(line.text) + len(joint)
        if offset < 0:
            return line
    return block[-1]


#: Fewest cells of a table's row read as one span (two cells, a label and its value, are
#: read as a line and the line after it).
MIN_ROW_CELLS = 3


def _row_spans(source: Source) -> list[tuple[tuple[SourceLine, ...], str]]:
    """Each row of three or more cells of a table on a screen (a sheet's row, which OCR
    reads cell by cell), each cell labelled by the table's header above it and the cells
    joined as a table row is written: "Item: a | On hand: b | Due: c"."""
    out = []
    header: tuple[SourceLine, ...] = ()
    for cells, split in ((line, len(lines) > 1) for row in source.rows
                         if (lines := _visual_lines(row)) for line in lines):
        if header and (header[0].frame_id != cells[0].frame_id
                       or len(cells) < 2 and not _in_column(cells[0], header)):
            header = ()  # the table ended (a cell across its columns does not end it)
        if len(cells) < MIN_ROW_CELLS:
            continue
        heads = tuple(cell for cell in cells if _header_cell(cell.text))
        if len(heads) == len(cells) or (split and len(heads) >= WIDE_HEADER
                                        and len(heads) >= WIDE_HEADER_SHARE * len(cells)):
            # "Item | Vendor | On hand", "Time | Hall A | Room 2": the labels (a wide
            # header read apart from the row it touched may hold a label that looks like
            # a name or a figure: "Units Status")
            header = heads
            continue
        # a row is read under its table's header, and only as wide as the table: a sidebar
        # beside the table shares its rows, not its columns
        cells = tuple(headed for cell in cells if header
                      and (headed := _headed(cell, header)) is not cell)
        if len(cells) >= MIN_ROW_CELLS:
            out.append((cells, " | ".join(line.text for line in cells)))
    return out


#: A line of this many labels, most of its cells, read apart from the row under it, is a
#: table's header though a few of its cells do not look like labels.
WIDE_HEADER = 5
WIDE_HEADER_SHARE = 0.8
#: How far apart the tops of two lines of cells stand, in line heights, for a row read as
#: one to be two: a header chained to the row under it.
ROW_SPLIT = 0.4


def _visual_lines(row: tuple[SourceLine, ...]) -> list[tuple[SourceLine, ...]]:
    """A row of cells as the lines it stands on: a dense table's header and first row,
    a line height apart, are read as one row where their cells touch. Each line holds its
    cells left to right; a row that does not part into lines of two or more cells stays
    whole."""
    boxes = [cell.box for cell in row]
    if len(row) < 2 * MIN_ROW_CELLS or any(box is None for box in boxes):
        return [row]
    height = sorted(b[3] - b[1] for b in boxes if b)[len(boxes) // 2]
    tops = sorted({b[1] for b in boxes if b})
    cuts = [top for previous, top in zip(tops, tops[1:], strict=False)
            if top - previous > ROW_SPLIT * height]
    if not cuts:
        return [row]
    lines: list[list[SourceLine]] = [[] for _ in range(len(cuts) + 1)]
    for cell in sorted(row, key=lambda c: c.box[0] if c.box else 0):
        lines[bisect.bisect_right(cuts, cell.box[1] if cell.box else 0)].append(cell)
    if any(len(line) < 2 for line in lines):
        return [row]
    return [tuple(line) for line in lines]


#: Most words of a table header's cell.
_HEADER_WORDS = 4
#: A header cell's words: no figure but a short number after a word ("Room 2", "Q3").
_HEADER_CELL = re.compile(r"^[^\d]+?(?:\s?\d{1,2})?$")


def _header_cell(text: str) -> bool:
    """Could ``text`` label a table's column: a few words, no figure but a room's or a
    quarter's number, and no person's name (a row of speakers under a row of talks is a
    row of the table; everyday words written like a name, "Units Status", label one)?"""
    return (len(text.split()) <= _HEADER_WORDS and bool(_HEADER_CELL.match(text.strip()))
            and not any(_person_like(v, text) and not all(is_plain_word(w) for w in v.text.split())
                        for v in values(text, AnswerType.PERSON)))


def _in_column(cell: SourceLine, header: tuple[SourceLine, ...]) -> bool:
    """Does ``cell`` start where a column of the table under ``header`` starts (a keynote's
    cell across the columns of a programme, not a paragraph after the table)?"""
    if cell.box is None:
        return False
    return any(label.box is not None and abs(label.box[0] - cell.box[0])
               <= label.box[3] - label.box[1] for label in header)


def _headed(cell: SourceLine, header: tuple[SourceLine, ...]) -> SourceLine:
    """``cell`` labelled by the header cell above it ("On hand: 7 spools"), quoted from its
    own frame line."""
    def shared(label: SourceLine) -> int:
        if label.box is None or cell.box is None:
            return 0
        return min(label.box[2], cell.box[2]) - max(label.box[0], cell.box[0])

    label = max(header, key=shared)
    if shared(label) <= 0:
        return cell
    return replace(cell, text=f"{label.text.rstrip(':')}: {cell.text}")


#: A note in brackets after a sentence ("… like that one? [shares a photo]") is not its end.
_TRAILING_NOTE = re.compile(r"\s*[\[(][^\[\]()]*[\])]\s*$")


def _asks(text: str) -> bool:
    return _TRAILING_NOTE.sub("", text).rstrip(" \"”'").endswith(("?", "？"))


#: What greets or thanks the one spoken to ("Thanks, Mel!", "Hey Jon!"): no mention of them.
_VOCATIVE = (r"(?:^|(?<=[,!?.])|\b(?:hey|hi|hello|thanks|thank you|congrats|dear|wow|oh|yes|"
             r"yeah)\b,?)\s*")


def _addressed(text: str, name: str, *, greeting: str = _VOCATIVE) -> bool:
    """Does ``text`` only speak to ``name`` ("Hey Tomas!", "Thanks, Ines.")? A page's
    ``greeting`` is narrower: a line opening with a name is no greeting there."""
    return re.search(rf"{greeting}{re.escape(name)}\s*(?=[!?,.;]|$)", text, re.I) is not None and (
        re.search(rf"\b{re.escape(name)}\b(?!\s*[!?,.;]|\s*$)", text) is None)


def _people(q: Question) -> tuple[str, ...]:
    """The names in a question that may be people: a capitalised word standing alone, not
    part of a longer name ("Noor", not "Grand Bazaar" or "Rheinauen Versicherung")."""
    words = re.findall(r"[\w'’-]+", q.text)
    capital = [w[0].isupper() and i > 0 for i, w in enumerate(words)]  # not the opening word

    def alone(name: str) -> bool:
        return all(not (i > 0 and capital[i - 1]) and not (i + 1 < len(words) and capital[i + 1])
                   for i, w in enumerate(words) if w.startswith(name))

    return tuple(name for name in q.names if alone(name))


def _said_by_another(source: Source, names: Sequence[str]) -> bool:
    """Is this a conversation turn by someone other than the people the question names?
    Its "I" and "my" are then its speaker's, not theirs."""
    if not names or not source.speaker:
        return False
    speaker = source.speaker.split()[0].lower()
    wanted = [n.lower() for n in names]
    return not any(speaker.startswith(n) or n.startswith(speaker) for n in wanted if len(n) >= 3)


#: What a speaker says is the listener's: "your store", "your customers".
_YOUR = re.compile(r"\byour\s+[\w'-]+", re.I)


def _yours(text: str) -> set[str]:
    """The stems a turn uses only for what is the listener's ("Your store looks great"
    says nothing of the speaker's store), not also elsewhere in it."""
    return stems(" ".join(_YOUR.findall(text))) - stems(_YOUR.sub(" ", text)) - {"your"}


def names_them(text: str, names: Sequence[str]) -> bool:
    """Does a span of someone else's turn tell about the people the question names? Only
    where it names them, not where it merely greets them ("Thanks, Mel!")."""
    body = _unspeaker(text)
    for name in names:
        body = re.sub(rf"{_VOCATIVE}{re.escape(name)}\w*\s*(?=[!?,.;:]|$)", " ", body,
                      flags=re.I)
    return any(re.search(rf"\b{re.escape(n)}", body, re.I) for n in names)


#: One "label: value" field of a span: rows and pairs are stored as "Label: value; ...".
_FIELD = re.compile(r"(?:^|(?<=[;|\n]))\s*(?P<label>[^:;|\n=]{1,40}?)(?::|\s=)\s+"
                    r"(?P<value>[^;|\n]+)")


def _stems_meet(a: AbstractSet[str], b: AbstractSet[str]) -> bool:
    """Do two sets of stems share a word, one stem starting the other ("own" and "owner")?"""
    return any(x == y or len(min(x, y, key=len)) >= 3 and (x.startswith(y) or y.startswith(x))
               for x in a for y in b)


#: A place or a name asked for is the whole of its field when the field is this short
#: ("room: Attic suite", not "Attic").
_WHOLE_FIELD_WORDS = 8
#: The labels of a place's field, in the languages questions are asked in.
_PLACE_LABELS = ("location address venue place where ort adresse treffpunkt lieu "
                 "lugar dirección direccion indirizzo luogo endereço local")


_PLACE_LABEL_WORDS = frozenset(_PLACE_LABELS.split())


def _place_label(text: str) -> bool:
    """Is ``text`` a place's field label, its head word a place's ("Pickup location",
    "Adresse de livraison"; not a word made from one, "Adressierung")?"""
    words = re.findall(r"[^\W\d_]+", text.lower())
    return label_like(text) and bool(words) and (words[0] in _PLACE_LABEL_WORDS
                                                 or words[-1] in _PLACE_LABEL_WORDS)


#: What a value gains when its label names the thing asked for ("License: BSD-3-Clause" asked
#: "What license …", "Altitude" above "1,930 m" asked "At what altitude …").
LABELLED_BONUS = 0.05
#: What a span gains for holding the words naming the value asked: a code's or an
#: amount's name ("booking reference", "total"), or the thing a question asks for.
FOCUS_WEIGHT = 0.3
THING_WEIGHT = 0.2
#: Asked by when, what a span calling its date the deadline or the end ("Due date",
#: "Vencimento", "Geldig tot") gains over a span stating another date of the same thing.
DEADLINE_BONUS = 0.1


def _labelled_by(value: Value, text: str, focus: set[str], *, every: bool) -> bool:
    """Does the label of ``value``'s field (or the role after it) name the asked thing:
    all of its words with ``every`` ("BOOKING REFERENCE:", not "Manage booking:"), any
    one of them without ("Total:" for an amount)?"""
    field = _field_label(value, text, 0)
    if field is not None:
        label = stems(field)
        return all(any(_stems_meet({f}, {w}) for w in label) for f in focus) if every \
            else _stems_meet(label, focus)
    role = _ROLE_AFTER.match(text, value.end)
    return role is not None and _stems_meet(stems(role["role"]), focus)


#: Labels that name some code, whatever the question calls it ("Ref", "PNR", "Nº").
_CODE_LABELS = frozenset(stem(w) for w in (
    f"{_GENERIC_ID_TEXT} nr ref confirmation booking reservation pnr nummer número numéro "
    "numero numer kod código codice").split())


def _field_label(value: Value, text: str, line_start: int) -> str | None:
    """The label of the field ``value`` stands in ("Department" of "Department: Fleet"),
    read from ``line_start`` (where a label's line joined to the one above begins)."""
    if value.start < line_start:
        line_start = 0
    for m in _FIELD.finditer(text[line_start:]):
        if m.start("value") <= value.start - line_start < m.end("value"):
            return m["label"]
    return None


#: The label of one who looked at, signed or was told of a deed, not the one who did it.
_OTHER_ROLE = re.compile(r"\b(?:review(?:ed|ers?)?|approv(?:ed|ers?)|report(?:ed|ers?)|cc|"
                         r"watch(?:ers?|ing)|signed[- ]off|acked|tested|requested)\b", re.I)


#: A journey's two ends, as questions ask them in the question languages ("part", "fährt")
#: and as tickets and timetables label them ("Départ", "Ankunft"; a label, not a verb: "on
#: part au …" in a chat, "annual leave" on a calendar are no departures).
_ASKS_DEPARTURE = re.compile(r"\b(?:leave|leaves|leaving|depart\w*|part|partent|partira|"
                             r"d[ée]part|abfahrt|abfahren|f[äa]hrt|sale|salida|parte|partenza|"
                             r"vertrek\w*|sa[íi]da)\b", re.I)
_ASKS_ARRIVAL = re.compile(r"\b(?:arriv\w*|lands?|landing|ankunft|ankommen|llega\w*|"
                           r"aankomst|chegada|chega)\b", re.I)
_DEPARTURE = re.compile(r"\b(?:departures?|departs|departing|d[ée]part|abfahrt|salida|partenza|"
                        r"vertrek|sa[íi]da)\b", re.I)
_ARRIVAL = re.compile(r"\b(?:arrivals?|arrives|arriving|arriv[ée]e|ankunft|llegada|arrivo|"
                      r"aankomst|chegada)\b", re.I)
#: Most words of a timetable's station line ("18h20 · Narbonne · Départ"): a longer span
#: naming the destination may say the journey's route ("Paris → Narbonne, départ à …").
_STATION_LINE_WORDS = 8


#: A station's or a town's name, capitalised, after the word saying which end it is.
_STATION = r"(\p{Lu}[\w'’-]*(?:[\s-]\p{Lu}[\w'’-]*)*)"
_FAR_END = {
    "depart": regex.compile(r"\b(?:to|for|pour|nach|para|naar|per|vers|towards|[Rr]ichtung|"
                            r"[Dd]irection)\s+(?:the\s+)?" + _STATION),
    "arrive": regex.compile(r"\b(?:from|depuis|von|aus|desde|van)\s+(?:the\s+)?" + _STATION),
}


def _leg(text: str, *, asked: bool = False) -> str | None:
    """Which end of a journey ``text`` speaks of: "depart", "arrive", or None (both or
    neither); a question (``asked``) by its verbs too."""
    departs = (_ASKS_DEPARTURE if asked else _DEPARTURE).search(text) is not None
    arrives = (_ASKS_ARRIVAL if asked else _ARRIVAL).search(text) is not None
    return None if departs == arrives else "depart" if departs else "arrive"


#: The end a journey leaves from, as a question names it ("in Wien", "from Leeds").
_NEAR_END = regex.compile(r"\b(?:from|von|aus|ab|in|de|desde|depuis|van|da|z|ze)\s+(?:the\s+)?"
                          + _STATION)
#: A timetable's mark of a value's end, the particle right before it: "ab 12:14", "dep.
#: 09:40", "an Bahnsteig 4", "arr 11:02" (a word after a value, "09h12 · Départ", marks
#: the value before it, and may end the line before another's).
_VALUE_DEPARTS = re.compile(r"(?:^|\s)(?:ab|dep|dp)\.?:?\s*$", re.I)
_VALUE_ARRIVES = re.compile(r"(?:^|\s)(?:an|arr)\.?:?\s*$", re.I)


def _value_leg(text: str, value: Value) -> str | None:
    """The end of a journey the word right before ``value`` marks it with, if any."""
    before = text[max(0, value.start - 16):value.start].rpartition("\n")[2]  # its own line
    return ("depart" if _VALUE_DEPARTS.search(before)
            else "arrive" if _VALUE_ARRIVES.search(before) else None)


#: The label of the one who did a thing: a commit's or a page's author.
_DOER = re.compile(r"\b(?:author|authored by|created by|made by|written by|committer|"
                   r"fixed by|done by)\b", re.I)


#: A role in brackets right after a value: "(organizer)", "(Landlord, replies in a day)".
_ROLE_AFTER = re.compile(r"\s?\((?P<role>[^()\n]{1,40})\)")


def _labelled(found: list[Value], text: str, key: set[str],
              said: AbstractSet[str] = frozenset()) -> list[tuple[Value, Value]]:
    """The values standing in a field whose label names what is asked ("owner: Tomasz Wrona"
    asked "who owns …", "Ab: 06:37" asked "wann fährt … ab"), each with its field's value;
    the field whose label holds more of the question's own words (``said``) first: "Amount
    charged: …" before "Service fee: …" asked what was charged in all, though "fee" names an
    amount too."""
    labels = [m for m in _FIELD.finditer(text) if _stems_meet(stems(m.group("label")), key)]
    # a label names the values after it up to the next label of something else: "Lake day:
    # Sat 22, … Kayak: Ana" does not label Ana ("Due: AMOUNT DUE: 19 March" does)
    pairs = [(v, Value(m.start("value"), m.end("value"), m.group("value").strip()), m)
             for m in labels for v in found if m.start("value") <= v.start < m.end("value")
             and _labels_it(text[m.start("value"):v.start], key)]

    def said_by_label(pair: tuple[Value, Value, re.Match[str]]) -> tuple[int, int]:
        # (a word the value names itself does not label it: "Sala Azul: Yoga" over
        # "Pilates: Sala 4" asked which "sala" the pilates is in)
        # and a label word that is the asked word itself before one that only starts
        # with it: "paid_by: Rafe" before "payee: …" asked who paid
        label = stems(pair[2].group("label")) - stems(pair[0].text)
        return -sum(_stems_meet({w}, said) for w in label), -len(label & said)

    labelled = [(v, f) for v, f, _ in sorted(pairs, key=said_by_label)]
    # the role written in brackets after a name labels it: "Ana Lima (host)"
    return labelled + [(v, v) for v in found if (role := _ROLE_AFTER.match(text, v.end))
                       and _stems_meet(stems(role["role"]), key)]


_INNER_LABEL_END = re.compile(r"[^\W\d_]: ")
#: Most words of a label that opens its field ("Lyon: Departure: 06:12").
_OPENING_LABEL_WORDS = 3


def _labels_it(between: str, key: set[str]) -> bool:
    """Does the field's label still name a value with ``between`` before it: is the nearest
    inner label ("Kayak: " in "Sat 22, … beach Kayak: ") none, or one whose last word names
    the key too?
    A label opening the field is the field's own ("Lyon: Departure: 06:12" is the
    departure of what the stored summary names)."""
    ends = list(_INNER_LABEL_END.finditer(between))
    if not ends:
        return True
    before = between[:ends[-1].end() - 2]
    words = re.findall(r"[\w'-]+", before)
    if len(words) <= _OPENING_LABEL_WORDS:
        return True
    return _stems_meet(stems(words[-1]), key)


#: The border between two cells of a table row as spans store them.
_CELL = re.compile(r"\s\|\s")


def _pick_value(found: list[Value], text: str, key: set[str], label_key: set[str], *,
                said: AbstractSet[str] = frozenset(),
                whole_field: bool = False, figures: bool = True,
                stamp: bool = False, doer: AbstractSet[str] | None = None) -> tuple[Value, bool]:
    """The value in the field labelled with the question's words (``label_key``: all of
    them, names and short words too: "IP", German "ab"; with ``whole_field``, that short
    field's whole value, holding figures only where ``figures``: a commit line "a41c9e0
    2031-06-02 <name> Bump …" is no name), else the first value after the last key word
    in the span ("Seat 14C · Booking ref X7Q" asked for the booking reference gives X7Q),
    else the first
    value; and whether a rule chose it (a table row holding a key word places its one
    value in any order). With ``stamp`` (a clock time asked), a value opening the span
    stamps it: a log's or a chat's line says its time first and what happened after. With
    ``doer`` (the deed a "who" question asks, "changed"), the name right before the deed
    did it."""
    if doer is not None:
        # "Ana Ruiz renamed bucket x to y" asked who renamed it: the name the deed follows
        for value in found:
            deed = _NEXT_WORD.match(text, value.end)
            if deed and stem(deed[1].lower()) in doer:
                return value, True
    for value in found:
        # a field written short, as logs and configs do: "usr=kb_41" asked the user id
        short = _SHORT_KEY_BEFORE.search(text, 0, value.start)
        if short and _short_for(short[1].lower(), label_key):
            return value, True
    # an environment's or a config's KEY_NAME=value: the key holding most words asked
    keyed = [(len(stems(m[1].replace("_", " ")) & label_key), -n, value)
             for n, value in enumerate(found)
             if (m := _ENV_KEY_BEFORE.search(text, 0, value.start))]
    if keyed and max(keyed)[0]:
        return max(keyed)[2], True
    labelled = _labelled(found, text, label_key, said)
    if labelled:
        value, field = labelled[0]
        if whole_field:
            # a stored "Name: Name: value" repeats its label: the value is after the last
            inner = field.text.rfind(": ")
            if inner >= 0 and inner + 2 <= value.start - field.start:
                field = Value(field.start + inner + 2, field.end, field.text[inner + 2:])
            if len(field.text.split()) <= _WHOLE_FIELD_WORDS and (
                    figures or not _FIGURE.search(field.text)):
                return field, True
        return value, True
    if len(found) > 1 and _CELL.search(text):
        # a row of label and value cells ("Deposit | $900 | Late fee | $35"): each value is
        # labelled by the cells between it and the cell of the value before it, and its own
        # cell holds what it is of ("Aula Magna: Ana Ruiz" asked where Ana Ruiz speaks)
        held, previous = [], 0
        for v in found:
            border = _CELL.search(text, v.end)
            cell_end = border.start() if border else len(text)
            held.append(len(key & stems(text[previous:cell_end])))
            previous = cell_end
        if max(held) and held.count(max(held)) == 1:
            return found[held.index(max(held))], True
    last_key, key_start = -1, -1
    for m in re.finditer(r"\w+", text):
        if stem(m.group(0).lower()) in key and m.end() > last_key:
            last_key, key_start = m.end(), m.start()
    listed = _listed_before(found, text, key_start)
    if listed is not None:
        return listed, True
    # a value headed by the key word is after it too: "Room 5.21" asked which room (not
    # "9 nights" asked about the nightly job)
    # (and a value holding the key word names one: "gull-ci-runner-07" asked which runner)
    after = [v for v in found if v.start >= last_key or v.start == key_start
             or v.start <= key_start < v.end]
    if after:
        return after[0], True
    if stamp and _stamps(found[0], text):
        return found[0], True
    # a table row's cells are in the table's order, not the question's: the row naming
    # what is asked in one cell holds its one value in another, before it or after it
    return found[0], last_key >= 0 and len(found) == 1 and _CELL.search(text) is not None


#: What a listing writes between one value and the next: the first one's name, a few words.
_LISTED_NAME = re.compile(r"\s+[^\s:;|=]+(?:\s+[^\s:;|=]+){0,3}\s*")


def _listed_before(found: list[Value], text: str, key_start: int) -> Value | None:
    """In a span that lists each value before its name ("2.2G media 610M logs", as
    du and uniq -c print; "9:05 Standup 11:50 Review"), the value before the key word."""
    if key_start < 0 or len(found) < 2 or text[:found[0].start].strip(" •·-*"):
        return None
    ends = [v.start for v in found[1:]] + [len(text)]
    if not all(_LISTED_NAME.fullmatch(text, v.end, end) for v, end in zip(found, ends,
                                                                          strict=True)):
        return None
    return next((v for v, end in zip(found, ends, strict=True) if v.end <= key_start < end),
                None)


_NEXT_WORD = re.compile(r"\s+(\w+)")
#: A variable's name before its value: "ARCHIVE_DEST=", "export DB_HOST=".
_ENV_KEY_BEFORE = re.compile(r"(?<![\w.-])([A-Za-z0-9]+(?:_[A-Za-z0-9]+)+)=[\"']?$")
_SHORT_KEY_BEFORE = re.compile(r"\b([a-z]{3,})\s?[=:]\s?$", re.I)


#: "When is the next …": a date written right after "next" ("next on 19 March", "Next
#: payment: 2 May") is the one asked, more than a date of the same thing gone by.
_NEXT = re.compile(r"\b(?:next|upcoming|n[äa]chste[rsn]?|prochaine?|pr[óo]xim[oa]|"
                   r"prossim[oa]|volgende|n[äa]sta|neste|n[æa]ste|nast[ęe]pn\w*)\b", re.I)
NEXT_BONUS = 0.1
#: "When is …", "C'est quand …", "Wann ist …", "What day is it going to …": a thing to come,
#: asked in the present or the future; a day a screen dates before it was seen is another,
#: past one.
_AHEAD = re.compile(r"\bwhen(?:'s| is| are| will| do| does)\b|\bc['’]est quand\b|"
                    # "What day is it going to bill me?", "What date will it arrive?"
                    r"\b(?:is|are|am)\s+(?:[\w'’-]+\s+){1,3}?going\s+to\b|"
                    r"^\W*(?:what|which)\s+(?:day|date)\s+will\b|"
                    r"\bquand (?:est|sera|aura)\b|\bwann (?:ist|wird|sind|findet|kommt)\b|"
                    r"\bcu[áa]ndo (?:es|ser[áa]|tengo|tienes|llega)\b|\bquando (?:[èe]|sar[àa])\b|"
                    r"\bwanneer (?:is|wordt|komt|moet|moeten|gaat|zal)\b|\bn[äa]r (?:[äa]r|blir|kommer)\b|"
                    r"\bkiedy (?:jest|b[ęe]dzie)\b", re.I)
#: What a day before the screen was seen gives up, asked when a thing to come is.
PAST_PENALTY = 0.1


def _before_seen(written: str, source: Source) -> bool:
    """Is ``written`` a whole day before the screen ``source`` was seen (a note or a
    message is no screen: its days may be the event it tells of)?"""
    if source.when is None or source.memory.source != "screen":
        return False
    seen = source.when.date()
    for found in find_dates(written, source.when):
        d = found.value
        if d.year is not None and d.month is not None and d.day is not None:
            try:
                return date(d.year, d.month, d.day) < seen
            except ValueError:
                return False
    return False


#: A verb with its particle, as a question says it ("check in", "pick-up") …
_PHRASAL = re.compile(r"\b([a-z]{3,})[- ]?(in|out|up|off)\b", re.I)
#: … and as a label writes it: one word or hyphened ("Check-out", "checkout", "drop-off").
_PHRASAL_LABEL = re.compile(r"\b([a-z]{3,})-?(in|out|up|off)\b", re.I)


def _phrasals(text: str, pattern: re.Pattern[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for m in pattern.finditer(text):
        out.setdefault(m.group(1).lower(), set()).add(m.group(2).lower())
    return out


def _other_particle(asked: dict[str, set[str]], label: str) -> bool:
    """Does ``label`` name the asked verb with another particle only: "Check-out" asked
    when to check in, "Drop-off" asked where to pick up?"""
    said = _phrasals(label, _PHRASAL_LABEL)
    return any(verb in said and not said[verb] & particles
               for verb, particles in asked.items())


def _field_before(text: str, start: int) -> str:
    """The text of ``text`` before ``start`` back to the last field or cell border."""
    return _FIELD_START.split(text[:start])[-1]


_LABEL_REACH = 4


def _before_words(text: str, value: Value) -> list[str]:
    """The few words before ``value`` in its field: its label, in its cell or the cell
    before."""
    return re.split(r"[;\n]", text[:value.start])[-1].replace("|", " ").split()[-_LABEL_REACH:]


def _other_end(text: str, value: Value, other_end: AbstractSet[str], key: set[str], *,
               compounds: bool = False) -> bool:
    """Do the words before ``value`` name the other end of a span than the one asked
    ("since" asked until when; with ``compounds``, also as a compound's tail:
    "Mietbeginn" asked when the lease ends)?"""
    before = _before_words(text, value)
    if compounds and any(len(end) >= 4 and word.lower().find(end, 3) >= 3
                         for word in before for end in other_end):
        return True  # (its head may well be the thing asked: "Laufzeit" in "Laufzeitbeginn")
    said = stems(" ".join(before))
    return bool(said & other_end) and not said & key


#: A place's opening hours, as pages label them: a time asked of an event is not one of
#: these, unless the question asks when it opens or closes.
_HOURS = re.compile(r"\b(?:hours|opening|öffnungszeiten|geöffnet|horaires?|horario|orario|"
                    r"openingstijden|geopend|öppettider|godziny otwarcia)\b", re.I)
_ASKS_HOURS = re.compile(r"\b(?:open|opens|opening|close|closes|closing|hours|öffnet|"
                         r"schließt|ouvre|ferme|abre|cierra|apre|chiude|fecha|opent|sluit|"
                         r"öppnar|stänger)\b", re.I)


def _stamps(value: Value, text: str) -> bool:
    """Does ``value`` open ``text``, nothing but a date and marks before it ("2031-03-02
    05:47:12 ERROR …", "[08:29] …")?"""
    before = text[:value.start]
    for found in reversed(find_dates(before, None)):
        before = before[:found.start] + before[found.end:]
    return not re.search(r"[^\W\d_]", before)


#: Most characters between a date and the time of day written after it ("Fri 23 · 14:25").
_DATE_TIME_GAP = 12
#: A vague "when" (a clock time with no date, a year written alone, not "last year") or a
#: mail header's date (when the mail was sent, not what it is about) answers only where
#: no span holds better.
_VAGUE_WHEN_PENALTY = 0.15
_YEAR_ONLY = re.compile(r"^(?:[^\W\d_]{1,3}\s)?\d{4}$")  # "2026", "in 2026", "im 2026"
#: "After that", "then": the label of the date after the next one.
_THEREAFTER = re.compile(r"\b(?:then|after that|thereafter|afterwards|daarna|danach|"
                         r"anschlie(?:ß|ss)end|ensuite|puis|despu[ée]s|luego|poi|dopo|depois|"
                         r"d[äa]refter|sedan|derefter|deretter|potem|pot[ée]|potom)"
                         r"\W*(?:[^\W\d_]+\W*)?$", re.I)
#: A question asking for a day, which a month ("noviembre 2026", "May") does not give.
_ASKS_DAY = re.compile(r"\b(?:what|which) (?:day|date)\b|\bqu[ée] (?:d[íi]a|fecha)\b|"
                       r"\bquel(?:le)? (?:jour|date)\b|\b(?:an )?welche[mnr]? (?:tag|datum)\b|"
                       r"\b(?:che|quale) (?:giorno|data)\b|\bqual? (?:dia|data)\b|\bque dia\b",
                       re.I)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def _dayless(written: str) -> bool:
    """Is ``written`` a date without its day ("noviembre 2026", "May")?"""
    found = find_dates(written, None)
    return bool(found) and all(d.value.day is None for d in found)


#: What a quantity question's words ask to be measured in, and the units that say so.
#: What a head count is counted in: "a table for 4 guests", "3 adults".
_PEOPLE = (r"people|persons?|guests?|adults?|pax|attendees?|participants?|passengers?|diners?|"
           r"travell?ers?|personen|gäste|erwachsene|personnes?|invités|adultes|personas|"
           r"invitados|adultos|persone|ospiti|adulti|pessoas")
_MEASURES: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (re.compile(r"\bhow long\b|\bduration\b|\bhow many (seconds|minutes|hours|days|weeks|"
                r"months|years|nights)\b|"
                # and in the other question languages: "wie lange", "quanto tempo", "hoe lang"
                r"\bwie lange\b|\bcombien de temps\b|\bcu[áa]nto tiempo\b|\bquanto tempo\b|"
                r"\bhoe lang(?:e)?\s+(?:duurt|duurde|heeft|had|deed|moet|ben|was|wacht)\b|"
                r"\bhoeveel tijd\b|\bhur (?:l[äa]nge|l[åa]ng tid)\b|\bhvor (?:l[æa]nge|lenge|"
                r"lang tid)\b|\bjak d[łl]ugo\b|\bile czasu\b|\bjak dlouho\b", re.I),
     re.compile(rf"^(?:\d+(?:[.,]\d+)?|{SPELLED_NUMBER}|a few|several|a couple of)\s?(?:s|secs?|"
                r"seconds?|mins?|minutes?|h|hrs?|hours?|days?|weeks?|months?|years?|nights?|ms|"
                r"minuten|minuti|minutos|minuter|minutter|minut|minuty|stunden?|std\.?|heures?|"
                r"ore|ora|horas?|uur|timmar|timer|timme|time|godzin[ay]?|hodin[ay]?|tage?n?|"
                r"jours?|giorni|d[íi]as|dagen|dagar|dage|dager|dni|semaines?|wochen?|weken|"
                r"settimane|semanas)$|"
                r"^\d{1,2}:\d{2}(?::\d{2})?$|"
                # a duration in parts, as CI runs and timers print it: "1h 05m", "6m 12s"
                r"^\d+\s?(?:h|hrs?|m|mins?)(?:\s?\d+\s?(?:m|mins?|s|secs?|ms))+$", re.I)),
    # a place in a queue is one among a count ("Position 4 of 9")
    (re.compile(rf"\bin (?:the )?(?:line|queue|waiting list)\b|\bposition\b|"
                rf"\b(?:{WAITING_LIST})\b", re.I),
     re.compile(r"^\d+\s(?:of|von|de|sur|di|van|av)\s\d+$|^#\d+$|^\d+(?:st|nd|rd|th)$", re.I)),
    (re.compile(r"\bhow full\b|\bpercent(?:age)?\b|\bper ?cent\b|"
                r"\b(?:what|which) (?:share|proportion|fraction)\b", re.I),
     re.compile(r"^\d+(?:[.,]\d+)?\s?%$")),
    # data is measured in bytes: "how many gigabytes", "cuántos megas", "wie viele GB"
    (re.compile(r"\bhow (big|large|heavy)\b|\b(size|weight)\b|\b(?:giga|mega|tera)(?:byte)?s?\b|"
                r"\bhow much (?:disk |drive )?(?:space|storage|memory|room on)\b|"
                r"\bhow much (?:ram|swap)\b|\b(?:ram|memory) (?:usage|use|used)\b|"
                r"\b[KMGT]i?B\b", re.I),
     re.compile(r"^\d+(?:[.,]\d+)?\s?(?:[KMGT]i?B|bytes?|kg|g|lbs?|t|sq\s?ft|sqft|m²|km²|"
                r"ha|acres?)$|^\d+(?:[.,]\d+)?(?-i:[KMGTP])$", re.I)),
    (re.compile(r"\bhow (deep|high|tall|far|wide)\b|\b(altitude|elevation|depth|"
                r"height|length|distance|width)\b", re.I),
     re.compile(r"^\d+(?:[.,]\d+)*\s?(?:m|km|cm|mm|ft|feet|miles?|mi|metres?|meters?)$",
                re.I)),
    # an area: "how many square metres", "wie viele Quadratmeter", "hur många kvadratmeter"
    (re.compile(r"\bsquare (?:met(?:er|re)s?|feet|foot)\b|\bsq\.? ?(?:ft|m)\b|\bquadratmeter\w*|"
                r"\bm(?:è|e)tres? carr(?:é|e)s\b|\bmetros? cuadrados?\b|\bmetri quadr\w*|"
                r"\bmetros? quadrados?\b|\bvierkante meters?\b|\bkvadratmeter\b|"
                r"\bmetr\w* kwadratow\w*|\b(?:floor )?area\b|\bwohnfläche\b", re.I),
     re.compile(r"^\d+(?:[.,]\d+)?\s?(?:m²|m2|qm|sq\.?\s?ft|sqft|sq\.?\s?m|ft²|square "
                r"(?:met(?:er|re)s?|feet))$", re.I)),
    # a volume: "how many cubic metres", "combien de mètres cubes", "wie viele Kubikmeter"
    (re.compile(r"\bcubic (?:met(?:er|re)s?|feet|foot)\b|\bkubikmeter\w*|\bm(?:è|e)tres? cubes\b|"
                r"\bmetros? c[úu]bicos?\b|\bmetri cubi\b|\bkubieke meters?\b|"
                r"\bmetr\w* sze[śs]cienn\w*|\bvolume\b|\bhow many (?:litres|liters)\b", re.I),
     re.compile(r"^\d+(?:[.,]\d+)*\s?(?:m³|m3|cbm|ft³|cu\.?\s?ft|l|litres?|liters?|"
                r"cubic (?:met(?:er|re)s?|feet))$", re.I)),
    (re.compile(r"\btemperature\b|\bhow (hot|cold|warm)\b", re.I),
     re.compile(r"^\d+(?:[.,]\d+)?\s?(?:°\s?[CF]|degrees?)$", re.I)),
    (re.compile(rf"\bhow many (?:{_PEOPLE})\b|\bfor how many\b|\bparty size\b|"
                r"\bwie viele (?:personen|gäste|leute)\b|\bcombien de (?:personnes|invités)\b|"
                r"\bcu[áa]nt[oa]s (?:personas|invitados)\b|\bquant[ei] (?:persone|ospiti)\b|"
                r"\bquantas pessoas\b", re.I),
     re.compile(rf"^(?:\d+|{SPELLED_NUMBER})\s?(?:{_PEOPLE})$", re.I)),
)
#: What a code or a technical name asked for looks like, by the word the question names it
#: with: an email has an "@", a port is a number, a version has dotted numbers.
_SHAPES: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (re.compile(r"\be-?mail\b", re.I), re.compile(rf"^{_EMAIL.pattern}$")),
    (re.compile(r"\bport\b", re.I), re.compile(r"^\d{2,5}$")),
    (re.compile(r"\b(version|release)\b", re.I), re.compile(r"^v?\d+(?:\.\d+){1,3}$")),
    (re.compile(r"\b(file|filename)\b", re.I), re.compile(r"^\S*(?:/\S+|\.[A-Za-z]\w{0,4})$")),
    (re.compile(r"\b(url|link|website)\b", re.I), re.compile(r"^(?:https?://|www\.)\S+$")),
    # a git branch: "feature/x", "hotfix-rounding", "main"
    (re.compile(r"\bbranch(?:es)?\b", re.I),
     re.compile(r"^[\w.-]+(?:/[\w.-]+)+$|^(?:main|master|develop|dev|trunk)$|"
                r"^[a-z0-9]+(?:[-_.][a-z0-9]+)+$")),
    # an HTTP header is named in words joined by hyphens: "Content-Type", "X-Api-Key"
    (re.compile(r"\bheaders?\b", re.I), re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+$")),
    # a commit is named by its hash, seven hexadecimal digits or more: "9c04e1b"
    (re.compile(r"\b(commit|hash|sha(?:-?\d+)?)\b", re.I), re.compile(r"^[0-9a-f]{7,40}$")),
    # a pull or merge request by its number: "#812", GitLab's "!812"
    (re.compile(r"\b(pull|merge) requests?\b|\b[PM]Rs?\b"), re.compile(r"^[#!]?\d{1,6}$")),
)
#: The words of one measure: a span saying "its deepest point" or "a depth of" speaks of
#: what "how deep" asks.
_MEASURE_FAMILY_TEXT = (
    "deep deeper deepest depth",
    "high higher highest height altitude elevation tall taller tallest",
    "long longer longest length",
    # how long a thing took is what a run's page calls its duration
    "long duration elapsed took lasted dauer dauerte durée duración durata duração duur "
    "varaktighet",
    "far farther farthest further furthest distance",
    "wide wider widest width",
    # an area asked in square metres is what a listing labels its (living) area
    "area square quadratmeter wohnfläche fläche superficie surface oppervlakte "
    "woonoppervlakte boarea yta powierzchnia metragem",
    "heavy heavier heaviest weight",
    # what a thing means: "the ring stands for our friendship" asked what it symbolizes
    "symbolize symbolise symbolizes symbolises symbol represent represents stand stands",
    "old older oldest age",
    "people person persons guest guests adult adults pax attendee attendees diner diners",
    # the two ends of a stay, a leave or a trip, as forms label them ("First day", "Last day")
    "start starts begin begins beginning first commence commences kick kicked kickoff "
    "trigger triggered "
    "started beginnt beginn début commence empieza comienza inicio inizia inizio comincia "
    "começa início begint aanvang börjar startar zaczyna rozpoczyna since sinds seit depuis "
    "desde vanaf",
    # (and what is good until a day is what a permit or a card calls valid till then)
    "end ends finish finishes last until expire expires till tot bis jusqu hasta fino até "
    "valid geldig gültig valable válido valido validade giltig ważny expiry endet ende "
    "termina finaliza finisce eindigt slutar kończy",
    "leave leaves depart departs departure departing abfahrt départ salida partenza partida "
    "vertrek vertrekt avgång avgår odjazd",
    # and a delivery, as other languages name it ("entrega", "livraison"; English "delivered"
    # may be a delivery already made)
    "arrive arrives arrival arriving llega llegar llegada entrega ankunft ankommen kommt "
    "lieferung arrivée livraison arrivo arriva consegna chegada chega aankomst levering eta "
    "bezorging ankomst leverans dostawa przyjazd",
    # what is owed is what a bill calls due, outstanding or its balance
    "owe owes owed owing due outstanding",
    # the day a thing must be done by, as bills and forms label it
    "due deadline scadenza scade fällig fälligkeit vencimiento vence échéance prazo "
    "vencimento vervaldatum förfallodag förfaller termin "
    # and what says "at the latest" in one word ("uiterlijk 3 mei", "spätestens am 2.")
    "uiterlijk spätestens senast senest najpóźniej nejpozději",
    # bringing a thing back is what a rental or a loan calls its return
    "back return returns returned returning rückgabe retour devolución devolver "
    "restituzione terugbrengen inleveren återlämning zwrot",
    # a place in a queue is what a waiting list calls one's position
    "position place plek plaats positie platz posizione posición posição plats miejsce",
    # paying is what a statement calls a payment or a payout
    "pay pays paying paid payment payments payout payouts autopay betalen betaling betala "
    "betalning zapłata płatność paiement payé payée versé versée versement virement viré "
    "zahlung gezahlt bezahlt überwiesen überweisung pago pagado pagada pagamento pagato pago",
    # the day a bill is taken from the account, as statements label it ("Fecha de cobro")
    "charge charged charging cobro cobran cobrar cobrado cargo abbuchung abgebucht "
    "prélèvement prélevé addebito addebitato cobrança debitado",
    # what was okayed is what a claim or a request calls approved ("Approved amount")
    "approve approved approves approval okay okayed ok authorised authorized authorisation "
    "authorization granted genehmigt bewilligt approuvé approuvée accordé aprobado aprobada "
    "approvato approvata aprovado aprovada goedgekeurd toegekend godkänd godkendt beviljad "
    "zatwierdzony zatwierdzona przyznany schváleno schválený",
    # a decision contested is what a notice calls an objection or an appeal
    "appeal appeals contest dispute object objection objections einspruch anfechten "
    "anfechtung widerspruch recours contester contestation réclamation ricorso reclamo "
    "recurso reclamación impugnar impugnação bezwaar beroep överklaga överklagande klage "
    "odwołanie odvolání námitka",
    # a number is written short on a form ("Rechnungs-Nr.", "n° de dossier")
    "nummer nr numéro numero número núm num nº",
    # the wireless network a place offers, as its pages name it
    # ("Wi-Fi" is read as "wifi" too: ``stems``)
    "wifi wireless wlan ssid",
    # a thing checked over is what a lease or a garage calls its inspection
    "inspect inspects inspected inspection prüfung inspektion contrôle inspección revisión "
    "ispezione revisione inspeção vistoria keuring inspectie besiktning kontrola przegląd "
    "prohlídka",
    # a sum asked for is what a screen labels its total
    "total totals totale sum sums summe somam soma suman suma somme insgesamt gesamt "
    "altogether overall totaal totalt razem łącznie sumie whole entire together combined "
    "zusammen ensemble juntos insieme samen tillsammans sammanlagt sammenlagt dohromady "
    "celkem celkom",
    # what is expected is what an app shows as projected, forecast or estimated
    "expect expects expected expecting projected projection forecast forecasted "
    "estimate estimated estimation eta prognose prognostiziert voraussichtlich prévu prévision "
    "estimé previsto prevista estimado estimativa verwacht geschat beräknad prognos "
    "szacowany prognoza roughly approximately approx ungefähr environ aproximadamente "
    "circa ongeveer ungefär",
    # needing to is what a page calls necessary or required ("Não é necessário levar nada")
    "need needs needed necessary required nötig notwendig erforderlich besoin nécessaire "
    "necesario necesaria necesito necesitaba necessario necessaria bisogna precisa preciso "
    "precisava necessário nodig noodzakelijk behöver nödvändig potrzeba wymagane",
    # the space a thing takes is its size, as "du" and file managers give it
    "space size sized storage disk usage big bigger biggest large larger largest",
    # being let in is what a ticket calls its doors or entry
    "let doors admission einlass entrée ouverture apertura puertas portas",
    # the most and the least allowed, as settings write them short ("ttl_max")
    "maximum max maximal höchstens máximo massimo maximo maximaal maxi",
    "minimum min minimal mindestens mínimo minimo minimaal mini least",
    # a sum with its tax is what a quote or a bill calls gross
    "gross brutto mehrwertsteuer mwst ttc tva iva moms btw",
    # what is broken is what a report calls defective or faulty
    "broken broke kaputt defekt defective faulty fault defect panne cassé rotto guasto roto "
    "averiado avariado quebrado stuk defect trasig sönder zepsuty",
    # what was wrong is what a device or a report calls its error or fault
    "problem problems issue error errors fault faults failure trouble fehler störung "
    "problème erreur problema errore falla erro fout storing fel błąd awaria",
    # paying by itself is what a bill calls autopay or a direct debit's agreement
    "automatically automatic autopay autogiro automatisch automatique automático automatico "
    "automatisk automaticky vanzelf",
    # blood drawn is what a lab's report calls collected
    "drawn draw collected collection",
    # collecting a parcel or a loan is what a notice calls its pickup
    "collect collects collecting pickup abholen abholung abholbereit retrait retirer "
    "recogida recoger ritiro ritirare retirada retirar afhalen ophalen hämta hämtas "
    "upphämtning odbiór odebrać",
    # what is planned is what a status page or a calendar calls scheduled
    "planned plan scheduled schedule geplant programado programmato gepland planerad",
    # making the call is what a thread writes as its decision
    "call decision decided decide decides verdict entscheidung décision decisión decisione "
    "decisão besluit beslut decyzja",
    # logs kept are what a service's settings call their retention
    "keep keeps kept retain retains retained retention aufbewahrung conservation",
    # a month is written short on a dense screen ("Forecast for Dec")
    "january jan", "february feb", "march mar", "april apr", "june jun", "july jul",
    "august aug", "september sep sept", "october oct", "november nov", "december dec",
    # and so is a weekday, down to two letters in a timetable ("Th 2:05PM")
    "monday mon mo", "tuesday tue tues tu", "wednesday wed we", "thursday thu thur thurs th",
    "friday fri fr", "saturday sat sa", "sunday sun su",
)
_MEASURE_FAMILIES = [frozenset(stem(w) for w in text.split()) for text in _MEASURE_FAMILY_TEXT]
#: "By when …", "Entro quando …", "Bis wann …": the question asks a deadline, which a
#: screen labels "due" or "Scadenza" though the question does not say so.
_BY_WHEN = re.compile(r"\b(?:by|until|till) when\b|\bentro quando\b|\bbis wann\b|"
                      r"\bat[ée] quando\b|\bhasta cu[áa]ndo\b|\bjusqu'(?:à|a) quand\b|"
                      r"\bd'ici quand\b|"
                      # "Até que dia …", "Until what day …", "Jusqu'à quel jour …"
                      r"\b(?:until|till|by) (?:what|which) (?:day|date)\b|"
                      r"\bat[ée] (?:que|qual) (?:dia|data)\b|\bhasta qu[ée] (?:d[íi]a|fecha)\b|"
                      r"\bjusqu'(?:à|au|a) quel(?:le)? (?:jour|date)\b|"
                      r"\bentro (?:che|quale) (?:giorno|data)\b|\bbis (?:zu )?welchem (?:tag|datum)\b|"
                      r"\btot welke (?:dag|datum)\b|\b(?:till|fram till) vilke[nt] (?:dag|datum)\b|"
                      r"\bdo kt[óo]rego dnia\b|"
                      # "When do I have to bring it back", "when must it be returned"
                      r"\bwhen\b.*\b(?:(?:have|has|need|needs) to|must|should)\b|"
                      # "What date does it have to be fixed by?", "tot wanneer", "do kiedy"
                      r"\bby\W*$|\btot wanneer\b|\bdo kiedy\b", re.I)
_DEADLINE = {stem("due")}
#: The deed a deadline is for, asked in the passive ("have to be paid", "must be
#: returned"): a page states it done in the same form ("paid 3 Oct"), and due in others
#: ("Pay by …", "Return by …").
_DUE_DEED = re.compile(r"\b(?:(?:(?:have|has|need|needs) to|must|should)\s+be|"
                       # and in the other languages, the verb after "have to" ("Até que dia
                       # eu tenho que pagar …"): a page says "Paga em …" of a payment made
                       r"(?:tenho|tem|temos|tengo|tiene|tenemos|hay) que|devo|deve|debo|debe|"
                       r"dois|doit|muss|moet|måste|musz[ęe])\s+(\w+)", re.I)
_DEADLINE_FAMILY = next(f for f in _MEASURE_FAMILIES if stem("deadline") in f)
#: A span's two ends: asked until when, a value labelled "since" is the other end.
_START_FAMILY = next(f for f in _MEASURE_FAMILIES if stem("start") in f)
#: The most and the least allowed.
_EXTREMES = (next(f for f in _MEASURE_FAMILIES if stem("maximum") in f),
             next(f for f in _MEASURE_FAMILIES if stem("minimum") in f))


def _sides(key: set[str], one: frozenset[str], other: frozenset[str]
           ) -> tuple[frozenset[str], frozenset[str]]:
    """Of two opposite word families (an end and a start, the most and the least), the one
    the question's ``key`` asks and the other's own words; two empty sets when it asks
    neither or both."""
    for asked, rest in ((one, other), (other, one)):
        if key & asked and not key & rest:
            return asked, rest - asked
    return frozenset(), frozenset()
_END_FAMILY = next(f for f in _MEASURE_FAMILIES if stem("until") in f)


def _compounds(words: list[str], text: str) -> tuple[set[str], set[str]]:
    """The stems of the compounds among ``words`` that share a part with a word of
    ``text``, and the stems of those words of ``text``."""
    if not words:
        return set(), set()  # a question in English: no regex over every span
    met = compounds_met(words, re.findall(r"[^\W\d_]+", text.lower()))
    return {stem(w) for w in met}, {stem(t) for found in met.values() for t in found}


_SHORT_STEM = 4


def _shortened(key: set[str], words: set[str]) -> set[str]:
    """The key words a span writes shortened or in full where the question has the other
    ("chem" for "Chemistry", "repo" for "repository"): they count at a lent word's weight."""
    short = {w for w in words if len(w) == _SHORT_STEM and w.isalpha()}
    return {k for k in key if k.isalpha() and (
        len(k) > _SHORT_STEM and k[:_SHORT_STEM] in short
        or len(k) == _SHORT_STEM and any(w != k and w.startswith(k) for w in words))}


def _measured(words: AbstractSet[str], key: AbstractSet[str], families: list[frozenset[str]]
              ) -> set[str]:
    """The question's measure words that ``words`` say in another form ("deepest" for
    "deep")."""
    return {w for family in families if family & words for w in family & key}


#: The first figure of a range ("18–" of "18–21 °C"): the range is in its second's measure.
_RANGE_START = re.compile(r"^\d+(?:[.,]\d+)?\s?[–-]\s?(?=\d)")
#: What a span loses when its figures are all in another measure than the one asked.
OTHER_MEASURE_PENALTY = 0.25


_BARE_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")
#: Where a field's label ends, looking back from its value.
_FIELD_START = re.compile(r"[;|\n]")


def _unit_labelled(value: Value, text: str, measure: re.Pattern[str]) -> bool:
    """Is ``value`` a bare figure whose label names the unit asked for ("keep_days =
    30", "Duration (min): 25", "Group size | 4" asked how many people)?"""
    if not _BARE_NUMBER.match(value.text):
        return False
    before = text[max(0, value.start - 40):value.start]
    label = next((part for part in reversed(_FIELD_START.split(before)) if part.strip()), "")
    # a unit's symbol ("s", "h") names it only right after the figure: as a label it is
    # any letter ("{n+=$2}")
    return any(measure.match(f"{value.text} {word}")
               for word in re.findall(r"[^\W\d_]{3,}", label)[-3:])


def _measure(q: Question) -> re.Pattern[str] | None:
    """The units of the measure a quantity question asks for, or the shape of the code or
    name asked for; None when the question names neither."""
    if q.type is AnswerType.QUANTITY:
        return next((unit for asks, unit in _MEASURES if asks.search(q.text)), None)
    if q.type in (AnswerType.IDENTIFIER, AnswerType.ITEM):
        return next((shape for asks, shape in _SHAPES if asks.search(q.text)), None)
    return None


#: Words that end the name of a place, a company or a thing, not of a person.
_NOT_PERSON_TAIL_TEXT = (
    "time street st road rd avenue ave lane way drive heights park square station airport "
    "hotel restaurant clinic hospital bank group logistics inc ltd llc gmbh ag sa corp "
    "company co university school college books store shop market center centre office "
    "department team services solutions systems labs studio cafe bar hall room building "
    "tower house museum library church city county state lake river mountain beach island "
    "valley issues requests settings actions wiki code review flow"
)
_NOT_PERSON_TAIL = frozenset(_NOT_PERSON_TAIL_TEXT.split())
_CALENDAR_WORDS = frozenset([*(name[:3] for name in WEEKDAYS), *MONTHS])
#: What comes before the first word of a sentence or a cell (a field's value, after its
#: colon, may well be a single name: "Grill: Mateus").
_OPENING = re.compile(r"(?:^|[.!?·|;—–•>]|\s-)\s*$")


#: A figure after a word, not a clock time ("Nadia 10:15" is a chat's author and time).
_NUMBERED = re.compile(r"\s+(?!\d{1,2}[:.]\d{2}\b)[^\s\d]{0,3}\d")


#: What makes the word before it a field's label: a colon, after at most two lower-case
#: words ("Monthly rent:"), not a verb of saying ("Ana wrote:" quotes a person).
_LABEL_AFTER = re.compile(r"(?:\s+(?!(?:wrote|writes|said|says|asked|replied)\b)[a-z]+){0,2}:\s")


#: A field's value opening after its label's colon, and a lower-case word after it: the
#: value is a sentence ("Keynote: Software that ages well"), not a name ("Grill: Mateus").
_FIELD_OPENING = re.compile(r":\s*$")
_LOWER_AFTER = re.compile(r"\s+[a-z]")
#: One word after "in", "at" or "on" names a place or an app ("planning in Calendar").
_WHERE_BEFORE = re.compile(r"\b(?:in|at|on|into)\s+$")
#: A place's or a firm's kind written before its name, in the question languages
#: ("Cabinet dentaire Morel", "Clínica Sol"): the name after
#: it is the place's.
_ORGANISATION_TEXT = (
    r"cabinet|clinique|clinic|cl[íi]nica|praxis|pharmacie|pharmacy|apotheke|farmacia|"
    r"farm[áa]cia|apteka|apotek|apotheek|hotel|h[ôo]tel|restaurant|ristorante|caf[ée]|"
    r"studio|centre|center|centro|zentrum|centrum|maison|salon|garage|boutique|librairie|"
    r"bakery|boulangerie|b[äa]ckerei|gym|school|[ée]cole|schule|escuela|scuola")
_ORGANISATION_BEFORE = re.compile(rf"\b(?:{_ORGANISATION_TEXT})(?:\s+[a-zà-ÿ][\w-]*)?\s+$",
                                  re.I)
_ORGANISATION_HEAD = re.compile(rf"(?:{_ORGANISATION_TEXT})\b", re.I)
#: A street's name and a comma before a word: the word is the street's town ("12 Haute
#: Street, Montclair").
_STREET_BEFORE = re.compile(r"\b(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|way|rue|"
                            r"stra(?:ß|ss)e|str|calle|via|cours|boulevard|bd|avenida|laan|"
                            r"gatan|ulica|ul)\.?,\s*$", re.I)


#: What stands before and after a value that is a whole cell, field or line of its own.
_CELL_BEFORE = re.compile(r"(?:^|[:;|\n])\s*$")
_CELL_AFTER = re.compile(r"\s*(?:$|[;|\n])")


def _counts(value: Value, text: str, counted: set[str]) -> bool:
    """Is ``value`` a count of what "how many …" asks for: in its unit ("4120 rows") or
    under its field's label ("Seats used: 6"), as the field's first figure (in "My
    tickets: Sat, Oct 17 · Sec 114", 114 is a section's)?"""
    if counted & stems(value.text):
        return True
    label = _field_label(value, text, 0)
    if label is None or not counted & stems(label):
        return False
    before = text[:value.start]
    return not _FIGURE.search(before[before.rfind(label) + len(label):])


def _person_like(value: Value, text: str, *, known: bool = True, foreign: bool = False) -> bool:
    """Could ``value`` name a person? Not a place or company ("Harbour Heights", "Acme
    Logistics"), a day or a month ("Thu", "Sat Aug"), with ``known`` one word that is no
    known given or family name ("a Sprintly board"; with ``foreign``, text in another
    language, several: "Offene Fragen"), a label ("Agenda:", "Monthly rent:"),
    a word with its number ("Apt 5B"), one word where a place would stand ("in Calendar"),
    or one capitalised word that merely opens a sentence or a cell ("Rewrite pricing page
    …", "Keynote: Software that …")."""
    words = value.text.split()
    last = words[-1].lower().strip(".,")
    if last in _NOT_PERSON_TAIL or last in _CALENDAR_WORDS:
        return False
    if (_ORGANISATION_HEAD.match(value.text) or _ORGANISATION_BEFORE.search(text, 0, value.start)
            or _STREET_BEFORE.search(text, 0, value.start)):
        return False  # a practice's name, a clinic, the town after a street
    if known and (len(words) == 1 or foreign) and not any(
            is_known_name(part) for word in words for part in word.split("-")):
        # in German every noun is capitalised: "Offene Schnittstellen" names no one
        return False
    if len(words) > 1:
        return True
    before = text[: value.start]
    return not (_NUMBERED.match(text, value.end) or _LABEL_AFTER.match(text, value.end)
                or _OPENING.search(before) or _WHERE_BEFORE.search(before)
                # one capitalised word after an article is a title's ("The Long Tail of …")
                or _ARTICLE_BEFORE.search(before)
                or _FIELD_OPENING.search(before) and _LOWER_AFTER.match(text, value.end))


_ARTICLE_BEFORE = re.compile(r"\b(?:the|a|an)\s+$", re.I)
#: A user name's first word, then a part joined by "-", "_" or "." (how many: the
#: quantifier written after it).
_HANDLE_TEXT = r"@?[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)"
#: A user name as forges and chats write it ("ana-lima", "@ptak", "j.doe").
_HANDLE = re.compile(_HANDLE_TEXT + "*")
#: A name of words joined as a handle's are ("ledger-sync", "api_gateway"): no label.
_JOINED_LABEL = re.compile(_HANDLE_TEXT + "+")
#: A host's name, parted by two dots or more ("db-4.lan.example"): nobody's user name.
_HOST_NAME = re.compile(r"[^.\s]+(?:\.[^.\s]+){2,}")
#: A field holding one word: "Owner: jdoe".
_ONE_WORD_FIELD = re.compile(r"^(?P<label>[^:;|\n]{2,40}):\s+(?P<value>\S+)$")


#: "for", in the question languages: whom a booking or a service is for.
_FOR_WORDS = r"(?:for|pour|für|fur|para|per|voor|för|dla)"
_FOR_WHOM = re.compile(r"\bfor whom\b|\bwho\b.*\bfor\W*$|\bpour qui\b|\bfür wen\b|"
                       r"\bpara qui[ée]n\b|\bper chi\b|\bvoor wie\b|\bför vem\b|\bdla kogo\b",
                       re.I)
_FOR_BEFORE = re.compile(rf"\b{_FOR_WORDS}:?\s+$", re.I)
#: A page greeting the one signed in ("Hi Dana!", "Welcome back, Dana", "Merci Dana, …"):
#: the name after it is the user's own.
_GREETING = (r"\b(?:hi|hello|hey|welcome(?: back)?|good (?:morning|afternoon|evening)|dear|"
             r"thanks|thank you|merci|bonjour|bonsoir|salut|hallo|willkommen(?: zur[üu]ck)?|"
             r"guten (?:tag|morgen|abend)|hola|bienvenid[oa]s?|gracias|ol[áa]|obrigad[oa]|"
             r"bem-vind[oa]|ciao|salve|benvenut[oa]|grazie|hej|hejsan|v[äa]lkommen|tack|hoi|"
             r"welkom|bedankt|dank je|cze[śs][ćc]|witaj|dzie[ńn] dobry|dzi[ęe]kujemy)\b,?\s+")
#: A question about the one a thing is in the name of: there the user's own name answers.
_HOLDER_ASKED = re.compile(r"\b(?:name[ns]?|namn|naam|nom|nombre|nome|nazwisk\w*|holder|"
                           r"inhaber\w*|titulaire|titular|intestat\w*)\b", re.I)


def _names_asker(name: str, q: Question) -> bool:
    """Is ``name`` one the question names ("Ilse" or "Ilse Brandvold" asked "Who did Ilse
    ask to review it?"): the one asked about is not the answer."""
    first = name.split()[0].lower() if name.split() else ""
    return any(first == n.lower() or name.lower() == n.lower() for n in q.names)


def _labelled_handles(text: str, below: SourceLine | None, key: set[str]) -> list[Value]:
    """A user name standing alone under or after a label naming what is asked ("Who is
    assigned …" / "Assignees" over "ana-lima"): forges and chats name people by
    handles, lower-case, which only their label shows to be a person. ``text`` is a span,
    ``below`` the line joined under its label line, if any."""
    if below is not None:
        label, value = text[: len(text) - len(below.text) - 1], below.text.strip()
    else:
        m = _ONE_WORD_FIELD.match(text.strip())
        if not m:
            return []
        label, value = m["label"], m["value"]
    if not _HANDLE.fullmatch(value) or not _stems_meet(stems(label), key) or (
            stems(value) & key) or is_plain_word(value, dictionary=True) or (
            _JOINED_LABEL.fullmatch(label.strip()) or _HOST_NAME.fullmatch(value)):
        return []  # (a name is none of the question's words: "disk_usage_ratio" asked
        # who acknowledged the disk usage alert; nor an everyday word, as a job's step is
        # named: "compile" under the pipeline asked about; and a name over it is another
        # thing's, no label: "ledger-sync" over its runner "shared-amd64"; nor a host, a
        # restore's target under "Restore to": "db-4.lan.example")
    start = text.rindex(value)
    return [Value(start, start + len(value), value)]


#: A forge's or a chat's event line: a user name, then the deed it did ("ana-lima ✓
#: approved these changes", "j.doe requested changes Nov 17").
_ACTING_HANDLE = re.compile(r"^\W{0,3}(?P<handle>@?[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)+)[\s\W]{1,6}?"
                            r"(?P<deed>[a-z]+ed|left|wrote|made|gave|took|sent|set)\b"
                            r"(?P<rest>(?:\s+[a-z]+){0,3})", re.M)


def _acting_handles(text: str, key: set[str]) -> list[Value]:
    """The user names that did a deed the question names, written before it at a line's
    start: "Who asked for changes …" is answered by "j.doe requested changes"."""
    return [Value(m.start("handle"), m.end("handle"), m["handle"])
            for m in _ACTING_HANDLE.finditer(text)
            if stems(f"{m['deed']} {m['rest']}") & key and not stems(m["handle"]) & key]


def _person(value: Value, text: str, asked: set[str], *, known: bool,
            foreign: bool = False, lang: str = "en") -> Value | None:
    """``value`` as a person's name, or None. A name is none of the question's words: at
    its ends they are cut ("Ana Ruiz Fix" asked who fixed it is Ana Ruiz), inside it they
    make it none ("Clinique Dentaire Nord" asked "who is the dentist"). With ``known``, in
    running text (not a cell or a field of its own, which may name a company), so are
    everyday words that are no names ("Odile Said Bakery" is Odile Said; "Studio Renovated"
    is no one, nor is a run of mostly such words), and what is left must be
    ``_person_like``. A cell of one everyday word of the question's language (``lang``) is
    no one ("Synthèse: Paramètres")."""
    words = list(re.finditer(r"\S+", value.text))
    whole = _whole_cell(value, text)

    def cut(word: re.Match[str]) -> bool:
        return stem(word.group(0).lower().strip(".,:;")) in asked or (
            known and not whole and word.group(0)[0].isupper() and is_plain_word(word.group(0)))

    said = [cut(w) for w in words]
    if 2 * sum(said) > len(said) or len(said) > 3 and 2 * sum(said) == len(said):
        return None  # mostly everyday words: "Western Asia Summer Time"
    while said and said[0]:
        words, said = words[1:], said[1:]
    while said and said[-1]:
        words, said = words[:-1], said[:-1]
    if not words or any(said):
        return None
    if len(words) == 1 and is_plain_word(words[0].group(0), lang):
        return None  # a cell of one everyday word ("Logs: Outages", "Approved") is no one
    start, end = words[0].start(), words[-1].end()
    kept = Value(value.start + start, value.start + end, value.text[start:end])
    return kept if _person_like(kept, text, known=known and not _whole_cell(kept, text),
                                foreign=foreign) else None


def _whole_cell(value: Value, text: str) -> bool:
    return bool(_CELL_BEFORE.search(text[:value.start]) and _CELL_AFTER.match(text, value.end))


#: "What is the name of the ferry …": a name asked for that need not be a person's.
_NAME_OF = re.compile(r"\bname of\b", re.I)


#: A range asked for: "What salary range …", "la fourchette de prix", "between what …".
_RANGE_ASKED = re.compile(r"\b(?:range|bracket|between|spanne|fourchette|rango|intervallo|"
                          r"forbice|faixa|bandbreedte|spann|przedzia\w*)\b", re.I)
#: What joins a range's two ends: "$70,000 – $85,000", "40 to 60 €".
_RANGE_JOINT = re.compile(r"\s*(?:[–—-]|to|bis|à|a|al|tot|till|do)\s*$", re.I)


#: "Where do the backups get sent", "Where did I save the export": a machine's or a file's
#: address answers.
_SENT_WHERE = re.compile(r"^\W*where\b.*\b(?:sen[dt]|sends|upload\w*|stor(?:e|ed|es)|sav(?:e|ed|es)|"
                         r"writ(?:e|es|ten)|wrote|back(?:ed)? up|cop(?:y|ied|ies)|sync\w*|"
                         r"push\w*|archiv\w*|put|kept|keep|dump\w*|export\w*|mount\w*)\b",
                         re.I)
#: An address of a machine or a file: a URL of any scheme, a path, "host:/path", a path
#: relative to where a command ran ("media/disk-2/old/notes.tar.gz": a name, then two
#: folders or one folder and a file with its extension).
_STORE_ADDRESS = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s'\"<>|]+|(?<![\w./~-])~?/[\w.@%+~-]+"
                            r"(?:/[\w.@%+~-]*)+|\b[\w.-]+\.[a-z]{2,}:/[\w./@%+~-]+|"
                            r"(?<![\w./~:@-])[A-Za-z_.][\w.-]*(?:(?:/[\w.@%+~-]+){2,}|"
                            r"/[\w@%+~-][\w.@%+~-]*\.[a-z][a-z0-9]{1,4}\b)")


_ADDRESS_ASKED = re.compile(r"\b(?:address|adresse|anschrift|direcci[óo]n|indirizzo|"
                            r"endere[çc]o|morada|adres|adress|adresie?)\b", re.I)


#: A sum paid ahead to hold a booking or a flat, in the question languages.
_DEPOSIT_WORDS = (r"deposits?|down\s?payment|anzahlung|kaution|acompte|arrhes|dep[óo]sito|"
                  r"se[ñn]al|fianza|caparra|acconto|aanbetaling|borg|handpenning|deposition|"
                  r"zaliczka|kaucja|sinal|z[áa]loha")
_DEPOSIT = re.compile(rf"\b(?:{_DEPOSIT_WORDS})\b", re.I)
#: The deposit's word labelling the amount after it: "Deposit of", "Anzahlung:".
_DEPOSIT_BEFORE = re.compile(rf"\b(?:{_DEPOSIT_WORDS})\b[^\d\n|;·€$£¥]{{0,16}}$", re.I)


def _typed_values(text: str, q: Question, when: datetime | None,
                  asked: set[str]) -> list[Value]:
    """The values answering ``q``'s type; a "when" question is answered by the date with
    the time written right after it, or by a time alone where the span holds no date; a
    person is named without the question's own words (``asked``)."""
    kind = q.type
    found = values(text, kind, when)
    if kind is AnswerType.PLACE and _SENT_WHERE.search(q.text):
        # where a thing is sent, stored or written: an address of a machine or a file
        # ("rsync://vault.example/backups", "/mnt/usb/archive") is the place
        found = sorted(found + [Value(m.start(), m.end(), m[0].rstrip(".,;:"))
                                for m in _STORE_ADDRESS.finditer(text)
                                if not any(f.start < m.end() and m.start() < f.end
                                           for f in found)], key=lambda v: v.start)
    if kind is AnswerType.PLACE and _ADDRESS_ASKED.search(q.text):
        # asked an address: a shop's or a clinic's name is where, not its address
        found = [v for v in found if not VENUE.fullmatch(v.text)]
    if kind in (AnswerType.QUANTITY, AnswerType.MONEY) and found:
        # the figures of a command are its code ("awk '{s+=$3}'", "tail -n 12"), no answer
        # nor is the number of a numbered command ("4. du -sh …")
        code = values(text, AnswerType.COMMAND)
        found = [v for v in found if not any(c.start <= v.start < c.end
                                             or 0 < c.start - v.end <= 3 for c in code)]
    if kind is AnswerType.MONEY and not _DEPOSIT.search(q.text):
        # a sum paid ahead to hold a booking is not what the thing costs ("Deposit of
        # £40.00 required", asked what the treatment costs)
        found = [v for v in found if not _DEPOSIT_BEFORE.search(text, max(0, v.start - 40),
                                                                v.start)]
    if kind in (AnswerType.MONEY, AnswerType.QUANTITY) and _RANGE_ASKED.search(q.text):
        found = join_pairs(text, found, _RANGE_JOINT)  # read as one range
    if kind is AnswerType.PERSON:
        known = not _NAME_OF.search(q.text)
        return [p for v in found
                if (p := _person(v, text, asked, known=known, foreign=q.foreign,
                                 lang=q.lang)) is not None]
    if kind is not AnswerType.DATE:
        return found
    # "23.49" is as likely an amount as a time: only a colon or an "h" time answers "when"
    times = [t for t in values(text, AnswerType.TIME) if "." not in t.text.split()[0]]
    if not found:
        # no day written: a time of day, else a rough "a few years ago" (stated as said)
        return times or [Value(a, b, text[a:b]) for a, b in vague_when(text)]
    joined = []
    for day in found:
        after = [t for t in times if 0 <= t.start - day.end <= _DATE_TIME_GAP
                 # (not the next sentence's time: "… 21 Sep 1987. From 00:05 on …")
                 and not re.search(r"[\n;]|[.!?]\s*[A-Z]", text[day.end:t.start])]
        if after and day.end > 0:
            joined.append(Value(day.start, after[0].end, f"{day.text} {after[0].text}"))
        else:
            joined.append(day)
    return joined


def _turn_day(source: Source, span: SourceLine) -> Value | None:
    """The day a conversation turn names, relative to its own date, in a sentence before
    ``span`` ("Last night was amazing! We celebrated her birthday …"): what the turn goes
    on to tell happened then. None for a screen memory, or when no such sentence does."""
    if not source.speaker or source.when is None or span not in source.lines:
        return None
    day = None
    for line in source.lines[:source.lines.index(span)]:
        found = [d for d in find_dates(line.text, source.when) if d.relative
                 and d.value.day is not None and not d.value.relation]
        day = found[-1].value if found else day
    return Value(0, 0, day.text()) if day is not None else None


def _memory_day(source: Source) -> Value | None:
    if source.when is None:
        return None
    day = DateValue(source.when.year, source.when.month, source.when.day)
    return Value(0, 0, day.text())


#: The thing a question asks for, right after its question word: "What license …",
#: "At what altitude …", "Who is the landlord …", "Who organizes …".
_ASKED_THING = re.compile(
    r"^\W*(?:(?:at|in|on|of|for|to|from|by|with)\s+)?(?:what|which|who|whom)\b"
    r"(?:\s+(?P<aux>is|was|are|were|has|have|had|will|does|did|do)\b)?"
    r"(?:\s+(?P<det>the|my|our|your|his|her|their|a|an)\b)?\s+(?P<thing>[\w-]+)", re.I)
#: The same in the other question languages: "Qui est le maire …", "Quelle est la population
#: …", "Wer ist der Vermieter …", "¿Cuál es el número …", "Chi è il medico …".
_FOREIGN_ASKED_THING = re.compile(
    r"^\W*(?:qui|quel(?:le)?s?|wer|was|welche[rsnm]?|qui[eé]n(?:es)?|cu[aá]l(?:es)?|qu[eé]|"
    r"chi|qual(?:e|i)?|quem|quais|wie(?=\s+(?:lautet|hei(?:ß|ss)t)\b))\s+"
    r"(?:(?:est|sont|ist|sind|es|son|[eè]|é|são|sono|lautet|hei(?:ß|ss)t)\s+"
    r"(?P<det>(?:le|la|les|der|die|das|den|el|los|las|il|lo|gli|o|a|os|as|mon|ma|mes|mein|"
    r"meine|meinen|mi|mis)\s+|l['’]|dell['’])?)?(?P<thing>[^\W\d_][\w-]*)", re.I)
_NUMBER_ASKED = re.compile(r"\b(?:number|num[ée]ro|n[úu]mero|numer|nr|no)\b|nummer\b", re.I)
_HOW_MANY = re.compile(r"^\W*how many\s+(?:more\s+|additional\s+|extra\s+|other\s+)?"
                       # the words naming it, up to the verb ("tide-gauge readings got …")
                       r"(?P<thing>[\w-]+(?:\s+(?!(?:is|are|was|were|do|does|did|have|has|had|"
                       r"will|would|can|could|should|must|got|get|gets|in|on|at|of|for|to|"
                       r"from|by|i|we|you|they|he|she|it|my|our|the|there|left|still|"
                       r"remain|remaining)\b)[\w-]+){0,2})", re.I)
#: A figure in a unit of measure ("25 mg", "3 kg", "41%"): a measurement, no count of things.
_MEASUREMENT = re.compile(r"^\d+(?:[.,]\d+)?\s?(?:mg|mcg|µg|g|kg|lbs?|oz|ml|l|mm|cm|m|km|mi|%|"
                          r"[KMGT]i?B|°\s?[CF]?)$", re.I)
#: A compound naming a code in the question's language ("Bestellnummer", "Mitgliedsnummer").
_FOREIGN_CODE_WORD = re.compile(r"(?:nummer|nr|kennung|referenz|code)$", re.I)
#: Fewest letters before the code word of a compound that names a field of its own.
_COMPOUND_HEAD = 3
#: "Who has to approve …", "Who must sign …": a duty names the role that holds it
#: ("Approver", "Signatory"), not a deed done.
_WHO_MUST = re.compile(r"^\W*who\s+(?:(?:has|have|needs?|is|are|was)\s+to|must|should|"
                       r"shall)\s+(?P<deed>[a-z]{3,})\b", re.I)
_NOT_THING_TEXT = "is was are were has have had will does did do of in on at for to from by with and or"
_NOT_THINGS = frozenset(_NOT_THING_TEXT.split()) | _QUESTION_WORDS


def _asked_thing(q: Question) -> set[str]:
    if q.foreign:
        found = _FOREIGN_ASKED_THING.match(q.text)
        thing = found["thing"].lower() if found else ""
        if not thing or thing in FOREIGN_STOPWORDS or (
                q.type is AnswerType.PERSON and found and not found["det"]):
            return set()  # "Wer hat …", "Qui a réparé …" name a deed, as in English
        return stems(thing) - stems(_TYPE_WORD_TEXT)
    duty = _WHO_MUST.match(q.text)
    if duty and q.type is AnswerType.PERSON:
        return stems(duty["deed"]) - stems(_TYPE_WORD_TEXT)  # the approver approves
    m = _ASKED_THING.match(q.text)
    if not m or m["thing"].lower() in _NOT_THINGS:
        return set()
    if q.type is AnswerType.PERSON and not m["det"] and not (
            m["aux"] and m["thing"].lower().endswith("ed")):
        return set()  # "Who opened …" names a deed, which a button may name too; "who is
        # the landlord" and "who is assigned" name a role
    return stems(m["thing"]) - stems(_TYPE_WORD_TEXT)


def _focus(q: Question) -> set[str]:
    """The words naming the asked value ("booking reference", "seat"): a span holding them
    beats one that only shares the question's other words."""
    if q.type is AnswerType.MONEY:
        return stems(_MONEY_WORDS)
    if q.type in (AnswerType.QUANTITY, AnswerType.ITEM, AnswerType.PERSON):
        return _asked_thing(q)
    if q.type is not AnswerType.IDENTIFIER:
        return set()
    if q.foreign:
        # "Wie lautet die Bestellnummer …": the compound naming the code is its field
        found = _FOREIGN_ASKED_THING.match(q.text)
        code = _FOREIGN_CODE_WORD.search(found["thing"]) if found else None
        if found and code and code.start() >= _COMPOUND_HEAD:  # not "Nummer" alone
            return stems(found["thing"])
    phrase = _KEY_PHRASE.search(q.text)
    if not phrase:
        return set()
    return stems(" ".join(w for w in phrase.group(1).split()
                          if w.lower() not in _QUESTION_WORDS))


#: Answer types with no value to look for: the span's words alone say whether it answers.
_WORDS_ONLY = frozenset({AnswerType.DESCRIPTION, AnswerType.YESNO, AnswerType.STEPS})


def _names_in(name: str, text: str) -> bool:
    """Does ``text`` (lower-cased) name ``name``: a route's two ends each where the question
    joins them ("Oslo-Bergen", "Oslo–Bergen" is "Oslo" … "Bergen")?"""
    return name.lower() in text or all(part.lower() in text for part in _ROUTE.split(name))


_ROUTE = re.compile(r"\s?[-–—/]\s?")


#: What a question sets aside: "the final release (not the release candidate)", "the
#: flight out rather than the one back".
_SET_ASIDE = re.compile(r"\((?:but )?(?:not|excluding|except)\s+(?P<bracketed>[^()]{1,60})\)|"
                        r"\b(?:not|rather than|instead of|other than|excluding|except for)\s+"
                        r"(?:the|a|an|my|that|this|those|these)\s+(?P<named>[^,;.?!()]{1,40})",
                        re.I)


def _set_aside(q: Question) -> set[str]:
    """The words of what a question sets aside and says nowhere else: a span holding them
    speaks of the other thing. A yes/no question's "not" asks, it sets nothing aside."""
    if q.type is AnswerType.YESNO:
        return set()
    found = list(_SET_ASIDE.finditer(q.text))
    if not found:
        return set()
    aside = stems(" ".join(m["bracketed"] or m["named"] for m in found))
    rest = stems(_SET_ASIDE.sub(" ", q.text))
    return aside - rest - stems(_TYPE_WORD_TEXT)


def _short_for(word: str, words: AbstractSet[str]) -> bool:
    """Is ``word`` one of ``words`` written short, its opening letters ("req" for request)?"""
    return any(w.startswith(word) and w != word for w in words)


def _written_short(required: AbstractSet[str], written: AbstractSet[str]) -> bool:
    """Does a span write a field the question names short ("req=…" for a request id)?"""
    return any(len(w) >= 3 and w.isalpha() and _short_for(w, required) for w in written)


#: Fields whose values' shape names them: an IP address is four dotted figures.
_FIELD_SHAPES = {"ip": re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])")}


def _shaped(required: AbstractSet[str], text: str) -> bool:
    """Does ``text`` hold a value shaped as the field the question names?"""
    return any(shape.search(text) for word, shape in _FIELD_SHAPES.items()
               if word in required)


#: What a span naming only months other than the one asked gives up.
OTHER_MONTH_PENALTY = 0.1
#: The types of question a weekday named in them narrows to that day's lines.
_DAY_TYPES = frozenset({AnswerType.TIME, AnswerType.PLACE, AnswerType.PERSON,
                        AnswerType.QUANTITY, AnswerType.MONEY})


#: What a "name" made only of everyday words ("Joint Care", "Patient Services") gives up
#: against one holding a name, asked who.
PLAIN_NAME_PENALTY = 0.1


#: "In which laundry room …", "I vilket förråd …", "In welchem Saal …": the kind of
#: place asked, which a screen names with its number or letter ("Förråd 3").
_WHICH_PLACE = re.compile(r"^\W*(?:(?:in|at|on|i|im|en|dans|em|w|nel|nella|a|an|auf|på|op)\s+)?"
                          r"(?:which|what|welche[mnrs]?|welke?|vilken|vilket|quel(?:le)?|"
                          r"qu[ée]|qual(?:e)?|kt[óo]r\w+)\s+(?P<thing>[^\W\d_]{3,})", re.I)
_NUMBERED_THING = re.compile(r"\b(?P<thing>[^\W\d_]{3,})\s+(?:[A-Z]|\d{1,4}[A-Za-z]?)\b")


#: A change written "from X to Y": X is what it was, no longer what it is, unless the
#: question asks what it was before.
_FROM_BEFORE = re.compile(r"\b(?:from|von|de|desde|da|van|från|z)(?:\s+(?:the|der|dem|den|el|la|"
                          r"le|il|lo|het))?\s*$", re.I)
_TO_AFTER = re.compile(r"\s*(?:(?:to|auf|zu|à|a|para|naar|till|na)\b|→|->)", re.I)
def _changed_from(text: str, value: Value, *, arrowed: bool = False) -> bool:
    """Is ``value`` what a change started from ("from 10.0.0.9 to …")? With ``arrowed``
    (a thing that changes asked: a version, an amount, an owner), so is a value an arrow
    leads away from ("api v7.1.4 → v7.1.2", "€49 → €39"); asked a time, a day or a place,
    an arrow is a journey or a stay ("05:47 → 09:55"), whose two ends are both the thing's."""
    if arrowed and _ARROW_AFTER.match(text, value.end):
        return True
    moved = _MOVED_FROM.search(text, 0, value.start)
    if moved and not _TO_WORD.search(moved["between"]):
        return True  # "appointment moved from Jun 3 (5:05 AM – 6:25 AM)", its new time apart
    return bool(_FROM_BEFORE.search(text, 0, value.start) and _TO_AFTER.match(text, value.end)
                and _CHANGE_VERB.search(text, 0, value.start))


#: A thing moved or put off "from" what it was, said just before the value (not a period's
#: start: "from 13 May", nor a route's).
_MOVED_FROM = re.compile(r"\b(?:(?:chang|reschedul|postpon|push|verschob|verleg|d[ée]plac|"
                         r"report[ée]|cambi|spost|posticip|wijzig|verplaats|flytt|przeni|przesun|"
                         r"remarc|adiad)\w*|mov(?:e[ds]?|ing))\s+(?:\w+\s+)?(?:from|von|vom|de|du|"
                         r"desde|da|dal|van|från|z|ze)\s+(?P<between>[^;|:\n→]{0,40})$", re.I)
#: What leads to a change's new value: "from 7:25 to 8:35", "de 7h25 à 8h35".
_TO_WORD = re.compile(r"\b(?:to|auf|zu|nach|à|au|a|al|para|naar|till|na|do|until)\b|→|->", re.I)


#: An arrow after a value, leading to what it became.
_ARROW_AFTER = re.compile(r"\s*(?:→|->|=>|⇒|⟶|➔|➜)\s*\S")
#: What an arrow between two values changes, asked: a name, a code, an amount, a count.
_CHANGING = frozenset({AnswerType.IDENTIFIER, AnswerType.MONEY, AnswerType.QUANTITY,
                       AnswerType.ITEM, AnswerType.PERSON})


#: What says a thing changed (not a period "from 13 May to 2 June", nor a route).
_CHANGE_VERB = re.compile(r"\b(?:chang|updat|mov|switch|rais|increas|reduc|lower|renam|edit|"
                          r"replac|ge[äa]ndert|modifi|cambi|wijzig|[äa]ndr)\w*", re.I)
_ASKS_BEFORE = re.compile(r"\b(?:before|previous|previously|old|original|originally|used to|"
                          r"vorher|avant|antes|prima|voor|innan)\b", re.I)


#: A listing's row ("ls -l", "tar tv"): a date and a time, then a file's name to the end.
_DATE_BEFORE = re.compile(r"(?:\d{4}-\d{2}-\d{2}|[A-Z][a-z]{2}\s+\d{1,2})\s+$")
_LISTED_FILE = re.compile(r"\s+[\w~.-]*[/.][\w./-]*\s*(?:$|\n)")
_FILE_TIME_ASKED = re.compile(r"\b(?:modif|chang|edit|updat|sav|writ|wrote|creat|touch)\w*",
                              re.I)
#: A value's label saying it is the one before ("previous reading", "leitura anterior").
_PREVIOUS_LABEL = re.compile(r"\b(?:previous|prior|vorherige[rsn]?|pr[ée]c[ée]dente?s?|"
                             r"anterior(?:es)?|precedente|vorige|f[öo]reg[åa]ende|forrige|"
                             r"poprzedni[aey]?|p[řr]edchoz[íi])\b[^\d|;]{0,30}$", re.I)

#: What a price is per, besides a month or a year (which is what a plan or a rent costs:
#: "$15.99/mo" is the subscription's price), in the question languages.
_PRICED_UNIT = (r"(?:hours?|hrs?|h|nights?|days?|person|people|head|guests?|adults?|units?|"
                r"items?|pieces?|kg|kilos?|litres?|liters?|seats?|servings?|lessons?|"
                r"sessions?|km|miles?|kwh|stunden?|std|nacht|tag|tage|stück|kopf|heures?|"
                r"nuits?|jours?|personnes?|pièces?|horas?|noches?|noites?|d[íi]as?|personas?|"
                r"pessoas?|unidad(?:es)?|ore|ora|notti|notte|giorn[oi]|uur|dag|persoon)\b")
#: A price per unit after an amount ("@ $18.50/h", "12,40 € pro Stunde", "€ 9 par nuit"):
#: a rate, not what is paid or owed in all ("27,85 € por pagar" is owed: "por" is no "per"
#: before another word).
_PER = r"per|pro|par|por|je|each|a|an|la|le|al"
_PER_UNIT = re.compile(rf"\s?(?:/\s?{_PRICED_UNIT}|(?:{_PER}|the)\s{_PRICED_UNIT}|"
                       r"(?:each|ea\.?)(?!\w|\s+(?:month|year|week)))", re.I)
#: Asked a rate: "how much per night", "what's the hourly rate", "combien par nuit".
_RATE_ASKED = re.compile(rf"\b(?:(?:{_PER})\s{_PRICED_UNIT}|"
                         r"(?:rate|tarif[fa]?|hourly|nightly|daily|each)\b|"
                         r"\ba la (?:hora|noche)|\bà l['’]heure|\ball['’]ora\b)", re.I)
#: A page's copyright line, small print under everything else ("©2031 Ardmore Clinic").
_COPYRIGHT = re.compile(r"^\W{0,3}(?:©|\(c\)\s?(?:19|20)\d\d|copyright\b)", re.I)


#: "Who made the call …", "Who said …": asked the one who said a thing in a chat.
_AUTHOR_ASKED = re.compile(r"^\W*who\s+(?:made|took)\s+the\s+(?:call|decision)\b|^\W*who\s+"
                           r"(?:decided|said|wrote|posted|suggested|proposed|announced|"
                           r"mentioned|reported|replied|called it)\b", re.I)
#: A chat message's header: its author's name and its time ("Ana Ruiz 15:16 (edited)").
_CHAT_HEADER = regex.compile(r"^\W*(?P<name>\p{Lu}[\p{L}'’.]+(?:\s\p{Lu}[\p{L}'’.-]+){0,3})"
                             r"\s+(?:[·•|]\s*)?(?:[01]?\d|2[0-3])[:.][0-5]\d(?:\s?[AaPp]\.?[Mm]\.?)?"
                             r"(?:\s*\(\w+\))?\s*$")
#: What opens a line with a time and is no one's name: a day ("Today 15:16", "Mo 6:40").
_NOT_AUTHOR_TEXT = ("today yesterday tomorrow heute gestern morgen hier aujourd demain hoy ayer "
                    "mañana oggi ieri domani hoje ontem amanhã vandaag gisteren morgen idag igår "
                    "imorgon dzisiaj wczoraj jutro dnes včera zítra mo di mi do fr sa so lu ma me "
                    "je ve mon tue wed thu fri sat sun")
_NOT_AUTHORS = frozenset(_NOT_AUTHOR_TEXT.split())


def _chat_header(text: str) -> regex.Match[str] | None:
    """``text`` as a chat message's header, its author's name and time alone on the line
    ("Ana Ruiz 15:16 (edited)"), not a day and its hours ("Mo-Fr 6:40")."""
    m = _CHAT_HEADER.match(text)
    if m is None:
        return None
    first = m["name"].split()[0].lower().strip(".")
    if first in _NOT_AUTHORS or first in _CALENDAR_WORDS or first in WEEKDAYS or first in MONTHS:
        return None
    return m


#: "Who renamed …", "Who approved …": a deed in the past, asked who did it.
_WHO_DID = re.compile(r"^\W*who\s+(?P<deed>[a-z]+ed)\b", re.I)


#: A technical name joined of parts in lower case, as hosts are named ("fs-ashford-02",
#: "pos_till_3"; not a code in capitals, "PO-7731").
_JOINED_NAME = re.compile(r"(?<![\w-])[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+(?![\w-])")


def _name_parts(text: str) -> set[str]:
    """The parts of the technical names ``text`` writes ("fs", "ashford", "02")."""
    return {part for name in _JOINED_NAME.findall(text) for part in re.split(r"[-_]", name)}


def _initials(q: Question) -> dict[str, set[str]]:
    """The initials of each two or three key words the question says in a row ("fs" for
    "file server", "pos" for "point of sale"), with those words' stems: a host's name is
    often made of them."""
    words = [w for w in q.words if w.isalpha() and len(w) >= 2]
    out: dict[str, set[str]] = {}
    for n in (2, 3):
        for run in zip(*(words[i:] for i in range(n)), strict=False):
            out["".join(w[0] for w in run)] = {stem(w) for w in run}
    # (initials the question writes as a word stand for themselves: "the profile-rename
    # PR" is no "profile rename" in "pr-2211")
    return {short: named for short, named in out.items() if short not in q.words}


#: A reference asked for is what a booking's page may call its confirmation number (one
#: way only: asked a confirmation number, a letter's "ref" is another code).
_REFERENCE = frozenset({"refer", "ref"})
#: (Whole words: their five-letter stems would meet "config" and "confidential".)
_REFERENCE_NAME = re.compile(r"\b(?:confirmation|confirmaci[óo]n|confirma[çc][ãa]o|"
                             r"best[äa]tigungs\w*|buchungsnummer|bevestigings?\w*|"
                             r"bekr[äa]ftelse\w*)\b", re.I)


#: A short word in capitals ("IP", "SSO") is an abbreviation a page need not write ("What
#: is the IP of the mail host" is answered by a DNS table's "A | mail | 192.0.2.8").
_ACRONYM = re.compile(r"[A-Z]{2,3}")


def _candidates(q: Question, sources: Sequence[Source]) -> list[_Candidate]:
    focus = _focus(q)
    # a code's or an amount's name counts wherever it stands in the span; the thing asked
    # for ("What license …") only where it labels the value, before it or in brackets
    # after it: a page's headings name it too ("v1.4.2 Checks 2 failing")
    thing = q.type not in (AnswerType.MONEY, AnswerType.IDENTIFIER)
    # ("number" alone, as in "What number do I call …", says no field: none is asked for)
    field_words = focus - stems(_GENERIC_ID_TEXT) if q.type is AnswerType.IDENTIFIER else set()
    named = set() if q.foreign else stems(" ".join(q.names))
    key = stems(" ".join(q.words)) - named - stems(_TYPE_WORD_TEXT)
    if not key:
        key = stems(" ".join(q.words))
    set_aside = _set_aside(q)
    key -= set_aside
    if q.type is AnswerType.DATE and _BY_WHEN.search(q.text):
        # "by when must it be paid" asks when it is due: a span saying "due" meets it, one
        # that does not loses nothing for it
        unsaid = _DEADLINE - key
        key |= _DEADLINE
        # and the deed that is due is what "due" says: "paid" in "have to be paid" does not
        # make a line stating a payment made ("paid 3 Oct") the deadline
        key -= {stem(m[1]) for m in _DUE_DEED.finditer(q.text)} - _DEADLINE
        deadline = True
    else:
        unsaid = set()
        deadline = False
    leg = _leg(q.text, asked=True) if q.type in (AnswerType.TIME, AnswerType.DATE,
                                                 AnswerType.PLACE) else None
    asks_next = q.type in (AnswerType.DATE, AnswerType.TIME) and bool(_NEXT.search(q.text))
    # (a deadline asked, "When is the bill due?", may have passed: it is still the bill's)
    asks_ahead = (q.type is AnswerType.DATE and bool(_AHEAD.search(q.text))
                  and not key & _DEADLINE_FAMILY)
    # asked until when (or since when), the value labelled with the other end is no answer
    other_end = (_sides(key, _END_FAMILY, _START_FAMILY)[1]
                 if q.type in (AnswerType.DATE, AnswerType.TIME) else frozenset())
    # asked when to check in or where to pick up: a label with another particle is no answer
    phrasal = _phrasals(q.text, _PHRASAL) if q.type in (AnswerType.TIME, AnswerType.DATE,
                                                        AnswerType.PLACE) else {}
    # asked when the train "for Narbonne" leaves, a line saying it leaves Narbonne is the
    # journey back
    far = stems(" ".join(_FAR_END[leg].findall(q.text))) if leg else set()
    # and asked when it leaves Wien, a line of a train "Richtung Wien" is the journey back
    near = stems(" ".join(_NEAR_END.findall(q.text))) - far if leg == "depart" else set()
    asked = q.text.lower()
    # Where the question names the field it asks for ("booking reference"), the field's
    # label finds the value; otherwise the thing it names does ("… at Quillby Books").
    spanned = key if field_words else key | named
    # the question's own words, not the names of its type ("fee" and "total" both name an amount)
    own_words = stems(" ".join(q.words)) | stems(" ".join(query_words(q.text)))
    label_key = key | focus | own_words
    if q.type is AnswerType.PLACE:
        label_key |= stems(_PLACE_LABELS)  # "Where …": the field labelled "Location"
    if deadline:
        label_key |= _DEADLINE_FAMILY  # "By when …": the field labelled "Vencimento"
    if q.type is AnswerType.MONEY and q.foreign:
        label_key |= stems(_FOREIGN_MONEY_LABELS)  # "Quanto …": the field "Importo"
    measure = _measure(q)
    how_many = _HOW_MANY.match(q.text) if q.type is AnswerType.QUANTITY else None
    asks_day = q.type is AnswerType.DATE and bool(_ASKS_DAY.search(q.text))
    counted = stems(how_many["thing"]) - stems(_TYPE_WORD_TEXT) if how_many else set()
    asks_number = q.type is AnswerType.IDENTIFIER and bool(_NUMBER_ASKED.search(q.text))
    asks_hours = bool(_ASKS_HOURS.search(q.text))
    asks_before = bool(_ASKS_BEFORE.search(q.text))
    arrowed = q.type in _CHANGING
    which_place = _WHICH_PLACE.match(q.text) if q.type is AnswerType.PLACE else None
    place_thing = {stem(which_place["thing"].lower())} if which_place else set()
    # asked the most, a span saying only the least is the other extreme, and the reverse
    asked_extreme, other_extreme = _sides(key, *_EXTREMES)
    # "the December fee", "Dezemberrate": a span naming only other months is of another
    asked_months = months_named(q.text)
    # (and, asked an amount or a count, a row dated in other months only: "the instalment
    # due at the end of November" is not the row due 30/09; asked a date, the date is
    # what is not known: "the March bill" is charged in April)
    said_in = months_named if q.type in (AnswerType.DATE, AnswerType.TIME) else months_said
    month_words = {stem(w) for w in q.words if months_named(w)}
    # "What time is the dinner on Saturday?": a line naming only other weekdays is another
    # day's ("Sun 9:25-13:05")
    asked_days = weekdays_named(q.text) if q.type in _DAY_TYPES else set()
    # the words asking a yes/no question's state ("turned on", "approved")
    state_words = (stems(" ".join(m[0] for m in SWITCHED.finditer(q.text)))
                   | _asked_states(q.text)) & key if q.type is AnswerType.YESNO else set()
    families = [family for family in _MEASURE_FAMILIES if family & key]
    family_words = {w for family in families for w in family}
    # a compound asked about meets the one a span writes ("Parkgenehmigung", "Genehmigung"),
    # in the languages that write them
    compounds = [w for w in q.words if stem(w) in key] if q.forms_compounds else []
    initials = _initials(q)
    out: list[_Candidate] = []
    texts = [source.text.lower() for source in sources]
    eligible = [(number, source, whole, _spans(
        source, wrapped=q.type in _FIGURES, names=q.type in _NAMED))
                for number, (source, whole) in enumerate(zip(sources, texts, strict=True), 1)
                if q.foreign or all(_names_in(name, whole) for name in q.names
                                    if not _ACRONYM.fullmatch(name))]
    span_words = [stems(text) for _, _, _, spans in eligible for _, text, _, _ in spans]
    weights = _rare_word_weights(spanned, span_words)
    weight_total = sum(max(0.0, w) for w in weights.values()) or 1.0
    # where the question's rarest word (the one fewest spans hold) is a name, it is the
    # thing a yes/no question asks about ("Did I book a GPS with the X rental?"): a span
    # not saying it answers less readily, and the page does not lend it; the page lends
    # the other names (the hotel's to its line "breakfast: extra charge")
    said_anywhere = spanned.intersection(set().union(*span_words))
    rarest = max(said_anywhere, key=lambda w: (weights[w], w)) if said_anywhere else None
    yes_no_thing = rarest if q.type is AnswerType.YESNO and rarest in named else None
    lent_names = named - {yes_no_thing}
    subject = () if q.foreign else _people(q)
    # "Who renamed the staging bucket …": the deed asked, whose doer is named before it
    asked_deed = _WHO_DID.match(q.text) if q.type is AnswerType.PERSON else None
    author_asked = q.type is AnswerType.PERSON and bool(_AUTHOR_ASKED.match(q.text))
    deed = stems(asked_deed["deed"]) if asked_deed else None
    why = q.type is AnswerType.DESCRIPTION and bool(_WHY.match(q.text))
    # a preposition ending the question ("… opened the pull request from?")
    ending = re.findall(r"[^\W\d_]+", q.text.lower())[-1:]
    stranded = ending[0] if ending and ending[0] in _PREPOSITIONS and q.type in (
        AnswerType.ITEM, AnswerType.IDENTIFIER, AnswerType.PLACE, AnswerType.PERSON) else ""
    # where the answer would stand in the question said as a statement
    anchors = slot_anchors(q.text) if q.type is AnswerType.DESCRIPTION and not (
        q.foreign or why) else {}
    for number, source, whole, spans in eligible:
        position = {line: index for index, line in enumerate(source.lines)}
        held = stems(f"{whole} {source.asked}")
        held |= _compounds(compounds, whole)[0]
        memory_cover = min(1.0, len(key & (held | _measured(held, key, families))) / max(
            1, len(key - unsaid))) if key else 1.0
        another = _said_by_another(source, subject)
        # every line of a turn is said by its speaker, not only the one naming them; a value
        # of the asked type shows which line answers, a description has only the words
        speaker = stems(source.speaker) if q.type not in _WORDS_ONLY else set()
        # a page's window title says what each of its lines is about: the step saying
        # "bake" is about the pie the title names too, though it does not say so
        page_titled = stems(source.title)
        # a terminal's output line is about the command it answers, as a page's line is
        # about its title ("61G  backups/x" under "du -sh backups/*" is a size)
        printed = _commands_over(source.lines)
        commanded = {line: stems(command.text) for line, command in printed}
        if q.type is AnswerType.COMMAND:
            # and a command is what its output says: "make verify" printed the lint and the
            # test runs asked about
            for line, command in printed:
                commanded[command] = commanded.get(command, set()) | stems(line.text)
        # and a dashboard's line is about the capitals heading of its section
        # ("Primary  Ana Ruiz" under "PAYMENTS / API")
        for line, heading in _headings_over(source.lines):
            commanded[line] = commanded.get(line, set()) | stems(heading.text)
        # a card's lines, which reading order parts, are read together for a value
        # (a yes/no question too: a card's title over its "Blocked" badge says it is blocked)
        cards = [] if q.type in (AnswerType.DESCRIPTION, AnswerType.STEPS) else [
            *((block[0], text, None, "", block, "\n") for block, text in _block_spans(source)),
            *((row[0], text, None, "", row, " | ") for row, text in _row_spans(source))]
        for span, text, below, asked_here, block, joint in [*((*s, None, "") for s in spans),
                                                            *cards]:
            if another and not names_them(text, subject):
                continue  # "my grandma" in Noor's turn is not Ilse's grandma
            words = stems(text) | speaker
            written = frozenset(words)  # the span's own words, before it is lent any
            if subject and source.speaker and not another:
                # the person asked about, speaking: "your store" is the listener's
                words -= _yours(text)
            asked_parts, said_parts = _compounds(compounds, text)
            words |= _measured(words, key, families) | asked_parts
            if key & _REFERENCE and _REFERENCE_NAME.search(text):
                words |= key & _REFERENCE  # "Confirmation number" asked the booking reference
            said_months = said_in(text) if asked_months else set()
            if said_in is months_said and said_months & asked_months:
                # "eind maart" is said by a row dated 27-03 (asked a thing, not a date)
                words |= month_words
            if initials:
                # "fs-ashford-02" is the file server the question names by its words
                words |= {w for part in _name_parts(text) for w in initials.get(part, ())}
            if state_words and _states(q.text, text):
                # a line saying "Off" speaks of what "turned on" asks
                words |= state_words
            own = words  # what the span says itself; the page's title is lent to it
            titled = page_titled | commanded.get(span, set())
            titled |= _measured(titled, key, families) | _shortened(key, own)
            words = own | titled
            titled_only = (titled - own) & spanned
            # the question a line answers lends it its words, at half their weight
            lent = (stems(asked_here) - words) & spanned
            # The span naming what the question names ("… at Quillby Books") holds its
            # value, not the memory's other lines: names count among the span's words.
            if q.type is AnswerType.YESNO and source.memory.source == "screen":
                # whether breakfast is included at the named hotel: the line saying so need
                # not name the hotel too, the page does (it is only eligible if it does). A
                # conversation's turn is no page: a name elsewhere in it may be another's
                # ("Is Oscar Ilse's pet?" when Oscar is Noor's).
                covered = spanned & (own | lent_names)
                titled_only -= covered
            else:
                covered = spanned & own
            coverage = ((len(covered) + TITLE_WEIGHT * len(titled_only)
                         + ASKED_WEIGHT * len(lent)) / max(1, len(spanned - unsaid))
                        if spanned else 1.0)
            coverage = min(1.0, coverage)
            named_in = bool(named & own)
            rare = (sum(max(0.0, weights[w]) for w in spanned & own) + TITLE_WEIGHT * sum(
                max(0.0, weights[w]) for w in titled_only)) / weight_total
            score = 0.5 * coverage + 0.4 * memory_cover - 0.02 * number
            if _garbled(text):
                score -= THING_WEIGHT  # small print OCR ran together: its figures are unsure
            if q.type in _NAMED and _COPYRIGHT.match(text):
                # the page's footer names its owner, not the place or the person asked (its
                # support number may still be what is asked)
                score -= THING_WEIGHT
            if set_aside & written:
                score -= THING_WEIGHT  # "the final release (not the release candidate)"
            if other_extreme and written & other_extreme and not written & asked_extreme:
                score -= THING_WEIGHT  # "ttl_min = 2" asked the maximum
            if said_months and not said_months & asked_months:
                score -= OTHER_MONTH_PENALTY  # "Oktober 2031 OCR …" asked December's
            if asked_days and (said_days := weekdays_named(text)) and not said_days & asked_days:
                score -= THING_WEIGHT  # "Sun 9:25-13:05" asked Saturday's
            if deadline and written & (_DEADLINE_FAMILY | _END_FAMILY):
                score += DEADLINE_BONUS  # asked by when: the date a page calls due
            if focus and not thing:
                score += FOCUS_WEIGHT * len(focus & own) / len(focus)
            if yes_no_thing and yes_no_thing not in own:
                score -= THING_WEIGHT
            if field_words and not field_words & written and not _written_short(
                    field_words, written) and not _shaped(field_words, text) and not (
                    focus & _REFERENCE and _REFERENCE_NAME.search(text)):
                # (a booking's reference may be labelled its confirmation number)
                # a passport number is not any number near the word "flight", nor is a
                # "Mitgliedsnummer" the "Bestellnummer" asked, though both are numbers
                continue
            if below is not None:
                # the line under a label, not the next one on its row, is read with it a
                # little less readily ("Owner  Ana Ruiz" over "Notes")
                score -= 0.01 if position.get(below) == position.get(span, -2) + 1 else 0.015
            if q.type is AnswerType.STEPS and source.memory.type == "procedural":
                score += PROCEDURE_BONUS  # "how do I …" is answered by a procedure's steps
            if q.type in _WORDS_ONLY:
                # a span naming only whom it is about says nothing of what is asked, nor
                # does a greeting ("Thanks, Jon!") answer the question before it
                # "Reason for delay: …" answers why it is late, before any line that only
                # says it is late
                reason = why and bool(_REASON.search(text) or _BECAUSE.search(text)
                                      or _FAILED_WITH.search(text)) and bool(
                    reason_value(text, key))
                if reason:
                    score += REASON_BONUS
                slot = SLOT_WEIGHT if holds_slot(text, anchors, key) else 0.0
                # (a yes/no span says the thing asked, see above: "Roof box · none")
                if (key & (own | lent) or not key or yes_no_thing) and (
                        key & own or _says_something(text)):
                    out.append(_Candidate(score, coverage, number, span, text, None,
                                           score + RARE_WORDS_WEIGHT * rare + reason + slot))
                continue
            if not spanned & own and not lent and not named_in and (
                    span.frame_id is None or memory_cover < 0.5):
                continue  # only a screen's label/value layout parts a value from its words
            found = [v for v in (_block_values(block, joint, q, source.when, key) if block
                                 else _typed_values(text, q, source.when, key))
                     if v.text.lower() not in asked
                     and not (q.type is AnswerType.PERSON and _names_asker(v.text, q))]
            if below is not None:
                # a label's line read with the line under it: no value runs from one into
                # the other ("Ana Ruiz" over "Population | 2 318" is no "Ana Ruiz Population")
                # (a figure read with the next line's first word as its unit keeps the
                # figure: "12" beside "Your place in the queue")
                # (but a sentence wrapped inside a name goes on with it: "… in Room" over
                # "Kestrel (2nd floor)" is in Room Kestrel)
                cut = len(text) if _cut_name(span.text, below.text) else len(span.text)
                found = [v if not v.start < cut < v.end else
                         Value(v.start, cut, text[v.start:cut].strip())
                         for v in found if not v.start < cut < v.end or (
                             q.type is AnswerType.QUANTITY
                             and _FIGURE_ONLY.match(text[v.start:cut]))]
                # a line holding a place among the words asked keeps it: the next line
                # read with it is the next entry ("… PHARMACY TRALEE PENDING" over
                # "… HOTEL ATHLONE")
                if q.type is AnswerType.PLACE and spanned & stems(span.text):
                    found = [v for v in found if v.end <= cut] or found
            if leg and len(found) > 1:
                # a timetable's card says both ends ("ab Gleis 6 … an Gleis 3"):
                # the value marked with the end asked
                found = [v for v in found if _value_leg(text, v) == leg] or found
            if block and joint == "\n" and q.type is AnswerType.PERSON and len(
                    {v.text for v in found if opens_with_title(v.text)}) == 1:
                # a card naming one practitioner by title ("Dr Ana Ruiz") beside a
                # practice's or a street's name: the titled one is the person
                found = [v for v in found if opens_with_title(v.text)]
            if block and joint == "\n" and len({v.text for v in found}) > 1:
                # a list or a table's column, not one card: its lines say each; but a card
                # with one line that is its value beside lines of prose holding others
                # ("5:40 PM" over "Branch hours: 7:10AM-5:50PM") holds that one
                bare = [v for v in found if _bare(v, text)]
                if len({v.text for v in bare}) != 1 or len(bare) == len(found):
                    continue
                found = bare
            if q.type is AnswerType.PERSON and found and not _FOR_WHOM.search(q.text):
                # "Pour Nadia Brun" under a dentist's appointment is the patient: the
                # one a thing is for is not who does it, unless the question asks for whom
                found = [v for v in found if not _FOR_BEFORE.search(text, 0, v.start)]
            if (q.type is AnswerType.PLACE and not found and below is not None
                    and _place_label(span.text) and text.endswith(below.text)):
                # under "Pickup location", the line is the place, however it is written
                # ("Store #12 · Elm Ave & 9th St")
                found = [Value(len(text) - len(below.text), len(text), below.text.strip())]
            if q.type is AnswerType.PLACE and not found and place_thing:
                # "I vilket förråd …": the thing asked with its number is the place
                # ("Förråd 3", "Saal B")
                found = [Value(m.start(), m.end(), m[0]) for m in _NUMBERED_THING.finditer(text)
                         if stem(m["thing"].lower()) in place_thing]
            if q.type is AnswerType.PERSON and found and source.speaker:
                # "Hey Tomas!": the one a turn speaks to did nothing it tells of
                found = [v for v in found if not _addressed(_unspeaker(text), v.text)]
            elif q.type is AnswerType.PERSON and found and not (
                    _FOR_WHOM.search(q.text) or _HOLDER_ASKED.search(q.text)):
                # "Hi Dana!" on a page: the user signed in, not who does what it tells of
                found = [v for v in found if not _addressed(text, v.text, greeting=_GREETING)]
            if author_asked and below is not None and (
                    header := _chat_header(span.text)) and spanned & stems(below.text):
                # "Who made the call to revert?": the one whose message says it, named
                # over it with its time ("Ana Ruiz 15:16" over "Decision: reverting …"),
                # not the people the message names
                found = [Value(header.start("name"), header.end("name"), header["name"])]
                score += THING_WEIGHT
            if q.type is AnswerType.TIME and below is not None and (
                    header := _chat_header(span.text)) and spanned & stems(below.text) and (
                    not values(below.text, AnswerType.TIME)):
                # a chat message stating no time of its own was said at its header's time
                # ("Alertbot 15:16" over "[FIRING] queue depth high")
                found = [v for v in found if v.end <= header.end()]
                score += THING_WEIGHT if found else 0.0
            if q.type is AnswerType.PERSON and not found:
                found = _labelled_handles(text, below, key) or _acting_handles(text, key)
            if asks_day and found:
                # "which day": a month ("noviembre 2026") beside a day's date is no answer
                found = [v for v in found if not _dayless(v.text)] or found
            if asks_number and found:
                # a number asked ("Which number do I call"): a code in letters alone is none
                found = [v for v in found if _FIGURE.search(v.text)]
            if counted and found:
                # "how many rows" is counted in rows: "4120 rows", not "2 skipped" after it
                found = [v for v in found if counted & stems(v.text)] or [
                    v for v in found if not _MEASUREMENT.match(v.text)] or found
            if measure is not None and found:
                # "How long" asks for a duration, "how big" a size: a figure in another
                # measure ("8 minutes" asked how deep) is not the answer; nor is a host
                # asked for a port.
                measured = [v for v in found if measure.match(_RANGE_START.sub("", v.text.strip()))
                            or _unit_labelled(v, text, measure)]
                if measured:
                    found = measured
                else:
                    score -= OTHER_MEASURE_PENALTY
            if found and other_extreme:
                # asked the maximum: not the value labelled "ttl_min" beside it
                found = [v for v in found if not stems(" ".join(_before_words(text, v)))
                         & other_extreme] or found
            if stranded and len(found) > 1:
                # "Which branch did I open it from?": the value after "from" ("into
                # release/2.1 from fix/x")
                found = [v for v in found if _word_before(text, v.start) == stranded] or found
            if found and not asks_before:
                # "changed from 10.0.0.9 to 10.0.0.12": the value it was is not what it is
                found = [v for v in found if not _changed_from(text, v, arrowed=arrowed)
                         ] or found
            if asks_ahead and len(found) > 1:
                # "When must the dog have its next jab?": of a row's last and next dates,
                # the one to come
                found = [v for v in found if not _before_seen(text[v.start:v.end], source)
                         ] or found
            if q.type is AnswerType.DATE and len(found) > 1 and not _THEREAFTER.search(q.text):
                # a date labelled "after that" is the one after the next: asked when it
                # comes, the other ("Next pickup Fri 3 · then: Friday 17")
                found = [v for v in found if not _THEREAFTER.search(
                    _field_before(text, v.start))] or found
            if deadline and len(found) > 1:
                # asked by when, the value labelled as the deadline ("Vencimento: …") beside
                # the period a bill covers
                found = [v for v in found if stems(_field_before(text, v.start))
                         & _DEADLINE_FAMILY] or found
            if phrasal and found:
                # asked when to check in: not the value labelled "Check-out" beside it
                found = [v for v in found if not _other_particle(
                    phrasal, _field_before(text, v.start))] or found
            if found:
                # (a turn's speaker, "Ana: …", is no field label of what she says)
                voice = stems(source.speaker) if source.speaker else set()
                value, after_key = _pick_value(
                    found, text, key | focus | family_words | said_parts,
                    (label_key | said_parts) - voice, said=(own_words | said_parts) - voice,
                    whole_field=q.type in (AnswerType.PLACE, AnswerType.PERSON),
                    figures=q.type is not AnswerType.PERSON, stamp=q.type is AnswerType.TIME,
                    doer=deed)
                score -= 0.0 if after_key else 0.1
                if q.type is AnswerType.TIME and _LISTED_FILE.match(text, value.end) and (
                        _DATE_BEFORE.search(text, max(0, value.start - 14), value.start)
                        or not text[:value.start].strip()) and not _FILE_TIME_ASKED.search(
                        q.text):
                    # "2031-06-30 14:55 etc/backup.timer" (its date may be a cell of its own):
                    # a file's last change in a listing, not when the job it holds runs
                    score -= THING_WEIGHT
                if q.type is AnswerType.MONEY and _PER_UNIT.match(text, value.end):
                    # "3 movers @ $18.50/h" asked what is still owed, or asked the rate
                    score += THING_WEIGHT if _RATE_ASKED.search(q.text) else -THING_WEIGHT
                if not asks_before and _PREVIOUS_LABEL.search(_field_before(text, value.start)):
                    score -= THING_WEIGHT  # "previous reading 4120" asked the reading sent
                labelled = bool(focus) and _labelled_by(
                    value, text, focus, every=q.type is not AnswerType.MONEY)
                field = _field_label(value, text, len(span.text) + 1 if below else 0) if (
                    q.type in (AnswerType.PERSON, AnswerType.IDENTIFIER)) else None
                if q.type is AnswerType.IDENTIFIER and field is not None and not _stems_meet(
                        stems(field), key | focus | _CODE_LABELS):
                    score -= THING_WEIGHT  # "Helpline: 800 …" asked a booking's number
                if q.type is AnswerType.PERSON and all(
                        is_plain_word(w, q.lang) and not is_known_name(w)
                        for w in value.text.split()):
                    score -= PLAIN_NAME_PENALTY  # "Joint Care": a department, no one
                label = field if q.type is AnswerType.PERSON else None
                if label is not None and not _stems_meet(stems(label), key | focus) and (
                        focus and not labelled or not focus and _OTHER_ROLE.search(label)):
                    # "Department: Fleet" asked who approves; "Reviewed-by: …" asked who
                    # fixed it (the one who did a deed is its author, not its reviewer)
                    score -= THING_WEIGHT
                elif label is not None and not focus and _DOER.search(label):
                    score += THING_WEIGHT  # "Author: …" asked who fixed or wrote it
                if thing and (labelled or focus & stems(text[:value.start])) or (
                        measure is not None and _unit_labelled(value, text, measure)) or (
                        counted and _counts(value, text, counted)):
                    score += THING_WEIGHT  # "keep_days = 30" asked "how many days"
                if labelled or focus and below is not None and focus <= stems(span.text):
                    score += LABELLED_BONUS
                if asks_next and _NEXT.search(" ".join(text[:value.start].split()[-3:])):
                    score += NEXT_BONUS  # "Monthly · next on 19 March" asked the next one
                if asks_ahead and _before_seen(text[value.start:value.end], source):
                    score -= PAST_PENALTY  # "When is my appointment?": not a past letter's day
                if (q.type is AnswerType.TIME and not asks_hours
                        and _HOURS.search(" ".join(_before_words(text, value)))):
                    score -= THING_WEIGHT  # a shop's "Hours 6:00 - 19:45" is no drop-off time
                if not asks_before and _changed_from(text, value, arrowed=arrowed):
                    score -= THING_WEIGHT  # "changed from 10.0.0.9 to" (its end elsewhere)
                if other_end and _other_end(text, value, other_end, key,
                                            compounds=q.forms_compounds):
                    score -= THING_WEIGHT  # asked until when: "Waiting since: 4 Nov"
                if phrasal and _other_particle(phrasal, _field_before(text, value.start)):
                    score -= THING_WEIGHT  # asked when to check in: "Check-out: 09:45"
                said_leg = (_leg(text) or _value_leg(text, value)) if leg else None
                if leg and (said_leg not in (None, leg) or said_leg == leg and far & own
                            and len(text.split()) <= _STATION_LINE_WORDS):
                    score -= THING_WEIGHT  # asked when it leaves: "10h01 · Arrivée" arrives
                elif leg and said_leg == leg:
                    score += THING_WEIGHT  # "09h12 · Départ" says when it leaves
                if near and stems(" ".join(_FAR_END["depart"].findall(text))) & near:
                    score -= THING_WEIGHT  # "… Richtung Wien" asked what leaves Wien
                if q.type is AnswerType.DATE and (
                        not values(text, q.type, source.when)
                        or _YEAR_ONLY.match(text[value.start:value.end]) or _EMAIL.search(text)
                        or asks_day and _dayless(text[value.start:value.end])):
                    score -= _VAGUE_WHEN_PENALTY
                if block:
                    score -= CARD_PENALTY
                    if joint == "\n":
                        # a card's value under its own label ("ORDER PLACED" over a date)
                        # answers what that label names
                        over = _over(_line_at(block, joint, value.start), block)
                        if over is not None and not _stems_meet(
                                stems(over.text), key | focus | family_words):
                            score -= THING_WEIGHT
                quoted = _line_at(block, joint, value.start) if block else (
                    below if below is not None and value.start > len(span.text) else span)
                out.append(_Candidate(score + 0.1, coverage, number, quoted, text, value,
                                       score + 0.1 + RARE_WORDS_WEIGHT * rare))
            elif (q.type is AnswerType.DATE and source.memory.source != "screen"
                  and key & (words | lent)):
                # a note or message is dated by when it was written, or by the day its turn
                # opened with ("Last night was amazing! We celebrated her birthday …")
                day = _turn_day(source, span) or _memory_day(source)
                if day is not None:
                    out.append(_Candidate(score, coverage, number, span, text, day,
                                           score + RARE_WORDS_WEIGHT * rare))
    return sorted(out, key=lambda c: (-c.rank, c.number))


#: A button or a link offering to do a thing ("Set up direct debit", "Turn on backups", "Add
#: travel insurance"): the thing is not done yet. It stands alone in its cell or line.
_OFFER = re.compile(r"^\W*(?:set up|turn on|switch on|enable|activate|add|sign up(?: for)?|"
                    r"subscribe(?: to)?|upgrade to|einrichten|aktivieren|activer|activar|"
                    r"attiva|ativar|aanzetten|aktivera|sl[åa] p[åa])\b", re.I)


def _last_part(text: str) -> str:
    """The last cell or line of a span: where a card or a row puts its button."""
    return re.split(r"\s\|\s|\n|: ", text)[-1]


#: What greets, thanks or cheers and says nothing more ("Wow, thanks Jon!").
_PLEASANTRY_TEXT = (
    "thanks thank hey hi hello wow congrats congratulations great awesome cool nice sure ok "
    "okay yep yup yes no oh aww amazing glad sounds lol haha totally definitely"
)
_PLEASANTRIES = frozenset(_PLEASANTRY_TEXT.split())


#: States and their opposites (``polarity.OPPOSITE_TEXT``), by their stems.
_OPPOSITES = [(frozenset(stem(w) for w in yes.split()), frozenset(stem(w) for w in no.split()))
              for yes, no in OPPOSITE_TEXT]
#: A switch's two states: a question asking whether a thing is set up, with no state word,
#: asks whether it is on.
_SWITCHED_ON, _SWITCHED_OFF = next(pair for pair in _OPPOSITES if stem("enabled") in pair[0])
#: A request's outcomes, which say no to "did I get …" though the question names no state:
#: denied, cancelled or waitlisted, against approved or booked.
_OUTCOMES = [pair for pair in _OPPOSITES if {stem("approved"), stem("booked")} & pair[0]]
_GRANTED = frozenset().union(*(yes for yes, _ in _OUTCOMES))
_REFUSED = frozenset().union(*(no for _, no in _OUTCOMES))
#: The states as a question asks them, word for word: "booked" is asked, "booking" names a
#: thing ("Is breakfast included with my booking?" asks nothing about being booked).
_STATE_WORDS = frozenset(w for pair in OPPOSITE_TEXT for side in pair for w in side.split())


def _asked_states(question: str) -> set[str]:
    """The stems of the states ``question`` asks about (``polarity.asked_states``)."""
    return {stem(w) for w in asked_states(question, _STATE_WORDS)}


def _said_states(span: str) -> set[str]:
    """The states a span writes, word for word ("deploy-staging" names a job, it does not
    say "deployed")."""
    return {stem(w) for w in re.findall(r"[^\W\d_]+", span.lower()) if w in _STATE_WORDS}


def _opposed(question: str, span: str) -> bool:
    """Does ``span`` state the opposite of what ``question`` asks: "declined" asked whether
    it was approved, "passed" asked whether the run failed? Only where the span does not also
    say what was asked."""
    asked, said = _asked_states(question), _said_states(span)
    if not asked and said & _SWITCHED_OFF and not said & _SWITCHED_ON:
        return True  # "Is the rent paid by itself?" / "Auto-renew: off"
    if not asked and said & _REFUSED and not said & _GRANTED:
        return True  # "Did I get a seat in the workshop?" / "Waitlisted"
    for yes, no in _OPPOSITES:
        if asked & yes and said & no and not said & yes:
            return True
        if asked & no and said & yes and not said & no:
            return True
    return False


def _states(question: str, span: str) -> bool:
    """Does ``span`` say one of the states ``question`` asks about, or its opposite?"""
    asked, said = _asked_states(question), _said_states(span)
    return any(asked & (yes | no) and said & (yes | no) for yes, no in _OPPOSITES)


def _says_something(text: str) -> bool:
    """Does the line hold a word beyond its speaker, names, pleasantries and filler?"""
    return any(w.lower() not in _PLEASANTRIES and w.lower() not in _FILLER and not w[0].isupper()
               for w in re.findall(r"[\w'-]+", _unspeaker(text)))


def _quote(text: str) -> str:
    """A span quoted on one line: a block's lines are parted by " · "."""
    return "“" + " · ".join(" ".join(line.split()) for line in text.splitlines()
                            if line.strip()) + "”"


def _unspeaker(text: str) -> str:
    return _SPEAKER.sub("", text, count=1)


_CLAUSE = re.compile(r"[,;:!?—–(){}\[\]]|\s-\s|\.(?:\s|$)|\b(?:because|but|although|so that)\b")
_FILLER_TEXT = (
    "i i'm i've i'd i'll it's that's we're we've you're they're there's here's so well oh wow yeah "
    "yes really just also too very actually totally definitely a an the my our your his her "
    "their its this that these those and or but to of in on at for with is are was were am "
    "be been have has had do did does been some lots lot we you he she they me us him them"
)
_FILLER = frozenset(_FILLER_TEXT.split()) | FOREIGN_STOPWORDS


#: A "why" question: the reason follows these words, or the colon after the event.
_WHY = re.compile(r"^\W*(?:why|warum|wieso|pourquoi|por ?qu[ée]|perch[ée])\b|"
                  r"^\W*what\s+(?:was|is|were|are)\s+(?:behind|at the root of)\b|"
                  # "What error did the loader crash with?", "What went wrong with …"
                  r"^\W*(?:what|which)\s+(?:error|exception)s?\b|^\W*what\s+went\s+wrong\b|"
                  # "What was the failing check complaining about?"
                  r"^\W*what\b[^?]*\bcomplain(?:ing|ed|s)?\s+about\b",
                  re.I)
_BECAUSE = re.compile(r"\b(?:because(?: of)?|due to|owing to|as a result of|caused by|weil|"
                      r"wegen|parce que|à cause de|porque|debido a|perch[ée]|a causa di)\s+", re.I)


#: A question about how things stand now, and the words marking an update that replaced an
#: earlier value ("New estimated departure 17:04" after "estimated departure 15:10").
_NOW = re.compile(r"\b(?:now|currently|latest|current|still|jetzt|aktuell|maintenant|"
                  r"actuellement|ahora|actualmente|ora|adesso|agora)\b", re.I)
_UPDATE = re.compile(r"\b(?:new|updated?|revised|latest|now|changed|rescheduled|neue[rsn]?|"
                     r"nouvel(?:le)?|nuev[oa]|nuov[oa]|nov[oa])\b", re.I)


def _before_value(candidate: _Candidate) -> str:
    """The text of a candidate's cell before its value ("" without a value)."""
    if candidate.value is None:
        return ""
    return _field_before(candidate.text, candidate.value.start)


def _lead(candidate: _Candidate) -> tuple[str, ...]:
    """The two words before a candidate's value in its cell: what it is the value of."""
    return tuple(stem(w) for w in re.findall(r"[^\W\d_]+", _before_value(candidate).lower())[-2:])


#: "When did it first fail": of the times that answer about as well, the earliest.
_FIRST = re.compile(r"\b(?:first|earliest|erste[nmrs]?|premi[eè]re?|primer[oa]?|prim[oa])\b",
                    re.I)
FIRST_MARGIN = 0.05


def _earliest(best: _Candidate, candidates: list[_Candidate], key: set[str]) -> _Candidate:
    """Of the candidates nearly as good as ``best`` and saying the same of what is asked
    (a log's lines saying the same failure), the one stating the earliest clock time."""
    said = stems(best.text) & key
    near = [(minute, c) for c in candidates if c.rank >= best.rank - FIRST_MARGIN
            and c.value is not None and stems(c.text) & key == said
            and (minute := clock_minutes(c.value.text)) is not None]
    return min(near, key=lambda pair: pair[0])[1] if near else best


#: OCR's usual confusions of a letter with a figure, folded to compare two readings.
_OCR_FOLD = str.maketrans("01", "ol")
#: A command's reading that goes on past another's end with more of its words (not a
#: memory's fields after it, "…: 45 3 * * *; …").
_COMMAND_GOES_ON = re.compile(r"\s+[^\s:;][^;]*$")


def _completed(best: _Candidate, candidates: list[_Candidate]) -> _Candidate:
    """The same command read whole elsewhere, where ``best`` holds it cut at a line's end
    (a code block that wraps its long line: "curl -H '…'" over "'https://…'")."""
    if best.value is None:
        return best
    cut = best.value.text.lower().translate(_OCR_FOLD)
    return next((c for c in candidates if c.value is not None and c.rank >= best.rank - (
        LIST_MARGIN) and len(c.value.text) > len(best.value.text)
        and c.value.text.lower().translate(_OCR_FOLD).startswith(cut)
        and _COMMAND_GOES_ON.match(c.value.text, len(best.value.text))), best)


def _superseding(best: _Candidate, candidates: list[_Candidate]) -> _Candidate:
    """Asked how things stand now: the update of the best candidate's value ("New
    estimated sailing 13:05" after "estimated sailing 11:50"), where one is written: in the
    same memory it may say less of what the question names than the value it replaces."""
    lead = _lead(best)
    if not lead or _updated(best):
        return best
    return next((c for c in candidates if _lead(c) == lead and _updated(c) and (
        c.number == best.number or c.score >= MIN_SCORE)), best)


def _updated(candidate: _Candidate) -> bool:
    """Is the candidate's value marked as an update, a few words before it ("New
    estimated sailing 13:05")?"""
    return bool(_UPDATE.search(" ".join(_before_value(candidate).split()[-4:])))


#: A reason named as such ("Reason for delay", "Cause:", "Grund der Verspätung"), and what
#: a span giving one gains on a "why" question over a span that only names the event.
_REASON = re.compile(r"\b(?:reasons?|causes?|grund|raison|motivo|causa)\b", re.I)
#: A log's or a tool's failure with what went wrong after it: "upload failed: bucket
#: full", "ERROR: disk full", "fatal: not a git repository".
_FAILED_WITH = re.compile(r"\b(?:fail(?:ed|ure)?|\w*?errors?|err0r|fatal|abort(?:ed)?|denied|"
                          r"refused|\w*?exception)\s*:\s+\S", re.I)
REASON_BONUS = 0.2


def reason_value(text: str, key: set[str]) -> str:
    """The reason a span gives for the event a "why" question names: what follows "because"
    ("due to", "weil"…), else what follows the colon after the event's words ("job 41
    failed: disk full" gives "disk full"); "" when the span states no reason."""
    body = _unspeaker(text)
    cause = _BECAUSE.search(body)
    if cause:
        return _CLAUSE.split(body[cause.end():], maxsplit=1)[0].strip()
    # the last such colon: in a log line "12:04 job[41]: upload failed: disk full",
    # the stamp's and the job's colons come before the failure's
    said = [m for m in re.finditer(r":\s+", body)
            if key & stems(body[: m.start()]) and body[m.end():].strip()]
    failed = [m for m in said if _FAILED_WITH.match(body, _word_start(body, m.start()))]
    if said:
        m = failed[-1] if failed else said[0]
        reason = re.split(r"[;|\n]", body[m.end():], maxsplit=1)[0].strip(" .")
        # an exception whose message is one word is said with its name: "KeyError: 'XL'"
        # ("'XL'" alone says nothing; "no such column: x" says why)
        named = _EXCEPTION_BEFORE.search(body, 0, m.start())
        return f"{named[0]}: {reason}" if named and len(reason.split()) == 1 else reason
    return ""


_EXCEPTION_BEFORE = re.compile(rf"(?<![\w.]){_EXCEPTION_NAME}$")


def _word_before(text: str, start: int) -> str:
    """The word right before ``start``, lower-cased ("" at the text's start)."""
    m = re.search(r"([^\W\d_]+)[^\w]*$", text[max(0, start - 40):start])
    return m.group(1).lower() if m else ""


def _word_start(text: str, end: int) -> int:
    """Where the word ending at ``end`` starts."""
    start = end
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    return start


#: Words that end a run of the answer's words: the answer is a phrase, not a whole clause
#: ("lifeboat crew" of "… money for the lifeboat crew is such a kind idea").
_RUN_BREAK_TEXT = "is are was were am be been has have had will would 's"
_RUN_BREAKS = frozenset(_RUN_BREAK_TEXT.split())
#: Words an answer phrase neither starts nor ends with.
_EDGE_TEXT = "through about from into by as like when where which who what while then than"
_EDGE = _FILLER | frozenset(_EDGE_TEXT.split())


#: Most words a clause's saying counts beside the key words (a longer clause is no better).
_CLAUSE_SAYS = 3


_BRACKETED = re.compile(r"\s*\([^()]*\)")


#: Prepositions: a question may end on one, its answer following it in the statement ("What
#: did the bake sale raise money for?": "… raising money for the lifeboat crew").
_PREPOSITION_TEXT = ("for of about with to from in on at by into during after before while "
                     "since through like over under")
_PREPOSITIONS = frozenset(_PREPOSITION_TEXT.split())
_ASKING_TEXT = ("what which who whom whose where when why how did does do is are was were "
                "has have had will would can could should")
_ASKING = frozenset(_ASKING_TEXT.split())


def slot_anchors(question: str) -> dict[str, int]:
    """The stems of the question's words its answer would follow, said as a statement: a
    content word before a preposition or at the question's end ("What did they make during
    the workshop?": "make", "workshop"). The last one, before the question's end or a
    preposition ending it ("What did she take the trip to Ghent for?": "Ghent"), counts
    twice: the words before it may name the thing whose slot is further on."""
    words = re.findall(r"[^\W_]+", question.lower())
    out: dict[str, int] = {}
    for i, word in enumerate(words):
        if len(word) < 2 or word in _ASKING or word in _PREPOSITIONS or word in _FILLER:
            continue
        last = i + 1 == len(words) or i + 2 == len(words) and words[i + 1] in _PREPOSITIONS
        if last or words[i + 1] in _PREPOSITIONS:
            out[stem(word)] = 2 if last else 1
    return out


#: What a phrase standing in the answer's slot counts for, per weight of its anchor.
SLOT_BONUS = 2
#: Most content words a phrase's saying counts: an answer is a phrase, and a longer run
#: is no better an answer for saying more.
_PHRASE_SAYS = 3
#: What a span holding the answer's slot gains over one holding as many of the question's
#: words elsewhere ("That bake sale sounds lovely" asked what the sale raised money for).
SLOT_WEIGHT = 0.05


def holds_slot(text: str, anchors: Mapping[str, int], key: AbstractSet[str]) -> bool:
    """Does ``text`` hold the answer's slot: an anchor word followed (after a preposition,
    maybe) by a word the question does not say ("… raising money for the lifeboat crew")?"""
    if not anchors:
        return False
    words = [w.lower() for w in re.findall(r"[\w'-]+", text)]
    for i, word in enumerate(words):
        if stem(word) not in anchors:
            continue
        # past a preposition and an article or a pronoun ("for my", "a")
        after = next((w for w in words[i + 1:i + 4]
                      if w not in _PREPOSITIONS and w not in _EDGE), "")
        if after and stem(after) not in key:
            return True
    return False


def description_value(text: str, key: set[str], anchors: Mapping[str, int] | None = None,
                      question: str = "") -> str:
    """The phrase of a span that answers a "what" question. In the clause holding most of
    the question's key words, the runs of other words (cut also at a verb "to be" or "to
    have", without filler at their ends) are candidates; the best holds the most content
    words (up to a few), each key word it stands next to counting as one, and a run standing
    where the question's ``anchors`` (:func:`slot_anchors`) leave the answer's slot counts
    more; of equal ones the run after a key word wins ("Researching rescue kennels, it's
    been a dream" asked "What did she research?" gives "rescue kennels"; "… live in the
    ledger database on the old server" asked "which database" gives "ledger"). A title the
    phrase quotes is the answer, and asked "what kind of X" (``question``), the words
    naming the kind before the X are."""
    anchors = anchors or {}
    body = _unspeaker(text).replace("’", "'")
    clauses = [c.strip() for c in _CLAUSE.split(body) if c and c.strip()]
    if not clauses:
        return body.strip()
    def said(clause: str) -> int:
        # what a clause says beside the key words, up to a few words: a heading or a file
        # name ("# Boiler / notes.md") names the key word but says less than the sentence
        return min(_CLAUSE_SAYS, sum(1 for w in re.findall(r"[^\W\d_]{3,}", PATH.sub(" ", clause))
                                    if w.lower() not in _FILLER and stem(w.lower()) not in key))

    best = max(clauses, key=lambda c: (len(key & stems(c)) + holds_slot(c, anchors, key),
                                       said(c),
                                       -clauses.index(c)))
    # a bracketed aside ("Pump defective (worn bearing)") is no answer where the clause
    # says something outside it
    unbracketed = _BRACKETED.sub("", best)
    if unbracketed != best and stems(unbracketed) - key:
        best = unbracketed
    words = re.findall(r"[\w'-]+", best)
    keyed = [stem(w.lower()) in key for w in words]
    phrases: list[tuple[int, int, list[str]]] = []
    start = 0
    for end in range(len(words) + 1):
        if end < len(words) and not keyed[end] and words[end].lower() not in _RUN_BREAKS:
            continue
        run = words[start:end]
        follows = int(start > 0 and keyed[start - 1])
        slot = anchors.get(stem(words[start - 1].lower()), 0) if start > 0 else 0
        if not slot and start > 1 and words[start - 1].lower() in _PREPOSITIONS:
            slot = anchors.get(stem(words[start - 2].lower()), 0)
        near = follows + int(end < len(words) and keyed[end])
        while run and run[0].lower() in _EDGE:
            run = run[1:]
        while run and run[-1].lower() in _EDGE:
            run = run[:-1]
        if run:
            content = min(_PHRASE_SAYS, sum(w.lower() not in _FILLER for w in run))
            phrases.append((content + near + SLOT_BONUS * slot, follows, run))
        start = end + 1
    if not phrases:
        return best
    phrase = max(phrases, key=lambda p: p[:2])[2]
    # a title the phrase quotes is the answer ("reading \"The Quiet Orchard\" and hoping …")
    for quoted in _QUOTED.finditer(best):
        inner = re.findall(r"[\w'-]+", quoted["inner"])
        while inner and inner[0].lower() in _EDGE:
            inner = inner[1:]  # the phrase does not open with "The" of "The Quiet Orchard"
        if inner and len(inner) <= _QUOTED_WORDS and _holds(phrase, inner):
            return quoted["inner"].strip()
    # "what kind of shoes": the words naming the kind, before the thing ("trail shoes")
    kind = _KIND_OF.search(question)
    if kind:
        thing = stem(kind["thing"].lower())
        spoken = [w.strip("-") for clause in clauses
                  for w in [*re.findall(r"[\w'-]+", clause), ","]]

        def modifies(word: str) -> bool:
            lowered = word.lower()
            return lowered not in _EDGE and lowered not in _PREPOSITIONS and word != "," and (
                stem(lowered) not in key)

        for i, word in enumerate(spoken):
            if stem(word.lower()) == thing and i > 0 and modifies(spoken[i - 1]):
                first = i - 1
                while first > max(0, i - _KIND_WORDS) and modifies(spoken[first - 1]):
                    first -= 1
                return " ".join(spoken[first:i + 1])
    answer = " ".join(phrase)
    # a phrase that opens a list runs on to its end ("stands for love, faith and strength"):
    # the clauses parted it at the commas
    at = body.find(answer)
    tail = _LIST_TAIL.match(body, at + len(answer)) if at >= 0 else None
    return answer + tail[0].rstrip() if tail else answer


#: The rest of a list after its first item: ", faith and strength", " and Mozart".
_LIST_TAIL = re.compile(r"(?:\s*,\s*[^\W\d][\w' -]{0,30}?){0,4},?\s+(?:and|or|&)\s+"
                        # (no clause of its own: ", and I wear it daily")
                        r"(?!(?:i|we|you|he|she|they|it|this|that|there)\b)"
                        r"[^\W\d][\w'-]*(?:\s[\w'-]+){0,3}?(?=\s*(?:[.!?;:]|$))", re.I)


_QUOTE_LONGEST = 80
_QUOTED = re.compile(rf"[\"“„«](?P<inner>[^\"“”„«»\n]{{1,{_QUOTE_LONGEST}}})[\"”“»]")
_QUOTED_WORDS = 8
_KIND_OF = re.compile(r"\b(?:kinds?|types?|sorts?|style) of (?P<thing>[\w-]+)", re.I)
_KIND_WORDS = 3


def _holds(run: Sequence[str], part: Sequence[str]) -> bool:
    """Does ``run`` hold the words ``part`` in a row?"""
    lowered = [w.lower() for w in run]
    wanted = [w.lower() for w in part]
    return any(lowered[i:i + len(wanted)] == wanted for i in range(len(lowered)))


def _steps(source: Source, start: SourceLine, text: str) -> list[str]:
    """A procedure's steps; else the command the answering span ``text`` gives ("the
    build is as always: make dist"); else the numbered steps, or the commands, from the
    span's line on."""
    if source.memory.type == "procedural" and source.memory.fields.get("steps"):
        return [str(s) for s in source.memory.fields["steps"]]
    said = [v.text for v in values(text, AnswerType.COMMAND)]
    if said:
        return said
    lines = list(source.lines)
    begin = lines.index(start) if start in lines else 0
    steps = [v.text for line in lines[begin:] for v in values(line.text, AnswerType.STEPS)]
    if not steps:
        steps = [v.text for line in lines[begin:] for v in values(line.text, AnswerType.COMMAND)]
    return list(dict.fromkeys(steps))[:12]  # an episode may quote a command twice


def abstention(q: Question, sources: Sequence[Source]) -> Extract:
    """No value of the asked type: say what is missing and what is closest."""
    what = q.type.missing
    phrase = _KEY_PHRASE.search(q.text) if q.type is AnswerType.IDENTIFIER else None
    if phrase:
        words = [w for w in phrase.group(1).split() if w.lower() not in _QUESTION_WORDS]
        what = " ".join(words) or what
    if q.type in (AnswerType.DESCRIPTION, AnswerType.YESNO):
        text = "I don't have a memory that answers that"
    else:
        text = f"No {what} for that in your memories"
    if sources:
        number, closest = _closest(q, sources)
        text += f"; the closest is {_quote(closest[:90])} [{number}]."
        return Extract(q, "", text, True, None, None)
    return Extract(q, "", text + ".", True)


def _closest(q: Question, sources: Sequence[Source]) -> tuple[int, str]:
    """The line holding most of the question's key words (the first such, in evidence
    order), else the first memory's summary: what an abstention says is nearby."""
    key = _asked_words(q)
    best: tuple[int, int, str] = (0, 1, sources[0].memory.summary)
    for number, source in enumerate(sources, 1):
        for line in source.lines:
            held = len(key & stems(line.text))
            if held > best[0]:
                best = (held, number, line.text)
    return best[1], " ".join(best[2].split())


_HOW_LONG_AGO = re.compile(r"\bhow long ago\b", re.I)
#: "Which cities has she visited?", "What books …": a plural thing asked for is listed
#: from every memory that answers it.
_LIST_ASK = re.compile(r"^\W*(?:what|which)\s+(?:(?P<kinds>kinds|types|sorts)\s+of\s+|"
                       r"(?:kind|type|sort)\s+of\s+)?(?P<words>[\w-]+(?:\s+[\w-]+)?)", re.I)
_NOT_LISTED_TEXT = "is was are were has have had does do did this its his yes"
_NOT_LISTED = frozenset(_NOT_LISTED_TEXT.split())


def _asks_list(q: Question) -> bool:
    m = _LIST_ASK.match(q.text)
    if not m:
        return False
    words = m["words"].lower().split()
    if words[0] in _NOT_LISTED:
        return False
    if m["kinds"]:
        return True
    return any(len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is"))
               for w in words if w not in _NOT_LISTED)


#: How far below the best answer another memory's answer may rank and still be listed.
LIST_MARGIN = 0.25
LIST_ITEMS = 4


#: A status settles a yes/no question from a span holding this share of its key words (a
#: status is a word or two; the words around it name the thing less fully than a sentence).
MIN_STATUS_COVERAGE = 0.5
#: How many of the question's words a span settling it must write itself.
MIN_STATUS_WORDS = 2
#: How far (in characters) a status may stand from a word of the question it speaks of:
#: its cell or the next one ("Roof rack | Not selected"), not another row's.
STATUS_REACH = 40
#: A status this near the thing asked is beside it, in its cell or the next ("Roof rack |
#: Not selected"): it settles the question before a status further off on a better span.
STATUS_BESIDE = 4


#: What ends a field written in a line of several: "Plan: Gold; Renewal: off | Seats: 4".
_FIELD_END = re.compile(r"[;|]")


#: A word of a span that OCR ran together with its neighbours: long, with a capital inside
#: ("RegisteredinIrelandNo"); a web address, a path or a name in code ("test_fee (QuoteTests)",
#: "at org.acme.QuoteService.price(QuoteService.java:41)") is no such word.
_RUN_TOGETHER = re.compile(r"(?<!\S)(?=[^\s/@_()]{16,}(?!\S))[^\s/@_()]*[a-z][A-Z][^\s/@_()]*")
#: The share of a span's characters in such words past which its reading is unsure.
_GARBLED_SHARE = 0.4


def _garbled(text: str) -> bool:
    """Did OCR run most of ``text`` together ("CarrowmoreInsuranceDAisregulated byThe…")?"""
    squeezed = len(re.sub(r"\s", "", text))
    joined = sum(len(m[0]) for m in _RUN_TOGETHER.finditer(text))
    return squeezed > 0 and joined / squeezed > _GARBLED_SHARE


#: A rule of what a thing must be, not a statement of what it is.
_REQUIREMENT = re.compile(r"\brequire[sd]?\b[^.;:]{0,60}\bto be\b|"
                          r"\b(?:must|should|needs? to|has to|have to) be\b", re.I)
_REQUIRED_BEFORE = re.compile(r"\b(?:to|must|should) be\s+$", re.I)
_REQUIREMENT_ASKED = re.compile(r"\b(?:must|should|need|needs|required?|requires|have to|"
                                r"has to)\b", re.I)


def _verdict(q: Question, candidates: list[_Candidate]) -> tuple[_Candidate, bool] | None:
    """The span, among those ranked near the best, whose status stands nearest a word of
    the question, with whether that status says so; or None. A status beside the thing (in
    its cell or the next) comes first, then the better span. A negation before one of the
    question's own words says no as a status does ("No deposit needed" asked whether a
    deposit is needed)."""
    # (German writes its nouns in capitals, as names: there a name is a word of the thing)
    key = _asked_words(q) - (set() if q.foreign else stems(" ".join(q.names)))
    if not key or not candidates:
        return None
    top = candidates[0].rank
    # a state the question writes of a thing, not asked of it, says nothing of what is
    # asked: "in the failed run" asked whether it was deployed
    written = set(re.findall(r"[^\W\d_]+", q.text.lower()))
    described = written - asked_states(q.text, written)
    settled: list[tuple[bool, int, int, _Candidate, bool]] = []
    for index, candidate in enumerate(candidates):
        if candidate.rank < top - LIST_MARGIN or candidate.coverage < MIN_STATUS_COVERAGE:
            continue
        text = candidate.text
        at = [(m.start(), m.end()) for m in re.finditer(r"[^\W\d_]+", text)
              if stem(m[0].lower()) in key]
        if len({stem(text[s:e].lower()) for s, e in at}) < min(len(key), MIN_STATUS_WORDS):
            continue  # "Confirmed · Seat 9" names too little of the workshop asked about
        # a negated status holding a word of the question ("not insured" asked whether it
        # is insured), or a negation of the thing asked itself ("no parrots" asked whether
        # parrots are allowed), stands beside it
        written_statuses = statuses(text)
        found: list[tuple[int, bool]] = [(0, False) for s in written_statuses if any(
            s.start <= a < s.end for a, _ in at) and not s.positive]
        found += [(0, False) for m in NEGATED_WORD.finditer(text)
                  if stem(m["word"].lower()) in key]
        # any other status stands as far from the thing as the nearest word of the question
        # outside it ("Budgies allowed" is not the parrots')
        for status in written_statuses:
            if text[status.start:status.end].lower() in described or (
                    _REQUIRED_BEFORE.search(text, max(0, status.start - 20), status.start)
                    and not _REQUIREMENT_ASKED.search(q.text)):
                continue  # (nor does a rule's "… to be active" say it is)
            # (a status before the thing, with a field's end between, is the field's before
            # it: "Licence: None outstanding; Road user charges: …")
            apart = [status.start - e if status.start >= e else s - status.end
                     for s, e in at if not status.start <= s < status.end
                     and not (s >= status.end and _FIELD_END.search(text, status.end, s))]
            if apart:
                found.append((min(apart), status.positive))
        near = [(distance, positive) for distance, positive in found
                if distance <= STATUS_REACH]
        if near:
            distance, positive = min(near)
            settled.append((distance > STATUS_BESIDE, index, distance, candidate, positive))
    if not settled:
        return None
    _, _, _, candidate, positive = min(settled, key=lambda s: s[:3])
    return candidate, positive


def _asked_words(q: Question) -> set[str]:
    """The stems of what the question asks about, the words naming the type asked aside."""
    return stems(" ".join(q.words)) - stems(_TYPE_WORD_TEXT)


def _short_description(q: Question, candidate: _Candidate) -> str:
    key = _asked_words(q)
    # the words a family gives a word the question writes ("kaputt" asked, "defekt"
    # written) are its own (the word itself, not its stem: "attended" has no attendees)
    asked = set(q.words)
    key |= {stem(w) for family in _MEASURE_FAMILY_TEXT if asked.intersection(family.split())
            for w in family.split()}
    return (_WHY.match(q.text) and reason_value(candidate.text, key)) or description_value(
        candidate.text, key, {} if q.foreign else _with_families(slot_anchors(q.text)),
        q.text)


def _slot_said_next(q: Question, best: _Candidate, source: Source) -> _Candidate:
    """The sentence after ``best`` in its memory, where ``best`` only sets the scene and
    that one fills the answer's slot ("On Sunday I took my nephews to a glass-blowing
    class. We all made marbles" asked what they made there); else ``best``."""
    if (q.foreign or _WHY.match(q.text) or source.memory.source == "screen"
            or best.span not in source.lines):
        return best  # (a screen's next line is the next thing on it, not the next sentence)
    index = source.lines.index(best.span)
    if index + 1 >= len(source.lines):
        return best
    following = source.lines[index + 1]
    anchors, key = _with_families(slot_anchors(q.text)), _asked_words(q)
    if (following.frame_id != best.span.frame_id or holds_slot(best.text, anchors, key)
            or not holds_slot(following.text, anchors, key)):
        return best
    return replace(best, span=following, text=following.text)


def _with_families(anchors: dict[str, int]) -> dict[str, int]:
    """The anchors with the words of their families ("symbolize": "stands" for)."""
    out = dict(anchors)
    for family in _MEASURE_FAMILIES:
        weight = max((anchors.get(w, 0) for w in family), default=0)
        if weight:
            out.update({w: max(weight, out.get(w, 0)) for w in family})
    return out


def _items(q: Question, candidates: list[_Candidate]) -> list[tuple[str, _Candidate]]:
    """The best answer of each memory that answers nearly as well as the best one, up to
    ``LIST_ITEMS``, each said once."""
    out: list[tuple[str, _Candidate]] = []
    seen_memories: set[int] = set()
    seen_items: set[str] = set()
    for c in candidates:
        if c.rank < candidates[0].rank - LIST_MARGIN or len(out) == LIST_ITEMS:
            break
        if c.number in seen_memories:
            continue
        seen_memories.add(c.number)
        short = c.value.text if c.value is not None else _short_description(q, c)
        if short and short.lower() not in seen_items:
            seen_items.add(short.lower())
            out.append((short, c))
    return out


def _has_edges(value: str, first: str, last: str) -> bool:
    """Does ``value`` (its letters and digits) begin with ``first`` and end with ``last``?"""
    bare = bare_code(value)
    return len(bare) > max(len(first), len(last)) and bare.startswith(first) and (
        bare.endswith(last))


def _edged(q: Question, sources: Sequence[Source], first: str, last: str) -> list[_Candidate]:
    """The values of the asked type with the stated edges on any line of the sources, the
    lines holding more of the question's words first, then in evidence order (a bare code
    in a table's cell shares no word with the question)."""
    key = _asked_words(q)
    out = []
    for number, source in enumerate(sources, 1):
        for line in source.lines:
            edged = [v for v in values(line.text, q.type) if _has_edges(v.text, first, last)]
            if edged:
                held = len(key & stems(line.text)) / max(1, len(key))
                out += [_Candidate(held, held, number, line, line.text, value,
                                   rank=held - number / 1000) for value in edged]
    return sorted(out, key=lambda c: -c.rank)


def extract(question: str, sources: Sequence[Source]) -> Extract:
    """The extractive answer to ``question`` from ``sources`` (in evidence order)."""
    _NEIGHBOURS.memo, _NEIGHBOURS.heights = {}, {}
    try:
        return _extract(question, sources)
    finally:
        _NEIGHBOURS.memo = _NEIGHBOURS.heights = None


def _extract(question: str, sources: Sequence[Source]) -> Extract:
    q = classify(question)
    found = _candidates(q, sources)
    candidates = [c for c in found if c.score >= MIN_SCORE]
    begins, ends = stated_edges(q.text) if q.type is AnswerType.IDENTIFIER else ("", "")
    if begins or ends:
        # the question says how the code asked begins or ends ("the long code starting with
        # 49"): that, not how well a span's words meet the question's, picks it; a code that
        # does not is no answer (asked anything else, the edges are another thing's: "how
        # much went on the card ending in 4821")
        edged = [c for c in found if c.score > 0 and c.value is not None
                 and _has_edges(c.value.text, begins, ends)] or _edged(q, sources, begins, ends)
        if edged or any(c.value is not None for c in candidates):
            candidates = edged
    if not candidates and q.type is AnswerType.ITEM:
        # "Which database …" named in plain words ("the orders database"): the clause says it
        q = replace(q, type=AnswerType.DESCRIPTION)
        candidates = [c for c in _candidates(q, sources) if c.score >= MIN_SCORE]
    if not candidates:
        return abstention(q, sources)
    best = candidates[0]
    if _NOW.search(q.text):
        best = _superseding(best, found)
    if q.type is AnswerType.TIME and _FIRST.search(q.text):
        best = _earliest(best, candidates, _asked_words(q))
    if q.type is AnswerType.COMMAND:
        best = _completed(best, candidates)
    source = sources[best.number - 1]
    cite = f"[{best.number}]"
    quote = _quote(best.text)
    if q.type is AnswerType.YESNO:
        # the span stating the asked state or its opposite answers, not one that only
        # names the thing ("Was the refund approved?": the line saying "Declined")
        # (only one that may answer: "cancelled" beside a question about a booking's
        # breakfast says too little of it)
        # (asked no state, "Am I in the pottery class?", a request's outcome: "Waitlisted")
        outcome = set() if _asked_states(q.text) else _GRANTED | _REFUSED
        settled = _verdict(q, candidates)
        if settled is not None:
            # a status written beside what is asked settles it: "Roof rack | Not selected",
            # "Brille: nicht gebucht", "Quota limit reached"
            stating, positive = settled
            short = yes_or_no(q, positive != asks_negative(q.text))
            return Extract(q, short, f"{short}: {_quote(stating.text)} [{stating.number}]",
                           False, stating.number, stating.span)
        best = next((c for c in candidates if c.rank >= best.rank - LIST_MARGIN
                     and c.coverage >= MIN_YESNO_COVERAGE and (
                         _states(q.text, c.text) or _said_states(c.text) & outcome)), best)
        quote, cite = _quote(best.text), f"[{best.number}]"
        if best.coverage < MIN_YESNO_COVERAGE or (
                _REQUIREMENT.search(best.text) and not _REQUIREMENT_ASKED.search(q.text)):
            # (a rule saying what a thing must be says nothing of whether it is: "Boarding
            # requires the pass to be valid" asked whether the pass is valid)
            return abstention(q, sources)
        negation = ANY_NEGATION if q.foreign else NEGATION
        same = bool(negation.search(best.text)) == bool(negation.search(q.text))
        if _opposed(q.text, best.text):
            same = not same  # "Was it approved?" / "Status: Declined"
        if _OFFER.search(_last_part(best.text)) and not _OFFER.match(q.text):
            # "Is it paid automatically?" / a button "Set up direct debit": it is not, whatever
            # else the span says ("Roof box · none · Add")
            same = bool(negation.search(q.text))
        short = yes_or_no(q, same)
        return Extract(q, short, f"{short}: {quote} {cite}", False, best.number, best.span)
    if q.type is AnswerType.STEPS:
        steps = _steps(source, best.span, best.text)
        if steps:
            listed = "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1))
            return Extract(q, "; ".join(steps), f"Steps {cite}:\n{listed}", False, best.number,
                           best.span)
        short = _unspeaker(best.text)
        return Extract(q, short, f"{quote} {cite}", False, best.number, best.span)
    if _asks_list(q):
        items = _items(q, candidates)
        if len(items) > 1:
            (_, first), *more = items
            return Extract(q, ", ".join(short for short, _ in items),
                           "\n".join(f"{short}: {_quote(c.text)} [{c.number}]" for short, c in items),
                           False, first.number, first.span,
                           tuple((c.number, c.span) for _, c in more))
    if best.value is None:
        best = _slot_said_next(q, best, source)
        short = _short_description(q, best)
        return Extract(q, short, f"{_quote(best.text)} {cite}", False, best.number, best.span)
    value = best.value.text
    written = best.text[best.value.start:best.value.end]
    if _HOW_LONG_AGO.search(q.text) and written.lower().endswith("ago"):
        value = written  # "how long ago" is answered "ten years ago", as it was said
    if best.value.end == 0:  # the memory's own date, not a date written in it
        own = _memory_day(source)
        said = "the day of this memory" if own is not None and own.text == value else (
            "the day this message tells of")  # "Last night …" earlier in the turn
        text = f"{value}, {said}: {quote} {cite}"
    else:
        text = f"{value}: {quote} {cite}"
    return Extract(q, value, text, False, best.number, best.span)
