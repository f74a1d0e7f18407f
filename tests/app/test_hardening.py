"""Privacy hardening: a private data folder, no telemetry, no sockets, no secrets or screen
text in logs, and no plaintext vault secret anywhere on disk. Real store, real Chroma, real
ONNX embedder, the real CLI run in-process."""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.paths import make_private
from app.services import Services
from memory.archive.export import export_archive
from memory.archive.importer import import_archive
from memory.archive.text_export import export_csv, export_markdown
from memory.store import MemoryStore
from memory.vectors import chroma_settings
from tests.memory.archive_seed import PASSPHRASE, populate


@pytest.fixture(autouse=True)
def restore_umask() -> Iterator[None]:
    """Services makes the process umask private; give the next test its own back."""
    previous = os.umask(0o022)
    os.umask(previous)
    yield
    os.umask(previous)


def _modes(root: Path) -> dict[str, int]:
    return {
        str(path.relative_to(root)): stat.S_IMODE(path.lstat().st_mode)
        for path in [root, *root.rglob("*")]
    }


def test_a_populated_data_folder_is_private(tmp_path: Path) -> None:
    os.umask(0o022)  # a typical desktop umask: new files 0644, folders 0755
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "settings.json").write_text("{}")
    (data / "old").mkdir()
    (data / "old" / "notes.txt").write_text("left by an older version")
    os.chmod(data, 0o755)
    services = Services(data)
    try:
        store = services.store
        populate(store)  # SQLite (+ -wal/-shm), Chroma, frames with WebP files, the vault
        services.settings.set("capture_interval_seconds", 5.0)
        store.add("semantic", {"name": "after", "summary": "written after populate"})
        assert (data / "engram.db-wal").exists() and (data / "vectors").is_dir()
        assert list((data / "frames").rglob("*.webp"))
        modes = _modes(data)
    finally:
        services.close()
    loose = {name: oct(mode) for name, mode in modes.items()
             if mode != (0o700 if (data / name).is_dir() else 0o600)}
    assert loose == {}
    assert {"engram.db", "engram.db-wal", "engram.db-shm", "settings.json"} <= set(modes)
    assert any(name.startswith("vectors/") for name in modes)


def test_make_private_leaves_links_alone(tmp_path: Path) -> None:
    root = tmp_path / "d"
    root.mkdir()
    root.chmod(0o755)
    outside = tmp_path / "outside.txt"
    outside.write_text("not ours")
    outside.chmod(0o644)
    (root / "link").symlink_to(outside)
    (root / "f").write_text("x")
    (root / "f").chmod(0o664)
    assert make_private(root) == 2
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644
    assert stat.S_IMODE((root / "f").stat().st_mode) == 0o600


def test_chroma_telemetry_is_off(store: MemoryStore) -> None:
    assert chroma_settings().anonymized_telemetry is False
    assert store.vectors._client.get_settings().anonymized_telemetry is False
    store.add("semantic", {"name": "t", "summary": "telemetry check"})
    store.vectors.query(store.embedder.embed_one("telemetry"), 1)
    assert "posthog" not in sys.modules  # no product-analytics client was even imported


class SocketRecorder:
    """Records every connect/bind/listen/sendto made through Python's socket module."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[str, Any]] = []
        for name in ("connect", "connect_ex", "bind", "listen", "sendto"):
            original = getattr(socket.socket, name)

            def record(sock: socket.socket, *args: Any, _name: str = name,
                       _original: Any = original) -> Any:
                self.calls.append((_name, args[:1]))
                return _original(sock, *args)

            monkeypatch.setattr(socket.socket, name, record)


def _listening_inodes() -> set[str]:
    """Inodes of this process's sockets that the kernel lists as listening (TCP) or bound
    (UDP): this sees sockets opened by native code too, not only Python's."""
    mine = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            mine.add(target[8:-1])
    found = set()
    for table, state in (("tcp", "0A"), ("tcp6", "0A"), ("udp", None), ("udp6", None)):
        with open(f"/proc/self/net/{table}") as handle:
            next(handle)
            for line in handle:
                parts = line.split()
                if (state is None or parts[3] == state) and parts[9] in mine:
                    found.add(parts[9])
    return found


def _run(*argv: str) -> int:
    return main(list(argv))


def test_export_and_import_open_no_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """The whole CLI run (remember, vault add, export, import, search) with socket calls
    recorded through a monkeypatched ``socket.socket``: none may happen."""
    recorder = SocketRecorder(monkeypatch)
    before = _listening_inodes()
    source, target = str(tmp_path / "a"), str(tmp_path / "b")
    passfile = tmp_path / "pass"
    passfile.write_text(PASSPHRASE + "\n")
    archive = str(tmp_path / "out.engram")
    assert _run("--data-dir", source, "remember", "Lunch with Sarah about budgets") == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("sock-test-secret"))
    assert _run("--data-dir", source, "vault", "add", "--caption", "k", "--entry-type",
                "api_key", "--sensitivity", "high", "--secret-stdin",
                "--passphrase-file", str(passfile)) == 0
    assert _run("--data-dir", source, "export", archive, "--passphrase-file",
                str(passfile)) == 0
    assert _run("--data-dir", target, "import", archive, "--dry-run", "--passphrase-file",
                str(passfile), "--json") == 0
    assert _run("--data-dir", target, "import", archive, "--passphrase-file", str(passfile),
                "--json") == 0
    assert _run("--data-dir", target, "search", "Sarah", "--json") == 0
    assert _run("--data-dir", target, "vault", "reveal", "--caption", "k",
                "--passphrase-file", str(passfile)) == 0
    out = capsys.readouterr().out
    assert "sock-test-secret" in out.splitlines()[-1]
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert lines[0]["dry_run"] and sum(lines[1]["added"].values()) == 2
    assert lines[2]["results"][0]["summary"].startswith("Lunch with Sarah")
    assert recorder.calls == []
    assert _listening_inodes() - before == set()
    # the instruments work: a real listening socket is seen by both
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        probe.listen()
        assert [name for name, _ in recorder.calls] == ["bind", "listen"]
        assert _listening_inodes() - before


def test_cli_refuses_a_plain_archive_of_secrets(tmp_path: Path, monkeypatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    passfile = tmp_path / "pass"
    passfile.write_text(PASSPHRASE + "\n")
    data = str(tmp_path / "a")
    monkeypatch.setattr(sys, "stdin", io.StringIO("plain-refused-secret"))
    _run("--data-dir", data, "vault", "add", "--caption", "k", "--entry-type", "api_key",
         "--sensitivity", "low", "--secret-stdin", "--passphrase-file", str(passfile))
    assert _run("--data-dir", data, "export", str(tmp_path / "x.engram")) == 1
    assert "must be encrypted" in capsys.readouterr().err
    assert not (tmp_path / "x.engram").exists()
    assert _run("--data-dir", data, "export", str(tmp_path / "x.md"), "--markdown",
                "--passphrase-file", str(passfile)) == 1
    assert _run("--data-dir", data, "export", str(tmp_path / "x.md"), "--markdown") == 0
    assert "plain-refused-secret" not in (tmp_path / "x.md").read_text()


def _seeded_run(tmp_path: Path, embedder: Any,
                scan: Any = None) -> tuple[list[str], str, list[Path]]:
    """Populate a store, export it (archive, Markdown, CSV), import it elsewhere; ``scan``
    runs while both stores are still open (so SQLite's -wal files exist)."""
    archive = tmp_path / "backup.engram"
    with MemoryStore(tmp_path / "source", embedder=embedder) as store:
        seeded = populate(store, tag="scan")
        export_archive(store, archive, passphrase=PASSPHRASE)
        export_markdown(store, tmp_path / "export.md")
        export_csv(store, tmp_path / "csv")
        with MemoryStore(tmp_path / "target", embedder=embedder) as target:
            target.vault.unlock(PASSPHRASE)
            import_archive(target, archive, passphrase=PASSPHRASE)
            assert {target.reveal_secret(seeded.ids[f"vault{n}"]) for n in (1, 2)} == set(
                seeded.secrets[1:3])
            outputs = [archive, tmp_path / "export.md", *sorted((tmp_path / "csv").iterdir())]
            if scan is not None:
                scan(seeded.secrets, outputs)
    return seeded.secrets, seeded.ocr_marker, outputs


def _scan_for(secrets: list[str], paths: list[Path]) -> None:
    for path in paths:
        blob = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in blob, f"plaintext secret found in {path}"
            assert secret.encode("utf-16-le") not in blob, f"UTF-16 secret found in {path}"


def test_no_plaintext_secret_anywhere_on_disk(tmp_path: Path, embedder) -> None:
    scanned: list[Path] = []

    def scan(secrets: list[str], outputs: list[Path]) -> None:
        files = [p for root in ("source", "target") for p in (tmp_path / root).rglob("*")
                 if p.is_file()]
        names = {p.name for p in files}
        assert {"engram.db", "engram.db-wal", "chroma.sqlite3"} <= names
        assert any(n.endswith(".webp") for n in names)
        assert any("vectors" in p.parts and p.suffix == ".bin" for p in files)
        files += outputs + [p for p in tmp_path.rglob("*.log") if p.is_file()]
        _scan_for(secrets, files)
        scanned.extend(files)

    secrets, _marker, _outputs = _seeded_run(tmp_path, embedder, scan)
    assert len(scanned) > 20
    # and again once the stores are closed (WAL checkpointed into the main files)
    _scan_for(secrets, [p for p in tmp_path.rglob("*") if p.is_file() and p.name != "pass"])


def test_logs_hold_no_secret_nor_screen_text(tmp_path: Path, embedder,
                                             caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secrets, marker, _outputs = _seeded_run(tmp_path, embedder)
    above_debug = [r for r in caplog.records if r.levelno > logging.DEBUG]
    assert any(r.name.startswith("memory.archive") for r in above_debug)  # it did log
    text = "\n".join(r.getMessage() for r in above_debug)
    for needle in [*secrets, marker, PASSPHRASE]:
        assert needle not in text
