"""Archive commands: export (a portable .engram archive, Markdown or CSV) and import."""

from __future__ import annotations

import argparse
import sys

from app.cli import CliError, emit, read_passphrase
from app.services import Services
from memory.archive.export import export_archive, stored_secret_count
from memory.archive.importer import ArchiveImporter, ImportReport
from memory.archive.reader import ArchiveReader, PassphraseNeeded
from memory.archive.text_export import export_csv, export_markdown
from memory.store import MemoryStore


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write a portable archive (.engram), Markdown or CSV")
    p.add_argument("path", help="the file to write (a folder with --csv)")
    p.add_argument("--no-frames", action="store_true",
                   help="leave captured frames out (their metadata, text and images)")
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--markdown", action="store_true",
                      help="one human-readable Markdown file (never holds vault secrets)")
    kind.add_argument("--csv", action="store_true",
                      help="a folder with one CSV file per memory type (never vault secrets)")
    p.add_argument("--passphrase-file", metavar="F",
                   help="encrypt the archive with the passphrase on F's first line; required "
                   "when the vault holds secrets (it also unlocks the vault)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help="merge an .engram archive into this data folder")
    p.add_argument("path")
    p.add_argument("--dry-run", action="store_true",
                   help="verify the archive and report what would change, changing nothing")
    p.add_argument("--passphrase-file", metavar="F",
                   help="the archive's passphrase on F's first line (it also unlocks the vault)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_import)


def _unlock_vault(store: MemoryStore, passphrase: str | None) -> None:
    """Open the vault with the OS keyring if it uses one, else with the given passphrase."""
    vault = store.vault
    if vault.is_unlocked or vault.unlock_with_keyring():
        return
    if passphrase is None:
        raise CliError("The vault is locked: pass --passphrase-file F.")
    vault.unlock(passphrase)


def cmd_export(args: argparse.Namespace, services: Services) -> int:
    store = services.store
    if args.markdown or args.csv:
        if args.passphrase_file:
            raise CliError("Markdown and CSV exports are plain text and cannot be encrypted; "
                           "use the .engram archive for that.")
        counts = export_markdown(store, args.path) if args.markdown else export_csv(
            store, args.path)
        total = sum(counts.values())
        emit(args, {"path": args.path, "memories": counts},
             f"Wrote {total} memories to {args.path} (vault secrets are never included).")
        return 0
    passphrase = (read_passphrase(args.passphrase_file, prompt="Archive passphrase: ")
                  if args.passphrase_file else None)
    if passphrase is not None and stored_secret_count(store.reader):
        _unlock_vault(store, passphrase)
    report = export_archive(store, args.path, passphrase=passphrase,
                            include_frames=not args.no_frames)
    total = sum(report.memories.values())
    emit(args, report.to_dict(),
         f"Exported {total} memories, {report.frames} frames to {args.path} "
         f"({report.bytes / 1e6:.1f} MB, {'encrypted' if report.encrypted else 'not encrypted'}).")
    return 0


def cmd_import(args: argparse.Namespace, services: Services) -> int:
    store = services.store
    passphrase = (read_passphrase(args.passphrase_file, prompt="Archive passphrase: ")
                  if args.passphrase_file else None)
    try:
        reader = ArchiveReader(args.path, passphrase)
    except PassphraseNeeded:
        if not sys.stdin.isatty():
            raise
        passphrase = read_passphrase(None, prompt="Archive passphrase: ")
        reader = ArchiveReader(args.path, passphrase)
    with reader:
        importer = ArchiveImporter(store, reader)
        importer.verified = reader.verify()
        if importer.verified.secrets and not (args.dry_run and not store.vault.is_set_up):
            _unlock_vault(store, passphrase)
        report = importer.run(dry_run=args.dry_run)
    added = sum(report.added.values())
    verb = "Would import" if report.dry_run else "Imported"
    emit(args, report.to_dict(),
         f"{verb} {added} new memories; {report.updated} updated, {report.kept_local} kept "
         f"newer local, {report.unchanged + report.duplicates} already present; "
         f"{report.frames_added} frames, {report.history_added} history rows, "
         f"{report.links_added} links." + _core_note(report))
    return 0


def _core_note(report: ImportReport) -> str:
    """Core memory goes into every answer's prompt: say when the archive changed it."""
    parts = []
    if report.core_added:
        parts.append(f"added {', '.join(map(repr, report.core_added))}")
    if report.core_replaced:
        parts.append(f"replaced {', '.join(map(repr, report.core_replaced))} with a new version "
                     "(the previous value is kept in its history)")
    return f"\nCore memory from the archive: {'; '.join(parts)}." if parts else ""
