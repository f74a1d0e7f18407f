"""Structure, values, facts and summaries on real OCR output of screens nobody wrote rules
for: the pages in ocr_fixtures/html were rendered by Chromium and read by the product's
RapidOCR (ocr_fixtures/render.py), boxes and OCR mistakes included."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from memory.extraction import rules
from memory.extraction.facts import readable
from memory.extraction.layout import Pair, blocks, read_frame, sentences
from memory.extraction.segments import FrameText, Segment
from memory.extraction.values import find_values, resolve_when, when_spans

FIXTURES = Path(__file__).parent / "ocr_fixtures"


def frame(name: str) -> FrameText:
    data = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return FrameText.from_row({
        "id": 1, "captured_at": data["captured_at"], "app": data["app"],
        "window_title": data["window_title"], "url": None, "ocr_text": "",
        "ocr_lines": json.dumps(data["lines"]),
    })


def layout(name: str):  # noqa: ANN201 - the layout of one fixture
    f = frame(name)
    return read_frame(f.lines, f.boxes, terminal=f.app == "xterm")


def extracted(name: str) -> rules.RuleOutput:
    return rules.extract(Segment(frames=[frame(name)]))


def of_type(out: rules.RuleOutput, memory_type: str) -> list[dict]:
    return [c.fields for c in out.candidates if c.type == memory_type]


# -- structure -------------------------------------------------------------------------------


def test_frames_carry_their_ocr_boxes() -> None:
    f = frame("order")
    assert len(f.boxes) == len(f.lines) and all(b is not None for b in f.boxes)
    placeholder = FrameText.from_row({"id": 1, "captured_at": "2026-01-01T00:00:00+00:00",
                                      "ocr_lines": json.dumps([{"text": "a", "box": "bad"}])})
    assert placeholder.lines == ("a",) and placeholder.boxes == (None,)


def test_a_channel_sidebar_is_chrome_and_messages_keep_author_and_time() -> None:
    chat = layout("chat")
    assert "# announcements" in chat.chrome and "Direct messages" in chat.chrome
    assert not any(line.startswith("# lunch") for line in chat.lines)
    assert [(m.author, m.time) for m in chat.messages] == [
        ("Priya Raman", "9:41 AM"), ("Marco Bellini", "9:44 AM"), ("Priya Raman", "9:52 AM")]
    assert chat.messages[1].text.startswith("I rolled back to version 2.18.3")


def test_columns_are_read_one_after_the_other_and_wrapped_lines_joined() -> None:
    wiki = layout("wiki")
    first = next(line for line in wiki.lines if line.startswith("Vesper Lake is"))
    assert first.endswith("formed about 12,000 years ago at the end of the last ice age.")
    assert Pair("Max depth", "212 m") in wiki.pairs  # the infobox, label beside value
    assert "Ecology" in wiki.headings
    mail = layout("mail")
    assert {"Inbox (12)", "Drafts", "Spam"} <= set(mail.chrome)
    assert "Drafts" not in " ".join(mail.lines)


def test_blocks_are_the_cards_that_reading_order_interleaves() -> None:
    """Two board columns of cards: each card (title over its code and assignee) is one
    block; cards further apart than the lines inside one, and cells side by side in a
    packed sheet, are not."""
    board = [
        (100, 100, 400, 125),  # 0 card title, left column
        (500, 100, 800, 125),  # 1 card title, right column
        (100, 128, 220, 150),  # 2 its code and date
        (300, 128, 400, 150),  # 3 its assignee, right-aligned under the title
        (500, 128, 620, 150),  # 4
        (700, 128, 800, 150),  # 5
        (100, 190, 400, 215),  # 6 the next card, a card's gap below
        (100, 218, 220, 240),  # 7
    ]
    assert sorted(blocks(board)) == [[0, 2, 3], [1, 4, 5], [6, 7]]
    assert sorted(blocks([(0, 0, 50, 20), (0, 100, 50, 120)])) == [[0], [1]]
    # a packed sheet, 3 columns whose cells touch: each column stands alone
    sheet = [(left, 22 * row, right, 22 * row + 22) for row in range(6)
             for left, right in ((10, 92), (90, 202), (200, 300))]
    assert sorted(blocks(sheet)) == [list(range(column, 18, 3)) for column in range(3)]


def test_table_rows_are_joined_with_their_header() -> None:
    rows = [row.cells for row in layout("order").table]
    assert (("Item", "Merino socks (3 pack)"), ("Qty", "2"), ("Price", "€38.00")) in rows
    assert any(("Price", "€250.40") in cells and ("Item", "Total") in cells for cells in rows)


def test_key_value_pairs_side_by_side_stacked_and_under_a_heading() -> None:
    assert Pair("Buchungsnummer", "HT-77410") in layout("german").pairs
    assert Pair("Tracking number", "JD014600003812") in layout("order").pairs
    event = layout("event")
    assert Pair("Location", "Smile Studio, 14 Harbour Street") in event.pairs
    assert Pair("Dentist appointment", "Wednesday, April 8, 2026 4:15 PM - 5:00 PM") in (
        event.pairs)


@pytest.mark.parametrize(("name", "commands"), [
    ("bash", ["git status", "pytest tests/test_export.py -q",
              'git commit -am "Export: quote fields with commas"']),
    ("zsh", ["terraform plan -out=tf.plan", "terraform apply tf.plan"]),
    ("fish", ['grep -rn "visa" todo.md', "wc -l todo.md"]),
    # A two-line prompt, and a ❯ prompt whose glyph OCR did not read.
    ("twoline", ["du -sh 2025", "rsync -av 2025 /mnt/backup/photos/",
                 "ls /mnt/backup/photos"]),
])
def test_terminal_commands_for_any_prompt_style(name: str, commands: list[str]) -> None:
    found = layout(name).commands
    assert [c.command for c in found] == commands
    assert all(not any(o.endswith(("$", "%", ">")) for o in c.output) for c in found)


def test_pytest_output_belongs_to_its_command() -> None:
    (_, tests, _) = layout("bash").commands
    assert "8 passed in 0.41s" in tests.output


def test_a_short_output_is_its_commands_result_even_when_the_prompt_lost_its_glyph() -> None:
    lines = ["lena@quarry ~  du -sh photos/2024", "41G photos/2024",
             "lena@quarry ~  find photos -name '*.raw' | wc -l", "1288",
             "lena@quarry ~  cat notes.txt", *[f"line {n} of the notes" for n in range(5)],
             "lena@quarry ~"]
    found = read_frame(lines, [None] * len(lines), terminal=True)
    assert [(c.command, c.result) for c in found.commands] == [
        ("du -sh photos/2024", "41G photos/2024"),
        ("find photos -name '*.raw' | wc -l", "1288"),
        ("cat notes.txt", ""),  # five lines are a listing, not a result
    ]
    assert "find photos -name '*.raw' | wc -l 1288" in found.units
    segment = Segment(frames=[FrameText(id=1, captured_at="2026-05-12T09:00:00+00:00",
                                        app="xterm", window_title="zsh", url=None,
                                        text="\n".join(lines), lines=tuple(lines))])
    results = {c.fields["name"]: c.fields["summary"] for c in rules.extract(segment).candidates
               if c.tree_path == "results"}
    assert results == {"du -sh photos/2024": "41G photos/2024",
                       "find photos -name '*.raw' | wc -l": "1288"}


# -- values ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "kind", "value"), [
    ("moved to Friday 20 March at 10:30, in", "date", "Friday 20 March"),
    ("placed on 14.02.2026 and", "date", "14.02.2026"),
    ("Expected delivery: February 18, 2026", "date", "February 18, 2026"),
    ("Anreise: Freitag, 12. Juni 2026", "date", "Freitag, 12. Juni 2026"),
    ("le 8 avril 2026 à 9h30", "date", "8 avril 2026"),
    ("el 3 de marzo de 2026", "date", "3 de marzo de 2026"),
    ("お届け予定日 2026年5月14日", "date", "2026年5月14日"),
    ("reviewed 2026-01-09.", "date", "2026-01-09"),
    ("at 4:15 PM today", "time", "4:15 PM"),
    ("ab 15:00 Uhr möglich", "time", "15:00 Uhr"),
    ("Total €250.40", "money", "€250.40"),
    ("Gesamtpreis: 412,00 €", "money", "412,00 €"),
    ("ticket OPS-4127.", "identifier", "OPS-4127"),
    ("Tracking number: JD014600003812", "identifier", "JD014600003812"),
    ("merged PR #4821 today", "identifier", "#4821"),
    ("a depth of 212 metres", "quantity", "212 metres"),
    ("mail ingrid.halvorsen@fjordline.no now", "email", "ingrid.halvorsen@fjordline.no"),
    ("copy to /etc/haproxy/certs/edge.pem", "path", "/etc/haproxy/certs/edge.pem"),
])
def test_values_of_many_formats_and_languages(text: str, kind: str, value: str) -> None:
    assert (kind, value) in [(v.kind, v.text) for v in find_values(text)]


def test_version_numbers_and_durations_are_not_dates() -> None:
    kinds = {v.kind for v in find_values("rolled back to 2.18.3 in 0.41s")}
    assert "date" not in kinds and "time" not in kinds


def test_dates_resolve_against_the_frames_time() -> None:
    tuesday = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    (phrase,) = when_spans("Postmortem on Thursday at 2:00 PM, ticket OPS-4127.")
    assert resolve_when(phrase, tuesday) == datetime(2026, 3, 5, 14, 0, tzinfo=UTC)
    (phrase,) = when_spans("moved to Friday 20 March at 10:30, in the Lighthouse room")
    assert resolve_when(phrase, tuesday) == datetime(2026, 3, 20, 10, 30, tzinfo=UTC)
    assert resolve_when("Freitag, 12. Juni 2026", tuesday) == datetime(2026, 6, 12, tzinfo=UTC)
    assert resolve_when("not a date at all", tuesday) is None


# -- facts, summaries, procedures ------------------------------------------------------------


def test_mail_summary_says_who_and_what_not_where() -> None:
    out = extracted("mail")
    (episode,) = of_type(out, "episodic")
    assert episode["summary"].startswith("Ingrid Halvorsen: Quarterly planning offsite moved:")
    assert "Friday 20 March at 10:30" in episode["summary"] and "Lighthouse" in (
        episode["summary"])
    assert "Browsed" not in episode["summary"] and "Inbox" not in episode["summary"]
    person = next(f for f in of_type(out, "semantic") if f["name"] == "Ingrid Halvorsen")
    assert "ingrid.halvorsen@fjordline.no" in person["summary"]
    assert "Head of Operations, Fjordline" in person["details"]
    fact = next(f for f in of_type(out, "semantic") if "10:30" in f["summary"])
    assert fact["name"] == "quarterly planning offsite"
    assert fact["details"] == "when: 2026-03-20 10:30"  # resolved against the frame's time


def test_chat_summary_quotes_a_message_and_a_sidebar_is_no_procedure() -> None:
    out = extracted("chat")
    (episode,) = of_type(out, "episodic")
    assert "Priya Raman" in episode["summary"] and "OPS-4127" in episode["summary"]
    assert of_type(out, "procedural") == []
    assert not any("# backend" in str(f) for f in of_type(out, "semantic"))


def test_chat_messages_are_kept_whole_under_their_author_and_time() -> None:
    semantic = of_type(extracted("chat"), "semantic")
    said = {f["name"]: f["summary"] for f in semantic if f.get("source") and " AM" in f["name"]}
    assert said == {
        "Priya Raman 9:41 AM": "The payments service rollout is paused, error rate went to "
                               "4% on eu-west.",
        "Marco Bellini 9:44 AM": "I rolled back to version 2.18.3, dashboards look normal "
                                 "again.",
        "Priya Raman 9:52 AM": "Thanks. Postmortem on Thursday at 2:00 PM, ticket OPS-4127.",
    }
    # Each message once: not again as a fact named by its own first words.
    assert sum("OPS-4127" in f["summary"] for f in semantic) == 1


def test_terminal_summary_names_commands_and_their_result() -> None:
    out = extracted("bash")
    (episode,) = of_type(out, "episodic")
    assert episode["summary"].startswith("Ran git status; pytest tests/test_export.py -q")
    assert "~/src/ledger" in episode["summary"]
    assert episode["summary"].endswith(("8 passed in 0.41s",
                                        "1 file changed, 6 insertions(+), 2 deletions(-)"))
    (script,) = of_type(out, "procedural")
    assert script["entry_type"] == "script" and len(script["steps"]) == 3


def test_table_rows_and_pairs_become_facts_that_keep_subject_and_value_together() -> None:
    facts = {f["summary"] for f in of_type(extracted("order"), "semantic")}
    assert "Item: Headlamp 400 Im; Qty: 1; Price: €44.50" in facts
    assert "Tracking number: JD014600003812" in facts
    assert "Expected delivery: February 18, 2026" in facts
    german = {f["summary"] for f in of_type(extracted("german"), "semantic")}
    assert {"Buchungsnummer: HT-77410", "Gesamtpreis: 412,00 €"} <= german


def test_a_page_read_is_a_resource_with_its_whole_text() -> None:
    out = extracted("wiki")
    (page,) = [r for r in of_type(out, "resource") if r["resource_type"] == "doc"]
    assert page["title"] == "Vesper Lake"
    assert "Fishing is allowed from June to September with a permit." in page["content"]
    assert "Elevation: 318 m" in page["content"]
    (episode,) = of_type(out, "episodic")
    assert episode["summary"].startswith("Vesper Lake: ")


def test_a_documented_step_list_is_a_guide_under_its_heading() -> None:
    guide = next(p for p in of_type(extracted("runbook"), "procedural")
                 if p["entry_type"] == "guide")
    assert guide["summary"] == ("Rotate the TLS certificate on the edge proxies: "
                                "Drain the first proxy from the load balancer pool.")
    assert guide["steps"][0] == "Drain the first proxy from the load balancer pool."
    assert len(guide["steps"]) == 4


# -- garbage in, nothing invented ------------------------------------------------------------


def _segment(lines: list[str], app: str = "chromium") -> Segment:
    boxes = tuple((10, 10 + 22 * i, 20 + 16 * len(line), 28 + 22 * i)
                  for i, line in enumerate(lines))
    return Segment(frames=[FrameText(1, "2026-05-12T09:00:00+00:00", app, "Untitled", None,
                                     "\n".join(lines), tuple(lines), boxes)])


@pytest.mark.parametrize("lines", [
    [],
    ["Hello"],
    ["$"],
    ["I'l1|QOI:_'Q,!XIÌ`", "_|!OlXz- 10;I~=Qq O-q IQ", "lI1|!;:.,'` ~-_=+oO0", "¦Ìì Zz Xx"],
    ["12 34 56", "7.8.9", "00:00"],
])
def test_garbled_blank_or_one_word_screens_invent_nothing(lines: list[str]) -> None:
    out = rules.extract(_segment(lines))
    assert [c.type for c in out.candidates] == ["episodic"]
    assert out.candidates[0].fields["summary"] == "Untitled"  # the window title, no text


def test_readable_tells_text_from_ocr_noise() -> None:
    assert readable("Der Check-in ist ab 15:00 Uhr möglich.")
    assert readable("注文番号 JP-20931")
    assert not readable("_|!OlXz- 10;I~=Qq O-q IQ")
    assert not readable("Hello")


def test_non_english_screens_give_facts_in_their_own_words() -> None:
    out = rules.extract(_segment(["注文確認", "注文番号 JP-20931", "お届け予定日 2026年5月14日"]))
    facts = [f["summary"] for f in of_type(out, "semantic")]
    assert any(f.endswith("注文番号 JP-20931") for f in facts)
    assert "お届け予定日 2026年5月14日" in facts
    assert not any("JP-20931" in f and "2026" in f for f in facts)


def test_commands_documented_on_a_page_are_a_procedure_and_prose_is_not() -> None:
    page = ["Restart the web tier", "Run these from the bastion host.",
            "kubectl rollout restart deploy/web", "helm upgrade web ./chart --set tag=1.4",
            "Then watch the error rate for ten minutes."]
    out = rules.extract(_segment(page))
    (script,) = of_type(out, "procedural")
    assert script["steps"] == ["kubectl rollout restart deploy/web",
                               "helm upgrade web ./chart --set tag=1.4"]
    assert script["summary"].startswith("Commands documented in ")
    sidebar = ["general", "random", "release train", "design reviews"]
    assert of_type(rules.extract(_segment(sidebar, app="slack")), "procedural") == []


def test_an_item_title_above_its_time_is_one_pair_and_cjk_authors_are_read() -> None:
    lines = ["Mon 15", "Sprint planning", "9 - 11 AM", "Room Basalt", "Team sync",
             "2:00 PM - 2:30 PM"]
    boxes = [(10, 10, 80, 28), (10, 40, 160, 58), (10, 60, 110, 78), (10, 80, 120, 98),
             (10, 120, 110, 138), (10, 140, 170, 158)]
    assert read_frame(lines, boxes).pairs == [Pair("Sprint planning", "9 - 11 AM"),
                                              Pair("Team sync", "2:00 PM - 2:30 PM")]
    chat = ["王磊 10:02", "版本 定于 6月19日 上线", "赵明 10:05", "好的，我来负责"]
    messages = read_frame(chat, [(10, 10 + 30 * i, 200, 28 + 30 * i) for i in range(4)]).messages
    assert [(m.author, m.time) for m in messages] == [("王磊", "10:02"), ("赵明", "10:05")]


def _placed(*cells: tuple[str, int, int, int, int]) -> tuple[list[str], list[tuple]]:
    return [c[0] for c in cells], [c[1:] for c in cells]


def test_a_forms_values_set_far_right_join_their_labels() -> None:
    """Labels at the left, values at the right edge of the form, a little off their label's
    centre where a line of help text sits under the label."""
    lines, boxes = _placed(
        ("Profile", 300, 100, 420, 130),
        ("Display language", 300, 160, 470, 186),
        ("Used for menus and mail", 300, 186, 520, 204),
        ("Português (Brasil)", 980, 168, 1140, 194),
        ("Week starts on", 300, 240, 450, 266),
        ("Sunday", 1060, 241, 1140, 267),
        ("Renewal", 300, 300, 390, 326),
        ("Next charge on 03/11/2026", 300, 326, 520, 346),
        ("Team, monthly – R$ 59,90", 930, 311, 1140, 335),
    )
    layout = read_frame(lines, boxes)
    assert "Week starts on: Sunday" in layout.lines
    assert "Display language: Português (Brasil)" in layout.lines
    assert "Renewal: Team, monthly – R$ 59,90" in layout.lines


def test_a_second_table_under_the_first_has_its_own_header() -> None:
    lines, boxes = _placed(
        ("Product", 50, 200, 130, 226), ("Qty", 600, 200, 640, 226),
        ("Price", 900, 200, 950, 226),
        ("Walnut desk lamp", 50, 240, 230, 266), ("1", 610, 240, 620, 266),
        ("€ 74,00", 900, 240, 980, 266),
        ("Linen lampshade", 50, 280, 220, 306), ("2", 610, 280, 620, 306),
        ("€ 31,00", 900, 280, 980, 306),
        ("Deliver to", 50, 330, 160, 356), ("Delivery window", 300, 330, 470, 356),
        ("Ines Duarte", 50, 366, 170, 392), ("Tue 4 – Thu 6 August", 300, 366, 520, 392),
    )
    rows = {row.text: dict(row.cells) for row in read_frame(lines, boxes).table}
    assert rows["Deliver to: Ines Duarte; Delivery window: Tue 4 – Thu 6 August"] == {
        "Deliver to": "Ines Duarte", "Delivery window": "Tue 4 – Thu 6 August"}
    assert dict(rows["Product: Linen lampshade; Qty: 2; Price: € 31,00"])["Price"] == "€ 31,00"


def test_an_email_under_a_label_is_its_value_not_another_label() -> None:
    lines, boxes = _placed(
        ("Contact", 300, 200, 380, 226),
        ("ines.duarte@example.test", 300, 228, 520, 254),
        ("Verified on 2 March 2026", 300, 256, 520, 276),
    )
    assert Pair("Contact", "ines.duarte@example.test") in read_frame(lines, boxes).pairs


def test_a_table_rows_second_line_joins_its_row_and_a_later_header_takes_over() -> None:
    lines, boxes = _placed(
        ("Account", 60, 100, 160, 124), ("Plan", 400, 100, 450, 124),
        ("Ines Duarte", 60, 130, 180, 154), ("Family", 400, 130, 470, 154),
        ("Day", 60, 200, 100, 224), ("Start", 300, 200, 360, 224), ("Room", 600, 200, 660, 224),
        ("Owner", 900, 200, 970, 224), ("Notes", 1150, 200, 1210, 224),
        ("Tue 8 Sep", 60, 240, 160, 264), ("10:15", 300, 240, 360, 264),
        ("Atrium B", 600, 240, 700, 264), ("Kwame Boateng", 900, 240, 1060, 264),
        ("Open", 1150, 240, 1200, 264),
        ("Quarterly planning", 300, 266, 500, 286), ("2nd floor", 600, 266, 700, 286),
        ("Wed 9 Sep", 60, 300, 160, 324), ("14:00", 300, 300, 360, 324),
        ("Library", 600, 300, 680, 324), ("Ana Lima", 900, 300, 990, 324),
        ("Open", 1150, 300, 1200, 324),
    )
    rows = [dict(row.cells) for row in read_frame(lines, boxes).table]
    tuesday = next(r for r in rows if r.get("Day") == "Tue 8 Sep")
    assert tuesday["Start"] == "10:15 Quarterly planning"
    assert tuesday["Room"] == "Atrium B 2nd floor" and tuesday["Owner"] == "Kwame Boateng"
    assert any(r.get("Day") == "Wed 9 Sep" and r.get("Room") == "Library" for r in rows)


def test_a_numbered_reference_list_and_a_page_header_are_no_procedures() -> None:
    refs = "\n".join([
        "Halvorsen Lighthouse", "References",
        "1. Marr, K. (1954). The keepers of Halvorsen. Nordvik Press.",
        "2. Ibsen-Tal, R. et al. (2003). \"Lamp optics of the northern coast\". Coast Review 4: 41–58.",
        "3. Dahl, P. (1921). \"Fyrvesenet\". Maritime Notes 12: 3–9.",
    ])
    assert of_type(rules.extract(Segment(frames=[_text_frame(refs)])), "procedural") == []
    header = "\n".join(["openrail / timetables", "mkovacs commented 2 days ago | Reviewers",
                        "aderinsola | Changes requested", "Merge when checks pass"])
    assert of_type(rules.extract(Segment(frames=[_text_frame(header)])), "procedural") == []


def _text_frame(text: str) -> FrameText:
    return FrameText.from_row({"id": 1, "captured_at": "2026-06-01T10:00:00+00:00",
                               "app": "chromium", "window_title": "Page", "url": None,
                               "ocr_text": text})


@pytest.mark.parametrize(("text", "expected"), [
    ("Der Termin wurde verschoben. Neu ist Freitag, 3. Juli 2026 um 8:15 Uhr im Hof.",
     ["Der Termin wurde verschoben.", "Neu ist Freitag, 3. Juli 2026 um 8:15 Uhr im Hof."]),
    ("Bring the form (No. QX-118) with you. Dr. Lindqvist will sign it.",
     ["Bring the form (No. QX-118) with you.", "Dr. Lindqvist will sign it."]),
    ("It opened in 1931. The hall seats 900. Tours run daily.",
     ["It opened in 1931.", "The hall seats 900.", "Tours run daily."]),
])
def test_a_full_stop_in_a_date_or_after_an_abbreviation_ends_no_sentence(
        text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_an_episode_summary_quotes_a_cards_fields_with_the_best_sentence() -> None:
    from memory.extraction.facts import episode_summary
    from memory.extraction.layout import Layout, TableRow

    card = Layout(
        lines=["Your court is booked", "Please arrive ten minutes early to collect the keys.",
               "Court", "4 (indoor)", "Day", "Sunday, 9 August 2026", "Starts", "18:30",
               "Booking ref", "KT-55821"],
        pairs=[Pair("Sent", "Fri, 7 Aug 2026, 10:12")],
        table=[TableRow((("", "Court"), ("", "4 (indoor)"))),
               TableRow((("", "Day"), ("", "Sunday, 9 August 2026"))),
               TableRow((("", "Starts"), ("", "18:30"))),
               TableRow((("", "Booking ref"), ("", "KT-55821")))],
        headings=["Your court is booked"])
    summary = episode_summary(card, lines=card.lines, title="Mail", terminal=False)
    assert "Day: Sunday, 9 August 2026" in summary
    assert "Starts: 18:30" in summary
    assert "Booking ref: KT-55821" in summary
    assert summary.startswith("Your court is booked: ")
    # One dated header is no card: the best sentence says what the mail is about.
    header_only = Layout(lines=["Please arrive ten minutes early on 9 August to collect keys."],
                         pairs=[Pair("Sent", "Fri, 7 Aug 2026, 10:12")], headings=[])
    assert episode_summary(header_only, lines=header_only.lines, title="Mail",
                           terminal=False) == (
        "Mail: Please arrive ten minutes early on 9 August to collect keys.")


def test_two_lists_side_by_side_are_columns_not_a_table() -> None:
    # A recipe page: its title, a row of figures across the top, then the ingredients at
    # the left and the method at the right, their lines on one baseline grid.
    cells = [("Soup Stories Recipes Seasons Shop", (46, 66, 381, 92)),
             ("Lentil Soup with Lemon", (40, 120, 420, 160)),
             ("By Ines Varga · Updated 2 May 2026", (40, 180, 340, 206)),
             ("Prep", (60, 230, 100, 258)), ("10 min", (60, 250, 118, 276)),
             ("Cook", (140, 230, 190, 258)), ("30 min", (140, 250, 200, 276)),
             ("Serves", (230, 230, 290, 258)), ("4", (230, 250, 245, 276)),
             ("You need", (80, 310, 190, 340)), ("Method", (400, 300, 480, 330))]
    left = ["• 1 cup red lentils", "• 1 onion, chopped", "• 2 carrots", "• 1 lemon",
            "• 5 cups stock"]
    right = ["1. Soften the onion and carrots in oil for 6 minutes.",
             "2. Add lentils and stock and bring to the boil.",
             "3. Simmer for 20 minutes, then blend half of it.",
             "4. Stir in the lemon juice and season to taste."]
    for n, text in enumerate(left):
        cells.append((text, (66, 350 + 22 * n, 260, 372 + 22 * n)))
    for n, text in enumerate(right):
        cells.append((text, (424, 350 + 22 * n, 900, 372 + 22 * n)))
    found = read_frame([t for t, _ in cells], [b for _, b in cells])
    lines = found.lines
    assert lines.index("• 5 cups stock") < lines.index("Method")
    assert lines.index("Method") < lines.index(right[0]) < lines.index(right[3])
    assert not found.table or all(len(row.cells) < 2 or "•" not in row.text
                                  for row in found.table)


def test_a_pager_or_editor_in_a_terminal_is_a_document_read() -> None:
    pager = ["# Release notes - quillpad", "## 2.4.0 - 2026-03-14", "### Added",
             "- Export to EPUB with embedded fonts (thanks to Odile Marchetti).",
             "- New setting `sync.interval' (default 15 minutes).", "### Changed",
             "- Minimum supported Node is now 20.", "## 2.3.1 - 2026-02-02",
             "- Fixed a crash on empty notebooks (#418).", "NOTES.md (END)"]
    shell = ["lin@pad:~$ make release", *[f"building part {n} of 9" for n in range(9)],
             "lin@pad:~$"]

    def documents(lines: list[str]) -> list[dict]:
        frame = FrameText(id=1, captured_at="2026-05-12T09:00:00+00:00", app="xterm",
                          window_title="bash", url=None, text="\n".join(lines),
                          lines=tuple(lines))
        return [c.fields for c in rules.extract(Segment(frames=[frame])).candidates
                if c.type == "resource" and c.fields.get("content")]

    (doc,) = documents(pager)
    assert doc["title"] == "NOTES.md"
    assert "- Minimum supported Node is now 20." in doc["content"].splitlines()
    assert documents(shell) == []  # a shell session is an episode, not a document


def test_figures_over_their_captions_are_pairs() -> None:
    cells = [("Storage used", (40, 100, 220, 130)),
             ("412 GB", (60, 160, 150, 200)), ("38", (300, 160, 330, 200)),
             ("€4.99", (520, 160, 600, 200)),
             ("Photos", (60, 210, 130, 232)), ("Shared albums", (300, 210, 440, 232)),
             ("Monthly plan", (520, 210, 650, 232))]
    found = read_frame([t for t, _ in cells], [b for _, b in cells])
    assert Pair("Photos", "412 GB") in found.pairs
    assert Pair("Shared albums", "38") in found.pairs
    assert Pair("Monthly plan", "€4.99") in found.pairs


def test_labels_over_figures_pair_up_two_rows_at_a_time_but_a_header_heads_its_table() -> None:
    tiles = [("Release", (40, 100, 140, 124)), ("Licence", (300, 100, 380, 124)),
             ("5.0.1", (40, 128, 100, 152)), ("BSD-3", (300, 128, 360, 152)),
             ("Size", (40, 170, 90, 194)), ("Files", (300, 170, 350, 194)),
             ("88 kB", (40, 198, 100, 222)), ("41", (300, 198, 325, 222))]
    found = read_frame([t for t, _ in tiles], [b for _, b in tiles])
    assert {Pair("Release", "5.0.1"), Pair("Licence", "BSD-3"), Pair("Size", "88 kB"),
            Pair("Files", "41")} <= set(found.pairs)
    table = [("Date", (40, 100, 90, 124)), ("Amount", (300, 100, 380, 124)),
             ("3 Mar", (40, 128, 100, 152)), ("€12", (300, 128, 340, 152)),
             ("9 Mar", (40, 156, 100, 180)), ("€30", (300, 156, 340, 180))]
    found = read_frame([t for t, _ in table], [b for _, b in table])
    assert not found.pairs
    assert [row.cells for row in found.table] == [
        (("Date", "3 Mar"), ("Amount", "€12")), (("Date", "9 Mar"), ("Amount", "€30"))]


def test_a_terminal_line_of_one_name_and_one_figure_is_a_pair() -> None:
    lines = ["ana@quay:~$ wc -l *.tsv", "112 invoices_2026-03.tsv", "7 vendors.tsv",
             "ana@quay:~$ sort -k2 -n timings.txt", "resize-worker 88", "ocr-gateway 1204",
             "ana@quay:~$ echo hello world", "hello world"]
    found = read_frame(lines, [None] * len(lines), terminal=True)
    assert {Pair("invoices_2026-03.tsv", "112"), Pair("vendors.tsv", "7"),
            Pair("ocr-gateway", "1204")} <= set(found.pairs)
    assert not any(p.label == "hello" for p in found.pairs)


def test_a_row_of_figures_is_named_by_its_first_header() -> None:
    from memory.extraction.facts import spans
    from memory.extraction.layout import Layout, TableRow

    row = TableRow((("Pickup desk", "C14"), ("Opens", "07:10"), ("Closes", "07:45")))
    (span,) = [s for s in spans(Layout(table=[row])) if s.origin == "row"]
    assert span.subject == "Pickup desk"
    assert span.text == "Pickup desk: C14; Opens: 07:10; Closes: 07:45"


def test_a_label_a_little_taller_than_its_value_is_still_stacked_over_it() -> None:
    """OCR boxes of one font size differ by a few pixels; a heading is far bigger."""
    lines, boxes = _placed(
        ("Recovery email", 300, 215, 420, 244),  # 29 px over a 26 px value
        ("t.okafor@example.test", 316, 244, 532, 270),
        ("Billing address", 300, 300, 420, 338),  # 38 px: a heading, not a label
        ("14 Rue des Tanneurs", 300, 340, 480, 366),
    )
    pairs = read_frame(lines, boxes).pairs
    assert Pair("Recovery email", "t.okafor@example.test") in pairs
    assert not any(p.label == "Billing address" for p in pairs)


def test_a_code_in_a_repeated_header_row_belongs_to_the_rows_under_it() -> None:
    """A list of orders, each under its own "Placed | Total | Order # …" row."""
    lines, boxes = _placed(
        ("PLACED", 40, 160, 140, 186), ("TOTAL", 200, 160, 250, 186),
        ("ORDER # 302-5518204-7710293", 420, 162, 630, 184),
        ("March 3, 2026", 40, 180, 150, 206), ("$41.10", 200, 180, 252, 206),
        ("Delivered Mar 6", 44, 224, 200, 250),
        ("PLACED", 40, 310, 140, 336), ("TOTAL", 200, 310, 250, 336),
        ("ORDER #302-9906611-2048571", 420, 312, 630, 334),
        ("April 9, 2026", 40, 330, 150, 356), ("$7.95", 200, 330, 252, 356),
    )
    rows = [dict(row.cells) for row in read_frame(lines, boxes).table]
    assert {"ORDER": "302-5518204-7710293", "PLACED": "March 3, 2026",
            "TOTAL": "$41.10"} in rows
    assert {"ORDER": "302-9906611-2048571", "PLACED": "April 9, 2026",
            "TOTAL": "$7.95"} in rows


def test_a_stream_of_progress_lines_gives_only_its_latest_line() -> None:
    from memory.extraction.facts import spans
    from memory.extraction.layout import Layout, TableRow

    progress = [TableRow((("", f"[{n}/240]"), ("", "CC"), ("", f"lib/part_{n}.o")))
                for n in range(236, 240)]
    progress.insert(1, TableRow((("", "[237/240]"), ("", "CC"), ("", "lib/part 237.0"))))
    rooms = [TableRow((("Room", "Ash"), ("Booked", "09:00"))),
             TableRow((("Room", "Elm"), ("Booked", "10:00"))),
             TableRow((("Room", "Oak"), ("Booked", "11:00")))]
    lines = [f"[{n}/240] CC lib/part_{n}.o" for n in range(236, 240)]
    lines.append("[240/240] PACK dist/tool-2.1.0-linux.tar.gz")
    found = spans(Layout(table=[*progress, *rooms], lines=lines))
    rows = [s.text for s in found if s.origin == "row"]
    assert rows[0] == "[239/240]; CC; lib/part_239.o"  # OCR's "part 237.0" is no new line
    assert sum("Room" in text for text in rows) == 3 and len(rows) == 4
    (said,) = [s for s in found if s.origin == "sentence" and "PACK" in s.text]
    assert said.subject == "PACK" and said.values[0].text == "dist/tool-2.1.0-linux.tar.gz"
    assert not any(f"[{n}/240]" in s.text for s in found for n in range(236, 239))


def test_a_card_of_fields_two_rows_at_a_time_pairs_each_label_with_the_value_under_it() -> None:
    """Labels in capitals over their values, then more labels over theirs: each value
    belongs to the label right over it, not to the card's first row of labels; a label cut
    short ("REF NO.") is still a label, and a button row set apart heads nothing."""
    lines, boxes = _placed(
        ("CABIN CLASS", 50, 400, 160, 422), ("REF NO.", 300, 400, 370, 422),
        ("Premium Economy", 50, 420, 210, 446), ("QT-55180", 300, 420, 400, 446),
        ("MEAL CHOICE", 50, 458, 160, 480), ("LOUNGE ACCESS", 300, 458, 420, 480),
        ("Lentil curry", 50, 476, 170, 502), ("Not included", 300, 476, 410, 502),
        ("Manage booking", 60, 540, 190, 566), ("Print receipt", 300, 540, 420, 566),
    )
    found = read_frame(lines, boxes)
    stated = {p.text for p in found.pairs} | {row.text for row in found.table}
    assert any("CABIN CLASS: Premium Economy" in s for s in stated)
    assert any("REF NO.: QT-55180" in s for s in stated)
    assert "MEAL CHOICE: Lentil curry; LOUNGE ACCESS: Not included" in stated
    assert not any("CABIN CLASS: MEAL CHOICE" in s or "LOUNGE ACCESS: Print" in s
                   or "MEAL CHOICE: Manage" in s for s in stated)


def test_a_words_only_table_keeps_its_one_header() -> None:
    """Rows of words at an even spacing are a table's body under its one header, however
    label-like their cells are."""
    lines, boxes = _placed(
        ("Name", 40, 100, 100, 124), ("Role", 300, 100, 350, 124), ("Team", 500, 100, 560, 124),
        ("Ana Lima", 40, 136, 130, 160), ("Designer", 300, 136, 390, 160),
        ("Atlas", 500, 136, 560, 160),
        ("Bo Chen", 40, 172, 120, 196), ("Engineer", 300, 172, 390, 196),
        ("Borealis", 500, 172, 590, 196),
        ("Cy Dee", 40, 208, 110, 232), ("Tester 2", 300, 208, 390, 232),
        ("Atlas", 500, 208, 560, 232),
    )
    rows = [dict(row.cells) for row in read_frame(lines, boxes).table]
    assert {"Name": "Bo Chen", "Role": "Engineer", "Team": "Borealis"} in rows
    assert {"Name": "Cy Dee", "Role": "Tester 2", "Team": "Atlas"} in rows

