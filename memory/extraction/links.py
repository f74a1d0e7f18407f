"""A-MEM-style links: memories from one activity are joined to its episode, memories that
name the same entity (person, email, URL) are joined, and strongly similar memories are
joined, so one memory leads to its neighbours in the UI and in retrieval."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from memory.extraction.rules import key_entities
from memory.schema import embedding_text, searchable_text
from memory.store import MemoryStore

SIMILAR = 0.8
MAX_LINKS_PER_KIND = 5
_URL = re.compile(r"\bhttps?://\S+")


def entities_of(text: str) -> list[str]:
    found = [e for e in key_entities(text, limit=8) if not re.fullmatch(r"[\d:.,$€£ ]+", e)]
    return list(dict.fromkeys([*found, *_URL.findall(text)]))[:10]


def link_activity(store: MemoryStore, episode_id: str | None, member_ids: Sequence[str]) -> int:
    """Join an episode to every memory extracted from the same activity."""
    if episode_id is None:
        return 0
    count = 0
    for member in dict.fromkeys(member_ids):
        if member != episode_id:
            store.link(episode_id, member, "same_activity", 1.0)
            count += 1
    return count


def link_related(store: MemoryStore, memory_ids: Sequence[str]) -> int:
    """Link each memory to others sharing its entities or strongly similar to it."""
    count = 0
    memories = store.get_many(list(dict.fromkeys(memory_ids)))
    if not memories:
        return 0
    texts = [searchable_text(m.type, m.fields) for m in memories]
    # The same (short) text the index embeds: a page's whole content would cost a full
    # 256-token pass per memory and make "similar" mean something else than in search.
    vectors = store.embedder.embed([embedding_text(m.type, m.fields) for m in memories])
    for memory, text, vector in zip(memories, texts, vectors, strict=True):
        shared: Counter[str] = Counter()
        for entity in entities_of(text):
            phrase = '"' + entity.replace('"', '""') + '"'
            try:
                rows = store.reader.execute(
                    "SELECT m.id FROM memory_fts JOIN memories m ON m.seq = memory_fts.rowid "
                    "WHERE memory_fts MATCH ? AND m.deleted = 0 AND m.id != ? LIMIT 20",
                    [phrase, memory.id],
                ).fetchall()
            except Exception as exc:  # an entity FTS5 cannot parse is not a link
                if "fts5" not in str(exc).lower():
                    raise
                continue
            shared.update(r[0] for r in rows)
        for other, n in shared.most_common(MAX_LINKS_PER_KIND):
            store.link(memory.id, other, "shared_entity", min(1.0, 0.5 + 0.1 * n))
            count += 1
        for other, similarity in store.vectors.query(vector, MAX_LINKS_PER_KIND + 1):
            if other != memory.id and similarity >= SIMILAR and other not in shared:
                store.link(memory.id, other, "similar", round(similarity, 4))
                count += 1
    return count
