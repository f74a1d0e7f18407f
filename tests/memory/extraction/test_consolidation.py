"""Consolidation against the real store: ADD, UPDATE with history, MERGE, NOOP, and the
vault rules (locked: nothing stored; conflicting secret: newer current, older encrypted)."""

from __future__ import annotations

from memory.extraction.candidates import Candidate
from memory.extraction.consolidation import Consolidator
from memory.extraction.pipeline import ExtractionPipeline
from tests.memory.extraction.helpers import MAIL, SETTINGS, all_text, segment

PROV = {"frames": [1], "messages": []}


def semantic(name: str, summary: str) -> Candidate:
    return Candidate("semantic", {"name": name, "summary": summary, "details": ""},
                     key=f"person:{name}")


def test_same_activity_seen_twice_reinforces_instead_of_duplicating(store) -> None:
    store.vault.unlock("correct horse")
    pipeline = ExtractionPipeline(store)
    first = pipeline.extract_segment(segment(MAIL, frames=3))
    counts = store.counts()
    second = pipeline.extract_segment(segment(MAIL, frames=3))
    assert store.counts() == counts
    assert first.report.ops["ADD"] == sum(counts.values())
    assert second.report.ops == {"NOOP": sum(counts.values())}
    person = next(m for m in store.list("semantic") if m.fields["name"] == "Alice Moreau")
    assert person.access_count == 1 and person.version == 1


def test_conflicting_fact_keeps_newer_current_and_older_in_history(store) -> None:
    consolidator = Consolidator(store)
    consolidator.apply([semantic("Atlas launch", "The Atlas launch is on 3 June")],
                       source="screen", provenance=PROV)
    report = consolidator.apply([semantic("Atlas launch", "The Atlas launch moved to 17 June")],
                                source="screen", provenance={"frames": [2], "messages": []})
    assert report.ops == {"UPDATE": 1}
    (memory,) = store.list("semantic")
    assert memory.fields["summary"] == "The Atlas launch moved to 17 June"
    assert memory.version == 2 and memory.provenance["frames"] == [1, 2]
    history = store.history(memory.id)
    assert history[-1].before["fields"]["summary"] == "The Atlas launch is on 3 June"


def test_a_chat_message_matches_only_itself(store) -> None:
    def message(text: str) -> Candidate:
        return Candidate("semantic", {"name": "Ana Lima 10:07", "summary": text, "details": "",
                                      "source": "chromium"},
                         key=f"message:{text}", tree_path="messages")

    consolidator = Consolidator(store)
    consolidator.apply([message("The van is booked for Friday morning")], source="screen",
                       provenance=PROV)
    again = consolidator.apply([message("The van is booked for Friday morning")],
                               source="screen", provenance={"frames": [2], "messages": []})
    other_day = consolidator.apply([message("Can someone water the plants while I am away")],
                                   source="screen", provenance={"frames": [3], "messages": []})
    assert again.ops == {"NOOP": 1} and other_day.ops == {"ADD": 1}
    assert sorted(m.fields["summary"] for m in store.list("semantic")) == [
        "Can someone water the plants while I am away", "The van is booked for Friday morning"]


def test_episode_continued_later_is_extended_not_duplicated(store) -> None:
    pipeline = ExtractionPipeline(store)
    pipeline.extract_segment(segment(MAIL, frames=2))
    later = segment(MAIL + "\nP.S. see you there", frames=2,
                    start="2026-05-12T09:01:00+00:00", first_id=10)
    result = pipeline.extract_segment(later)
    (episode,) = store.list("episodic")
    assert result.report.ops["UPDATE"] >= 1
    assert episode.fields["occurred_at"].startswith("2026-05-12T09:00:00")
    assert episode.fields["ended_at"].startswith("2026-05-12T09:01:10")
    assert "P.S. see you there" in episode.fields["details"]


def test_the_same_window_showing_something_else_minutes_later_is_another_episode(store) -> None:
    pipeline = ExtractionPipeline(store)
    log = "\n".join(f"dev@box:~$ ./check {n}\ncheck {n} passed in {n + 2} s" for n in range(6))
    pipeline.extract_segment(segment(log, app="xterm", title="bash", frames=1))
    notes = "\n".join(f"- item {n}: rename the {n}th widget before the 2.{n} release"
                      for n in range(10))
    pipeline.extract_segment(segment(notes, app="xterm", title="bash", frames=1,
                                     start="2026-05-12T09:01:00+00:00", first_id=10))
    assert len(store.list("episodic")) == 2


def test_two_memories_of_one_thing_are_merged_with_links_kept(store) -> None:
    a = store.add("semantic", {"name": "Alice Moreau", "summary": "Alice Moreau, Northwind"})
    b = store.add("semantic", {"name": "Alice Moreau.", "summary": "Alice Moreau, Northwind",
                               "details": "Product Lead"})
    other = store.add("episodic", {"summary": "Call with Alice"})
    store.link(b.id, other.id, "shared_entity", 0.7)
    report = Consolidator(store).apply(
        [semantic("Alice Moreau", "Alice Moreau, Northwind")], source="screen", provenance=PROV)
    assert report.ops["MERGE"] == 1
    keeper, gone = store.get(a.id), store.get(b.id)
    assert gone.deleted and not keeper.deleted
    assert "Product Lead" in keeper.fields["details"]
    kinds = {(link.kind, link.dst_id) for link in store.links(keeper.id)}
    assert ("shared_entity", other.id) in kinds and ("merged_from", b.id) in kinds
    assert store.history(b.id)[-1].reason == f"merged into {a.id}"


def test_locked_vault_stores_no_secret_and_counts_it(store) -> None:
    result = ExtractionPipeline(store).extract_segment(
        segment(SETTINGS, app="Firefox", title="API keys - Mozilla Firefox"))
    assert result.report.vault_skipped_locked >= 1
    assert store.counts()["vault"] == 0
    assert "sk-proj-Xf93kLmQ2vTz81RwaPq7YbHcNd45" not in all_text(store)


def test_changed_secret_updates_with_the_old_one_encrypted(store) -> None:
    store.vault.unlock("correct horse")
    pipeline = ExtractionPipeline(store)
    title = "API keys - Mozilla Firefox"
    pipeline.extract_segment(segment(SETTINGS, app="Firefox", title=title))
    rotated = SETTINGS.replace("Xf93kLmQ2vTz81RwaPq7YbHcNd45", "Rq28vNpW3xKz97TyhBm4LcJd56")
    pipeline.extract_segment(segment(rotated, app="Firefox", title=title,
                                     start="2026-05-12T11:00:00+00:00"))
    keys = [m for m in store.list("vault") if m.fields["entry_type"] == "api_key"]
    assert len(keys) == 1
    assert store.reveal_secret(keys[0].id) == "sk-proj-Rq28vNpW3xKz97TyhBm4LcJd56"
    assert keys[0].version == 2
    text = all_text(store)
    assert "Xf93kLmQ2vTz81RwaPq7YbHcNd45" not in text and "Rq28vNpW3xKz97" not in text


def test_a_label_fact_from_another_page_is_another_fact_the_same_page_updates_it(store) -> None:
    def label_fact(summary: str, where: str) -> Candidate:
        return Candidate("semantic", {"name": "Due", "summary": summary, "details": "",
                                      "source": where},
                         key=f"fact:{where}:{summary}", tree_path="facts")

    consolidator = Consolidator(store)
    consolidator.apply([label_fact("Due: 4 May", "Water bill - Mail")], source="screen",
                       provenance=PROV)
    other = consolidator.apply([label_fact("Due: 9 May", "Gas bill - Mail")], source="screen",
                               provenance={"frames": [2], "messages": []})
    assert other.ops == {"ADD": 1}
    again = consolidator.apply([label_fact("Due: 6 May", "Water bill - Mail")],
                               source="screen", provenance={"frames": [3], "messages": []})
    assert again.ops == {"UPDATE": 1}
    by_source = {m.fields["source"]: m.fields["summary"] for m in store.list("semantic")}
    assert by_source == {"Water bill - Mail": "Due: 6 May", "Gas bill - Mail": "Due: 9 May"}
    # The same statement seen in another window is the same fact.
    same = consolidator.apply([label_fact("Due: 9 May", "Inbox - Mail")], source="screen",
                              provenance={"frames": [4], "messages": []})
    assert same.ops == {"NOOP": 1} and len(store.list("semantic")) == 2
