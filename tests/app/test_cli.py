"""The CLI contract (ARCHITECTURE.md): commands, flags and the exact JSON shapes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from memory.schema import MEMORY_TYPES


def engram(data_dir: Path, *args: str, stdin: str | None = None, check: bool = True):
    env = {**os.environ, "ENGRAM_DATA_DIR": str(data_dir / "from-env")}
    proc = subprocess.run(
        [sys.executable, "-m", "app", "--data-dir", str(data_dir), *args],
        input=stdin, capture_output=True, text=True, env=env, timeout=120,
    )
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def as_json(proc) -> dict:
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1, proc.stdout
    return json.loads(lines[0])


def test_remember_search_show_forget_purge(tmp_path: Path) -> None:
    data = tmp_path / "d"
    first = as_json(engram(data, "remember", "Sarah moved the budget review to Friday", "--json"))
    memory_id = first["memories"][0]["id"]
    assert first["memories"][0]["type"] == "episodic"
    old = as_json(engram(data, "remember", "Flight to Tokyo leaves from gate 42",
                         "--at", "2023-03-14T09:30:00+00:00", "--json"))
    old_id = old["memories"][0]["id"]

    found = as_json(engram(data, "search", "budget review", "--json"))
    assert set(found) == {"results"}
    top = found["results"][0]
    assert set(top) == {"id", "type", "score", "summary", "occurred_at", "provenance"}
    assert top["id"] == memory_id and top["type"] == "episodic"

    dated = as_json(engram(data, "search", "flight", "--until", "2024-01-01", "--json"))
    assert [r["id"] for r in dated["results"]] == [old_id]
    assert dated["results"][0]["occurred_at"].startswith("2023-03-14T09:30:00")
    typed = as_json(engram(data, "search", "flight", "--type", "semantic", "--json"))
    assert typed["results"] == []

    shown = as_json(engram(data, "show", memory_id, "--json"))
    assert shown["id"] == memory_id and shown["history"][0]["op"] == "insert"

    engram(data, "forget", memory_id, "--json")
    assert as_json(engram(data, "show", memory_id, "--json"))["deleted"] is True
    assert memory_id not in [r["id"] for r in
                             as_json(engram(data, "search", "budget", "--json"))["results"]]
    engram(data, "restore", memory_id)
    engram(data, "forget", memory_id, "--purge")
    gone = engram(data, "show", memory_id, check=False)
    assert gone.returncode == 1
    assert gone.stderr.strip() == f"engram: error: No memory with id '{memory_id}'."


def test_status_json_shape(tmp_path: Path) -> None:
    data = tmp_path / "d"
    engram(data, "remember", "a note", "--json")
    status = as_json(engram(data, "status", "--json"))
    assert {"memories", "frames", "queue", "bytes_on_disk", "models"} <= set(status)
    assert status["memories"] == {t: (1 if t == "episodic" else 0) for t in MEMORY_TYPES}
    assert isinstance(status["frames"], dict) and status["queue"] == 0
    assert status["bytes_on_disk"] > 0
    assert status["models"]["embedding"]["id"] == "all-MiniLM-L6-v2-onnx-int8"
    assert status["models"]["llm"]["available"] is True


def test_reindex(tmp_path: Path) -> None:
    data = tmp_path / "d"
    engram(data, "remember", "one")
    engram(data, "remember", "two")
    assert as_json(engram(data, "reindex", "--json")) == {"reindexed": 2}


def test_data_dir_from_environment(tmp_path: Path) -> None:
    env = {**os.environ, "ENGRAM_DATA_DIR": str(tmp_path / "envdir")}
    subprocess.run([sys.executable, "-m", "app", "remember", "via env"], env=env, check=True,
                   capture_output=True)
    assert (tmp_path / "envdir" / "engram.db").exists()
    assert (tmp_path / "envdir").stat().st_mode & 0o777 == 0o700


def test_vault_cli(tmp_path: Path) -> None:
    data = tmp_path / "d"
    pw = tmp_path / "pw"
    pw.write_text("correct horse\n")
    added = as_json(engram(data, "vault", "add", "--caption", "GitHub token", "--entry-type",
                           "api_key", "--sensitivity", "high", "--secret-stdin",
                           "--passphrase-file", str(pw), "--json", stdin="ghp_SECRET123\n"))
    listed = as_json(engram(data, "vault", "list", "--json"))
    assert [e["caption"] for e in listed["entries"]] == ["GitHub token"]
    assert "ghp_SECRET123" not in json.dumps(listed)
    by_id = engram(data, "vault", "reveal", added["id"], "--passphrase-file", str(pw))
    assert by_id.stdout == "ghp_SECRET123\n"
    by_caption = engram(data, "vault", "reveal", "--caption", "GitHub token",
                        "--passphrase-file", str(pw))
    assert by_caption.stdout == "ghp_SECRET123\n"
    pw.write_text("wrong\n")
    wrong = engram(data, "vault", "reveal", added["id"], "--passphrase-file", str(pw), check=False)
    assert wrong.returncode == 1 and wrong.stderr.strip() == "engram: error: Wrong vault passphrase."
    locked = engram(data, "vault", "reveal", added["id"], check=False, stdin="")
    assert locked.returncode == 1 and "--passphrase-file" in locked.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["remember", ""], "the text is empty"),
        (["remember", "x", "--at", "someday"], "ISO 8601"),
        (["search", "x", "--since", "2024-02-01", "--until", "2024-01-01"], "earlier"),
        (["search", "x", "--limit", "0"], "positive"),
        (["show", "nope"], "No memory with id"),
    ],
)
def test_known_errors_are_one_line_without_traceback(tmp_path: Path, args, message) -> None:
    proc = engram(tmp_path / "d", *args, check=False)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_console_script_is_the_same_cli(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("engram")
    assert script.exists(), "the `engram` console script is not installed"
    out = subprocess.run([str(script), "--data-dir", str(tmp_path / "d"), "status", "--json"],
                         capture_output=True, text=True, check=True)
    assert "memories" in json.loads(out.stdout)
