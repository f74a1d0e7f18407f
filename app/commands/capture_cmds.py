"""Capture commands: ``capture --once``, ``capture --watch`` and ``ingest`` (whose work,
OCR then extraction, lives in :mod:`app.ingest`)."""

from __future__ import annotations

import argparse
import logging
import signal
import sys

from app.cli import emit, read_passphrase
from app.ingest import run_ingest
from app.services import Services
from capture.pipeline import CaptureConfig, CapturedFrame, CapturePipeline

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("capture", help="grab the screen through the capture pipeline")
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--once", action="store_true", help="grab every monitor once")
    mode.add_argument("--watch", action="store_true",
                      help="capture until interrupted (OCR runs alongside)")
    p.add_argument("--no-ocr", action="store_true", help="with --watch: do not OCR meanwhile")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object (--watch: one per grab, one per line)")
    p.set_defaults(func=cmd_capture)

    p = sub.add_parser("ingest", help="run OCR (and extraction) on pending frames")
    p.add_argument("--wait", action="store_true", help="return only when the queue is empty")
    p.add_argument("--passphrase-file", metavar="F",
                   help="unlock the vault to move redacted secrets into it")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_ingest)


def build_pipeline(services: Services) -> CapturePipeline:
    return CapturePipeline(services.store, CaptureConfig.from_settings(services.settings))


def _frames_text(frames: list[CapturedFrame]) -> str:
    return "\n".join(
        f"monitor {f.monitor}: {f.status}" + (f" (frame {f.id})" if f.id else "")
        + (f" — {f.app}: {f.window_title}" if f.app and f.window_title else "")
        + (f" — {f.reason}" if f.status in ("paused", "excluded", "failed") else "")
        for f in frames
    ) or "No monitor to capture."


def cmd_capture(args: argparse.Namespace, services: Services) -> int:
    pipeline = build_pipeline(services)
    if args.once:
        pipeline.start()
        try:
            frames = pipeline.capture_once()
        finally:
            pipeline.grabber.close()
            pipeline.masker.reader.close()
            pipeline.lock.release()
        emit(args, {"frames": [f.to_dict() for f in frames]}, _frames_text(frames))
        return 0

    def show(frames: list[CapturedFrame]) -> None:
        emit(args, {"frames": [f.to_dict() for f in frames], "state": pipeline.state},
             _frames_text(frames))
        sys.stdout.flush()

    previous = signal.signal(signal.SIGTERM, lambda *_: pipeline.stop())
    try:
        pipeline.run(with_ocr=not args.no_ocr, on_frames=show)
    except KeyboardInterrupt:
        pipeline.stop()
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0


def cmd_ingest(args: argparse.Namespace, services: Services) -> int:
    if args.passphrase_file:
        services.store.vault.unlock(read_passphrase(args.passphrase_file))

    def progress(stage: str, done: int, total: int) -> None:
        if not args.json:
            print(f"{stage}: {done}/{total}", file=sys.stderr)

    report = run_ingest(services, args.wait, progress)
    text = (f"OCR: {report['ocr_done']} done, {report['failed']} failed, "
            f"{report['pending']} pending ({report['seconds']} s)")
    if report["vault_entries_added"]:
        text += (f"\nVault: {report['vault_entries_added']} redacted secrets kept "
                 "(sealed while the vault is locked)")
    emit(args, report, text)
    return 0
