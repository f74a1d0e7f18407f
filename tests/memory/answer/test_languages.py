"""Questions and screens in other languages than English, on hand-made text: the question
is classified in its own language and the value is found as the screen writes it."""

from __future__ import annotations

import pytest

from memory.answer.dates import find_dates
from memory.answer.question import AnswerType, classify
from memory.answer.values import values
from memory.chat import ChatService
from memory.errors import ModelMissing
from memory.retrieval import HybridRetriever
from memory.schema import now_iso
from memory.store import MemoryStore


@pytest.mark.parametrize(("question", "kind"), [
    ("Wann beginnt der Umzug nach Leipzig?", AnswerType.DATE),
    ("Um wie viel Uhr landet der Flug?", AnswerType.TIME),
    ("Wie hoch ist die Miete für die Werkstatt?", AnswerType.MONEY),
    ("Wie lautet die Kundennummer beim Wasserwerk?", AnswerType.IDENTIFIER),
    ("Wer leitet das Projekt Kranich?", AnswerType.PERSON),
    ("¿Cuándo empieza el curso de cerámica?", AnswerType.DATE),
    ("¿A qué hora abre la piscina?", AnswerType.TIME),
    # the day and its time asked together: a date, stated with its time
    ("¿Qué día y a qué hora es la revisión del coche?", AnswerType.DATE),
    ("歯医者の予約は何日の何時ですか？", AnswerType.DATE),
    ("¿Cuánto cuesta la matrícula?", AnswerType.MONEY),
    ("¿Dónde está la oficina de correos?", AnswerType.PLACE),
    ("Quand commence le stage de voile ?", AnswerType.DATE),
    ("À quelle heure part le bus ?", AnswerType.TIME),
    ("Combien coûte la location du vélo ?", AnswerType.MONEY),
    ("Combien rembourse la mutuelle pour les lunettes ?", AnswerType.MONEY),
    ("Wie viel zahlt die Kasse für die Brille?", AnswerType.MONEY),
    ("Wie viele Gäste kommen zur Feier?", AnswerType.QUANTITY),
    ("Quel est le numéro de dossier ?", AnswerType.IDENTIFIER),
    ("会議はいつですか?", AnswerType.DATE),
    ("会員番号は何ですか?", AnswerType.IDENTIFIER),
    ("考试什么时候开始?", AnswerType.DATE),
    ("In welchem Saal läuft die Eröffnung?", AnswerType.PLACE),
    ("Dans quelle salle a lieu l'atelier ?", AnswerType.PLACE),
    ("¿En qué sala es la charla?", AnswerType.PLACE),
    ("Qual è il ticket del blocco al checkout?", AnswerType.IDENTIFIER),
    ("Chi lavora sul ticket del checkout?", AnswerType.PERSON),
    # German "Was hat …" asks what, not whether; a how-much with a verb of paying is money
    ("Was hat der Umzug nach Bautzen gekostet?", AnswerType.MONEY),
    ("¿Cuánto me toca pagar este mes por la luz?", AnswerType.MONEY),
    ("Combien dois-je payer pour la garderie ?", AnswerType.MONEY),
    ("Was ist die Adresse der Tischlerei?", AnswerType.PLACE),
    ("Where am I in line for the hold on Winter Orchards?", AnswerType.QUANTITY),
    ("How full is the backup disk?", AnswerType.QUANTITY),
    # the first word decides over a type word named later: a cause, a person, a time
    ("What was the cause of the reminder mails listing a due day early?",
     AnswerType.DESCRIPTION),
    ("Why was the deploy on May 3 rolled back?", AnswerType.DESCRIPTION),
    ("Who bumped the plugin to version 2.0.1?", AnswerType.PERSON),
    ("Which dentist is my cleaning with next month?", AnswerType.PERSON),
    # (a person's number or code is no person)
    ("Which contact number should I call for the clinic?", AnswerType.IDENTIFIER),
    ("Which agent ID handled my claim?", AnswerType.IDENTIFIER),
    ("Tell me the latest check-out time at the lodge.", AnswerType.TIME),
    # the question word later in the sentence, and "what is … called"
    ("C'est quand, la réunion des parents ?", AnswerType.DATE),
    ("Tu te souviens quand est-ce que le plombier passe ?", AnswerType.DATE),
    ("Weißt du noch, wann die Heizung gewartet wird?", AnswerType.DATE),
    ("Comment s'appelle le kiné du cabinet de la gare ?", AnswerType.PERSON),
    ("¿Cómo se llama la profesora de piano?", AnswerType.PERSON),
    ("Wie heißt der Hausarzt in der Lindenstraße?", AnswerType.PERSON),
    ("Hoe heet de huisarts in Zwolle?", AnswerType.PERSON),
    # Dutch, Swedish, Danish, Norwegian and Polish question words
    ("Op welke dag komt de loodgieter?", AnswerType.DATE),
    ("Wanneer sluit de inschrijving?", AnswerType.DATE),
    ("Hoe laat begint de repetitie?", AnswerType.TIME),
    ("Hoeveel kost de cursus keramiek?", AnswerType.MONEY),
    ("Met wie heb ik de afspraak bij de notaris?", AnswerType.PERSON),
    ("Waar is de vergadering van de vereniging?", AnswerType.PLACE),
    ("När börjar simkursen?", AnswerType.DATE),
    ("Hur dags går bussen till Gävle?", AnswerType.TIME),
    ("Vad kostar hyran för förrådet?", AnswerType.MONEY),
    ("Hur många platser finns kvar?", AnswerType.QUANTITY),
    ("Vem är min kontaktperson på banken?", AnswerType.PERSON),
    ("Hvornår kommer håndværkeren?", AnswerType.DATE),
    ("Hvor mange billetter har jeg købt?", AnswerType.QUANTITY),
    ("Kiedy odbiorę paszport?", AnswerType.DATE),
    ("O której godzinie zaczyna się zebranie?", AnswerType.TIME),
    ("Ile kosztuje karnet na basen?", AnswerType.MONEY),
    ("Z kim mam spotkanie w piątek?", AnswerType.PERSON),
    ("Gdzie jest punkt odbioru?", AnswerType.PLACE),
    # a verb first asks whether, in these languages and in German
    ("Ist im Preis eine Garage dabei?", AnswerType.YESNO),
    ("Heeft het appartement een lift?", AnswerType.YESNO),
    ("Finns det parkering vid hotellet?", AnswerType.YESNO),
    ("Czy śniadanie jest wliczone?", AnswerType.YESNO),
    # Swedish "Kommer …", a Swedish question told by "att", "oss", "inte"
    ("Kommer hantverkaren att ringa oss innan?", AnswerType.YESNO),
    ("Ingår parkering i priset?", AnswerType.YESNO),
    # Italian "In che giorno", a how-much with "versare" (to pay in), singular "quanto"
    ("In che giorno passa il tecnico della caldaia?", AnswerType.DATE),
    ("Quanto dobbiamo versare per il fondo cassa?", AnswerType.MONEY),
    ("Quanto pesava il pacco spedito a Bari?", AnswerType.QUANTITY),
    # Portuguese "referência" (with its circumflex) is a code
    ("Qual é a referência da encomenda da estante?", AnswerType.IDENTIFIER),
    # which doctor, vet or teacher asks a person, in the question's language
    ("Welke tandarts heeft de kroon geplaatst?", AnswerType.PERSON),
    ("Welcher Tierarzt hat den Hund geimpft?", AnswerType.PERSON),
    ("Quel médecin a signé l'ordonnance ?", AnswerType.PERSON),
    ("Który lekarz wystawił skierowanie?", AnswerType.PERSON),
    # a mark or a score is a figure; the least one must pay is an amount
    ("What mark did I get for the pottery assignment?", AnswerType.QUANTITY),
    ("What's the least we need to pay on the store card this month?", AnswerType.MONEY),
    # German "Wie war …" asks how (Dutch "wie" is who), a compound code is a code
    ("Wie war noch der Zugangscode für das Fahrradhaus?", AnswerType.IDENTIFIER),
    ("Wie heißt die Tierärztin in der Bergstraße?", AnswerType.PERSON),
    ("Wie heeft de meterstand opgenomen?", AnswerType.PERSON),
    # a platform, a branch, a library asked by "which"
    ("Von welchem Bahnsteig fährt der Bus nach Gmünd?", AnswerType.PLACE),
    ("De quel quai part le train pour Namur ?", AnswerType.PLACE),
    ("¿De qué andén sale el tren a Cuenca?", AnswerType.PLACE),
    ("Which platform does the Hollins train leave from?", AnswerType.PLACE),
    # "until when" in French, Polish "na którą godzinę"
    ("Jusqu'à quand est-ce que je peux rendre la perceuse ?", AnswerType.DATE),
    ("Na którą godzinę mam wizytę u okulisty?", AnswerType.TIME),
    # a how-much of a fine or a rent, or with a pronoun and a verb, is an amount
    ("C'était combien, le loyer du box ?", AnswerType.MONEY),
    ("¿Cuánto le di a Marcos por la bici?", AnswerType.MONEY),
    ("¿Cuánto me falta para terminar el curso?", AnswerType.QUANTITY),
    ("How much money was left on the canteen card?", AnswerType.MONEY),
    ("How much would the agency keep if I withdrew?", AnswerType.MONEY),
    ("Which stash entry has my half-done parser work?", AnswerType.ITEM),
    # a sum of money named after "how much"; settling a bill; Czech "stát", to cost
    ("How much rent did the studio ask for in June?", AnswerType.MONEY),
    ("Combien je dois encore régler au garage ?", AnswerType.MONEY),
    ("Wie viel muss ich beim Zahnarzt noch begleichen?", AnswerType.MONEY),
    ("Kolik bude oprava kola stát?", AnswerType.MONEY),
    # a numbered spot one is given, as a seat is
    ("Which locker did the pool give me?", AnswerType.IDENTIFIER),
    # a where-word later in the question
    ("Le vernissage, c'est où déjà ?", AnswerType.PLACE),
    ("¿Y la cena de equipo al final dónde era?", AnswerType.PLACE),
    # no question word at all: it asks whether
    ("A fatura do condomínio já foi paga?", AnswerType.YESNO),
    ("Le colis de la librairie est arrivé ?", AnswerType.YESNO),
    ("La revisión de la caldera está incluida?", AnswerType.YESNO),
])
def test_a_question_is_classified_in_its_own_language(question: str, kind: AnswerType) -> None:
    assert classify(question).type is kind


def test_function_words_of_a_foreign_question_are_not_its_key_words() -> None:
    assert classify("Wann ist die Abnahme der Küche?").words == ("abnahme", "küche")
    # nor what a question says in passing, nor the verb of "what is … called"
    assert classify("C'est quand déjà le vide-grenier ?").words == ("vide", "grenier")
    assert classify("Comment s'appelle le kiné ?").words == ("kiné",)
    # nor a German modal verb, as no other language's is
    assert classify("Wann muss ich den Kühlschrank abtauen?").words == ("kühlschrank", "abtauen")


@pytest.mark.parametrize(("text", "month", "day", "year", "written"), [
    ("Termin am 4. März 2027 um 10 Uhr", 3, 4, 2027, "4. März 2027"),
    ("llega el jueves 9 de octubre", 10, 9, None, "9 de octubre"),
    ("rendez-vous le 1er août 2026", 8, 1, 2026, "1er août 2026"),
    ("発送日 2027年3月15日", 3, 15, 2027, "2027年3月15日"),
    ("考试在5月2日举行", 5, 2, None, "5月2日"),
    ("Fri 23 · 14:00 Team sync", None, 23, None, "Fri 23"),
    ("o lançamento fica para sexta, 14/8, às 10h", 8, 14, None, "sexta, 14/8"),
    ("Abgabe: Mi., 2.9. bis 12 Uhr", 9, 2, None, "Mi., 2.9"),
    ("Standup moved to Thu 8/27", 8, 27, None, "Thu 8/27"),
    # a card's code before its due date is no day: "KB-14", "#12"
    ("KB-14 Sep 8 · Lina Holm", 9, 8, None, "Sep 8"),
    ("#12 Sep 3 fix the gate latch", 9, 3, None, "Sep 3"),
])
def test_foreign_and_calendar_dates_are_found_and_stated_as_written(
    text: str, month: int | None, day: int, year: int | None, written: str
) -> None:
    [found] = find_dates(text)
    assert (found.value.month, found.value.day, found.value.year) == (month, day, year)
    assert [v.text for v in values(text, AnswerType.DATE)] == [written]


def test_a_capitalised_word_before_a_number_is_not_a_weekday_date() -> None:
    assert find_dates("Do 2 things first") == []
    assert find_dates("so 3.5 stars, I do 3/4 of it") == []


def test_an_amount_with_the_currency_sign_after_it() -> None:
    assert [v.text for v in values("Monatsbeitrag 37,50 € ab Mai", AnswerType.MONEY)] == [
        "37,50 €"]
    assert [v.text for v in values("Total 1.204,00€", AnswerType.MONEY)] == ["1.204,00€"]


def no_model():
    raise ModelMissing("no model in these tests: typed questions need none")


def test_a_german_question_on_a_german_screen(store: MemoryStore) -> None:
    store.add("episodic", {"summary": "Vertrag der Musikschule Lindenhof: Monatsbeitrag "
                                      "37,50 € ab dem 1. Mai 2027", "occurred_at": now_iso()})
    chat = ChatService(store, HybridRetriever(store), no_model, save_as_memory=False)
    assert chat.ask("Wie hoch ist der Monatsbeitrag der Musikschule?").short_answer == "37,50 €"
    assert chat.ask("Wann beginnt der Vertrag der Musikschule?").short_answer == "1. Mai 2027"


def test_a_japanese_compound_meets_its_parts_and_its_type_word_is_no_key(
        store: MemoryStore) -> None:
    """"送料金額" (shipping + amount) is no one word to find: the screen writes "送料" and the
    yen figure; "金額" names the type asked, like "amount"."""
    store.add("semantic", {"name": "ご注文", "summary": "送料（税込・全国一律）: ¥880; "
                           "お届け予定: 翌日"})
    store.add("semantic", {"name": "ご予約", "summary": "ご予約の人数: 3名; 席: カウンター"})
    chat = ChatService(store, HybridRetriever(store), no_model, save_as_memory=False)
    assert chat.ask("送料金額はいくらですか？").short_answer == "¥880"


def test_by_when_asks_the_deadline_a_bill_labels_due(store: MemoryStore) -> None:
    """"Entro quando va pagata …" names no label: the bill's "Scadenza" (its due date)
    answers, not the year in the bill's heading."""
    from tests.memory.answer.test_extractive import add_screen

    add_screen(store, "Bolletta gas di Ravasio Energia", [
        "Bolletta Gas – luglio/agosto 2031", "Importo: 64,20 €", "Scadenza: 20/09/2031"],
        title="Bolletta Gas – luglio/agosto 2031 - Ravasio Energia")
    chat = ChatService(store, HybridRetriever(store), no_model, save_as_memory=False)
    assert chat.ask("Entro quando va pagata la bolletta del gas?").short_answer == "20/09/2031"


def test_a_seat_in_french_and_a_delivery_asked_as_an_arrival(store: MemoryStore) -> None:
    """"Quelle place ai-je …": the seat a ticket labels "PLACE" (its pronoun and verb are no
    key words); "¿Cuándo llega …" asks when it arrives, which a shop calls its delivery."""
    from tests.memory.answer.test_extractive import add_screen

    add_screen(store, "E-billet Valmont Rail: place réservée pour le trajet retour", [
        "Trajet retour · dimanche 7 mars 2032", "VOITURE: 8; PLACE: 63"],
        title="Mon e-billet - Valmont Rail")
    add_screen(store, "Pedido de Papelería Ortigosa", [
        "Pedido PO-7731 del 2 de marzo de 2032",
        "Mensajería Rápida, entrega prevista el jueves 11 de marzo"],
        title="Tu pedido - Papelería Ortigosa")
    chat = ChatService(store, HybridRetriever(store), no_model, save_as_memory=False)
    assert classify("Quelle place ai-je au retour ?").words == ("place", "retour")
    assert chat.ask("Quelle place ai-je au retour ?").short_answer == "63"
    assert chat.ask("¿Cuándo llega el pedido de Papelería Ortigosa?").short_answer == (
        "11 de marzo")


@pytest.mark.parametrize(("text", "kind", "found"), [
    ("created 2031-04-17T08:15:00Z by the nightly job", AnswerType.DATE, "2031-04-17"),
    ("Statement date 2031/04/17", AnswerType.DATE, "2031/04/17"),
    ("Expires 17-Apr-2031", AnswerType.DATE, "17-Apr-2031"),
    ("Please pay by 04/17/2031", AnswerType.DATE, "04/17/2031"),
    ("Saldo: CHF 2'480.50", AnswerType.MONEY, "CHF 2'480.50"),
    ("Att betala SEK 1 349", AnswerType.MONEY, "SEK 1 349"),
    ("Razem do zapłaty 129,90 zł", AnswerType.MONEY, "129,90 zł"),
    ("Totalt 749 kr inkl. moms", AnswerType.MONEY, "749 kr"),
    # a day written with a space after each dot; hours written with an "h" and no minutes
    ("Termín prohlídky: pátek 9. 10. 2031 v 7:55", AnswerType.DATE, "9. 10. 2031"),
    ("Retrait en magasin à 17h, comptoir 2", AnswerType.TIME, "17h"),
    ("Janela de entrega: entre 9h e 12h", AnswerType.TIME, "9h e 12h"),
    ("Permanence 14h–16h le mercredi", AnswerType.TIME, "14h–16h"),
    # a window said "between … and …"
    ("Engineer visit between 10:20 and 12:50", AnswerType.TIME, "10:20 and 12:50"),
    # a count of times written with an "x", not a screen's size
    ("Pagamento em 6x sem juros · tela 1366x768", AnswerType.QUANTITY, "6x"),
    # a rate is no amount
    ("VAT rate for services (7.70%)", AnswerType.MONEY, None),
    # a lone hour with an "h" is as often a duration: no clock time
    ("Battery: 7h left · Work logged 3h 10m", AnswerType.TIME, None),
])
def test_dates_and_amounts_as_forms_and_banks_write_them(text: str, kind: AnswerType,
                                                           found: str | None) -> None:
    """A timestamp's day, year-first dates with slashes, a day-month-year with hyphens, a
    date written month first; an amount whose currency code comes first, thousands set
    apart by an apostrophe or a space, Nordic and Polish currencies after the figure."""
    assert [v.text for v in values(text, kind)] == ([found] if found else [])


def test_a_compound_naming_the_code_is_its_field(store: MemoryStore) -> None:
    """"Wie lautet die Bestellnummer …": the value labelled "Bestellnummer", not the
    card name "Ruhrcard25" (the question's own name in it) nor a figure OCR joined to a word
    ("1Erwachsener") or a word joined to a date ("am04.03.2031")."""
    from tests.memory.answer.test_extractive import add_screen

    add_screen(store, "Meine Buchung bei Ruhrtakt", [
        "Gebucht am04.03.2031 um18:02Uhr·1Erwachsener(Ruhrcard25,2.Klasse)·Ihre Buchung bei "
        "Ruhrtakt ist bestätigt.", "Bestellnummer: RT-5QX82M"], title="Meine Reisen - Ruhrtakt")
    chat = ChatService(store, HybridRetriever(store), no_model, save_as_memory=False)
    answer = chat.ask("Wie lautet die Bestellnummer meiner Bahnreise bei Ruhrtakt?")
    assert answer.short_answer == "RT-5QX82M"


def test_a_chat_names_a_place_after_au_and_a_speaker_joined_to_their_time(
        store: MemoryStore) -> None:
    """A French team chat: the place is the name after "au" (with the "des" inside it), and
    the one who brings the cooler is the name OCR joined to the message's time."""
    from tests.memory.answer.test_extractive import add_screen

    add_screen(store, "Canal sortie-equipe : la sortie de printemps", [
        "Noé Lambert08:17", "Changement : la sortie passe au samedi, on part au Manoir des "
        "Quatre Vents", "Iris Fontaine08:40", "Je m'en charge, j'apporte la glacière"],
        title="#sortie-equipe - Causette")
    chat = ChatService(store, HybridRetriever(store), no_model, save_as_memory=False)
    assert chat.ask("Où se passe la sortie de printemps ?").short_answer == (
        "Manoir des Quatre Vents")
    assert chat.ask("Qui apporte la glacière à la sortie ?").short_answer == "Iris Fontaine"


def test_a_departure_asked_is_the_line_saying_it_leaves_not_the_journey_back(
        store: MemoryStore) -> None:
    """A ticket's outbound and return: asked when the train "pour Narbonne" leaves, the
    outbound's "Départ" answers, not its "Arrivée" at Narbonne nor the return's departure
    from Narbonne."""
    from tests.memory.answer.test_extractive import add_screen

    add_screen(store, "E-billet Ligne Soleil : aller-retour Perpignan Narbonne", [
        "Aller · samedi 5 avril 2031", "09h12 · Perpignan · Départ",
        "10h01 · Narbonne · Arrivée", "Retour · dimanche 6 avril 2031",
        "17h25 · Narbonne · Départ", "18h19 · Perpignan · Arrivée"],
        title="Mon e-billet - Ligne Soleil")
    chat = ChatService(store, HybridRetriever(store), no_model, save_as_memory=False)
    assert chat.ask("À quelle heure part mon train pour Narbonne le 5 avril ?").short_answer == (
        "09h12")


def test_a_dutch_screen_asked_in_dutch(store: MemoryStore) -> None:
    """Dutch asks its day, its hour and its person in its own words ("Op welke dag",
    "Hoe laat", "Met wie"); before, each was a description answered with a clause."""
    from tests.memory.answer.test_extractive import add_screen

    add_screen(store, "Excursie Zwolle: programma voor de teamdag", [
        "Teamdag Zwolle – programma dinsdag 17-03-2032",
        "Tijd: 08:05; Wat: Vertrek intercity naar Zwolle; Waar: Leiden Centraal, spoor 4",
        "Tijd: 11:15; Wat: Rondleiding met Joost Verhaegen (conservator); Waar: Museumplein 3"],
        title="Teamdag Zwolle - Postvak IN")
    chat = ChatService(store, HybridRetriever(store), no_model, save_as_memory=False)
    assert chat.ask("Op welke dag is de teamdag in Zwolle?").short_answer == "17-03-2032"
    assert chat.ask("Hoe laat vertrekt de intercity naar Zwolle?").short_answer == "08:05"
    assert chat.ask("Met wie doen we de rondleiding in Zwolle?").short_answer == (
        "Joost Verhaegen")


def test_a_foreign_yes_no_reads_its_own_language_s_no(store: MemoryStore) -> None:
    """"Czy …" asks whether; the screen's "nie" says no ("Ist …" and "inte" alike), and the
    answer says it in the question's language."""
    from tests.memory.answer.test_extractive import add_screen

    add_screen(store, "Rezerwacja pensjonatu Pod Lipami", [
        "Pensjonat Pod Lipami · 2 noce · śniadanie nie jest wliczone w cenę",
        "Parking: bezpłatny"], title="Moja rezerwacja - Pod Lipami")
    chat = ChatService(store, HybridRetriever(store), no_model, save_as_memory=False)
    answer = chat.ask("Czy śniadanie w pensjonacie Pod Lipami jest wliczone?")
    assert answer.short_answer == "Nie"


def test_opening_hours_hold_no_code_and_dates_may_be_hyphened() -> None:
    """"Sábado: 05:35-10:50" holds no code "35-10"; "17-03-2032" is a day, not a year."""
    from memory.answer.values import values as found_values

    assert [v.text for v in found_values("Sábado: 05:35-10:50 · Linha 800 311 902",
                                         AnswerType.IDENTIFIER, None)] == ["800 311 902"]
    (date,) = find_dates("dinsdag 17-03-2032", None)
    assert (date.value.year, date.value.month, date.value.day) == (2032, 3, 17)


def test_square_metres_asked_are_the_listing_s_living_area(store: MemoryStore) -> None:
    """"… in Quadratmetern" is measured in m² (its "²" is part of the unit), which a
    listing labels "Wohnfläche", not the flat's floor or its house number."""
    from tests.memory.answer.test_extractive import add_screen

    add_screen(store, "Wohnung Amselgasse 12, Kassel", [
        "Amselgasse 12, 34117 Kassel · 2. OG", "Zimmer: 2", "Wohnfläche: 61,50 m²",
        "Kaltmiete: 640 €"], title="Wohnung Amselgasse - Wohnportal")
    chat = ChatService(store, HybridRetriever(store), no_model, save_as_memory=False)
    answer = chat.ask("Wie groß ist die Wohnung in der Amselgasse in Quadratmetern?")
    assert answer.short_answer == "61,50 m²"


def test_a_span_of_weekdays_with_its_hours_is_no_date() -> None:
    """"Mon-Fri 8 AM-9 PM" are opening hours, no "Fri 8"; a calendar's "Thu 23" is a day."""
    assert find_dates("Questions? Call 1-800-555-0143, Mon-Fri 8 AM-9 PM ET.", None) == []
    assert find_dates("Hotline Mo – Fr 8-17 Uhr", None) == []
    (day,) = find_dates("Thu 23 · Team offsite", None)
    assert day.value.day == 23
    # a day and a month after a weekday, in every language the weekdays are named in
    for text in ("zaterdag 14/3", "lördag 14/3", "sobota 14/3", "sábado, 14/3"):
        (date,) = find_dates(text, None)
        assert (date.value.month, date.value.day) == (3, 14), text


@pytest.mark.parametrize(("question", "kind"), [
    # whose name: a person
    ("I vems namn är färjeresan till Gotland bokad?", AnswerType.PERSON),
    ("Auf wessen Namen läuft der Mietvertrag?", AnswerType.PERSON),
    ("Op wiens naam staat het energiecontract?", AnswerType.PERSON),
    ("¿A nombre de quién está la reserva del hotel?", AnswerType.PERSON),
    # a sum or a deposit asked how much: money
    ("C'est combien déjà la somme bloquée sur ma carte à la location ?", AnswerType.MONEY),
    ("Wie viel Kaution muss ich für die Wohnung hinterlegen?", AnswerType.MONEY),
    # "au cas où" is "in case", no "where"; "est-ce qu'on" asks whether
    ("Est-ce qu'on a pris l'assurance au cas où on casse les skis ?", AnswerType.YESNO),
])
def test_whose_a_sum_and_in_case_are_read_in_their_language(question: str,
                                                            kind: AnswerType) -> None:
    assert classify(question).type is kind


def test_the_little_words_around_the_thing_asked_are_no_key_words() -> None:
    assert classify("Um wie viel Uhr muss ich wegen dem neuen Pass beim Bürgeramt sein?"
                    ).words == ("neuen", "pass", "bürgeramt")
    # (Swedish "att" and "med" only in a foreign question: English has no such words)
    assert "med" not in classify("När måste vi vara i hamnen för att bilen ska få följa "
                                 "med färjan?").words


def test_together_asks_the_total(store: MemoryStore) -> None:
    """"… dohromady?" (together) asks the sum a bill calls its total ("Celkem")."""
    from tests.memory.answer.test_extractive import add_screen

    add_screen(store, "Objednávka technické kontroly, Stanice Hůrka", [
        "Prohlídka osobního vozu 1 270 Kč", "Měření emisí 640 Kč",
        "Celkem k úhradě 1 910 Kč"], title="Objednávka | Stanice Hůrka")
    chat = ChatService(store, HybridRetriever(store), no_model, save_as_memory=False)
    assert chat.ask("Kolik zaplatím na stanici Hůrka za prohlídku a emise dohromady?"
                    ).short_answer == "1 910 Kč"
