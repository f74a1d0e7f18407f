"""Hybrid retrieval: BM25 over FTS5 and vector similarity over Chroma, fused by reciprocal
rank, with type and time filters. The one place ranking lives, so it can grow (time
expressions, priors, query expansion) without callers changing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from memory.errors import InvalidInput
from memory.schema import Memory, check_type, parse_iso, to_iso
from memory.store import MemoryStore

RRF_K = 60
CANDIDATES = 50
MAX_QUERY_CHARS = 2000

_WORD = re.compile(r"\w+", re.UNICODE)
STOPWORDS = frozenset(
    "a an and are as at be by did do does for from had has have he her his how i in is it its "
    "me my of on or our she so that the their them they this to was we were what when where "
    "which who whom why will with you your".split()
)


@dataclass(frozen=True)
class SearchFilters:
    types: tuple[str, ...] = ()
    since: str | None = None  # ISO, inclusive
    until: str | None = None  # ISO, exclusive
    app: str | None = None

    @classmethod
    def build(
        cls,
        types: list[str] | tuple[str, ...] | None = None,
        since: str | datetime | None = None,
        until: str | datetime | None = None,
        app: str | None = None,
    ) -> SearchFilters:
        def moment(value: str | datetime | None) -> str | None:
            if value is None or value == "":
                return None
            return to_iso(value if isinstance(value, datetime) else parse_iso(value))

        filters = cls(
            types=tuple(check_type(t) for t in (types or ())),
            since=moment(since),
            until=moment(until),
            app=app or None,
        )
        if filters.since and filters.until and filters.since >= filters.until:
            raise InvalidInput("--since must be earlier than --until.")
        return filters


@dataclass
class SearchResult:
    memory: Memory
    score: float
    bm25_rank: int | None
    vector_rank: int | None

    def to_json(self) -> dict[str, Any]:
        """The CLI contract: id, type, score, summary, occurred_at, provenance."""
        return {
            "id": self.memory.id,
            "type": self.memory.type,
            "score": round(self.score, 6),
            "summary": self.memory.summary,
            "occurred_at": self.memory.fields.get("occurred_at") or self.memory.event_at,
            "provenance": self.memory.provenance,
        }


def fts_query(text: str) -> str | None:
    """An FTS5 MATCH expression: every meaningful word, quoted, OR-ed (BM25 ranks them)."""
    words = [w.lower() for w in _WORD.findall(text)]
    kept = [w for w in words if w not in STOPWORDS] or words
    unique = list(dict.fromkeys(kept))[:32]
    if not unique:
        return None
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in unique)


class HybridRetriever:
    """Ranks memories for a query. Read-only; safe to use from any thread."""

    def __init__(self, store: MemoryStore, *, candidates: int = CANDIDATES, rrf_k: int = RRF_K):
        self.store = store
        self.candidates = candidates
        self.rrf_k = rrf_k

    def search(
        self, query: str, filters: SearchFilters | None = None, limit: int = 10
    ) -> list[SearchResult]:
        filters = filters or SearchFilters()
        if not isinstance(query, str):
            raise InvalidInput("The search query must be text.")
        if limit <= 0:
            raise InvalidInput("--limit must be a positive number.")
        query = query.strip()[:MAX_QUERY_CHARS]
        if not query:
            return self._recent(filters, limit)
        depth = max(self.candidates, limit)
        bm25_ids = self.bm25(query, filters, depth)
        vector_ids = self.vector(query, filters, depth)
        scores: dict[str, float] = {}
        bm25_rank = {memory_id: rank for rank, memory_id in enumerate(bm25_ids, 1)}
        vector_rank = {memory_id: rank for rank, memory_id in enumerate(vector_ids, 1)}
        for ranking in (bm25_rank, vector_rank):
            for memory_id, rank in ranking.items():
                scores[memory_id] = scores.get(memory_id, 0.0) + 1.0 / (self.rrf_k + rank)
        ordered = sorted(scores, key=lambda i: scores[i], reverse=True)[:limit]
        memories = self.store.get_many(ordered)
        return [
            SearchResult(m, scores[m.id], bm25_rank.get(m.id), vector_rank.get(m.id))
            for m in memories
        ]

    def bm25(self, query: str, filters: SearchFilters, depth: int) -> list[str]:
        match = fts_query(query)
        if match is None:
            return []
        where, params = _sql_filters(filters)
        rows = self.store.reader.execute(
            "SELECT m.id FROM memory_fts JOIN memories m ON m.seq = memory_fts.rowid "
            f"WHERE memory_fts MATCH ? AND m.deleted = 0 {where} "
            "ORDER BY bm25(memory_fts) LIMIT ?",
            [match, *params, depth],
        ).fetchall()
        return [r[0] for r in rows]

    def vector(self, query: str, filters: SearchFilters, depth: int) -> list[str]:
        vector = self.store.embedder.embed_one(query)
        hits = self.store.vectors.query(vector, depth, _chroma_where(filters))
        return [memory_id for memory_id, _similarity in hits]

    def _recent(self, filters: SearchFilters, limit: int) -> list[SearchResult]:
        """An empty query lists the newest memories that match the filters."""
        where, params = _sql_filters(filters)
        rows = self.store.reader.execute(
            f"SELECT m.id FROM memories m WHERE m.deleted = 0 {where} "
            "ORDER BY m.event_at DESC LIMIT ?",
            [*params, limit],
        ).fetchall()
        return [SearchResult(m, 0.0, None, None) for m in self.store.get_many([r[0] for r in rows])]


def _sql_filters(filters: SearchFilters) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if filters.types:
        clauses.append(f"m.type IN ({', '.join('?' for _ in filters.types)})")
        params.extend(filters.types)
    if filters.since:
        clauses.append("m.event_at >= ?")
        params.append(filters.since)
    if filters.until:
        clauses.append("m.event_at < ?")
        params.append(filters.until)
    if filters.app:
        clauses.append(
            "m.id IN (SELECT id FROM episodic_memory WHERE app = ? COLLATE NOCASE)"
        )
        params.append(filters.app)
    return "".join(f" AND {c}" for c in clauses), params


def _chroma_where(filters: SearchFilters) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = []
    if filters.types:
        clauses.append({"type": {"$in": list(filters.types)}})
    if filters.since:
        clauses.append({"event_ts": {"$gte": parse_iso(filters.since).timestamp()}})
    if filters.until:
        clauses.append({"event_ts": {"$lt": parse_iso(filters.until).timestamp()}})
    if filters.app:
        clauses.append({"app": filters.app})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
