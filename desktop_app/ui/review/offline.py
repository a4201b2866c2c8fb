"""“Prepare for offline review”: fetch a remote slide's tiles for the whole queue first.

A reviewer on a train reviews a server slide: before leaving, this box lists every tile
the review queue will show (:func:`desktop_app.slide.review_tiles.queue_tiles`, at the
review magnification of the current view size), says how much is still to download,
and on *Download* fetches it on a worker with a progress bar; the slide is pinned so
the tiles stay. The review then runs with the network down and its decisions wait in
the outbox for the next sync. Nothing here blocks the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from desktop_app.slide.remote_source import RemoteSlideSource
from desktop_app.slide.review_tiles import (
    Bounds,
    OfflinePlan,
    plan_offline,
    prepare_offline,
    queue_tiles,
)
from desktop_app.slide.source import SlideSource
from desktop_app.ui import menus
from desktop_app.ui.lanes import Lane, describe_error
from desktop_app.ui.menus import MenuId

#: What the box needs from review mode: the slide shown, the queue still pending
#: (bounds in queue order) and the view size the review will use.
Queue = Callable[[], tuple[SlideSource | None, Sequence[Bounds], tuple[int, int]]]


def remote_of(source: SlideSource | None) -> RemoteSlideSource | None:
    """The server tile source behind what the viewer shows, if it is a remote slide."""
    inner = getattr(source, "inner", source)
    return inner if isinstance(inner, RemoteSlideSource) else None


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.0f} kB"


class OfflineReviewBox(QWidget):
    """Button, plan, Download / Cancel and a progress bar, inside the review dock."""

    progressed = Signal(int, int)  # emitted on the worker: Qt queues it to the UI thread

    def __init__(self, queue: Queue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._queue = queue
        self.lane = Lane("offline-review", self)
        self.plan: OfflinePlan | None = None
        self._remote: RemoteSlideSource | None = None
        self._cancel = threading.Event()
        self.prepare_button = QPushButton("Prepare for offline review…")
        self.prepare_button.setToolTip(
            "Download the tiles of every annotation still in the queue, to review offline"
        )
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.download_button = QPushButton("Download")
        self.cancel_button = QPushButton("Cancel")
        self.bar = QProgressBar()
        row = QHBoxLayout()
        row.addWidget(self.download_button)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.prepare_button)
        layout.addWidget(self.status)
        layout.addLayout(row)
        layout.addWidget(self.bar)
        self.prepare_button.clicked.connect(self.prepare)
        self.download_button.clicked.connect(self.download)
        self.cancel_button.clicked.connect(self.cancel)
        self.progressed.connect(self._on_progress)
        self._idle()

    @property
    def busy(self) -> bool:
        return self.lane.busy

    def _idle(self, text: str = "") -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))
        self.download_button.hide()
        self.cancel_button.hide()
        self.bar.hide()
        self.prepare_button.setEnabled(True)

    def prepare(self) -> None:
        """Work out what the queue needs and show its size (nothing is downloaded yet)."""
        source, bounds, (w, h) = self._queue()
        remote = remote_of(source)
        if source is None or remote is None:
            self._idle("This slide is on this computer: its review needs no network.")
            return
        if not bounds:
            self._idle("Nothing left in the queue to prepare.")
            return
        self._remote, n = remote, len(bounds)
        self.prepare_button.setEnabled(False)
        self.status.setText("Working out which tiles the queue needs…")
        self.status.show()

        def plan() -> OfflinePlan:
            return plan_offline(remote, queue_tiles(remote.info, remote.slide_id, bounds, w, h))

        self.lane.submit(plan, on_done=lambda p: self._show_plan(p, n), on_error=self._failed)

    def _show_plan(self, plan: OfflinePlan, annotations: int) -> None:
        self.plan = plan
        here = plan.total - plan.missing
        if plan.missing == 0:
            self.status.setText(f"{annotations} annotations: all {plan.total} tiles are here.")
            self.download()  # only pins the slide, so the tiles stay
            return
        self.status.setText(
            f"{annotations} annotations need {plan.total} tiles: {plan.missing} to download "
            f"(about {_size(plan.estimated_bytes)}), {here} already on this computer."
        )
        self.download_button.show()
        self.cancel_button.show()
        self.prepare_button.setEnabled(True)

    def download(self) -> None:
        """Fetch the planned tiles on the worker, with the progress bar."""
        plan, remote = self.plan, self._remote
        if plan is None or remote is None:
            return
        self._cancel = threading.Event()
        self.download_button.hide()
        self.cancel_button.show()
        self.prepare_button.setEnabled(False)
        self.bar.setRange(0, max(plan.total, 1))
        self.bar.setValue(0)
        self.bar.show()
        cancel = self._cancel
        self.lane.submit(
            lambda: prepare_offline(remote, plan, progress=self.progressed.emit, cancel=cancel),
            on_done=lambda fetched: self._done(plan, fetched, cancel.is_set()),
            on_error=self._failed,
        )

    def cancel(self) -> None:
        if self.bar.isVisible():
            self._cancel.set()
        else:
            self.plan = None
            self._idle()

    def _on_progress(self, done: int, total: int) -> None:
        self.bar.setMaximum(max(total, 1))
        self.bar.setValue(done)

    def _done(self, plan: OfflinePlan, fetched: int, cancelled: bool) -> None:
        if cancelled:
            self._idle("Stopped; what was downloaded stays. Prepare again to finish.")
            return
        self._idle(
            f"Ready for offline review: {plan.total} tiles on this computer "
            f"({fetched} downloaded now). Decisions made offline sync later."
        )

    def _failed(self, exc: BaseException) -> None:
        self._idle(f"Could not prepare the review: {describe_error(exc)}. Try again online.")

    def close_lane(self) -> None:
        self._cancel.set()
        self.lane.shutdown()


def install_offline_review(mode: Any) -> OfflineReviewBox:
    """Add the box to the review dock of ``mode`` (a ``ReviewMode``) and
    ``Review > Prepare for offline review…``, which works while review mode is on."""

    def queue() -> tuple[SlideSource | None, list[Bounds], tuple[int, int]]:
        pks = [] if mode.session is None else mode.session.queue
        pending = [mode.items[p].bounds for p in pks if mode.statuses.get(p) == "pending"]
        view = mode.wb.view
        return view.source(), pending, (view.width(), view.height())

    box = OfflineReviewBox(queue)
    mode.panel.extras.addWidget(box)
    action = menus.menu(mode.window, MenuId.REVIEW, before=MenuId.HELP).addAction(
        "Prepare for offline review…"
    )

    def run() -> None:
        if not mode.active:
            mode.wb.status("Enter review mode (Ctrl+Shift+R) to prepare its queue for offline.")
            return
        box.prepare()

    action.triggered.connect(run)
    return box


__all__ = ["OfflineReviewBox", "install_offline_review", "remote_of"]
