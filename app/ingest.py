"""Ingest: OCR the pending frames, move redacted secrets into the vault while it is unlocked,
then extract memories from the OCR'd frames (``engram ingest``, tests and benchmarks).

App-level wiring: it joins capture's OCR worker and memory's extraction worker over the one
frame store that :mod:`app.services` builds; neither library knows the other's worker.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from app.services import Services
from capture.ocr import OcrEngine
from capture.pipeline import CaptureConfig, OcrWorker
from capture.redaction import Redactor, SecretKeeper
from memory.extraction.worker import BatchReport

#: ``progress(stage, done, total)``; stage is "ocr" or "extract".
Progress = Callable[[str, int, int], None]


def run_ocr(services: Services, wait: bool, progress: Progress | None = None, *,
            ocr_engine: OcrEngine | None = None) -> dict[str, Any]:
    """OCR pending frames (with ``wait``, also those arriving meanwhile) and promote
    keep redacted secrets in the vault (sealed while it is locked)."""
    config = CaptureConfig.from_settings(services.settings)
    keeper = SecretKeeper(services.store)
    worker = OcrWorker(services.frame_store(),
                       ocr_engine or OcrEngine(threads=config.ocr_threads),
                       Redactor(config.redaction_extra_patterns), keeper)

    def ocr_progress(done: int, remaining: int) -> None:
        if progress is not None:
            progress("ocr", done, done + remaining)

    report: dict[str, Any] = worker.run_pending(wait=wait, progress=ocr_progress).to_dict()
    report["vault_entries_settled"] = keeper.settle()
    report["vault_entries_added"] = keeper.added
    return report


def run_extraction(services: Services, wait: bool, progress: Progress | None = None, *,
                   use_model: bool | None = None) -> dict[str, Any]:
    """Extract memories from the OCR'd frames: all of them with ``wait``, else one batch."""

    def step_progress(done: int, total: int) -> None:
        if progress is not None:
            progress("extract", done, total)

    worker = services.extraction_worker(use_model=use_model)
    report = worker.drain(step_progress) if wait else worker.run_once(drain=True)
    return extraction_dict(report)


def extraction_dict(report: BatchReport) -> dict[str, Any]:
    return {
        "frames_extracted": report.frames_extracted, "frames_failed": report.frames_failed,
        "frames_blank": report.frames_blank, "segments": report.segments, "ops": report.ops,
        "model_calls": report.model_calls, "grounding_dropped": report.grounding_dropped,
        "vault_skipped_locked": report.vault_skipped_locked,
    }


def run_ingest(services: Services, wait: bool, progress: Progress | None = None, *,
               ocr_engine: OcrEngine | None = None, extract: bool = True) -> dict[str, Any]:
    """OCR, then extraction (unless ``extract`` is False: ``extraction`` is then None).
    With ``wait``, return only when no frame is pending."""
    started = time.monotonic()
    report = run_ocr(services, wait, progress, ocr_engine=ocr_engine)
    report["extraction"] = run_extraction(services, wait, progress) if extract else None
    report["pending"] = services.frame_store().count("pending")
    report["seconds"] = round(time.monotonic() - started, 3)
    return report
