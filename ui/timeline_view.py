"""Timeline: one day grouped by hour, with frame thumbnails and the episodic memories of
each hour; a scrubber through the frames of the chosen hour; app filter; jump to a date."""

from __future__ import annotations

import html
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from PySide6.QtCore import QDate, QSize, Qt, QTimer
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.timeline import FrameRow
from memory.schema import Memory, parse_iso
from ui import actions, images
from ui.context import UiContext
from ui.ops import MemoryChanges, OpContext, QueryOp
from ui.theme import is_dark
from ui.widgets import clear_layout, heading, subtle

THUMB = QSize(160, 100)
THUMBS_PER_HOUR = 12
PREVIEW = QSize(960, 600)
ALL_APPS = "All apps"
#: While the pipeline streams frames in, the day view refreshes at most this often.
PIPELINE_REFRESH_MS = 3000


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def sample(frames: list[FrameRow], n: int) -> list[FrameRow]:
    """``n`` frames spread evenly over the list (first and last included)."""
    if len(frames) <= n:
        return frames
    step = (len(frames) - 1) / (n - 1)
    return [frames[round(i * step)] for i in range(n)]


class HourSection(QWidget):
    """One hour: a heading, a strip of thumbnails and the episodes of that hour."""

    def __init__(self, view: TimelineView, hour: int, frames: list[FrameRow],
                 episodes: list[Memory]) -> None:
        super().__init__()
        self.view, self.hour, self.frames = view, hour, frames
        self.setObjectName(f"hour_{hour:02d}")
        apps = list(dict.fromkeys(f.app for f in frames if f.app))
        apps += [a for a in dict.fromkeys(e.fields.get("app") for e in episodes)
                 if a and a not in apps]
        title = f"{hour:02d}:00 – {(hour + 1) % 24:02d}:00"
        counts = ", ".join(
            plural(n, word) for n, word in ((len(frames), "frame"), (len(episodes), "episode"))
            if n)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 8, 4, 8)
        head = QHBoxLayout()
        head.addWidget(heading(title, role="hour"))
        meta = subtle(" · ".join([counts, *apps[:4]]))
        head.addWidget(meta, 1)
        layout.addLayout(head)
        self.strip: QListWidget | None = None
        self.items: dict[int, QListWidgetItem] = {}
        if frames:
            strip = QListWidget()
            strip.setObjectName(f"thumbs_{hour:02d}")
            strip.setViewMode(QListView.ViewMode.IconMode)
            strip.setFlow(QListView.Flow.LeftToRight)
            strip.setWrapping(False)
            strip.setIconSize(THUMB)
            strip.setMovement(QListView.Movement.Static)
            strip.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
            strip.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            strip.setFixedHeight(THUMB.height() + 48)
            strip.setSpacing(4)
            blank = QIcon(QPixmap.fromImage(images.placeholder(THUMB, "…", dark=view.dark)))
            for frame in sample(frames, THUMBS_PER_HOUR):
                item = QListWidgetItem(blank, parse_iso(frame.captured_at).astimezone()
                                       .strftime("%H:%M:%S"))
                item.setData(Qt.ItemDataRole.UserRole, frame.id)
                item.setToolTip(" · ".join(x for x in (frame.app, frame.window_title) if x))
                strip.addItem(item)
                self.items[frame.id] = item
            strip.itemClicked.connect(self._clicked)
            strip.itemDoubleClicked.connect(
                lambda item: view.ctx.open_frame(item.data(Qt.ItemDataRole.UserRole)))
            layout.addWidget(strip)
            self.strip = strip
        for episode in episodes:
            when = parse_iso(episode.fields.get("occurred_at") or episode.event_at)
            app = episode.fields.get("app")
            label = QLabel(
                f'<span style="opacity:.7">{when.astimezone():%H:%M}</span>&nbsp; '
                f'<a href="{episode.id}">{html.escape(episode.summary)}</a>'
                + (f' <span style="opacity:.7">· {html.escape(app)}</span>' if app else "")
            )
            label.setObjectName(f"episode_{episode.id}")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
            label.linkActivated.connect(view.ctx.open_memory)
            layout.addWidget(label)

    def _clicked(self, item: QListWidgetItem) -> None:
        frame_id = item.data(Qt.ItemDataRole.UserRole)
        ids = [f.id for f in self.frames]
        self.view.scrub_segment(self.frames, ids.index(frame_id))


class TimelineView(QWidget):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.dark = is_dark(self.palette())
        self.day = date.today()
        self.app_filter: str | None = None
        self.data: actions.DayData | None = None
        self.sections: dict[int, HourSection] = {}
        self.segment: list[FrameRow] = []
        self.loaded = False
        self.last_load: QueryOp[Any] | None = None
        self._thumbs: QueryOp[Any] | None = None
        self._preview: QueryOp[Any] | None = None

        self.prev_button = QPushButton("◀")
        self.prev_button.setToolTip("Previous day")
        self.next_button = QPushButton("▶")
        self.next_button.setToolTip("Next day")
        self.today_button = QPushButton("Today")
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("dateEdit")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dddd d MMMM yyyy")
        self.date_edit.setDate(QDate(self.day.year, self.day.month, self.day.day))
        self.app_combo = QComboBox()
        self.app_combo.setObjectName("appFilter")
        self.app_combo.setMinimumContentsLength(16)
        self.app_combo.addItem(ALL_APPS)
        self.summary = subtle()
        self.summary.setObjectName("daySummary")
        bar = QHBoxLayout()
        for w in (self.prev_button, self.date_edit, self.next_button, self.today_button):
            bar.addWidget(w)
        bar.addSpacing(12)
        bar.addWidget(QLabel("App:"))
        bar.addWidget(self.app_combo)
        bar.addSpacing(12)
        bar.addWidget(self.summary, 1)

        self.hours_body = QWidget()
        self.hours_layout = QVBoxLayout(self.hours_body)
        self.hours_layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        hours_scroll = QScrollArea()
        hours_scroll.setObjectName("hoursScroll")
        hours_scroll.setWidgetResizable(True)
        hours_scroll.setWidget(self.hours_body)

        self.preview = QLabel()
        self.preview.setObjectName("scrubPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(240, 150)
        self.scrubber = QSlider(Qt.Orientation.Horizontal)
        self.scrubber.setObjectName("scrubber")
        self.scrubber.setEnabled(False)
        self.scrub_caption = subtle("Click a thumbnail to scrub through that hour.")
        self.scrub_caption.setObjectName("scrubCaption")
        self.open_button = QPushButton("Open full size")
        self.open_button.setObjectName("openFrameButton")
        self.open_button.setEnabled(False)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.preview, 1)
        right_layout.addWidget(self.scrubber)
        right_layout.addWidget(self.scrub_caption)
        right_layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignRight)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(hours_scroll)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([600, 400])
        split.setChildrenCollapsible(False)
        hours_scroll.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 0)
        layout.addLayout(bar)
        layout.addWidget(split, 1)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(PIPELINE_REFRESH_MS)
        self._refresh_timer.timeout.connect(self.reload)
        self._scrub_timer = QTimer(self)
        self._scrub_timer.setSingleShot(True)
        self._scrub_timer.setInterval(40)
        self._scrub_timer.timeout.connect(self._load_preview)
        self.prev_button.clicked.connect(lambda: self.jump_to(self.day - timedelta(days=1)))
        self.next_button.clicked.connect(lambda: self.jump_to(self.day + timedelta(days=1)))
        self.today_button.clicked.connect(lambda: self.jump_to(date.today()))
        self.date_edit.dateChanged.connect(lambda d: self.jump_to(d.toPython()))
        self.app_combo.activated.connect(self._app_chosen)
        self.scrubber.valueChanged.connect(lambda _v: self._scrub_timer.start())
        self.open_button.clicked.connect(self._open_current)
        ctx.hub.memory_did_change.connect(self._changed)

    # -- loading -------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not self.loaded:
            self.reload()

    def jump_to(self, day: date) -> None:
        if day == self.day and self.loaded:
            return
        self.day = day
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.date_edit.blockSignals(False)
        self.reload()

    def _app_chosen(self, index: int) -> None:
        text = self.app_combo.itemText(index)
        self.app_filter = None if text == ALL_APPS else text
        self.reload()

    def reload(self) -> None:
        self.loaded = True
        self._refresh_timer.stop()
        services, app = self.ctx.services, self.app_filter
        start = datetime.combine(self.day, time()).astimezone()
        self.last_load = QueryOp(
            parent=self, op=lambda _c: actions.load_day(services, start, app),
            success=self._show_day,
        ).run_in_background()

    def _show_day(self, data: actions.DayData) -> None:
        if data.day_start.date() != self.day:
            return  # the user moved on while this day loaded
        self.data = data
        if self._thumbs is not None:
            self._thumbs.cancel()
        self.app_combo.blockSignals(True)
        self.app_combo.clear()
        self.app_combo.addItems([ALL_APPS, *data.apps])
        if self.app_filter and self.app_filter not in data.apps:
            self.app_combo.addItem(self.app_filter)
        self.app_combo.setCurrentText(self.app_filter or ALL_APPS)
        self.app_combo.blockSignals(False)
        clear_layout(self.hours_layout)
        self.sections = {}
        by_hour = data.by_hour
        for hour in sorted(by_hour):
            frames, episodes = by_hour[hour]
            section = HourSection(self, hour, frames, episodes)
            self.sections[hour] = section
            self.hours_layout.addWidget(section)
        if not by_hour:
            empty = subtle("Nothing was captured or remembered on this day"
                           + (f" in {self.app_filter}." if self.app_filter else "."))
            empty.setObjectName("emptyDay")
            self.hours_layout.addWidget(empty)
        self.summary.setText(f"{plural(len(data.frames), 'frame')} · "
                             f"{plural(len(data.episodes), 'episode')}")
        self._load_thumbnails()
        if self.segment:
            ids = {f.id for f in data.frames}
            self.segment = [f for f in self.segment if f.id in ids]
        with_frames = [s for s in self.sections.values() if s.frames]
        if not self.segment and with_frames:
            latest = with_frames[-1]
            self.scrub_segment(latest.frames, len(latest.frames) - 1)
        if not self.segment:
            self._reset_scrubber()

    def _load_thumbnails(self) -> None:
        wanted = [(fid, frame) for s in self.sections.values()
                  for fid, frame in ((f.id, f) for f in s.frames) if fid in s.items]
        dark = self.dark

        def load(ctx: OpContext) -> int:
            for frame_id, frame in wanted:
                ctx.check_cancelled()
                try:
                    image = images.frame_image(frame, THUMB, dark=dark, thumbnail=True)
                except images.ImageUnreadable:
                    image = images.placeholder(THUMB, "image missing", dark=dark)
                ctx.emit((frame_id, image))
            return len(wanted)

        op: QueryOp[int] = QueryOp(parent=self, op=load)
        op.on_partial(partial(self._thumbs_arrived, op)).failure(lambda _e: None)
        self._thumbs = op.run_in_background()

    def _thumbs_arrived(self, op: QueryOp[int], batch: list[tuple[int, QImage]]) -> None:
        if op is not self._thumbs:
            return  # thumbnails for a day that is no longer shown
        for frame_id, image in batch:
            for section in self.sections.values():
                item = section.items.get(frame_id)
                if item is not None:
                    item.setIcon(QIcon(QPixmap.fromImage(image)))

    def _changed(self, changes: MemoryChanges, initiator: object) -> None:
        """Reload when frames or episodes changed: at once for the user's own actions, at
        most every few seconds while the pipeline streams in, and only when visible."""
        if not self.loaded or not (changes.frames or changes.touches("episodic")):
            return
        if not self.isVisible():
            self.loaded = False  # reload when shown again
            return
        if initiator is None:
            if not self._refresh_timer.isActive():
                self._refresh_timer.start()
        else:
            self.reload()

    # -- scrubbing -----------------------------------------------------------------------

    def scrub_segment(self, frames: list[FrameRow], index: int) -> None:
        self.segment = frames
        self.scrubber.blockSignals(True)
        self.scrubber.setRange(0, max(0, len(frames) - 1))
        self.scrubber.setValue(index)
        self.scrubber.blockSignals(False)
        self.scrubber.setEnabled(len(frames) > 1)
        self.open_button.setEnabled(True)
        self._load_preview()

    def current_frame(self) -> FrameRow | None:
        if not self.segment:
            return None
        return self.segment[min(self.scrubber.value(), len(self.segment) - 1)]

    def _reset_scrubber(self) -> None:
        self.segment = []
        self.scrubber.setEnabled(False)
        self.open_button.setEnabled(False)
        self.preview.clear()
        self.scrub_caption.setText("Click a thumbnail to scrub through that hour.")

    def _load_preview(self) -> None:
        frame = self.current_frame()
        if frame is None:
            return
        when = parse_iso(frame.captured_at).astimezone().strftime("%H:%M:%S")
        where = " · ".join(x for x in (frame.app, frame.window_title) if x)
        state = ""
        if frame.image is not None and frame.unredacted:
            state = f" · {images.BLURRED_NOTE}"
        elif frame.image is None and frame.status == "failed":
            state = f" · {frame.missing_image_note()}"
        self.scrub_caption.setText(
            f"{when} · {where or 'unknown window'} · frame {self.scrubber.value() + 1} of "
            f"{len(self.segment)}{state}")
        box, dark = self.preview.size().boundedTo(PREVIEW), self.dark
        if self._preview is not None and not self._preview.done:
            self._preview.cancel()

        def load(_ctx: OpContext) -> tuple[int, QImage]:
            return frame.id, images.frame_image(frame, box, dark=dark)

        self._preview = QueryOp(parent=self, op=load, success=self._show_preview)
        self._preview.run_in_background()

    def _show_preview(self, result: tuple[int, QImage]) -> None:
        frame = self.current_frame()
        if frame is not None and frame.id == result[0]:
            self.preview.setPixmap(QPixmap.fromImage(result[1]))

    def _open_current(self) -> None:
        frame = self.current_frame()
        if frame is not None:
            self.ctx.open_frame(frame.id)
