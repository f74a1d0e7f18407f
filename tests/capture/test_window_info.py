"""Window metadata parsing and the platforms that cannot say (they answer "unknown")."""

from __future__ import annotations

from capture.window_info import (
    UNKNOWN_WINDOW,
    UnknownWindowInfo,
    X11WindowInfo,
    _parse_xprop,
    _xprop_strings,
    url_from_title,
)


def test_urls_come_from_browser_titles() -> None:
    assert url_from_title("firefox", "Pricing — https://example.com/pricing — Mozilla Firefox"
                          ) == "https://example.com/pricing"
    assert url_from_title("chromium", "docs.python.org/3/library - Chromium") == (
        "docs.python.org/3/library")
    assert url_from_title("gedit", "notes.txt - gedit") is None
    assert url_from_title("gedit", "see www.example.org/a.") == "www.example.org/a"


def test_xprop_output_is_parsed_with_quotes_and_missing_properties() -> None:
    out = ('_NET_WM_PID:  not found.\nWM_CLASS = "keepassxc", "KeePassXC"\n'
           '_NET_WM_NAME = "say \\"hi\\" — now"\n')
    props = _parse_xprop(out)
    assert "_NET_WM_PID" not in props
    assert _xprop_strings(props["WM_CLASS"]) == ["keepassxc", "KeePassXC"]
    assert _xprop_strings(props["_NET_WM_NAME"]) == ['say "hi" — now']


def test_no_display_or_no_platform_support_gives_unknown_not_an_error(caplog) -> None:
    assert UnknownWindowInfo().read() == UNKNOWN_WINDOW
    reader = X11WindowInfo(display=":99999")  # no such server
    assert reader.read() == UNKNOWN_WINDOW
    assert reader.active_window_id() is None


def test_the_focus_poll_asks_x_directly_without_starting_xprop(monkeypatch) -> None:
    """The focus watcher asks several times a second; over xcb it starts no process (a
    subprocess forks the whole app each time), and it agrees with xprop."""
    import subprocess

    from tests.capture.xhelpers import Window, require_x_tools, xvfb

    require_x_tools()
    with xvfb([(800, 600)]) as server:
        notes = Window(server, title="Notes - focus poll", lines=["hello"])
        try:
            expected = server.active_window()
            assert expected is not None
            reader = X11WindowInfo(display=server.display)

            def no_process(*args, **kwargs):
                raise AssertionError(f"started a process: {args}")

            monkeypatch.setattr(subprocess, "run", no_process)
            assert reader.active_window_id() == expected == notes.id
        finally:
            notes.close()
