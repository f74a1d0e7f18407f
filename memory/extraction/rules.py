"""Deterministic extractors: what rules find reliably in a segment's text.

The segment is first read for structure (:mod:`memory.extraction.layout`: columns, tables,
key-value pairs, messages, commands, chrome set aside), then: vault entries (see
:mod:`memory.extraction.vault_rules`), resources (pages and documents read, with their whole
cleaned text; URLs, files), procedures (commands actually run, numbered steps, documented
commands), semantic facts (:mod:`memory.extraction.facts`: a subject and a value from one
pair, row, message or sentence; people; definitions; stated preferences) and the segment's
episodic memory, whose summary is built from what the screen said. Every value comes from
the text, so rule output is grounded by construction; secrets are replaced by a vault
reference in every non-vault field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlparse

from memory.extraction import facts, vault_rules
from memory.extraction.candidates import Candidate
from memory.extraction.grounding import FREE_WORDS
from memory.extraction.layout import Layout, read_frame
from memory.extraction.segments import MAX_SEGMENT_CHARS, Segment
from memory.extraction.vault_rules import EMAIL, Secret, redact
from memory.schema import parse_iso, to_iso

#: A page or document read keeps its whole cleaned text (up to the segment's limit).
MAX_CONTENT_CHARS = MAX_SEGMENT_CHARS
MAX_DETAILS_CHARS = 4000
#: Words of prose that make a page worth keeping as a resource.
MIN_PAGE_WORDS = 30
#: Lines a pager or an editor shows for its screen to be kept as a document.
MIN_DOCUMENT_LINES = 8

APP_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("terminal", ("terminal", "konsole", "xterm", "alacritty", "kitty", "iterm", "wezterm",
                  "tilix", "bash", "zsh", "powershell", "cmd")),
    ("code", ("code", "vscodium", "vim", "nvim", "emacs", "sublime", "pycharm", "idea",
              "zed", "kate", "gedit")),
    ("mail", ("mail", "thunderbird", "outlook", "evolution", "geary", "gmail")),
    ("chat", ("slack", "signal", "telegram", "discord", "teams", "element", "whatsapp",
              "messages", "chat")),
    ("calendar", ("calendar",)),
    ("document", ("writer", "docs", "word", "pages", "libreoffice", "evince", "okular",
                  "acrobat", "preview", "obsidian", "notion", "typora", "zathura")),
    ("settings", ("settings", "preferences", "console", "dashboard")),
    ("browsing", ("firefox", "chrome", "chromium", "safari", "brave", "edge", "browser",
                  "epiphany", "vivaldi")),
)
_CODE_EXT = {".py", ".js", ".ts", ".tsx", ".rs", ".go", ".java", ".c", ".cc", ".cpp", ".h",
             ".sh", ".rb", ".kt", ".swift", ".sql", ".toml", ".yaml", ".yml", ".json"}
_DOC_EXT = {".md": "markdown", ".markdown": "markdown", ".pdf": "pdf_text", ".txt": "doc",
            ".docx": "doc", ".odt": "doc", ".doc": "doc", ".csv": "spreadsheet",
            ".xlsx": "spreadsheet", ".ods": "spreadsheet", ".png": "image", ".jpg": "image"}
_FILE_NAME = re.compile(r"[\w.-]+\.(?:[A-Za-z0-9]{1,5})\b")
#: A file a pager or an editor shows, on its status line: a name with a lettered extension.
_SHOWN_FILE = re.compile(r"[\w.-]*[A-Za-z_][\w.-]*\.[A-Za-z][A-Za-z0-9]{0,4}\b")
_PATH = re.compile(r"(?:~|/home/[\w.-]+|/Users/[\w.-]+|/tmp|/srv|/opt|/etc)(?:/[\w.@+-]+)+\.\w{1,5}\b")
_URL = re.compile(r"\bhttps?://[^\s<>\"')\[\]]+")
_STEP = re.compile(r"^\s*(?:step\s*)?(?P<n>\d{1,2})[.):]\s+(?P<text>\S.{2,})$", re.IGNORECASE)
_DEFINITION = re.compile(
    r"^(?:The\s+)?(?P<name>[A-Z][\w'-]+(?:\s+(?:[A-Z][\w'-]+|of|de|du|la)){0,4})\s+"
    r"(?:is|was|are|were)\s+(?:a|an|the|one of)\s+[^.]{8,220}\."
)
_PREFERENCE = re.compile(
    r"\b(?:I|we)\s+(?:really\s+)?(?:prefer|like|love|hate|dislike|always use|usually use|"
    r"never use|am allergic to)\s+(?P<what>[^.!?\n]{3,120})",
    re.IGNORECASE,
)
_PERSON = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2}\b")
_NUMBERISH = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b\d{4}-\d{2}-\d{2}\b|[$€£]\s?\d[\d,.]*")
_NOT_NAMES = {"Inbox", "Sent", "Reply", "Forward", "Settings", "Search", "New", "The", "This",
              "Today", "Tomorrow", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
              "Saturday", "Sunday", "Subject", "From", "To", "Dear", "Hi", "Hello", "Thanks"}

def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Words the rule templates below add to what the text says ("Read mail in", "Password
#: for", "Order ... total"); a hallucination check treats them as labels, not claims.
TEMPLATE_WORDS = _word_set(
    """read mail chatted checked calendar worked document ran commands edited code changed
    settings browsed used run file order total contact bookmark password preference steps
    vault api key token openai stripe aws access github gitlab slack google hugging face
    iban account number payment card address note untitled screen manual activity
    terminal browsing chat other"""
)


@dataclass
class RuleOutput:
    """Everything the rules found in one segment; ``secrets`` are kept only so other
    fields can be redacted and the vault store them encrypted; ``layout`` is the
    segment's (redacted) structure, whose units ground every fact."""

    candidates: list[Candidate] = field(default_factory=list)
    secrets: list[Secret] = field(default_factory=list)
    kind: str = "other"
    entities: list[str] = field(default_factory=list)
    layout: Layout = field(default_factory=Layout)


def app_kind(app: str | None, title: str | None = None) -> str:
    name = (app or "").lower()
    for kind, markers in APP_KINDS:
        if any(marker == name or marker in name.split() or name.startswith(marker)
               for marker in markers):
            return kind
    lowered = (title or "").lower()
    if any(word in lowered for word in ("settings", "api keys", "preferences")):
        return "settings"
    return "other"


def _where(segment: Segment) -> str:
    parts = [p for p in (segment.app, _short_title(segment)) if p]
    return " — ".join(parts)


def _short_title(segment: Segment) -> str | None:
    title = segment.window_title
    if not title:
        return None
    app = segment.app or ""
    clean = re.sub(r"\s*[-—|]\s*" + re.escape(app) + r"\s*$", "", title, flags=re.IGNORECASE)
    clean = re.sub(r"\s*[-—|]\s*(Mozilla Firefox|Google Chrome|Chromium)\s*$", "", clean)
    return clean.strip() or title


def key_entities(text: str, limit: int = 12) -> list[str]:
    """Names, emails, times and amounts in ``text``, most frequent first."""
    counts: dict[str, int] = {}
    for pattern in (_PERSON, EMAIL, _NUMBERISH):
        for match in pattern.finditer(text):
            value = match.group(0).strip()
            if pattern is _PERSON:
                words = value.split()
                while words and (words[0] in _NOT_NAMES or words[0].lower() in FREE_WORDS):
                    words.pop(0)
                if len(words) < 2:
                    continue
                value = " ".join(words)
            if "[vault" in value:
                continue
            counts[value] = counts.get(value, 0) + 1
    return sorted(counts, key=lambda v: (-counts[v], text.find(v)))[:limit]


def resource_candidates(segment: Segment, text: str, kind: str) -> list[Candidate]:
    out: list[Candidate] = []
    title = _short_title(segment) or segment.app or "Untitled"
    summary = _first_sentence(text)
    if segment.url:
        out.append(Candidate(
            "resource",
            {"title": title, "summary": summary, "resource_type": "url",
             "content": text[:MAX_CONTENT_CHARS], "uri": segment.url},
            key=f"uri:{segment.url}", tree_path=f"resources/{urlparse(segment.url).netloc}",
        ))
    name_match = _FILE_NAME.search(segment.window_title or "")
    ext = ("." + name_match.group(0).rsplit(".", 1)[1].lower()) if name_match else ""
    if kind == "code" or ext in _CODE_EXT:
        file_name = name_match.group(0) if name_match else title
        path = next((m.group(0) for m in _PATH.finditer(text) if m.group(0).endswith(file_name)),
                    None)
        out.append(Candidate(
            "resource",
            {"title": file_name, "summary": f"Code file {file_name}", "resource_type": "code",
             "content": text[:MAX_CONTENT_CHARS], "uri": path},
            key=f"file:{path or file_name}", tree_path="resources/code",
        ))
    elif kind == "document" or ext in _DOC_EXT:
        doc_name = name_match.group(0) if name_match else title
        out.append(Candidate(
            "resource",
            {"title": doc_name, "summary": summary,
             "resource_type": _DOC_EXT.get(ext, "doc"), "content": text[:MAX_CONTENT_CHARS],
             "uri": None},
            key=f"doc:{doc_name}", tree_path="resources/documents",
        ))
    seen = {c.fields.get("uri") for c in out}
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;")
        if url in seen or "bookmark" in title.lower():
            continue
        seen.add(url)
        out.append(Candidate(
            "resource",
            {"title": url, "summary": _line_containing(text, url), "resource_type": "url",
             "content": "", "uri": url},
            key=f"uri:{url}", confidence=0.8, tree_path=f"resources/{urlparse(url).netloc}",
        ))
    for match in _PATH.finditer(text):
        path = match.group(0)
        if path in seen:
            continue
        seen.add(path)
        suffix = "." + path.rsplit(".", 1)[1].lower()
        out.append(Candidate(
            "resource",
            {"title": path.rsplit("/", 1)[1], "summary": _line_containing(text, path),
             "resource_type": "code" if suffix in _CODE_EXT else _DOC_EXT.get(suffix, "doc"),
             "content": "", "uri": path},
            key=f"file:{path}", confidence=0.8, tree_path="resources/files",
        ))
    return out


def procedural_candidates(segment: Segment, layout: Layout, kind: str) -> list[Candidate]:
    """Procedures only from what was run or documented: commands after a prompt, numbered
    steps. A list of short lines (a channel sidebar, a menu) is not a procedure."""
    out: list[Candidate] = []
    commands = list(dict.fromkeys(c.command for c in layout.commands))
    if len(commands) >= 2:
        ran = kind == "terminal"
        # A command run keeps what it answered as a shell comment, so the step still runs
        # when copied ("git describe --tags  # v1.4.2"); the latest answer shown wins.
        shown = {command: command for command in commands}
        for command in layout.commands if ran else ():
            if answer := facts.answer_of(command):
                shown[command.command] = f"{command.command}  # {answer}"
        where = facts._cwd(layout.commands[-1].prompt) or (
            "" if ran or not layout.headings else layout.headings[0]) or _short_title(
            segment) or segment.app or "terminal"
        out.append(Candidate(
            "procedural",
            {"entry_type": "script",
             "summary": ("Commands run in " if ran else "Commands documented in ")
             + f"{where}: " + "; ".join(commands[:3]), "steps": list(shown.values())},
            key=f"script:{where}:{commands[0]}", tree_path="procedures/scripts",
        ))
    lines = layout.lines
    steps: list[str] = []
    heading = ""
    expected = 1
    for i, line in enumerate([*lines, ""]):
        match = _STEP.match(line)
        if match and int(match.group("n")) == expected:
            if expected == 1:
                heading = _heading_before(layout, i)
            steps.append(match.group("text").strip())
            expected += 1
            continue
        if len(steps) >= 2 and not _references(steps):
            topic = heading if heading and not _STEP.match(heading) else (
                _short_title(segment) or "Steps")
            # What the guide is for and where it starts ("Chili: Heat the oil…").
            summary = facts.clip(f"{topic.rstrip(':')}: {steps[0]}")
            out.append(Candidate(
                "procedural",
                {"entry_type": "guide", "summary": summary, "steps": steps},
                key=f"guide:{topic}", tree_path="procedures/guides",
            ))
        steps, expected = [], 1
        if match and int(match.group("n")) == 1:
            heading = _heading_before(layout, i)
            steps, expected = [match.group("text").strip()], 2
    return out


#: What a numbered bibliography's entries hold: a year in brackets, "et al.", a journal's
#: "volume: pages".
_CITATION = re.compile(r"\((?:1[5-9]|20)\d\d[a-z]?\)|\bet al\.|\b\d+:\s?\d+[–-]\d+\b")


def _references(items: Sequence[str]) -> bool:
    """A numbered list of references (an article's sources), not steps to follow."""
    return sum(bool(_CITATION.search(item)) for item in items) >= 0.5 * len(items)


def _heading_before(layout: Layout, index: int) -> str:
    """What a list of steps is about: the line before it when it introduces it ("...:"),
    else the nearest heading above it."""
    previous = layout.lines[index - 1].strip() if index > 0 else ""
    if previous.endswith((":", "：")) or previous in layout.headings:
        return previous
    return next((line for line in reversed(layout.lines[:index]) if line in layout.headings),
                previous)


def semantic_candidates(segment: Segment, layout: Layout, kind: str,
                        lines: Sequence[str]) -> list[Candidate]:
    topic = (layout.headings[0] if layout.headings else _short_title(segment)) or ""
    source = segment.app or segment.source
    out = facts.person_candidates(lines, layout, segment.app)
    out += facts.fact_candidates(facts.read_side(layout) if kind == "terminal" else layout,
                                 topic=topic, source=source, now=parse_iso(segment.started_at))
    out += facts.message_candidates(layout, source=source, now=parse_iso(segment.started_at))
    out += facts.result_candidates(layout, source=source)
    for line in layout.lines:
        definition = _DEFINITION.match(line)
        if definition and kind in ("browsing", "document", "other", "note"):
            name = definition.group("name").strip()
            if name.split()[0] not in _NOT_NAMES:
                out.append(Candidate(
                    "semantic",
                    {"name": name, "summary": definition.group(0).strip(), "details": "",
                     "source": segment.url or segment.app},
                    key=f"topic:{name}", tree_path="topics", confidence=0.8,
                    entities=[name, definition.group(0).strip()],
                ))
        for pref in _PREFERENCE.finditer(line):
            what = pref.group("what").strip()
            out.append(Candidate(
                "semantic",
                {"name": f"Preference: {what}", "summary": pref.group(0).strip(),
                 "details": "", "source": segment.app or segment.source},
                key=f"preference:{what}", tree_path="preferences", confidence=0.8,
                entities=[pref.group(0).strip(), what],
            ))
    return _unique(out)


def page_candidate(segment: Segment, layout: Layout, kind: str) -> Candidate | None:
    """A page or document read, holding its whole cleaned text, so a fact deep in it stays
    findable. Chats, mail with a sender and shell sessions are episodes, not pages; a
    terminal taken over by a pager or an editor (no prompt on screen) shows a document."""
    if kind in ("chat", "note", "code") or layout.messages or segment.url:
        return None
    if kind == "terminal":
        # The pager's or editor's status line names the file ("notes/howto.md (END)").
        named = [m.group(0) for line in layout.lines[-3:] for m in _SHOWN_FILE.finditer(line)]
        if layout.prompted or not named or len(layout.lines) < MIN_DOCUMENT_LINES:
            return None
        title = named[-1]
    else:
        prose = [line for line in layout.lines if len(line.split()) >= 6]
        if sum(len(line.split()) for line in prose) < MIN_PAGE_WORDS:
            return None
        title = (layout.headings[0] if layout.headings else _short_title(segment)) or "Page"
    content = "\n".join(layout.lines)[:MAX_CONTENT_CHARS]
    return Candidate(
        "resource",
        {"title": title, "summary": facts.plain_sentence(layout)[:300],
         "resource_type": "doc", "content": content, "uri": None},
        key=f"page:{segment.app}:{title}", tree_path="resources/pages",
    )


def episodic_candidate(segment: Segment, layout: Layout, kind: str, entities: list[str],
                       lines: Sequence[str]) -> Candidate:
    title = _short_title(segment)
    text = "\n".join(layout.lines)
    if segment.source != "screen":
        summary = _first_sentence(text) or "Note"
    else:
        summary = facts.episode_summary(layout, lines=lines, title=title,
                                        terminal=kind == "terminal")
        if not summary:
            summary = " in ".join(p for p in (title, segment.app) if p) or "Screen"
    details = text[:MAX_DETAILS_CHARS] if segment.source == "screen" else "\n".join(lines)
    return Candidate(
        "episodic",
        {"occurred_at": to_iso(parse_iso(segment.started_at)),
         "ended_at": to_iso(parse_iso(segment.ended_at)),
         "actor": "user", "event_type": kind if segment.source == "screen" else "note",
         "summary": summary[:300], "details": details, "app": segment.app,
         "window_title": segment.window_title, "url": segment.url},
        key=f"episode:{segment.app}:{title}", tree_path=f"activity/{kind}",
        entities=entities,
    )


def read_layout(segment: Segment, secrets: Sequence[Secret], kind: str) -> Layout:
    """The segment's structure, frame by frame (boxes are per frame), secrets redacted."""
    layout = Layout()
    # What a shell prints again is still output: terminals learn no app chrome.
    app_chrome = segment.app_chrome if kind != "terminal" else None
    set_aside: list[str] = []
    for frame in segment.frames:
        lines = [redact(line, secrets) for line in frame.lines]
        boxes = list(frame.boxes)
        if app_chrome and len(boxes) == len(lines):
            keep = [not app_chrome.holds(line, box) for line, box in zip(frame.lines, boxes,
                                                                          strict=True)]
            set_aside += [line for line, k in zip(lines, keep, strict=True) if not k]
            lines = [line for line, k in zip(lines, keep, strict=True) if k]
            boxes = [box for box, k in zip(boxes, keep, strict=True) if k]
        layout.merge(read_frame(lines, boxes, terminal=kind == "terminal"))
    layout.chrome += [line for line in dict.fromkeys(set_aside) if line not in layout.chrome]
    title = " ".join((segment.window_title or "").split())
    if len(title) >= 8 and kind != "terminal":
        # The window's own title bar or tab (often with a clock beside it) is chrome.
        bar = [line for line in layout.lines if line.startswith(title)]
        layout.chrome += bar
        layout.lines = [line for line in layout.lines if line not in bar]
        layout.pairs = [p for p in layout.pairs if not p.text.startswith(title)]
        layout.units = [u for u in layout.units if not u.startswith(title)]
    return layout


def extract(segment: Segment) -> RuleOutput:
    """Run every rule extractor on a segment."""
    lines = segment.lines
    kind = app_kind(segment.app, segment.window_title) if segment.source == "screen" else "note"
    secrets = vault_rules.find_secrets(lines, _where(segment))
    safe_lines = [redact(line, secrets) for line in lines]
    layout = read_layout(segment, secrets, kind)
    text = "\n".join(layout.lines)
    entities = key_entities(text[:MAX_SEGMENT_CHARS])
    candidates: list[Candidate] = []
    candidates += vault_rules.secret_candidates(secrets, _where(segment))
    candidates += vault_rules.contact_candidates(safe_lines, _where(segment))
    candidates += vault_rules.address_candidates(safe_lines, _where(segment), _where(segment))
    candidates += vault_rules.bookmark_candidates(safe_lines, segment.source,
                                                  segment.window_title or "")
    candidates += resource_candidates(segment, text, kind)
    page = page_candidate(segment, layout, kind)
    if page is not None and not any(c.type == "resource" and c.fields.get("content")
                                    for c in candidates):
        candidates.append(page)
    candidates += procedural_candidates(segment, layout, kind)
    candidates += semantic_candidates(segment, layout, kind, safe_lines)
    candidates.append(episodic_candidate(segment, layout, kind, entities, safe_lines))
    return RuleOutput(candidates=candidates, secrets=secrets, kind=kind, entities=entities,
                      layout=layout)


# -- helpers ---------------------------------------------------------------------------------


def _first_sentence(text: str, limit: int = 200) -> str:
    for line in text.splitlines():
        clean = line.strip()
        if len(clean) >= 20 and " " in clean:
            sentence = re.split(r"(?<=[.!?])\s", clean, maxsplit=1)[0]
            return sentence[:limit]
    return text.strip().splitlines()[0][:limit] if text.strip() else ""


def _line_containing(text: str, needle: str) -> str:
    for line in text.splitlines():
        if needle in line:
            return line.strip()[:200]
    return ""


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    seen: dict[tuple[str, str], Candidate] = {}
    for candidate in candidates:
        seen.setdefault(candidate.identity, candidate)
    return list(seen.values())
