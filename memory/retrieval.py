"""Hybrid retrieval: the one place ranking lives.

A query is ranked in five steps, each measured on the LOCOMO benchmark
(``python -m bench.locomo``; the ablation table is in the README):

1. Time expressions ("yesterday", "in March 2023", "before my trip") are split off the
   query (:mod:`memory.time_expressions`); the range becomes a boost, not a hard filter,
   because people misremember dates (explicit ``--since/--until`` stay hard filters).
2. Candidates: the best ``candidates`` by BM25 over FTS5 and by cosine over Chroma (plus
   the same restricted to the time range, when there is one).
3. Score fusion: BM25 divided by the best BM25, plus ``vector_weight`` times the cosine
   rescaled between the worst and best vector candidate. Beat reciprocal-rank fusion by
   ~8 percentage points (recall@10): ranks throw away how much better the best match is.
4. Neighbouring context: a memory in the same episode (episodic memories adjacent in time,
   no gap over ``EPISODE_GAP``) as a strong match gets ``neighbour_weight`` times that
   match's score; the answer to a question is often the turn next to the one that shares
   its words.
5. Priors: a memory whose actor the query names is boosted (speaker/entity match); a
   memory inside the query's time range is boosted; recency and strength are weak priors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from memory.errors import InvalidInput
from memory.schema import Memory, check_type, parse_iso, to_iso
from memory.store import MemoryStore
from memory.time_expressions import EventAnchor, TimeRange, parse_query

CANDIDATES = 100
MAX_QUERY_CHARS = 2000
EPISODE_GAP = timedelta(minutes=30)

_WORD = re.compile(r"\w+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]{2}")
#: Characters of a Chinese or Japanese query run that an indexed run must start with.
CJK_PREFIX = 2
_STOPWORD_TEXT = (
    "a am an and are as at be been being by can could did do does for from had has have he her "
    "his how i in is it its me my of on or our she should so that the their them they this to "
    "was we were what when where which who whom why will with would you your "
    "if him any some also already just still now "
    # the tails of contractions, which the word pattern parts from their word ("I'm", "don't")
    "s m t d ll re ve"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True)
class RankingWeights:
    """The tunable knobs; defaults are the values measured best on LOCOMO."""

    vector_weight: float = 0.5
    neighbour_weight: float = 0.5
    neighbour_span: int = 2
    #: Only the strongest matches lend score to their neighbours: a weak seed's share is
    #: too small to change the ranking, and each seed costs two index lookups.
    neighbour_seeds: int = 200
    actor_boost: float = 0.3
    time_boost: float = 0.3
    recency_weight: float = 0.05
    recency_half_life_days: float = 30.0
    strength_weight: float = 0.05


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

    def narrowed(self, time_range: TimeRange) -> SearchFilters:
        """These filters intersected with ``time_range``."""
        since, until = self.since, self.until
        if time_range.since is not None:
            candidate = to_iso(time_range.since)
            since = max(since, candidate) if since else candidate
        if time_range.until is not None:
            candidate = to_iso(time_range.until)
            until = min(until, candidate) if until else candidate
        return SearchFilters(self.types, since, until, self.app)


@dataclass
class SearchResult:
    memory: Memory
    score: float
    bm25_rank: int | None
    vector_rank: int | None
    similarity: float | None = None  # cosine between query and memory, when a vector candidate
    keyword_match: bool = False  # matched the query's words in the full-text index

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


def query_words(text: str) -> list[str]:
    """The meaningful words of a query, lower-cased, de-duplicated, in order."""
    words = [w.lower() for w in _WORD.findall(text)]
    kept = [w for w in words if w not in STOPWORDS] or words
    return list(dict.fromkeys(kept))[:32]


def date_phrases(time_range: TimeRange | None) -> list[str]:
    """A day or a month written as figures, as FTS phrases: "2031-03-09", "09.03.2031" and
    "03/09/2031" are all the tokens 2031, 03, 09 in some order, so a question about "9 March
    2031" finds a page that writes the date in figures."""
    if time_range is None or time_range.since is None or time_range.until is None:
        return []
    since, until = time_range.since, time_range.until
    y, m, d = f"{since.year}", f"{since.month:02d}", f"{since.day:02d}"
    if until - since == timedelta(days=1):
        return [f"{y} {m} {d}", f"{d} {m} {y}", f"{m} {d} {y}"]
    next_month = since.replace(year=since.year + since.month // 12, month=since.month % 12 + 1)
    if since.day == 1 and until == next_month:
        return [f"{y} {m}", f"{m} {y}"]
    return []


#: A query word this long that no memory holds may be a compound ("Kellerraum",
#: "Lieferadresse"); its parts are looked for among the indexed words, at least
#: MIN_PART long.
MIN_COMPOUND = 8
MIN_PART = 5
#: The shortest part before the word a compound closes with ("Bau" in "Bauantrag").
MIN_FIRST_PART = 3


def compound_parts(word: str, held: Callable[[str], bool]) -> list[str]:
    """The longest start and the longest end of ``word`` that begin an indexed word
    ("gartenhaus" → "garten", which begins "gartenbau"), when no indexed word
    begins like ``word`` itself. ``held`` tells whether an indexed word begins so."""
    if len(word) < MIN_COMPOUND or not word.isalpha() or held(word[: len(word) - 3]):
        return []
    heads = (word[:i] for i in range(len(word) - 1, MIN_PART - 1, -1))
    tails = (word[i:] for i in range(1, len(word) - MIN_PART + 1))
    return [p for p in (next((h for h in heads if held(h)), ""),
                        next((t for t in tails if held(t)), "")) if p]


def parts_of(word: str) -> set[str]:
    """Every run of ``MIN_PART`` letters of ``word``: two words that share one share a part
    ("parkgenehmigung" and "genehmigungen" share "geneh")."""
    return {word[i:i + MIN_PART] for i in range(len(word) - MIN_PART + 1)}


def compounds_met(words: Iterable[str], text_words: Iterable[str]) -> dict[str, set[str]]:
    """The compounds among ``words`` (``MIN_COMPOUND`` letters or more) that share a part
    with words of ``text_words``, each with those words ("parkgenehmigung" asked about meets
    "genehmigung"), and the shorter words that close a compound of ``text_words``
    ("antrag" meets "bauantrag")."""
    words = [w for w in words if w.isalpha()]
    long = [w for w in words if len(w) >= MIN_COMPOUND]
    # a shorter word asked meets the compound it closes: a compound names a kind of its
    # last part ("nummer" asked, "Kundennummer" on screen)
    heads = [w for w in words if MIN_PART <= len(w) < MIN_COMPOUND]
    if not long and not heads:
        return {}
    said = {w: parts_of(w) for w in set(text_words) if len(w) >= MIN_PART}
    asked = {w: parts_of(w) for w in long}
    met = {w: {t for t, parts in said.items() if asked[w] & parts} for w in long}
    for w in heads:
        met[w] = {t for t in said if len(t) >= len(w) + MIN_FIRST_PART and t.endswith(w)}
    return {w: found for w, found in met.items() if found}


def fts_query(text: str, phrases: Sequence[str] = (),
              parts: Sequence[str] = ()) -> str | None:
    """An FTS5 MATCH expression: every meaningful word, quoted, OR-ed (BM25 ranks them).
    Chinese and Japanese write no spaces, so the index holds a whole run of characters as
    one word ("发布负责人是林晓"): a run in the query also matches the indexed runs that
    start with its first two characters."""
    unique = query_words(text)
    if not unique:
        return None
    terms = ['"' + w.replace('"', '""') + '"' for w in unique]
    terms += [f'"{w[:CJK_PREFIX]}"*' for w in unique
              if len(w) > CJK_PREFIX and _CJK.match(w)]
    terms += [f'"{p}"' for p in phrases]
    terms += [f'"{p}"*' for p in parts]
    return " OR ".join(dict.fromkeys(terms))


@dataclass
class _Candidate:
    memory_id: str
    event_at: str = ""
    bm25: float = 0.0
    cosine: float | None = None
    bm25_rank: int | None = None
    vector_rank: int | None = None
    fused: float = 0.0
    score: float = 0.0


class HybridRetriever:
    """Ranks memories for a query. Read-only; safe to use from any thread."""

    def __init__(
        self,
        store: MemoryStore,
        *,
        candidates: int = CANDIDATES,
        weights: RankingWeights | None = None,
    ) -> None:
        self.store = store
        self.candidates = candidates
        self.weights = weights or RankingWeights()

    def search(
        self,
        query: str,
        filters: SearchFilters | None = None,
        limit: int = 10,
        *,
        now: datetime | None = None,
    ) -> list[SearchResult]:
        """The ``limit`` best memories for ``query``; ``now`` anchors relative dates."""
        filters = filters or SearchFilters()
        if not isinstance(query, str):
            raise InvalidInput("The search query must be text.")
        if limit <= 0:
            raise InvalidInput("--limit must be a positive number.")
        now = now or datetime.now(UTC).astimezone()
        parsed = parse_query(query.strip()[:MAX_QUERY_CHARS], now)
        text = parsed.text
        time_range = parsed.range or self._anchor_range(parsed.anchor, filters, now)
        if not text.strip():
            return self._recent(filters.narrowed(time_range) if time_range else filters, limit)
        depth = max(self.candidates, limit)
        found: dict[str, _Candidate] = {}
        # A time in a question may be when the user saw something or what the thing is
        # about ("the picnic on Sunday", "the March 2031 invoices", "documented before the
        # change is merged"): the whole question is searched everywhere, and without its
        # time phrase inside that time. "Before my trip" or "last week" is only a time.
        about = (parsed.range and parsed.range.named
                 or parsed.anchor and not parsed.anchor.personal)
        whole = query.strip()[:MAX_QUERY_CHARS] if about else text
        self._collect(whole, filters, depth, found, date_phrases(parsed.range))
        if time_range is not None:
            self._collect(text, filters.narrowed(time_range), depth, found)
        if not found:
            return []
        self._fuse(found)
        self._add_neighbours(found, filters)
        self._apply_priors(found, text, time_range, now)
        ordered = sorted(found.values(), key=lambda c: c.score, reverse=True)
        top = [c for c in ordered if c.score > 0][:limit]
        memories = {m.id: m for m in self.store.get_many([c.memory_id for c in top])}
        return [
            SearchResult(
                memories[c.memory_id], c.score, c.bm25_rank, c.vector_rank,
                c.cosine, c.bm25_rank is not None,
            )
            for c in top
            if c.memory_id in memories
        ]

    # -- candidates --------------------------------------------------------------------

    def _collect(
        self, text: str, filters: SearchFilters, depth: int, found: dict[str, _Candidate],
        phrases: Sequence[str] = (),
    ) -> None:
        for rank, (memory_id, score) in enumerate(
                self.bm25_scored(text, filters, depth, phrases), 1):
            c = found.setdefault(memory_id, _Candidate(memory_id))
            c.bm25 = max(c.bm25, score)
            c.bm25_rank = min(c.bm25_rank or rank, rank)
        for rank, (memory_id, cosine) in enumerate(self.vector_scored(text, filters, depth), 1):
            c = found.setdefault(memory_id, _Candidate(memory_id))
            c.cosine = cosine if c.cosine is None else max(c.cosine, cosine)
            c.vector_rank = min(c.vector_rank or rank, rank)

    def bm25_scored(self, query: str, filters: SearchFilters, depth: int,
                    phrases: Sequence[str] = ()) -> list[tuple[str, float]]:
        """(id, BM25 score) best first; higher is better. ``phrases`` are matched too."""
        match = fts_query(query, phrases, [
            part for word in query_words(query) for part in self.compound_parts(word)])
        if match is None:
            return []
        where, params = _sql_filters(filters)
        if not where:
            # Forgotten memories have no FTS row, so without filters the best ``depth`` FTS
            # rows are the answer: rank them first, join only those (twice as fast at 100k).
            rows = self.store.reader.execute(
                "SELECT m.id, f.score FROM (SELECT rowid, bm25(memory_fts) AS score "
                "FROM memory_fts WHERE memory_fts MATCH ? ORDER BY score LIMIT ?) f "
                "JOIN memories m ON m.seq = f.rowid ORDER BY f.score",
                [match, depth],
            ).fetchall()
        else:
            rows = self.store.reader.execute(
                "SELECT m.id, bm25(memory_fts) FROM memory_fts JOIN memories m "
                "ON m.seq = memory_fts.rowid "
                f"WHERE memory_fts MATCH ? AND m.deleted = 0 {where} "
                "ORDER BY bm25(memory_fts) LIMIT ?",
                [match, *params, depth],
            ).fetchall()
        return [(r[0], -float(r[1])) for r in rows]

    def compound_parts(self, word: str) -> list[str]:
        """``word``'s parts that begin indexed words, when none begins like ``word``."""
        db = self.store.reader

        def held(prefix: str) -> bool:
            return db.execute("SELECT 1 FROM memory_fts_vocab WHERE term >= ? AND term < ? "
                              "LIMIT 1", [prefix, prefix + "\uffff"]).fetchone() is not None

        return compound_parts(word, held)

    def vector_scored(
        self, query: str, filters: SearchFilters, depth: int
    ) -> list[tuple[str, float]]:
        """(id, cosine similarity) best first."""
        vector = self.store.embedder.embed_one(query)
        return self.store.vectors.query(vector, depth, _chroma_where(filters))

    def bm25(self, query: str, filters: SearchFilters, depth: int) -> list[str]:
        return [memory_id for memory_id, _ in self.bm25_scored(query, filters, depth)]

    def vector(self, query: str, filters: SearchFilters, depth: int) -> list[str]:
        return [memory_id for memory_id, _ in self.vector_scored(query, filters, depth)]

    # -- scoring -----------------------------------------------------------------------

    def _fuse(self, found: dict[str, _Candidate]) -> None:
        best_bm25 = max((c.bm25 for c in found.values()), default=0.0)
        cosines = [c.cosine for c in found.values() if c.cosine is not None]
        low, high = (min(cosines), max(cosines)) if cosines else (0.0, 0.0)
        spread = high - low
        for c in found.values():
            keyword = c.bm25 / best_bm25 if best_bm25 > 0 else 0.0
            meaning = 0.0
            if c.cosine is not None:
                meaning = (c.cosine - low) / spread if spread > 1e-9 else 1.0
            c.fused = keyword + self.weights.vector_weight * meaning
            c.score = c.fused

    def _add_neighbours(self, found: dict[str, _Candidate], filters: SearchFilters) -> None:
        """Give each memory near a strong match in the same episode part of its score."""
        weight, span = self.weights.neighbour_weight, self.weights.neighbour_span
        if weight <= 0 or span <= 0 or (filters.types and "episodic" not in filters.types):
            return
        seeds = sorted((c for c in found.values() if c.fused > 0), key=lambda c: c.fused,
                       reverse=True)[: self.weights.neighbour_seeds]
        rows = _episodic_rows(self.store, [c.memory_id for c in seeds])
        for seed in seeds:
            position = rows.get(seed.memory_id)
            if position is None:
                continue
            seed.event_at = position[0]
            for neighbour_id in self._episode_neighbours(position, span, filters):
                c = found.get(neighbour_id)
                if c is None:
                    c = found[neighbour_id] = _Candidate(neighbour_id)
                c.score = max(c.score, c.fused + weight * seed.fused)

    def _episode_neighbours(
        self, position: tuple[str, int], span: int, filters: SearchFilters
    ) -> list[str]:
        event_at, seq = position
        where, params = _sql_filters(filters)
        out: list[str] = []
        for op, order in (("<", "DESC"), (">", "ASC")):
            rows = self.store.reader.execute(
                "SELECT m.id, m.event_at FROM memories m WHERE m.type = 'episodic' "
                f"AND m.deleted = 0 AND (m.event_at, m.seq) {op} (?, ?) {where} "
                f"ORDER BY m.event_at {order}, m.seq {order} LIMIT ?",
                [event_at, seq, *params, span],
            ).fetchall()
            previous = parse_iso(event_at)
            for memory_id, at in rows:
                moment = parse_iso(at)
                if abs(moment - previous) > EPISODE_GAP:
                    break
                out.append(memory_id)
                previous = moment
        return out

    def _apply_priors(
        self,
        found: dict[str, _Candidate],
        text: str,
        time_range: TimeRange | None,
        now: datetime,
    ) -> None:
        best = max((c.score for c in found.values()), default=0.0)
        if best <= 0:
            return
        w = self.weights
        words = set(query_words(text))
        extra = _prior_rows(self.store, list(found))
        for c in found.values():
            c.score /= best
            actor, event_at, strength = extra.get(c.memory_id, (None, c.event_at, 1.0))
            if actor and w.actor_boost and set(query_words(actor)) & words:
                c.score += w.actor_boost
            if event_at:
                moment = parse_iso(event_at)
                if time_range is not None and time_range.contains(moment):
                    c.score += w.time_boost
                if w.recency_weight:
                    age_days = max(0.0, (now - moment).total_seconds() / 86400)
                    c.score += w.recency_weight * 0.5 ** (age_days / w.recency_half_life_days)
            c.score += w.strength_weight * (strength - 1.0)

    def _anchor_range(
        self, anchor: EventAnchor | None, filters: SearchFilters, now: datetime
    ) -> TimeRange | None:
        """"before my trip": find the trip, then take the time before (or after) it."""
        if anchor is None:
            return None
        hits = self.bm25_scored(anchor.event, filters, 1)
        if not hits:
            return None
        row = self.store.reader.execute(
            "SELECT event_at FROM memories WHERE id = ?", [hits[0][0]]
        ).fetchone()
        if row is None:
            return None
        moment = parse_iso(row[0])
        if anchor.relation == "before":
            return TimeRange(None, moment, anchor.phrase)
        return TimeRange(moment, None, anchor.phrase)

    def _recent(self, filters: SearchFilters, limit: int) -> list[SearchResult]:
        """An empty query lists the newest memories that match the filters."""
        where, params = _sql_filters(filters)
        rows = self.store.reader.execute(
            f"SELECT m.id FROM memories m WHERE m.deleted = 0 {where} "
            "ORDER BY m.event_at DESC LIMIT ?",
            [*params, limit],
        ).fetchall()
        return [SearchResult(m, 0.0, None, None) for m in self.store.get_many([r[0] for r in rows])]


def _episodic_rows(store: MemoryStore, ids: list[str]) -> dict[str, tuple[str, int]]:
    out: dict[str, tuple[str, int]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        # Looked up by id only: with a type condition SQLite prefers the type index and
        # walks every episodic row.
        for memory_id, memory_type, event_at, seq in store.reader.execute(
            f"SELECT id, type, event_at, seq FROM memories WHERE id IN ({marks})", chunk
        ):
            if memory_type == "episodic":
                out[memory_id] = (event_at, seq)
    return out


def _prior_rows(store: MemoryStore, ids: list[str]) -> dict[str, tuple[str | None, str, float]]:
    """id -> (actor of an episodic memory, event time, strength)."""
    out: dict[str, tuple[str | None, str, float]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for memory_id, actor, event_at, strength in store.reader.execute(
            "SELECT m.id, e.actor, m.event_at, m.strength FROM memories m "
            f"LEFT JOIN episodic_memory e ON e.id = m.id WHERE m.id IN ({marks})",
            chunk,
        ):
            out[memory_id] = (actor, event_at, float(strength))
    return out


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
