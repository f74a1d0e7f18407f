"""What every view is given: the services, the change hub, and requests to the window
(open a memory, open a frame, offer an undo), so views never reach into each other."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from app.services import Services
from ui.ops import ChangeHub


class UiContext(QObject):
    open_memory_requested = Signal(str)  # memory id
    open_frame_requested = Signal(int)  # frame id
    undo_offered = Signal(str, object)  # message, callable that undoes

    def __init__(self, services: Services, hub: ChangeHub | None = None) -> None:
        super().__init__()
        self.services = services
        self.hub = hub or ChangeHub()

    def open_memory(self, memory_id: str) -> None:
        self.open_memory_requested.emit(memory_id)

    def open_frame(self, frame_id: int) -> None:
        self.open_frame_requested.emit(int(frame_id))

    def offer_undo(self, message: str, undo: Callable[[], None]) -> None:
        self.undo_offered.emit(message, undo)
