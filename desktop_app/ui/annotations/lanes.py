"""Worker lanes: run service calls off the UI thread and hand results back to it.

A lane is one worker thread (so its jobs run in submission order: a write is never
overtaken by the next write) plus a queued Qt signal that delivers each result on the
UI thread.  Jobs submitted under a ``key`` are "latest wins": a job superseded before it
starts is skipped and a superseded result is dropped, which is what a viewport query
or a canvas render wants while the user keeps panning.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from desktop_app.store.edits import EditError

log = logging.getLogger(__name__)

Callback = Callable[[Any], object]


def describe_error(exc: BaseException) -> str:
    """A one-line message for the status bar (EditError and ValueError are user-facing)."""
    if isinstance(exc, EditError | ValueError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


class Lane(QObject):
    """One worker thread whose results come back on the UI thread.

    ``failed(message)`` is emitted for errors of jobs submitted without ``on_error``.
    """

    failed = Signal(str)
    _done = Signal(object, object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._latest: dict[str, int] = {}
        self._pending = 0
        self._closed = False
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        """Jobs submitted whose result has not been delivered yet (tests wait on this)."""
        return self._pending > 0

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callback | None = None,
        on_error: Callback | None = None,
        key: str | None = None,
    ) -> None:
        if self._closed:
            return
        token = 0
        if key is not None:
            token = self._latest[key] = self._latest.get(key, 0) + 1

        def current() -> bool:
            return key is None or self._latest.get(key) == token

        def job() -> None:
            if not current():
                self._done.emit(None, None)
                return
            try:
                value = fn(*args)
            except Exception as exc:  # reported on the UI thread, never swallowed
                if not isinstance(exc, EditError | ValueError):
                    log.exception("worker job %s failed", getattr(fn, "__name__", fn))
                self._done.emit(on_error or self._report, exc)
                return
            self._done.emit(on_done if current() else None, value)

        self._pending += 1
        self._pool.submit(job)

    def _report(self, exc: BaseException) -> None:
        self.failed.emit(describe_error(exc))

    def _deliver(self, callback: Callback | None, value: Any) -> None:
        self._pending -= 1
        if callback is not None and not self._closed:
            callback(value)

    def shutdown(self) -> None:
        """Finish the running job, drop queued ones; results still in flight are ignored."""
        self._closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)
