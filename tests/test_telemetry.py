"""No library phones home: onnxruntime's 1DS client in particular writes a device id and an
event queue under ~/.cache/Microsoft and uploads them unless switched off."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys
from pathlib import Path
from memory.embedder import Embedder
from memory.store import MemoryStore
store = MemoryStore(Path(sys.argv[1]), embedder=Embedder())
store.add("semantic", {"name": "n", "summary": "loads onnxruntime and chromadb"})
store.close()
from capture.ocr import OcrEngine
from PIL import Image
OcrEngine().read(Image.new("RGB", (200, 60), "white"))
"""


def test_library_entry_points_leave_no_telemetry_trace(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("ORT_DISABLE_TELEMETRY", "ANONYMIZED_TELEMETRY", "HF_HUB_OFFLINE",
                        "HF_HUB_DISABLE_TELEMETRY", "DO_NOT_TRACK")}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"))
    subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "data")], env=env, check=True,
                   capture_output=True, timeout=300)
    written = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
    assert not [p for p in written if "Microsoft" in p or "onnxruntime" in p], written
    assert not (home / ".cache" / "chroma").exists()
