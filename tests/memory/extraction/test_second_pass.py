"""Second-pass extraction classes, each on example text written for the test: log lines
(a line number and timestamp before "LEVEL component: message"), release headings in a
pager ("## 2.0.1 - 2025-11-04"), Markdown and list markup before a sentence, and OCR's
digit-for-letter misread of log words ("ERR0R")."""

from __future__ import annotations

import json

from memory.extraction import rules
from memory.extraction.facts import subject_of
from memory.extraction.segments import FrameText, mend_ocr
from memory.extraction.values import find_values
from tests.memory.extraction.helpers import segment


def semantic(text: str, **kwargs: str) -> list[dict]:
    out = rules.extract(segment(text, **kwargs))
    return [c.fields for c in out.candidates if c.type == "semantic"]


def test_a_log_line_is_about_its_component_and_keeps_its_message() -> None:
    line = "88:2025-03-02 17:40:12 WARN mailer: queue backlog at 940 messages"
    assert subject_of(line, find_values(line)) == "mailer"
    log = ("ops@box ~ % grep -n WARN logs/mail.log\n" + line + "\n"
           "97:2025-03-02 17:45:50 ERROR spooler: write to /srv/spool refused (attempt 2/4)\n"
           "ops@box ~ %")
    facts = {f["name"]: f["summary"] for f in semantic(log, app="xterm", title="zsh")}
    assert facts["mailer"] == line
    assert "write to /srv/spool refused" in facts["spooler"]


def test_words_between_values_name_the_item_not_the_values_after() -> None:
    line = "08:30 - 09:15 Vendor call with Orla at 11:00"
    assert subject_of(line, find_values(line)) == "Vendor call with Orla"
    prose = "- The shuttle starts at the depot at 06:10."
    assert subject_of(prose, find_values(prose)) == "shuttle"  # not "- The shuttle"


def test_a_release_heading_in_a_pager_is_a_version_and_its_date() -> None:
    pager = ("# Release notes - quillpad\n## 7.2.0 - 2025-10-21\n### Fixed\n"
             "- Paste keeps the list indentation (#88).\nNOTES.md (END)")
    facts = semantic(pager, app="xterm", title="less")
    release = next(f for f in facts if f["name"] == "7.2.0")
    assert "2025-10-21" in release["summary"]
    # A line of numbers with no version in front is not a heading fact.
    assert not any(f["name"] == "1.5" for f in semantic("1.5 - 2025-10-21 - 40", app="xterm",
                                                       title="less"))


def test_ocr_zero_for_o_is_mended_only_in_log_words() -> None:
    assert mend_ocr("grep -c ERR0R app.log") == "grep -c ERROR app.log"
    assert mend_ocr("INF0 started; T0D0 later") == "INFO started; TODO later"
    for kept in ("B0X-440", "ERR0R2", "XERR0R", "order 10O4"):
        assert mend_ocr(kept) == kept
    row = {"id": 1, "captured_at": "2025-03-02T17:50:00+00:00",
           "ocr_lines": json.dumps([{"text": "2025-03-02 ERR0R disk full", "box": [0, 0, 9, 9]}])}
    assert FrameText.from_row(row).lines == ("2025-03-02 ERROR disk full",)
