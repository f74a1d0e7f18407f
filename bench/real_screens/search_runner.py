"""Runs ``engram --data-dir D search QUESTION --limit 5 --json`` for many questions in one
process (the CLI's own ``main``, so the same code path as the command; only the process
start-up is shared). Reads a JSON list of questions on stdin, prints one JSON list."""

from __future__ import annotations

import contextlib
import io
import json
import sys


def main() -> int:
    from app.cli import main as engram

    data_dir, limit = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "5"
    questions = json.load(sys.stdin)
    out = []
    for question in questions:
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            code = engram(["--data-dir", data_dir, "search", question, "--limit", limit,
                           "--json"])
        out.append({"question": question, "code": code,
                    "results": json.loads(buffer.getvalue())["results"] if code == 0 else []})
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
