"""Deterministic extractors: what they find, and that secrets never leave the vault."""

from __future__ import annotations

from datetime import UTC, datetime

from memory.extraction import rules, vault_rules
from memory.extraction.segments import FrameText, closed_segments, group_segments
from tests.memory.extraction.helpers import MAIL, SETTINGS, segment


def by_type(output: rules.RuleOutput, memory_type: str) -> list[dict]:
    return [c.fields for c in output.candidates if c.type == memory_type]


def test_api_key_goes_to_vault_and_nowhere_else() -> None:
    seg = segment(SETTINGS, app="Firefox", title="API keys - OpenAI - Mozilla Firefox",
                  url="https://platform.openai.com/api-keys")
    out = rules.extract(seg)
    secret = "sk-proj-Xf93kLmQ2vTz81RwaPq7YbHcNd45"
    vault = [v for v in by_type(out, "vault") if v["entry_type"] == "api_key"]
    assert [v["secret_value"] for v in vault] == [secret]
    assert vault[0]["sensitivity"] == "high"
    assert secret not in vault[0]["caption"]
    for candidate in out.candidates:
        if candidate.type != "vault":
            assert secret not in str(candidate.fields), candidate.type


def test_credentials_account_numbers_and_checks() -> None:
    lines = ["Username: sam.carter", "Password: Xt7PAtL-pByQx",
             "IBAN: DE89 3704 0044 0532 0130 00", "Card: 4111 1111 1111 1111",
             "Card: 4111 1111 1111 1112", "Reference: 1234 5678 9012 3456 78"]
    found = {s.value: s for s in vault_rules.find_secrets(lines, "Bank")}
    assert found["Xt7PAtL-pByQx"].entry_type == "credential"
    assert "sam.carter" in found["Xt7PAtL-pByQx"].caption
    assert found["DE89 3704 0044 0532 0130 00"].entry_type == "account_number"
    ocr_spacing = vault_rules.find_secrets(["IBAN: DE89 3704 00440532 0130 00"], "Bank")
    assert [s.value for s in ocr_spacing] == ["DE89 3704 0044 0532 0130 00"]
    assert "4111 1111 1111 1111" in found  # passes Luhn
    assert "4111 1111 1111 1112" not in found  # fails Luhn
    assert not any("REDACTED" in v for v in found)


def test_placeholders_left_by_capture_redaction_are_not_secrets() -> None:
    lines = ["Password: [REDACTED:password]", "Secret key: [REDACTED:api_key]"]
    assert vault_rules.find_secrets(lines, "x") == []


def test_contacts_addresses_and_bookmarks() -> None:
    out = rules.extract(segment(MAIL + "\nShip to:\n221 Baker Street\nLondon NW1 6XE"))
    vault = by_type(out, "vault")
    contact = next(v for v in vault if v["caption"] == "Contact: Alice Moreau")
    assert "alice.moreau@northwind.io" in contact["secret_value"]
    assert "+1 415 555 0134" in contact["secret_value"]
    assert contact["sensitivity"] == "low"
    address = next(v for v in vault if v["entry_type"] == "address")
    assert address["secret_value"] == "221 Baker Street, London NW1 6XE"
    marks = rules.extract(segment("Bookmarks\nRust book - https://doc.rust-lang.org/book/",
                                  app="Firefox", title="Bookmarks"))
    bookmark = next(v for v in by_type(marks, "vault") if v["entry_type"] == "bookmark")
    assert bookmark["secret_value"] == "https://doc.rust-lang.org/book/"
    assert bookmark["caption"] == "Bookmark: Rust book"


def test_terminal_commands_and_step_lists_become_procedures() -> None:
    terminal = "sam@laptop:~/src/atlas$ git pull --rebase\nok\n" \
               "sam@laptop:~/src/atlas$ make test\n3 passed"
    out = rules.extract(segment(terminal, app="Terminal", title="sam@laptop: ~/src/atlas"))
    script = by_type(out, "procedural")[0]
    assert script["entry_type"] == "script"
    # A command's short answer stays with it as a shell comment; "ok" holds no figure.
    assert script["steps"] == ["git pull --rebase", "make test  # 3 passed"]
    again = terminal + "\nsam@laptop:~/src/atlas$ make test\n4 passed"
    out = rules.extract(segment(again, app="Terminal", title="sam@laptop: ~/src/atlas"))
    assert by_type(out, "procedural")[0]["steps"] == ["git pull --rebase",
                                                      "make test  # 4 passed"]
    doc = "Release checklist:\n1. Tag the release\n2. Build the installer\n3. Announce it\nEnd"
    out = rules.extract(segment(doc, app="Typora", title="release.md - Typora"))
    guide = by_type(out, "procedural")[0]
    assert guide == {"entry_type": "guide", "summary": "Release checklist: Tag the release",
                     "steps": ["Tag the release", "Build the installer", "Announce it"]}
    resource = by_type(out, "resource")[0]
    assert resource["title"] == "release.md" and resource["resource_type"] == "markdown"


def test_semantic_facts_with_a_clear_shape() -> None:
    out = rules.extract(segment(MAIL))
    person = next(s for s in by_type(out, "semantic") if s["name"] == "Alice Moreau")
    assert "alice.moreau@northwind.io" in person["summary"]
    assert "Product Lead, Northwind" in person["details"]
    calendar = rules.extract(segment("Thursday, 14 May\n14:00 - 15:00  Budget review\n"
                                     "    Room Orion", app="Calendar", title="Calendar"))
    event = by_type(calendar, "semantic")[0]
    assert event["name"] == "Budget review" and "14:00" in event["summary"]
    receipt = rules.extract(segment("Order number: 622-1683953\nHeadphones    $249.00\n"
                                    "Order total: $253.99", app="Firefox", title="Shopwise"))
    summaries = {fact["summary"] for fact in by_type(receipt, "semantic")}
    assert {"Order number: 622-1683953", "Order total: $253.99"} <= summaries
    article = rules.extract(segment("Kubernetes is an open source system for automating "
                                    "deployment of containers.", app="Firefox", title="K8s"))
    assert by_type(article, "semantic")[0]["name"] == "Kubernetes"


def test_every_segment_has_an_episode_with_app_and_span() -> None:
    out = rules.extract(segment(MAIL, frames=4, step_s=15))
    (episode,) = by_type(out, "episodic")
    assert episode["app"] == "Thunderbird"
    assert episode["occurred_at"].startswith("2026-05-12T09:00:00")
    assert episode["ended_at"].startswith("2026-05-12T09:00:45")
    assert episode["event_type"] == "mail"
    assert "Alice Moreau" in episode["summary"]


def test_segments_split_on_window_change_and_long_gaps() -> None:
    a = segment("one", app="Slack", title="#ops - Slack", frames=3).frames
    b = segment("two", app="Firefox", title="News", start="2026-05-12T09:01:00+00:00").frames
    c = segment("three", app="Firefox", title="News", start="2026-05-12T09:30:00+00:00",
                first_id=9).frames
    segments = group_segments([*c, *b, *a])
    assert [len(s.frames) for s in segments] == [3, 1, 1]
    assert [s.app for s in segments] == ["Slack", "Firefox", "Firefox"]
    soon = datetime(2026, 5, 12, 9, 31, tzinfo=UTC)
    later = datetime(2026, 5, 12, 10, 0, tzinfo=UTC)
    assert len(closed_segments(segments, now=soon)) == 2
    assert len(closed_segments(segments, now=later)) == 3


def test_a_window_that_shows_something_else_starts_a_new_segment() -> None:
    def frame(i: int, lines: list[str]) -> FrameText:
        return FrameText(id=i, captured_at=f"2026-05-12T09:00:{i:02d}+00:00", app="xterm",
                         window_title="zsh", url=None, text="\n".join(lines),
                         lines=tuple(lines))

    log = [f"12:0{n} worker job {n} done" for n in range(10)]
    scrolled = [*log[4:], "$ grep -c ERROR app.log", "3", "$ tail -n 2 app.log", "eof"]
    editor = [f"key_{n} = {n * 7}" for n in range(9)] + [log[0]]
    short = ["$ clear", "$"]
    segments = group_segments([frame(1, log), frame(2, scrolled), frame(3, editor),
                               frame(4, short), frame(5, log)])
    # The scrolled log goes on; the editor shares one line of ten; two lines are too few
    # to tell, so they stay with what came before.
    assert [[f.id for f in s.frames] for s in segments] == [[1, 2], [3, 4, 5]]
