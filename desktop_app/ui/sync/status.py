"""The status bar's sync part: indicator (online, pending, last sync, error) + progress."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from desktop_app.ui.sync.runner import StatusView

STAGES = {
    "upload": "Uploading slides",
    "push": "Sending changes",
    "pull-tree": "Receiving the project tree",
    "pull": "Receiving projects",
    "pull-page": "Receiving annotations",
}
MIN_BAR_PX, MAX_BAR_PX = 160, 360
COLORS = {"online": "#2E7D32", "offline": "#C62828", "unknown": "#757575", "error": "#EF6C00"}


def _ago(when: datetime | None, now: datetime | None = None) -> str:
    if when is None:
        return "never"
    now = now or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    secs = max(0, int((now - when).total_seconds()))
    if secs < 60:
        return "just now"
    if secs < 3600:
        return f"{secs // 60} min ago"
    if secs < 86400:
        return f"{secs // 3600} h ago"
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def describe(view: StatusView) -> tuple[str, str, str]:
    """(state key, one-line text, tooltip) for a status view.

    The line is three facts that never contradict each other: the connection (not
    logged in / offline / sync error / online, or "logged in" before this session has
    reached the server), what is waiting to be sent, and when the last sync ended
    ("never synced" until one did).
    """
    if not view.logged_in:
        state, head = "unknown", "Not logged in"
    elif view.online is False:
        state, head = "offline", "Offline"
    elif view.last_error:
        state, head = "error", "Sync error"
    elif view.online:
        state, head = "online", "Online"
    else:
        state, head = "unknown", "Logged in"
    parts = [head, f"{view.pending} pending"]
    if view.conflicts:
        parts.append(f"{view.conflicts} conflict(s)")
    if view.logged_in or view.last_sync is not None:
        parts.append("never synced" if view.last_sync is None else f"synced {_ago(view.last_sync)}")
    tip = [
        f"Server: {view.server or '-'}",
        f"State: {head}"
        + (" (the server has not been reached since start-up)" if head == "Logged in" else ""),
        f"Pending operations: {view.pending}",
        f"Open conflicts: {view.conflicts}",
        f"Last sync: {_ago(view.last_sync)}"
        + (f" ({view.last_sync:%Y-%m-%d %H:%M:%S} UTC)" if view.last_sync else ""),
    ]
    if view.last_error:
        tip.append(f"Last error: {view.last_error}")
    if view.login_error:
        tip.append(view.login_error)
    return state, " | ".join(parts), "\n".join(tip)


class SyncStatusWidget(QWidget):
    """Indicator dot + text; a progress bar and Cancel button shown while syncing."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dot = QLabel("\u25cf")
        self.label = QLabel("Sync: ...")
        self.progress = QProgressBar()
        self.progress.setFixedWidth(MIN_BAR_PX)
        self.progress.setMaximumHeight(16)
        self.progress.setTextVisible(True)
        self.cancel = QToolButton()
        self.cancel.setText("Cancel")
        self.cancel.clicked.connect(self.cancel_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        for w in (self.dot, self.label, self.progress, self.cancel):
            layout.addWidget(w)
        self.state = "unknown"
        self.view: StatusView | None = None
        self.set_running(False)

    def set_status(self, view: StatusView) -> None:
        self.view = view
        self.state, text, tip = describe(view)
        self.dot.setStyleSheet(f"color: {COLORS[self.state]}")
        self.label.setText(text)
        self.setToolTip(tip)
        self.label.setToolTip(tip)

    def set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel.setVisible(running)
        self.cancel.setEnabled(running)
        if running:
            self.progress.setFixedWidth(MIN_BAR_PX)
            self.progress.setRange(0, 0)
            self.progress.setFormat("Syncing...")

    def set_progress(self, stage: str, done: int, total: int) -> None:
        name = STAGES.get(stage, stage)
        if stage == "upload-bytes" and total > 0:  # bytes: may not fit the bar's int
            self.progress.setRange(0, 1000)
            self.progress.setValue(min(1000, done * 1000 // total))
            scale, unit = (1e9, "GB") if total >= 1e9 else (1e6, "MB")
            self.progress.setFormat(
                f"Uploading slide {done / scale:,.1f}/{total / scale:,.1f} {unit}"
            )
        elif total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
            self.progress.setFormat(f"{name} %v/%m")
        else:
            self.progress.setRange(0, 0)
            self.progress.setFormat(f"{name} ({done})" if done else name)
        self.progress.setToolTip(self.progress.format())
        self._fit_progress_text()

    def _fit_progress_text(self) -> None:
        """The bar is as wide as its text ("Uploading slide 24.6/55.0 MB" was cut off)."""
        shown = self.progress.text() or self.progress.format()
        width = min(self.progress.fontMetrics().horizontalAdvance(shown) + 28, MAX_BAR_PX)
        if width > self.progress.width():  # grows during a run, never jitters per tick
            self.progress.setFixedWidth(width)

    def text(self) -> str:
        return self.label.text()


__all__ = ["SyncStatusWidget", "describe"]
