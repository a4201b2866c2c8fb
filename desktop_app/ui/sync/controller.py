"""Sync wired onto a main window: actions, automatic sync, status bar, issues dock.

Everything is attached from outside (toolbar, File menu entries, a permanent status-bar
widget, a dock), as the annotation workbench does, so the main window knows nothing
about sync.  Automatic sync: every ``interval_minutes`` while logged in and not known
to be offline; while offline, a cheap unauthenticated ping every ``probe_seconds``
(and Qt's network-reachability signal, when the platform has a backend) starts a sync
as soon as the server answers again.  Never two syncs at once (``SyncRunner``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QToolBar

from desktop_app.store.uow import Store
from desktop_app.sync import CytomineClient, SyncEngine, SyncReport
from desktop_app.sync.projects.local_upload import LocalProject, local_projects
from desktop_app.sync.transport import credentials
from desktop_app.ui import menus
from desktop_app.ui.menus import ActionId, MenuId
from desktop_app.ui.sync.conflicts_panel import ConflictsPanel
from desktop_app.ui.sync.login_dialog import ClientFactory, LoginDialog, default_client
from desktop_app.ui.sync.runner import EngineFactory, StatusView, SyncRunner
from desktop_app.ui.sync.status import SyncStatusWidget
from desktop_app.ui.sync.upload_prompt import UploadChoices, UploadPrompt
from desktop_app.ui.viewer import SlideView

log = logging.getLogger(__name__)


def credentials_engine_factory(store: Store, data_dir: Path, **client_kw: Any) -> EngineFactory:
    """An engine from the saved login (``credentials.load`` raises CredentialError if none)."""

    def make() -> SyncEngine:
        creds = credentials.load(data_dir)
        client = CytomineClient(creds.server_url, creds.public_key, creds.private_key, **client_kw)
        return SyncEngine(store, client)

    return make


class SyncUi(QObject):
    """The sync parts of one window; see :func:`install_sync_ui`."""

    def __init__(
        self,
        window: QMainWindow,
        view: SlideView,
        *,
        store: Store,
        data_dir: Path,
        engine_factory: EngineFactory,
        workbench: Any = None,
        interval_minutes: float = 5.0,
        probe_seconds: float = 30.0,
        project_server_ids: Callable[[], list[int] | None] = lambda: None,
        client_factory: ClientFactory = default_client,
        auto: bool = True,
    ) -> None:
        super().__init__(window)
        self.window, self.view, self._store, self._data_dir = window, view, store, data_dir
        self._workbench = workbench
        self._client_factory = client_factory
        self.runner = SyncRunner(
            store, engine_factory, project_server_ids=project_server_ids, parent=self
        )
        self.status = SyncStatusWidget()
        window.statusBar().addPermanentWidget(self.status)
        self.panel = ConflictsPanel(
            store, view, current_image=self._current_image, status=self._message, parent=window
        )
        self.prompt = UploadPrompt(window, UploadChoices(data_dir / "ui-settings.ini"))
        self.prompt.finished.connect(self._start)
        self._checking = False
        self._install_actions()
        self.last_view: StatusView | None = None
        self.auto = auto
        self.timer = QTimer(self, interval=max(1, int(interval_minutes * 60_000)))
        self.timer.timeout.connect(self._on_timer)
        self.probe_timer = QTimer(self, interval=max(1, int(probe_seconds * 1000)))
        self.probe_timer.timeout.connect(self._probe)
        self.clock = QTimer(self, interval=30_000)  # "synced N min ago" and pending counts
        self.clock.timeout.connect(self.runner.refresh_status)
        self.runner.started.connect(self._on_started)
        self.runner.progress.connect(self.status.set_progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.status_changed.connect(self._on_status)
        self.status.cancel_requested.connect(self.cancel)
        self.panel.resolved.connect(self._on_resolved)
        if workbench is not None:
            workbench.session.annotations_changed.connect(lambda _c: self.runner.refresh_status())
        self._network = _watch_network(self._on_reachability)
        window.installEventFilter(self)
        if auto:
            self.timer.start()
            self.clock.start()
        self.runner.refresh_status()
        self.panel.reload()

    # -- actions ------------------------------------------------------------------------------
    def _install_actions(self) -> None:
        w = self.window
        self.sync_action = menus.named(QAction("Sync now", w), ActionId.SYNC_NOW)
        self.sync_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.sync_action.setToolTip("Send local changes and receive the server's (Ctrl+Shift+S)")
        self.sync_action.triggered.connect(self.sync_now)
        self.login_action = menus.named(QAction("Log in to server...", w), ActionId.LOG_IN)
        self.login_action.triggered.connect(self.show_login)
        self.logout_action = menus.named(QAction("Log out", w), ActionId.LOG_OUT)
        self.logout_action.triggered.connect(self.logout)
        self.upload_action = menus.named(
            QAction("Upload local projects...", w), ActionId.UPLOAD_LOCAL
        )
        self.upload_action.setToolTip(
            "Put the projects that exist only on this workstation on the server"
        )
        self.upload_action.triggered.connect(lambda _c=False: self.sync_now(ask_again=True))
        file_menu = menus.menu(w, MenuId.FILE)
        anchor = menus.action_in(file_menu, ActionId.QUIT)
        file_menu.insertSeparator(anchor) if anchor is not None else file_menu.addSeparator()
        for a in (self.sync_action, self.upload_action, self.login_action, self.logout_action):
            file_menu.insertAction(anchor, a) if anchor is not None else file_menu.addAction(a)
        if anchor is not None:
            file_menu.insertSeparator(anchor)
        self.toolbar = QToolBar("Sync", w)
        self.toolbar.setObjectName("SyncToolbar")
        self.toolbar.addAction(self.sync_action)
        w.addToolBar(self.toolbar)
        toggle = self.panel.toggleViewAction()
        toggle.setText("Sync issues")
        menus.menu(w, MenuId.VIEW).addAction(toggle)

        w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.panel)
        self.panel.hide()

    # -- sync -------------------------------------------------------------------------------------
    def sync_now(self, *, ask_again: bool = False) -> bool:
        """Start a sync unless one runs; True when it starts (after the questions about
        local projects, if any: see :mod:`upload_prompt`).  ``ask_again``: ask about
        every local project, whatever was answered before."""
        if (
            self.runner.engine is None
            and self.last_view is not None
            and not self.last_view.logged_in
        ):
            self.show_login()
            return False
        if self.runner.busy or self._checking or self.prompt.asking:
            self._message("A sync is already running")
            return False
        self._checking = True
        self.runner.read(
            self._local_projects, on_done=lambda found: self._ask(found, ask_again=ask_again)
        )
        return True

    def _local_projects(self) -> list[LocalProject]:
        """On the status worker: the local-only projects (an error means none: the
        sync itself then says what is wrong)."""
        try:
            return local_projects(self._store)
        except Exception:
            log.exception("listing local projects failed")
            return []

    def _ask(self, found: list[LocalProject], *, ask_again: bool) -> None:
        self._checking = False
        if ask_again and not found:
            self._message("No local projects: everything here is on the server")
        engine = self.runner.engine
        self.prompt.ask(found, engine.client.base_url if engine else "", again=ask_again)

    def _start(self, local: list[int]) -> None:
        if not self.runner.start(local_projects=local):
            self._message("A sync is already running")

    def cancel(self) -> None:
        self.runner.cancel()
        self.status.cancel.setEnabled(False)
        self.status.progress.setFormat("Cancelling...")

    def _on_started(self) -> None:
        self.sync_action.setEnabled(False)
        self.status.set_running(True)
        self._message("Syncing...")

    def _on_finished(self, report: SyncReport) -> None:
        self.sync_action.setEnabled(True)
        self.status.set_running(False)
        if report.error_kind == "offline":
            self.probe_timer.start()
        elif report.error is None:
            self.probe_timer.stop()
        text = report.reason() if report.error or not report.ok else "in sync"
        self._message(f"Sync: {text} (sent {report.pushed}, received {report.pulled})")
        self.panel.reload()
        if report.conflicts or report.failed:
            self.panel.show()
            self.panel.raise_()
        if report.pulled or report.pushed or report.conflicts:
            self._refresh_annotations("Sync")

    def _on_status(self, view: StatusView) -> None:
        self.last_view = view
        self.status.set_status(view)
        self.logout_action.setEnabled(view.logged_in)

    def _on_timer(self) -> None:
        view = self.last_view
        if view is not None and view.logged_in and view.online is not False:
            # no questions in the background: the projects already answered "Upload"
            # (an upload cut short goes on), nothing else
            self.runner.read(
                self._local_projects,
                on_done=lambda found: self.runner.start(self.prompt.choices.uploads(found)),
            )

    def _probe(self) -> None:
        self.runner.probe(self._on_probe)

    def _on_probe(self, reachable: bool) -> None:
        if reachable:
            self.probe_timer.stop()
            self.runner.start()

    def _on_reachability(self, online: bool) -> None:
        if online and self.runner.engine is not None:
            self.runner.start()

    def _on_resolved(self, _pk: int, _choice: str) -> None:
        self.runner.refresh_status()
        self._refresh_annotations("Resolve conflict")

    def _refresh_annotations(self, label: str) -> None:
        if self._workbench is not None:
            self._workbench.session.notify_external_change(label)

    def _current_image(self) -> int | None:
        wb = self._workbench
        service = None if wb is None else wb.session.service
        return None if service is None else int(service.image_pk)

    def _message(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    # -- login ------------------------------------------------------------------------------------
    def login_dialog(self) -> LoginDialog:
        url = public = ""
        engine = self.runner.engine
        if engine is not None:
            url, public = engine.client.base_url, engine.client.public_key
        dialog = LoginDialog(
            self._store, self._data_dir, server_url=url, public_key=public,
            client_factory=self._client_factory, parent=self.window,
        )  # fmt: skip
        dialog.logged_in.connect(self._on_logged_in)
        return dialog

    def show_login(self) -> None:
        dialog = self.login_dialog()
        dialog.open()

    def _on_logged_in(self, engine: SyncEngine, user: dict[str, Any]) -> None:
        self.runner.set_engine(engine)
        self._message(f"Logged in to {engine.client.base_url} as {user.get('username')}")
        self.sync_now()

    def logout(self) -> None:
        if self.runner.busy:
            QMessageBox.information(self.window, "Log out", "Wait for the running sync to end.")
            return
        credentials.forget(self._data_dir)
        self.runner.set_engine(None)
        self._message("Logged out")

    # -- lifetime ---------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.close()
        return False

    def close(self) -> None:
        for t in (self.timer, self.probe_timer, self.clock):
            t.stop()
        self.runner.close()
        self.panel.close_panel()


def _watch_network(callback: Callable[[bool], object]) -> object | None:
    """Qt's reachability signal when a backend exists (not on offscreen/minimal setups)."""
    try:  # QtNetwork is optional: some PySide6 builds and offscreen setups lack it
        from PySide6.QtNetwork import QNetworkInformation
    except ImportError:
        return None
    if not QNetworkInformation.loadDefaultBackend():
        return None
    info = QNetworkInformation.instance()
    if info is None:
        return None
    online = QNetworkInformation.Reachability.Online
    info.reachabilityChanged.connect(lambda r: callback(r == online))
    return info


def install_sync_ui(
    window: QMainWindow,
    view: SlideView,
    *,
    store: Store,
    data_dir: Path,
    engine_factory: EngineFactory | None = None,
    workbench: Any = None,
    interval_minutes: float = 5.0,
    probe_seconds: float = 30.0,
    project_server_ids: Callable[[], list[int] | None] = lambda: None,
    client_factory: ClientFactory = default_client,
    auto: bool = True,
) -> SyncUi:
    """Install login, Sync now, automatic sync, the status indicator and the issues dock.

    ``engine_factory()`` builds the engine from a saved login (default: the credentials
    in ``data_dir``, private key from the keyring) and raises ``CredentialError`` when
    there is none; it runs on a worker.  ``workbench`` (the AnnotationWorkbench) makes
    the annotation layer re-read after a sync or a resolution.  ``project_server_ids()``
    returns the projects to sync (``None``: every accessible project).
    """
    return SyncUi(
        window,
        view,
        store=store,
        data_dir=data_dir,
        engine_factory=engine_factory or credentials_engine_factory(store, data_dir),
        workbench=workbench,
        interval_minutes=interval_minutes,
        probe_seconds=probe_seconds,
        project_server_ids=project_server_ids,
        client_factory=client_factory,
        auto=auto,
    )
