"""The vector index: a Chroma collection, embedded (``PersistentClient``) or on a server
(``HttpClient``), with Chroma's telemetry switched off and no embedding function of its own
(Engram embeds on the device and hands Chroma the vectors).

The collection records the embedding model id and dimension; opening it with another model
is refused, since vectors from two models cannot be compared.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from memory import telemetry
from memory.errors import EmbeddingMismatch, StoreUnavailable

log = logging.getLogger(__name__)

PAGE = 5000
#: How many neighbours the index's graph search keeps in view: its results are approximate,
#: and with the default (as many as asked) the last ones differ from one process to the
#: next. Wider, the same question finds the same memories every time.
SEARCH_EF = 400
#: Memories whose vectors are the same (two turns both saying "Thanks!") tie; more are
#: asked for than needed, so that the ones kept are chosen by id, not by the graph's order.
TIE_MARGIN = 20


def chroma_settings() -> Any:
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


class VectorIndex:
    """Memory vectors keyed by memory id, with ``type``, ``event_ts`` and ``app`` metadata
    for filtering."""

    def __init__(
        self,
        client: Any,
        collection_name: str,
        model_id: str,
        dimension: int,
        *,
        rebuild_on_mismatch: bool = False,
    ):
        self._client = client
        self.collection_name = collection_name
        self.model_id = model_id
        self.dimension = dimension
        try:
            self._collection = self._open_collection()
        except EmbeddingMismatch:
            if not rebuild_on_mismatch:
                raise
            log.info("vector index built with another model: rebuilding it empty")
            self.rebuild_empty()

    @classmethod
    def open(
        cls,
        *,
        path: Path | None,
        server_url: str | None,
        collection_name: str,
        model_id: str,
        dimension: int,
        rebuild_on_mismatch: bool = False,
    ) -> VectorIndex:
        """Open the embedded index at ``path``, or the server at ``server_url`` if given."""
        telemetry.disable()
        import chromadb

        try:
            if server_url:
                parsed = urlparse(server_url if "://" in server_url else f"http://{server_url}")
                client = chromadb.HttpClient(
                    host=parsed.hostname or "127.0.0.1",
                    port=parsed.port or 8000,
                    ssl=parsed.scheme == "https",
                    settings=chroma_settings(),
                )
                client.heartbeat()
            else:
                assert path is not None
                path.mkdir(parents=True, exist_ok=True, mode=0o700)
                client = chromadb.PersistentClient(path=str(path), settings=chroma_settings())
        except (ValueError, ConnectionError, OSError) as exc:
            where = server_url or str(path)
            raise StoreUnavailable(f"The vector index at {where} could not be opened: {exc}") from exc
        except Exception as exc:  # chromadb raises its own hierarchy for server errors
            where = server_url or str(path)
            raise StoreUnavailable(f"The vector index at {where} could not be opened: {exc}") from exc
        return cls(
            client, collection_name, model_id, dimension, rebuild_on_mismatch=rebuild_on_mismatch
        )

    def _open_collection(self) -> Any:
        collection = self._client.get_or_create_collection(
            name=self.collection_name,
            metadata={"embedding_model": self.model_id, "dimension": self.dimension},
            configuration={"hnsw": {"space": "cosine", "ef_search": SEARCH_EF}},
            embedding_function=None,
        )
        hnsw = (getattr(collection, "configuration", None) or {}).get("hnsw") or {}
        if int(hnsw.get("ef_search") or 0) < SEARCH_EF:
            # an index made before the search was widened
            try:
                collection.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}})
            except Exception as exc:  # a server that cannot: its search stays narrower
                log.warning("the vector index's search could not be widened: %s", exc)
        meta = collection.metadata or {}
        if meta.get("embedding_model") != self.model_id or int(
            meta.get("dimension", -1)
        ) != self.dimension:
            raise EmbeddingMismatch(
                f"The vector index was built with {meta.get('embedding_model')!r} "
                f"({meta.get('dimension')} dimensions) but Engram now uses {self.model_id!r} "
                f"({self.dimension}); run `engram reindex` to rebuild it."
            )
        return collection

    def upsert(
        self, ids: Sequence[str], vectors: np.ndarray, metadatas: Sequence[dict[str, Any]]
    ) -> None:
        if not ids:
            return
        if vectors.shape != (len(ids), self.dimension):
            raise EmbeddingMismatch(
                f"Got vectors of shape {vectors.shape}; the index holds {self.dimension} dims."
            )
        clean = [{k: v for k, v in m.items() if v is not None} or {"type": "?"} for m in metadatas]
        self._collection.upsert(ids=list(ids), embeddings=vectors.tolist(), metadatas=clean)

    def delete(self, ids: Iterable[str]) -> None:
        id_list = list(ids)
        for start in range(0, len(id_list), PAGE):
            self._collection.delete(ids=id_list[start : start + PAGE])

    def query(
        self, vector: np.ndarray, n: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """The ``n`` nearest ids with their cosine similarity, best first."""
        if n <= 0:
            return []
        # Chroma returns fewer than n when the index holds fewer (no count() round trip:
        # it costs as much as the search itself at 100k vectors).
        result = self._collection.query(
            query_embeddings=[vector.tolist()],
            n_results=n + TIE_MARGIN,
            where=where or None,
            include=["distances"],
        )
        ids = result["ids"][0]
        distances = result["distances"][0] if result.get("distances") else [0.0] * len(ids)
        found = sorted(((i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)),
                       key=lambda pair: (-pair[1], pair[0]))
        return found[:n]

    def ids(self) -> set[str]:
        out: set[str] = set()
        offset = 0
        while True:
            page = self._collection.get(include=[], limit=PAGE, offset=offset)
            out.update(page["ids"])
            if len(page["ids"]) < PAGE:
                return out
            offset += PAGE

    def iter_embeddings(self, page: int = 1000) -> Iterator[tuple[list[str], np.ndarray]]:
        """Every stored vector, a page at a time: ``(ids, float32 array of shape (n, dim))``."""
        offset = 0
        while True:
            batch = self._collection.get(include=["embeddings"], limit=page, offset=offset)
            ids = list(batch["ids"])
            if ids:
                yield ids, np.asarray(batch["embeddings"], dtype=np.float32)
            if len(ids) < page:
                return
            offset += page

    def count(self) -> int:
        return int(self._collection.count())

    def rebuild_empty(self) -> None:
        """Drop the collection and create it again, empty, for the current model."""
        try:
            self._client.delete_collection(self.collection_name)
        except Exception as exc:  # not-found is fine; anything else surfaces on re-create
            log.debug("delete_collection: %s", exc)
        self._collection = self._open_collection()
