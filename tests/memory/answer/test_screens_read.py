"""Answers read off layouts real screens use: a terminal's output under its command, a
dashboard's capitals headings, a crontab, a dense table whose header touches its first
row, addresses written the continental way, yes/no lines that must name what is asked.
Every screen here is invented; each test says which rule it shows."""

from __future__ import annotations

from memory.answer.extractive import extract
from memory.answer.question import AnswerType, classify, language, yes_or_no
from memory.answer.source import load_sources
from memory.answer.values import values
from memory.store import MemoryStore
from tests.memory.answer.test_extractive import add_screen


def read(store: MemoryStore, question: str) -> str:
    """The short answer read off every screen memory of ``store`` (retrieval is not what
    these tests are about: each screen is evidence)."""
    memories = store.list(limit=50)
    return extract(question, load_sources(store, memories)).short_answer


def test_a_yes_no_is_answered_by_the_line_naming_the_thing_asked(store: MemoryStore) -> None:
    """A rental's page names the town on many lines and the snow chains on one: the line
    saying "not selected" beside them answers, not a line about the pick-up that only names
    the town. A switch asked "turned on" is answered by its "Off"."""
    add_screen(store, "Corvid Cars booking at Olmsby", [
        "Your trip: pick-up at Olmsby Airport, Counter 4, rental car Olmsby",
        "Olmsby Downtown branch · rental car return",
        "Child seat · Added · $9.00 / day",
        "Snow chains · not selected · $6.50 / day"], title="Manage booking | Corvid Cars")
    assert read(store, "Did I book snow chains with the Olmsby rental car?") == (
        "No")
    add_screen(store, "Feature flags in production", [
        "dark_theme_v2 | Dark theme for the editor | Off | 0% | @r.imre",
        "quick_search | Search from the toolbar | On | 100% | @l.fenn"],
        title="Flags – live environment")
    assert read(store, "Was the dark_theme_v2 flag turned on in production?") == (
        "No")


def test_a_question_without_a_question_word_asks_whether_and_is_answered_in_its_language(
        store: MemoryStore) -> None:
    """"Eu precisava pagar …?" asks whether (Portuguese needs no verb first); the page's
    "Não precisa pagar" says no, and the answer says it in Portuguese."""
    assert classify("Eu precisava pagar alguma coisa na entrega?").type is AnswerType.YESNO
    assert classify("Dois-je payer à la livraison ?").type is AnswerType.YESNO
    add_screen(store, "Pedido #4410 da Pizzaria Vesúvio", [
        "Pizzaria Vesúvio · pedido #4410 · saiu para entrega",
        "Pago pelo app · Crédito •••• 1902",
        "Não precisa pagar nada na entrega."], title="Acompanhe seu pedido – Vesúvio")
    assert read(store, "Eu precisava pagar alguma coisa pro entregador do pedido da "
                "Pizzaria Vesúvio?") == "Não"


def test_why_a_command_failed_is_the_error_its_output_ended_in(store: MemoryStore) -> None:
    """A traceback parts a command from its error by several lines; the error's class
    ("sqlite3.OperationalError:") ends its label, and the reason follows."""
    add_screen(store, "Ran the depot report script", [
        "kai@forge:~/depot$ python3 report.py \"SELECT id, courier_ref FROM parcels\"",
        "Traceback (most recent call last):",
        "  File \"/home/kai/depot/report.py\", line 12, in <module>",
        "    rows = db.execute(query)",
        "sqlite3.OperationalError: no such column: courier_ref",
        "kai@forge:~/depot$ python3 report.py \"SELECT id FROM parcels\""], title="bash")
    assert read(store, "Why did my python report query against the depot fail?") == (
        "no such column: courier_ref")


def test_a_terminal_line_is_about_the_command_it_answers(store: MemoryStore) -> None:
    """"35G archive/vm-images" under "du -sh archive/*" is a size: "how much space" asks
    one, and the command says the output is sizes. A file's "# comment" is no prompt."""
    add_screen(store, "Ran cat jobs.crontab and du -sh archive/* in zsh", [
        "kai@forge ~ % cat jobs.crontab",
        "# m h dom mon dow command",
        "45 2 * * 0 /usr/local/bin/borg-prune.sh --keep-weekly 6",
        "10 6 * * 1-5 /usr/local/bin/report.sh | mail -s report kai",
        "kai@forge ~ % du -sh archive/*",
        "2.2G archive/photos",
        "35G archive/vm-images"], title="zsh")
    assert read(store, "How much space were the VM images taking in my archive?") == (
        "35G")
    # the crontab's line says when its job runs, in its own five fields
    assert read(store, "When does the weekly borg prune job run?") == (
        "45 2 * * 0")


def test_a_capitals_heading_lends_its_words_and_a_badge_stands_aside(
        store: MemoryStore) -> None:
    """An on-call panel: a capitals heading over each team's rows, an avatar's initials
    between each role and its person. The billing team's primary is the one under its
    heading."""
    lines = ["MOBILE APP", "Primary", "LT", "Lior Tamm", "BILLING / API", "Primary", "KO",
             "Kamala Osei"]
    boxes = [(1350, 325, 1470, 347), (1350, 346, 1414, 378), (1448, 350, 1476, 376),
             (1478, 353, 1616, 374), (1354, 416, 1452, 437), (1350, 437, 1414, 468),
             (1448, 440, 1476, 466), (1476, 443, 1594, 465)]
    add_screen(store, "On-call rota this week", lines, title="On-call · Ops console",
               boxes=boxes)
    assert read(store, "Who is the primary on-call for the billing API?") == (
        "Kamala Osei")


def test_a_count_asked_after_more_is_no_measurement(store: MemoryStore) -> None:
    """"How many more refills": refills are counted, and "20 mg" is a dose, not a count."""
    add_screen(store, "Zolmaxin prescription", [
        "Zolmaxin 20 mg tablets · 3 left to refill"], title="My prescriptions")
    assert read(store, "How many more refills are left on my zolmaxin prescription?") == "3 left"


def test_an_address_written_with_the_street_first(store: MemoryStore) -> None:
    """"Via Ada Rinaldi 7, 20121 Milano" under "Indirizzo": the street's kind before its
    name and the number after it, then the postcode and town, as most of Europe writes."""
    lines = ["Palestra Fortezza", "Indirizzo", "Via Ada Rinaldi 7,", "20121 Milano",
             "Vedi sulla mappa"]
    boxes = [(240, 420, 420, 450), (242, 486, 303, 508), (242, 503, 456, 528),
             (242, 519, 370, 545), (1566, 1052, 1662, 1074)]
    add_screen(store, "Prenotazione alla Palestra Fortezza", lines,
               title="Prenotazione confermata – Palestra Fortezza", boxes=boxes)
    assert read(store, "Qual è l'indirizzo della palestra Fortezza?").startswith(
        "Via Ada Rinaldi 7")
    for text, street in [("Lindenweg 5, 10115 Berlin", "Lindenweg 5, 10115 Berlin"),
                         ("12 rue des Tilleuls, 35000 Rennes", "12 rue des Tilleuls, 35000 Rennes"),
                         ("Rua das Acácias 120", "Rua das Acácias 120"),
                         ("Lindstraat 12", "Lindstraat 12"), ("Björkgatan 3", "Björkgatan 3")]:
        assert [v.text for v in values(text, AnswerType.PLACE)] == [street]


def test_a_place_on_a_waiting_list_and_until_when_in_dutch(store: MemoryStore) -> None:
    """"Op welke plek sta ik op de wachtlijst" asks a number ("Uw plaats op de
    wachtlijst"); "tot wanneer" asks the end ("geldig tot en met"), not the day since
    when one waits; a number to call has figures, not a code in letters."""
    lines = ["VISVERGUNNING", "12", "Uw plaats op de wachtlijst",
             "Visvergunning · op wachtlijst sinds | 01-02-2031",
             "GELDIG TOT EN MET", "30-06-2032",
             "Team Visvergunningen", "0412 555 019", "OVERIG", "Q-771-ZB"]
    boxes = [(940, 310, 1136, 336), (944, 367, 1004, 410), (1002, 367, 1176, 391),
             (940, 460, 1300, 482), (472, 420, 600, 442), (472, 436, 570, 462),
             (1444, 617, 1626, 641), (1764, 615, 1872, 641), (1444, 700, 1520, 724),
             (1764, 700, 1872, 724)]
    add_screen(store, "Mijn visvergunningen – gemeente Brakel", lines,
               title="Mijn visvergunningen – Mijn Brakel", boxes=boxes)
    assert classify("Op welke plek sta ik op de wachtlijst?").type is AnswerType.QUANTITY
    assert read(store, "Op welke plek sta ik nu op de wachtlijst voor de visvergunning?") == (
        "12")
    assert read(store, "Tot wanneer mag ik nog vissen met mijn visvergunning?") == (
        "30-06-2032")
    assert read(store, "Welk telefoonnummer heeft het team visvergunningen?") == (
        "0412 555 019")


def test_a_dense_tables_header_touching_its_first_row_labels_every_row(
        store: MemoryStore) -> None:
    """A class schedule whose header and first row OCR reads as one row (a sidebar's cells
    between them): the header is read apart and labels the rows under it, so the lab's
    room is its "Room" cell; "chem" is Chemistry written short and "Th" Thursday."""
    lines = ["Title", "Days & Times", "Room", "Instructor", "Units Status", "Charges",
             "Physics I", "MoWe 9:05AM - 10:20AM", "HELM 110", "A. Brandt", "3.0 Enrolled",
             "Lab fee", "Organic Chemistry Lab", "Th 1:10PM - 3:40PM", "OSTR 0142", "B. Kovac",
             "1.0 Enrolled", "Botany", "TuTh 10:40AM - 11:55AM", "HELM 205", "C. Dorr",
             "3.0 Enrolled"]
    boxes = [(204, 198, 243, 222), (546, 199, 638, 221), (778, 196, 828, 224),
             (965, 196, 1040, 222), (1318, 196, 1414, 222), (1538, 204, 1712, 230),
             (204, 218, 336, 244), (546, 218, 705, 244), (778, 218, 850, 244),
             (966, 218, 1074, 244), (1329, 216, 1430, 247), (1536, 224, 1790, 250),
             (204, 241, 358, 267), (544, 241, 675, 267), (777, 239, 856, 265),
             (963, 239, 1110, 265), (1329, 239, 1431, 270), (204, 264, 316, 290),
             (544, 264, 702, 290), (780, 262, 846, 290), (966, 264, 1048, 290),
             (1332, 265, 1430, 291)]
    add_screen(store, "Class schedule, fall term", lines, title="My timetable – Autumn",
               boxes=boxes)
    assert read(store, "Which room do I have the chem lab in on Thursday?") == (
        "OSTR 0142")


def test_bringing_a_rental_back_is_its_return(store: MemoryStore) -> None:
    """Two cards side by side, "PICK-UP" and "RETURN": asked when to bring the car back,
    the return card's own time answers, not its branch's opening hours."""
    lines = ["PICK-UP", "Thu, Jun 4, 2031", "9:15 AM", "Olmsby Airport",
             "RETURN", "Sat, Jun 6, 2031", "5:30 PM", "Olmsby Downtown",
             "Branch hours: Mon-Sat 7:00AM-6:00PM · Sun closed"]
    boxes = [(300, 348, 380, 374), (300, 370, 480, 400), (300, 394, 370, 420),
             (300, 420, 460, 445), (765, 348, 831, 374), (764, 370, 951, 400),
             (766, 394, 834, 420), (765, 420, 1032, 445), (768, 463, 1179, 483)]
    add_screen(store, "Corvid Cars trip", lines, title="Manage booking | Corvid Cars",
               boxes=boxes)
    assert read(store, "What time do I have to bring the Corvid car back?") == "5:30 PM"


def test_a_header_a_pay_slips_net_and_a_delivery_window(store: MemoryStore) -> None:
    """An HTTP header is a hyphened name; take-home pay is what the slip calls net pay; a
    delivery's window is answered whole."""
    add_screen(store, "Quill API docs: authentication", [
        "Send your token in a header:",
        "curl -H \"X-Quill-Token: $QT\" https://api.quill.example/v1/items"],
        title="Authentication – Quill API")
    assert read(store, "Which HTTP header does the Quill API want the token in?") == (
        "X-Quill-Token")
    add_screen(store, "Pay statement 05/15/2031", [
        "GROSS PAY $4,010.00", "NET PAY $2,905.12", "Pay statement — Pay date 05/15/2031"],
        title="Pay Statement – Ledgerly")
    assert read(store, "What was my take-home pay on the May 15 pay statement?") == (
        "$2,905.12")
    add_screen(store, "Pedido da Tasca do Rui", [
        "Tasca do Rui · pedido #5521", "Pedido feito · 19:40",
        "Entrega prevista", "20:12 - 20:22"], title="Acompanhe seu pedido – Tasca do Rui")
    assert read(store, "Que horas o jantar da Tasca do Rui ia chegar?") == (
        "20:12 - 20:22")


def test_values_of_codes_sums_windows_and_schedules() -> None:
    """A figure inside a code is no count; a currency sign written against the next figure
    is that one's; two times joined are a window; a crontab's five fields are a schedule."""
    assert [v.text for v in values("Z-2031-448120 | 2 permits", AnswerType.QUANTITY)] == [
        "2 permits"]
    assert [v.text for v in values("Balance due 11/15/2031 $1,204.10", AnswerType.MONEY)] == [
        "$1,204.10"]
    assert [v.text for v in values("Open 9:00 to 17:30, lunch 12:00", AnswerType.TIME)] == [
        "9:00 to 17:30", "12:00"]
    assert [v.text for v in values("*/15 8-18 * * 1-5 /opt/poll.sh", AnswerType.TIME)] == [
        "*/15 8-18 * * 1-5"]
    # a doctor's degree after her name, and a suite after a clinic's, are no town's region
    # (the clinic is a place by its name)
    assert [v.text for v in values("Dr. Ines Varga, MD · Elm Clinic, Suite 4",
                                   AnswerType.PLACE)] == ["Elm Clinic"]
    assert classify("Quanto chiedono per il vaccino del gatto?").type is AnswerType.MONEY
    assert classify("Which Harlow store has my order?").type is AnswerType.PLACE


def test_a_shops_hours_are_no_time_asked_of_a_visit(store: MemoryStore) -> None:
    """A garage's card: the drop-off time, and the shop's hours as a window. Asked when to
    drop the car off, the hours are not the answer; asked when the shop opens, they are."""
    add_screen(store, "Service booking at Ferrow Lane Motors", [
        "Ferrow Lane Motors · Shop hours 7:00 AM - 6:00 PM · Drop-off Thursday",
        "Service: brakes · drop-off at 8:30 AM"], title="My service booking – Ferrow Lane Motors")
    assert read(store, "What time do I need to drop the car off at Ferrow Lane Motors?") == (
        "8:30 AM")
    assert read(store, "What time does Ferrow Lane Motors open?") == "7:00 AM - 6:00 PM"


def test_a_korean_question_asks_its_type_and_its_words_drop_their_particles() -> None:
    """"언제" asks a date, "얼마" an amount, "번호" a number; "날짜는" is "날짜" with its topic
    particle, and "2031년 5월 9일" is a day."""
    from memory.answer.extractive import stems

    assert classify("회의 날짜는 언제인가요?").type is AnswerType.DATE
    assert classify("주문 금액은 얼마인가요?").type is AnswerType.MONEY
    assert classify("주문번호는 무엇인가요?").type is AnswerType.IDENTIFIER
    assert {"날짜", "금액"} <= stems("회의 날짜는 · 주문 금액은")
    assert [v.text for v in values("회의 2031년 5월 9일 (금)", AnswerType.DATE)] == [
        "2031년 5월 9일"]
    assert [v.text for v in values("합계 512,000원", AnswerType.MONEY)] == ["512,000원"]


def test_a_question_is_read_in_the_language_it_is_asked_in() -> None:
    """The question's own function words say its language, and that language's question
    words are read first: the Spanish "iban" (they were going to) asks no IBAN, and a
    German "Was" asks what, not whether. Pronoun-first Spanish asks whether; a wait's
    place, a price after a renewal, a window of hours and "what was behind" are read as
    such in English too."""
    assert classify("¿Qué día iban a pasar el cargo del seguro del coche?").type is (
        AnswerType.DATE)
    assert classify("Was genau stand im Gutachten über den Motor?").type is (
        AnswerType.DESCRIPTION)
    assert classify("Was wird der neue Fensterrahmen insgesamt kosten?").type is (
        AnswerType.MONEY)
    assert classify("In welchem Zeitraum liefert der Spediteur das Sofa?").type is (
        AnswerType.TIME)
    assert classify("I vilket förråd står min cykel?").type is AnswerType.PLACE
    assert classify("¿Te devolvieron la fianza del piso de Ruzafa?").type is AnswerType.YESNO
    assert classify("Where was I on the waiting list for the climbing course?").type is (
        AnswerType.QUANTITY)
    assert classify("What will the boat insurance cost per year after the renewal?").type is (
        AnswerType.MONEY)
    assert classify("What was behind the mail server outage?").type is AnswerType.DESCRIPTION
    assert language("Welche Farbe hat mein Auto?") == "de"
    assert yes_or_no(classify("¿Te devolvieron la fianza del piso?"), False) == "No"
    assert yes_or_no(classify("Ist die Werkstatt am Samstag offen?"), True) == "Ja"
    # Danish and Norwegian: "hvilket bibliotek" asks a place, and the answer's "no" is theirs
    assert classify("hvilket bibliotek skal jeg hente bogen på?").type is AnswerType.PLACE
    assert yes_or_no(classify("Har jeg betalt regningen til vandværket?"), False) == "Nej"
    assert yes_or_no(classify("Har jeg betalt regningen til meg selv?"), False) == "Nei"


def test_codes_in_many_groups_short_field_names_and_addresses_by_shape(
        store: MemoryStore) -> None:
    """A SIM's number in five groups is one code; a log writes "req=" for a request id; an
    IP address is known by its shape though the page never writes "IP"; and the name
    right before the deed asked ("… changed") is who did it."""
    found = [v.text for v in values("SIM · 8944 1200 3321 5566 0917", AnswerType.IDENTIFIER)]
    assert found == ["8944 1200 3321 5566 0917"]
    add_screen(store, "Ran tail on the orders log", [
        "2031-02-11T08:12:09Z INFO [orders] req=cd_4m2pt POST /api/orders 201",
        "2031-02-11T08:12:44Z WARN [orders] req=ab_91xk2 retry 1/3 failed: upstream "
        "timeout after 5000ms"], title="zsh")
    assert read(store, "What was the request id of the order that failed with an upstream "
                "timeout?") == "ab_91xk2"


def test_a_dns_record_by_its_address_and_who_changed_it(store: MemoryStore) -> None:
    add_screen(store, "DNS records of tarnwick-bakery.example", [
        "Type | Name | Value | TTL",
        "A | www | 203.0.113.44 | 1 Hour",
        "MX | @ | 10 mail.tarnwick-bakery.example | 1 Hour",
        "Recent changes",
        "Ilse Brannigan changed A www · 60 Min ago"], title="Domains · DNS records")
    assert read(store, "What IP address does the www record of the bakery domain point "
                "to?") == "203.0.113.44"
    assert read(store, "Who changed the IP address of the www record?") == "Ilse Brannigan"


def test_a_range_asked_for_is_read_whole(
        store: MemoryStore) -> None:
    add_screen(store, "Message from the Quillmoor recruiter", [
        "Hi! Following up on the platform engineer post at Quillmoor.",
        "The salary band for this post is €52,000 – €61,000 gross plus a bonus."],
        title="Inbox – Quillmoor recruiter")
    assert read(store, "What salary range did the Quillmoor recruiter give for the platform "
                "engineer post?") == "€52,000 – €61,000"


def test_a_setting_written_false_and_a_payment_switched_off_say_no(
        store: MemoryStore) -> None:
    add_screen(store, "Ran cat config/production.yml for the ledger service", [
        "ledger@vm ~/svc/ledger % cat config/production.yml",
        "service: ledger",
        "email_digest: false",
        "audit_trail: true"], title="zsh")
    assert read(store, "Was the email digest switched on for the ledger service?") == "No"


def test_an_autopay_switched_off_says_the_bill_is_not_paid_by_itself(
        store: MemoryStore) -> None:
    add_screen(store, "Brightline internet bill", [
        "Brightline internet · Billing",
        "Amount due $54.10 · due Mar 3",
        "Autopay is off · Turn on Autopay and save $2/mo"],
        title="Billing – Brightline internet")
    assert read(store, "Is my Brightline internet bill paid automatically?") == "No"


def test_a_sentence_wrapped_onto_the_next_line_is_read_whole(store: MemoryStore) -> None:
    """OCR may list a wrapped sentence's second line first; the line standing under it,
    opening in lower case, goes on with it."""
    add_screen(store, "Harbour Climb membership page", [
        "rate: €41.00 (was €38.00). To cancel, give 30 days' notice.",
        "Your plan renews on 1 Sep for another 12 months. The new monthly",
        "Keep your current plan: €38.00 today only"],
        title="Membership – Harbour Climb",
        boxes=[(900, 483, 1250, 508), (900, 465, 1260, 489), (900, 600, 1200, 625)])
    assert read(store, "What will the Harbour Climb plan cost per month after it "
                "renews?") == "€41.00"


def test_a_span_naming_only_another_month_is_not_the_month_asked(store: MemoryStore) -> None:
    """The fee notice of December is a card with its number under a label; last month's
    paid row names November on one line with its number. Asked for the December fee's
    number (in a Swedish compound), the row of another month gives way."""
    add_screen(store, "Avgifter för lägenhet 1207", [
        "Oktober 2031 OCR 48120077310 Betald 2031-09-28",
        "November 2031 OCR 48120077328 Betald 2031-10-29",
        "Avgiftsavi december 2031",
        "ATT BETALA",
        "4 870 kr",
        "OCR-NUMMER",
        "48120077336"],
        title="Mina avgifter – Brf Lärkträdet",
        boxes=[(100, 300, 600, 325), (100, 340, 640, 365), (900, 200, 1200, 225),
               (900, 240, 1000, 262), (900, 262, 1010, 290), (900, 300, 1020, 322),
               (900, 322, 1100, 348)])
    assert read(store, "Vilket OCR-nummer ska jag ange för decemberavgiften?") == (
        "48120077336")


def test_a_change_from_one_value_to_another_and_a_department_asked_who(
        store: MemoryStore) -> None:
    """"changed from X to Y" says X was, not is; a "name" of everyday words is a department
    beside a person's name; a config line is not read on into the prompt after it."""
    add_screen(store, "DNS change log", [
        "mail record: changed from 192.0.2.18 to 192.0.2.40 by the admin"],
        title="DNS log")
    assert read(store, "What IP address does the mail record point to now?") == "192.0.2.40"
    add_screen(store, "Imaging results for the knee", [
        "Gwenllian Ashcombe-Price; Requesting clinician: Joint Care",
        "Requesting clinician Dr. Gwenllian Ashcombe-Price, MD"],
        title="MRI results – Fenmoor Health")
    assert read(store, "Which doctor requested my knee MRI?") == "Gwenllian Ashcombe-Price"
    add_screen(store, "Ran cat settings for the tiller service", [
        "tiller@host ~/svc/tiller % cat config/settings.yml",
        "session_retention_days: 21",
        "export_retention_days: 730",
        "tiller@host ~/svc/tiller % tail -n 3 sessions/current.log"], title="zsh")
    assert read(store, "How many days of sessions does the tiller service keep?") == "21"


def test_what_was_broken_and_the_sum_with_tax_in_german(store: MemoryStore) -> None:
    """"Was war laut … genau …" asks what, with two filler words; "kaputt" meets "defekt"
    and the answer leaves the bracketed aside out; a sum with its tax is the gross one."""
    add_screen(store, "Kostenvoranschlag für die Waschmaschine", [
        "Laugenpumpe defekt (Fremdkörper im Sieb) – Maschine pumpt nicht ab.",
        "Enthaltene Fahrtkosten: 39,00 € netto / 46,41 € brutto.",
        "Summe netto 180,59 €",
        "Gesamtbetrag brutto 214,90 €"], title="Angebot – Hausgeräte Kessler")
    assert read(store, "Was war laut Angebot genau an der Waschmaschine "
                "kaputt?") == "Laugenpumpe"
    assert read(store, "Wie viel kostet die Reparatur der Waschmaschine am Ende inklusive "
                "Mehrwertsteuer?") == "214,90 €"


def test_a_rough_end_of_a_window_and_a_place_named_by_its_kind_and_number(
        store: MemoryStore) -> None:
    """"09.15–ca 12.00" is one window, its end said roughly; "I vilket förråd …" is answered
    by the store room written with its number ("Förråd 3"), a kind of place no list holds."""
    assert [v.text for v in values("Torsdag kl. 09.15-ca 12.00 stängs elen av",
                                   AnswerType.TIME)] == ["09.15-ca 12.00"]
    add_screen(store, "Mina bokningar – Brf Lönnen", [
        "Bokade resurser",
        "Förråd 3 – hus C, plan -1",
        "Cykelrum · utan bokning"], title="Mina bokningar – Brf Lönnen")
    assert read(store, "I vilket förråd har jag bokat plats?") == "Förråd 3"


def test_a_button_offering_to_set_a_thing_up_says_it_is_not_set_up(
        store: MemoryStore) -> None:
    """A bill's row ends in a button "Set up direct debit": the bill is not paid by itself."""
    add_screen(store, "Harlow Water account", [
        "Harlow Water · Account 55-0931",
        "Amount due $41.18 | Due date: 03/14/2031 | Set up direct debit"],
        title="My account – Harlow Water")
    assert read(store, "Is my Harlow Water bill paid by direct debit?") == "No"
    add_screen(store, "Tarnby Cars booking extras", [
        "Tarnby Cars · booking extras",
        "Roof box | not added | $7/day | Add"], title="Extras – Tarnby Cars")
    assert read(store, "Did I book a roof box with the Tarnby car?") == "No"


def test_a_compound_naming_the_other_end_is_no_answer(store: MemoryStore) -> None:
    """Asked when a lease ends ("endet"), the date labelled "Laufzeitbeginn" (its start, as
    a compound's tail) is the other end."""
    add_screen(store, "Mietvertrag Tiefgaragenstellplatz", [
        "Laufzeitbeginn 01.04.2029",
        "Laufzeitende 31.03.2031"], title="Meine Verträge – Parkhaus Lindenhof")
    assert read(store, "Wann endet die Laufzeit für den Stellplatz?") == "31.03.2031"


def test_a_setting_written_short_as_max_is_the_maximum_asked(store: MemoryStore) -> None:
    """grep's context lines ("7-threads_min = 2"): "max" is the maximum asked."""
    add_screen(store, "Ran grep on the cache settings of wrenfield", [
        "ana@box:~/wrenfield$ grep -n -A2 workers settings.ini",
        "6:[workers] 7-threads_min = 2",
        "8-threads_max = 16"], title="bash")
    assert read(store, "What's the maximum number of worker threads in wrenfield's "
                "settings?") == "16"


def test_memory_use_is_measured_in_bytes_and_a_volume_in_cubic_metres(
        store: MemoryStore) -> None:
    """A container's row holds its port (8080) beside its memory use: asked how much RAM,
    the figure in bytes answers. A meter's reading in cubic metres answers "quantos metros
    cúbicos", not the day "1 e 8" (Portuguese "and") of the sentence above it."""
    add_screen(store, "Viewed the containers of the brambly home server", [
        "NAME | IMAGE | PORTS | CPU | MEM",
        "wikijs | requarks/wiki:2.5 | 8080-8080/tcp | 3.1% | 377 MiB"],
        title="Containers – brambly")
    assert read(store, "How much RAM was the wikijs container using on brambly?") == (
        "377 MiB")
    add_screen(store, "Consultei as leituras da água na Aguamar", [
        "Comunique a leitura entre os dias 1 e 8 de cada mês",
        "Última leitura enviada: 17/10/2026 · 0873 m³"], title="Leituras – Aguamar")
    assert read(store, "Quantos metros cúbicos marcava o contador da água na última "
                "leitura da Aguamar?") == "0873 m³"


def test_question_words_of_money_rooms_branches_and_times_in_other_languages() -> None:
    assert classify("How much money is the council paying me back for the deposit?").type is (
        AnswerType.MONEY)
    assert classify("Which conference room is the quarterly review in?").type is (
        AnswerType.PLACE)
    # a branch's name is no person's
    assert classify("What was the name of the branch I started the fix on?").type is (
        AnswerType.ITEM)
    assert classify("Da quando posso ritirare il certificato?").type is AnswerType.DATE
    assert classify("Do której godziny mogę odebrać list polecony?").type is AnswerType.TIME
    # the little words of Dutch, Italian and Polish questions are not what they ask about
    assert classify("Tussen hoe laat komen ze de kast bij mij ophalen?").words == (
        "kast", "ophalen")
    assert "cui" not in classify("Dove si trova l'ufficio in cui devo firmare?").words
    assert "żeby" not in classify("Jaki kod mam wpisać, żeby otworzyć skrytkę?").words


def test_a_clock_time_written_with_a_dot_is_no_amount() -> None:
    assert values("Ophalen: 8.15 - 12.45 uur", AnswerType.MONEY) == []
    assert [v.text for v in values("Te betalen: 31,75", AnswerType.MONEY)] == ["31,75"]


def test_the_branch_a_pull_request_is_opened_from(store: MemoryStore) -> None:
    """"Merge into release/2.1 from fix/ledger-rounding": asked which branch it was
    opened from, the one after "from"; a setting's name in capitals is no branch."""
    add_screen(store, "Viewed pull request #77 of ledgerly", [
        "Round ledger totals to even cents #77",
        "mkoval wants to merge 3 commits into release/2.1 from fix/ledger-rounding",
        "Rounding mode is configurable via LEDGER_ROUNDING_MODE"], title="Pull request #77")
    assert read(store, "What was the name of the branch the ledger rounding pull request "
                "was opened from?") == "fix/ledger-rounding"


def test_a_command_is_known_by_what_it_printed(store: MemoryStore) -> None:
    """Asked which command linted and tested the project: the command whose output shows
    the lint and the tests, not the one before it that printed something else."""
    add_screen(store, "Ran commands in the quillon repository", [
        "ana@box:~/src/quillon$ git status --short",
        " M quillon/core.py",
        "ana@box:~/src/quillon$ make verify",
        "flake8 quillon tests",
        "pytest -q tests",
        "12 passed in 0.41s"], title="bash")
    assert read(store, "What exact command did I type to lint and run the tests of "
                "quillon?") == "make verify"


def test_the_parts_of_a_clock_time_are_no_count(store: MemoryStore) -> None:
    """A ticket's history says when the estimate changed ("at 10:02 AM"): asked how many
    points it is estimated at, the estimate's own field answers, not the hour."""
    assert [v.text for v in values("changed the estimate at 10:02 AM", AnswerType.QUANTITY)
            ] == []
    assert [v.text for v in values("Yoga 18:30-19:25 · 6 places left", AnswerType.QUANTITY)
            ] == ["6 places"]
    add_screen(store, "Viewed the refund button ticket in the tracker", [
        "Refund button missing on mobile",
        "Oren Dahl changed the Story point estimate November 12, 2026 at 11:40 AM",
        "Story point estimate 8"], title="Refund button missing on mobile · Tracker")
    assert read(store, "How many story points is the refund button ticket estimated at "
                "now?") == "8"


def test_a_log_stamp_in_iso_form_says_its_time(store: MemoryStore) -> None:
    """"2026-11-18T04:12:09.117Z ERROR …": asked when the upload failed, the stamp's time;
    an amount's figures ("$4.50") are no time."""
    assert values("Picked up 10/28 $4.50", AnswerType.TIME) == []
    assert [v.text for v in values("2026-11-17T04:12:09.117Z ERROR x", AnswerType.TIME)] == [
        "04:12:09"]
    add_screen(store, "Read the helpdesk log", [
        "2026-11-18T04:10:55.002Z INFO upload ok ticket HD-4410",
        "2026-11-18T04:12:09.117Z ERROR upload of ticket HD-4417 failed: no space left on "
        "device"], title="zsh")
    assert read(store, "What time did the upload for ticket HD-4417 fail?") == "04:12:09"


def test_question_words_of_czech_and_days_nights_and_paying() -> None:
    assert classify("Do kdy mám zaplatit fakturu za plyn?").type is AnswerType.DATE
    assert classify("Kolik mi pojišťovna vrátila za brýle?").type is AnswerType.MONEY
    assert classify("Kolik balíků čeká na poště?").type is AnswerType.QUANTITY
    # the Czech verbs of paying are Czech only: German "Platz", Swedish "plats" are room
    assert classify("Wie viel Platz braucht der Schrank?").type is AnswerType.QUANTITY
    assert classify("Hur mycket plats tar soffan?").type is AnswerType.QUANTITY
    assert classify("Na které poště si mám vyzvednout balík?").type is AnswerType.PLACE
    assert classify("Kdo podepsal smlouvu o nájmu?").type is AnswerType.PERSON
    assert classify("V kolik hodin otevírá úřad?").type is AnswerType.TIME
    assert language("Kdy přijede technik?") == "cs"
    assert "kdy" not in classify("Kdy přijede technik?").words
    # German "Tag" is a day, no git tag
    assert classify("An welchem Tag ist das Schwimmbad geschlossen?").type is AnswerType.DATE
    assert classify("Which night does the road closure on Elm Street begin?").type is (
        AnswerType.DATE)
    assert classify("Which evening class did I book?").type is not AnswerType.DATE
    assert classify("What was I going to pay at the desk for the repair?").type is (
        AnswerType.MONEY)
    assert classify("What did I pay with at the desk?").type is not AnswerType.MONEY
    assert classify("Which runner picked up the nightly build?").type is AnswerType.ITEM


def test_a_listing_gives_each_size_before_its_name(store: MemoryStore) -> None:
    """"du -sh *" prints a size, then its folder: the size asked is the one on the
    folder's row, not the next row's."""
    lines = ["ops@web-02:~/srv/tillbook$ du -sh *", "210M", "logs", "2.7G", "archive", "5.3G",
             "media"]
    boxes = [(0, 0, 380, 22), (0, 20, 46, 44), (76, 20, 120, 44), (0, 40, 46, 64),
             (76, 40, 150, 64), (0, 62, 46, 84), (76, 62, 130, 84)]
    add_screen(store, "Checked disk use of tillbook", lines, title="zsh", boxes=boxes)
    assert read(store, "What size did du show for the archive?") == "2.7G"
    assert read(store, "What size did du show for the logs?") == "210M"
    # read as one line, each size is still its own folder's
    add_screen(store, "Checked disk use of harrowgate", ["640M cache 1.9G exports"],
               title="zsh")
    assert read(store, "What size did du show for the harrowgate cache?") == "640M"


def test_a_traceback_fails_with_its_exception_not_the_runners_heading(
        store: MemoryStore) -> None:
    add_screen(store, "Ran the tests of quayside", [
        "lin@yard:~/src/quayside$ python3 -m unittest",
        "E.",
        "ERROR: test_berth_fee (tests.test_fees.FeeTests.test_berth_fee)",
        "Traceback (most recent call last):",
        '  File "tests/test_fees.py", line 12, in test_berth_fee',
        "    fee = berth_fee('XL')",
        "KeyError: 'XL'",
        "FAILED (errors=1)"], title="bash")
    assert read(store, "Why did the quayside unit tests crash?") == "KeyError: 'XL'"


def test_a_code_read_joined_to_its_label_and_a_name_holding_the_word_asked(
        store: MemoryStore) -> None:
    """OCR joined "reference" to the code after it; a runner's name holds "runner"."""
    assert [v.text for v in values("Booking referenceKQ7-22X·booked", AnswerType.IDENTIFIER)
            ] == ["KQ7-22X"]
    # a member number printed in groups, the last of two digits, is one number
    assert [v.text for v in values("N° adhérent 0412 7730 58", AnswerType.IDENTIFIER)] == [
        "0412 7730 58"]
    add_screen(store, "Viewed pipeline #7781 of ferrydesk", [
        "test:e2e job #55120 · stage test · 04:12 · Runner #88 gull-ci-eu1-runner-07"],
        title="Pipeline #7781 · ferrydesk")
    assert read(store, "Which runner ran the e2e job in ferrydesk pipeline 7781?") == (
        "gull-ci-eu1-runner-07")


def test_a_label_naming_the_value_itself_does_not_label_it(store: MemoryStore) -> None:
    """A class grid stored as "Sala Azul: Yoga: Sala Azul; Pilates: Sala 4": asked which
    "sala" the pilates is in, "Pilates:" labels the answer; "Sala Azul:" only names itself."""
    add_screen(store, "Reservé clases en el gimnasio Brisamar", [
        "Sala Azul · Inés P.: Yoga Suave: Sala Azul · Inés P.; Pilates Mat: Sala 4 - Olga R."],
        title="Mis reservas – Brisamar")
    assert read(store, "¿En qué sala es el pilates que reservé?").startswith("Sala 4")
    # the word opening a question after its "¿" is no name
    assert classify("¿En qué sala es el pilates?").names == ()


def test_a_mark_out_of_its_most_and_a_day_joined_to_its_month(store: MemoryStore) -> None:
    """A grade book's "Your mark: 13.5/20" is one figure, though "13.5" reads as a day and a
    month; OCR joined a day to its month ("21Mar 2031"), and the next sentence's time is
    not the day's."""
    assert [v.text for v in values("Essay 3 · Your mark: 13.5/20 · 67.5%", AnswerType.QUANTITY)
            ] == ["3", "13.5/20", "67.5%"]
    add_screen(store, "Grades for GEOG 140", [
        "Field report 2: Dune transects; WEIGHT: 15%; YOUR MARK: 13.5/20; %: 67.5%; "
        "CLASS AVG: 12.2/20"], title="Grades · GEOG 140")
    assert read(store, "What mark did I get for the dune transects field report?") == "13.5/20"
    assert [v.text for v in values("Free cancellation until 22:00 on 21Mar 2031.From 00:05 "
                                    "on 22Mar 2031 you pay", AnswerType.DATE)] == [
        "21 Mar 2031", "22 Mar 2031"]
    add_screen(store, "Viewed the Kilmory Lodge stay", [
        "Cancellation: Free cancellation until 22:00 on 21Mar 2031.From 00:05 on 22Mar 2031 "
        "the first night is charged."], title="My stays")
    assert read(store, "Until what day can I cancel the Kilmory Lodge stay for free?") == (
        "21 Mar 2031")


def test_a_change_from_the_old_to_the_new_and_a_reference_called_a_confirmation(
        store: MemoryStore) -> None:
    """"moved from the Old Hall to Tui Building" answers where it is now; a booking's
    reference is what its page calls its confirmation number, written in dotted groups."""
    add_screen(store, "Course notice for HIST 203", [
        "Final exam: the HIST 203 exam has been moved from the Old Gym to Tui Building, "
        "Room TB-117. Bring your ID."], title="Announcements · HIST 203")
    assert read(store, "Which room is my HIST 203 exam in now that it was moved?").startswith(
        "Tui Building")
    assert [v.text for v in values("Confirmation number 2290.118.604", AnswerType.IDENTIFIER)
            ] == ["2290.118.604"]
    add_screen(store, "Viewed the Harbour Inn stay in Oban", [
        "The Harbour Inn, 3 Pier Road, Oban PA34 5QD", "Confirmation number", "2290.118.604",
        "PIN code", "5521"], title="Upcoming stays | Roamly")
    assert read(store, "What's the booking reference for the Harbour Inn in Oban?") == (
        "2290.118.604")
    # (in whole words: a "Configuration" number is none, though both open with "confi")
    add_screen(store, "Viewed the Quay Lodge stay in Mallaig", [
        "Room configuration no. 5512.880.120", "Confirmation no. 7731.204.558"],
        title="Upcoming stays | Roamly")
    assert read(store, "What's the booking reference for the Quay Lodge in Mallaig?") == (
        "7731.204.558")


def test_a_count_in_the_thing_asked_and_a_cell_joined_to_its_name(store: MemoryStore) -> None:
    """"How many water-meter readings got imported" counts readings ("imported 2,316
    readings (41 skipped …)"), the words naming it running up to its verb; sqlite3's
    list mode prints "name|count": the word after a count is the next row's name."""
    add_screen(store, "Imported meter readings", [
        "ana@tern:~/meters$ python3 import.py dump.csv",
        "imported 2,316 readings into meters.db (41 skipped: no serial)"], title="bash")
    assert read(store, "How many water-meter readings got imported into the database?") == (
        "2,316 readings")
    add_screen(store, "Queried the fleet database", [
        'ana@tern:~$ sqlite3 fleet.db "SELECT state, count(*) FROM vans GROUP BY state;"',
        "parked|23 servicing|9 sold|4"], title="bash")
    assert read(store, "How many vans were in servicing in the fleet database?") == "9"


def test_by_what_day_is_the_value_labelled_as_the_deadline(store: MemoryStore) -> None:
    """"Até que dia tenho de pagar …" asks a deadline: the invoice row's "Vencimento"
    date, not its billing period written before it."""
    add_screen(store, "Faturas da Lusavolt", [
        "FT 2031/B/5520: Documento: FT 2031/B/5520; Emissão: 02/03/2031; Período de "
        "faturação: 01/02/2031 a 28/02/2031; Valor: 48,10 €; Vencimento: 17/03/2031; "
        "Estado: Por pagar"], title="Área de cliente – Lusavolt")
    assert read(store, "Até que dia tenho de pagar a fatura da Lusavolt em aberto?") == (
        "17/03/2031")


def test_an_amount_asked_of_a_month_is_in_the_row_dated_in_it(store: MemoryStore) -> None:
    """Asked the instalment due at the end of November, the row dated 30/11 answers, not a
    row due in another month that says more of the question's words."""
    add_screen(store, "Rate del condominio Via Olmi", [
        "Rata: 2/4; Descrizione: Gestione ordinaria; Scadenza: 30/09/2031; Importo: € 301,20; "
        "Stato: Parziale",
        "Rata: 3/4; Descrizione: Riscaldamento; Scadenza: 30/11/2031; Importo: € 187,40; "
        "Stato: In scadenza"], title="Area Condòmini – Via Olmi")
    assert read(store, "Quanto devo versare per la rata che scade a fine novembre?"
                ) == "€ 187,40"


def test_the_least_to_pay_is_the_minimum_and_an_error_asked_is_the_exception(
        store: MemoryStore) -> None:
    """"The least I have to pay" is a statement's minimum payment, not its other amounts;
    "What error did it crash with" is answered like "why did it crash": the exception the
    command's traceback ended in."""
    add_screen(store, "Card statement of Brookmere Bank", [
        "Payments & credits -€612.40", "Statement balance €1,208.77",
        "Minimum payment: €27.15 Payment due date: 09/04/2031"],
        title="Card statement | Brookmere Bank")
    assert read(store, "What's the least I have to pay on my Brookmere card?") == "€27.15"
    add_screen(store, "Ran the tidepool importer", [
        "ana@tern:~/src/tidepool$ python3 import_casts.py casts.csv",
        "Traceback (most recent call last):",
        '  File "import_casts.py", line 21, in <module>',
        "    depth = row['depth_m']",
        "KeyError: 'depth_m'",
        "ana@tern:~/src/tidepool$ sed -i 's/depth_m/depth/' import_casts.py"], title="bash")
    assert read(store, "What error did the tidepool importer crash with before I fixed "
                "it with sed?") == "KeyError: 'depth_m'"


def test_a_host_named_by_initials_and_an_address_a_thing_is_sent_to(
        store: MemoryStore) -> None:
    """"fs-…" is the file server the question names in words; asked where backups are sent,
    the address in the variable naming the backups answers, not the one beside it."""
    add_screen(store, "Queried the hosts of Kelso", [
        "pos-kelso-02: hostname: pos-kelso-02; site: kelso; last_patch: 2031-02-11",
        "fs-kelso-01: hostname: fs-kelso-01; site: kelso; last_patch: 2031-01-04"],
        title="zsh")
    assert read(store, "When was the Kelso file server last patched?") == "2031-01-04"
    add_screen(store, "Sourced the ops environment", [
        "ops@kelso:~$ cat ops.env",
        "ARCHIVE_BACKUP_TARGET=rsync://store7.example/archive/kelso "
        "ARCHIVE_INDEX_DB=/srv/archive/index.db"], title="zsh")
    assert read(store, "Where do the archive backups get sent according to ops.env?") == (
        "rsync://store7.example/archive/kelso")


def test_a_date_to_come_and_a_thing_done_in_the_month_asked(store: MemoryStore) -> None:
    """"Wanneer moet … weer …" asks the next date: a row's last and next dates give the one
    after the screen was seen. Asked who treated the cat at the end of March, the line
    dated 27-03 answers, not the one dated in January."""
    add_screen(store, "Vaccinaties van Saffie", [
        "Kattenziekte (RCP): VACCIN: Kattenziekte (RCP); LAATST: 14-02-2026; VOLGENDE: "
        "14-02-2027"], title="Saffie – Dossier | Dierenpraktijk Lindeboom")
    assert read(store, "Wanneer moet Saffie weer haar kattenziekteprik hebben?") == (
        "14-02-2027")
    add_screen(store, "Dossier van Saffie", [
        "Saffie – Dossier | Dierenpraktijk Lindeboom: Hinkt sinds het weekend.",
        "Consult 02-01-2026 · hinken rechtsachter · behandeld door dr. Anouk Pel",
        "Consult 27-03-2026 · hinken linksvoor · behandeld door dr. Joris Wezel"],
        title="Saffie – Dossier | Dierenpraktijk Lindeboom")
    assert "Joris Wezel" in read(store, "Welke dierenarts heeft Saffie eind maart voor haar "
                                 "hinken bekeken?")


def test_a_town_a_statement_writes_in_capitals(store: MemoryStore) -> None:
    """A card statement's descriptor names the town in capitals:
    a town of GeoNames that is no English word is a place ("PENDING", "READING" are
    words); the next entry, read with the line, keeps its own town."""
    assert [v.text for v in values("TALLON'S PHARMACY TRALEE PENDING", AnswerType.PLACE)] == [
        "TRALEE"]
    assert [v.text for v in values("READING LIST PENDING", AnswerType.PLACE)] == []
    add_screen(store, "Card transactions of Corrib Bank", [
        "TALLON'S PHARMACY TRALEE PENDING",
        "MARINA VIEW HOTEL ATHLONE - pre-authorisation HOLD"],
        title="Transactions | Corrib Bank")
    assert read(store, "Which town was the pending pharmacy purchase on my card made in?") == (
        "TRALEE")


def test_who_made_the_call_is_the_author_over_the_message(store: MemoryStore) -> None:
    """A chat names a message's author over it with its time; "who made the call" is that
    author, not the people the decision names ("@Mara runs it")."""
    lines = ["Mara Quist 3:10 PM", "(a) revert (b) patch forward. Thoughts in thread",
             "Tobi Lenz 3:14 PM (edited)", "TL", "Decision: reverting the billing worker to "
             "2.8.1. @Mara runs it, @Ivo watches the queue."]
    boxes = [(100, 100, 300, 122), (100, 124, 600, 146), (100, 170, 330, 192),
             (66, 182, 90, 200), (100, 194, 700, 216)]
    add_screen(store, "Incident thread of the billing worker", lines,
               title="inc-2207-billing (Channel) - Tandem", boxes=boxes)
    assert read(store, "Who made the call to revert the billing worker?") == "Tobi Lenz"
    # a message stating no time of its own was said at its header's time; one stating a
    # time says when that thing happened
    lines = ["Alertbot APP 2:47 PM", "AB", "[FIRING:1] billing worker queue depth high · prod",
             "Ivo Marsh 2:55 PM", "IM", "worker 2.9.0 went out at 2:31 PM, before the alert"]
    boxes = [(100, 300, 280, 322), (66, 312, 90, 330), (110, 326, 600, 348),
             (100, 370, 280, 392), (66, 382, 90, 400), (110, 396, 640, 418)]
    add_screen(store, "Alerts in the billing thread", lines,
               title="inc-2207-billing (Channel) - Tandem", boxes=boxes)
    assert read(store, "What time did the alert for the billing worker go off?") == "2:47 PM"
    assert read(store, "What time did worker 2.9.0 go out?") == "2:31 PM"


def test_a_chat_header_is_a_name_and_a_time_alone() -> None:
    """A chat's header is its author's name and its time alone on the line; a day and its
    hours ("Mo-Fr 7:00", "Today 9:15") or a line going on after the time are none."""
    from memory.answer.extractive import _chat_header

    assert _chat_header("Tobi Lenz 3:14 PM (edited)")["name"] == "Tobi Lenz"  # type: ignore[index]
    assert _chat_header("Alertbot APP · 14:47")["name"] == "Alertbot APP"  # type: ignore[index]
    for line in ("Mo-Fr 7:00–17:00 Uhr · Sa nach Vereinbarung", "Today 9:15", "Mo 7:00",
                 "Heizung Service 7:00 bis 16:00 erreichbar"):
        assert _chat_header(line) is None, line


def test_initials_the_question_writes_stand_for_themselves(store: MemoryStore) -> None:
    """"The profile-rename PR": "pr-2211" is the pull request's preview, no "profile
    rename" spelled in initials."""
    add_screen(store, "Pull request #2211 of the accounts service", [
        "Coverage 81.2% · 2 files below threshold: limits.py 78.0%, rename_views.py 80.5% · "
        "Preview env: pr-2211.staging.example.internal",
        "Open | ana-kovac wants to merge 4 commits into release/5.2 from feat/rename-limits"],
        title="Limit renames per account #2211 · Kilnforge")
    assert read(store, "Which branch is the profile-rename limits PR supposed to merge into?"
                ) == "release/5.2"


def test_a_log_stamp_is_no_duration_and_a_unit_may_be_glued_on(store: MemoryStore) -> None:
    """A worker's log: each line opens with its date and clock time, and says how long its
    job took as "dur=31.50s". The stamp's time is when, not how long."""
    add_screen(store, "Ran grep on the encode worker log in zsh", [
        "2031-02-03 15:16:02,118 INFO [w1] job=enc-0417 kind=encode_480p status=done dur=12.05s",
        "2031-02-03 15:16:17,401 INFO [w2] job=enc-0418 kind=encode_4k status=done dur=31.50s",
        "2031-02-03 15:16:40,930 WARN [w1] job=enc-0419 kind=thumbs status=retry attempt=2/3"],
        title="zsh")
    assert read(store, "How long did the 4k encode of enc-0418 take?") == "31.50s"


def test_the_command_cron_runs_is_what_follows_its_schedule(store: MemoryStore) -> None:
    """"crontab -l" prints its header comment, "# m h dom mon dow command", over the jobs:
    a comment is no command, and a job's command is its line after the five fields."""
    add_screen(store, "Listed the crontab in fish", [
        "ines@harrow ~> crontab -l",
        "# m h dom mon dow command",
        "15 2 * * * /usr/local/bin/rotate-logs.sh --keep 7",
        "40 4 * * 0 /home/ines/bin/mirror-photos.sh --target s3:ines-attic --limit 4M"],
        title="fish")
    assert read(store, "What command does cron run each week to mirror my photos?") == (
        "/home/ines/bin/mirror-photos.sh --target s3:ines-attic --limit 4M")


def test_where_a_file_was_written_may_be_a_path_relative_to_the_shell(
        store: MemoryStore) -> None:
    """"tar -czvf media/…/notes.tar.gz Notes" wrote its archive to a path written without a
    leading slash, relative to where the command ran."""
    add_screen(store, "Made a tarball of Notes in bash", [
        "ines@harrow:~$ tar -czvf media/disk-2/manual/notes-2031-02-03.tar.gz Notes",
        "Notes/",
        "Notes/recipes.md",
        "ines@harrow:~$ ls media/disk-2/manual"], title="bash")
    assert read(store, "Where did I write the manual tarball of my Notes folder?") == (
        "media/disk-2/manual/notes-2031-02-03.tar.gz")


def test_why_make_failed_is_the_compiler_error_after_its_location(store: MemoryStore) -> None:
    """A compiler's error line opens with the file, line and column it is about
    ("src/pay.c:31:9: error: …"): what follows "error:" says why the build stopped."""
    add_screen(store, "Ran make in the ledgerly project", [
        "ines@harrow:~/src/ledgerly$ make",
        "cc -std=c11 -Wall -O2 -Iinclude -c src/pay.c -o build/pay.o",
        "src/pay.c: In function 'pay_total':",
        "src/pay.c:31:9: error: 'struct invoice' has no member named 'net_cents'",
        "make: *** [Makefile:14: build/pay.o] Error 1",
        "ines@harrow:~/src/ledgerly$"], title="bash")
    assert read(store, "Why did make fail when I built ledgerly?") == (
        "'struct invoice' has no member named 'net_cents'")


def test_asked_by_when_a_bill_is_paid_the_date_it_is_due_beats_a_payment_made(
        store: MemoryStore) -> None:
    """"When does the bill have to be paid?" asks its due date: a line stating a payment
    made ("paid 3 Oct 2031") holds the question's "paid" but no deadline; the page's
    "Due date" under its date answers."""
    add_screen(store, "Billing page of Harewood Fibre", [
        "Billing & Usage – Harewood Fibre",
        "Refund of R 412,00 paid 3 Oct 2031",
        "Scheduled maintenance: node HW-3, Tue 2031/11/24 from 00:00 to 04:00.",
        "R 899,00",
        "Amount due",
        "28 Nov 2031",
        "Payment due date · by debit order"], title="Billing & Usage – Harewood Fibre")
    assert read(store, "When does the Harewood internet bill have to be paid?") == "28 Nov 2031"


def test_a_timetable_card_marks_each_end_of_the_journey(store: MemoryStore) -> None:
    """A rail booking shows the way out and the way back; each station's line marks its
    platform "ab" (departs) or "an" (arrives), and the way back runs "Richtung" the
    station the question leaves from."""
    add_screen(store, "Rail booking Graz - Villach", [
        "Graz Hbf",
        "ab Gleis 6 · Sektor B",
        "08:17",
        "Villach Hbf",
        "an Gleis 3",
        "RÜCKFAHRT",
        "ab Gleis 1 | 17:40 RX 402 Richtung Graz Hbf · Wagen 12, Platz 45"],
        title="Buchungsübersicht – Nordbahn")
    assert read(store, "Von welchem Gleis fährt mein Zug in Graz nach Villach ab?") == "Gleis 6"


def test_a_forge_event_line_names_who_did_the_deed(store: MemoryStore) -> None:
    """A pull request's timeline names people by user name, lower-case, before what they
    did: "Who asked for changes" is the one who "requested changes"."""
    add_screen(store, "Pull request #88 on Hollowforge", [
        "Add retry budget to the uploader #88",
        "ines-okafor wants to merge 3 commits into main from feat/retry-budget",
        "ines-okafor commented Feb 3, 2031, 15:16",
        "tam-liddell ✓ approved these changes Feb 4, 2031",
        "ruben-achterberg × requested changes Feb 4, 2031, 15:16"],
        title="Add retry budget to the uploader · Pull Request #88 · Hollowforge")
    assert read(store, "Who asked for changes on the retry budget pull request?") == (
        "ruben-achterberg")


def test_a_script_run_by_its_path_is_a_command(store: MemoryStore) -> None:
    """OCR reads a crontab's schedule fields as cells of their own; the command is the
    script run by its path with its options."""
    add_screen(store, "Viewed the crontab in fish", [
        "ines@harrow ~> cat ~/.config/cron/ines.crontab",
        "30", "1", "*", "*", "*",
        "/home/ines/bin/nightly-notes-backup.sh >> /home/ines/backups/cron.log 2>&1",
        "0", "5", "*", "*", "0",
        "/home/ines/bin/attic-mirror.sh --remote b2:ines-attic --bwlimit 4M"], title="fish")
    assert read(store, "What command does cron run to mirror my notes to the attic?") == (
        "/home/ines/bin/attic-mirror.sh --remote b2:ines-attic --bwlimit 4M")


def test_a_request_waitlisted_or_declined_says_no_though_no_state_is_asked(
        store: MemoryStore) -> None:
    """"Am I in …?" names no state, and the card's only state is "Waitlisted":
    the answer is no (the workshop beside it, "Confirmed", is another)."""
    add_screen(store, "Conference workshops at Harrowfest", [
        "My sessions",
        "Wheel throwing for beginners – pottery workshop · Waitlisted - #2 of 6",
        "Glaze chemistry – lab session · Confirmed · Room 12"],
        title="My schedule – Harrowfest")
    assert read(store, "Am I in the pottery workshop at Harrowfest?") == "No"
    assert read(store, "Am I in the glaze chemistry lab session?") == "Yes"


def test_a_command_cut_at_a_line_end_is_completed_by_its_whole_reading(
        store: MemoryStore) -> None:
    """A docs page's code block wraps its long curl line, so the card holds it cut; the
    same command run in a terminal is read whole (OCR read one "O" as "0"): the whole
    one is the answer."""
    add_screen(store, "Parcelo API docs: fetch one parcel", [
        "Example request", "CURL", "Python", "# Fetch one parcel by its id",
        'curl -H "X-Parcelo-Key: $PARCELO_KEY"'], title="Parcels API v1 – Parcelo docs")
    add_screen(store, "Ran the Parcelo docs example in bash", [
        'ines@harrow:~$ curl -H "X-Parcelo-Key: $PARCEL0_KEY" '
        '"https://api.parcelo.example/v1/parcels/77"',
        '{"id": 77, "state": "out_for_delivery"}'], title="bash")
    assert read(store, "What was the example curl command to fetch one parcel in the Parcelo "
                "docs?") == ('curl -H "X-Parcelo-Key: $PARCEL0_KEY" '
                             '"https://api.parcelo.example/v1/parcels/77"')


def test_the_whole_of_a_bill_roughly_is_its_estimated_total(store: MemoryStore) -> None:
    """"What would the whole hire come to, roughly?" names neither "total" nor "estimated";
    a quote's fee lines each hold an amount, its "Estimated Total" answers."""
    add_screen(store, "Van hire quote from Kestrel Vans", [
        "Daily rate $64.00/day", "$320.00",
        "Airport facility charge $5.55/day", "$27.75",
        "State rental tax 6.5%", "$24.59",
        "Estimated Total", "$372.34",
        "Pay at pick-up. A deposit hold of $250.00 will be placed on your card."],
        title="Manage Reservation | Kestrel Vans")
    assert read(store, "How much did Kestrel say the whole van hire would come to, roughly?") == (
        "$372.34")


def test_a_shop_or_a_branch_is_a_place_by_its_name(store: MemoryStore) -> None:
    """A home inventory's row names where a thing was bought by the shop's name ("Harrow
    Hardware"), a library's holds by the branch's ("Elmfield Road Branch"), a French
    library's by its kind first ("Antenne des Tilleuls")."""
    add_screen(store, "Home inventory sheet", [
        "Item | Room | Bought at | Date",
        "Brava 18V cordless sander | garage | Harrow Hardware | 2031-02-03"],
        title="Home inventory – Sheets")
    assert read(store, "Where did I buy the cordless sander?") == "Harrow Hardware"
    add_screen(store, "Library holds at Wrenfield Libraries", [
        "Holds",
        "The Salt Orchard | Elmfield Road Branch | Ready · pick up by 02/09"],
        title="My Account – Holds | Wrenfield Libraries")
    assert read(store, "Which library branch is holding The Salt Orchard for me?") == (
        "Elmfield Road Branch")
    add_screen(store, "Compte lecteur, bibliothèques de Vauclair", [
        "Réservation à retirer : Les Îles du nord · Antenne des Tilleuls · jusqu'au 04/02"],
        title="Mon compte – Bibliothèques de Vauclair")
    assert read(store, "Dans quelle bibliothèque je vais chercher Les Îles du nord ?") == (
        "Antenne des Tilleuls")


def test_a_date_written_with_a_dutch_swedish_portuguese_polish_or_czech_month(
        store: MemoryStore) -> None:
    """"1 januari 2032", "24 de novembro de 2031", "3 grudnia 2031" (Polish writes a day's
    month in the genitive) are dates; the figure before the month is no count."""
    add_screen(store, "Föreningens avisering", [
        "Från 1 januari 2032 höjs månadsavgiften med 4 %",
        "Förbrukning oktober: 512 kWh"], title="Mina sidor – BRF Lärkan")
    assert read(store, "Hur mycket el förbrukade vi i oktober?") == "512 kWh"
    assert read(store, "När höjs månadsavgiften?") == "1 januari 2032"
    add_screen(store, "Fatura da água, Aguaviva", [
        "Fatura FT 2031/118 · Vencimento: 24 de novembro de 2031 · 31,40 €"],
        title="As minhas faturas – Aguaviva")
    assert read(store, "Quando vence a fatura da água da Aguaviva?") == "24 de novembro de 2031"
    add_screen(store, "Wizyta u okulisty", [
        "3 grudnia 2031, godz. 15:16 · Okulista – konsultacja · Gabinet 12"],
        title="Moje wizyty – Przychodnia Lipowa")
    assert read(store, "Kiedy mam wizytę u okulisty?") == "3 grudnia 2031 15:16"


def test_until_when_is_the_date_a_page_calls_the_end(store: MemoryStore) -> None:
    """A banner about renewing holds the question's "parkeren" and two dates of its own;
    the permit's "GELDIG TOT EN MET" (valid up to and with) says until when."""
    add_screen(store, "Bewonersvergunning gemeente Vlietstad", [
        "Uw vergunning verloopt binnenkort. Verleng vóór 15 maart 2031 om zonder "
        "onderbreking te blijven parkeren. Verlengen kan vanaf 1 maart 2031.",
        "Bewonersvergunning Zone C · GV-481-K",
        "GELDIG TOT EN MET 31-03-2031"], title="Mijn vergunningen – Vlietstad")
    assert read(store, "Tot wanneer kan ik nog parkeren met mijn bewonersvergunning?") == (
        "31-03-2031")


def test_an_arrow_leads_from_what_a_thing_was_to_what_it_became(store: MemoryStore) -> None:
    """A bot's "rolled back: svc v2.3.0 → v2.2.9" names the version it left first; asked
    which one it went to, the one the arrow leads to answers. A journey's arrow is no
    change: asked when the coach leaves, its first time answers."""
    add_screen(store, "Ops channel: quarry-api rollback", [
        "relay-bot 09:14 Rollback finished: quarry-api v2.3.0 → v2.2.9 on prod-west"],
        title="#ops-quarry | Chatter")
    assert read(store, "Which quarry-api version did we roll back to?") == "v2.2.9"
    add_screen(store, "Coach ticket to Brannock", [
        "Fenwold Coach Station 05:47 → 09:55 Brannock Quay"], title="My tickets – Skylark Coaches")
    assert read(store, "What time does my coach to Brannock leave?") == "05:47"


def test_a_status_beside_the_thing_asked_settles_a_yes_no(store: MemoryStore) -> None:
    """A booking's extras table says "Not added" in the row of the thing asked, though the
    question names it in other words than the row ("put … on the booking"); a health
    plan's "nicht gebucht" says no in German; a job's "failed", asked whether it
    failed, says yes."""
    add_screen(store, "Booking extras at Quillon Car Hire", [
        "Extras for booking QH-5521",
        "Roof rack | Not added | $0.00",
        "Baby seat | Added | $11.00 / day"], title="Manage booking | Quillon Car Hire")
    assert read(store, "Did I put a roof rack on the Quillon car?") == "No"
    add_screen(store, "Versicherungsübersicht Familie Adler", [
        "Jonas Adler · Grundversicherung · CHF 121.40",
        "Brillenversicherung · Jonas Adler · nicht gebucht"],
        title="Meine Versicherungen – Helvetra")
    assert read(store, "Hat Jonas Adler eine Brillenversicherung?") == "Nein"
    add_screen(store, "Backup jobs on tessel-nas", [
        "photos-offsite | 02:00 | failed | retry at 04:00",
        "docs-offsite | 03:00 | ok"], title="Jobs – tessel-nas")
    assert read(store, "Did the photos-offsite backup on tessel-nas fail?") == "Yes"


def test_a_status_settles_only_the_thing_its_span_names(store: MemoryStore) -> None:
    """A summer school's page (its title naming the workshop) lists the workshop asked
    about without its state, and another card "Confirmed · Seat 9": that card names the
    seat asked about, not the workshop, and settles nothing of it: no answer is given."""
    add_screen(store, "My workshops at Kilnworks summer school", [
        "Ash glazing masterclass · Studio 2",
        "Confirmed · Seat 9 · bring an apron"],
        title="Thursday ash glazing masterclass – My workshops – Kilnworks")
    answer = read(store, "Did I actually get a seat in the Thursday ash glazing masterclass "
                  "at Kilnworks?")
    assert answer == ""


def test_a_contracted_negation_answers_no(store: MemoryStore) -> None:
    """A tracker's comment says the bug "couldn't" be made to happen in the browser asked
    about, and a form "didn’t" (curly apostrophe) save: each contraction is a "no", though
    the word pattern sees no word boundary inside "couldn't"."""
    add_screen(store, "Ticket WEB-880 upload hangs", [
        "Comment by Ilse Varga · 2 days ago",
        "Tester notes: the upload hang happens 3/3 on Edge 128.",
        "We couldn't reproduce the upload hang on Opera 112 at all."],
        title="WEB-880 · Upload hangs at 99% – Tracker")
    assert read(store, "Did we reproduce the upload hang on Opera?") == "No"
    add_screen(store, "Draft log of the Marrowby garden form", [
        "Autosave log",
        "The garden allotment form didn’t save its draft at 18:02"],
        title="Form history – Marrowby Council")
    assert read(store, "Did the garden allotment form save its draft?") == "No"



def test_a_telephone_number_holds_no_quantity() -> None:
    """A heat-pump portal prints its helpline with the area code in brackets and its
    number abroad: neither number's parts are a count of anything; the reading is."""
    line = ("Orrin Heat Pump helpline (415) 55-0134 · abroad +44 20 7946 0321 · "
            "delivered today 21.4 kWh")
    assert [v.text for v in values(line, AnswerType.QUANTITY)] == ["21.4 kWh"]



def test_a_commit_is_named_by_its_hash_and_a_pull_request_by_its_number(
        store: MemoryStore) -> None:
    """A terminal's one-line log names its commits by hash, beside messages that hold
    codes of their own ("QX-12"); a tracker's thread names a pull request "#557" (no word
    boundary before its "#") beside a ticket's key: asked for the hash or the request's
    number, that is the value given, not the code."""
    add_screen(store, "git log in quillmark", [
        "ana@brig:~/quillmark$ git log --oneline -3",
        "9c04e1b Add rebate for zones QX-12",
        "b71a3de Add holiday rebate for stays over 14 nights",
        "ana@brig:~/quillmark$"], title="ana@brig: ~/quillmark")
    assert read(store, "What was the short hash of the quillmark commit that added the "
                "holiday rebate?") == "b71a3de"
    add_screen(store, "Ticket DOC-310 export freezes", [
        "Mara Quint: @Oskar Lind can you take the export freeze fix this sprint? I'll move "
        "DOC-298 out to make room.",
        "Oskar Lind · 2 days ago: fix is up in #557, needs a review"],
        title="DOC-310 Export freezes on large files – Tracker")
    assert read(store, "What's the number of Oskar's pull request that fixes the export "
                "freeze?") == "557"


def test_a_figure_given_to_a_command_s_option_is_not_what_it_found() -> None:
    """"find -size +8M" asks the command for files over 8 MB; "du" printed what the
    folder takes. Only the printed sizes are quantities of the screen."""
    line = ("lena@kiln ~/data> find . -type f -size +8M -mtime +30 ; du -sh archive "
            "41M archive")
    assert [v.text for v in values(line, AnswerType.QUANTITY)] == ["41M"]



def test_a_problem_asked_is_the_error_a_device_reports(store: MemoryStore) -> None:
    """A smart-home panel names the device, then its error: asked what the problem was,
    the error clause answers, not the device's name and number."""
    add_screen(store, "Devices at Larkspur Lane", [
        "Dishwasher 4 (kitchen, left side) — Fault F-21 Drain pump blocked",
        "Dishwasher 4 (kitchen, left side) · last cycle 07:12"],
        title="Devices – Homely panel")
    assert "Drain pump blocked" in read(store, "What was the problem with the kitchen "
                                        "dishwasher?")


def test_a_train_s_car_asked_which_is_its_number(store: MemoryStore) -> None:
    """Asked which car a traveller sits in, the car's number on the ticket answers, in
    German and in Polish (whose "w", "in", is no key word), not the bistro's car nor a
    station on the way."""
    add_screen(store, "Fahrkarte Lindau – Brenzhafen", [
        "Reisende: Lotte Brenner · Klasse 1 · Wagen 12 · Platz 33",
        "Bordbistro in Wagen 7 · über: Kessing, Auental"],
        title="Meine Reisen – Fahrkarte FK-2208")
    assert read(store, "In welchem Wagen sitzt Lotte Brenner?") in ("12", "Wagen 12")
    add_screen(store, "Bilet Zielonka – Morawin", [
        "Pasażer: Iga Sobczak; Klasa: 2; Wagon: 14; Miejsce: 61",
        "Bar w wagonie nr 3 · przez: Olszyn, Brzozów"],
        title="Moje bilety – Zielonka – Morawin")
    assert read(store, "W którym wagonie jedzie Iga Sobczak do Morawina?") == "14"




def test_a_deposit_is_not_what_a_thing_costs(store: MemoryStore) -> None:
    """A physiotherapy portal's appointment card, which names the physio and the heel,
    asks a deposit to hold the slot: asked what the therapy costs, the deposit is no
    answer of the card (the plan's amount, elsewhere, is); asked the deposit, it is."""
    from memory.answer.extractive import _typed_values
    card = ("Shockwave therapy left heel · Thu 14/01/2027 · 09:20 · With Ravi Okafor, "
            "physio · Deposit of £45.00 required to hold this slot.")
    cost = classify("How much did the physio say the shockwave therapy would cost?")
    deposit = classify("How much is the deposit for the shockwave therapy?")
    assert _typed_values(card, cost, None, set()) == []
    assert [v.text for v in _typed_values(card, deposit, None, set())] == ["£45.00"]
    add_screen(store, "Appointments at Fernbrook Physio", [
        card, "Plan · Shockwave sessions · 3 · £270.00"],
        title="My appointments – Fernbrook Physio")
    assert read(store, "How much did the physio say the shockwave therapy on my heel "
                "would cost?") == "£270.00"


def test_a_deadline_said_at_the_latest_answers_until_when(store: MemoryStore) -> None:
    """A Dutch council's letter names the tax assessment and its year in its heading, and
    says in one sentence that an objection must arrive "uiterlijk" (at the latest) on a
    day: asked until when one can object, that day answers, not the heading's year
    ("tegen", "against", of the question is no key word)."""
    add_screen(store, "Aanslag waterschapsbelasting Veldhoven-Oost", [
        "Aanslag gemeentelijke heffingen 2027: het bedrag wordt in 8 termijnen geïnd.",
        "Een bezwaar moet uiterlijk 17 mei 2027 bij ons binnen zijn."],
        title="Mijn aanslagen – Gemeente Veldhoven-Oost")
    assert read(store, "Tot wanneer kan ik bezwaar maken tegen de aanslag van de "
                "gemeente?") == "17 mei 2027"


def test_a_status_ending_the_field_before_the_thing_is_that_field_s(store: MemoryStore) -> None:
    """A vehicle summary writes its fields on one line: "None outstanding" is the
    inspection fee's status, not the parking permit's after it, whose own status answers.
    A Portuguese "não" whose tilde OCR read as a macron ("Nāo") still says no."""
    add_screen(store, "Vehicle summary for the Tamsworth hatchback", [
        "Inspection fee: None outstanding; Parking permit: Not required; Tyres: OK"],
        title="Vehicle summary – Tamsworth hatchback")
    assert read(store, "Do I need a parking permit for the Tamsworth hatchback?") == "No"
    add_screen(store, "Pedido da Loja Cambará", [
        "Estante Ipoméia 1,20 m · Instalação: Nāo incluída · Contratar por R$ 89"],
        title="Meus pedidos - Loja Cambará")
    assert read(store, "A instalação da estante Ipoméia tá incluída no meu pedido?") == "Não"


def test_a_desk_numbered_with_its_floor_first(store: MemoryStore) -> None:
    """A coworking booking numbers its desks floor first ("Desk 2.08"): the desk (asked
    which, a place) is the whole number, not its floor."""
    add_screen(store, "Quillworks coworking booking", [
        "Thursday 4 June · Hot desk · Confirmed",
        "Desk 2.08 · Floor 2 · Window side"], title="My bookings – Quillworks")
    assert read(store, "Which desk do I have at Quillworks on Thursday?") == "Desk 2.08"


def test_a_unit_in_accented_letters_and_how_many_in_the_plural(store: MemoryStore) -> None:
    """"12 días" keeps its unit ("días" is no "d"), and "cuántos", "quiero" are no words
    of what is asked."""
    assert "12 días" in [v.text for v in values("Avisa con 12 días de antelación",
                                                 AnswerType.QUANTITY, None)]
    words = classify("Si quiero cambiar de tarifa, ¿con cuántos días aviso?").words
    assert "cuántos" not in words and "quiero" not in words
    add_screen(store, "Piscina Ondarreta · mi abono", [
        "Piscina Ondarreta · Abono trimestral · 96,00 €",
        "Cambiar de tarifa: se avisa con 12 días de antelación en recepción"],
        title="Mi abono – Piscina Ondarreta")
    assert read(store, "Si quiero cambiar de tarifa en la piscina, ¿con cuántos días "
                "tengo que avisar?") == "12 días"


def test_a_date_after_then_and_a_year_alone_yield_to_the_next_date(
        store: MemoryStore) -> None:
    """A calendar row's "then: …" date is the one after the next; "in 2029" alone is no
    day the collection comes."""
    add_screen(store, "Ophaalkalender Veldhoven-Noord", [
        "Snoeiafval gratis (3 van 6 in 2029)",
        "Snoeiafval | daarna: dinsdag 24 juli 2029 | dinsdag 10 juli 2029"],
        title="Ophaalkalender – Gemeente Veldhoven-Noord")
    assert read(store, "Wanneer halen ze het snoeiafval weer op?") == "10 juli 2029"


def test_a_cards_last_digits_are_no_count(store: MemoryStore) -> None:
    """"Mastercard final 7720" ends a card's number; the instalments are "6x"."""
    found = [v.text for v in values("Mastercard final 7720 6x de R$ 81,40",
                                    AnswerType.QUANTITY, None)]
    assert "6x" in found and "7720" not in found
    add_screen(store, "Pedido 88-1204 Casa Jatobá", [
        "Compra parcelada: Mastercard final 7720 6x de R$ 81,40 sem juros"],
        title="Meus pedidos – Casa Jatobá")
    assert read(store, "Em quantas vezes parcelei a compra na Casa Jatobá?") == "6x"


def test_a_rule_of_what_must_be_says_nothing_of_what_is(store: MemoryStore) -> None:
    """"Lessons require the membership to be active" asked whether the membership is
    active: no answer, rather than a "Yes" the screen never said."""
    add_screen(store, "Rowing club membership", [
        "Evening lessons require the rowing membership to be active before booking."],
        title="Members – Tarnside Rowing Club")
    answer = extract("Is my rowing membership active?",
                     load_sources(store, store.list(limit=5)))
    assert answer.abstained


def test_small_print_run_together_by_ocr_yields_to_a_clear_line(store: MemoryStore) -> None:
    """OCR ran the footer's small print together ("KestrelHomeInsuranceLtd…"): its fee is
    less sure than the clear line stating the premium."""
    add_screen(store, "Kestrel Home renewal", [
        "Kestrel Home renewal premium: KestrelHomeInsuranceLtdisregulatedbytheBank."
        "CancellationFeeApplies €40 RegisteredOfficeNo.55120 KestrelHomeRenewalsTeam",
        "Kestrel renewal premium for 2030: €512.60"],
        title="Your renewal – Kestrel Home")
    assert read(store, "How much is the Kestrel Home renewal premium?") == "€512.60"
    # a stack trace's long names are code, not small print run together
    from memory.answer.extractive import _garbled
    assert not _garbled("at org.acme.billing.QuoteService.price(QuoteService.java:41)")


def test_a_reading_labelled_previous_is_not_the_one_asked(store: MemoryStore) -> None:
    """A meter page's "previous reading" stands beside the latest; asked what the meter
    showed, the previous one is no answer."""
    add_screen(store, "Water meter reading sent", [
        "Water meter · previous reading 3187 m³",
        "Meter reading 14/02: 3302 m³"], title="Meter readings – Brookfall Water")
    assert read(store, "How many cubic metres did the water meter reading show?") == "3302 m³"


def test_a_listed_files_time_is_not_when_its_job_runs(store: MemoryStore) -> None:
    """"ls -l" writes when a file last changed ("2031-04-02 16:41 etc/…timer"): asked when
    the job runs, the time the comment gives answers."""
    add_screen(store, "Checked the photo sync timer", [
        "kim@box:~$ ls -l --time-style=long-iso etc/",
        "-rw-r--r-- 1 kim kim 212 2031-04-02 16:41 etc/photo-sync-nas.timer",
        "kim@box:~$ grep -h photo etc/*.conf",
        "# photo sync, nightly at 04:25"], title="kim@box: ~")
    assert read(store, "What time does the photo sync to the NAS run?") == "04:25"


def test_questions_asked_later_in_the_sentence_are_classified() -> None:
    """What is asked is not always in the first words: "which of us", "chez qui" after a
    topic, "est-ce que" after a comma, "what did I type", a fee that "added up to", a
    cut-off, "de qual portão"."""
    assert classify("Which of us booked the ferry tickets?").type is AnswerType.PERSON
    assert classify("La facture du gaz, elle est au nom de qui ?").type is AnswerType.PERSON
    assert classify("Le virement de juin, il part chez qui déjà ?").type is AnswerType.PERSON
    assert classify("Au club, est-ce que la cotisation se renouvelle toute seule ?"
                    ).type is AnswerType.YESNO
    assert classify("Qu'est-ce que le club a changé ?").type is not AnswerType.YESNO
    assert classify("What did I type to list the old log files?").type is AnswerType.COMMAND
    assert classify("What did the cleaning fee come to for the cabin?").type is AnswerType.MONEY
    assert classify("What's the cut-off for ordering the team jerseys?").type is AnswerType.DATE
    assert classify("De qual portão sai o voo para Recife?").type is AnswerType.PLACE


def test_a_field_labelled_with_the_asked_word_itself_answers(store: MemoryStore) -> None:
    """A row's "payee" starts like "pay" but "paid_by" is the word asked: who paid is the
    one in that field, not the shop that was paid."""
    add_screen(store, "Shared expenses", [
        "spent_on: 2031-02-11 | payee: Larkspur Cycles | note: kids bike | cost: 214.00 | "
        "paid_by: Oskar"], title="expenses.db")
    assert read(store, "Which of us paid for the kids bike?") == "Oskar"


def test_a_cell_of_one_everyday_foreign_word_is_no_person(store: MemoryStore) -> None:
    """On a French bank page "Synthèse: Paramètres" is a menu, not the payee: a one-word
    cell that is a word of the question's language names no one."""
    add_screen(store, "Virement programmé", [
        "Synthèse: Paramètres | Virement programmé: Loyer juin appt 4",
        "Bénéficiaire: Gaëlle Marchetti-Roux | Motif: Loyer juin appt 4"],
        title="Ma banque – Virements")
    assert read(store, "Le loyer de juin, il part chez qui déjà ?") == "Gaëlle Marchetti-Roux"


def test_a_sentence_wrapped_inside_a_place_name_is_read_whole(store: MemoryStore) -> None:
    """A chat message wraps after "in Room" and the room's name opens the next line: the
    place is the room with its name, and "Room" alone answers nothing."""
    add_screen(store, "Team thread", [
        "Dry run of the launch demo with the Quarry folks: Friday 4 Dec at 11:20 AM in Room",
        "Heron (3rd floor, past the lifts). Dial-in link in the invite.",
        "Nadia Petrov 9:02 AM"],
        title="#launch – Chat", boxes=[(400, 300, 1200, 322), (401, 324, 1100, 346),
                                        (400, 360, 560, 380)])
    assert read(store, "Where is the launch demo dry run with the Quarry folks?") == (
        "Room Heron")


def test_collecting_a_hold_is_what_a_library_calls_its_pickup(store: MemoryStore) -> None:
    """Asked where to collect a reserved book, the library's "PICKUP" field answers: to
    collect is what a notice calls picking up."""
    add_screen(store, "Library account", [
        "TITLE: The Salt Orchard | STATUS: Ready for pickup | PICKUP: Willowmere Branch | "
        "PICK UP BY: Mar 9, 2031"], title="My account – Fenbrook Libraries")
    assert read(store, "Where do I collect The Salt Orchard that I reserved?") == (
        "Willowmere Branch")
