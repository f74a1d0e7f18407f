"""The ``engram`` command line (also ``python -m app``). The contract in ARCHITECTURE.md is
stable: scripts and benchmarks depend on its flags and on the JSON it prints.

Each area registers its own sub-commands from a module in :mod:`app.commands`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from collections.abc import Sequence
from typing import Any

from app import __version__
from app.paths import resolve_data_dir
from memory import telemetry
from memory.errors import KnownError

log = logging.getLogger("engram")

#: Modules under app.commands, each with ``register(subparsers)``.
COMMAND_MODULES = (
    "app.commands.memory_cmds",
    "app.commands.vault_cmds",
    "app.commands.chat_cmds",
    "app.commands.capture_cmds",
    "app.commands.archive_cmds",
    "app.commands.extract_cmds",
)


class CliError(KnownError):
    """A usage problem found after parsing (for example a missing passphrase)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="engram",
        description="Engram: a private, on-device memory of what you see and do.",
    )
    parser.add_argument(
        "--data-dir",
        metavar="PATH",
        help="data folder (default: $ENGRAM_DATA_DIR or the platform's user data folder)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    parser.add_argument("--version", action="version", version=f"engram {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def emit(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    """Print one JSON object with ``--json``, else the human-readable text."""
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, default=str))
    else:
        print(text)


def read_passphrase(path: str | None, *, prompt: str = "Vault passphrase: ") -> str:
    """The first line of ``--passphrase-file``, else an interactive prompt."""
    if path:
        try:
            with open(path, encoding="utf-8") as handle:
                line = handle.readline().rstrip("\r\n")
        except OSError as exc:
            raise CliError(f"Cannot read the passphrase file {path}: {exc.strerror}.") from exc
        if not line:
            raise CliError(f"The passphrase file {path} is empty.")
        return line
    if not sys.stdin.isatty():
        raise CliError("The vault is locked: pass --passphrase-file FILE (no terminal to ask).")
    import getpass

    return getpass.getpass(prompt)


def main(argv: Sequence[str] | None = None) -> int:
    telemetry.disable()
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if args.command is None:
        args = parser.parse_args([*(argv or sys.argv[1:]), "run"])
    from app.services import Services

    services: Services | None = None
    try:
        # Read-only commands run beside a writer (the app, a capture loop); others take
        # the data folder's writer lock.
        words = (args.command, getattr(args, "vault_command", None),
                 getattr(args, "models_command", None))
        services = Services(resolve_data_dir(args.data_dir),
                            read_only=bool(getattr(args, "read_only", False)),
                            command=" ".join(["engram", *(w for w in words if w)]))
        return int(args.func(args, services) or 0)
    except KnownError as exc:
        print(f"engram: error: {exc.text()}", file=sys.stderr)
        if getattr(args, "errors_in_window", False):  # the desktop app, maybe with no terminal
            from ui.app import show_startup_error

            show_startup_error(exc.text())
        return 1
    except KeyboardInterrupt:
        print("engram: interrupted", file=sys.stderr)
        return 130
    finally:
        if services is not None:
            services.close()
