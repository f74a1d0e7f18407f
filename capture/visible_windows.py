"""The visible top-level windows on X11: each one's app, title, process id and the rectangle
it covers on the screen, so the privacy gate can black out excluded windows that are on
screen without having the focus.

Read through libxcb with ctypes: no subprocess, no toolkit. One connection stays open, and
the requests for every window are sent together before any reply is read, so a read costs a
few round trips whatever the number of windows. The window list comes from each screen's
``_NET_CLIENT_LIST_STACKING`` (else ``_NET_CLIENT_LIST``, else the viewable children of the
root window when no window manager publishes a list). A window counts as visible when it is
viewable (mapped, and so are its ancestors), not ``_NET_WM_STATE_HIDDEN`` and not iconic.
Its rectangle is the window manager's frame (decorations included) in root coordinates; a
window without a frame gets its ``_NET_FRAME_EXTENTS`` or a small margin around it. The list
is in stacking order (bottom first) when the source gives one, and each window says whether
it hides what is below it: an opaque window (not a 32-bit ARGB visual, no
``_NET_WM_WINDOW_OPACITY`` below full) covers exactly its frame.

What never changes for a window (its app name) is cached by window id, pid and WM_CLASS;
titles, state and geometry are read again every time (a browser tab can turn private).

Other platforms (Windows, macOS, no X display) have no reader here: :class:`NoVisibleWindows`
answers an empty list and only the focused-window check applies there.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from typing import Protocol

from capture.window_info import UNKNOWN, process_name
from capture.xcb import (
    ANY_PROPERTY_TYPE,
    ATOM_ATOM,
    ATOM_CARDINAL,
    ATOM_STRING,
    ATOM_WINDOW,
    ATOM_WM_CLASS,
    ATOM_WM_NAME,
    Connection,
    Cookie,
    Property,
    XcbUnavailable,
)
from memory.errors import KnownError

log = logging.getLogger(__name__)

#: Pixels added around a window that has no window-manager frame and no frame extents.
MARGIN = 4
#: Parent links followed from a client window up to its frame (a child of the root).
MAX_FRAME_DEPTH = 8
_TITLE_LONGS = 1024  # titles are read up to 4 KiB

_VIEWABLE = 2  # XCB_MAP_STATE_VIEWABLE
_ICONIC = 3  # WM_STATE IconicState
_ARGB_DEPTH = 32  # a window with an alpha channel may let what is below show through
_FULLY_OPAQUE = 0xFFFFFFFF  # _NET_WM_WINDOW_OPACITY of a window drawn without translucency
_PROPERTY_KEYS = ("state", "wm_state", "net_name", "name", "extents", "pid", "class",
                  "opacity")
_ATOM_NAMES = ("_NET_CLIENT_LIST_STACKING", "_NET_CLIENT_LIST", "_NET_WM_PID", "_NET_WM_NAME",
               "UTF8_STRING", "_NET_WM_STATE", "_NET_WM_STATE_HIDDEN", "_NET_FRAME_EXTENTS",
               "WM_STATE", "_NET_WM_WINDOW_OPACITY")


class VisibleWindowsUnavailable(KnownError):
    """The X server could not be asked which windows are on screen."""


@dataclass(frozen=True)
class Rect:
    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    def intersect(self, other: Rect) -> Rect | None:
        left, top = max(self.left, other.left), max(self.top, other.top)
        right, bottom = min(self.right, other.right), min(self.bottom, other.bottom)
        if right <= left or bottom <= top:
            return None
        return Rect(left, top, right - left, bottom - top)

    def union(self, other: Rect) -> Rect:
        left, top = min(self.left, other.left), min(self.top, other.top)
        return Rect(left, top, max(self.right, other.right) - left,
                    max(self.bottom, other.bottom) - top)

    def grow(self, left: int, right: int, top: int, bottom: int) -> Rect:
        return Rect(self.left - left, self.top - top, self.width + left + right,
                    self.height + top + bottom)


@dataclass(frozen=True)
class VisibleWindow:
    """A window on screen ``screen`` (the X screen index) covering ``rect`` of its root.

    ``names`` is every name the app goes by (process name, WM_CLASS instance and class);
    ``app`` is the first of them, as the focused-window reader would name it."""

    window_id: int
    screen: int
    app: str
    names: tuple[str, ...]
    title: str
    pid: int | None
    rect: Rect
    #: The area this window certainly paints over what is below it: its exact frame when
    #: it is opaque, None when it may be translucent (it then hides nothing).
    cover: Rect | None = None
    #: Whether the windows listed after it on its screen are stacked above it.
    stacked: bool = False


class VisibleWindowsReader(Protocol):
    def read(self) -> list[VisibleWindow]: ...

    def close(self) -> None: ...


class NoVisibleWindows:
    """A platform Engram cannot ask for the windows on screen: none are known."""

    def read(self) -> list[VisibleWindow]:
        return []

    def close(self) -> None:
        return None


@dataclass
class _Pending:
    """The requests sent for one candidate window, then what came back."""

    window: int
    screen: int
    root: int
    popup: bool
    cookies: dict[str, Cookie]


@dataclass
class _Answers:
    """What the X server said about one listed window."""

    map_state: int
    geometry: tuple[int, int, int, int, int, int]
    origin: tuple[int, int]
    parent: int
    properties: dict[str, Property | None]

    @classmethod
    def read(cls, conn: Connection, cookies: dict[str, Cookie]) -> _Answers | None:
        """Every reply (all must be read, to free them); None when the window is gone."""
        map_state = conn.map_state_of(cookies["attributes"])
        geometry = conn.geometry_of(cookies["geometry"])
        origin = conn.translated_of(cookies["origin"])
        tree = conn.tree_of(cookies["tree"])
        properties = {key: conn.property_of(cookies[key]) for key in _PROPERTY_KEYS}
        if map_state is None or geometry is None or origin is None or tree is None:
            return None
        return cls(map_state, geometry, origin, tree[0], properties)

    def cardinals(self, key: str) -> list[int]:
        found = self.properties[key]
        return found.cardinals() if found is not None else []

    def visible(self, atoms: dict[str, int]) -> bool:
        return (self.map_state == _VIEWABLE
                and atoms["_NET_WM_STATE_HIDDEN"] not in self.cardinals("state")
                and self.cardinals("wm_state")[:1] != [_ICONIC])

    @property
    def pid(self) -> int | None:
        values = self.cardinals("pid")
        return values[0] if values else None

    @property
    def wm_class(self) -> bytes:
        found = self.properties["class"]
        return found.data if found is not None else b""

    def title(self, utf8: int) -> str:
        for found in (self.properties["net_name"], self.properties["name"]):
            if found is not None and found.data:
                encoding = "utf-8" if found.type == utf8 else "latin-1"
                return found.data.decode(encoding, errors="replace")
        return ""

    def rect(self, frame: tuple[int, int, int, int, int, int] | None) -> Rect:
        """The rectangle the window covers on its root: the frame when reparented, the
        client grown by its frame extents (or MARGIN) otherwise; both when both are known."""
        client = self._client()
        extents = self.cardinals("extents")
        if len(extents) == 4:
            left, right, top, bottom = extents
            grown = client.grow(left, right, top, bottom)
        elif frame is None:
            grown = client.grow(MARGIN, MARGIN, MARGIN, MARGIN)
        else:
            grown = client
        if frame is None:
            return grown
        return grown.union(_frame_rect(frame))

    def cover(self, frame: tuple[int, int, int, int, int, int] | None) -> Rect | None:
        """What the window certainly hides below it (no margin: only pixels it paints), or
        None when it may be translucent."""
        opacity = self.cardinals("opacity")
        depths = [self.geometry[5], *([frame[5]] if frame is not None else [])]
        if _ARGB_DEPTH in depths or (opacity and opacity[0] != _FULLY_OPAQUE):
            return None
        return _frame_rect(frame) if frame is not None else self._client()

    def _client(self) -> Rect:
        _x, _y, width, height, border, _depth = self.geometry
        x, y = self.origin
        return Rect(x - border, y - border, width + 2 * border, height + 2 * border)


def _frame_rect(frame: tuple[int, int, int, int, int, int]) -> Rect:
    fx, fy, fwidth, fheight, fborder, _depth = frame
    return Rect(fx, fy, fwidth + 2 * fborder, fheight + 2 * fborder)


class X11VisibleWindows:
    """The visible windows of every screen of an X display. Not thread-safe: one capture
    thread asks. Raises :class:`VisibleWindowsUnavailable` when the display cannot answer."""

    def __init__(self, display: str | None = None) -> None:
        self.display = display or os.environ.get("DISPLAY") or ""
        self._conn: Connection | None = None
        self._stacked_screens: set[int] = set()
        self._names: dict[tuple[int, int | None, bytes], tuple[str, ...]] = {}

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def read(self) -> list[VisibleWindow]:
        if not self.display:
            raise VisibleWindowsUnavailable("no X display is set")
        try:
            if self._conn is None:
                self._conn = Connection(self.display, _ATOM_NAMES)
                self._names.clear()  # window ids from another connection mean nothing here
            found = self._read(self._conn)
            self._conn.check()
        except XcbUnavailable as exc:
            self.close()
            raise VisibleWindowsUnavailable(exc.text()) from exc
        return found

    def _read(self, conn: Connection) -> list[VisibleWindow]:
        atoms = conn.atoms
        lists = [(conn.get_property(root, atoms["_NET_CLIENT_LIST_STACKING"], ATOM_WINDOW,
                                    65536),
                  conn.get_property(root, atoms["_NET_CLIENT_LIST"], ATOM_WINDOW, 65536),
                  conn.tree(root)) for root in conn.roots]
        candidates: list[tuple[int, int, int]] = []  # (window, screen, root)
        unlisted: list[tuple[int, int, int]] = []  # root children the list does not name
        self._stacked_screens = set()
        for screen, (root, (stacking, clients, tree)) in enumerate(
                zip(conn.roots, lists, strict=True)):
            # Every reply is read, used or not: xcb keeps an unread one until it is.
            in_order, unordered = conn.property_of(stacking), conn.property_of(clients)
            children = conn.tree_of(tree)
            listed = in_order or unordered
            if listed is not None:
                windows = listed.cardinals()
            else:  # no window manager list: the root's own children
                windows = children[1] if children is not None else []
            if in_order is not None or listed is None:  # both are bottom-to-top
                self._stacked_screens.add(screen)
            candidates += [(window, screen, root) for window in windows]
            if listed is not None and children is not None:
                others = set(windows)
                unlisted += [(child, screen, root) for child in children[1]
                             if child not in others]
        conn.check()
        pending = [self._request(conn, window, screen, root)
                   for window, screen, root in candidates]
        pending += [self._request(conn, window, screen, root, popup=True)
                    for window, screen, root in self._popups(conn, unlisted)]
        return self._collect(conn, pending)

    def _popups(self, conn: Connection, unlisted: list[tuple[int, int, int]]
                ) -> list[tuple[int, int, int]]:
        """The menus, tooltips and pop-ups on screen: viewable override-redirect children
        of the root that the window manager does not list. They are read like the listed
        windows (an excluded app's autofill pop-up is masked too) and put on top, which is
        where such windows are drawn; as they are not in the window manager's stacking
        order, they are taken to hide nothing below them (``_collect``)."""
        cookies = [conn.attributes(window) for window, _screen, _root in unlisted]
        return [candidate for candidate, cookie in zip(unlisted, cookies, strict=True)
                if conn.mapped_override_redirect_of(cookie)]

    def _request(self, conn: Connection, window: int, screen: int, root: int, *,
                 popup: bool = False) -> _Pending:
        atoms = conn.atoms
        return _Pending(window, screen, root, popup=popup, cookies={
            "attributes": conn.attributes(window),
            "geometry": conn.geometry(window),
            "origin": conn.translate(window, root),
            "tree": conn.tree(window),
            "state": conn.get_property(window, atoms["_NET_WM_STATE"], ATOM_ATOM, 64),
            "wm_state": conn.get_property(window, atoms["WM_STATE"], atoms["WM_STATE"], 2),
            "net_name": conn.get_property(window, atoms["_NET_WM_NAME"], atoms["UTF8_STRING"],
                                          _TITLE_LONGS),
            "name": conn.get_property(window, ATOM_WM_NAME, ANY_PROPERTY_TYPE, _TITLE_LONGS),
            "extents": conn.get_property(window, atoms["_NET_FRAME_EXTENTS"], ATOM_CARDINAL, 4),
            "pid": conn.get_property(window, atoms["_NET_WM_PID"], ATOM_CARDINAL, 1),
            "class": conn.get_property(window, ATOM_WM_CLASS, ATOM_STRING, 256),
            "opacity": conn.get_property(window, atoms["_NET_WM_WINDOW_OPACITY"], ATOM_CARDINAL,
                                         1),
        })

    def _collect(self, conn: Connection, pending: list[_Pending]) -> list[VisibleWindow]:
        shown: list[tuple[_Pending, _Answers]] = []
        for item in pending:
            answers = _Answers.read(conn, item.cookies)
            if answers is not None and answers.visible(conn.atoms):
                shown.append((item, answers))
        frames = self._frames(conn, [(item, answers.parent) for item, answers in shown])
        seen: set[tuple[int, int | None, bytes]] = set()
        windows = []
        for item, answers in shown:
            key = (item.window, answers.pid, answers.wm_class)
            seen.add(key)
            names = self._names.get(key)
            if names is None:
                names = self._names[key] = _app_names(answers.pid, answers.wm_class)
            title = answers.title(conn.atoms["UTF8_STRING"])
            if item.popup and not names and not title:
                continue  # a window manager's own frame or an anonymous pop-up: no one's
            windows.append(VisibleWindow(
                window_id=item.window, screen=item.screen, app=names[0] if names else UNKNOWN,
                names=names, title=title, pid=answers.pid,
                rect=answers.rect(frames.get(item.window)),
                cover=None if item.popup else answers.cover(frames.get(item.window)),
                stacked=item.screen in self._stacked_screens))
        for key in set(self._names) - seen:
            del self._names[key]
        return windows

    def _frames(self, conn: Connection, clients: list[tuple[_Pending, int]]
                ) -> dict[int, tuple[int, int, int, int, int, int]]:
        """Each reparented client's frame geometry (the ancestor that is a child of the
        root): one round trip per level of nesting, for every window at once."""
        walking = [(item, parent) for item, parent in clients if parent not in (0, item.root)]
        frames: dict[int, int] = {}
        for _ in range(MAX_FRAME_DEPTH):
            if not walking:
                break
            cookies = [conn.tree(parent) for _item, parent in walking]
            still = []
            for (item, node), cookie in zip(walking, cookies, strict=True):
                answer = conn.tree_of(cookie)
                if answer is None:
                    continue
                if answer[0] == item.root:
                    frames[item.window] = node
                elif answer[0]:
                    still.append((item, answer[0]))
            walking = still
        cookies_by_client = {client: conn.geometry(frame) for client, frame in frames.items()}
        geometries = {}
        for client, cookie in cookies_by_client.items():
            geometry = conn.geometry_of(cookie)
            if geometry is not None:
                geometries[client] = geometry
        return geometries


def _app_names(pid: int | None, wm_class: bytes) -> tuple[str, ...]:
    """The process name first (as the focused-window reader names the app), then the
    WM_CLASS instance and class."""
    names = []
    if pid is not None:
        name = process_name(pid)
        if name:
            names.append(name)
    for part in wm_class.split(b"\0"):
        text = part.decode("latin-1").strip()
        if text and text not in names:
            names.append(text)
    return tuple(names)


def visible_windows_reader(display: str | None = None) -> VisibleWindowsReader:
    """The reader for this platform: X11 when there is a display, else none."""
    if sys.platform.startswith(("win", "darwin")):
        return NoVisibleWindows()
    if display or os.environ.get("DISPLAY"):
        return X11VisibleWindows(display)
    return NoVisibleWindows()
