"""The real-screens checker: its own normaliser, screen-text reader and scoring, on
hand-made text and on memories written through the real store (real SQLite and Chroma)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.real_screens import checker
from bench.real_screens.checker import StoredMemory, claim_holds, claims, score
from bench.real_screens.corpus import parse_scene
from bench.real_screens.normalise import (
    contains_subject,
    contains_value,
    dates_in,
    squash,
    times_in,
    value_tokens,
)
from bench.real_screens.screen_text import html_screen

MODULES = ("checker", "normalise", "screen_text", "corpus")


def test_the_checker_imports_nothing_from_the_product_it_checks() -> None:
    root = Path(checker.__file__).parent
    for name in MODULES:
        source = (root / f"{name}.py").read_text(encoding="utf-8")
        for package in ("memory", "capture", "app", "ui"):
            assert f"from {package}" not in source and f"import {package}" not in source


@pytest.mark.parametrize(("text", "gold"), [
    ("moved to 2026-06-03 at 2 pm", "Wednesday 3 June 2026 at 14:00"),
    ("Abnahme am 18.06.2026, 09:30", "Donnerstag, 18. Juni 2026 um 9:30 Uhr"),
    ("rdv 23/06/2026 16:45", "mardi 23 juin 2026 à 16h45"),
    ("llega el 17 de junio", "miércoles 17 de junio"),
    ("delivery 2026年7月6日", "2026年7月6日"),
    ("flight on June 20", "Sat 20 Jun 2026"),
    ("Total EUR 84.90", "84,90 €"),
    ("penalty 1250.00 EUR", "1.250,00 €"),
    ("ref QX7R 2M", "QX7R2M"),
    ("HOTEL CASTELLANE", "hotel castellane"),
    ("Gorlitzer Strasse 14", "Görlitzer Straße 14"),
    ("新版本3.6.0定于", "3.6.0"),
])
def test_values_match_across_formats_languages_and_ocr_joins(text: str, gold: str) -> None:
    assert contains_value(text, gold)


@pytest.mark.parametrize(("text", "gold"), [
    ("moved to 2026-06-04 at 14:00", "Wednesday 3 June 2026 at 14:00"),
    ("at 15:00 on 3 June 2026", "Wednesday 3 June 2026 at 14:00"),
    ("seat 114C", "14C"),
    ("total 84.99", "84,90 €"),
    ("order FL-558214", "FL-558213"),
    ("version 3.6.01", "3.6.0"),
])
def test_different_values_do_not_match(text: str, gold: str) -> None:
    assert not contains_value(text, gold)


def test_dates_and_times_are_read_by_value() -> None:
    assert {(d.month, d.day) for d in dates_in("Jun 8, 2026 and 11 July")} == {(6, 8), (7, 11)}
    assert times_in("8:45 AM, 7:30pm, 16h45, 9 Uhr") == {(8, 45), (19, 30), (16, 45), (9, 0)}
    assert squash("Quarterly  Review-moved") == "quarterlyreviewmoved"


def test_value_tokens_find_what_a_memory_claims() -> None:
    found = value_tokens("Mail from Ingrid Solberg: review moved to 3 June 2026 at 14:00, "
                         "order FL-558213, total $710.11, write to ingrid@norr.example")
    for token in ("Ingrid Solberg", "3 June 2026", "14:00", "FL-558213", "$710.11",
                  "ingrid@norr.example"):
        assert token in found
    assert "review" not in found


def test_a_long_subject_matches_by_most_of_its_words() -> None:
    assert contains_subject("rotate the certs on the proxies", "Rotate TLS certificates "
                            "on the edge proxies") is False
    assert contains_subject("Rotate TLS certificates on edge proxies now",
                            "Rotate TLS certificates on the edge proxies")


PAGE = """<html><head><title>Booking</title><style>p{x:1}</style></head><body>
<h1>Your trip</h1>
<table><tr><th>Flight</th><th>Date</th><th>Seat</th></tr>
<tr><td>AU 281</td><td>Sat 20 Jun 2026</td><td>14C</td></tr>
<tr><td>AU 284</td><td>Sun 28 Jun 2026</td><td>9A</td></tr></table>
<div class="card"><div class="l">Booking reference</div><div class="v">QX7R2M</div></div>
<div>Total paid</div><div>£412.60</div>
<ol><li>Check in online</li><li><code>print --pass</code></li></ol></body></html>"""


def test_html_blocks_keep_rows_with_headers_and_labels_with_values(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE)
    screen = html_screen(page)
    assert "Flight AU 281 Date Sat 20 Jun 2026 Seat 14C" in screen.blocks
    assert "Booking reference QX7R2M" in screen.blocks
    assert "Total paid £412.60" in screen.blocks
    assert not any("x:1" in b for b in screen.blocks)
    assert "print --pass" in screen.steps
    holds = [claim_holds("AU 281", "14C", screen, explicit=True),
             claim_holds("AU 284", "14C", screen, explicit=True),
             claim_holds("Your trip", "QX7R2M", screen, explicit=True)]
    assert holds == [True, False, True]


def test_claims_pair_each_value_with_its_subject() -> None:
    memory = StoredMemory("m1", "semantic", {"name": "Invoice QM-20931",
                                             "summary": "Amount due €129.00 by 15 June",
                                             "details": ""}, [1])
    assert ("Invoice QM-20931", "€129.00") in claims(memory)
    assert ("Invoice QM-20931", "15 June") in claims(memory)
    episode = StoredMemory("m2", "episodic", {"summary": "Mail from Kasia Wrona: rent from "
                                              "1 August"}, [1])
    assert ("Mail from  ", "Kasia Wrona") in claims(episode)


SCENE = {"id": "mini", "app": "chromium", "lang": "en", "kind": "booking",
         "material": "page.html", "scrolls": 0,
         "facts": [{"subject": "AU 281", "value": "14C", "type": "semantic", "key": True},
                   {"subject": "Booking reference", "value": "QX7R2M", "type": "semantic",
                    "key": False}],
         "questions": [{"question": "Which seat on AU 281?", "answers": ["14C"],
                        "answer_type": "identifier"}]}


def test_score_reads_real_stored_memories(tmp_path: Path, store, data_dir: Path) -> None:
    directory = tmp_path / "scenes" / "mini"
    directory.mkdir(parents=True)
    (directory / "page.html").write_text(PAGE)
    (directory / "scene.json").write_text(json.dumps(SCENE))
    scene = parse_scene(directory)
    seen = {"frames": [7], "messages": []}
    store.add("semantic", {"name": "AU 281", "summary": "Seat 14C on Sat 20 Jun 2026"},
              provenance=seen, source="screen")
    store.add("semantic", {"name": "AU 284", "summary": "Seat 14C"},  # wrong: it is 9A
              provenance=seen, source="screen")
    store.add("episodic", {"summary": "Booked AU 281 for 20 Jun 2026"}, provenance=seen,
              source="screen")
    store.add("procedural", {"summary": "Boarding pass", "steps": ["print --pass"]},
              provenance=seen, source="screen")
    store.add("semantic", {"name": "Other", "summary": "QX7R2M"}, source="manual")
    store.close()
    figures = score(data_dir, [scene], {7: "mini"}, search=False)
    assert figures["fact_recall"] == 0.5  # the booking reference is stated by no memory
    assert figures["claims"] == 5
    assert figures["precision"] == 0.8  # (AU 284, 14C) never co-occur on the screen
    assert figures["key_fact_in_summary"] == 1.0
    assert figures["scenes_with_episode"] == 1.0
    assert figures["real_procedures"] == 1.0
    assert "AU 284" in figures["details"]["mini"]["wrong_claims"][0]
