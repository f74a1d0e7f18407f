"""One small function per user action (Anki's ``aqt/operations/note.py``).

Each runs inside an op on a worker thread: it calls ``app``/``memory`` services, never Qt,
and returns what the view needs plus the :class:`~ui.ops.MemoryChanges` it caused.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app import autostart, timeline
from app.about import AboutInfo, about
from app.services import Services, bundled_llm_path
from app.settings import BY_NAME, coerce
from memory.errors import InvalidInput
from memory.retrieval import SearchFilters, SearchResult
from memory.schema import Memory, parse_iso, to_iso
from memory.store import HistoryEntry, Link
from ui.ops import MemoryChanges, WithChanges

# -- memories ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemoryDetails:
    memory: Memory
    history: list[HistoryEntry]
    links: list[tuple[Link, Memory]]


def list_memories(services: Services, memory_type: str, query: str, limit: int = 300
                  ) -> list[Memory]:
    """The newest memories of a type, or the hybrid-search hits for ``query``."""
    if query.strip():
        hits = services.retriever.search(query, SearchFilters.build([memory_type]), limit=limit)
        return [hit.memory for hit in hits]
    return services.store.list(memory_type, limit=limit)


def search(services: Services, query: str, limit: int = 20) -> list[SearchResult]:
    return services.retriever.search(query, limit=limit)


def memory_details(services: Services, memory_id: str) -> MemoryDetails:
    store = services.store
    memory = store.get(memory_id)
    links = store.links(memory_id)
    others = {m.id: m for m in store.get_many(
        [link.dst_id if link.src_id == memory_id else link.src_id for link in links])}
    linked = [
        (link, others[other])
        for link in links
        if (other := link.dst_id if link.src_id == memory_id else link.src_id) in others
    ]
    return MemoryDetails(memory, store.history(memory_id), linked)


def update_memory(services: Services, memory_id: str, fields: dict[str, Any]
                  ) -> WithChanges[Memory]:
    memory = services.store.update(memory_id, fields, reason="edited by user")
    return WithChanges(memory, MemoryChanges.of(memory.type, memory.id))


def set_pinned(services: Services, memory_id: str, pinned: bool) -> WithChanges[Memory]:
    memory = services.store.update(
        memory_id, {}, reason="pinned by user" if pinned else "unpinned by user", pinned=pinned
    )
    return WithChanges(memory, MemoryChanges.of(memory.type, memory.id))


def forget_memory(services: Services, memory_id: str) -> WithChanges[Memory]:
    memory = services.store.forget(memory_id)
    return WithChanges(memory, MemoryChanges.of(memory.type, memory.id))


def restore_memory(services: Services, memory_id: str) -> WithChanges[Memory]:
    memory = services.store.restore(memory_id)
    return WithChanges(memory, MemoryChanges.of(memory.type, memory.id))


def add_memory(services: Services, memory_type: str, fields: dict[str, Any]
               ) -> WithChanges[Memory]:
    memory = services.store.add(memory_type, fields, source="manual")
    return WithChanges(memory, MemoryChanges.of(memory.type, memory.id))


# -- timeline ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayData:
    day_start: datetime
    frames: list[timeline.FrameRow]
    episodes: list[Memory]
    apps: list[str]
    by_hour: dict[int, tuple[list[timeline.FrameRow], list[Memory]]]


def local_hour(iso: str) -> int:
    return parse_iso(iso).astimezone().hour


def day_bounds(day_start: datetime) -> tuple[str, str]:
    """ISO UTC bounds of a local calendar day (``day_start`` is local midnight, aware)."""
    return to_iso(day_start), to_iso(day_start + timedelta(days=1))


def load_day(services: Services, day_start: datetime, app: str | None) -> DayData:
    since, until = day_bounds(day_start)
    store = services.store
    frames = timeline.frames_between(store, since, until, app=app)
    episodes = timeline.episodes_between(store, since, until, app=app)
    by_hour: dict[int, tuple[list[timeline.FrameRow], list[Memory]]] = {}
    for frame in frames:
        by_hour.setdefault(local_hour(frame.captured_at), ([], []))[0].append(frame)
    for episode in episodes:
        when = episode.fields.get("occurred_at") or episode.event_at
        by_hour.setdefault(local_hour(when), ([], []))[1].append(episode)
    return DayData(day_start, frames, episodes, timeline.apps_between(store, since, until),
                   dict(sorted(by_hour.items())))


def frame_detail(services: Services, frame_id: int) -> timeline.FrameDetail:
    return timeline.frame_detail(services.store, frame_id)


# -- vault ---------------------------------------------------------------------------------


def list_vault(services: Services) -> list[Memory]:
    return services.store.list("vault", limit=100_000)


def unlock_vault(services: Services, passphrase: str) -> MemoryChanges:
    if not passphrase:
        raise InvalidInput("Type the vault passphrase to unlock it.")
    services.store.vault.unlock(passphrase)
    return MemoryChanges(vault_lock=True)


def lock_vault(services: Services) -> MemoryChanges:
    services.store.vault.lock()
    return MemoryChanges(vault_lock=True)


def reveal_secret(services: Services, memory_id: str) -> str:
    return services.store.reveal_secret(memory_id)


def change_vault_passphrase(services: Services, old: str, new: str, repeat: str) -> MemoryChanges:
    if not new:
        raise InvalidInput("The new passphrase cannot be empty.")
    if new != repeat:
        raise InvalidInput("The two new passphrases differ; type the same one twice.")
    services.store.vault.change_passphrase(old, new)
    return MemoryChanges(vault_lock=True)


# -- settings and status -------------------------------------------------------------------


_settings_lock = threading.Lock()


def set_setting(services: Services, name: str, value: Any) -> MemoryChanges:
    """Save one setting. Settings are written one at a time: ops run on several threads."""
    with _settings_lock:
        if name == autostart.SETTING:  # the file first: a failure leaves the setting as it was
            autostart.apply(bool(coerce(BY_NAME[name], value)), services.data_dir)
        services.settings.set(name, value)
        services.apply_setting(name)
    return MemoryChanges(settings=frozenset({name}))


def pipeline_status(services: Services) -> dict[str, Any]:
    return services.status()


@dataclass(frozen=True)
class WatchResult:
    marker: tuple[int, str, str]
    changes: MemoryChanges


def watch_changes(services: Services, marker: tuple[int, str, str] | None) -> WatchResult:
    """Compare the store's change marker with the last one seen; name what changed."""
    store = services.store
    current = timeline.change_marker(store)
    if marker is None or current == marker:
        return WatchResult(current, MemoryChanges())
    changed = timeline.memories_changed_since(store, marker[1]) if current[:2] != marker[:2] \
        else []
    return WatchResult(
        current,
        MemoryChanges(
            types=frozenset(t for _i, t in changed) or (
                frozenset({"episodic"}) if current[0] != marker[0] else frozenset()),
            ids=frozenset(i for i, _t in changed),
            frames=current[2] != marker[2],
        ),
    )


# -- about ---------------------------------------------------------------------------------


def about_info(services: Services) -> AboutInfo:
    return about(services.data_dir, services.llm_path(), bundled_llm_path())
