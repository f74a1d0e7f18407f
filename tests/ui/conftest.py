"""UI fixtures: real services (SQLite, Chroma, ONNX embedder) on a data folder under
tmp_path, seeded once per session with the invented demo day and copied for each test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The remembered data-folder pointer lives under tmp_path too."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def _shared_embedder(embedder, monkeypatch: pytest.MonkeyPatch) -> None:
    """Services built by a test reuse the session's ONNX embedder."""
    import app.services

    monkeypatch.setattr(app.services, "_embedder", embedder)


@pytest.fixture(scope="session")
def demo_template(qapp, embedder, tmp_path_factory: pytest.TempPathFactory):
    """One seeded data folder (closed), copied by :func:`demo_services` per test."""
    import app.services
    from tools import demo_data
    from ui.consent_view import record_consent

    app.services._embedder = embedder
    folder = tmp_path_factory.mktemp("demo") / "data"
    services = app.services.Services(folder)
    summary = demo_data.seed(services, frames_per_activity=3)
    record_consent(folder, False)
    services.close()
    return folder, summary


def _close(services) -> None:
    from ui.ops import shutdown_ops

    shutdown_ops()
    services.close()


@pytest.fixture
def demo_services(demo_template, _shared_embedder, tmp_path: Path) -> Iterator:
    from app.services import Services

    folder, _summary = demo_template
    copy = tmp_path / "data"
    shutil.copytree(folder, copy)
    services = Services(copy)
    yield services
    _close(services)


@pytest.fixture
def demo(demo_template):
    return demo_template[1]


@pytest.fixture
def empty_services(data_dir: Path, _shared_embedder) -> Iterator:
    from app.services import Services

    services = Services(data_dir)
    yield services
    _close(services)


@pytest.fixture
def ctx(demo_services):
    from ui.context import UiContext

    return UiContext(demo_services)


@pytest.fixture
def window(qtbot, ctx):
    """The real main window on the demo data (no tray, no capture pipeline)."""
    from ui.main_window import MainWindow

    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    return win


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The offscreen platform warns that it cannot propagate size hints whenever a window
    is shown; that is the platform, not Engram."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore("does not support propagateSizeHints"))
