"""The main window, titled "Engram": navigation, the five views, the undo bar, a banner for
problems the user must act on, and the status bar with live pipeline health."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from memory.schema import Memory
from ui.about import AboutDialog, show_about
from ui.chat_view import ChatView
from ui.context import UiContext
from ui.frame_dialog import FrameDialog
from ui.memories_view import MemoriesView
from ui.ops import QueryOp
from ui.settings_view import SettingsView
from ui.status import StatusPanel
from ui.theme import app_icon
from ui.timeline_view import TimelineView
from ui.vault_view import VaultView
from ui.widgets import UndoBar

WINDOW_TITLE = "Engram"
PAGES = ("Timeline", "Memories", "Vault", "Chat", "Settings")


class ProblemBanner(QFrame):
    """A strip above the views for an error the user must act on."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("problemBanner")
        self.setStyleSheet("#problemBanner { background: #fde68a; border-radius: 6px; }"
                           "#problemBanner QLabel { color: #422006; }")
        self.text = QLabel()
        self.text.setWordWrap(True)
        close = QPushButton("Dismiss")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 8, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(close)
        close.clicked.connect(self.hide)
        self.hide()

    def show_problem(self, message: str) -> None:
        self.text.setText(message)
        self.show()


class MainWindow(QMainWindow):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(WINDOW_TITLE)
        self.setWindowIcon(app_icon())
        self.resize(1280, 800)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(170)
        self.nav.setIconSize(QSize(18, 18))
        self.stack = QStackedWidget()
        self.timeline = TimelineView(ctx)
        self.memories = MemoriesView(ctx)
        self.vault = VaultView(ctx)
        self.chat = ChatView(ctx)
        self.settings = SettingsView(ctx)
        self.views: dict[str, QWidget] = dict(zip(
            PAGES, (self.timeline, self.memories, self.vault, self.chat, self.settings),
            strict=True))
        for i, (name, view) in enumerate(self.views.items()):
            self.stack.addWidget(view)
            item = QListWidgetItem(name)
            item.setSizeHint(QSize(150, 38))
            self.nav.addItem(item)
            shortcut = QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self)
            shortcut.activated.connect(partial(self.nav.setCurrentRow, i))
        self.undo_bar = UndoBar()
        self.banner = ProblemBanner()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 6)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.stack, 1)
        right_layout.addWidget(self.undo_bar)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(right, 1)
        self.setCentralWidget(central)
        self.status_panel = StatusPanel(ctx)
        self.statusBar().addPermanentWidget(self.status_panel, 1)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)
        ctx.undo_offered.connect(self.undo_bar.offer)
        ctx.open_memory_requested.connect(self.open_memory)
        ctx.open_frame_requested.connect(self.open_frame)
        ctx.hub.status_message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        ctx.hub.user_error.connect(lambda _title, message: self.banner.show_problem(message))
        self.status_panel.problem.connect(
            lambda _key, message: ctx.hub.user_error.emit("Engram needs your attention",
                                                          message))
        self.last_frame_dialog: FrameDialog | None = None
        self.about_dialog: AboutDialog | None = None
        help_menu = self.menuBar().addMenu("&Help")
        self.about_action = help_menu.addAction("&About Engram")
        self.about_action.triggered.connect(self.show_about)

    def show_about(self) -> None:
        self.about_dialog = show_about(self.ctx, self)

    def show_page(self, name: str) -> None:
        self.nav.setCurrentRow(PAGES.index(name))

    def open_memory(self, memory_id: str) -> None:
        services = self.ctx.services
        QueryOp(parent=self, op=lambda _c: services.store.get(memory_id),
                success=self._show_memory).run_in_background()

    def _show_memory(self, memory: Memory) -> None:
        if memory.type == "vault":
            self.show_page("Vault")
            return
        self.show_page("Memories")
        self.memories.show_memory(memory)

    def open_frame(self, frame_id: int) -> None:
        dialog = FrameDialog(self.ctx, frame_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_frame_dialog = dialog
        dialog.show()
