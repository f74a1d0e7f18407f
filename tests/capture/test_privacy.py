"""The privacy gate's rules (the live X11 idle/lock checks run in test_xvfb_capture)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.settings import BY_NAME
from capture.privacy import PrivacyGate, X11SessionState
from capture.window_info import WindowInfo
from memory.errors import InvalidInput


def default_gate() -> PrivacyGate:
    return PrivacyGate(excluded_apps=BY_NAME["excluded_apps"].default,
                       excluded_title_patterns=BY_NAME["excluded_title_patterns"].default)


@pytest.mark.parametrize(
    ("app", "title"),
    [
        ("keepassxc", "Passwords.kdbx - KeePassXC"),
        ("/usr/bin/1password", "1Password"),
        ("firefox", "Bank — Mozilla Firefox Private Browsing"),
        ("chromium", "New Tab - Chromium (Incognito)"),
        ("msedge", "Shopping - InPrivate - Microsoft Edge"),
    ],
)
def test_default_settings_exclude_password_managers_and_private_windows(app, title) -> None:
    verdict = default_gate().check_window(WindowInfo("0x1", app, title))
    assert verdict.status == "excluded" and not verdict.allowed
    assert title not in verdict.reason  # the reason may be shown or logged: no title in it


def test_ordinary_windows_pass_and_the_pause_switch_wins() -> None:
    gate = default_gate()
    assert gate.check_window(WindowInfo("0x1", "gedit", "notes.txt - gedit")).allowed
    assert gate.check_session().allowed
    gate.pause("paused from the tray")
    assert (gate.check_session().status, gate.check_session().reason) == (
        "paused", "paused from the tray")
    gate.resume()
    assert gate.check_session().allowed


def test_a_bad_title_pattern_is_refused_with_a_clear_message() -> None:
    with pytest.raises(InvalidInput, match="not a valid regular expression"):
        PrivacyGate(excluded_apps=[], excluded_title_patterns=["(private"])


def test_a_running_screen_locker_means_locked(tmp_path: Path) -> None:
    """The locker scan reads a /proc-shaped folder; here one made under tmp_path."""
    proc = tmp_path / "proc"
    (proc / "101").mkdir(parents=True)
    (proc / "101" / "comm").write_text("bash\n")
    session = X11SessionState(display=":99999", proc_dir=proc)  # no X: only the scan
    assert not session.screen_locked()
    (proc / "202").mkdir()
    (proc / "202" / "comm").write_text("i3lock\n")
    assert session.screen_locked()
    assert session.idle_seconds() is None  # no X server answers: unknown, not an error


def test_engrams_own_windows_are_never_captured() -> None:
    """The app's own windows (its timeline shows past frames, its vault shows secrets) are
    excluded by process id, whatever their title."""
    import os

    from capture.privacy import PrivacyGate
    from capture.window_info import WindowInfo

    gate = PrivacyGate(excluded_apps=[], excluded_title_patterns=[], pause_when_locked=False)
    own = WindowInfo("0x1", "python3", "Engram", None, os.getpid())
    other = WindowInfo("0x2", "python3", "Engram", None, os.getpid() + 1)
    assert gate.check_window(own).status == "excluded"
    assert gate.check_window(other).status != "excluded"
