"""Choosing where Engram keeps its data, and remembering the choice.

The CLI resolves the folder from ``--data-dir``, ``$ENGRAM_DATA_DIR`` or the platform
default. A folder chosen in the app is remembered in a one-line file in the user's config
folder and used by :func:`ui.app.run_desktop_app` when neither of the first two was given.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLineEdit, QPushButton, QWidget

from memory.errors import InvalidInput

POINTER_NAME = "data_dir"


def pointer_file() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("engram", appauthor=False)) / POINTER_NAME


def remembered_data_dir() -> Path | None:
    path = pointer_file()
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path} ({exc.strerror}); delete it to use the "
                           "default data folder.") from exc
    return Path(text) if text else None


def remember_data_dir(folder: Path) -> None:
    path = pointer_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(str(folder) + "\n", encoding="utf-8")


def check_data_dir(text: str) -> Path:
    """A usable folder from what the user typed: absolute, and a folder if it exists."""
    if not text.strip():
        raise InvalidInput("Choose a folder for Engram's data.")
    folder = Path(text.strip()).expanduser()
    if not folder.is_absolute():
        raise InvalidInput(f"{text!r} is not a full path; choose a folder with Browse….")
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"{folder} is a file, not a folder.")
    return folder


class DataFolderPicker(QWidget):
    """A path field with Browse. With ``remember``, a valid change is remembered at once."""

    changed = Signal(object)  # Path

    def __init__(self, folder: Path, *, remember: bool = False) -> None:
        super().__init__()
        self.remember = remember
        self.edit = QLineEdit(str(folder))
        self.edit.setObjectName("dataFolder")
        browse = QPushButton("Browse…")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(browse)
        browse.clicked.connect(self.browse)
        self.edit.editingFinished.connect(self._edited)

    def folder(self) -> Path:
        return check_data_dir(self.edit.text())

    def browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Folder for Engram's data",
                                                  self.edit.text())
        if chosen:
            self.edit.setText(chosen)
            self._edited()

    def _edited(self) -> None:
        try:
            folder = self.folder()
        except InvalidInput as exc:
            self.edit.setToolTip(exc.text())
            return
        self.edit.setToolTip("")
        if self.remember:
            remember_data_dir(folder)
        self.changed.emit(folder)
