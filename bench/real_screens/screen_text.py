"""What each scene shows, read by the checker itself: the HTML parsed with ``html.parser``
into blocks (a line, a paragraph, a table row with its header, a key–value pair, a small
card), and a terminal session replayed in a scratch folder into prompt/command lines and
output lines (a table-like output's rows with its header line). Shares no code with the
product's OCR or text structure."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from bench.real_screens.corpus import Scene

#: A container whose whole text is at most this long is one block (a key–value pair, a card).
SMALL_BLOCK = 320
#: Text Chromium itself draws over the page when started as the harness starts it.
CHROMIUM_BAR = ("You are using an unsupported command-line flag: --no-sandbox. "
                "Stability and security will suffer.")
_BLOCK_TAGS = {"p", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "td", "th",
               "tr", "blockquote", "figcaption", "caption", "code", "button", "label"}
_VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "col", "source"}
STEP_TAGS = {"li", "pre", "code"}


class _Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: _Node | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[_Node | str] = []

    def text(self) -> str:
        parts: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag == "br":
                parts.append("\n")
            elif child.tag == "input":
                parts.append(" " + child.attrs.get("value", "") + " ")
            else:
                parts.append(" " + child.text() + " ")
        return "".join(parts)

    def walk(self) -> list[_Node]:
        out: list[_Node] = [self]
        for child in self.children:
            if isinstance(child, _Node):
                out.extend(child.walk())
        return out


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {}, None)
        self.cur = self.root
        self.title = ""
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "head") and tag != "head":
            self._skip += 1
            return
        node = _Node(tag, {k: v or "" for k, v in attrs}, self.cur)
        self.cur.children.append(node)
        if tag not in _VOID:
            self.cur = node

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip = max(0, self._skip - 1)
            return
        node: _Node | None = self.cur
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.cur = node.parent

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self.cur.tag == "title":
            self.title += data
            return
        self.cur.children.append(data)


def _clean(text: str) -> str:
    return re.sub(r"[ \t\r\f\v\u00a0]+", " ", text).strip()


def _lines(text: str) -> list[str]:
    return [c for c in (_clean(x) for x in text.split("\n")) if c]


class ScreenText:
    """One scene's blocks (each a string) and which of them are steps or commands."""

    def __init__(self, blocks: list[str], steps: list[str], title: str = "") -> None:
        self.blocks = [b for b in dict.fromkeys(blocks) if b]
        self.steps = [s for s in dict.fromkeys(steps) if s]
        self.title = title

    def full(self) -> str:
        return "\n".join(self.blocks)


def html_screen(path: Path) -> ScreenText:
    tree = _Tree()
    tree.feed(path.read_text(encoding="utf-8"))
    title = _clean(tree.title)
    blocks: list[str] = [title, CHROMIUM_BAR]
    steps: list[str] = []
    for node in tree.root.walk():
        if node.tag in ("#root", "title", "br"):
            continue
        raw = node.text()
        text = _clean(raw.replace("\n", " "))
        if not text:
            continue
        blocks.extend(_lines(raw))
        if node.tag in _BLOCK_TAGS or (len(text) <= SMALL_BLOCK and not _holds_rows(node)):
            blocks.append(text)
        if node.tag in STEP_TAGS:
            steps.append(text)
            steps.extend(_lines(raw))
        if node.tag == "table":
            blocks.extend(_table_rows(node))
    blocks.extend(_in_context(_leaf_lines(tree.root)))
    return ScreenText(blocks, steps, title)


def _holds_rows(node: _Node) -> bool:
    """A table or list (or a box around one) is not one block: its rows are."""
    rows = [n for n in node.walk()[1:] if n.tag in ("tr", "li")]
    return node.tag in ("table", "tbody", "thead", "ul", "ol") or len(rows) >= 2


def _leaf_lines(root: _Node) -> list[tuple[str, str]]:
    """(tag, line) in reading order: the text lines of elements that hold text directly."""
    out: list[tuple[str, str]] = []
    for node in root.walk():
        if node.tag in ("#root", "title"):
            continue
        own = "".join(c if isinstance(c, str) else "\n" if c.tag == "br" else
                      " " + c.text() + " " if c.tag in ("b", "i", "a", "span", "code", "small",
                                                         "strong", "em") else "\n"
                      for c in node.children)
        if any(isinstance(c, str) and c.strip() for c in node.children):
            out.extend((node.tag, line) for line in _lines(own))
    return out


def _in_context(lines: list[tuple[str, str]]) -> list[str]:
    """Each line with the page's main heading, with its section heading, and with the
    line before it (a label stacked above its value)."""
    out: list[str] = []
    main = section = ""
    previous = ""
    for tag, line in lines:
        if tag == "h1":
            main = section = line
        elif tag in ("h2", "h3", "h4"):
            section = line
        else:
            if main:
                out.append(f"{main} {line}")
            if section and section != main:
                out.append(f"{section} {line}")
        if previous and tag not in ("td", "th"):
            out.append(f"{previous} {line}")
        previous = line if tag not in ("td", "th") else ""
    return out


def _table_rows(table: _Node) -> list[str]:
    rows = [n for n in table.walk() if n.tag == "tr"]
    header: list[str] = []
    out = []
    for row in rows:
        cells = [_clean(c.text().replace("\n", " ")) for c in row.children
                 if isinstance(c, _Node) and c.tag in ("td", "th")]
        is_header = all(isinstance(c, _Node) and c.tag == "th" for c in row.children
                        if isinstance(c, _Node)) or not header
        if is_header and not header:
            header = cells
            continue
        out.append(" ".join(cells))
        if header:
            out.append(" ".join(f"{h} {c}" for h, c in zip(header, cells, strict=False)))
    return out


def terminal_screen(scene: Scene) -> ScreenText:
    """Replay the session's commands with bash in a scratch copy of its home folder:
    each command line and each output line is a block; every output line is also a block
    together with the command's first output line (a table's header)."""
    session = scene.session
    blocks: list[str] = []
    steps: list[str] = []
    with tempfile.TemporaryDirectory(prefix="rs-check-") as tmp:
        home = Path(tmp, "home")
        source = scene.directory / "home"
        if source.is_dir():
            shutil.copytree(source, home)
        else:
            home.mkdir()
        env = {"HOME": str(home), "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
               "LC_ALL": "C.UTF-8", "GIT_CONFIG_NOSYSTEM": "1", "TERM": "dumb"}
        for command in session["setup"]:
            subprocess.run(["bash", "-c", command], cwd=home, env=env, capture_output=True,
                           timeout=60, check=True)
        cwd = home
        for command in session["commands"]:
            blocks.append(command)
            steps.append(command)
            first = command.split()[0]
            if first in ("less", "more", "vi", "vim", "view"):
                output = (cwd / command.split()[-1]).read_text(encoding="utf-8")
            elif first == "cd":
                target = command.split()[1] if len(command.split()) > 1 else "~"
                # the shell reads "~" as the home folder, as bash does in the session
                cwd = (home / target[2:] if target.startswith("~/") else
                       home if target == "~" else cwd / target).resolve()
                continue
            else:
                done = subprocess.run(["bash", "-c", command], cwd=cwd, env=env,
                                      capture_output=True, text=True, timeout=120)
                output = done.stdout + done.stderr
            lines = _lines(output)
            blocks.extend(lines)
            blocks.extend(_terminal_sections(lines))
            if lines:
                blocks.extend(f"{lines[0]} {line}" for line in lines[1:])
                blocks.extend(f"{command} {line}" for line in lines[:3])
    return ScreenText(blocks, steps, "")


def _terminal_sections(lines: list[str]) -> list[str]:
    """A line under a Markdown heading (``## 4.0.1``) or an INI/TOML section (``[tls]``)
    together with that heading, and with the line before it."""
    out: list[str] = []
    heading = ""
    for i, line in enumerate(lines):
        if re.match(r"^#{1,6}\s|^\[[^\]]+\]$", line):
            if not line.startswith("###"):
                heading = line
            continue
        if heading:
            out.append(f"{heading} {line}")
        if i:
            out.append(f"{lines[i - 1]} {line}")
    return out


def screen_text(scene: Scene) -> ScreenText:
    if scene.app == "chromium":
        return html_screen(scene.material_path)
    return terminal_screen(scene)
