"""The About box: version, data folder, and each on-device model with its file and licence
(from :func:`app.about.about`, read on a worker thread)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.about import AboutInfo
from ui import actions
from ui.context import UiContext
from ui.ops import QueryOp, readable_error
from ui.theme import app_icon


def about_html(info: AboutInfo) -> str:
    rows = "".join(
        f"<tr><td><b>{escape(m.role)}</b></td><td>{escape(m.model_id)}</td>"
        f"<td>{escape(m.licence)}</td></tr>"
        f"<tr><td></td><td colspan='2'><small>{escape(m.path)}"
        + (f" ({escape(m.package)})" if m.package else "") + "</small></td></tr>"
        for m in info.models
    )
    return (
        f"<h2>Engram {escape(info.version)}</h2>"
        "<p>A private, on-device memory of what you see and do. Nothing leaves this computer.</p>"
        f"<p><b>Data folder:</b> {escape(info.data_dir)}</p>"
        "<table cellspacing='4'><tr><th align='left'>Model</th><th align='left'>Id</th>"
        f"<th align='left'>Licence</th></tr>{rows}</table>"
    )


class AboutDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Engram")
        self.setWindowIcon(app_icon())
        self.text = QLabel("Reading the models…")
        self.text.setObjectName("aboutText")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(640, 360)
        self.info: AboutInfo | None = None
        services = ctx.services
        op = QueryOp(parent=self, op=lambda _c: actions.about_info(services), success=self._show)
        op.failure(lambda exc: self.text.setText(escape(readable_error(exc))))
        op.run_in_background()

    def _show(self, info: AboutInfo) -> None:
        self.info = info
        self.text.setText(about_html(info))


def show_about(ctx: UiContext, parent: QWidget | None = None) -> AboutDialog:
    dialog = AboutDialog(ctx, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
