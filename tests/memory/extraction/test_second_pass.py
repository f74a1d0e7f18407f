"""Second-pass extraction classes, each on example text written for the test: log lines
(a line number and timestamp before "LEVEL component: message"), release headings in a
pager ("## 2.0.1 - 2025-11-04"), Markdown and list markup before a sentence, and OCR's
digit-for-letter misread of log words ("ERR0R")."""

from __future__ import annotations

import json

from memory.extraction import rules
from memory.extraction.facts import subject_of
from memory.extraction.layout import Pair, read_frame
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


def test_a_log_line_whose_stamp_outweighs_its_words_is_about_its_host() -> None:
    line = "2025-03-02 17:40:12 ERROR db-02: failover to db-03 (lag 41 s)"
    assert subject_of(line, find_values(line)) == "db-02"
    log = "ops@box ~ % tail -n 1 deploy.log\n" + line + "\nops@box ~ %"
    facts = {f["name"]: f["summary"] for f in semantic(log, app="xterm", title="zsh")}
    assert facts["db-02"] == line


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


def test_ocr_zero_for_o_is_mended_only_where_no_number_is_written_so() -> None:
    assert mend_ocr("grep -c ERR0R app.log") == "grep -c ERROR app.log"
    assert mend_ocr("INF0 started; T0D0 later") == "INFO started; TODO later"
    assert mend_ocr("by Chidi 0konkwo") == "by Chidi Okonkwo"
    assert mend_ocr("Code 0MB-7Q4K2; 0RDER BY day") == "Code OMB-7Q4K2; ORDER BY day"
    for kept in ("B0X-440", "ERR0R2", "XERR0R", "order 10O4", "0x1f", "0 items", "0MB", "0kB"):
        assert mend_ocr(kept) == kept
    row = {"id": 1, "captured_at": "2025-03-02T17:50:00+00:00",
           "ocr_lines": json.dumps([{"text": "2025-03-02 ERR0R disk full", "box": [0, 0, 9, 9]}])}
    assert FrameText.from_row(row).lines == ("2025-03-02 ERROR disk full",)


def _boxed(cells: list[tuple[str, int, int, int]]) -> tuple[list[str], list[tuple[int, int, int, int]]]:
    """(text, left, top, right) cells of one line height (22 px), as OCR gives them."""
    return [c[0] for c in cells], [(c[1], c[2], c[3], c[2] + 22) for c in cells]


def test_text_columns_on_one_baseline_grid_under_a_top_bar_are_read_column_by_column() -> None:
    left = ["The ferry service began in spring with two small boats",
            "carrying farm goods across the narrow strait each day",
            "and by autumn it also took passengers to the market.",
            "Timetables were posted at both piers every Monday."]
    right = ["In 1987 a new hull replaced the older of the two boats",
             "which had sailed since the first season without a break",
             "and the crossing time fell to eleven minutes in calm weather.",
             "A third boat joined the route the following summer."]
    cells = [("A notice bar that runs across the whole width of the window at the top", 10, 0,
              1500)]
    for i, (a, b) in enumerate(zip(left, right, strict=True)):
        cells += [(a, 20, 60 + 24 * i, 700), (b, 726, 60 + 24 * i, 1420)]
    texts, boxes = _boxed(cells)
    layout = read_frame(texts, boxes)
    joined = "\n".join(layout.lines)
    assert " | " not in joined  # no row mixes the two columns
    assert joined.index(left[-1]) < joined.index(right[0])
    # A real table (short cells, same grid) is still read row by row.
    table = [("Item", 20, 60, 90), ("Qty", 726, 60, 770),
             ("Bolts", 20, 84, 90), ("40", 726, 84, 750),
             ("Nuts", 20, 108, 80), ("65", 726, 108, 750),
             ("Washers", 20, 132, 110), ("120", 726, 132, 760)]
    texts, boxes = _boxed([cells[0], *table])
    rows = read_frame(texts, boxes).table
    assert [r.cells for r in rows][:1] == [(("Item", "Bolts"), ("Qty", "40"))]


def test_an_episode_joins_excerpts_from_different_places_as_separate_clauses() -> None:
    page = ("Harbour notes\nThe pier was rebuilt in stone after the storm of 1911 "
            "destroyed the old wooden frame.\nShort line.\n"
            "A lighthouse keeper lived on the island until the lamp was automated in 1974.")
    out = rules.extract(segment(page, app="Firefox", title="Harbour notes"))
    episode = next(c.fields for c in out.candidates if c.type == "episodic")
    assert episode["summary"].endswith(
        "old wooden frame. — A lighthouse keeper lived on the island until the lamp was "
        "automated in 1974.")


def test_dates_and_times_glued_to_chinese_or_japanese_text_are_found() -> None:
    line = "仓库盘点定于7月3日上午9:30开始,请准时到场。"
    assert [(v.kind, v.text) for v in find_values(line)] == [("date", "7月3日"), ("time", "9:30")]
    assert find_values("build7:30x") == []  # Latin letters still bound a value
    assert subject_of(line, find_values(line)) == "仓库盘点"
    assert subject_of("值班经理是李娜,电话在群公告。", []) == "值班经理"


def test_a_side_panel_of_labels_above_numbers_is_content_but_a_nav_list_is_chrome() -> None:
    body = ["Crash when saving a drawing with an empty layer group on the canvas",
            "Steps: open a new file, add a group, delete its only layer, press save.",
            "The editor closes and the autosave copy is also lost after restart.",
            "Seen on two machines with the same build and a clean profile folder."]
    cells = [(text, 40, 100 + 40 * i, 900) for i, text in enumerate(body)]
    panel = [("Reviewers", 1500, 100, 1600), ("anouk-b", 1500, 124, 1580),
             ("Target release", 1500, 170, 1650), ("5.0.3", 1500, 194, 1560)]
    texts, boxes = _boxed(cells + panel)
    layout = read_frame(texts, boxes)
    assert Pair("Target release", "5.0.3") in layout.pairs
    assert "5.0.3" not in layout.chrome
    nav = [("Drafts", 1500, 100, 1580), ("Outbox (3)", 1500, 124, 1610),
           ("Archive", 1500, 148, 1590), ("Trash", 1500, 172, 1570)]
    texts, boxes = _boxed(cells + nav)
    assert {"Drafts", "Outbox (3)", "Archive", "Trash"} <= set(read_frame(texts, boxes).chrome)
