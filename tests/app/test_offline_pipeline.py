"""The whole pipeline with networking disabled: a real window under Xvfb showing a meeting
note and an API key → ``engram capture --once`` → ``engram ingest --wait`` (real rapidocr,
redaction, the vault, rule and SmolLM2 extraction) → ``engram search`` → ``engram ask`` (the
bundled SmolLM2 through llama.cpp) → ``engram export`` → ``engram import --dry-run`` into an
empty folder. Nothing is faked.

Run twice:
* as real ``engram`` processes, each in a network namespace of its own (``unshare --net``:
  no route anywhere, not even to 127.0.0.1) and under ``strace -f``, so every socket system
  call is seen, native code included; the X server is reached through its Unix socket in
  /tmp/.X11-unix, which a network namespace does not hide;
* in this process through ``app.cli.main``, with Python's socket calls recorded, strace
  attached to this process for the run, and the kernel's socket tables checked afterwards.
See tests/app/offline.py for what counts as networking.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from tests.app.offline import (
    OfflineRun,
    PythonSocketRecorder,
    SocketCall,
    inet_socket_inodes,
    parse_strace,
    require_offline_tools,
    run_offline,
    trace_this_process,
    violations,
)
from tests.capture.xhelpers import Window, XServer, xvfb

pytestmark = [pytest.mark.slow, pytest.mark.xvfb]

REPO = Path(__file__).resolve().parents[2]
API_KEY = "AKIAQ7R2XK5M3NB4TZ6W"  # an AWS access key id: the redactor knows its shape
PASSPHRASE = "offline pipeline passphrase"
TITLE = "Heliotrope kickoff — Notes"
LINES = [
    "Meeting with Priya Raman on 14 March 2025",
    "Project Heliotrope: ship the beta in April",
    f"aws_access_key_id = {API_KEY}",
]
WORDS = ["Priya Raman", "14 March 2025", "Heliotrope", "ship the beta in April"]

#: One pipeline step: ``engram --data-dir DIR ARGS...`` -> its standard output.
Engram = Callable[..., str]


@pytest.fixture(autouse=True)
def restore_umask() -> Iterator[None]:
    """Services makes the process umask private; give the next test its own back."""
    previous = os.umask(0o022)
    os.umask(previous)
    yield
    os.umask(previous)


def _folders(tmp_path: Path) -> tuple[Path, Path, Path]:
    data, empty = tmp_path / "data", tmp_path / "empty"
    data.mkdir(mode=0o700)
    empty.mkdir(mode=0o700)
    # Idle detection would pause capture on a display nobody types on.
    (data / "settings.json").write_text(json.dumps({"pause_when_idle_seconds": 0}))
    passfile = tmp_path / "passphrase"
    passfile.write_text(PASSPHRASE + "\n")
    return data, empty, passfile


def _show_window(x: XServer) -> None:
    Window(x, title=TITLE, lines=LINES, app_class="notesapp", size=24)


def run_pipeline(engram: Engram, data: Path, empty: Path, passfile: Path,
                 archive: Path) -> dict[str, Any]:
    """Every step, in order; returns what each printed (JSON parsed)."""
    pf = ["--passphrase-file", str(passfile)]
    out: dict[str, Any] = {}
    out["capture"] = json.loads(engram(data, "capture", "--once", "--json"))
    out["ingest"] = json.loads(engram(data, "ingest", "--wait", *pf, "--json"))
    out["search"] = json.loads(engram(data, "search", "Heliotrope Priya", "--json"))
    episodic = [r for r in out["search"]["results"] if r["type"] == "episodic"]
    assert episodic, out["search"]
    out["episodic"] = json.loads(engram(data, "show", episodic[0]["id"], "--json"))
    out["ask"] = json.loads(engram(data, "ask", "When did I meet Priya Raman?", "--json"))
    out["cited"] = [json.loads(engram(data, "show", memory_id, "--json"))
                    for memory_id in out["ask"]["citations"]]
    out["vault"] = json.loads(engram(data, "vault", "list", "--json"))["entries"]
    out["revealed"] = [engram(data, "vault", "reveal", entry["id"], *pf).strip()
                       for entry in out["vault"]]
    out["export"] = json.loads(engram(data, "export", str(archive), *pf, "--json"))
    out["import"] = json.loads(engram(empty, "import", str(archive), "--dry-run", *pf,
                                      "--json"))
    return out


def _scan(paths: list[Path], needle: str) -> list[str]:
    hits = []
    for path in paths:
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        for file in files:
            blob = file.read_bytes()
            if needle.encode() in blob or needle.encode("utf-16-le") in blob:
                hits.append(str(file))
    return hits


def check_outcomes(out: dict[str, Any], data: Path, empty: Path, archive: Path) -> None:
    """What the pipeline must have produced, read back from its output and its files."""
    (frame,) = out["capture"]["frames"]
    assert (frame["status"], frame["app"], frame["window_title"]) == (
        "stored", "notesapp", TITLE)
    ingest = out["ingest"]
    assert (ingest["ocr_done"], ingest["failed"], ingest["pending"]) == (1, 0, 0)
    assert ingest["vault_entries_added"] == 1
    assert ingest["extraction"]["frames_extracted"] == 1
    assert ingest["extraction"]["frames_failed"] == 0

    with sqlite3.connect(f"file:{data / 'engram.db'}?mode=ro", uri=True) as db:
        status, ocr_text = db.execute(
            "SELECT status, ocr_text FROM frames WHERE id = ?", [frame["id"]]).fetchone()
        ids = {row[0] for row in db.execute("SELECT id FROM memories")}
    db.close()
    assert status == "extracted"
    for words in WORDS:
        assert words in ocr_text, ocr_text
    assert "[REDACTED:api_key]" in ocr_text and API_KEY not in ocr_text

    episodic = out["episodic"]
    assert episodic["type"] == "episodic" and frame["id"] in episodic["provenance"]["frames"]
    text = episodic["fields"]["summary"] + "\n" + (episodic["fields"]["details"] or "")
    for words in WORDS:
        assert words in text, text
    assert API_KEY not in json.dumps(out["search"]) + json.dumps(out["ask"])

    ask = out["ask"]
    supporting = {s["id"] for s in ask["supporting"]}
    assert episodic["id"] in supporting  # retrieval found the screen memory
    assert ask["abstained"] or (ask["answer"].strip() and ask["citations"]), ask
    assert set(ask["citations"]) <= supporting
    assert set(ask["citations"]) <= ids  # every citation is a real, stored memory
    assert [m["id"] for m in out["cited"]] == ask["citations"]

    # OCR read the key exactly: the vault holds it, sealed, and reveals it.
    assert [(e["entry_type"], e["source"]) for e in out["vault"]] == [("api_key", "screen")]
    assert out["revealed"] == [API_KEY]

    export = out["export"]
    assert archive.is_file() and export["encrypted"] and export["frames"] == 1
    assert export["memories"]["episodic"] >= 1 and export["memories"]["vault"] == 1
    dry = out["import"]
    assert dry["dry_run"] and dry["added"] == export["memories"]
    assert dry["frames_added"] == 1
    with sqlite3.connect(f"file:{empty / 'engram.db'}?mode=ro", uri=True) as db:
        assert db.execute("SELECT count(*) FROM memories").fetchone()[0] == 0
    db.close()

    # The key never lands in clear: data folder (SQLite and its WAL, Chroma, frame images,
    # settings, logs), the archive and the folder the dry run touched.
    assert _scan([data, empty, archive], API_KEY) == []


def test_the_cli_pipeline_runs_in_a_network_namespace(tmp_path: Path) -> None:
    netns = require_offline_tools()
    data, empty, passfile = _folders(tmp_path)
    archive = tmp_path / "backup.engram"
    traces, home = tmp_path / "traces", tmp_path / "home"
    traces.mkdir()
    home.mkdir()
    runs: list[OfflineRun] = []

    with xvfb([(1280, 720)]) as x:
        _show_window(x)
        env = {**x.env(), "HOME": str(home)}  # to see what is written outside the data dir
        env.pop("XDG_CACHE_HOME", None)
        env.pop("XDG_DATA_HOME", None)

        def engram(data_dir: Path, *args: str) -> str:
            run = run_offline(netns, [sys.executable, "-m", "app", "--data-dir",
                                      str(data_dir), *args],
                              log=traces / f"{len(runs):02d}-{args[0]}.strace", env=env,
                              cwd=REPO)
            runs.append(run)
            assert run.returncode == 0, (args, run.stderr)
            return run.stdout

        out = run_pipeline(engram, data, empty, passfile, archive)

    check_outcomes(out, data, empty, archive)
    # Nothing lands outside the data folder: no device id, no telemetry queue. (onnxruntime
    # >= 1.29 keeps both in ~/.cache/Microsoft/DeveloperTools/.onnxruntime, and uploads the
    # queue, unless ORT_DISABLE_TELEMETRY=1 is set before it initialises.)
    written = sorted(str(p.relative_to(home)) for p in home.rglob("*") if p.is_file())
    assert not written, f"written outside the data folder, in $HOME: {written}"
    for run in runs:
        assert violations(run.calls) == [], run.argv
    # The trace sees native code: libxcb's connection to the X server, made by capture.
    capture = next(r for r in runs if "capture" in r.argv)
    assert any(c.call == "connect" and c.family == "AF_UNIX" and ".X11-unix" in c.address
               and c.address.endswith("= 0") for c in capture.calls)
    assert not any(c.family not in (None, "AF_UNIX") for c in capture.calls)


def test_the_namespace_has_no_network_and_the_trace_sees_attempts(tmp_path: Path) -> None:
    """The instruments work: in the namespace even 127.0.0.1 is unreachable, and a
    connection attempt and a listening socket are both caught by strace and the rule."""
    netns = require_offline_tools()
    probe = (
        "import errno, socket\n"
        "print(socket.if_nameindex())\n"
        "for address in [('192.0.2.1', 80), ('127.0.0.1', 9)]:\n"
        "    print(errno.errorcode[socket.socket().connect_ex(address)])\n"
        "server = socket.socket()\n"
        "server.bind(('127.0.0.1', 0))\n"
        "server.listen()\n"
    )
    run = run_offline(netns, [sys.executable, "-c", probe], log=tmp_path / "probe.strace",
                      env=dict(os.environ), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    # only a loopback interface, and it is down: no route anywhere, not even to itself
    assert run.stdout.split("\n")[:3] == ["[(1, 'lo')]", "ENETUNREACH", "ENETUNREACH"]
    found = violations(run.calls)
    assert sum(f.startswith("connect AF_INET:") for f in found) == 2, found
    assert any(f.startswith("bind AF_INET:") for f in found), found
    assert any(f.startswith("listen:") for f in found), found
    assert any("non-Unix sockets created" in f for f in found), found
    # a listen() is always a violation, and urllib3's probe alone is not
    assert violations([SocketCall("listen", None, "listen(3, 128) = 0")])
    probe_bind = parse_strace(
        '7 socket(AF_INET6, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 17\n'
        '7 bind(17, {sa_family=AF_INET6, sin6_port=htons(0), sin6_flowinfo=htonl(0), '
        'inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0\n')
    assert violations(probe_bind) == []
    assert violations([*probe_bind, SocketCall("socket", "AF_INET", "socket(AF_INET)")])


def test_the_pipeline_in_process_opens_no_inet_socket(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same steps through ``app.cli.main`` in this process, socket calls recorded."""
    data, empty, passfile = _folders(tmp_path)
    archive = tmp_path / "backup.engram"
    recorder = PythonSocketRecorder()
    before = inet_socket_inodes()

    def engram(data_dir: Path, *args: str) -> str:
        capsys.readouterr()
        code = main(["--data-dir", str(data_dir), *args])
        captured = capsys.readouterr()
        assert code == 0, (args, captured.err)
        return captured.out

    with xvfb([(1280, 720)]) as x:
        _show_window(x)
        monkeypatch.setenv("DISPLAY", x.display)
        with recorder.recording(monkeypatch), trace_this_process(
                tmp_path / "self.strace") as traced:
            out = run_pipeline(engram, data, empty, passfile, archive)
            held = {inode: kind for inode, kind in inet_socket_inodes().items()
                    if inode not in before}

    check_outcomes(out, data, empty, archive)
    assert violations(recorder.calls) == []
    assert violations(traced) == []  # native code too (onnxruntime, llama.cpp, Chroma)
    assert any(c.call == "connect" and ".X11-unix" in c.address for c in traced)
    assert held == {}  # no TCP/UDP/raw socket left open, listening or connected
    # the instruments work: a real listening socket is seen by both
    probe = PythonSocketRecorder()
    with probe.recording(monkeypatch), socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        assert set(inet_socket_inodes()) - set(before)
    assert [f.split()[0] for f in violations(probe.calls)] == ["bind", "listen:", "1"]
