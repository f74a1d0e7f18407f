"""Each answer type, on hand-made memories in a real store with real retrieval. No model is
installed for these: a typed question is answered by its extracted value alone."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from memory.chat import ChatService
from memory.errors import ModelMissing
from memory.retrieval import HybridRetriever
from memory.schema import now_iso
from memory.store import MemoryStore


def no_model():
    raise ModelMissing("no model in these tests: typed questions need none")


def chat(store: MemoryStore) -> ChatService:
    return ChatService(store, HybridRetriever(store), no_model, save_as_memory=False)


def add_frame(store: MemoryStore, ocr_text: str, title: str = "Booking",
              boxes: list[tuple[int, int, int, int]] | None = None) -> int:
    placed = json.dumps([{"text": text, "box": list(box), "confidence": 0.9}
                         for text, box in zip(ocr_text.split("\n"), boxes, strict=True)]
                        ) if boxes else None

    def insert(db) -> int:
        cursor = db.execute(
            "INSERT INTO frames (captured_at, app, window_title, status, ocr_text, ocr_lines, "
            "updated_at) VALUES (?, 'firefox', ?, 'extracted', ?, ?, ?)",
            [now_iso(), title, ocr_text, placed, now_iso()],
        )
        return int(cursor.lastrowid)

    return store.writer.write(insert)


def add_screen(store: MemoryStore, summary: str, lines: list[str],
               title: str = "Booking", boxes: list[tuple[int, int, int, int]] | None = None
               ) -> str:
    """A screen memory whose frame, in a window titled ``title``, shows ``lines`` (at
    ``boxes``, when given)."""
    frame = add_frame(store, "\n".join(lines), title, boxes)
    return store.add("episodic", {"summary": summary, "occurred_at": now_iso(),
                                  "app": "firefox"},
                     source="screen", provenance={"frames": [frame], "messages": []}).id


@pytest.fixture
def booking(store: MemoryStore) -> tuple[str, int]:
    """A flight booking screen: the seat sits on the line above the booking reference."""
    frame = add_frame(store, "\n".join([
        "My trips", "Flight TP1351 Porto to Lisbon", "Departure 14 May 2026 07:40",
        "Seat 14C", "Booking reference", "QX7K2M", "Total paid €139.00",
    ]))
    memory = store.add("episodic", {
        "summary": "Viewed the Lisbon flight booking TP1351 in Firefox",
        "occurred_at": "2026-04-02T10:00:00+00:00", "app": "firefox",
    }, source="screen", provenance={"frames": [frame], "messages": []})
    return memory.id, frame


@pytest.mark.parametrize(("question", "short", "line"), [
    ("What is my booking reference for the Lisbon flight?", "QX7K2M", 5),
    ("How much did the Lisbon flight cost?", "€139.00", 6),
    ("When is my flight to Lisbon?", "14 May 2026 07:40", 2),
    ("What time does the Lisbon flight depart?", "07:40", 2),
    ("Which seat do I have on the Lisbon flight?", "14C", 3),
])
def test_a_typed_question_states_the_value_and_cites_its_frame_line(
    store: MemoryStore, booking: tuple[str, int], question: str, short: str, line: int
) -> None:
    memory_id, frame = booking
    answer = chat(store).ask(question)
    assert not answer.abstained
    assert answer.short_answer == short
    assert short in answer.answer and "[1]" in answer.answer
    assert answer.citations == [memory_id]
    [span] = answer.spans
    assert (span.memory_id, span.frame_id, span.line) == (memory_id, frame, line)


def test_abstains_precisely_when_the_value_is_not_there(
    store: MemoryStore, booking: tuple[str, int]
) -> None:
    memory_id, _ = booking
    answer = chat(store).ask("What is my passport number for the Lisbon flight?")
    assert answer.abstained and answer.short_answer == ""
    assert answer.answer.startswith("No passport number")
    assert "closest is" in answer.answer and "Lisbon flight booking" in answer.answer
    assert answer.citations == [] and memory_id in answer.related


def test_a_relative_date_is_resolved_against_the_memorys_own_date(store: MemoryStore) -> None:
    note = store.add("episodic", {
        "summary": "Caroline: I went to the LGBTQ support group yesterday and it was great",
        "occurred_at": "2023-05-08T13:56:00+00:00"})
    answer = chat(store).ask("When did Caroline go to the LGBTQ support group?")
    assert answer.short_answer == "7 May 2023"
    assert answer.citations == [note.id]


def test_a_person_a_place_a_number_and_a_command(store: MemoryStore) -> None:
    store.add("episodic", {"summary": "Planning call for the Heliotrope launch with Priya "
                                      "Raman in room B-204", "occurred_at": now_iso()})
    store.add("episodic", {"summary": "The warehouse holds 340 pallets of the spring stock",
                           "occurred_at": now_iso()})
    store.add("resource", {"title": "Backup runbook", "resource_type": "markdown",
                           "summary": "How the nightly backup is run",
                           "content": "Run the backup with:\n$ restic -r /srv/backup backup "
                                      "/home --exclude-caches"})
    ask = chat(store).ask
    assert ask("Who was on the Heliotrope launch planning call?").short_answer == "Priya Raman"
    assert ask("Which room was the Heliotrope launch planning call in?").short_answer == "room B-204"
    assert ask("How many pallets of spring stock does the warehouse hold?").short_answer == (
        "340 pallets")
    assert ask("What command runs the nightly backup?").short_answer.startswith(
        "restic -r /srv/backup backup /home")


def test_how_do_i_answers_with_the_procedure_steps(store: MemoryStore) -> None:
    store.add("procedural", {"entry_type": "guide", "summary": "Rotate the staging TLS certificate",
                             "steps": ["Open the vault console", "Issue a new certificate",
                                       "Reload nginx on staging"]})
    answer = chat(store).ask("How do I rotate the staging TLS certificate?")
    assert answer.short_answer == ("Open the vault console; Issue a new certificate; "
                                   "Reload nginx on staging")
    assert "3. Reload nginx on staging" in answer.answer
    # A page that quotes the same commands (twice) loses to the procedure itself.
    store.add("episodic", {"summary": "Rotating the staging TLS certificate: systemctl reload "
                           "nginx — systemctl reload nginx", "occurred_at": now_iso()})
    again = chat(store).ask("How do I rotate the staging TLS certificate?")
    assert again.short_answer.startswith("Open the vault console")


def test_a_yes_no_question(store: MemoryStore) -> None:
    store.add("episodic", {"summary": "The invoice for the office chairs was not paid",
                           "occurred_at": now_iso()})
    assert chat(store).ask("Was the invoice for the office chairs paid?").short_answer == "No"


def test_a_room_named_before_the_word_room(store: MemoryStore) -> None:
    store.add("episodic", {"summary": "The budget workshop moves to the Birchwood room on the "
                                      "2nd floor this week", "occurred_at": now_iso()})
    answer = chat(store).ask("Which room is the budget workshop in?")
    assert answer.short_answer == "Birchwood"


def test_when_states_the_date_with_the_time_written_after_it(store: MemoryStore) -> None:
    store.add("episodic", {"summary": "Calendar: Pottery class with Ines, Tue 14 · 18:30 to "
                                      "20:00, studio 3", "occurred_at": now_iso()})
    # (the class's window, "18:30 to 20:00", is one time)
    assert chat(store).ask("When is the pottery class with Ines?").short_answer == (
        "Tue 14 18:30 to 20:00")


def test_when_falls_back_to_a_time_only_where_no_date_is_written(store: MemoryStore) -> None:
    store.add("episodic", {"summary": "Deploy freeze for the billing service starts Thursday "
                                      "at 18:00 UTC", "occurred_at": now_iso()})
    assert chat(store).ask("When does the billing deploy freeze start?").short_answer == "18:00"


def test_a_written_date_beats_a_clock_time_for_when(store: MemoryStore) -> None:
    frame = add_frame(store, "\n".join([
        "09:41", "Dental appointment reminder", "Your cleaning with Dr. Okoro",
        "is on 11 June 2026", "Reply C to confirm"]))
    store.add("episodic", {"summary": "Viewed the dental appointment reminder",
                           "occurred_at": "2026-05-02T09:41:00+00:00"},
              source="screen", provenance={"frames": [frame], "messages": []})
    assert chat(store).ask("When is my dental cleaning appointment?").short_answer == (
        "11 June 2026")


def test_how_deep_is_a_quantity_and_a_code_is_not_a_number(store: MemoryStore) -> None:
    store.add("episodic", {"summary": "Lake Vessmar is a moraine lake, at its deepest "
                                      "87 m deep", "occurred_at": now_iso()})
    store.add("episodic", {"summary": "Stock list: K-2231 Nitrile gloves, size M: 4 boxes left",
                           "occurred_at": now_iso()})
    ask = chat(store).ask
    assert ask("How deep is Lake Vessmar?").short_answer == "87 m"
    assert ask("How many nitrile gloves are left in stock?").short_answer == "4 boxes"


def test_the_value_comes_from_the_field_its_label_names(store: MemoryStore) -> None:
    """A row stored as "label: value; …": the field labelled with the question's words
    answers, not the value nearest the subject ("owner" for "who owns", German "Ab" for
    "wann fährt … ab", "IP" for "IP address")."""
    store.add("semantic", {"name": "web-07", "summary": "host: web-07; ip: 172.16.9.40; "
                           "role: invoice web; os: Alpine 3.20; owner: Tomasz Wrona"})
    store.add("semantic", {"name": "RE 4417", "summary": "Zug: RE 4417; Ab: 06:52; Bahnhof: "
                           "Kassel Hbf; Gleis: 4; An: 09:15; Bahnhof: Erfurt Hbf"})
    store.add("semantic", {"name": "04 Jul 26", "summary": "Date: 04 Jul 26; Description: "
                           "BRAMBLE DESIGN SALARY; Amount: +£2,870.40; Balance: £4,012.77"})
    ask = chat(store).ask
    assert ask("Who owns the invoice web server?").short_answer == "Tomasz Wrona"
    assert ask("What is the IP address of web-07?").short_answer == "172.16.9.40"
    assert ask("Wann fährt der RE 4417 in Kassel ab?").short_answer == "06:52"
    assert ask("What was the salary from Bramble Design?").short_answer == "£2,870.40"


def test_until_when_asks_a_date_and_a_room_is_its_whole_field(store: MemoryStore) -> None:
    store.add("semantic", {"name": "Hotel Mirabeau", "summary": "Hotel Mirabeau: Room: Junior "
                           "suite, sea view; Cancellation: free until 3 September 2026"})
    store.add("semantic", {"name": "BK-5120", "summary": "ref: BK-5120; guest: Odile Varga; "
                           "room: Attic suite; nights: 2"})
    ask = chat(store).ask
    assert ask("Until when can I cancel Hotel Mirabeau for free?").short_answer == (
        "3 September 2026")
    assert ask("By when must I cancel the Mirabeau booking?").short_answer == "3 September 2026"
    assert ask("Which room did Odile Varga book?").short_answer == "Attic suite"


def test_an_episodes_excerpts_are_separate_spans(store: MemoryStore) -> None:
    # The summary joins two places of the screen: the value asked for is the row's own,
    # not the balance quoted after the dash.
    store.add("episodic", {
        "summary": ("Card statement: Aug 2, 2026 | QUILLBY BOOKS #41 | Books | $36.20 — "
                    "Current balance: $2,904.18; Pending charges: $77.05"),
        "occurred_at": "2026-08-03T10:00:00+00:00", "app": "firefox",
    })
    answer = chat(store).ask("How much was the charge at Quillby Books?")
    assert answer.short_answer == "$36.20"


@pytest.mark.parametrize(("question", "short"), [
    ("Wie lautet die Buchungsnummer der Fähre nach Kiel?", "FK-44817"),
    ("Entro quando va pagata la fattura del gas?", "30/09/2026"),
    ("Quelle est la référence du billet pour Nantes ?", "QWZ3RT"),
])
def test_questions_in_other_languages_find_their_values(store: MemoryStore, question: str,
                                                        short: str) -> None:
    for summary in ("Fährbuchung Oslo–Kiel: Buchungsnummer FK-44817; Abfahrt 14:00 Uhr",
                    "Fattura gas: importo 64,20 €; scadenza 30/09/2026",
                    "Billet Paris–Nantes : référence QWZ3RT ; voiture 7, place 41"):
        store.add("semantic", {"name": summary.split(":")[0], "summary": summary,
                               "details": ""})
    assert chat(store).ask(question).short_answer == short


@pytest.mark.parametrize(("question", "short"), [
    ("How long does the glaze cure in the kiln?", "40 minutes"),
    ("How big is the kiln log export?", "12.5 MiB"),
    ("How deep is the clay pit?", "14 m"),
])
def test_a_quantity_question_is_answered_in_the_measure_it_asks_for(
        store: MemoryStore, question: str, short: str) -> None:
    store.add("semantic", {"name": "Kiln notes", "summary": (
        "Kiln notes: load 24 pieces at 1,240 °C; the glaze cures for 40 minutes; "
        "the kiln log export is 12.5 MiB"), "details": ""})
    store.add("semantic", {"name": "Clay pit", "summary": (
        "Clay pit: 3 workers dig it for 2 hours; the clay pit is 14 m deep"), "details": ""})
    assert chat(store).ask(question).short_answer == short


def test_which_host_file_or_email_is_answered_by_its_technical_name(
        store: MemoryStore) -> None:
    store.add("semantic", {"name": "nightly sync", "summary": "nightly sync: target host = "
                           "\"files.lan.example\"; schedule = \"03:15\"; keep = 30"})
    store.add("episodic", {"summary": "2026-05-02 03:16:09 ERROR upload failed: "
                           "photos/2026/trip-041.jpg (quota exceeded)", "occurred_at": now_iso()})
    store.add("semantic", {"name": "Recovery email", "summary": "Recovery email: "
                           "ines.backup@mailbox.example; Verified"})
    plain = store.add("semantic", {"name": "Database", "summary": "The invoices live in "
                                   "the ledger database on the old server"})
    ask = chat(store).ask
    assert ask("To which host does the nightly sync go?").short_answer == "files.lan.example"
    assert ask("Which file failed to upload with quota exceeded?").short_answer == (
        "photos/2026/trip-041.jpg")
    assert ask("What is my recovery email?").short_answer == "ines.backup@mailbox.example"
    # No technical name in the span: the clause that holds the question's words answers.
    from memory.answer.extractive import extract
    from memory.answer.source import load_sources

    said = extract("Which database do the invoices live in?", load_sources(store, [plain]))
    assert not said.abstained and "ledger" in said.short_answer


def test_a_dotted_name_parted_by_ocr_is_one_name() -> None:
    """OCR writes "archive. max_size" for the setting "archive.max_size"; a sentence that
    ends before a name is not joined to it."""
    from memory.answer.question import AnswerType
    from memory.answer.values import values

    assert [v.text for v in values("Document the new archive. max_size key first",
                                   AnswerType.ITEM)] == ["archive.max_size"]
    assert [v.text for v in values("Restart the worker. Then cache_dir is read",
                                   AnswerType.ITEM)] == ["cache_dir"]


def test_the_word_for_a_code_says_its_shape(store: MemoryStore) -> None:
    """A port is a number (not the address before it), a version has dotted numbers (not
    the build counter), an email has an "@"."""
    store.add("semantic", {"name": "relay", "summary": "relay.toml: bind = \"10.0.0.5:6514\""})
    store.add("semantic", {"name": "PACK", "summary": "[88/88] PACK out/relay-agent-"
                           "4.2.1-linux.tar.gz"})
    store.add("semantic", {"name": "Contact", "summary": "Contact: Ola Berg; ola.berg@"
                           "fjord.example; Verified"})
    ask = chat(store).ask
    assert ask("On which port does the relay bind?").short_answer == "6514"
    assert ask("Which relay-agent version was packed?").short_answer == "4.2.1"
    assert ask("What is the contact email?").short_answer == "ola.berg@fjord.example"


def test_a_clock_duration_a_range_and_a_limit_are_whole_quantities(store: MemoryStore) -> None:
    store.add("semantic", {"name": "lint job", "summary": "Job: #5512 lint-docs; Stage: test; "
                           "Duration: 00:02:41; Coverage: 91.0%"})
    store.add("semantic", {"name": "Kombucha", "summary": "Kombucha ferments best kept at "
                           "22–25 °C, out of the sun"})
    store.add("semantic", {"name": "per_user", "summary": "per_user: \"120/min\""})
    ask = chat(store).ask
    assert ask("How long did the lint-docs job take?").short_answer == "00:02:41"
    assert ask("What temperature should kombucha be kept at?").short_answer == "22–25 °C"
    assert ask("What is the per-user rate limit?").short_answer == "120/min"


def test_amounts_with_a_scale_without_a_currency_and_in_chinese_or_japanese(
        store: MemoryStore) -> None:
    store.add("semantic", {"name": "bridge", "summary": "The new footbridge will cost "
                           "€3.2 million, the council said."})
    store.add("semantic", {"name": "Flights", "summary": "Flights: A: 2; B: Airline; "
                           "D: 1,310.00"})
    store.add("semantic", {"name": "会議室予約", "summary": "会議室予約の料金: ¥12,400"})
    store.add("episodic", {"summary": "awk '{s+=$2} END {print s}' fares.tsv printed 86.50",
                           "occurred_at": now_iso()})
    ask = chat(store).ask
    assert ask("How much will the new footbridge cost?").short_answer == "€3.2 million"
    assert ask("How much do the flights cost?").short_answer == "1,310.00"
    assert ask("会議室予約の料金はいくらですか？").short_answer == "¥12,400"
    assert ask("How much were the fares in total?").short_answer != "$2"


def test_a_person_is_not_a_company_a_day_or_a_word_that_opens_a_sentence() -> None:
    from memory.answer.extractive import _person_like
    from memory.answer.values import names

    text = ("Leave request LR-7 · Tallow Logistics · Approver pending. Thu 4 Jun. "
            "Rewrite the brief. Picnic: Ana. Signed by Ruth Okoye")
    assert [v.text for v in names(text) if _person_like(v, text)] == ["Ana", "Ruth Okoye"]


def test_names_in_any_alphabet_with_particles_and_no_labels_or_numbered_words() -> None:
    from memory.answer.extractive import _person_like
    from memory.answer.values import names

    text = ("Agenda: review the draft. Host: Ines van der Berg. Apt 7B, Harlow Road. "
            "Talk: Gardens that last longer; Speaker: Zoë Ångström. La salle est grande. "
            "Joined: Mateus. On Monday Ilse wrote: see you there")
    assert [v.text for v in names(text) if _person_like(v, text)] == [
        "Ines van der Berg", "Zoë Ångström", "Mateus", "Ilse"]


def test_in_running_text_a_name_is_known_or_holds_no_everyday_word() -> None:
    """In a sentence "Roadmap" (a view) or "Trello" (an app) is no one, nor is "Studio
    Renovated" or "Western Asia Summer Time"; "Farouk" and "Ingeborg" are known names,
    "Tovah Ekwueme" holds no everyday word, and "Odile Said Bakery" is Odile Said. A field
    of its own may name a company ("Supplier: Norvik")."""
    from memory.answer.extractive import _person
    from memory.answer.values import names

    text = ("Ask the Roadmap team and the Trello admin; ask Farouk or Ingeborg too. "
            "Studio Renovated 1998. Reviewed by Tovah Ekwueme. Odile Said Bakery is open. "
            "Time zone: Western Asia Summer Time. "
            "Supplier: Norvik")
    found = [_person(v, text, set(), known=True) for v in names(text)]
    assert [v.text for v in found if v is not None] == [
        "Farouk", "Ingeborg", "Tovah Ekwueme", "Odile Said", "Norvik"]


def test_a_who_question_never_answers_with_its_own_words(store: MemoryStore) -> None:
    """"Reviewers Pending" (a label over a status) is no one asked "who reviews", and a
    commit's title after its author's name is not part of it."""
    add_screen(store, "Viewed the reviewers of the invoice export change", [
        "Fix rounding in invoice export", "Reviewers Pending",
        "Reviewed by Tovah Ekwueme"], title="Fix rounding in invoice export - Forge")
    add_screen(store, "Viewed the commit log of the tally-sync repository", [
        "a1b2c3d 2026-05-27 Lior Benami Squash duplicate ledger rows",
        "d4e5f6a 2026-05-20 Update the readme"], title="tally-sync - Commits")
    ask = chat(store).ask
    assert ask("Who reviewed the invoice export change?").short_answer == "Tovah Ekwueme"
    assert ask("Who squashed the duplicate ledger rows in tally-sync?").short_answer == (
        "Lior Benami")


def test_a_memory_is_evidence_for_the_words_its_screen_shows(store: MemoryStore) -> None:
    """A terminal memory sums up the commands run; the file they printed, on its screen,
    is what answers."""
    add_screen(store, "Looked at the mirror settings in a terminal", [
        "$ cat mirror.conf", "[mirror]", 'target_host = "depot.lan.example"',
        'schedule = "hourly"', "$ ls", "notes  photos"], title="ines@quarry: ~")
    assert chat(store).ask(
        "To which host does the hourly mirror go?").short_answer == "depot.lan.example"


def test_a_compound_asked_about_meets_the_compound_a_screen_writes(store: MemoryStore) -> None:
    """German writes one word for "parking permit": the screen's "Genehmigung gültig bis"
    answers the "Parkgenehmigung" asked about, not the page's other date."""
    add_screen(store, "Parkausweis im Bürgerportal angesehen", [
        "Bürgerportal Lindenau", "Bewohnerparken Zone C", "Ausgestellt am: 01.10.2026",
        "Genehmigung gültig bis: 30.09.2027", "Kennzeichen: LDN-K 417"],
        title="Bewohnerparken – Bürgerportal")
    assert chat(store).ask("Wann läuft die Parkgenehmigung ab?").short_answer == "30.09.2027"


def test_how_do_i_in_another_language_is_answered_by_the_command_after_a_colon(
        store: MemoryStore) -> None:
    """"Como se exporta …" asks the steps; the chat line gives them as a command after a
    colon, which "Note: make sure …" and a list of commands run are not."""
    from memory.answer.question import AnswerType
    from memory.answer.values import values

    add_screen(store, "Joana Prates no #dados: como exportar o relatório mensal", [
        "Joana Prates 09:12",
        "Para exportar o relatório é sempre assim: make report MONTH=2026-03",
        "Obrigada!"], title="#dados - Chat")
    assert chat(store).ask("Como se exporta o relatório?").short_answer == (
        "make report MONTH=2026-03")
    assert values("Note: make sure the door at /dev/null is shut", AnswerType.COMMAND) == []
    assert values("Ran in bash: mkdir -p out; tar -czf out/a.tgz a/", AnswerType.COMMAND) == []


def test_the_address_of_a_place_is_read_where_the_place_is_named(store: MemoryStore) -> None:
    """"Address" only says what is asked: the page naming the vet answers, not a mail with
    an "Address" row of a restaurant; the street address is whole, with its suite, town,
    region and postcode."""
    add_screen(store, "Read the table booking mail from Osteria Blu", [
        "Your table is booked", "Date | Friday, May 8", "Address | 12 Quay Street, Portlow"],
        title="Osteria Blu - Mail")
    add_screen(store, "Viewed the next check-up in the vet clinic portal", [
        "Next check-up", "Your vet", "Kestrel Vet Clinic",
        "40 Birch Lane, Suite 3, Fernway, OR 97001", "Booked for Biscuit"],
        title="Check-ups - Kestrel Vet Clinic")
    assert chat(store).ask("What is the address of my vet?").short_answer == (
        "40 Birch Lane, Suite 3, Fernway, OR 97001")


def test_a_role_in_brackets_names_whom_a_who_question_asks_for(store: MemoryStore) -> None:
    add_screen(store, "Team offsite planning in Calendar", [
        "Team offsite planning", "Agenda: pick the venue and the offsite date",
        "Guests", "Oskar Lindahl (organizer) Priya Menon", "Marta Ruiz"])
    assert chat(store).ask("Who is the organizer of the team offsite?").short_answer == (
        "Oskar Lindahl")


def test_a_table_rows_one_value_answers_whichever_cell_names_what_is_asked(
        store: MemoryStore) -> None:
    """The row naming the clinic in its last cell holds the date in its first; a line
    that names only the word "appointments" before another date does not."""
    add_screen(store, "Viewed upcoming appointments in the patient portal", [
        "Home > Appointments: Mon, Oct 5, 2026 | 8:10 AM | Vera Holt, PT Shoulder rehab",
        "Date | Time | Provider | Department",
        "Wed, Sep 16, 2026 | 10:20 AM | Omar Field, MD | Cardiology",
        "Mon, Oct 5, 2026 | 8:10 AM | Vera Holt, PT Shoulder rehab | Physical Therapy"])
    assert chat(store).ask("When is the cardiology appointment?").short_answer == (
        "Sep 16, 2026 10:20 AM")


def test_the_window_title_lends_its_words_to_every_line_of_the_page(
        store: MemoryStore) -> None:
    """The step saying "bake" is about the pie the title names: it beats the summary line
    that repeats the pie's name beside another step's figure."""
    add_screen(store, "Quince Pie: Chill the pastry for 20 minutes.", [
        "Recipes > Pies > Quince Pie", "Quince Pie", "Serves 8", "Method",
        "1. Chill the pastry for 20 minutes.", "2. Peel and slice the fruit.",
        "3. Brush with egg and bake for 50 minutes until golden."],
        title="Quince Pie - Hearth Recipes")
    assert chat(store).ask("How long does the quince pie bake?").short_answer == "50 minutes"


def test_a_head_count_a_figure_labelled_by_its_unit_and_a_rows_label_cells(
        store: MemoryStore) -> None:
    """"How many people" counts guests, not minutes; "retention_days = 30" answers "how
    many days" though its line names nothing else asked; in a row of label and value
    cells each value belongs to the label before it."""
    add_screen(store, "Read the Osteria Verde reservation mail", [
        "Your reservation at Osteria Verde", "Seating | Courtyard", "Guests | 5 adults",
        "Tables are held for 20 minutes after the booked time."], title="Osteria Verde")
    add_screen(store, "Viewed the quarry-weekly backup settings in a terminal", [
        "$ cat snapback.toml", 'job = "quarry-weekly"', 'start = "03:15"',
        "retention_days = 30"], title="ines@quarry: ~")
    add_screen(store, "Viewed the deposit and fees of the flat at 9 Wren Lane", [
        "Flat for rent - 9 Wren Lane", "Holding deposit | $600 | Admin fee | $25"],
        title="9 Wren Lane - Lettings")
    ask = chat(store).ask
    assert ask("How many people is the Osteria Verde table for?").short_answer == "5 adults"
    assert ask("How many days does quarry-weekly keep its backups?").short_answer == "30"
    assert ask("How much is the holding deposit for Wren Lane?").short_answer == "$600"


def test_a_measure_said_in_another_form_answers_how_deep(store: MemoryStore) -> None:
    add_screen(store, "Read about Tarnby quarry pond", [
        "Tarnby quarry pond is a flooded limestone quarry near the old rail yard.",
        "The pond is about 300 metres long. Its deepest point, 18 metres, lies near the "
        "north wall."])
    assert chat(store).ask("How deep is Tarnby quarry pond?").short_answer == "18 metres"


def test_a_user_name_under_the_label_naming_the_role_is_the_person(store: MemoryStore) -> None:
    add_screen(store, "Viewed issue 77 of the sundial repository", [
        "Clock drifts after resume from sleep #77", "tkovacs opened this issue 3 days ago",
        "Assignees", "ana-lima", "Labels", "bug"])
    assert chat(store).ask("Who is assigned to issue 77?").short_answer == "ana-lima"


def test_the_label_naming_the_thing_asked_beats_a_line_with_more_of_its_words(
        store: MemoryStore) -> None:
    add_screen(store, "Viewed the Kestrel Hut page on a wiki", [
        "Kestrel Hut", "Kestrel Hut: Stove | 0.8 m | Kitchen | 1950",
        "Elevation", "1,930 m (6,332 ft)"])
    add_screen(store, "Viewed the quillpen package page", [
        "quillpen: Notes stay readable after a crash-safe rename of the in-place file",
        "License: License: BSD-3-Clause"])
    ask = chat(store).ask
    assert ask("At what elevation is Kestrel Hut?").short_answer == "1,930 m"
    assert ask("What license is quillpen released under?").short_answer == "BSD-3-Clause"


def test_a_year_alone_or_a_mail_headers_date_loses_to_the_date_of_the_event(
        store: MemoryStore) -> None:
    store.add("episodic", {"summary": "Cellar Nine <bookings@cellarnine.example> Tue, "
                           "Mar 3, 2026, 9:12 AM — Your tasting at Cellar Nine is on "
                           "Friday, March 20, 2026 at 6:30 PM", "occurred_at": now_iso()})
    store.add("semantic", {"name": "Leave balance", "summary": "Parental leave balance "
                           "(2026)"})
    store.add("episodic", {"summary": "HR portal: your parental leave starts on 6 Apr 2026",
                           "occurred_at": now_iso()})
    ask = chat(store).ask
    assert ask("When is the tasting at Cellar Nine?").short_answer == (
        "Friday, March 20, 2026 6:30 PM")
    assert ask("When does the parental leave start?").short_answer == "6 Apr 2026"


def test_where_reads_a_location_field_or_a_town_and_why_reads_the_reason(
        store: MemoryStore) -> None:
    from memory.answer.extractive import extract
    from memory.answer.source import load_sources

    store.add("semantic", {"name": "Hearing test", "summary": "Visit: Hearing test with Ada "
                           "Lindqvist; Location: Northside Clinic, Suite 2 14 Mill Road; "
                           "Status: Booked"})
    store.add("semantic", {"name": "Firefox on macOS", "summary": "Firefox on macOS: "
                           "Ghent, Belgium; Aug 2, 2026"})
    failed = store.add("episodic", {"summary": "2026-04-02 11:04:55 ERROR export: job "
                                    "report-build-77 failed: no space left on device",
                                    "occurred_at": now_iso()})
    late = store.add("episodic", {"summary": "The ferry to Vlieland is late because of "
                                  "high winds, a crew member said", "occurred_at": now_iso()})
    ask = chat(store).ask
    assert ask("Where is the hearing test with Ada Lindqvist?").short_answer == (
        "Northside Clinic, Suite 2 14 Mill Road")
    assert ask("Where was the Firefox on macOS sign-in from?").short_answer == "Ghent, Belgium"
    why = extract("Why did job report-build-77 fail?", load_sources(store, [failed]))
    assert why.short_answer == "no space left on device"
    assert extract("Why is the ferry to Vlieland late?",
                   load_sources(store, [late])).short_answer == "high winds"


class SilentModel:
    """A model that adds nothing: the extractive answer of a description stands alone."""

    def load(self) -> None:
        pass

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def stream_chat(self, *args: object, **kwargs: object) -> Iterator[str]:
        return iter(())


def _turn(store: MemoryStore, text: str, second: int) -> str:
    """One remembered chat turn, ``second`` seconds into an invented conversation."""
    return store.add("episodic", {
        "summary": text, "occurred_at": f"2024-03-02T10:00:{second:02d}+00:00"}).id


def test_a_turn_tells_about_its_speaker_not_about_the_one_it_thanks(store: MemoryStore) -> None:
    turn = _turn(store, "Noor: Thanks, Ilse! This scarf is special to me - a gift from my "
                        "aunt in Porto.", 0)
    ask = ChatService(store, HybridRetriever(store), SilentModel, save_as_memory=False).ask
    # "my aunt" is Noor's: the turn only thanks Ilse, so it says nothing of Ilse's aunt
    theirs = ask("What was the aunt's gift to Ilse?")
    assert theirs.abstained and theirs.citations == []
    mine = ask("What was the aunt's gift to Noor?")
    assert not mine.abstained and "scarf" in mine.answer and mine.citations == [turn]
    # A place the turn names is no mention of the person asked about.
    _turn(store, "Noor: Hey Ilse! The kids loved the Painted Desert, they hiked all morning!", 20)
    assert ask("What did Ilse hike in the Painted Desert?").abstained


def test_what_a_speaker_calls_the_listeners_is_not_theirs(store: MemoryStore) -> None:
    _turn(store, "Ilse: Your bakery looks lovely - your regulars will feel at home.", 0)
    mine = _turn(store, "Noor: I painted the bakery counter blue to make it feel like home.", 9)
    ask = ChatService(store, HybridRetriever(store), SilentModel, save_as_memory=False).ask
    # Ilse praised Noor's bakery: nothing tells what Ilse did for a bakery of her own
    assert ask("What did Ilse paint in her bakery?").abstained
    answer = ask("What did Noor paint in her bakery?")
    assert not answer.abstained and answer.citations == [mine]


def test_a_question_is_no_answer_its_reply_is(store: MemoryStore) -> None:
    _turn(store, "Ilse: That regatta photo is great! How long have you been sailing?", 0)
    reply = _turn(store, "Noor: Nine years now, mostly on the lake with my brother.", 1)
    ask = chat(store).ask
    answer = ask("How long has Noor been sailing?")
    assert answer.short_answer == "Nine years" and answer.citations == [reply]
    # Ilse only asked: nothing says how long she has sailed
    assert ask("How long has Ilse been sailing?").abstained


def test_a_rough_time_is_said_as_it_was_said_never_made_a_date(store: MemoryStore) -> None:
    _turn(store, "Noor: I got the compass tattoo a few years ago, it stands for home.", 0)
    answer = chat(store).ask("When did Noor get the compass tattoo?")
    assert answer.short_answer == "a few years ago"
    assert "2021" not in answer.answer and "2024" not in answer.answer.split(":")[0]


def test_how_long_ago_is_answered_as_it_was_said(store: MemoryStore) -> None:
    _turn(store, "Noor: My cousin carved this bowl for my graduation six years ago.", 0)
    ask = chat(store).ask
    assert ask("How long ago was Noor's graduation?").short_answer == "six years ago"
    assert ask("When was Noor's graduation?").short_answer == "2018"


def test_a_screen_line_asking_a_question_is_answered_by_the_line_after_it(
    store: MemoryStore,
) -> None:
    add_screen(store, "Read the Larkspur Outdoor help centre", [
        "Larkspur Outdoor - Help centre", "Can I change my order?",
        "Orders can be changed for 2 hours.", "How long does a refund take?",
        "Money is back on your card within 5 days.",
    ])
    answer = chat(store).ask("How long does a Larkspur Outdoor refund take?")
    assert answer.short_answer == "5 days"
    assert answer.spans[0].line == 4  # the answer's own line, not the question's


def test_the_phrase_answering_what_stands_next_to_the_questions_words() -> None:
    from memory.answer.extractive import description_value, stems
    from memory.answer.question import classify

    def phrase(text: str, question: str) -> str:
        return description_value(text, stems(" ".join(classify(question).words)))

    assert phrase("Noor: I used to go kayaking with my uncle when I was small.",
                  "What did Noor do with her uncle?") == "used to go kayaking"
    assert phrase("The spare keys are kept in the blue tin above the fridge.",
                  "Where are the spare keys kept?") == "blue tin above the fridge"
    assert phrase("Their support for rescued hedgehogs is what made me pick them.",
                  "Why did she pick them?") == "support for rescued hedgehogs"


def test_a_country_or_a_city_is_a_place_without_a_preposition(store: MemoryStore) -> None:
    _turn(store, "Noor: This ring was my grandmother's, from her home country, Portugal.", 0)
    _turn(store, "Noor: The two of us flew to the conference together; Montreal was freezing.", 5)
    ask = chat(store).ask
    assert ask("What country is Noor's grandmother from?").short_answer == "Portugal"
    assert ask("Which city was the conference in?").short_answer == "Montreal"


def test_a_plural_thing_asked_for_is_listed_from_each_memory_with_its_citation(
    store: MemoryStore,
) -> None:
    lisbon = _turn(store, "Noor: Back from the trip! We spent four days in Lisbon.", 0)
    ghent = _turn(store, "Noor: The trip then went on by train to Ghent.", 30)
    _turn(store, "Ilse: My trip to Oslo is still only a plan.", 50)
    answer = chat(store).ask("Which cities did Noor visit on the trip?")
    assert set(answer.short_answer.split(", ")) == {"Lisbon", "Ghent"}
    assert set(answer.citations) == {lisbon, ghent}
    assert {span.memory_id for span in answer.spans} == {lisbon, ghent}
    # One city asked for: one answer.
    assert chat(store).ask("Which city did Noor spend four days in?").short_answer == "Lisbon"


def test_a_code_written_in_parts_is_the_whole_of_its_field(store: MemoryStore) -> None:
    add_screen(store, "Kestrelmoor Mutual policy overview", [
        "Kestrelmoor Mutual - policy overview", "Policy holder: Ilse Varga",
        "Policy number: KM 17-3308-5521", "Renewal: 01.09.2027",
    ])
    answer = chat(store).ask("What is my Kestrelmoor Mutual policy number?")
    assert answer.short_answer == "KM 17-3308-5521"
    # written in a sentence, not a field of its own, the code is still one
    store.add("episodic", {"summary": "Letter from Kestrelmoor Mutual: your claim reference "
                                      "is CL 55-1021-7734, quote it when you call",
                           "occurred_at": now_iso()})
    assert chat(store).ask("What is my Kestrelmoor Mutual claim reference?").short_answer == (
        "CL 55-1021-7734")


def test_a_cards_lines_answer_together_though_reading_order_parts_them(
        store: MemoryStore) -> None:
    """A board's two columns of cards, read row by row: a card's title is followed by the
    other column's title, and its due date and assignee come after. The card (lines
    standing together on screen) answers; a stacked list of sign-ins is no card."""
    add_screen(store, "Viewed the office board: desk lamps to order, old invoices to archive, "
               "recent sign-ins", [
        "Order new desk lamps", "Archive old invoices",
        "OPS-17 Mar 3", "Ilse Brandvold", "OPS-22 Mar 9", "Radek Eberle",
        "Recent sign-ins", "Laptop Nordvik", "Phone Nordvik", "Tablet Sundberg",
    ], title="Spring board - Office", boxes=[
        (100, 100, 400, 125), (500, 100, 800, 125),
        (100, 128, 220, 150), (300, 128, 400, 150), (500, 128, 620, 150), (700, 128, 800, 150),
        (100, 300, 300, 325), (100, 328, 300, 350), (100, 353, 300, 375), (100, 378, 300, 400),
    ])
    ask = chat(store).ask
    assert ask("When are the old invoices to be archived?").short_answer == "Mar 9"
    assert ask("Who is archiving the old invoices?").short_answer == "Radek Eberle"
    assert ask("Which ticket is ordering the desk lamps?").short_answer == "OPS-17"
    assert ask("Where did the tablet sign in from?").short_answer != "Nordvik"


def test_the_thing_a_foreign_question_asks_for_labels_its_value(store: MemoryStore) -> None:
    """"Qui est le maire …" asks the person the infobox row "Maire" names, not the writer
    whose sentence names the town; "la population" is the row's figure, its thousands set
    apart by a space."""
    add_screen(store, "Article sur Vieux-Moulin-sur-Orvanne", [
        "Vieux-Moulin-sur-Orvanne est un village ; le peintre Aurélien Vasseur (1850-1911) "
        "a vécu à Vieux-Moulin-sur-Orvanne.",
        "Maire (2020-2026) | Odette Marchadier",
        "Population | 2 318 hab. (2022)"], title="Vieux-Moulin-sur-Orvanne — Encyclopédie")
    ask = chat(store).ask
    assert ask("Qui est le maire de Vieux-Moulin-sur-Orvanne ?").short_answer == (
        "Odette Marchadier")
    assert ask("Quelle est la population de Vieux-Moulin-sur-Orvanne ?").short_answer == "2 318"


def test_who_has_to_do_a_thing_is_the_one_the_role_names(store: MemoryStore) -> None:
    """"Who has to review …" is the "Reviewer", not the department named beside the
    request's number; the form's column of values is no card."""
    lines = ["Purchase request PR-5521", "Department: Facilities Upkeep",
             "Status", "Awaiting review", "Reviewer", "Mirela Vostrikova",
             "Amount", "$4,210.00"]
    boxes = [(100, 50, 500, 75), (100, 80, 500, 105),
             (100, 150, 220, 172), (300, 150, 520, 172), (100, 176, 220, 198),
             (300, 176, 520, 198), (100, 202, 220, 224), (300, 202, 520, 224)]
    add_screen(store, "Purchase request PR-5521 for Facilities Upkeep awaiting review",
               lines, title="PR-5521 - Buyline", boxes=boxes)
    assert chat(store).ask("Who has to review purchase request PR-5521?").short_answer == (
        "Mirela Vostrikova")


def test_a_tables_row_is_read_under_its_header(store: MemoryStore) -> None:
    """A sheet's cells, read one by one: the row naming the item gives the figure its
    header labels ("On hand"), not the row number before it nor the totals box beside
    the table, which shares the row but not the table's columns."""
    lines = ["Item", "Vendor", "On hand", "Reorder", "Totals",
             "Copper wire 2 mm", "Kladruby Metal", "7 spools", "3", "Open orders", "12",
             "Brass hinges", "Kladruby Metal", "40 pcs", "25"]
    boxes = [(40, 100, 200, 122), (210, 100, 330, 122), (340, 100, 420, 122),
             (430, 100, 500, 122), (700, 100, 800, 122),
             (40, 126, 200, 148), (210, 126, 330, 148), (340, 126, 420, 148),
             (430, 126, 500, 148), (700, 126, 800, 148), (810, 126, 840, 148),
             (40, 152, 200, 174), (210, 152, 330, 174), (340, 152, 420, 174),
             (430, 152, 500, 174)]
    add_screen(store, "Workshop stock sheet: copper wire and brass hinges on hand",
               lines, title="workshop-stock.ods", boxes=boxes)
    ask = chat(store).ask
    assert ask("How much copper wire is on hand?").short_answer == "7 spools"
    assert ask("How many brass hinges are on hand?").short_answer == "40 pcs"


def test_the_start_of_a_stay_is_its_first_day(store: MemoryStore) -> None:
    """Forms label the ends of a leave or a stay "First day" and "Last day": asked when it
    starts, the first day answers, not the date the request was sent."""
    add_screen(store, "Holiday request sent by Ilona Szemere", [
        "Sent by Ilona Szemere 03 Mar 2026", "Holiday request",
        "First day | Tue 14 Apr 2026 | Last day | Fri 24 Apr 2026"],
        title="Holiday request - Staffdesk")
    ask = chat(store).ask
    assert ask("When does Ilona's holiday start?").short_answer == "14 Apr 2026"
    assert ask("When does Ilona's holiday end?").short_answer == "24 Apr 2026"


def test_why_is_answered_by_the_reason_and_now_by_the_update(store: MemoryStore) -> None:
    """A ferry's status page: "Why is it late" is answered by the line giving the reason,
    not the one repeating that it is late; "now expected" by the new estimate, not the
    first one."""
    from memory.answer.extractive import extract
    from memory.answer.source import load_sources

    memory = add_screen(store, "Checked the status page of a ferry", [
        "Ferry FX 88 to Skarvik", "Status: delayed",
        "Cause of delay", "Strong crosswinds at the pier due to a passing storm front.",
        "Updates",
        "09:40 New estimated sailing 13:20",
        "08:15 Ferry FX 88 delayed, estimated sailing 11:50"],
        title="Ferry FX 88 to Skarvik - Sundline Ferries")
    sources = load_sources(store, [store.get(memory)])
    assert "storm front" in extract("Why is ferry FX 88 to Skarvik delayed?",
                                    sources).short_answer
    assert chat(store).ask(
        "What time is ferry FX 88 to Skarvik now expected to sail?").short_answer == "13:20"


@pytest.mark.parametrize(("text", "code"), [
    ("Mobile +45 2061 7733 (work)", "+45 2061 7733"),
    ("Telefon: +49 (0)89 4417 203", "+49 (0)89 4417 203"),
    ("Customer no. 5512-0093-41", "5512-0093-41"),
    ("Call us on (617) 555-0199 to change it", "(617) 555-0199"),
])
def test_a_code_or_a_phone_number_written_in_groups_is_one_value(text: str, code: str) -> None:
    """An account number in hyphenated groups and a phone number in spaced ones are one
    value, not their first group; a heading in capitals ("STATUS") is no code."""
    from memory.answer.question import AnswerType
    from memory.answer.values import values

    assert [v.text for v in values(text, AnswerType.IDENTIFIER)] == [code]
    assert values("PATIENT | STATUS | REFERENCE", AnswerType.IDENTIFIER) == []
    assert [v.text for v in values("Ref QWXZPT", AnswerType.IDENTIFIER)] == ["QWXZPT"]


def test_the_field_the_question_names_beats_one_its_type_word_names(store: MemoryStore) -> None:
    """"Service fee" and "Total paid" both label an amount; asked what was paid in total,
    the field holding the question's own words answers. What is owed is what is due; a
    date written month first is read where its day shows it."""
    add_screen(store, "Ferry tickets to Vellen paid", [
        "Service fee: €6.50; Total cost: €88.30"], title="Ferry tickets - Skarline")
    add_screen(store, "Water bill of Brookmere Utilities", [
        "Autopay saves you $3.00 every month", "Now due: $61.18",
        "Pay by: 10/27/2026"], title="Billing - Brookmere Utilities")
    ask = chat(store).ask
    assert ask("How much did the ferry tickets cost in total?").short_answer == "€88.30"
    assert ask("How much do I owe Brookmere Utilities?").short_answer == "$61.18"
    assert ask("When do I have to pay the Brookmere water bill?").short_answer == "10/27/2026"


def test_a_programme_grid_is_read_by_its_columns_and_rows(store: MemoryStore) -> None:
    """A conference grid: rooms head the columns ("Hall 2" holds a number), each cell a talk
    over its speaker. The speaker is the line under the talk, not the next talk on the row;
    the room is the column of the speaker's cell; a session across all columns does not
    end the table."""
    lines = ["Time", "Aster Hall", "Hall 2", "Lindqvist Room",
             "09:00-09:45", "Opening of the summit across all halls",
             "10:00-10:45", "Soil sensors on a budget", "Drones for orchards", "Seed banks today",
             "Marta Oyelaran", "Pieter Vandamme", "Keiko Ashworth"]
    boxes = [(40, 100, 120, 122), (200, 100, 330, 122), (600, 100, 680, 122),
             (1000, 100, 1180, 122),
             (40, 140, 170, 162), (200, 140, 700, 162),
             (40, 180, 170, 202), (200, 180, 480, 202), (600, 180, 840, 202),
             (1000, 180, 1220, 202),
             (200, 205, 380, 227), (600, 205, 790, 227), (1000, 205, 1190, 227)]
    add_screen(store, "Viewed the programme of the orchard summit", lines,
               title="Programme - Orchard Summit", boxes=boxes)
    ask = chat(store).ask
    assert ask("Who gives the talk on drones for orchards?").short_answer == "Pieter Vandamme"
    assert ask("In which room does Keiko Ashworth speak at the orchard summit?").short_answer == (
        "Lindqvist Room")


def test_a_statements_label_column_is_no_card(store: MemoryStore) -> None:
    """A bill's summary: its labels stand under one another, each with its figure beside it
    on the right. The column of labels is not one card answering with the one date it
    holds: the due date's own line answers."""
    lines = ["Broadband bill summary", "Balance carried over", "$40.00", "Payment received 03/02/2026",
             "-$40.00", "Broadband (monthly)", "$45.00", "Past due", "$0.00",
             "Due date: 04/18/2026"]
    boxes = [(100, 100, 260, 122), (100, 130, 330, 152), (700, 130, 780, 152),
             (100, 158, 420, 180), (700, 158, 790, 180), (100, 186, 330, 208),
             (700, 186, 780, 208), (100, 214, 300, 236), (700, 214, 780, 236),
             (1000, 100, 1300, 122)]
    add_screen(store, "Checked the Pellow Broadband bill", lines,
               title="Billing - Pellow Broadband", boxes=boxes)
    assert chat(store).ask("When is my Pellow broadband bill due?").short_answer == (
        "04/18/2026")


def test_a_route_a_version_and_a_count_are_read_as_asked(store: MemoryStore) -> None:
    """"Oslo-Bergen" names a trip whose page writes its two ends apart; "2.9.1" is one
    word, so the line naming the release meets it, not every line holding a 2 or a 9;
    "how many" asks a count though it says "commit"; "which batch" asks a code."""
    add_screen(store, "Train booking Oslo to Bergen", [
        "Oslo S → Bergen", "Booking code: TQ4RMX"], title="My trips - Nordtog")
    add_screen(store, "Release notes of Fernmark", [
        "2.9.1 released 2 Sep 2026: 9 fixes", "Sign-off meeting for 2.9.1 on 14 Sep 2026"],
        title="Fernmark releases")
    add_screen(store, "Import log of the tally service", [
        "09:12:40 INFO import done: 4120 rows committed, 2 skipped",
        "09:12:41 WARN batch=K-551-20 rejected: duplicate keys"],
        title="tally import log")
    ask = chat(store).ask
    assert ask("What is the booking code of the Oslo-Bergen trip?").short_answer == "TQ4RMX"
    assert ask("When is the sign-off meeting for 2.9.1?").short_answer == "14 Sep 2026"
    assert ask("How many rows did the tally import commit?").short_answer == "4120 rows"
    assert ask("Which batch was rejected in the tally import?").short_answer == "K-551-20"


def test_a_number_to_call_a_sum_and_a_count_beside_a_command(store: MemoryStore) -> None:
    """"Which number should I ring" names no field (the line says "call 555-…"); a sum asked
    for ("cuánto suman", "altogether") is what the screen calls its total; the figures of a
    command and the number of a numbered command are no counts; a room asked for is the
    value holding the word "Room"."""
    add_screen(store, "Reminder from Quarry Hill Physio", [
        "Your session is on Tue 3 Nov 2026 at 10:15",
        "To move it call 408-555-0177 two days ahead"], title="Reminder - Quarry Hill Physio")
    add_screen(store, "Invoices of Oficina Lume", [
        "factura: FL-31 | importe: 410,00 EUR | estado: pendiente",
        "factura: FL-32 | importe: 95,50 EUR | estado: pendiente",
        "2 facturas pendientes, total 505.50 EUR"], title="facturas - Oficina Lume")
    add_screen(store, "Shell session counting parcels", [
        "3. awk '$4 > 20 {n++} END {print \"heavy parcels:\", n}' parcels.tsv",
        "heavy parcels: 17"], title="bash - depot")
    add_screen(store, "Clinic visit for the knee", [
        "Knee check-up", "Room 2.07", "Level 2, North Wing, 9 Quarry Hill"],
        title="Appointments - Quarry Hill Physio")
    ask = chat(store).ask
    assert ask("Which number should I ring to move my physio session?").short_answer == (
        "408-555-0177")
    assert ask("¿Cuánto suman las facturas pendientes de Oficina Lume?").short_answer == (
        "505.50 EUR")
    assert ask("How many heavy parcels did awk count at the depot?").short_answer == "17"
    assert ask("In which room is my knee check-up?").short_answer == "Room 2.07"


def test_a_cards_value_answers_what_its_label_names(store: MemoryStore) -> None:
    """An order card: the date stands under "ORDER PLACED". Asked when the parcel is
    delivered, the card's words match but its date is when the order was placed: the
    carrier's line with the delivery date answers."""
    lines = ["Tallow desk lamp, brass", "Shipped with Quickhaul", "ORDER PLACED", "Mar 2, 2031",
             "Quickhaul delivery of the lamp: Mar 9, 2031"]
    boxes = [(100, 100, 400, 122), (100, 126, 400, 148), (100, 154, 260, 172),
             (100, 176, 260, 198), (900, 400, 1300, 422)]
    add_screen(store, "Order of a Tallow desk lamp", lines, title="Your orders - Lumenhall",
               boxes=boxes)
    assert chat(store).ask(
        "When is the delivery of the Tallow desk lamp?").short_answer == "Mar 9, 2031"


def test_a_row_of_labels_stands_over_the_row_of_their_values(store: MemoryStore) -> None:
    """A ticket's "VOITURE  PLACE  CLASSE" over "8  63  1re": the seat is the figure under
    PLACE, not the label beside it (a word in capitals no English word list holds)."""
    lines = ["Retour · dimanche 16 mars 2031", "VOITURE", "PLACE", "CLASSE", "8", "63", "1re"]
    boxes = [(100, 100, 500, 122), (100, 140, 190, 158), (300, 140, 370, 158),
             (500, 140, 580, 158), (100, 162, 115, 184), (300, 162, 325, 184),
             (500, 162, 540, 184)]
    add_screen(store, "Billet de train Valmont Rail: voiture et place du retour", lines,
               title="Mon billet - Valmont Rail", boxes=boxes)
    assert chat(store).ask("Quelle place ai-je au retour ?").short_answer == "63"


def test_a_status_saying_the_opposite_answers_no(store: MemoryStore) -> None:
    """"Was the refund approved?" on a status "Declined" is answered no, though the span
    holds no "not"; "Did the nightly build fail?" on "passed" too; the same status asked
    for is yes."""
    add_screen(store, "Refund request for the Pellinore kettle", [
        "Refund request RF-2290 for the Pellinore kettle: Declined",
        "Reason: outside the 30-day window"], title="Refunds - Pellinore Home")
    add_screen(store, "Nightly build of the Quillfeather app", [
        "Nightly build #812 of the Quillfeather app passed in 14 min"],
        title="CI - Quillfeather")
    ask = chat(store).ask
    assert ask("Was my refund request for the Pellinore kettle approved?").short_answer == "No"
    assert ask("Was my refund request for the Pellinore kettle declined?").short_answer == "Yes"
    assert ask("Did the nightly build of the Quillfeather app fail?").short_answer == "No"


def test_a_logs_first_time_is_its_stamp_not_an_address() -> None:
    """A log line opens with its timestamp: "10.52" of an IP address is no time, a time is
    read to its seconds without their fraction, and the earliest of two lines saying the
    same failure answers "first"."""
    from memory.answer.question import AnswerType
    from memory.answer.values import values

    line = "2031-04-02 05:47:12.044 ERROR [tls] handshake failed from 10.52.7.19"
    assert [v.text for v in values(line, AnswerType.TIME)] == ["05:47:12"]
    assert values("v3.10.2 from 192.0.10.45", AnswerType.TIME) == []


def test_a_clock_time_is_read_to_its_minute_whatever_parts_it() -> None:
    """The answerer and the verifier read a time's minute the same way: a dot parts the hour
    from its minutes ("9.30 am" is half past nine, "10.40" is not "10:00")."""
    from memory.answer.values import clock_minutes

    assert clock_minutes("9.30 am") == clock_minutes("9:30 AM") == 570
    assert clock_minutes("10.40") == 640 != clock_minutes("10:00")
    assert clock_minutes("05:47:12.044") == 347
    assert clock_minutes("12 a.m.") == 0 and clock_minutes("2:30 p.m.") == 870


def test_the_first_failure_in_a_log_is_the_earliest(store: MemoryStore) -> None:
    add_screen(store, "Tail of the lanternd log on relay-4", [
        "2031-04-02 07:03:40.511 ERROR lanternd [tls] handshake failed from 10.52.7.19",
        "2031-04-02 05:47:12.044 ERROR lanternd [tls] handshake failed from 10.52.7.19",
        "2031-04-02 06:40:00.100 INFO [boot] lanternd listening on :7443"],
        title="ops@relay-4: ~/lanternd/log")
    answer = chat(store).ask("What time did lanternd first log a handshake failure?")
    assert answer.short_answer == "05:47:12"


def test_a_place_in_a_queue_is_one_of_a_count(store: MemoryStore) -> None:
    """"Where am I in line" asks a position, which a holds list writes "Position 4 of 9";
    the list's heading count ("Holds (2)") is no place in line."""
    lines = ["Holds (2)", "The Salt Road · Pickup at Wrenbury · Position 4 of 9",
             "Winter Orchards · Pickup at Wrenbury · Ready for pickup"]
    add_screen(store, "Library holds: The Salt Road and Winter Orchards", lines,
               title="My holds - Fernhill Library")
    answer = chat(store).ask("Where am I in line for the hold on The Salt Road?")
    assert answer.short_answer == "4 of 9"


def test_a_day_asked_is_not_a_month_and_a_charge_is_its_cargo_date(store: MemoryStore) -> None:
    """"¿Qué día me cobran …?" on a bill headed by its month: the day the bill is charged
    ("Fecha de cobro"), not the month it is for, nor another date on the page."""
    add_screen(store, "Factura de marzo 2031 de Ondaluz", [
        "Factura de marzo 2031 · Ondaluz", "Total a pagar 47,35 €",
        "Fecha de cobro 12/04/2031", "Cambia tu cuenta antes del 08/04/2031"],
        title="Mi cuenta - Ondaluz")
    answer = chat(store).ask("¿Qué día me cobran la factura de marzo de Ondaluz?")
    assert answer.short_answer == "12/04/2031"


def test_a_heading_names_a_key_word_but_the_sentence_says_the_answer() -> None:
    """grep's "file:line:" output joins a note's heading to its sentence: of two clauses
    holding as many key words, the one saying something beside them (a file name says
    nothing) answers "what does it need"."""
    from memory.answer.extractive import description_value, stems

    text = ("./notes/glasshouse.md:1:# Glasshouse / technician visit "
            "./notes/glasshouse.md:5:Verdict: glasshouse needs a new thermocouple, quote £88")
    assert description_value(text, stems("technician glasshouse needs")) == "new thermocouple"


def test_a_cards_badge_answers_whether_it_is_blocked_right_now(store: MemoryStore) -> None:
    """A tracker's card: its title over a "Blocked" badge, read together; "right now" says
    when the question is asked, not what it is about."""
    lines = ["Nightly invoice sync drops rows", "over 20k lines", "Blocked Due Mar 4, 2031",
             "OPS-2210"]
    boxes = [(100, 100, 420, 122), (100, 124, 300, 146), (100, 152, 330, 172),
             (100, 178, 190, 196)]
    add_screen(store, "Ops sprint board: the invoice sync card", lines, title="Ops board - Trackwise",
               boxes=boxes)
    answer = chat(store).ask("Is the invoice sync ticket blocked right now?")
    assert answer.short_answer == "Yes"


def test_who_did_a_deed_is_its_author_not_its_reviewer(store: MemoryStore) -> None:
    """git show: asked who fixed a bug, the commit's Author, not the name under
    "Reviewed-by" that stands nearer the commit's words."""
    add_screen(store, "git show of the tiler fix in ~/src/ferntile", [
        "commit 5be01c2d9a", "Author: Ilse Varga <ilse@ferntile.example>",
        "Date: Tue Mar 3 10:12:44 2031 +0100", "Fix seam artefacts in the ferntile tiler",
        "Reviewed-by: Bram Otieno <bram@ferntile.example>", "ferntile/tiler.py | 9 +++--"],
        title="ilse@fern:~/src/ferntile")
    answer = chat(store).ask("Who fixed the seam artefacts in ferntile?")
    assert answer.short_answer == "Ilse Varga"


def test_an_address_card_answers_where_with_its_street(store: MemoryStore) -> None:
    """"Where is the shop I'm taking …": "I'm" names nobody, and a card's street over its
    town is one address (not a list of two places)."""
    lines = ["Location", "Spokewise Cycles - Millbank", "58 Tanner Row, Unit 3",
             "Brookmead, OR 97012", "Estimate (parts & labor)", "Item", "Tune-up"]
    boxes = [(100, 100, 300, 126), (100, 116, 320, 142), (100, 132, 300, 158),
             (100, 148, 280, 174), (100, 178, 400, 204), (100, 206, 200, 232),
             (100, 230, 200, 256)]
    add_screen(store, "Spokewise Cycles bike shop: tune-up appointment confirmed", lines,
               title="Appointment confirmed - Spokewise Cycles", boxes=boxes)
    answer = chat(store).ask("Where is the bike shop I'm taking my bike to for the tune-up?")
    assert answer.short_answer.startswith("58 Tanner Row")


def test_check_in_is_not_check_out_and_who_did_it_is_a_name(store: MemoryStore) -> None:
    """Asked the earliest time to check in, a "Late check-out" time is no answer; asked who
    bumped a version, the commit line's author answers, not its hash (a version named in
    the question made it a code) nor the whole line."""
    add_screen(store, "Wrenfield Inn stay: Check-in: from 2:00 PM; Check-out: until 10:00 AM", [
        "Wrenfield Inn · Dunmere", "Late check-out (ask the desk): 12:30 PM, $30",
        "Check-in: from 2:00 PM; Check-out: until 10:00 AM"], title="Your stay - Wrenfield Inn")
    add_screen(store, "Release log of quillfeather: Ysolde Brandt raised the version to 4.2.0", [
        "~/src/quillfeather % git log --format='%h %ad %an %s'",
        "a41c9e0 2031-06-02 Ysolde Brandt Raise the version to 4.2.0",
        "77d2b31 2031-05-30 Ferris Wolde Fix the sidebar scroll"], title="xterm")
    chat = ChatService(store, HybridRetriever(store), no_model, save_as_memory=False)
    assert chat.ask("From what time may I check in at the Wrenfield Inn?").short_answer == (
        "2:00 PM")
    assert chat.ask("Who raised quillfeather to version 4.2.0?").short_answer == "Ysolde Brandt"


def test_a_deadline_asked_with_by_at_the_end(store: MemoryStore) -> None:
    """"What date does it have to be done by?" asks the deadline a screen labels "due",
    not the day the ticket was created."""
    add_screen(store, "Ticket BILL-77 reminder mails list a due day one day early", [
        "BILL-77 Reminder mails list a due day one day early", "Created: 3 Feb 2031",
        "Due date: 14 Feb 2031",
        "Found it: the mailer rounds the due timestamp to the sender's locale."],
        title="BILL-77 - Tracker")
    chat = ChatService(store, HybridRetriever(store), no_model, save_as_memory=False)
    assert chat.ask("Which date must the reminder mail bug BILL-77 be resolved by?"
                    ).short_answer == "14 Feb 2031"


def test_a_label_names_its_own_value_not_one_after_the_next_label(store: MemoryStore) -> None:
    """"Pier outing: Sun 7, meet 11:15 at the pier Kayak: Anouk · Grill: Wendelin": the
    outing's label does not name Anouk, whose own label "Kayak" stands between; asked who
    brings the grill, the value after "Grill:" answers."""
    store.add("semantic", {"name": "Pier outing", "summary": (
        "Pier outing: Sun Jun 7, meet 11:15 by the old boathouse Kayak: Anouk · Grill: Wendelin · "
        "Salads: Cleo")})
    chat = ChatService(store, HybridRetriever(store), no_model, save_as_memory=False)
    assert chat.ask("Who brings the grill to the pier outing?").short_answer == "Wendelin"


def test_a_yes_no_is_read_on_the_line_stating_it_not_the_one_naming_the_place(
        store: MemoryStore) -> None:
    """"Is breakfast included with my Lake Orvel booking?": the meals line answers, though
    only the page names Lake Orvel; a cancellation line beside it (the question says
    "booking") states another thing."""
    add_screen(store, "Fenmoor Lodge booking at Lake Orvel", [
        "Trips > Lake Orvel > Booking QZ-11 · Booked Mar 2, 2031",
        "Cancellation window: closed Mar 9, 2031", "Meals: breakfast not included in this rate",
        "Parking: on site, $12 per night"], title="Your booking - Fenmoor Lodge")
    chat = ChatService(store, HybridRetriever(store), no_model, save_as_memory=False)
    answer = chat.ask("Is breakfast included in the rate of my Lake Orvel lodge booking?")
    assert answer.short_answer == "No"


def test_a_code_asked_is_not_a_number_labelled_as_something_else(store: MemoryStore) -> None:
    """Asked the number of an appointment, the helpline's number in the page's heading (a
    field labelled "Helpline") loses to the field naming the appointment's number."""
    add_screen(store, "Appointment confirmed – Town Hall Online – Borough of Penwick Vale", [
        "Appointment confirmed – Town Hall Online – Borough of Penwick Vale: Weekdays: "
        "09:00-16:00; Helpline: 800 311 902",
        "Appointment number: TH-2031-5521", "Service: resident parking permit"],
        title="Appointment confirmed - Town Hall Online")
    chat = ChatService(store, HybridRetriever(store), no_model, save_as_memory=False)
    answer = chat.ask("Which number does my Penwick Vale town hall appointment have?")
    assert answer.short_answer == "TH-2031-5521"


def test_a_skipped_job_was_not_deployed_and_a_failed_run_is_no_state_asked(
        store: MemoryStore) -> None:
    """"Did it get deployed in that failed run?" asks about deploying ("failed" describes
    the run); the job's row says "skipped", which is no: the job's name "deploy-prod" says
    nothing of it."""
    add_screen(store, "Run #311 of loamsync failed", [
        "Run #311 · loamsync · Failed",
        "Run #311 failed: build passed, unit-tests failed, deploy-prod skipped"],
        title="Run #311 · loamsync - Pipelines")
    chat = ChatService(store, HybridRetriever(store), no_model, save_as_memory=False)
    answer = chat.ask("Was loamsync deployed to prod in the failed run #311?")
    assert answer.short_answer == "No"


def test_the_next_date_is_the_one_written_after_next(store: MemoryStore) -> None:
    """Asked when the next transfer is, the date written after "next" answers, not "Today"
    in a column's header of the activity page seen first."""
    add_screen(store, "Holiday Fund transfers at Tamsworth Credit Union", [
        "Upcoming: Today | Planned transfers: Holiday Fund ••5083",
        "Feb 3 | Transfer to Holiday Fund ••5083 | Repeats each month | Cleared"],
        title="Activity - Tamsworth Credit Union")
    add_screen(store, "Holiday Fund at Tamsworth Credit Union", [
        "Holiday Fund ••5083 | $150.00 Each month, next on Mar 3, 2032"],
        title="Accounts - Tamsworth Credit Union")
    chat = ChatService(store, HybridRetriever(store), no_model, save_as_memory=False)
    answer = chat.ask("When does the next standing transfer to my Holiday Fund go out?")
    assert answer.short_answer == "Mar 3, 2032"



def test_a_dense_list_read_down_its_label_column_pairs_each_label_with_its_row(
        store: MemoryStore) -> None:
    """A small-print panel of labels and values, which OCR reads label column first: each
    label's value is the one beside it on its row, not the next line read. A month written
    short ("Est. for Mar") is the month asked, and what an app estimates is what it
    expects."""
    lines = ["Router ID", "Line number", "Firmware", "Spent to date", "Est. for Mar",
             "Last month", "RT-55-0193", "0161 884 2270", "7.2.14", "£11.40", "£63.15", "£58.90"]
    boxes = [(100, 100, 190, 120), (100, 121, 210, 141), (100, 142, 190, 162),
             (400, 100, 500, 120), (400, 121, 500, 141), (400, 142, 500, 162),
             (230, 99, 330, 119), (230, 120, 360, 140), (230, 141, 300, 161),
             (540, 100, 600, 120), (540, 121, 600, 141), (540, 142, 600, 162)]
    add_screen(store, "Orbel Fibre account: line, router and bill estimate", lines,
               title="Home - Orbel Fibre", boxes=boxes)
    assert chat(store).ask("What is the line number of my Orbel fibre?").short_answer == (
        "0161 884 2270")
    assert chat(store).ask("How much is my Orbel fibre bill expected to be for March?").short_answer == (
        "£63.15")


def test_what_a_question_sets_aside_is_not_its_answer(store: MemoryStore) -> None:
    """"The final release (not the release candidate)": the candidate's line, which says
    more of the question's words, is not the one asked about."""
    add_screen(store, "Tags of the ferrowcalc project", [
        "ferrowcalc v3.1.0-rc2 2031-04-02 Release candidate 3.1.0-rc2",
        "ferrowcalc v3.1.0 2031-04-09 Release 3.1.0"], title="Tags - ferrowcalc")
    answer = chat(store).ask(
        "On which day was the final ferrowcalc 3.1.0 release tagged (not the release candidate)?")
    assert answer.short_answer == "2031-04-09"


def test_a_size_as_ls_writes_it_answers_how_big(store: MemoryStore) -> None:
    """"ls -lh" writes a file's size "3.6G": that is how big the dump was, not the "1" of
    its link count."""
    add_screen(store, "Listed the dumps of the fernwood database", [
        "-rw-r--r-- 1 pg pg 3.6G Mar 4 01:10 dumps/fernwood-2031-03-04-before-upgrade.sql.gz",
        "-rw-r--r-- 1 pg pg 812M Mar 3 01:10 dumps/fernwood-2031-03-03.sql.gz"],
        title="bash")
    answer = chat(store).ask("How big was the fernwood dump taken before the upgrade?")
    assert answer.short_answer == "3.6G"


def test_a_count_labelled_far_before_it_is_no_count(store: MemoryStore) -> None:
    """"My passes · Gatewell: Fri, Jun 6 · Gate 117" labels a page, and 117 is a gate: the
    count asked is the one written with its unit."""
    add_screen(store, "Gatewell passes for the Harbour Lights Revue", [
        "My passes · Gatewell: Harbour Lights Revue, Fri, Jun 6, 2031 · Gate 117, Row C",
        "Harbour Lights Revue · 3 passes · Gates open 18:00"], title="My passes - Gatewell")
    answer = chat(store).ask("How many passes do I have for the Harbour Lights Revue?")
    assert answer.short_answer == "3 passes"


def test_a_card_with_a_long_line_is_still_a_card(store: MemoryStore) -> None:
    """Two appointments' cards: each date over the practitioner and the specialty, the
    second with a long line on how to get there. The long line says its own; the card's
    short lines still answer together, so the skin doctor's time is on the card naming
    the dermatologist, not the first time on the page."""
    lines = ["Monday 11 May 2032 at 10:13", "Dr Ames Pell", "Physiotherapist",
             "Tuesday 12 May 2032 at 8:41", "Dr Olwen Pritchard-Bey", "Dermatologist",
             "Garnet Street Practice", "Tram 4 to Garnet Street, then the side entrance by the "
             "pharmacy on the second floor"]
    boxes = [(140, 100, 420, 124), (200, 127, 400, 151), (200, 154, 380, 178),
             (140, 300, 420, 324), (200, 327, 460, 351), (200, 354, 380, 378),
             (140, 381, 400, 405), (140, 408, 900, 432)]
    add_screen(store, "Upcoming appointments at Medibook", lines,
               title="My appointments - Medibook", boxes=boxes)
    answer = chat(store).ask("What time is my dermatologist appointment?")
    assert answer.short_answer == "8:41"


def test_why_a_job_failed_is_what_its_log_says_after_failed(store: MemoryStore) -> None:
    """A log line "…: ERROR upload failed: bucket full" gives the reason after the failure,
    not after the line's first colon; a command line naming more of the question's words
    states no reason."""
    from memory.answer.extractive import extract
    from memory.answer.source import load_sources

    shown = add_screen(store, "Ran the archive job on depot-2", [
        "ExecStart=/usr/local/bin/archive-run --db invoices --db payroll",
        "2031-05-06T02:10:44Z archive-run[7781]: ERROR upload failed: bucket full on "
        "depot-archive (HTTP 507)"], title="bash")
    answer = extract("Why did last night's invoices and payroll archive fail?",
                     load_sources(store, [store.get(shown)]))
    assert answer.short_answer.startswith("bucket full on depot-archive")


def test_no_everyday_word_or_metric_name_is_the_person_asked(store: MemoryStore) -> None:
    """A monitoring page: a cell of one everyday word ("Incidents") is no one, nor is the
    alert's metric under the "Alerts" label, though it is written like a user name: it says
    the question's own words."""
    add_screen(store, "Disk usage alert on the storage cluster", [
        "Notified 02:14 · Acknowledged by Tomasz Wierzba",
        "Logs: Alerts | Logs: Incidents | DISK USAGE: max(disk_usage_ratio) > 0.9",
        "Alerts", "disk_usage_ratio"], title="Alert · storage-eu-2")
    answer = chat(store).ask("Who ended up acknowledging the disk usage alert on storage?")
    assert answer.short_answer == "Tomasz Wierzba"


def test_the_person_a_question_names_is_not_the_one_it_asks_for(store: MemoryStore) -> None:
    """"Who did Ilse ask to review …": the line naming Ilse in full is hers, the one she
    asked is the other name."""
    add_screen(store, "Review request on the ledger rounding pull request", [
        "Ilse Marchetti opened PR #88: fix ledger rounding",
        "Review requested from Teodor Balan"], title="PR #88 - ledger")
    answer = chat(store).ask("Who did Ilse ask to review her ledger rounding PR?")
    assert answer.short_answer == "Teodor Balan"


def test_when_is_asks_a_day_to_come_not_one_before_the_screen_was_seen(
        store: MemoryStore) -> None:
    """"When is my appointment?" on a page seen today: a letter dated years before names
    the appointment too, but the day to come answers."""
    add_screen(store, "Dermatology at the Larchgate clinic", [
        "Dermatology appointment letter sent 2024-05-02",
        "Dermatology appointment: Thursday 12 June 2031 at 9:40"],
        title="My appointments - Larchgate clinic")
    answer = chat(store).ask("When is my dermatology appointment at Larchgate?")
    assert answer.short_answer.startswith("12 June 2031")
    # a deadline may have passed: it is still the one asked for
    add_screen(store, "Larchgate water bill", [
        "Larchgate water bill · due 2024-07-02 · overdue",
        "Water bill: reading on 2031-03-01"], title="Bills - Larchgate water")
    assert chat(store).ask("When is the Larchgate water bill due?").short_answer == (
        "2024-07-02")


def test_the_practitioner_is_the_titled_name_not_the_patient_or_the_practice(
        store: MemoryStore) -> None:
    """An appointment's card names the dentist by title beside the practice ("Clinic
    Montclair") and its street; the row above says whom the appointment is for. The
    dentist is the titled name: not the patient after "For", not the practice's name."""
    lines = ["Tue | IV | Dental surgeon | For Nadia Brun | Reschedule",
             "Tuesday 4 March 2031 at 16:43", "Dr Ilse Varga", "Clinic Montclair",
             "Dental surgeon", "12 Haute Street, Montclair"]
    boxes = [(40, 40, 900, 64), (140, 100, 420, 124), (200, 127, 400, 151),
             (200, 154, 380, 178), (200, 181, 380, 205), (140, 208, 420, 232)]
    add_screen(store, "Dental appointment for scale and polish", lines,
               title="My appointments - Medibook", boxes=boxes)
    answer = chat(store).ask("What is the name of the dental surgeon doing my scale and polish?")
    assert answer.short_answer == "Dr Ilse Varga"


def test_a_counted_field_is_no_amount() -> None:
    """A figure labelled as hours or a quantity is no sum of money, though it has two
    decimals like the amounts beside it."""
    from memory.answer.question import AnswerType
    from memory.answer.values import values

    found = [v.text for v in values("hours: 7.25; rate: 88; billed: 638.00", AnswerType.MONEY)]
    assert found == ["638.00"]
    found = [v.text for v in values("Lowmoor Bakery 12.50 h 1062.50", AnswerType.MONEY)]
    assert found == ["1062.50"]


def test_a_time_moved_from_is_not_the_time_it_is_now(store: MemoryStore) -> None:
    """"Appointment moved from Mar 17 (8:00 AM – 10:30 AM)" gives the old window; the new one
    stands apart, under its own label."""
    add_screen(store, "Fiber install appointment at Brightwater Fiber", [
        "Brightwater Fiber install appointment moved from Mar 17 (8:00 AM – 10:30 AM) "
        "at your request",
        "Arrival window", "11:45 AM – 2:15 PM", "Your install visit"],
        title="My account | Brightwater Fiber")
    answer = chat(store).ask("What time is the Brightwater tech supposed to show up for the "
                             "fiber install?")
    assert answer.short_answer == "11:45 AM – 2:15 PM"


def test_the_user_a_page_greets_is_not_the_person_asked(store: MemoryStore) -> None:
    add_screen(store, "Brightwater Fiber install visit", [
        "Hi Dorota! I see you have an install coming up.",
        "Technician", "Ewald Brenneke", "Install visit on Mar 19"],
        title="My account | Brightwater Fiber")
    assert chat(store).ask("Who's the technician coming to set up my internet?"
                           ).short_answer == "Ewald Brenneke"


def test_a_merge_request_s_number_is_no_count() -> None:
    from memory.answer.question import AnswerType
    from memory.answer.values import values

    assert [v.text for v in values("ledger-api > Merge requests !1847 · Changes 14",
                                   AnswerType.QUANTITY)] == ["14"]
    assert [v.text for v in values("dupes (see #2291 and #2307); 3 in the queue",
                                   AnswerType.QUANTITY)] == ["3"]


def test_a_weekday_asked_is_not_another_day_s_line(store: MemoryStore) -> None:
    """Asked Wednesday's closing time, the weekend's line is another day's; "Mon–Fri" names
    each day from Monday to Friday."""
    add_screen(store, "Hollin Street Pharmacy opening hours", [
        "Prescriptions counter hours", "Sat–Sun: closes 5:45 PM", "Mon–Fri: closes 7:15 PM"],
        title="Opening hours | Hollin Street Pharmacy")
    answer = chat(store).ask("What time does Hollin Street Pharmacy's prescriptions counter "
                             "close on Wednesday?")
    assert answer.short_answer == "7:15 PM"


def test_the_weekdays_a_line_names() -> None:
    from memory.answer.dates import weekdays_named

    assert weekdays_named("Mo–Fr 08:00-18:00, Sa 9-13") == {0, 1, 2, 3, 4, 5}
    assert weekdays_named("Que horas o sofá chega na quarta?") == {2}
    assert weekdays_named("Segunda via da fatura") == set()  # a bill's copy, no Monday
    assert weekdays_named("Do not leave bins out overnight") == set()
    assert weekdays_named("odbiór w sobotę") == {5}
    assert weekdays_named("Kolik jsem najel ve středu a v neděli?") == {2, 6}  # Czech


def test_a_value_the_question_says_begins_or_ends_so(store: MemoryStore) -> None:
    """"The code starting with 57" is that code, even in a cell that shares no word with the
    question; a value of the type that does not begin so is no answer."""
    add_screen(store, "Sonnhalde utilities account: meter codes", [
        "Meter codes", "Water", "Heating", "330192847710", "579021443308"],
        title="Meters | Sonnhalde utilities")
    answer = chat(store).ask("What is my Sonnhalde meter code, the long one that starts "
                             "with 57?")
    assert answer.short_answer == "579021443308"
    answer = chat(store).ask("Which Sonnhalde meter code ends in 7710?")
    assert answer.short_answer == "330192847710"


def test_what_a_question_says_a_value_begins_and_ends_with() -> None:
    from memory.answer.question import stated_edges

    assert stated_edges("die lange Nummer, die mit 49 beginnt") == ("49", "")
    assert stated_edges("Which card ending in 4821 was charged?") == ("", "4821")
    assert stated_edges("the code that starts with AB-12") == ("ab12", "")
    assert stated_edges("Which talk starts with the keynote?") == ("", "")
    assert stated_edges("The lease ends in May") == ("", "")


def test_a_bin_on_a_shelf_is_a_place_and_wi_fi_is_wifi(store: MemoryStore) -> None:
    add_screen(store, "Workshop stock: brake parts", [
        "part: Brake rotor 180mm; bin: C4-07; qty: 6", "part: Chain 12s; bin: A2-11; qty: 3"],
        title="stock.db")
    answer = chat(store).ask("Where on the shelves are the 180mm brake rotors?")
    assert answer.short_answer == "C4-07"
    from memory.answer.extractive import stems

    assert "wifi" in stems("Guest Wi-Fi: LOBBY-5G") and "email" in stems("E-mail us")


def test_how_much_did_they_okay_is_the_approved_sum(store: MemoryStore) -> None:
    """"How much did … okay" asks money (water is the damage's, not a measure asked), and
    what was okayed is what the claim page calls approved."""
    from memory.answer.question import AnswerType, classify

    question = "How much did Fenmoor Mutual okay for the burst-pipe water claim?"
    assert classify(question).type is AnswerType.MONEY
    assert classify("How much water is left in the tank?").type is AnswerType.QUANTITY
    add_screen(store, "Fenmoor Mutual claim status: burst pipe", [
        "Claim FM-2210 · Burst pipe, water damage", "Advance paid $1,200.00",
        "Deductible $750.00", "Approved amount $9,384.20"],
        title="Claim status | Fenmoor Mutual")
    assert chat(store).ask(question).short_answer == "$9,384.20"


def test_a_capitalised_word_after_an_article_is_a_title_s_not_a_person(
        store: MemoryStore) -> None:
    add_screen(store, "Bramblecon agenda: Day 2", [
        "Day 2 · Opening keynote: The Long Tail of Edge Caching", "Speaker: Wilhelmina Osei"],
        title="Agenda | Bramblecon")
    answer = chat(store).ask("Who gives the opening keynote on Day 2 of Bramblecon?")
    assert answer.short_answer == "Wilhelmina Osei"


def test_the_edges_of_another_thing_do_not_bind_the_value_asked(store: MemoryStore) -> None:
    add_screen(store, "Quillfen Bank card statement", [
        "Card ending in 4821", "Charged to this card: $312.90", "Statement date: 3 May 2026"],
        title="Statement | Quillfen Bank")
    answer = chat(store).ask("How much was charged to my Quillfen card ending in 4821?")
    assert answer.short_answer == "$312.90"


def test_a_page_s_copyright_footer_is_no_place_asked(store: MemoryStore) -> None:
    add_screen(store, "Hollybank Hospital visit preparation", [
        "Your procedure: knee arthroscopy", "Check in at: Day Surgery Unit – Level 2, West Wing",
        "©2031 Hollybank Hospital Trust | Privacy | Accessibility"],
        title="Visit preparation | Hollybank Hospital")
    answer = chat(store).ask("Where in Hollybank do I go for my knee arthroscopy?")
    assert answer.short_answer.startswith("Day Surgery")


def test_a_rate_per_hour_is_not_what_is_still_owed(store: MemoryStore) -> None:
    add_screen(store, "Tallowmere Movers booking summary", [
        "Crew — 2 movers × 4 h @ $96.50/h", "Deposit paid -$150.00",
        "Remaining to pay movers on the day: $622.00"],
        title="Booking | Tallowmere Movers")
    answer = chat(store).ask("How much do I still have to pay the movers on the day?")
    assert answer.short_answer == "$622.00"
    assert chat(store).ask("How much do the Tallowmere movers charge per hour?"
                           ).short_answer == "$96.50"


def test_capitalised_nouns_of_a_german_page_are_no_person(store: MemoryStore) -> None:
    add_screen(store, "Steuerbescheid Finanzamt Lindenau", [
        "Bescheid für 2030 über Einkommensteuer: Vorbehalt der Nachprüfung",
        "Sachbearbeiter: Herr Ottokar Brinkmeier"],
        title="Steuerbescheid | Finanzamt Lindenau")
    answer = chat(store).ask("Wer ist beim Finanzamt der Sachbearbeiter für unsere Einkommensteuer?")
    assert answer.short_answer.endswith("Ottokar Brinkmeier")


def test_a_year_ocr_joined_to_its_month_is_a_date_not_a_code() -> None:
    from memory.answer.dates import find_dates
    from memory.answer.question import AnswerType
    from memory.answer.values import values

    text = "Période du 1er avril au 30 juin2031 · Réf. KT-77Q2"
    assert [d.value.year for d in find_dates(text, None)][-1] == 2031
    assert [v.text for v in values(text, AnswerType.IDENTIFIER)] == ["KT-77Q2"]


def test_a_room_named_after_its_kind_is_answered_whole(store: MemoryStore) -> None:
    """"What's the … room called" asks a place, and "Meeting Room Quince" is the room's
    whole name, not its kind alone; a label after a room's kind is no name of it."""
    from memory.answer.question import AnswerType, classify
    from memory.answer.values import values

    question = "What's the conference room called where the Dunmore interview happens?"
    assert classify(question).type is AnswerType.PLACE
    assert classify("What is the name of the ward?").type is AnswerType.PLACE
    assert classify("What's the name of the branch my fix is on?").type is not AnswerType.PLACE
    add_screen(store, "Dunmore interview invitation", [
        "Panel interview · Thu 10:40 AM", "Room: Meeting Room Quince (C2-040)"],
        title="Interview | Dunmore careers")
    assert chat(store).ask(question).short_answer.startswith("Meeting Room Quince")
    assert [v.text for v in values("Seminar Hall Status: open", AnswerType.PLACE)] == [
        "Seminar Hall"]


def test_other_languages_name_a_code_and_a_card_charge() -> None:
    from memory.answer.question import AnswerType, classify

    assert classify("Qual é a sigla da cadeira de Redes?").type is AnswerType.IDENTIFIER
    assert classify("Kolik mi za tu jízdu strhli z karty?").type is AnswerType.MONEY


def test_a_job_s_step_or_a_runner_is_no_one_who_started_a_pipeline(store: MemoryStore) -> None:
    """Under a package's name, "compile" is a job's step; under "pier-sync", "pier-runner"
    is its runner: neither is a handle under a label. Who kicked it off is who triggered it."""
    from memory.answer.extractive import _labelled_handles, stems
    from memory.answer.source import SourceLine

    key = stems("who kicked off the failed pier sync pipeline")
    for label, value in (("pier_sync-1.4.0rc1-", "compile"), ("pier-sync", "pier-runner")):
        below = SourceLine(text=value, frame_id=1, line=2)
        assert _labelled_handles(f"{label} {value}", below, key) == []
    assert _labelled_handles("Assignee: j-okafor", None, stems("who is the assignee")) != []
    assert _labelled_handles("owner: j-okafor", None, stems("who is the owner")) != []
    add_screen(store, "Gullwing CI pipeline #7731", [
        "Status: failed", "Triggered by Ilona Vasquez · Nov 3, 2031 09:12",
        "Reviewed by Tomasz Ek"], title="Pipeline #7731 · Gullwing CI")
    answer = chat(store).ask("Who kicked off pipeline #7731 on Gullwing?")
    assert answer.short_answer == "Ilona Vasquez"


def test_how_long_a_run_took_is_its_duration(store: MemoryStore) -> None:
    """"How long did it take" is what a run's page calls its duration, in parts ("6m 12s");
    "What was my last commit about?" asks what it says, not its hash."""
    from memory.answer.question import AnswerType, classify

    assert classify("What was my most recent commit on the tide project about?"
                    ).type is AnswerType.DESCRIPTION
    add_screen(store, "Harrowgate CI job lint-and-test", [
        "Job lint-and-test · passed", "Duration: 6m 12s", "Queued 41 s before start"],
        title="Job lint-and-test · Harrowgate CI")
    answer = chat(store).ask("How long did the lint-and-test job take on Harrowgate?")
    assert answer.short_answer == "6m 12s"


def test_contesting_a_decision_is_what_a_notice_calls_an_objection(store: MemoryStore) -> None:
    add_screen(store, "Stadt Kieselbach Grundsteuerbescheid 2031", [
        "Bescheid vom 02.03.2031 · Grundsteuer 2031",
        "Vorauszahlung zum Grundsteuerbescheid 2031 fällig am 15.05.2031",
        "Einspruchsfrist endet 06.04.2031"],
        title="Grundsteuerbescheid | Stadt Kieselbach")
    answer = chat(store).ask(
        "Bis zu welchem Tag könnte ich den Grundsteuerbescheid 2031 von Kieselbach anfechten?")
    assert answer.short_answer == "06.04.2031"


def test_a_footer_s_support_number_is_still_an_answer(store: MemoryStore) -> None:
    add_screen(store, "Brackwell Energy account", [
        "Brackwell Energy account number: 4471-220 · Balance £0.00",
        "© 2031 Brackwell Energy Ltd · Support line 0800 414 2290"],
        title="Account | Brackwell Energy")
    answer = chat(store).ask("What's the support line number for Brackwell Energy?")
    assert answer.short_answer == "0800 414 2290"


def test_a_word_asked_meets_the_compound_it_closes(store: MemoryStore) -> None:
    """"nummer" asked names a "Kundennummer", a "Rechnungs-Nr." too; a compound opening
    with it ("Nummernschild") is another thing."""
    from memory.retrieval import compounds_met

    assert compounds_met(["nummer"], ["kundennummer", "nummernschild", "nummer"]) == {
        "nummer": {"kundennummer"}}
    add_screen(store, "Fietsdok Oostwold abonnement", [
        "Fietsdok Oostwold · Mijn abonnement", "Abonnementsnummer: FD-77120-K",
        "Besteldatum 12-03-2031 · Betaald € 89,00"], title="Mijn abonnement | Fietsdok")
    answer = chat(store).ask("Welk nummer heeft mijn abonnement bij Fietsdok?")
    assert answer.short_answer == "FD-77120-K"


def test_a_word_joined_to_a_year_is_no_code() -> None:
    from memory.answer.question import AnswerType
    from memory.answer.values import values

    found = [v.text for v in values("Zeitraum 01.01.-31.12.2031(Verbrauch2030) · Nr. KX-4410",
                                    AnswerType.IDENTIFIER, None)]
    assert "Verbrauch2030" not in found
    assert "KX-4410" in found


def test_a_spanish_when_joining_two_clauses_asks_no_date() -> None:
    """Unaccented, "cuando" joins clauses ("¿Cuánto me cobran cuando vaya?"); "cuándo"
    asks when."""
    from memory.answer.question import AnswerType, classify

    assert classify("¿Cuánto me van a cobrar cuando lleve la moto al taller?"
                    ).type is AnswerType.MONEY
    assert classify("¿Y la cita del taller, cuándo era?").type is AnswerType.DATE


def test_a_region_is_a_place_and_the_earliest_on_a_day_is_a_time() -> None:
    from memory.answer.question import AnswerType, classify

    assert classify("Which region is the photo backup bucket stored in?"
                    ).type is AnswerType.PLACE
    assert classify("What's the earliest the piano tuner could come on Friday?"
                    ).type is AnswerType.TIME


def test_a_day_alone_after_from_is_no_place() -> None:
    from memory.answer.question import AnswerType
    from memory.answer.values import values

    found = [v.text for v in values("Front desk open from Sat · lessons held in Cobble Hall",
                                    AnswerType.PLACE, None)]
    assert "Sat" not in found
    assert "Cobble Hall" in found


def test_a_host_under_a_label_is_nobody_s_handle() -> None:
    from memory.answer.extractive import _labelled_handles, stems

    key = stems("who is doing the restore")
    assert _labelled_handles("Restore to: db-4.lan.tallowmere.example", None, key) == []
    assert _labelled_handles("Restore by: r-quist", None, key) != []


def test_going_to_asks_a_day_to_come(store: MemoryStore) -> None:
    """"What day is it going to charge me?" asks the day to come, not a charge gone by."""
    add_screen(store, "Cinevale subscription billing", [
        "Cinevale · Billing", "Charged to card: Mar 14, 2019", "Card charged: Jan 14, 2039"],
        title="Billing | Cinevale")
    answer = chat(store).ask("What day is Cinevale going to charge my card?")
    assert answer.short_answer == "Jan 14, 2039"


def test_how_long_in_other_languages_asks_a_duration(store: MemoryStore) -> None:
    """"Quanto tempo" asks a figure in minutes or hours, not the group's size."""
    add_screen(store, "Museo Ferrovia visita guidata", [
        "Visita guidata · Museo della Ferrovia", "Visita guidata: 18 persone, 4 sale, 95 minuti",
        "Biglietti 3"], title="Prenotazione | Museo della Ferrovia")
    answer = chat(store).ask("Quanto tempo dura la visita guidata al Museo della Ferrovia?")
    assert answer.short_answer == "95 minuti"


def test_a_package_at_its_version_is_one_code() -> None:
    from memory.answer.question import AnswerType
    from memory.answer.values import values

    found = [v.text for v in values("first seen in release ledger-api@2031.2.7 (runtime 3.12.2)",
                                    AnswerType.IDENTIFIER, None)]
    assert "ledger-api@2031.2.7" in found



def test_a_card_charged_is_no_place() -> None:
    from memory.answer.question import AnswerType
    from memory.answer.values import values

    found = [v.text for v in values("Charged to Fennick Card ending 4410 · lessons held in "
                                    "Tarrow Hall", AnswerType.PLACE, None)]
    assert "Fennick Card" not in found
    assert "Tarrow Hall" in found
