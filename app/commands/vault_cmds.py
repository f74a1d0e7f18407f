"""Knowledge-vault commands: vault add, vault list, vault reveal."""

from __future__ import annotations

import argparse
import sys

from app.cli import CliError, emit, read_passphrase
from app.services import Services
from memory.errors import NotFound
from memory.schema import TYPE_FIELDS

_SPEC = {spec.name: spec for spec in TYPE_FIELDS["vault"]}


def register(sub: argparse._SubParsersAction) -> None:
    vault = sub.add_parser("vault", help="the knowledge vault (secrets encrypted at rest)")
    vsub = vault.add_subparsers(dest="vault_command", metavar="ACTION", required=True)

    p = vsub.add_parser("add", help="add an entry")
    p.add_argument("--caption", required=True)
    p.add_argument("--entry-type", required=True, choices=_SPEC["entry_type"].choices)
    p.add_argument("--sensitivity", default="medium", choices=_SPEC["sensitivity"].choices)
    p.add_argument("--source", help="where it came from")
    p.add_argument("--secret-stdin", action="store_true",
                   help="read the secret from standard input (else prompt for it)")
    p.add_argument("--passphrase-file", metavar="F")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_add)

    p = vsub.add_parser("list", help="list entries (captions only, never secrets)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_list, read_only=True)

    p = vsub.add_parser("reveal", help="print one entry's secret")
    p.add_argument("id", nargs="?")
    p.add_argument("--caption")
    p.add_argument("--passphrase-file", metavar="F")
    p.set_defaults(func=cmd_reveal)


def _unlock(services: Services, passphrase_file: str | None) -> None:
    """Unlock from the OS keyring where the vault keeps its key there, else by passphrase."""
    vault = services.store.vault
    if vault.is_unlocked:
        return
    if passphrase_file is None and vault.unlock_with_keyring():
        return
    vault.unlock(read_passphrase(passphrase_file))


def cmd_add(args: argparse.Namespace, services: Services) -> int:
    if args.secret_stdin:
        secret = sys.stdin.read().rstrip("\r\n")
    elif sys.stdin.isatty():
        import getpass

        secret = getpass.getpass("Secret: ")
    else:
        raise CliError("Pass --secret-stdin to read the secret from standard input.")
    if not secret:
        raise CliError("The secret is empty.")
    _unlock(services, args.passphrase_file)
    memory = services.store.add(
        "vault",
        {
            "caption": args.caption,
            "entry_type": args.entry_type,
            "sensitivity": args.sensitivity,
            "source": args.source,
            "secret_value": secret,
        },
        source="manual",
    )
    emit(args, {"id": memory.id, "caption": args.caption}, f"Added {memory.id}: {args.caption}")
    return 0


def cmd_list(args: argparse.Namespace, services: Services) -> int:
    entries = services.store.list("vault", limit=100_000)
    rows = [
        {
            "id": m.id,
            "caption": m.fields["caption"],
            "entry_type": m.fields["entry_type"],
            "sensitivity": m.fields["sensitivity"],
            "source": m.fields["source"],
            "created_at": m.created_at,
        }
        for m in entries
    ]
    text = "\n".join(
        f"{r['id']}  {r['entry_type']:<14} {r['sensitivity']:<6} {r['caption']}" for r in rows
    )
    emit(args, {"entries": rows}, text or "The vault is empty.")
    return 0


def cmd_reveal(args: argparse.Namespace, services: Services) -> int:
    store = services.store
    if bool(args.id) == bool(args.caption):
        raise CliError("Name the entry by ID or by --caption (one of the two).")
    memory_id = args.id
    if args.caption:
        matches = [m for m in store.list("vault", limit=100_000)
                   if m.fields["caption"] == args.caption]
        if not matches:
            raise NotFound(f"No vault entry has the caption {args.caption!r}.")
        if len(matches) > 1:
            raise CliError(
                f"{len(matches)} vault entries have that caption; reveal one by ID: "
                + ", ".join(m.id for m in matches)
            )
        memory_id = matches[0].id
    _unlock(services, args.passphrase_file)
    print(store.reveal_secret(memory_id))
    return 0
