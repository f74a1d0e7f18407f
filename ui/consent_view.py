"""First run: say plainly what Engram captures and where it keeps it, let the user choose
the data folder, exclusions and model, and keep capture off until they turn it on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.services import bundled_llm_path
from app.settings import BY_NAME
from memory.schema import now_iso
from ui.data_folder import DataFolderPicker
from ui.settings_view import ListEdit
from ui.widgets import heading, subtle

CONSENT_FILE = "consent.json"
CONSENT_VERSION = 1

EXPLANATION = """
<p>Engram builds a private memory of what you see and do on this computer, so you can find
it again and ask about it later.</p>
<p><b>What it captures, while capture is on:</b></p>
<ul>
<li>a screenshot of each monitor every few seconds, and when the window in front changes;</li>
<li>the name of the application, the window title and, for browsers, the page address;</li>
<li>the text on screen, read on this computer (OCR). Passwords, card numbers, keys and
similar secrets are blurred in the image and replaced in the text before anything is
stored.</li>
</ul>
<p><b>What it never does:</b> send anything off this computer. Text recognition, the
memories it extracts and chat all run on the device. There is no account and no telemetry.
</p>
<p><b>It skips:</b> the applications and window titles you list below (password managers
and private browsing by default), and it pauses while you are away or the screen is
locked.</p>
<p>You can pause capture at any time from the tray icon, delete any memory, and change all
of this later in Settings.</p>
"""


@dataclass(frozen=True)
class FirstRunChoices:
    data_dir: Path
    excluded_apps: list[str]
    excluded_title_patterns: list[str]
    llm_model_path: str
    capture_enabled: bool


def consent_file(data_dir: Path) -> Path:
    return Path(data_dir) / CONSENT_FILE


def consent_given(data_dir: Path) -> bool:
    return consent_file(data_dir).is_file()


def record_consent(data_dir: Path, capture_enabled: bool) -> None:
    """Remember that the first-run screen was answered (and how), in the data folder."""
    path = consent_file(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.write_text(json.dumps({"version": CONSENT_VERSION, "answered_at": now_iso(),
                                "capture_enabled": capture_enabled}) + "\n", encoding="utf-8")


class ConsentView(QScrollArea):
    """Emits ``finished(FirstRunChoices)``; it writes nothing itself."""

    finished = Signal(object)

    def __init__(self, data_dir: Path) -> None:
        super().__init__()
        self.setObjectName("consentView")
        self.setWidgetResizable(True)
        body = QWidget()
        body.setMaximumWidth(880)
        self.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(heading("Welcome to Engram"))
        text = QLabel(EXPLANATION)
        text.setObjectName("consentText")
        text.setWordWrap(True)
        layout.addWidget(text)

        where = QGroupBox("Where your data is stored")
        where_layout = QVBoxLayout(where)
        where_layout.addWidget(subtle(
            "Frames, memories and the encrypted knowledge vault are kept in this folder, "
            "readable only by your user account."))
        self.folder = DataFolderPicker(data_dir)
        where_layout.addWidget(self.folder)
        layout.addWidget(where)

        skip = QGroupBox("Never capture")
        form = QFormLayout(skip)
        self.apps = ListEdit()
        self.apps.setObjectName("consentExcludedApps")
        self.apps.setPlainText("\n".join(BY_NAME["excluded_apps"].default))
        self.apps.setFixedHeight(90)
        self.titles = ListEdit()
        self.titles.setObjectName("consentExcludedTitles")
        self.titles.setPlainText("\n".join(BY_NAME["excluded_title_patterns"].default))
        self.titles.setFixedHeight(90)
        form.addRow("Applications", self.apps)
        form.addRow("Window titles (patterns)", self.titles)
        layout.addWidget(skip)

        model = QGroupBox("Model used on this computer")
        model_layout = QVBoxLayout(model)
        self.model = QComboBox()
        self.model.setObjectName("consentModel")
        bundled = bundled_llm_path()
        self.model.addItem("SmolLM2-135M-Instruct (bundled, recommended to start)"
                           if bundled else "Bundled model (not installed)", "")
        model_layout.addWidget(self.model)
        model_layout.addWidget(subtle("Larger models can be downloaded later in Settings."))
        layout.addWidget(model)

        self.error = QLabel()
        self.error.setObjectName("consentError")
        self.error.setStyleSheet("color: #d33;")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.later_button = QPushButton("Not now — keep capture off")
        self.later_button.setObjectName("consentLater")
        self.start_button = QPushButton("Turn on capture")
        self.start_button.setObjectName("consentStart")
        self.start_button.setProperty("role", "primary")
        buttons.addWidget(self.later_button)
        buttons.addWidget(self.start_button)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.later_button.clicked.connect(lambda: self._finish(False))
        self.start_button.clicked.connect(lambda: self._finish(True))

    def _finish(self, capture: bool) -> None:
        from memory.errors import InvalidInput

        try:
            folder = self.folder.folder()
        except InvalidInput as exc:
            self.error.setText(exc.text())
            self.error.show()
            return
        self.finished.emit(FirstRunChoices(
            data_dir=folder,
            excluded_apps=self.apps.items(),
            excluded_title_patterns=self.titles.items(),
            llm_model_path=str(self.model.currentData() or ""),
            capture_enabled=capture,
        ))
