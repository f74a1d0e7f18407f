"""The language-model manager: which GGUF file extraction and chat use, the recommended
stronger models, and a downloader with progress, resume (HTTP Range) and a sha256 check.

Activation is atomic: a download goes to ``<name>.part`` and becomes ``<name>.gguf`` only
after its size, GGUF header and checksum are right; only then is the setting switched.
Nothing half-written ever becomes the active model. The expected checksum is the
catalogue's, else the one the server publishes for the file (Hugging Face sends the
sha256 of large files as ``X-Linked-ETag``); without either, the download is refused
unless the caller passes one.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from memory.errors import KnownError

log = logging.getLogger(__name__)

MODELS_DIR = "models"
CHUNK = 1 << 20
GGUF_MAGIC = b"GGUF"


class ModelDownloadError(KnownError):
    """A model download failed or its file is not what was promised."""


@dataclass(frozen=True)
class ModelSpec:
    """A downloadable model. ``size_mb`` is approximate (for the user); the exact size and
    checksum come from ``sha256`` / the server."""

    name: str
    title: str
    url: str
    size_mb: int
    sha256: str | None = None
    note: str = ""

    @property
    def file_name(self) -> str:
        return self.url.rsplit("/", 1)[-1]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


RECOMMENDED: tuple[ModelSpec, ...] = (
    ModelSpec("qwen2.5-1.5b", "Qwen2.5 1.5B Instruct (Q4_K_M)",
              "https://huggingface.co/Qwen/Qwen2.5-1.5B-Instruct-GGUF/resolve/main/"
              "qwen2.5-1.5b-instruct-q4_k_m.gguf", 1120),
    ModelSpec("qwen2.5-3b", "Qwen2.5 3B Instruct (Q4_K_M)",
              "https://huggingface.co/Qwen/Qwen2.5-3B-Instruct-GGUF/resolve/main/"
              "qwen2.5-3b-instruct-q4_k_m.gguf", 2100),
    ModelSpec("llama3.2-3b", "Llama 3.2 3B Instruct (Q4_K_M)",
              "https://huggingface.co/bartowski/Llama-3.2-3B-Instruct-GGUF/resolve/main/"
              "Llama-3.2-3B-Instruct-Q4_K_M.gguf", 2020),
    ModelSpec("gemma3-1b", "Gemma 3 1B it (Q4_K_M)",
              "https://huggingface.co/bartowski/google_gemma-3-1b-it-GGUF/resolve/main/"
              "google_gemma-3-1b-it-Q4_K_M.gguf", 810),
    ModelSpec("gemma3-4b", "Gemma 3 4B it (Q4_K_M)",
              "https://huggingface.co/bartowski/google_gemma-3-4b-it-GGUF/resolve/main/"
              "google_gemma-3-4b-it-Q4_K_M.gguf", 2490),
)
BY_NAME = {spec.name: spec for spec in RECOMMENDED}

Progress = Callable[[int, int | None], None]


def find_spec(name: str) -> ModelSpec:
    spec = BY_NAME.get(name)
    if spec is None:
        raise ModelDownloadError(
            f"No recommended model called {name!r}; choose one of {', '.join(BY_NAME)} "
            "(or set llm_model_path to any GGUF file)."
        )
    return spec


def models_dir(data_dir: Path) -> Path:
    path = Path(data_dir) / MODELS_DIR
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def check_gguf(path: Path) -> None:
    """Refuse a file that is not a GGUF model (an HTML error page, a truncated file)."""
    try:
        with open(path, "rb") as handle:
            magic = handle.read(4)
    except OSError as exc:
        raise ModelDownloadError(f"Cannot read the model file {path}: {exc.strerror}.") from exc
    if magic != GGUF_MAGIC:
        raise ModelDownloadError(f"{path} is not a GGUF model file; choose a .gguf file.")


def _published_sha256(headers: Any) -> str | None:
    for name in ("X-Linked-ETag", "ETag", "X-Checksum-Sha256"):
        value = (headers.get(name) or "").strip().strip('"').removeprefix("W/").strip('"')
        if re.fullmatch(r"[0-9a-fA-F]{64}", value):
            return value.lower()
    return None


def download(
    spec: ModelSpec, target_dir: Path, *, progress: Progress | None = None,
    expected_sha256: str | None = None, timeout_s: float = 60.0,
) -> Path:
    """Download ``spec`` into ``target_dir``, resuming a previous ``.part``; return the
    verified final path. Raises :class:`ModelDownloadError`; a broken transfer leaves the
    ``.part`` to resume, a wrong checksum deletes it."""
    final = target_dir / spec.file_name
    part = final.with_name(final.name + ".part")
    have = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(spec.url, headers={"User-Agent": "engram"})
    if have:
        request.add_header("Range", f"bytes={have}-")
    try:
        response = urllib.request.urlopen(request, timeout=timeout_s)  # noqa: S310
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:  # the .part is already complete
            return _verify_and_finish(spec, part, final, expected_sha256, None)
        raise ModelDownloadError(
            f"The server refused the download of {spec.name} (HTTP {exc.code}); try later."
        ) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise ModelDownloadError(
            f"Cannot reach {spec.url} ({getattr(exc, 'reason', exc)}); check the network."
        ) from exc
    with response:
        resumed = response.status == 206
        if not resumed:
            have = 0
        length = response.headers.get("Content-Length")
        total = have + int(length) if length and length.isdigit() else None
        published = _published_sha256(response.headers)
        with open(part, "ab" if resumed else "wb") as handle:
            done = have
            if progress:
                progress(done, total)
            try:
                while chunk := response.read(CHUNK):
                    handle.write(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
            except (OSError, ValueError) as exc:  # connection reset, incomplete read
                raise ModelDownloadError(
                    f"The download of {spec.name} stopped at {done:,} bytes ({exc}); run the "
                    "same command again to resume."
                ) from exc
            handle.flush()
            os.fsync(handle.fileno())
    if total is not None and part.stat().st_size < total:
        raise ModelDownloadError(
            f"The download of {spec.name} stopped at {part.stat().st_size:,} of {total:,} "
            "bytes; run the same command again to resume."
        )
    return _verify_and_finish(spec, part, final, expected_sha256, published)


def _verify_and_finish(
    spec: ModelSpec, part: Path, final: Path, expected: str | None, published: str | None,
) -> Path:
    want = (expected or spec.sha256 or published or "").lower()
    if not want:
        raise ModelDownloadError(
            f"No checksum is known for {spec.name}, so the file cannot be verified; "
            "pass the expected sha256."
        )
    digest = hashlib.sha256()
    with open(part, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    if digest.hexdigest() != want:
        part.unlink(missing_ok=True)
        raise ModelDownloadError(
            f"The downloaded {spec.name} does not match its sha256 checksum; it was deleted. "
            "Download it again."
        )
    try:
        check_gguf(part)
    except ModelDownloadError:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, final)
    return final


def activate(settings: Any, path: Path) -> None:
    """Make a verified GGUF file the model extraction and chat use (an atomic settings
    write, after the file is complete)."""
    check_gguf(path)
    settings.set("llm_model_path", str(path))


def installed(data_dir: Path) -> list[Path]:
    return sorted(models_dir(data_dir).glob("*.gguf"))
