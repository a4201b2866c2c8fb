"""Worker lanes: the UI's one way to run work off the UI thread and hand results back.

A lane is a small pool of worker threads (one by default, so its jobs run in submission
order: a write is never overtaken by the next write) plus queued Qt signals that deliver
each outcome on the UI thread; no other UI module starts threads
(``tests/test_architecture.py`` checks it).  Jobs submitted under a ``key`` are "latest
wins": a job superseded before it starts is skipped and a superseded outcome is not
delivered (``on_dropped`` receives a superseded result, to release what it holds), which
is what a viewport query, a canvas render or a slide being opened wants while the user
moves on.

Long jobs (transfers, a sync) are ``start``-ed: they get their :class:`Task` as first
argument, report progress through it (``on_progress`` runs on the UI thread) and poll
its cancel flag, which is what a Cancel button sets.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent import futures
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from desktop_app.store.edits import EditError

log = logging.getLogger(__name__)

Callback = Callable[[Any], object]
#: Errors whose message is meant for the user (no traceback in the log, no type name).
USER_ERRORS: tuple[type[Exception], ...] = (EditError, ValueError)


def describe_error(exc: BaseException) -> str:
    """A one-line message for the status bar (EditError and ValueError are user-facing)."""
    if isinstance(exc, USER_ERRORS):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


class Task:
    """One job's handle: the UI asks it to stop; the job reports progress through it."""

    def __init__(self, report: Callable[[tuple[Any, ...]], None] | None = None) -> None:
        #: Set by ``cancel``; handed as is to services that take a ``threading.Event``.
        self.cancel_event = threading.Event()
        self._report = report

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def progress(self, *values: Any) -> None:
        """Called by the job on its worker: ``on_progress(*values)`` runs on the UI thread."""
        if self._report is not None:
            self._report(values)


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What a finished job hands to the UI thread."""

    task: Task
    callback: Callback | None
    value: Any
    key: str | None = None
    token: int = 0
    dropped: Callback | None = None  # for a result that is not delivered


class Lane(QObject):
    """Worker thread(s) whose outcomes come back on the UI thread.

    ``failed(message)`` is emitted for errors of jobs submitted without ``on_error``.
    ``workers`` > 1 runs jobs side by side (no order between them): for jobs such as
    opening a slide, where one stuck on a slow drive must not hold up the next.
    ``abandon_at_exit`` is for jobs that only read (a login, a status read, a slide being
    opened): the application quits without waiting for one stuck on the network, where
    a ThreadPoolExecutor's threads are joined when the interpreter exits.
    """

    failed = Signal(str)
    _done = Signal(object)  # _Outcome
    _progress = Signal(object, object)  # callback, values

    def __init__(
        self,
        name: str,
        parent: QObject | None = None,
        *,
        workers: int = 1,
        user_errors: tuple[type[Exception], ...] = (),
        abandon_at_exit: bool = False,
    ) -> None:
        super().__init__(parent)
        self._pool: futures.Executor = (
            _DaemonPool(workers, name)
            if abandon_at_exit
            else futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        )
        self._user_errors = (*USER_ERRORS, *user_errors)
        self._latest: dict[str, int] = {}
        self._pending = 0
        self._closed = False
        self._futures: set[futures.Future[None]] = set()
        self._tasks: set[Task] = set()
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        """Jobs submitted whose outcome has not been delivered yet (tests wait on this)."""
        return self._pending > 0

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callback | None = None,
        on_error: Callback | None = None,
        on_dropped: Callback | None = None,
        key: str | None = None,
    ) -> Task:
        """``fn(*args)`` on a worker; ``on_done(result)`` or ``on_error(exc)`` on the UI
        thread.  The returned task's ``cancel`` skips the job if it has not started."""
        return self._enqueue(fn, args, Task(), False, on_done, on_error, None, on_dropped, key)

    def start(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_progress: Callable[..., object] | None = None,
        on_done: Callback | None = None,
        on_error: Callback | None = None,
        on_cancelled: Callable[[], object] | None = None,
    ) -> Task:
        """``fn(task, *args)`` on a worker, for jobs that report progress or can stop.

        With ``on_cancelled``, a cancelled task ends with ``on_cancelled()`` (skipped if
        it had not started) instead of its result or error; without it, the job decides
        what cancelling means and its outcome is delivered as usual.
        """

        def report(values: tuple[Any, ...]) -> None:
            self._progress.emit(on_progress, values)

        def cancelled(_value: object) -> None:
            if on_cancelled is not None:
                on_cancelled()

        task = Task(report if on_progress is not None else None)
        when_cancelled = cancelled if on_cancelled is not None else None
        return self._enqueue(fn, args, task, True, on_done, on_error, when_cancelled, None, None)

    def _enqueue(
        self,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        task: Task,
        with_task: bool,
        on_done: Callback | None,
        on_error: Callback | None,
        on_cancelled: Callback | None,
        on_dropped: Callback | None,
        key: str | None,
    ) -> Task:
        if self._closed:
            return task
        token = 0
        if key is not None:
            token = self._latest[key] = self._latest.get(key, 0) + 1

        def outcome(callback: Callback | None, value: Any, dropped: Callback | None = None) -> None:
            if on_cancelled is not None and task.cancelled:
                callback, value, dropped = on_cancelled, None, None
            self._done.emit(_Outcome(task, callback, value, key, token, dropped))

        def job() -> None:
            superseded = key is not None and self._latest.get(key) != token
            if superseded or (task.cancelled and (on_cancelled is not None or not with_task)):
                outcome(None, None)
                return
            try:
                value = fn(task, *args) if with_task else fn(*args)
            except Exception as exc:  # reported on the UI thread, never swallowed
                if not isinstance(exc, self._user_errors):
                    log.exception("worker job %s failed", getattr(fn, "__name__", fn))
                outcome(on_error or self._report, exc)
                return
            outcome(on_done, value, on_dropped)

        self._pending += 1
        self._tasks.add(task)
        future = self._pool.submit(job)
        self._futures.add(future)
        future.add_done_callback(self._futures.discard)
        return task

    def _report(self, exc: BaseException) -> None:
        self.failed.emit(describe_error(exc))

    def _deliver(self, out: _Outcome) -> None:
        self._pending -= 1
        self._tasks.discard(out.task)
        current = out.key is None or self._latest.get(out.key) == out.token
        callback = out.callback if current and not self._closed else out.dropped
        if callback is not None:
            callback(out.value)

    def _on_progress(self, callback: Callable[..., object], values: tuple[Any, ...]) -> None:
        if not self._closed:
            callback(*values)

    def shutdown(self, timeout: float | None = None) -> bool:
        """Ask running tasks to cancel, drop queued jobs, wait up to ``timeout`` seconds
        (``None``: until the running jobs end); outcomes still in flight are not delivered
        (``on_dropped`` still releases results).  False if a job was still running."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        self._pool.shutdown(wait=False, cancel_futures=True)
        _done, running = futures.wait(list(self._futures), timeout)
        return not running


class _DaemonPool(futures.Executor):
    """An executor on daemon threads, which the interpreter does not join at exit."""

    def __init__(self, workers: int, name: str) -> None:
        self._jobs: queue.SimpleQueue[tuple[futures.Future[Any], Callable[[], Any]] | None] = (
            queue.SimpleQueue()
        )
        self._workers = workers
        self._closed = False
        for i in range(workers):
            threading.Thread(target=self._work, name=f"{name}_{i}", daemon=True).start()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> futures.Future[Any]:
        if self._closed:
            raise RuntimeError("cannot schedule new jobs after shutdown")
        future: futures.Future[Any] = futures.Future()
        self._jobs.put((future, lambda: fn(*args, **kwargs)))
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._closed = True
        if cancel_futures:
            while True:
                try:
                    item = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if item is not None:
                    item[0].cancel()
        for _ in range(self._workers):
            self._jobs.put(None)  # each worker ends at its sentinel

    def _work(self) -> None:
        while (item := self._jobs.get()) is not None:
            future, job = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(job())
            except BaseException as exc:  # the lane's job reports its own errors
                future.set_exception(exc)
