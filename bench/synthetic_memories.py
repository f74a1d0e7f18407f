"""Generated, realistic-looking memories of every type for scale benchmarks.

Deterministic for a seed, so two runs measure the same data. Invented names and facts only.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from memory.store import NewMemory

PEOPLE = ["Sarah Chen", "Tom Okafor", "Priya Nair", "Lukas Berg", "Ana Souza", "Kenji Mori",
          "Fatima Zahra", "Olivia Brown", "Mateo Rossi", "Ines Duarte", "Noah Fischer"]
PLACES = ["Lisbon", "Tokyo", "Berlin", "Nairobi", "Toronto", "Porto", "Osaka", "Lyon", "Austin"]
PROJECTS = ["Atlas migration", "Q3 budget", "mobile onboarding", "search revamp",
            "data retention policy", "VPN rollout", "hiring plan", "customer portal"]
APPS = ["firefox", "thunderbird", "slack", "code", "gnome-terminal", "libreoffice", "zoom"]
TOPICS = ["flight booking", "invoice", "design review", "standup notes", "contract draft",
          "birthday gift", "dentist appointment", "gym schedule", "release checklist"]
VERBS = ["discussed", "reviewed", "approved", "postponed", "drafted", "shared", "booked"]


def generate(count: int, seed: int = 7, start: datetime | None = None) -> Iterator[NewMemory]:
    rng = random.Random(seed)
    start = start or datetime(2024, 1, 1, tzinfo=UTC)
    for i in range(count):
        person, place = rng.choice(PEOPLE), rng.choice(PLACES)
        project, topic, app = rng.choice(PROJECTS), rng.choice(TOPICS), rng.choice(APPS)
        when = start + timedelta(minutes=7 * i + rng.randrange(7))
        kind = rng.random()
        if kind < 0.6:
            yield NewMemory("episodic", {
                "summary": f"{person} {rng.choice(VERBS)} the {project} {topic} in {app}",
                "details": f"Meeting #{i} about {topic} for {project}; follow-up in {place} "
                           f"on day {rng.randrange(1, 28)}.",
                "occurred_at": when.isoformat(),
                "app": app,
                "window_title": f"{topic.title()} — {project}",
            }, source="screen")
        elif kind < 0.8:
            yield NewMemory("semantic", {
                "name": f"{person} #{i}",
                "summary": f"{person} works on {project} and lives in {place}",
                "details": f"Prefers {topic} updates by mail; fact {i}.",
            }, source="screen")
        elif kind < 0.9:
            yield NewMemory("procedural", {
                "summary": f"How to handle the {topic} for {project} ({i})",
                "steps": [f"Open {app}", f"Find the {topic}", f"Send it to {person}"],
            }, source="screen")
        else:
            yield NewMemory("resource", {
                "title": f"{project} {topic} document {i}",
                "summary": f"Shared by {person} from {place}",
                "resource_type": "doc",
                "content": f"{project} {topic} notes, revision {i}, owner {person}.",
            }, source="screen")


QUERIES = [
    "what did Sarah say about the Q3 budget",
    "flight booking to Tokyo",
    "how do I do the VPN rollout release checklist",
    "Priya design review",
    "dentist appointment",
    "contract draft for the customer portal",
    "who lives in Lisbon",
    "invoice shared by Tom Okafor",
    "standup notes search revamp",
    "gift for a birthday",
    "data retention policy document",
    "Kenji hiring plan meeting in Osaka",
]
