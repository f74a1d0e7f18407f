"""The seam between Settings and the model manager (:mod:`memory.extraction.models`): which
language models can be chosen, downloading one with progress, and activating a file.

The bundled SmolLM2 model is always offered first, then the manager's recommended models
(marked when already downloaded into the data folder).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.services import Services, bundled_llm_path
from memory.extraction import models
from ui.actions import set_setting
from ui.ops import MemoryChanges

BUNDLED_LABEL = "SmolLM2-135M-Instruct (bundled)"


@dataclass(frozen=True)
class ModelChoice:
    key: str  # "" for the bundled model, else the manager's model name
    label: str
    installed_path: Path | None  # where the file is, when it is on disk
    size_mb: int = 0


def choices(services: Services) -> list[ModelChoice]:
    bundled = bundled_llm_path()
    out = [ModelChoice("", BUNDLED_LABEL if bundled else "Bundled model (not installed)",
                       bundled)]
    folder = services.data_dir / models.MODELS_DIR
    for spec in models.RECOMMENDED:
        path = folder / spec.file_name
        out.append(ModelChoice(spec.name, f"{spec.title}, {spec.size_mb:,} MB",
                               path if path.is_file() else None, spec.size_mb))
    return out


def download(services: Services, key: str, progress: Callable[[int, int], None],
             check_cancelled: Callable[[], None]) -> Path:
    """Download a recommended model into the data folder (resuming a partial download);
    ``check_cancelled`` raises to stop, leaving the partial file to resume later."""

    def report(done: int, total: int | None) -> None:
        check_cancelled()
        progress(done, total or 0)

    spec = models.find_spec(key)
    return models.download(spec, models.models_dir(services.data_dir), progress=report)


def activate(services: Services, path: str) -> MemoryChanges:
    """Use a GGUF file (checked first), or the bundled model for ``""``."""
    if path:
        models.check_gguf(Path(path))
    set_setting(services, "llm_model_path", path)
    return MemoryChanges(settings=frozenset({"llm_model_path"}))
