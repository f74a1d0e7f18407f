"""Every setting in one declarative list (qutebrowser's ``configdata`` idea): name, type,
default and help. The list drives validation, the settings page and the docs; a test checks
that each one is documented in the README.

Values live in ``settings.json`` in the data folder; a missing file means all defaults.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from memory.errors import InvalidInput

SETTINGS_FILE = "settings.json"


@dataclass(frozen=True)
class Setting:
    name: str
    kind: str  # "bool", "int", "float", "str", "list", "choice"
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()


SETTINGS: tuple[Setting, ...] = (
    Setting("capture_enabled", "bool", False,
            "Capture the screen. Off until the user consents on first run."),
    Setting("capture_interval_seconds", "float", 3.0,
            "Seconds between screen grabs (a focus change grabs at once).",
            minimum=0.5, maximum=3600),
    Setting("monitors", "list", [],
            "Monitor numbers to capture (1 = first); empty captures every monitor."),
    Setting("forced_keyframe_minutes", "float", 5.0,
            "Keep at least one frame this often even when nothing changed.",
            minimum=0.5, maximum=1440),
    Setting("excluded_apps", "list",
            ["keepassxc", "1password", "bitwarden", "lastpass", "enpass", "gnome-keyring",
             "seahorse", "kwalletmanager"],
            "Applications (process names, case-insensitive) never captured."),
    Setting("excluded_title_patterns", "list",
            [r"(?i)private browsing", r"(?i)incognito", r"(?i)inprivate",
             r"(?i)password manager", r"(?i)\bkeepass"],
            "Regular expressions; a window whose title matches is never captured."),
    Setting("pause_when_idle_seconds", "int", 300,
            "Pause capture after this many seconds without input (0 never pauses).",
            minimum=0, maximum=86400),
    Setting("pause_when_locked", "bool", True, "Pause capture while the screen is locked."),
    Setting("retention_days", "int", 90,
            "Delete frames older than this many days (0 keeps them forever).",
            minimum=0, maximum=36500),
    Setting("frame_budget_mb", "int", 5000,
            "Largest disk space frames may use; the oldest extracted frames go first.",
            minimum=10, maximum=10_000_000),
    Setting("image_quality", "int", 60, "WebP quality of stored frames (1-100).",
            minimum=1, maximum=100),
    Setting("drop_images_after_extraction", "bool", False,
            "Delete a frame's image once its memories are extracted (its text is kept)."),
    Setting("redaction_extra_patterns", "list", [],
            "Extra regular expressions whose matches are redacted before storage."),
    Setting("llm_model_path", "str", "",
            "A GGUF model file for extraction and chat; empty uses the bundled SmolLM2-135M."),
    Setting("llm_threads", "int", 2, "CPU threads the language model may use.",
            minimum=1, maximum=64),
    Setting("extract_with_model", "bool", False,
            "Also ask the language model for facts while extracting memories (the bundled "
            "SmolLM2-135M adds nothing measured there; a larger model may). Chat always uses it."),
    Setting("llm_idle_release_seconds", "int", 120,
            "Free the language model's memory after this many seconds unused (0: keep it).",
            minimum=0, maximum=86_400),
    Setting("background_nice", "int", 10,
            "CPU priority (nice, 0-19) of capture, OCR and extraction threads; higher "
            "yields more to your own work.", minimum=0, maximum=19),
    Setting("extract_when_idle_seconds", "int", 0,
            "Run background extraction only after this many seconds without keyboard or "
            "mouse input (0: at once); frames wait safely in the queue meanwhile.",
            minimum=0, maximum=3600),
    Setting("chroma_server_url", "str", "",
            "Use a Chroma server (for example http://127.0.0.1:8000) instead of the "
            "embedded vector index."),
    Setting("save_chat_as_memory", "bool", True,
            "Save chat conversations as episodic memories."),
    Setting("vault_auto_lock_minutes", "float", 15.0,
            "Lock the knowledge vault after this many minutes without use (0 never locks).",
            minimum=0, maximum=1440),
    Setting("start_at_login", "bool", False,
            "Start Engram when I log in (minimised to the tray)."),
)

BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


def coerce(setting: Setting, value: Any) -> Any:
    """Check one value against its setting; return it normalised or raise InvalidInput."""
    name = setting.name
    if setting.kind == "bool":
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "yes", "no"):
            return value.lower() in ("true", "1", "yes")
        if not isinstance(value, bool):
            raise InvalidInput(f"Setting {name} must be true or false.")
        return value
    if setting.kind in ("int", "float"):
        try:
            number = int(value) if setting.kind == "int" else float(value)
        except (TypeError, ValueError):
            raise InvalidInput(f"Setting {name} must be a number, not {value!r}.") from None
        if isinstance(value, bool):
            raise InvalidInput(f"Setting {name} must be a number, not {value!r}.")
        if setting.minimum is not None and number < setting.minimum or (
            setting.maximum is not None and number > setting.maximum
        ):
            raise InvalidInput(
                f"Setting {name} must be between {setting.minimum} and {setting.maximum}."
            )
        return number
    if setting.kind == "list":
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list):
            raise InvalidInput(f"Setting {name} must be a list.")
        return list(value)
    if setting.kind == "str":
        if not isinstance(value, str):
            raise InvalidInput(f"Setting {name} must be text.")
        return value
    if setting.kind == "choice":
        if value not in setting.choices:
            raise InvalidInput(f"Setting {name} must be one of {', '.join(setting.choices)}.")
        return value
    raise AssertionError(setting.kind)


class Settings:
    """The user's settings for one data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / SETTINGS_FILE
        self._values: dict[str, Any] = {}
        if self.path.exists():
            try:
                raw = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise InvalidInput(
                    f"The settings file {self.path} is not valid JSON ({exc}); fix or delete it."
                ) from exc
            if not isinstance(raw, dict):
                raise InvalidInput(f"The settings file {self.path} must hold a JSON object.")
            for name, value in raw.items():
                if name in BY_NAME:  # settings from a newer version are kept, not applied
                    self._values[name] = coerce(BY_NAME[name], value)

    def get(self, name: str) -> Any:
        setting = BY_NAME.get(name)
        if setting is None:
            raise InvalidInput(f"There is no setting called {name!r}.")
        value = self._values.get(name, setting.default)
        return list(value) if isinstance(value, list) else value

    def __getitem__(self, name: str) -> Any:
        return self.get(name)

    def set(self, name: str, value: Any) -> None:
        setting = BY_NAME.get(name)
        if setting is None:
            raise InvalidInput(f"There is no setting called {name!r}.")
        self._values[name] = coerce(setting, value)
        self.save()

    def as_dict(self) -> dict[str, Any]:
        return {s.name: self.get(s.name) for s in SETTINGS}

    def save(self) -> None:
        """Write atomically (temp file + rename) so a crash never leaves half a file."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".settings-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(self._values, handle, indent=2, sort_keys=True)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
