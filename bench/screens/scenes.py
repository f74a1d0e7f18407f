"""The kinds of screen a working day shows, with seeded random content and gold labels.

Each scene returns the window (app, title, URL, lines) and its gold memories: the type and
the key facts a correct extraction must keep (a fact counts when it appears in a stored
memory of that type). Secrets are listed so the benchmark can check none is stored in clear.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from typing import Any

FIRST = ["Alice", "Bruno", "Chiara", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ingrid",
         "Jonas", "Keiko", "Luca", "Maya", "Nadia", "Oscar", "Priya", "Rafael", "Sofia"]
LAST = ["Moreau", "Keller", "Rossi", "Novak", "Haddad", "Tanaka", "Lindqvist", "Okafor",
        "Brennan", "Costa", "Fischer", "Varga", "Mendes", "Sato", "Dubois", "Petrov"]
COMPANIES = [("Northwind", "northwind.io"), ("Bluefin Labs", "bluefin.dev"),
             ("Quarry Systems", "quarry.co"), ("Helios Energy", "helios-energy.com"),
             ("Meridian Bank", "meridianbank.eu"), ("Tessellate", "tessellate.app")]
ROLES = ["Product Lead", "Engineering Manager", "Finance Director", "Data Scientist",
         "Head of Design", "Account Executive"]
PROJECTS = ["Atlas", "Nimbus", "Orion", "Juniper", "Kestrel", "Polaris", "Sequoia"]
ROOMS = ["Room Orion", "Room Vega", "Room Lyra", "the 4th floor kitchen", "Zoom"]
STREETS = ["Baker Street", "Maple Avenue", "Harbour Road", "Kingsway Lane", "Elm Drive"]
CITIES = [("London", "NW1 6XE"), ("Springfield", "62704"), ("Toronto", "M5V 2T6"),
          ("Dublin", "D02 X285")]
TOPICS = [
    ("The Rhone", "is a major river in Europe that rises in the Swiss Alps and flows "
     "into the Mediterranean"),
    ("Kubernetes", "is an open source system for automating deployment and scaling of "
     "containerized applications"),
    ("The Krebs cycle", "is a series of chemical reactions that releases stored energy "
     "in aerobic organisms"),
    ("Sourdough", "is a bread made by fermenting dough with wild yeast and lactobacilli"),
    ("The Fediverse", "is a collection of social networks that run on independent servers"),
    ("Okonomiyaki", "is a Japanese savory pancake made with flour, eggs and cabbage"),
]
PRODUCTS = [("Noise cancelling headphones", 249.00), ("USB-C docking station", 129.99),
            ("Mechanical keyboard", 89.50), ("Standing desk mat", 39.95),
            ("27 inch monitor", 319.00), ("Espresso grinder", 179.00)]
PREFERENCES = ["dark roast coffee in the morning", "window seats on long flights",
               "vegetarian restaurants for team lunches", "tabs over spaces in Python",
               "meetings after 10am"]
COMMAND_SETS = [
    ["git pull --rebase", "python -m venv .venv", "pip install -r requirements.txt",
     "pytest -q tests/api"],
    ["docker compose up -d db", "alembic upgrade head", "make seed", "curl localhost:8080/health"],
    ["ssh deploy@staging.internal", "sudo systemctl restart billing", "journalctl -u billing -n 50"],
    ["cargo build --release", "cargo test", "./target/release/indexer --rebuild"],
]


@dataclass
class Scene:
    app: str
    title: str
    url: str | None
    lines: list[str]
    gold: list[dict[str, Any]] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    mono: bool = False
    dark: bool = False


def _person(rng: random.Random) -> tuple[str, str, str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    company, domain = rng.choice(COMPANIES)
    return f"{first} {last}", f"{first.lower()}.{last.lower()}@{domain}", company, domain


def _token(rng: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    while True:
        value = "".join(rng.choice(alphabet) for _ in range(n))
        # Skip glyphs OCR cannot tell apart in DejaVu (l/I/1, O/0): secrets must be legible.
        if not set(value) & set("lI1O0o"):
            return value


def mail(rng: random.Random) -> Scene:
    name, email, company, _ = _person(rng)
    project, room = rng.choice(PROJECTS), rng.choice(ROOMS)
    role = rng.choice(ROLES)
    hour = rng.choice(["09:30", "11:00", "14:00", "15:30"])
    day = rng.choice(["Monday", "Tuesday", "Thursday", "Friday"])
    phone = f"+1 415 555 {rng.randint(1000, 9999)}"
    lines = [
        "Inbox (12)    Sent    Drafts    Archive",
        f"From: {name} <{email}>",
        "To: Sam Carter <sam.carter@example.org>",
        f"Subject: {project} review on {day}",
        "",
        "Hi Sam,",
        f"Could we move the {project} review to {day} at {hour} in {room}?",
        "I will bring the updated budget and the launch timeline.",
        "Let me know if that works for you.",
        "",
        "Best,",
        name,
        f"{role}, {company}",
        f"Phone: {phone}",
    ]
    return Scene(
        "Thunderbird", f"{project} review on {day} - Thunderbird", None, lines,
        gold=[{"type": "semantic", "facts": [name, email]},
              {"type": "vault", "facts": [name, email]},
              {"type": "vault", "facts": ["Sam Carter", "sam.carter@example.org"]}],
    )


def chat(rng: random.Random) -> Scene:
    name, _, _, _ = _person(rng)
    channel = rng.choice(["#team-atlas", "#design", "#random", "#ops"])
    preference = rng.choice(PREFERENCES)
    project = rng.choice(PROJECTS)
    lines = [
        f"{channel}",
        f"{name}  10:{rng.randint(10, 59)}",
        f"Are we still on for the {project} demo tomorrow?",
        "Sam Carter  10:42",
        "Yes, I booked the big room.",
        f"By the way I prefer {preference}.",
        f"{name}  10:44",
        "Noted! I will tell the others.",
        "Sam Carter  10:45",
        f"Thanks. The {project} slides are in the shared drive.",
    ]
    return Scene("Slack", f"{channel} - Slack", None, lines,
                 gold=[{"type": "semantic", "facts": [preference]}])


def calendar(rng: random.Random) -> Scene:
    day = rng.choice(["Tuesday, 12 May", "Wednesday, 13 May", "Thursday, 14 May"])
    events = rng.sample([("Standup", "09:00", "09:15"), ("Design critique", "11:00", "12:00"),
                         ("Lunch with Priya", "12:30", "13:30"),
                         ("Budget review", "14:00", "15:00"),
                         ("1:1 with Jonas", "16:00", "16:30"),
                         ("Dentist appointment", "17:30", "18:00")], 3)
    events.sort(key=lambda e: e[1])
    lines = ["Calendar    Day    Week    Month", day, ""]
    gold = []
    for title, start, end in events:
        room = rng.choice(ROOMS)
        lines += [f"{start} - {end}  {title}", f"    {room}"]
        gold.append({"type": "semantic", "facts": [title, start]})
    return Scene("Calendar", f"{day} - Calendar", None, lines, gold=gold)


def article(rng: random.Random) -> Scene:
    subject, rest = rng.choice(TOPICS)
    slug = subject.lower().replace("the ", "").replace(" ", "_")
    url = f"https://en.wikipedia.org/wiki/{slug}"
    words = rest.split()
    body = [f"{subject} {rest}."]
    wrapped, line = [], ""
    filler = ("It is discussed in many textbooks and has a long history of study. "
              "Researchers have written about it for decades, and new findings appear "
              "every year.")
    for word in filler.split(" "):
        if len(line) + len(word) > 80:
            wrapped.append(line)
            line = ""
        line = f"{line} {word}".strip()
    wrapped.append(line)
    del words
    lines = [subject, "From Wikipedia, the free encyclopedia", "", *body, "", *wrapped]
    return Scene("Firefox", f"{subject} - Wikipedia - Mozilla Firefox", url, lines,
                 gold=[{"type": "resource", "facts": [url]},
                       {"type": "semantic", "facts": [subject]}])


def document(rng: random.Random) -> Scene:
    project = rng.choice(PROJECTS)
    name = f"{project.lower()}-release-notes.md"
    steps = rng.sample(["Tag the release in git", "Build the installer", "Upload to the mirror",
                        "Update the changelog", "Announce on the mailing list",
                        "Close the milestone"], 4)
    lines = [f"# {project} release process", "", f"How we ship {project} every two weeks.", "",
             "Release checklist:", *[f"{i}. {s}" for i, s in enumerate(steps, 1)], "",
             "Owner: release captain of the week"]
    return Scene("Typora", f"{name} - Typora", None, lines,
                 gold=[{"type": "resource", "facts": [name]},
                       {"type": "procedural", "facts": steps}])


def terminal(rng: random.Random) -> Scene:
    commands = rng.choice(COMMAND_SETS)
    cwd = rng.choice(["~/src/atlas", "~/work/billing", "~/code/indexer"])
    lines = []
    for command in commands:
        lines.append(f"sam@laptop:{cwd}$ {command}")
        lines.append(rng.choice(["ok", "Done.", "Already up to date.", "3 passed in 1.2s",
                                 "Finished release [optimized] target(s)"]))
    return Scene("Terminal", f"sam@laptop: {cwd}", None, lines, mono=True, dark=True,
                 gold=[{"type": "procedural", "facts": commands}])


def api_settings(rng: random.Random) -> Scene:
    kind = rng.choice(["openai", "stripe", "github"])
    if kind == "openai":
        secret = "sk-proj-" + _token(rng, 32)
        url, title, label = ("https://platform.openai.com/api-keys", "API keys - OpenAI",
                             "Secret key")
    elif kind == "stripe":
        secret = "sk_live_" + _token(rng, 24)
        url, title, label = ("https://dashboard.stripe.com/apikeys", "API keys - Stripe",
                             "Secret key")
    else:
        secret = "ghp_" + _token(rng, 36)
        url, title, label = ("https://github.com/settings/tokens", "Personal access tokens",
                             "Token")
    lines = ["Settings", "", "API keys", "Keep your keys secret. Do not share them.", "",
             "Name: billing-service", f"{label}: {secret}", "Created: 3 May 2026", "",
             "Permissions: read and write"]
    return Scene("Firefox", f"{title} - Mozilla Firefox", url, lines,
                 gold=[{"type": "vault", "facts": [secret]},
                       {"type": "resource", "facts": [url]}],
                 secrets=[secret])


def router_login(rng: random.Random) -> Scene:
    user = rng.choice(["admin", "sam.carter", "ops-bot"])
    password = _token(rng, 6) + "-" + _token(rng, 5)
    lines = ["Wi-Fi router administration", "", "Wireless network: HomeNet-5G",
             f"Username: {user}", f"Password: {password}", "", "Firmware: 2.4.1 (up to date)"]
    return Scene("Firefox", "Router admin - Mozilla Firefox", "http://192.168.1.1/admin",
                 lines, gold=[{"type": "vault", "facts": [password]},
                            {"type": "resource", "facts": ["http://192.168.1.1/admin"]}],
                 secrets=[password])


def receipt(rng: random.Random) -> Scene:
    order = f"{rng.randint(100, 999)}-{rng.randint(1000000, 9999999)}"
    items = rng.sample(PRODUCTS, 2)
    total = sum(price for _, price in items) + 4.99
    street = f"{rng.randint(10, 990)} {rng.choice(STREETS)}"
    city, postcode = rng.choice(CITIES)
    lines = ["Your order has shipped", f"Order number: {order}", "",
             *[f"{name}    ${price:.2f}" for name, price in items], "Shipping    $4.99",
             f"Order total: ${total:.2f}", "", "Ship to:", street, f"{city} {postcode}"]
    return Scene("Firefox", "Order details - Shopwise - Mozilla Firefox",
                 "https://shopwise.com/orders", lines,
                 gold=[{"type": "semantic", "facts": [order, f"${total:.2f}"]},
                       {"type": "resource", "facts": ["https://shopwise.com/orders"]},
                       {"type": "vault", "facts": [street]}])


def invoice(rng: random.Random) -> Scene:
    iban = _make_iban(rng)
    company, _ = rng.choice(COMPANIES)
    lines = [f"Invoice INV-{rng.randint(1000, 9999)}", f"From: {company}", "",
             "Please pay within 30 days to:", f"IBAN: {iban}", "BIC: MERIDEU2X", "",
             f"Amount due: EUR {rng.randint(200, 3000)}.00"]
    return Scene("Evince", "invoice.pdf - Document Viewer", None, lines,
                 gold=[{"type": "vault", "facts": [iban]},
                       {"type": "resource", "facts": ["invoice.pdf"]}],
                 secrets=[iban])


def code(rng: random.Random) -> Scene:
    name = rng.choice(["billing.py", "ingest.py", "server.py", "report.py"])
    func = rng.choice(["compute_invoice", "load_batch", "handle_request", "render_report"])
    lines = [f"def {func}(items, *, currency=\"EUR\"):", "    total = 0",
             "    for item in items:", "        total += item.price * item.quantity",
             "    return round(total, 2)", "", "", "def main():",
             f"    print({func}([]))"]
    return Scene("Code", f"{name} - atlas - Visual Studio Code", None, lines, mono=True,
                 dark=True, gold=[{"type": "resource", "facts": [name]}])


def _make_iban(rng: random.Random) -> str:
    bban = "".join(rng.choice("23456789") for _ in range(18))
    for check in range(2, 99):
        candidate = f"DE{check:02d}{bban}"
        moved = candidate[4:] + candidate[:4]
        if int("".join(str(int(c, 36)) for c in moved)) % 97 == 1:
            return " ".join(candidate[i:i + 4] for i in range(0, len(candidate), 4))
    raise AssertionError("no IBAN check digits found")


SCENES = (mail, chat, calendar, article, document, terminal, api_settings, router_login,
          receipt, invoice, code)
