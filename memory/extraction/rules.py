"""Deterministic extractors: what rules find reliably in a segment's text.

Vault entries (see :mod:`memory.extraction.vault_rules`), resources (URLs, documents, code,
files), procedures (terminal command sequences, numbered step lists), semantic facts with a
clear textual shape (people in mail headers, calendar entries, orders, definitions,
stated preferences) and the segment's episodic memory. Every value comes from the text, so
rule output is grounded by construction; secrets are replaced by a vault reference in every
non-vault field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlparse

from memory.extraction import vault_rules
from memory.extraction.candidates import Candidate
from memory.extraction.grounding import FREE_WORDS
from memory.extraction.segments import Segment
from memory.extraction.vault_rules import EMAIL, Secret, redact
from memory.schema import parse_iso, to_iso

MAX_CONTENT_CHARS = 4000
MAX_DETAILS_CHARS = 800

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
_PATH = re.compile(r"(?:~|/home/[\w.-]+|/Users/[\w.-]+|/tmp|/srv|/opt|/etc)(?:/[\w.@+-]+)+\.\w{1,5}\b")
_URL = re.compile(r"\bhttps?://[^\s<>\"')\[\]]+")
_PROMPT = re.compile(
    r"^(?:\([\w.-]+\)\s*)?(?:[\w.-]+@[\w.-]+(?::[^$#\s]*)?\s*[$#%]|[$#%❯›»]|>>>)\s+(?P<cmd>\S.*)$"
)
_STEP = re.compile(r"^\s*(?:step\s*)?(?P<n>\d{1,2})[.):]\s+(?P<text>\S.{2,})$", re.IGNORECASE)
_TIME_RANGE = re.compile(
    r"\b(?P<start>\d{1,2}[:.]\d{2}(?:\s?[AaPp][Mm])?)\s*(?:-|–|—|to)\s*"
    r"(?P<end>\d{1,2}[:.]\d{2}(?:\s?[AaPp][Mm])?)\s*(?P<title>.*)$"
)
_FROM = re.compile(r"^\s*From:\s*(?P<name>[A-Z][\w'-]+(?: [A-Z][\w'.-]+){1,3})\s*[<(]"
                   r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)")
_ORDER = re.compile(r"\border\s*(?:#|number|no\.?|id)\s*[:#]?\s*(?P<num>[A-Z0-9][A-Z0-9-]{4,})",
                    re.IGNORECASE)
_TOTAL = re.compile(r"\b(?:order\s+)?total\b[^\d$€£]*(?P<amount>[$€£]?\s?\d[\d,]*\.\d{2}\s?[€$£]?)",
                    re.IGNORECASE)
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
    fields can be redacted and the vault store them encrypted."""

    candidates: list[Candidate] = field(default_factory=list)
    secrets: list[Secret] = field(default_factory=list)
    kind: str = "other"
    entities: list[str] = field(default_factory=list)


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


def procedural_candidates(segment: Segment, lines: Sequence[str], kind: str) -> list[Candidate]:
    out: list[Candidate] = []
    commands = list(dict.fromkeys(
        m.group("cmd").strip() for line in lines if (m := _PROMPT.match(line))
    ))
    if len(commands) >= 2:
        where = _short_title(segment) or segment.app or "terminal"
        out.append(Candidate(
            "procedural",
            {"entry_type": "script", "summary": f"Commands run in {where}: "
             + "; ".join(commands[:3]), "steps": commands},
            key=f"script:{where}:{commands[0]}", tree_path="procedures/scripts",
        ))
    steps: list[str] = []
    heading = ""
    expected = 1
    for i, line in enumerate([*lines, ""]):
        match = _STEP.match(line)
        if match and int(match.group("n")) == expected:
            if expected == 1:
                heading = lines[i - 1].strip() if i > 0 else ""
            steps.append(match.group("text").strip())
            expected += 1
            continue
        if len(steps) >= 2:
            summary = heading if heading and not _STEP.match(heading) else (
                _short_title(segment) or "Steps")
            out.append(Candidate(
                "procedural",
                {"entry_type": "guide", "summary": summary.rstrip(":"), "steps": steps},
                key=f"guide:{summary}", tree_path="procedures/guides",
            ))
        steps, expected = [], 1
        if match and int(match.group("n")) == 1:
            heading = lines[i - 1].strip() if i > 0 else ""
            steps, expected = [match.group("text").strip()], 2
    return out


def semantic_candidates(segment: Segment, lines: Sequence[str], kind: str) -> list[Candidate]:
    out: list[Candidate] = []
    date_heading = ""
    for i, line in enumerate(lines):
        sender = _FROM.match(line)
        if sender:
            name, email = sender.group("name"), sender.group("email")
            out.append(Candidate(
                "semantic",
                {"name": name, "summary": f"{name} <{email}>",
                 "details": _signature(lines, name), "source": segment.app},
                key=f"person:{name}", tree_path="people", entities=[name, email],
            ))
        if kind == "calendar":
            if re.match(r"^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w*,?\s+\w+", line):
                date_heading = line.strip()
            span = _TIME_RANGE.search(line)
            if span and span.group("title").strip(" -–:"):
                title = span.group("title").strip(" -–:")
                when = f"{span.group('start')}–{span.group('end')}"
                out.append(Candidate(
                    "semantic",
                    {"name": title, "summary": f"{title}: {date_heading} {when}".replace("  ", " "),
                     "details": _following(lines, i), "source": segment.app},
                    key=f"event:{title}:{date_heading}", tree_path="events",
                ))
        order = _ORDER.search(line)
        if order:
            total = next((m.group("amount") for m in map(_TOTAL.search, lines) if m), "")
            merchant = _short_title(segment) or segment.app or ""
            out.append(Candidate(
                "semantic",
                {"name": f"Order {order.group('num')}",
                 "summary": f"Order {order.group('num')} {merchant}".strip()
                 + (f", total {total}" if total else ""),
                 "details": _item_lines(lines), "source": segment.app},
                key=f"order:{order.group('num')}", tree_path="purchases",
            ))
        definition = _DEFINITION.match(line)
        if definition and kind in ("browsing", "document", "other"):
            name = definition.group("name").strip()
            if name.split()[0] not in _NOT_NAMES:
                out.append(Candidate(
                    "semantic",
                    {"name": name, "summary": definition.group(0).strip(), "details": "",
                     "source": segment.url or segment.app},
                    key=f"topic:{name}", tree_path="topics", confidence=0.8,
                ))
        for pref in _PREFERENCE.finditer(line):
            what = pref.group("what").strip()
            out.append(Candidate(
                "semantic",
                {"name": f"Preference: {what}", "summary": pref.group(0).strip(),
                 "details": "", "source": segment.app or segment.source},
                key=f"preference:{what}", tree_path="preferences", confidence=0.8,
            ))
    return _unique(out)


def episodic_candidate(segment: Segment, text: str, kind: str, entities: list[str]) -> Candidate:
    title = _short_title(segment)
    verb = {"mail": "Read mail", "chat": "Chatted", "calendar": "Checked the calendar",
            "document": "Worked on a document", "terminal": "Ran commands",
            "code": "Edited code", "settings": "Changed settings",
            "browsing": "Browsed"}.get(kind, "Used")
    where = " in ".join(p for p in (verb, segment.app) if p)
    summary = f"{where}: {title}" if title else where
    if segment.source != "screen":
        summary = _first_sentence(text) or "Note"
    mentioned = [e for e in entities if e.lower() not in summary.lower()][:6]
    if mentioned:
        summary += " — " + ", ".join(mentioned)
    details = text[:MAX_DETAILS_CHARS] if segment.source == "screen" else text
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


def extract(segment: Segment) -> RuleOutput:
    """Run every rule extractor on a segment."""
    lines = segment.lines
    kind = app_kind(segment.app, segment.window_title) if segment.source == "screen" else "note"
    secrets = vault_rules.find_secrets(lines, _where(segment))
    safe_lines = [redact(line, secrets) for line in lines]
    text = "\n".join(safe_lines)
    entities = key_entities(text)
    candidates: list[Candidate] = []
    candidates += vault_rules.secret_candidates(secrets, _where(segment))
    candidates += vault_rules.contact_candidates(safe_lines, _where(segment))
    candidates += vault_rules.address_candidates(safe_lines, _where(segment), _where(segment))
    candidates += vault_rules.bookmark_candidates(safe_lines, segment.source,
                                                  segment.window_title or "")
    candidates += resource_candidates(segment, text, kind)
    candidates += procedural_candidates(segment, safe_lines, kind)
    candidates += semantic_candidates(segment, safe_lines, kind)
    candidates.append(episodic_candidate(segment, text, kind, entities))
    return RuleOutput(candidates=candidates, secrets=secrets, kind=kind, entities=entities)


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


def _signature(lines: Sequence[str], name: str) -> str:
    """Lines after the last mention of ``name`` (a signature block: title, company)."""
    last = max((i for i, line in enumerate(lines) if line.strip() == name), default=-1)
    if last < 0:
        return ""
    return "\n".join(line.strip() for line in lines[last + 1 : last + 4] if len(line) < 80)


def _following(lines: Sequence[str], index: int) -> str:
    after = []
    for line in lines[index + 1 : index + 4]:
        if _TIME_RANGE.search(line):
            break
        after.append(line.strip())
    return "\n".join(after)


def _item_lines(lines: Sequence[str]) -> str:
    priced = [line.strip() for line in lines
              if re.search(r"[$€£]\s?\d|\d\.\d{2}\s?[€$£]", line)]
    return "\n".join(priced[:10])


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    seen: dict[tuple[str, str], Candidate] = {}
    for candidate in candidates:
        seen.setdefault(candidate.identity, candidate)
    return list(seen.values())
