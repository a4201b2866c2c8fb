"""Long transfers from the home (downloads, uploads) with a progress dialog and Cancel.

Each transfer is a task on its own :class:`Lane`, so several can run at once; progress
and the outcome come back on the UI thread, so the window stays live and the dialog's
Cancel is honoured between chunks.  What was transferred before a cancel stays on disk
(the transfers resume).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop_app.ui.lanes import Lane, Task, describe_error

#: ``work(progress(done, total), cancel)``, run on the transfer's worker.
Work = Callable[[Callable[[int, int], None], threading.Event], Any]


class TransferJob(QObject):
    """One transfer: ``work(progress, cancel)`` on a worker, a modal-less progress dialog."""

    finished = Signal(object)  # the work's result
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, title: str, label: str, work: Work, parent: QWidget) -> None:
        super().__init__(parent)
        self._work = work
        self.lane = Lane("home-transfer", self)
        self.task: Task | None = None
        self.dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)

    def start(self) -> TransferJob:
        self.task = self.lane.start(
            lambda task: self._work(task.progress, task.cancel_event),
            on_progress=self._on_progress,
            on_done=lambda result: self._end(self.finished.emit, result),
            on_error=lambda exc: self._end(self.failed.emit, describe_error(exc)),
            on_cancelled=lambda: self._end(lambda _none: self.cancelled.emit(), None),
        )
        self.dialog.canceled.connect(self.task.cancel)
        return self

    @property
    def running(self) -> bool:
        """Started and its outcome not delivered yet."""
        return self.lane.busy

    def shutdown(self, timeout: float) -> bool:
        """Cancel and wait up to ``timeout`` s for the worker (the window is closing)."""
        return self.lane.shutdown(timeout)

    def _end(self, announce: Callable[[Any], object], value: Any) -> None:
        self.dialog.close()
        announce(value)

    def _on_progress(self, done: int, total: int) -> None:
        scale = 1024 if total > 2**31 - 1 else 1  # QProgressDialog counts in int32
        self.dialog.setMaximum(max(0, total // scale))
        self.dialog.setValue(min(done // scale, total // scale) if total else 0)
