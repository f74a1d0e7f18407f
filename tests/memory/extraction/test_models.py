"""Model download against a file served by http.server on 127.0.0.1 (no internet):
progress, resume after an interruption, checksum rejection, atomic activation."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from app.settings import Settings
from memory.extraction import models

PAYLOAD = b"GGUF" + os.urandom(3 * models.CHUNK + 12345)
DIGEST = hashlib.sha256(PAYLOAD).hexdigest()


class Server:
    """Serves PAYLOAD with Range support; ``cut_after`` drops the connection mid-body once."""

    def __init__(self) -> None:
        self.cut_after: int | None = None
        self.ranges: list[str | None] = []
        self.publish_sha = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                body = PAYLOAD if self.path.endswith(".gguf") else b"<html>oops</html>"
                wanted = self.headers.get("Range")
                server.ranges.append(wanted)
                start = int(wanted.split("=")[1].rstrip("-")) if wanted else 0
                self.send_response(206 if wanted else 200)
                if wanted:
                    self.send_header("Content-Range",
                                     f"bytes {start}-{len(body) - 1}/{len(body)}")
                if server.publish_sha:
                    self.send_header("X-Linked-ETag", f'"{DIGEST}"')
                self.send_header("Content-Length", str(len(body) - start))
                self.end_headers()
                chunk = body[start:]
                if server.cut_after is not None:
                    chunk, server.cut_after = chunk[: server.cut_after], None
                    self.wfile.write(chunk)
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(chunk)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{name}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.close()


def spec(server: Server, sha256: str | None = DIGEST, name: str = "tiny.gguf") -> models.ModelSpec:
    return models.ModelSpec("tiny", "Tiny test model", server.url(name), 3, sha256)


def test_download_reports_progress_verifies_and_activates(server: Server, tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    path = models.download(spec(server), tmp_path, progress=lambda d, t: seen.append((d, t)))
    assert path.read_bytes() == PAYLOAD
    assert seen[0] == (0, len(PAYLOAD)) and seen[-1] == (len(PAYLOAD), len(PAYLOAD))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    settings = Settings(tmp_path)
    models.activate(settings, path)
    assert Settings(tmp_path).get("llm_model_path") == str(path)


def test_interrupted_download_resumes_with_a_range_request(server: Server, tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    server.cut_after = models.CHUNK + 100
    with pytest.raises(models.ModelDownloadError, match="resume"):
        models.download(spec(server), tmp_path)
    part = tmp_path / "tiny.gguf.part"
    assert part.stat().st_size == models.CHUNK + 100
    assert not (tmp_path / "tiny.gguf").exists()
    assert settings.get("llm_model_path") == ""  # nothing half-written became active
    path = models.download(spec(server), tmp_path)
    assert server.ranges == [None, f"bytes={models.CHUNK + 100}-"]
    assert path.read_bytes() == PAYLOAD and not part.exists()


def test_wrong_checksum_is_rejected_and_nothing_is_left(server: Server, tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    with pytest.raises(models.ModelDownloadError, match="sha256"):
        models.download(spec(server, sha256="0" * 64), tmp_path)
    assert list(tmp_path.glob("tiny*")) == []
    assert settings.get("llm_model_path") == ""


def test_checksum_published_by_the_server_is_used(server: Server, tmp_path: Path) -> None:
    with pytest.raises(models.ModelDownloadError, match="No checksum"):
        models.download(spec(server, sha256=None), tmp_path)
    server.publish_sha = True
    (tmp_path / "tiny.gguf.part").unlink()
    assert models.download(spec(server, sha256=None), tmp_path).read_bytes() == PAYLOAD


def test_a_file_that_is_not_gguf_is_refused(server: Server, tmp_path: Path) -> None:
    page = b"<html>oops</html>"
    with pytest.raises(models.ModelDownloadError, match="not a GGUF"):
        models.download(spec(server, hashlib.sha256(page).hexdigest(), name="page.html"),
                        tmp_path)
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "notes.gguf").write_text("not a model")
    with pytest.raises(models.ModelDownloadError, match="not a GGUF"):
        models.activate(Settings(tmp_path), tmp_path / "notes.gguf")
    assert Settings(tmp_path).get("llm_model_path") == ""


def test_catalogue_lists_the_recommended_models() -> None:
    names = {s.name for s in models.RECOMMENDED}
    assert {"qwen2.5-1.5b", "qwen2.5-3b", "llama3.2-3b", "gemma3-1b", "gemma3-4b"} <= names
    assert all(s.url.startswith("https://huggingface.co/") and s.url.endswith(".gguf")
               for s in models.RECOMMENDED)
    with pytest.raises(models.ModelDownloadError, match="No recommended model"):
        models.find_spec("gpt-9")
