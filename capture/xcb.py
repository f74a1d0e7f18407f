"""A small libxcb binding through ctypes: the few X requests capture needs (window
properties, attributes, geometry, coordinates, the window tree), pipelined.

Why xcb and not Xlib: xcb reports an X error (a window destroyed meanwhile) as an empty
reply and a lost server as a connection error, where Xlib's default handlers exit the
process. Requests are sent at once and their replies read later, so asking about twenty
windows costs one round trip, not twenty. Every reply is freed as it is read.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from memory.errors import KnownError

ATOM_ATOM, ATOM_CARDINAL, ATOM_STRING, ATOM_WINDOW = 4, 6, 31, 33
ATOM_WM_NAME, ATOM_WM_CLASS = 39, 67
ANY_PROPERTY_TYPE = 0
_MAP_STATE_VIEWABLE = 2


class XcbUnavailable(KnownError):
    """libxcb is missing, or the X display cannot be reached."""


class Cookie(ctypes.Structure):
    _fields_ = [("sequence", ctypes.c_uint)]


class _ScreenIterator(ctypes.Structure):
    _fields_ = [("data", ctypes.POINTER(ctypes.c_uint32)), ("rem", ctypes.c_int),
                ("index", ctypes.c_int)]


class _InternAtomReply(ctypes.Structure):
    _fields_ = [("response_type", ctypes.c_uint8), ("pad0", ctypes.c_uint8),
                ("sequence", ctypes.c_uint16), ("length", ctypes.c_uint32),
                ("atom", ctypes.c_uint32)]


class _PropertyReply(ctypes.Structure):
    _fields_ = [("response_type", ctypes.c_uint8), ("format", ctypes.c_uint8),
                ("sequence", ctypes.c_uint16), ("length", ctypes.c_uint32),
                ("type", ctypes.c_uint32), ("bytes_after", ctypes.c_uint32),
                ("value_len", ctypes.c_uint32), ("pad0", ctypes.c_uint8 * 12)]


class _AttributesReply(ctypes.Structure):
    _fields_ = [("response_type", ctypes.c_uint8), ("backing_store", ctypes.c_uint8),
                ("sequence", ctypes.c_uint16), ("length", ctypes.c_uint32),
                ("visual", ctypes.c_uint32), ("klass", ctypes.c_uint16),
                ("bit_gravity", ctypes.c_uint8), ("win_gravity", ctypes.c_uint8),
                ("backing_planes", ctypes.c_uint32), ("backing_pixel", ctypes.c_uint32),
                ("save_under", ctypes.c_uint8), ("map_is_installed", ctypes.c_uint8),
                ("map_state", ctypes.c_uint8), ("override_redirect", ctypes.c_uint8),
                ("colormap", ctypes.c_uint32), ("all_event_masks", ctypes.c_uint32),
                ("your_event_mask", ctypes.c_uint32), ("do_not_propagate_mask", ctypes.c_uint16),
                ("pad0", ctypes.c_uint8 * 2)]


class _GeometryReply(ctypes.Structure):
    _fields_ = [("response_type", ctypes.c_uint8), ("depth", ctypes.c_uint8),
                ("sequence", ctypes.c_uint16), ("length", ctypes.c_uint32),
                ("root", ctypes.c_uint32), ("x", ctypes.c_int16), ("y", ctypes.c_int16),
                ("width", ctypes.c_uint16), ("height", ctypes.c_uint16),
                ("border_width", ctypes.c_uint16), ("pad0", ctypes.c_uint8 * 2)]


class _TranslateReply(ctypes.Structure):
    _fields_ = [("response_type", ctypes.c_uint8), ("same_screen", ctypes.c_uint8),
                ("sequence", ctypes.c_uint16), ("length", ctypes.c_uint32),
                ("child", ctypes.c_uint32), ("dst_x", ctypes.c_int16), ("dst_y", ctypes.c_int16)]


class _TreeReply(ctypes.Structure):
    _fields_ = [("response_type", ctypes.c_uint8), ("pad0", ctypes.c_uint8),
                ("sequence", ctypes.c_uint16), ("length", ctypes.c_uint32),
                ("root", ctypes.c_uint32), ("parent", ctypes.c_uint32),
                ("children_len", ctypes.c_uint16), ("pad1", ctypes.c_uint8 * 14)]


_XCB: tuple[Any, Any] | None = None


def load_xcb() -> tuple[Any, Any] | None:
    """(libxcb, libc), or None when libxcb is not installed."""
    global _XCB
    if _XCB is not None:
        return _XCB
    name = ctypes.util.find_library("xcb")
    if not name:
        return None
    try:
        xcb = ctypes.CDLL(name)
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None)
    except OSError:
        return None
    conn, u8, u16, u32, i16 = (ctypes.c_void_p, ctypes.c_uint8, ctypes.c_uint16,
                               ctypes.c_uint32, ctypes.c_int16)
    error_out = ctypes.POINTER(ctypes.c_void_p)
    signatures: dict[str, tuple[Any, list[Any]]] = {
        "xcb_connect": (conn, [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]),
        "xcb_connection_has_error": (ctypes.c_int, [conn]),
        "xcb_disconnect": (None, [conn]),
        "xcb_get_setup": (ctypes.c_void_p, [conn]),
        "xcb_setup_roots_iterator": (_ScreenIterator, [ctypes.c_void_p]),
        "xcb_screen_next": (None, [ctypes.POINTER(_ScreenIterator)]),
        "xcb_intern_atom": (Cookie, [conn, u8, u16, ctypes.c_char_p]),
        "xcb_intern_atom_reply": (ctypes.POINTER(_InternAtomReply), [conn, Cookie, error_out]),
        "xcb_get_property": (Cookie, [conn, u8, u32, u32, u32, u32, u32]),
        "xcb_get_property_reply": (ctypes.POINTER(_PropertyReply), [conn, Cookie, error_out]),
        "xcb_get_property_value": (ctypes.c_void_p, [ctypes.c_void_p]),
        "xcb_get_property_value_length": (ctypes.c_int, [ctypes.c_void_p]),
        "xcb_get_window_attributes": (Cookie, [conn, u32]),
        "xcb_get_window_attributes_reply": (ctypes.POINTER(_AttributesReply),
                                            [conn, Cookie, error_out]),
        "xcb_get_geometry": (Cookie, [conn, u32]),
        "xcb_get_geometry_reply": (ctypes.POINTER(_GeometryReply), [conn, Cookie, error_out]),
        "xcb_translate_coordinates": (Cookie, [conn, u32, u32, i16, i16]),
        "xcb_translate_coordinates_reply": (ctypes.POINTER(_TranslateReply),
                                            [conn, Cookie, error_out]),
        "xcb_query_tree": (Cookie, [conn, u32]),
        "xcb_query_tree_reply": (ctypes.POINTER(_TreeReply), [conn, Cookie, error_out]),
        "xcb_query_tree_children": (ctypes.POINTER(ctypes.c_uint32), [ctypes.c_void_p]),
        "xcb_query_tree_children_length": (ctypes.c_int, [ctypes.c_void_p]),
    }
    for function, (restype, argtypes) in signatures.items():
        getattr(xcb, function).restype = restype
        getattr(xcb, function).argtypes = argtypes
    libc.free.argtypes = [ctypes.c_void_p]
    libc.free.restype = None
    _XCB = (xcb, libc)
    return _XCB


@dataclass
class Property:
    type: int
    format: int
    data: bytes

    def cardinals(self) -> list[int]:
        """Format-32 values (xcb sends them as 32-bit, unlike Xlib's longs)."""
        if self.format != 32:
            return []
        count = len(self.data) // 4
        return list(memoryview(self.data)[: count * 4].cast("I"))

    def strings(self) -> list[str]:
        return [part.decode("latin-1") for part in self.data.split(b"\0") if part]


class Connection:
    """One xcb connection: pipelined requests, replies freed as they are read."""

    def __init__(self, display: str, atom_names: tuple[str, ...]) -> None:
        loaded = load_xcb()
        if loaded is None:
            raise XcbUnavailable(
                "libxcb is not installed (Debian package libxcb1)")
        self.xcb, self.libc = loaded
        screen = ctypes.c_int()
        self.handle = self.xcb.xcb_connect(display.encode(), ctypes.byref(screen))
        if not self.handle or self.xcb.xcb_connection_has_error(self.handle):
            self.close()
            raise XcbUnavailable(f"cannot connect to the X display {display}")
        iterator = self.xcb.xcb_setup_roots_iterator(self.xcb.xcb_get_setup(self.handle))
        self.roots: list[int] = []
        while iterator.rem:
            self.roots.append(int(iterator.data[0]))  # xcb_screen_t starts with its root
            self.xcb.xcb_screen_next(ctypes.byref(iterator))
        cookies = [self.xcb.xcb_intern_atom(self.handle, 0, len(name), name.encode())
                   for name in atom_names]
        self.atoms: dict[str, int] = {}
        for name, cookie in zip(atom_names, cookies, strict=True):
            reply = self._reply(self.xcb.xcb_intern_atom_reply, cookie)
            self.atoms[name] = 0 if reply is None else int(reply[0])
        self.check()

    def close(self) -> None:
        if self.handle:
            self.xcb.xcb_disconnect(self.handle)
            self.handle = None

    def check(self) -> None:
        if self.xcb.xcb_connection_has_error(self.handle):
            raise XcbUnavailable("the connection to the X display was lost")

    def _reply(self, function: Callable[..., Any], cookie: Cookie,
               read: Callable[[Any], Any] = lambda reply: (reply.contents.atom,)) -> Any:
        """Wait for one reply and turn it into Python values (None on an X error such as
        a window destroyed meanwhile); the C memory is freed here."""
        error = ctypes.c_void_p()
        reply = function(self.handle, cookie, ctypes.byref(error))
        if error.value:
            self.libc.free(error)
        if not reply:
            return None
        try:
            return read(reply)
        finally:
            self.libc.free(reply)

    # -- requests (send now, read later) ----------------------------------------------------

    def get_property(self, window: int, prop: int, type_: int, longs: int) -> Cookie:
        return self.xcb.xcb_get_property(self.handle, 0, window, prop, type_, 0, longs)

    def property_of(self, cookie: Cookie) -> Property | None:
        def read(reply: Any) -> Property:
            length = self.xcb.xcb_get_property_value_length(reply)
            data = ctypes.string_at(self.xcb.xcb_get_property_value(reply), length)
            return Property(int(reply.contents.type), int(reply.contents.format), data)

        found = self._reply(self.xcb.xcb_get_property_reply, cookie, read)
        return found if found is not None and found.type != 0 else None

    def attributes(self, window: int) -> Cookie:
        return self.xcb.xcb_get_window_attributes(self.handle, window)

    def map_state_of(self, cookie: Cookie) -> int | None:
        return self._reply(self.xcb.xcb_get_window_attributes_reply, cookie,
                           lambda reply: int(reply.contents.map_state))

    def mapped_override_redirect_of(self, cookie: Cookie) -> bool:
        """Whether the window is viewable and override-redirect (a menu, tooltip or
        pop-up the window manager does not manage)."""
        answer = self._reply(self.xcb.xcb_get_window_attributes_reply, cookie,
                             lambda reply: (int(reply.contents.map_state),
                                            int(reply.contents.override_redirect)))
        return answer is not None and answer == (_MAP_STATE_VIEWABLE, 1)

    def geometry(self, window: int) -> Cookie:
        return self.xcb.xcb_get_geometry(self.handle, window)

    def geometry_of(self, cookie: Cookie) -> tuple[int, int, int, int, int, int] | None:
        """(x, y relative to the parent, width, height, border width, depth)."""
        return self._reply(self.xcb.xcb_get_geometry_reply, cookie, lambda reply: (
            int(reply.contents.x), int(reply.contents.y), int(reply.contents.width),
            int(reply.contents.height), int(reply.contents.border_width),
            int(reply.contents.depth)))

    def translate(self, window: int, root: int) -> Cookie:
        return self.xcb.xcb_translate_coordinates(self.handle, window, root, 0, 0)

    def translated_of(self, cookie: Cookie) -> tuple[int, int] | None:
        return self._reply(self.xcb.xcb_translate_coordinates_reply, cookie,
                           lambda reply: (int(reply.contents.dst_x), int(reply.contents.dst_y)))

    def tree(self, window: int) -> Cookie:
        return self.xcb.xcb_query_tree(self.handle, window)

    def tree_of(self, cookie: Cookie) -> tuple[int, list[int]] | None:
        """(parent, children bottom to top)."""
        def read(reply: Any) -> tuple[int, list[int]]:
            count = self.xcb.xcb_query_tree_children_length(reply)
            children = self.xcb.xcb_query_tree_children(reply)
            return int(reply.contents.parent), [int(children[i]) for i in range(count)]

        return self._reply(self.xcb.xcb_query_tree_reply, cookie, read)
