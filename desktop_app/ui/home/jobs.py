"""Long transfers from the home (downloads, uploads) with a progress dialog and Cancel.

The work runs on its own thread with a ``threading.Event`` to cancel; progress and the
outcome come back to the UI thread through queued signals, so the window stays live
and the dialog's Cancel is honoured between chunks.  What was transferred before a
cancel stays on disk (the transfers resume).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop_app.ui.annotations.lanes import describe_error

Work = Callable[[Callable[[int, int], None], threading.Event], Any]


class TransferJob(QObject):
    """One transfer: ``work(progress, cancel)`` on a thread, a modal-less progress dialog."""

    progressed = Signal(int, int)
    finished = Signal(object)  # the work's result
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, title: str, label: str, work: Work, parent: QWidget) -> None:
        super().__init__(parent)
        self.cancel = threading.Event()
        self._work = work
        self.dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel.set)
        self.progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._thread = threading.Thread(target=self._run, name="home-transfer", daemon=True)

    def start(self) -> TransferJob:
        self._thread.start()
        return self

    def wait(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        try:
            result = self._work(lambda done, total: self.progressed.emit(done, total), self.cancel)
        except Exception as exc:  # shown to the user, the app stays usable
            if self.cancel.is_set():
                self.cancelled.emit()
            else:
                self.failed.emit(describe_error(exc))
        else:
            if self.cancel.is_set():
                self.cancelled.emit()
            else:
                self.finished.emit(result)
        finally:
            self._close_later()

    def _close_later(self) -> None:
        self.progressed.emit(-1, -1)

    def _on_progress(self, done: int, total: int) -> None:
        if done < 0:
            self.dialog.close()
            return
        scale = 1024 if total > 2**31 - 1 else 1  # QProgressDialog counts in int32
        self.dialog.setMaximum(max(0, total // scale))
        self.dialog.setValue(min(done // scale, total // scale) if total else 0)
