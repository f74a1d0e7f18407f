"""Invented demo data for screenshots and UI tests: one working day of a fictional user,
with rendered frames, memories of every type, links, vault entries and pipeline counters.

Nothing here comes from real captures: frames are drawn by :mod:`tools.synthetic_screens`.
Memories go through the store's public API; frames through the capture pipeline's own frame
store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from PIL import Image

from app.services import Services
from capture.frame_store import FrameStore
from capture.ocr import OcrLine
from capture.window_info import WindowInfo
from memory.schema import to_iso
from tools.synthetic_screens import MONO, SANS, WINDOW, Screen

FRAME_SIZE = (1280, 800)
LINE_SIZE = 20


@dataclass(frozen=True)
class Activity:
    start: time
    minutes: int
    app: str
    title: str
    url: str | None
    lines: tuple[str, ...]
    episode: str
    details: str


ACTIVITIES: tuple[Activity, ...] = (
    Activity(time(9, 5), 40, "code", "invoice.py — billing-service — Visual Studio Code", None,
             ("def total_with_tax(invoice):", "    rate = TAX_RATES[invoice.country]",
              "    return round(invoice.net * (1 + rate), 2)", "",
              "# TODO: EU reverse charge for B2B customers"),
             "Fixed rounding in total_with_tax for the billing service",
             "Edited billing/invoice.py: tax totals now round to cents per line."),
    Activity(time(10, 10), 35, "firefox", "PostgreSQL 16 Release Notes — Mozilla Firefox",
             "https://www.postgresql.org/docs/16/release-16.html",
             ("PostgreSQL 16 Release Notes", "Allow parallelization of FULL and RIGHT joins",
              "Add pg_stat_io view for I/O statistics", "Logical replication from standbys"),
             "Read the PostgreSQL 16 release notes (pg_stat_io, parallel joins)",
             "Looked at logical replication from standby servers for the reporting replica."),
    Activity(time(11, 0), 25, "slack", "#billing-team — Larkspur — Slack", None,
             ("Priya: standup in 5", "Tomás: invoices job failed twice overnight",
              "Maya: looking at it after the rounding fix", "Priya: deploy window is 16:00"),
             "Billing team standup: overnight invoice job failures, deploy window at 16:00",
             "Tomás reported the invoices job failing twice overnight; deploy at 16:00."),
    Activity(time(13, 20), 30, "thunderbird", "Q3 budget review — Inbox — Thunderbird", None,
             ("From: Dana Whitfield", "Subject: Q3 budget review",
              "Decision: hiring freeze until October 1.",
              "Cloud spend must drop 12% by end of quarter.",
              "API key for the cost dashboard: [REDACTED:api_key]"),
             "Q3 budget review email: hiring freeze until October, cloud spend down 12%",
             "Dana Whitfield's decision: no new hires until October 1."),
    Activity(time(14, 5), 45, "gnome-terminal", "maya@larkspur: ~/billing-service", None,
             ("$ pytest tests/test_invoice.py -q", "........................ [100%]",
              "24 passed in 1.92s", "$ git commit -am 'Round tax per line'",
              "[main 4f2c9e1] Round tax per line"),
             "Ran the invoice tests (24 passed) and committed the rounding fix",
             "Commit 4f2c9e1 on billing-service main."),
    Activity(time(16, 0), 30, "firefox", "Deploy billing-service #482 — Jenkins — Mozilla Firefox",
             "https://ci.larkspur.example/job/billing-service/482/",
             ("Deploy billing-service #482", "Stage: canary (10%) ... passed",
              "Stage: production ... passed", "Duration: 6 min 41 s"),
             "Deployed billing-service build #482 to production via Jenkins",
             "Canary at 10% passed, then production; took 6 min 41 s."),
)

SEMANTIC = (
    ("Q3 hiring freeze", "No new hires at Larkspur until October 1 (Q3 budget decision)."),
    ("Cloud spend target", "Cloud spend must drop 12% by the end of Q3."),
    ("Billing deploy window", "The billing team deploys at 16:00 on weekdays."),
    ("pg_stat_io", "PostgreSQL 16 adds the pg_stat_io view for I/O statistics."),
)
PROCEDURAL = (
    ("workflow", "Release the billing service",
     ["Run pytest tests/ -q", "Commit and push to main", "Open Jenkins job billing-service",
      "Watch the 10% canary stage", "Confirm the production stage passed"]),
    ("guide", "Check the overnight invoice job",
     ["Open the invoices-nightly log", "Search for 'FAILED'", "Re-run for the failed day"]),
)
RESOURCES = (
    ("PostgreSQL 16 release notes", "url", "https://www.postgresql.org/docs/16/release-16.html",
     "What changed in PostgreSQL 16."),
    ("Billing runbook", "markdown", "file:///home/maya/notes/billing-runbook.md",
     "Steps for incidents in the billing service."),
)
CORE = (
    ("human", "Maya Okafor, backend engineer on the billing team at Larkspur Analytics. "
              "Prefers concise answers with commands she can paste."),
    ("persona", "Engram: a private assistant that answers from Maya's own memories and "
                "cites them."),
)
VAULT = (
    ("Staging database password", "credential", "high", "1Password export", "s3cr3t-staging-pw"),
    ("Cost dashboard API key", "api_key", "high", "Q3 budget email", "cd_live_9f8a7b6c5d4e"),
    ("Jenkins URL", "bookmark", "low", None, "https://ci.larkspur.example/"),
    ("Dana Whitfield", "contact", "medium", "email signature", "dana@larkspur.example"),
)
DEMO_PASSPHRASE = "correct horse battery staple"


@dataclass
class DemoSummary:
    frames: list[int] = field(default_factory=list)
    episodes: list[str] = field(default_factory=list)
    memories: dict[str, list[str]] = field(default_factory=dict)
    day: date | None = None


def render_frame(activity: Activity, moment: datetime) -> Image.Image:
    """A plausible screen: the activity's window with its title, address and text."""
    mono = activity.app in ("code", "gnome-terminal")
    return Screen(list(activity.lines), width=FRAME_SIZE[0], height=FRAME_SIZE[1], dark=mono,
                  cursor=False, clock=moment.strftime("%H:%M"), size=LINE_SIZE,
                  font_name=MONO if mono else SANS, title=activity.title, url=activity.url,
                  layout=WINDOW).render()


def seed(services: Services, day: date | None = None, *, frames_per_activity: int = 5,
         with_vault: bool = True) -> DemoSummary:
    """Fill the data folder with one invented day (today by default)."""
    store = services.store
    day = day or date.today()
    summary = DemoSummary(day=day)
    frames = FrameStore(store)
    episode_ids: list[str] = []
    for activity in ACTIVITIES:
        start = datetime.combine(day, activity.start).astimezone()
        ids: list[int] = []
        for i in range(frames_per_activity):
            moment = start + timedelta(minutes=activity.minutes * i / frames_per_activity)
            ids.append(_insert_frame(frames, activity, moment))
        summary.frames.extend(ids)
        episode = store.add(
            "episodic",
            {"summary": activity.episode, "details": activity.details,
             "occurred_at": to_iso(start),
             "ended_at": to_iso(start + timedelta(minutes=activity.minutes)),
             "app": activity.app, "window_title": activity.title, "url": activity.url,
             "event_type": "activity"},
            source="screen", provenance={"frames": ids, "messages": []}, confidence=0.86,
        )
        episode_ids.append(episode.id)
    summary.episodes = episode_ids
    made: dict[str, list[str]] = {"episodic": episode_ids}
    made["semantic"] = [
        store.add("semantic", {"name": n, "summary": s}, source="screen",
                  provenance={"frames": summary.frames[15:17], "messages": []}).id
        for n, s in SEMANTIC]
    made["procedural"] = [
        store.add("procedural", {"entry_type": t, "summary": s, "steps": steps},
                  source="screen").id for t, s, steps in PROCEDURAL]
    made["resource"] = [
        store.add("resource", {"title": t, "resource_type": k, "uri": u, "summary": s}).id
        for t, k, u, s in RESOURCES]
    made["core"] = [store.add("core", {"label": label, "value": value}, pinned=True).id
                    for label, value in CORE]
    store.link(made["semantic"][0], episode_ids[3], "derived_from", 0.92)
    store.link(made["semantic"][2], episode_ids[2], "derived_from", 0.88)
    store.link(made["procedural"][0], episode_ids[5], "related", 0.81)
    store.link(made["resource"][0], episode_ids[1], "related", 0.9)
    store.update(made["semantic"][1], {"details": "Set in the Q3 budget review email."},
                 reason="consolidated with a newer frame")
    if with_vault:
        store.vault.unlock(DEMO_PASSPHRASE)
        made["vault"] = [
            store.add("vault", {"caption": c, "entry_type": t, "sensitivity": s, "source": src,
                                "secret_value": secret}).id
            for c, t, s, src, secret in VAULT]
        store.vault.lock()
    _set_counters(services)
    summary.memories = made
    return summary


def _insert_frame(frames: FrameStore, activity: Activity, moment: datetime) -> int:
    """Store a rendered frame through the capture pipeline's frame store, as OCR'd and
    extracted (the demo's memories are added separately)."""
    frame_id = frames.save(render_frame(activity, moment), captured_at=to_iso(moment),
                           monitor=1,
                           window=WindowInfo("demo", activity.app, activity.title, activity.url),
                           phash=f"{frame_id_seed(moment):016x}")
    top = WINDOW.body_top_below_url if activity.url else WINDOW.body_top
    step = int(LINE_SIZE * WINDOW.line_factor)
    lines = [OcrLine(text, (WINDOW.body_left, top + step * i, 900, top + step * i + LINE_SIZE + 4),
                     0.97)
             for i, text in enumerate(activity.lines)]
    frames.complete_ocr(frames.get(frame_id), text="\n".join(activity.lines), lines=lines)
    frames.mark_extracted([frame_id])
    return frame_id


def frame_id_seed(moment: datetime) -> int:
    return int(moment.timestamp() * 1000) & 0xFFFFFFFFFFFFFFFF


def _set_counters(services: Services) -> None:
    values = {"skipped_duplicate": 311, "skipped_private": 9}

    def write(db: object) -> None:
        for name, value in values.items():
            db.execute(  # type: ignore[attr-defined]
                "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) "
                "DO UPDATE SET value = excluded.value", [name, value])

    services.store.writer.write(write)
