"""Sync jobs off the UI thread: one sync at a time on its lane, status reads on another.

``SyncRunner`` owns the engine (built lazily by ``engine_factory`` on a worker, since
it reads the keyring) and the running sync's :class:`Task` (its cancel flag and
progress).  Every result comes back on the UI thread; the UI never waits on the
network or the disk.  Status reads have their own lane so they are answered while a
long sync runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop_app.services.sync_issues import local_counts
from desktop_app.store.uow import Store
from desktop_app.sync import SyncEngine, SyncReport
from desktop_app.sync.push.publish import local_project_pks
from desktop_app.sync.transport.credentials import CredentialError
from desktop_app.ui.lanes import Lane, Task, describe_error

log = logging.getLogger(__name__)

EngineFactory = Callable[[], SyncEngine]


@dataclass(frozen=True, slots=True)
class StatusView:
    """What the status indicator shows (a SyncStatus plus "logged in?" and "syncing?")."""

    logged_in: bool
    online: bool | None
    pending: int
    conflicts: int
    last_sync: datetime | None
    last_error: str | None
    running: bool
    server: str = ""
    login_error: str = ""


class SyncRunner(QObject):
    """Runs ``engine.run`` on a worker; ``busy`` while one is running (never two at once)."""

    started = Signal()
    progress = Signal(str, int, int)
    finished = Signal(object)  # SyncReport
    status_changed = Signal(object)  # StatusView
    engine_changed = Signal()

    def __init__(
        self,
        store: Store,
        engine_factory: EngineFactory,
        *,
        project_server_ids: Callable[[], list[int] | None] = lambda: None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._factory = engine_factory
        self._projects = project_server_ids
        self._engine: SyncEngine | None = None
        self._login_error = ""
        self._task: Task | None = None
        self._running = False
        self._runs = Lane("sync-run", self)
        self._reads = Lane("sync-status", self, abandon_at_exit=True)
        self._closed = False
        self.last_report: SyncReport | None = None

    # -- engine ---------------------------------------------------------------------------
    @property
    def engine(self) -> SyncEngine | None:
        return self._engine

    def set_engine(self, engine: SyncEngine | None) -> None:
        """After a login (or logout): the next sync and status read use this engine."""
        old, self._engine = self._engine, engine
        self._login_error = ""
        if old is not None and old is not engine and not self.busy:
            old.client.close()
        self.engine_changed.emit()
        self.refresh_status()

    def _ensure_engine(self) -> SyncEngine | None:
        if self._engine is None:
            try:
                self._engine = self._factory()
                self._login_error = ""
            except CredentialError as exc:
                self._login_error = str(exc)
        return self._engine

    # -- sync -------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        # A flag cleared just before ``finished`` is emitted: a sync started from that
        # signal must not be refused.
        return self._running

    def start(self, local_projects: list[int] | None = None) -> bool:
        """Start a sync unless one is running; False if it did not start.

        ``local_projects``: cache pks of local-only projects to create on the server
        (with their slides and annotations) in this run; those already there are skipped.
        """
        if self.busy or self._closed:
            return False
        self._running = True
        self._task = self._runs.start(
            self._run,
            list(local_projects or []),
            on_progress=self.progress.emit,
            on_done=self._on_finished,
        )
        self.started.emit()
        return True

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _run(self, task: Task, local: list[int]) -> SyncReport:
        """On the sync lane; every failure becomes the report's error (shown to the user)."""
        report: SyncReport
        try:
            engine = self._ensure_engine()
            if engine is None:
                report = SyncReport(error=self._login_error or "not logged in", error_kind="auth")
            else:
                still_local = set(local_project_pks(self._store)) if local else set()
                report = engine.run(
                    self._projects(),
                    cancel=task.cancel_event,
                    progress=task.progress,
                    local_projects=[pk for pk in local if pk in still_local],
                )
        except Exception as exc:  # the UI must hear about it, whatever it is
            log.exception("sync failed")
            report = SyncReport(error=f"{type(exc).__name__}: {exc}", error_kind="server")
        return report

    def _on_finished(self, report: SyncReport) -> None:
        self.last_report = report
        self._running = False
        self._task = None
        self.finished.emit(report)
        self.refresh_status()

    # -- status -----------------------------------------------------------------------------
    def refresh_status(self) -> None:
        """Read the status on the status lane; only the latest read is shown."""
        if not self._closed:
            self._reads.submit(self._read_status, key="status", on_done=self._on_status)

    def _read_status(self) -> StatusView:
        try:
            engine = self._ensure_engine()
            if engine is None:
                counts = local_counts(self._store)
                view = StatusView(
                    False, None, counts.pending, counts.conflicts, None, None, self.busy,
                    login_error=self._login_error,
                )  # fmt: skip
            else:
                st = engine.status()
                view = StatusView(
                    True, st.online, st.pending, st.conflicts, st.last_sync, st.last_error,
                    self.busy, server=engine.client.base_url,
                )  # fmt: skip
        except Exception as exc:
            log.exception("sync status read failed")
            view = StatusView(False, None, 0, 0, None, f"{type(exc).__name__}: {exc}", self.busy)
        return view

    def _on_status(self, view: StatusView) -> None:
        if not self._closed:
            self.status_changed.emit(view)

    def read(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], Any]) -> None:
        """``fn(*args)`` on the status lane; ``on_done(result)`` on the UI thread.

        A failed read is logged and its ``on_done`` not called (the next read retries)."""
        if not self._closed:
            self._reads.submit(fn, *args, on_done=on_done, on_error=_log_read_error)

    # -- background probe ---------------------------------------------------------------------
    def probe(self, on_result: Callable[[bool], Any]) -> None:
        """Ask the server's unauthenticated ping on a worker; ``on_result(reachable)``."""
        engine = self._engine
        if engine is None or self._closed:
            return

        def reachable() -> bool:
            try:
                engine.client.ping()
            except Exception:
                return False
            return True

        self._reads.submit(reachable, on_done=on_result)

    def close(self) -> None:
        """Cancel a running sync, wait for it briefly, stop the status lane."""
        self._closed = True
        self._runs.shutdown(timeout=10)
        self._reads.shutdown()
        if self._engine is not None:
            self._engine.client.close()


def _log_read_error(exc: BaseException) -> None:
    log.warning("sync read failed: %s", describe_error(exc))
