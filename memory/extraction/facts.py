"""Facts and summaries from a segment's structure, with no template per app or site.

A fact is a subject and a value found together in one key-value pair, table row, chat
message or sentence (:mod:`memory.extraction.layout` finds those); its summary is that
span's own text, so it says what the screen said. People come from mail headers
("Name <email>"), "From"-like labels and chat authors. An episode's summary is a sentence
built from the most informative line of the segment, prefixed by who wrote it (a mail's
sender, a chat's authors) or the commands that were run.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from memory.extraction.candidates import MESSAGES, RESULTS, Candidate
from memory.extraction.layout import Command, Layout, Pair, label_like, sentences
from memory.extraction.values import (
    DATE,
    EMAIL,
    TIME,
    Value,
    find_values,
    resolve_when,
    when_spans,
)

#: Prefix of a details line holding the moment a fact's date phrase resolves to (derived
#: from the frame's time, like an episode's occurred_at; not a quote of the screen).
WHEN_PREFIX = "when: "
#: Most facts one segment may add (a huge table keeps its most informative rows).
MAX_FACTS = 30
#: Lines (or rows) with the same words, numbers and OCR noise aside, and no value but file
#: paths, are a stream (a build's progress, a download's counter) from this many on.
MIN_STREAM = 3
#: Lines read for facts and summaries (the first of a page, the last of a terminal), so a
#: 5,000-line screen costs no more than a long page; the whole text still reaches the
#: episode's details and the page's resource.
MAX_ANALYSED_LINES = 400
MAX_SUMMARY_CHARS = 300
#: How much each kind of value tells about a line (for the episode's summary).
VALUE_WEIGHT = {"date": 3.0, "time": 2.5, "money": 3.0, "identifier": 2.5, "email": 1.5,
                "url": 1.0, "path": 1.0, "quantity": 1.5, "year": 1.0}
#: Values that make a line a fact on their own (a bare year or quantity does not).
FACT_KINDS = {"date", "time", "money", "identifier", "email", "url", "path", "quantity", "year"}

_NAMED_EMAIL = re.compile(
    r"(?P<name>[A-ZÀ-Ý][\w'’-]+(?:[ -][A-ZÀ-Ý][\w'’-]+){0,3})\s*[<(\[](?P<email>[\w.+-]+@[\w-]+"
    r"(?:\.[\w-]+)+)[>)\]]")
_SENDER_LABEL = re.compile(r"^(?:from|von|de|da|van|sender|absender|expéditeur|remitente|"
                           r"author|autor|auteur|organi[sz]er|organisateur|host)$", re.IGNORECASE)
_PERSON = re.compile(r"^[A-ZÀ-Ý][\w'’-]+(?:[ -](?:van |de |von |da )?[A-ZÀ-Ý][\w'’.-]+){1,3}$")
_SIGN_OFF = re.compile(
    r"^(?:thanks|thank you|best|best regards|regards|kind regards|cheers|sincerely|"
    r"viele grüße|beste grüße|mit freundlichen grüßen|lg|cordialement|bien à vous|merci|"
    r"saludos|un saludo|atentamente|gracias|cordiali saluti|grazie)[,!.]?$", re.IGNORECASE)
#: Words after which a sentence's subject ends (verbs and linking words, several languages).
_VERB = re.compile(
    r"\b(?:is|are|was|were|will|has|have|had|can|could|must|should|would|moved|starts?|"
    r"begins?|ends?|takes?|costs?|covers?|feeds?|lives?|live|ist|sind|war|wird|werden|hat|"
    r"haben|beginnt|findet|kostet|est|sont|était|sera|a|ont|commence|coûte|es|son|está|"
    r"están|fue|será|tiene|empieza|cuesta|è|sono|sarà|ha)\b")
_ARTICLE = re.compile(r"^(?:the|a|an|der|die|das|le|la|les|l'|el|los|las|il|lo|un|una|une|ein|"
                      r"eine)\s+", re.IGNORECASE)
_TRAILING_LINK = re.compile(r"\s+(?:on|at|in|for|to|from|by|until|with|am|um|im|le|à|en|el|"
                            r"de|del|für|bis|ab)$", re.IGNORECASE)
_FUNCTION_WORDS = {"the", "and", "for", "you", "your", "our", "with", "from", "this", "that",
                   "has", "have", "was", "are", "not", "but", "all", "any", "can", "will"}
_NOT_PEOPLE = {"Inbox", "Sent", "Reply", "Forward", "Settings", "Search", "New", "Today",
               "Tomorrow", "Subject", "From", "To", "Dear", "Hi", "Hello", "Thanks"}


@dataclass(frozen=True)
class Span:
    """One place a fact may come from, with the values found in it."""

    text: str
    subject: str
    values: tuple[Value, ...]
    origin: str  # pair, row, message, sentence, line


def _informative(values: Sequence[Value]) -> list[Value]:
    return [v for v in values if v.kind in FACT_KINDS]


def subject_of(sentence: str, values: Sequence[Value]) -> str:
    """The phrase a sentence is about: the words before its verb (or before its first
    value), without a leading article; at most six words."""
    marked = _MARKUP.match(sentence)
    if marked is not None:
        cut = marked.end()
        sentence = sentence[cut:]
        values = [Value(v.kind, v.text, v.start - cut, v.end - cut) for v in values
                  if v.start >= cut]
    if len(_CJK.findall(sentence)) >= 2 and (lead := _CJK_SUBJECT.match(sentence)):
        return lead.group("subject")
    first_value = min((v.start for v in values), default=len(sentence))
    verb = _VERB.search(sentence)
    if verb is not None and verb.start() > 0 and len(sentence[: verb.start()].split()) <= 8:
        head = sentence[: verb.start()]
    else:
        head = sentence[:first_value]
    head = re.split(r"[,;:(<\[]", head, maxsplit=1)[0].strip()
    head = _ARTICLE.sub("", head)
    while _TRAILING_LINK.search(head):
        head = _TRAILING_LINK.sub("", head)
    if not _wordy(head.split()[:6]) and values:
        # "13:50 - 14:20 Budget review": the words after the values name the thing.
        start = _leading_values_end(sentence, values)
        stop = min((v.start for v in values if v.start >= start), default=len(sentence))
        head = _LOG_LEVEL.sub("", sentence[start:stop].strip(" -–—|:,"))
        # "12:04:45 WARN cache: evicted 40 keys": the words before the message's colon.
        head = re.split(r"[,;(<\[]|:\s", head, maxsplit=1)[0].strip()
        while _TRAILING_LINK.search(head):
            head = _TRAILING_LINK.sub("", head)
        if _COMPONENT.fullmatch(head):
            return head  # a host or a service ("db-02", "worker-7")
    words = head.split()[:6]
    wordy = [w for w in words if _wordy([w])]
    if not wordy or len(wordy) < len(words) / 2:
        return ""
    return " ".join(words).strip(" .-–·")


def _leading_values_end(sentence: str, values: Sequence[Value]) -> int:
    """Where the run of values that opens a line ("231:2026-06-14 09:19:19", with no
    word between them) ends."""
    end = 0
    for value in sorted(values, key=lambda v: v.start):
        if _wordy(sentence[end : value.start].split()):
            break
        end = value.end
    return end


def _log_line(sentence: str, values: Sequence[Value]) -> bool:
    """A log line: a time stamp, then a message a person could read ("2029-07-14 05:17:38
    ERROR edge-2: upstream timed out")."""
    start = _leading_values_end(sentence, values)
    return start > 0 and readable(sentence[start:])


def _version_line(sentence: str, values: Sequence[Value]) -> bool:
    """A release heading: a version number and the date or values beside it only
    ("## 2.0.1 - 2025-11-04", "v3.2 (12 May 2025)")."""
    text = _MARKUP.sub("", sentence)
    version = re.match(r"v?\d+(?:\.\d+)+\b", text)
    if version is None or not values:
        return False
    rest = text[version.end():]
    for value in values:
        rest = rest.replace(value.text, " ")
    return not rest.strip(" -–—|:,()[]")


#: Chinese, Japanese or Korean text names its subject first, up to its copula or topic
#: particle (是, 为, は, が, 은, 는…), a number or punctuation: "仓库盘点定于…" is about 仓库盘点.
_CJK_SUBJECT = re.compile(
    r"^(?P<subject>[\u3400-\u9fff\u30a0-\u30ff\uac00-\ud7af]{2,12}?)"
    r"(?=[是为為在于於将將定は가이은는을를]|[\d\s,，、。:：;；!?！？()（）《》「」]|$)")
#: A log line's level before its component ("ERROR", "[warn]", "W").
_LOG_LEVEL = re.compile(r"^\[?(?:ERROR|ERR|WARN(?:ING)?|INFO|DEBUG|FATAL|TRACE|CRITICAL|"
                        r"NOTICE)\]?:?\s+", re.IGNORECASE)
#: A log line's component: one name of letters with digits or dashes in it.
_COMPONENT = re.compile(r"[A-Za-z]{2,}[\w.-]*")
#: Markup before a line's words: Markdown heading hashes, list bullets, quote marks, a
#: progress counter ("[12/40]", "[ 85%]").
_MARKUP = re.compile(r"^(?:#{1,6}|[-*•>]|\d{1,3}[.)]|\[\s*\d+(?:/\d+|%)\s*\])\s+(?=\S)")
_VERSION = re.compile(r"^v?\d+(?:\.\d+)+$")


def _wordy(words: Sequence[str]) -> bool:
    return any(len(w.strip(".,'’")) >= 3 and w.strip(".,'’").replace("-", "").isalpha()
               and not w.startswith("-") and w.lower() not in _FUNCTION_WORDS
               or _VERSION.match(w) for w in words)


def spans(layout: Layout) -> list[Span]:
    """Every pair, table row, message and value-bearing sentence or line, as a span."""
    out: list[Span] = []
    for pair in layout.pairs:
        if _NAMED_EMAIL.search(pair.value):
            continue  # a sender or recipient: a person, not a fact
        out.append(Span(pair.text, pair.label, tuple(find_values(pair.value)), "pair"))
    rows = layout.table[:MAX_ANALYSED_LINES]
    lines = layout.lines[:MAX_ANALYSED_LINES]
    passed = _passed([row.text for row in rows]) | _passed(lines)
    for row in rows:
        # The row's first worded cell names it; a row of figures only ("C14 | 07:10") is
        # named by its first cell's header ("Pickup desk").
        first = next((v for _, v in row.cells if _LETTER_WORD.search(v)), "") or next(
            (h for h, _ in row.cells[:1] if _LETTER_WORD.search(h)), "")
        values = tuple(find_values(row.text))
        if row.text in passed and all(v.kind == "path" for v in values):
            continue
        out.append(Span(row.text, first, values, "row"))
    # Chat messages are kept whole under their author (message_candidates), not here.
    covered = {p.text for p in layout.pairs} | {m.text for m in layout.messages}
    covered |= {line for m in layout.messages for line in layout.lines
                if line.startswith(m.author) and m.time and m.time in line}
    headings = set(layout.headings)
    for line in lines:
        if line in covered or line in headings or " | " in line or _NAMED_EMAIL.search(line):
            continue
        for sentence in sentences(line):
            found = find_values(sentence)
            if line in passed and all(v.kind == "path" for v in found):
                continue
            if not _informative(found) or not (readable(sentence) or _version_line(
                    sentence, found) or _log_line(sentence, found)):
                continue
            subject = subject_of(sentence, found)
            if subject and not all(_inside(subject, v) for v in found):
                out.append(Span(sentence, subject, tuple(found), "sentence"))
    return out


def _passed(texts: Sequence[str]) -> set[str]:
    """The lines of a stream that a later line of the same shape has overtaken: a build's
    progress ("[41/97] CC lib/a41.o"), a download's counter. Only the latest says much."""
    shapes = [" ".join(_LETTER_WORD.findall(t)) for t in texts]
    counts = Counter(shapes)
    last = {shape: n for n, shape in enumerate(shapes)}
    return {t for n, (t, shape) in enumerate(zip(texts, shapes, strict=True))
            if shape and counts[shape] >= MIN_STREAM and last[shape] != n}


def _inside(subject: str, value: Value) -> bool:
    return subject.strip() == value.text.strip()


def read_side(layout: Layout) -> Layout:
    """A terminal's text without its prompts and commands: the output (a log, a pager, an
    editor) that facts may come from."""
    commands = {line for line in layout.lines
                if any(line.endswith(c.command) for c in layout.commands)}
    return Layout(lines=[line for line in layout.lines if line not in commands],
                  units=list(layout.units), pairs=list(layout.pairs),
                  table=list(layout.table))


def fact_candidates(layout: Layout, *, topic: str, source: str | None,
                    now: datetime) -> list[Candidate]:
    """Semantic facts: each span whose subject and value sit together on the screen. The
    page they came from goes to ``source``; ``details`` holds only the moment a date phrase
    names, so every stated line is the screen's own."""
    found = [s for s in spans(layout) if s.subject and (
        _informative(s.values) or s.origin in ("pair", "row") and len(s.text) <= 160)]
    found.sort(key=lambda s: -_score(s.text, s.values))
    out: list[Candidate] = []
    for span in found[:MAX_FACTS]:
        value = span.text[len(span.subject):].strip(" :—-") if span.text.startswith(
            span.subject) else span.text
        details = _when_details(span.text, now)
        where = " — ".join(x for x in (source, topic) if x) or None
        out.append(Candidate(
            "semantic",
            {"name": span.subject[:120], "summary": span.text[:MAX_SUMMARY_CHARS],
             "details": "\n".join(details), "source": where},
            key=f"fact:{topic}:{span.subject}:{span.text[:80]}", tree_path="facts",
            confidence=0.8, entities=[span.subject, value or span.text],
        ))
    return out


#: Commands whose output is where the user is or what a folder holds, not a result.
_NOT_RESULTS = {"cd", "ls", "ll", "pwd", "clear", "echo", "history", "exit", "vi", "vim",
                "nvim", "nano", "less", "more", "man", "top", "htop"}


def answer_of(command: Command) -> str:
    """What ``command`` printed when that is its answer (a total, a version, a count: short
    and with a figure), else "". Listing a folder or moving into one answers nothing."""
    words = command.command.split()
    text = command.result
    if not words or words[0] in _NOT_RESULTS or not any(ch.isdigit() for ch in text):
        return ""
    return text


def result_candidates(layout: Layout, *, source: str | None) -> list[Candidate]:
    """What a command printed when it printed little: one memory per command, named by the
    command, holding its output (a total, a version, a count), so the answer stays with
    the question that was asked of the machine. Like a message, it matches only itself:
    the same command run another day may print something else."""
    out: list[Candidate] = []
    for command in layout.commands:
        text = answer_of(command)
        if not text:
            continue
        name = command.command.strip()[:120]
        out.append(Candidate(
            "semantic",
            {"name": name, "summary": text, "details": "", "source": source},
            key=f"result:{source}:{name}:{text[:80]}", tree_path=RESULTS,
            confidence=0.8, entities=[name, text],
        ))
    return out


#: Most chat messages one segment turns into memories (the newest).
MAX_MESSAGES = 30
#: A message shorter than this (in words, or CJK characters) says too little to keep
#: ("ok", "收到。", "see you there").
MIN_MESSAGE_WORDS = 5
MIN_MESSAGE_CJK = 8


def message_candidates(layout: Layout, *, source: str | None,
                       now: datetime) -> list[Candidate]:
    """What was said in a chat thread: each message worth reading, whole, named by its
    author and time (one memory per message, so who said it stays with what was said, and
    a plan or a name said in passing stays findable and answerable even when it holds no
    date or amount)."""
    out: list[Candidate] = []
    for message in layout.messages[-MAX_MESSAGES:]:
        text = message.text
        if not message.author or not readable(text):
            continue
        if len(text.split()) < MIN_MESSAGE_WORDS and len(_CJK.findall(text)) < MIN_MESSAGE_CJK:
            continue
        name = " ".join(p for p in (message.author, message.time) if p)
        out.append(Candidate(
            "semantic",
            {"name": name[:120], "summary": text[:MAX_SUMMARY_CHARS],
             "details": "\n".join(_when_details(text, now)), "source": source},
            key=f"message:{source}:{name}:{text[:80]}", tree_path=MESSAGES,
            confidence=0.8, entities=[name, text, message.author],
        ))
    return out

def _when_details(text: str, now: datetime) -> list[str]:
    """A details line with the moment the text's first explicit date names."""
    phrases = [p for p in when_spans(text)[:1] if _explicit_date(p)]
    moments = [(p, m) for p in phrases if (m := resolve_when(p, now)) is not None]
    return [f"{WHEN_PREFIX}{_moment_text(p, m)}" for p, m in moments]


_AMBIGUOUS_NUMERIC = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")


def _explicit_date(phrase: str) -> bool:
    """A phrase naming a calendar day by itself ("20 March", "2026-05-14", "14.02.2026"),
    not one that needs today's date ("9 AM", "tomorrow") or reads two ways ("06/01/2026")."""
    return bool(DATE.search(phrase)) and not _AMBIGUOUS_NUMERIC.search(phrase)


def _moment_text(phrase: str, moment: datetime) -> str:
    """The resolved moment, with a time only when the phrase gave one."""
    if TIME.search(phrase):
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.strftime("%Y-%m-%d")


def people(lines: Sequence[str], layout: Layout) -> list[tuple[str, str | None]]:
    """(name, email) of mail senders and chat authors, first seen first."""
    found: dict[str, str | None] = {}
    for line in lines:
        for match in _NAMED_EMAIL.finditer(line):
            name = _strip_label(match.group("name"))
            if name:
                found.setdefault(name, match.group("email"))
    for pair in layout.pairs:
        if _SENDER_LABEL.match(pair.label.strip()):
            named = _NAMED_EMAIL.search(pair.value)
            name = _strip_label(named.group("name")) if named else pair.value.strip()
            email = named.group("email") if named else (
                m.group(0) if (m := EMAIL.search(pair.value)) else None)
            if name and _PERSON.match(name):
                found.setdefault(name, email)
    for message in layout.messages:
        if _PERSON.match(message.author) or message.author.startswith("@"):
            found.setdefault(message.author, None)
    return list(found.items())


def _strip_label(name: str) -> str:
    words = name.split()
    while words and words[0] in _NOT_PEOPLE:
        words.pop(0)
    return " ".join(words) if len(words) >= 2 else ""


def signature(lines: Sequence[str], name: str) -> str:
    """The lines under a sign-off that names ``name`` (title, company)."""
    for i, line in enumerate(lines):
        if line.strip() == name and i > 0 and _SIGN_OFF.match(lines[i - 1].strip()):
            return "\n".join(x.strip() for x in lines[i + 1 : i + 3] if len(x) < 80)
    return ""


def person_candidates(lines: Sequence[str], layout: Layout, source: str | None,
                      ) -> list[Candidate]:
    out: list[Candidate] = []
    for name, email in people(lines, layout):
        summary = f"{name} <{email}>" if email else name
        out.append(Candidate(
            "semantic",
            {"name": name, "summary": summary[:MAX_SUMMARY_CHARS],
             "details": signature(lines, name), "source": source},
            key=f"person:{name}", tree_path="people",
            entities=[name, email or name],
        ))
    return out


def _score(text: str, values: Sequence[Value]) -> float:
    words = text.split()
    score = sum(VALUE_WEIGHT.get(v.kind, 0.0) for v in values)
    score += min(len(words), 25) / 10
    names = sum(1 for w in words[1:] if w[:1].isupper() and w.strip(".,").isalpha())
    score += min(names, 3) * 0.5
    if len(words) < 4:
        score -= 1.5
    return score


_LETTER_WORD = re.compile(r"[^\W\d_]{2,}")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def readable(text: str) -> bool:
    """Text a person could read: mostly letters, with at least two words (or two CJK
    characters). Garbled OCR ("l1|;: ~ Ìì") and lone words or numbers are not."""
    compact = re.sub(r"\s", "", text)
    if not compact:
        return False
    letters = sum(ch.isalpha() for ch in compact)
    if letters < 0.5 * len(compact):
        return False
    if len(_CJK.findall(text)) >= 2:
        return True
    words = _LETTER_WORD.findall(text)
    in_words = sum(len(w) for w in words)
    return in_words >= 0.4 * len(compact) and sum(1 for w in words if _word_like(w)) >= 2


_VOWEL = re.compile(r"[aeiouyàáâäãåæèéêëìíîïòóôöõøùúûüýœ]", re.IGNORECASE)


def _word_like(word: str) -> bool:
    """A word's shape: three letters or more, one case pattern (word, Word, WORD) and a
    vowel in Latin script; "OlXz" or "Qq" are OCR noise."""
    if len(word) < 3 or not (word.islower() or word.isupper() or word.istitle()):
        return False
    latin = all(ord(ch) < 0x250 for ch in word)
    return not latin or bool(_VOWEL.search(word))


def plain_sentence(layout: Layout) -> str:
    """The first readable sentence that states no value (a date, an amount, a name of
    its own): what a page is about, for a title's summary."""
    for line in layout.lines[:MAX_ANALYSED_LINES]:
        for sentence in sentences(line):
            if readable(sentence) and len(sentence.split()) >= 5 and not find_values(
                    sentence) and not any(w[:1].isupper() for w in sentence.split()[1:]):
                return sentence
    return ""


def best_lines(layout: Layout, limit: int = 1) -> list[str]:
    """The segment's most informative sentences, best first."""
    covered = set(layout.headings) | {p.value for p in layout.pairs}
    scored: list[tuple[float, int, str]] = []
    for i, pair in enumerate(layout.pairs):
        if pair.label in layout.headings:
            scored.append((_score(pair.text, find_values(pair.value)), i, pair.text))
    stacked = [p.value for p in layout.pairs[:200] if p.label in layout.headings]
    for i, line in enumerate(layout.lines[:MAX_ANALYSED_LINES]):
        if line in covered or _SIGN_OFF.match(line) or any(line in v for v in stacked):
            continue
        for sentence in sentences(line):
            if readable(sentence):
                scored.append((_score(sentence, find_values(sentence)), i, sentence))
    scored.sort(key=lambda t: (-t[0], t[1]))
    best = [s for _, _, s in scored[:1]]
    for _, _, sentence in scored[1:limit]:
        if sum(1 for w in sentence.split() if _word_like(w.strip(".,;:!?"))) >= 4:
            best.append(sentence)
    return best


def episode_summary(layout: Layout, *, lines: Sequence[str], title: str | None,
                    terminal: bool) -> str:
    """What happened in the segment, in one sentence taken from what the screen said."""
    if layout.prompted and (terminal or len(layout.commands) >= 2):
        commands = [c.command for c in layout.commands]
        where = _cwd(layout.commands[-1].prompt) or title or ""
        output = _best_output(layout)
        text = "Ran " + "; ".join(commands[-3:]) + (f" in {where}" if where else "")
        return clip(text + (f": {output}" if output else ""))
    heading = layout.headings[0] if layout.headings else (title or "")
    if not readable(heading) and heading != title:
        heading = title or ""
    if layout.messages:
        said = max(layout.messages[-MAX_ANALYSED_LINES:], key=lambda m: _score(m.text, find_values(m.text)))
        where = heading or title or ""
        return clip(f"{where}: {said.author}: {said.text}" if where
                    else f"{said.author}: {said.text}")
    best = best_lines(layout, limit=2)
    pairs = key_pairs(layout)
    if pairs:
        # A card's fields (a booking's date, time and code) and the best sentence, the
        # weightier first; both when they fit.
        card = ("; ".join(p.text for p in pairs),
                sum(_score(p.text, find_values(p.value)) for p in pairs))
        told = [b for b in best if not any(b in p.text for p in pairs)]
        sentence = (told[0], _score(told[0], find_values(told[0]))) if told else ("", 0.0)
        best = [text for text, _ in sorted((card, sentence), key=lambda t: -t[1]) if text]
    senders = [name for name, email in people(lines, layout) if email]
    if best and heading and best[0].startswith(heading):
        heading = ""
    head = ": ".join(p for p in (senders[0] if senders else "", heading) if p)
    body = " — ".join(best)  # two excerpts from different places, not one passage
    if len(head) + len(body) > MAX_SUMMARY_CHARS and best and not pairs:
        body = best[0]
    return clip(f"{head}: {body}" if head and body else head or body)


#: A pair longer than this is a sentence with a colon, not a field.
MAX_PAIR_CHARS = 120
#: Most label–value pairs an episode's summary quotes (a booking's date, time and code).
SUMMARY_PAIRS = 3
#: Values that make a pair say what a page is about.
_CARD_KINDS = ("date", "time", "money", "identifier", "quantity")


def key_pairs(layout: Layout) -> list[Pair]:
    """The fields that say what a page is about: those holding a date, time, amount, code
    or quantity, the weightiest few, in screen order. They come from the page's label–value
    pairs or from its headerless two-column table ("Date | Sunday, 9 August"), whichever
    says more; none unless two fields do (one dated line, a mail's "Sent:", is a header,
    not a card)."""
    rows = [Pair(row.cells[0][1], row.cells[1][1]) for row in layout.table
            if len(row.cells) == 2 and not row.cells[0][0] and label_like(row.cells[0][1])]
    best: list[tuple[float, int, Pair]] = []
    for fields in (layout.pairs, rows):
        scored: list[tuple[float, int, Pair]] = []
        for i, pair in enumerate(fields[:MAX_ANALYSED_LINES]):
            if _NAMED_EMAIL.search(pair.value) or len(pair.text) > MAX_PAIR_CHARS:
                continue
            weight = sum(VALUE_WEIGHT[v.kind] for v in find_values(pair.value)
                         if v.kind in _CARD_KINDS)
            if weight:
                scored.append((weight, i, pair))
        top = sorted(scored, key=lambda t: (-t[0], t[1]))[:SUMMARY_PAIRS]
        if len(top) >= 2 and sum(t[0] for t in top) > sum(t[0] for t in best):
            best = top
    return [pair for _, _, pair in sorted(best, key=lambda t: t[1])]


def _best_output(layout: Layout) -> str:
    lines = [line for c in layout.commands for line in c.output
             if readable(line)][-MAX_ANALYSED_LINES:]
    if not lines:
        return ""
    return max(lines, key=lambda line: (_score(line, find_values(line)), -len(line)))


_CWD = re.compile(r"(?P<path>[~/][^\s$#%>❯\]]*)")


def _cwd(prompt: str) -> str:
    match = _CWD.search(prompt)
    return match.group("path") if match else ""


def clip(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= MAX_SUMMARY_CHARS:
        return text
    return text[: MAX_SUMMARY_CHARS - 1].rsplit(" ", 1)[0] + "…"
