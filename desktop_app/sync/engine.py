"""The sync engine: push → pull → push, resumable at any point.

Every step commits its own small transaction and leaves a state the next run
continues from: ops are ``inflight``/``needs_reconcile`` until their answer is
stored, the pull cursor moves only with the page it covers.  So a dropped network,
a restarted server or a killed app all end the same way: run again, and it finishes.
The GUI calls :meth:`SyncEngine.run` from a worker thread and reads :meth:`status`.
"""

from __future__ import annotations

import getpass
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from desktop_app.model.base import SyncState
from desktop_app.model.project import Project
from desktop_app.model.security import User
from desktop_app.model.sync import CommandLog, ConflictStatus, OpState, SyncConflict, SyncCursor
from desktop_app.store.uow import Store
from desktop_app.sync.conflicts.kinds import ConflictKind
from desktop_app.sync.conflicts.records import ConflictInfo, list_conflicts
from desktop_app.sync.conflicts.resolve import resolve
from desktop_app.sync.local import UNFINISHED
from desktop_app.sync.pull import checkout, companions
from desktop_app.sync.pull import run as pull_run
from desktop_app.sync.pull import scitran as scitran_pull
from desktop_app.sync.pull.decisions import pull_decisions
from desktop_app.sync.push import notes as scitran_notes
from desktop_app.sync.push import run as push
from desktop_app.sync.push.decisions import push_decisions
from desktop_app.sync.push.publish import publish_project
from desktop_app.sync.report import SyncReport, SyncStatus
from desktop_app.sync.slides import upload as slide_upload
from desktop_app.sync.slides.upload_step import record_upload_failure, upload_refused
from desktop_app.sync.transport.http import (
    AuthError,
    ClientError,
    CytomineClient,
    MalformedResponse,
    Offline,
    ServerError,
    SyncHttpError,
)

Progress = Callable[[str, int, int], None]


class SyncEngine:
    """Push, pull, push for the chosen projects; one run at a time."""

    def __init__(self, store: Store, client: CytomineClient, *, batch: int = 500) -> None:
        self.store = store
        self.client = client
        self.batch = max(1, min(batch, 1000))
        self._lock = threading.Lock()
        self._online: bool | None = None
        self._last_error: str | None = None
        self._ping: str | None = None

    # --- public API ------------------------------------------------------------------
    def run(
        self,
        project_server_ids: list[int] | None = None,
        cancel: threading.Event | None = None,
        progress: Progress | None = None,
        *,
        local_projects: list[int] | None = None,
    ) -> SyncReport:
        """Sync the given server projects (all accessible ones when None) and create
        the given local-only projects (cache pks) on the server first."""
        report = SyncReport()
        started = time.perf_counter()
        sent0, writes0 = self.client.requests_sent, self.client.writes_sent
        with self._lock:
            self._ping = None
            try:
                self._run(
                    report,
                    project_server_ids,
                    cancel,
                    progress or (lambda *_: None),
                    local_projects or [],
                )
                self._online, self._last_error = True, None
            except Offline as exc:
                if cancel is not None and cancel.is_set():  # an upload stopped mid-file
                    report.error_kind, report.error = "cancelled", "cancelled by the user"
                else:
                    self._fail(report, "offline", exc, online=False)
            except AuthError as exc:
                self._fail(report, "auth", exc, online=True)
            except (ServerError, ClientError) as exc:
                self._fail(report, "server", exc, online=True)
            except MalformedResponse as exc:
                self._fail(report, "malformed", exc, online=True)
            self._count(report)
        report.seconds = time.perf_counter() - started
        report.requests = self.client.requests_sent - sent0
        report.writes = self.client.writes_sent - writes0
        return report

    def status(self) -> SyncStatus:
        with self.store.read() as s:
            pending = s.scalar(select(func.count()).where(CommandLog.state.in_(UNFINISHED))) or 0
            n_conf = (
                s.scalar(select(func.count()).where(SyncConflict.status == ConflictStatus.OPEN))
                or 0
            )
            last = s.scalar(select(func.max(SyncCursor.last_sync_at)))
        return SyncStatus(
            online=self._online,
            pending=int(pending),
            conflicts=int(n_conf),
            last_sync=last,
            last_error=self._last_error,
            running=self._lock.locked(),
        )

    def list_conflicts(self) -> list[ConflictInfo]:
        return list_conflicts(self.store)

    def resolve(self, conflict_pk: int, choice: str) -> None:
        """Apply the user's choice; the next run sends whatever it requires."""
        resolve(self.store, conflict_pk, choice)

    # --- internals -------------------------------------------------------------------
    def _fail(self, report: SyncReport, kind: str, exc: SyncHttpError, *, online: bool) -> None:
        report.error_kind, report.error = kind, str(exc)
        self._online, self._last_error = online, f"{kind}: {exc}"

    def _run(
        self,
        report: SyncReport,
        projects: list[int] | None,
        cancel: threading.Event | None,
        progress: Progress,
        local_projects: list[int],
    ) -> None:
        me = self.client.current_user()
        self._link_me(me)
        if local_projects:
            projects = None if projects is None else list(projects)
            for project_pk in local_projects:
                sid = self._publish(report, project_pk)
                if sid is not None and projects is not None and sid not in projects:
                    projects.append(sid)
        self._upload_images(report, projects, cancel, progress)
        self._push(report, cancel, progress)
        report.pushed += scitran_notes.push_notes(self.store, self.client)
        report.pushed += push_decisions(self.store, self.client)
        full = projects is None
        if projects is None:
            projects = [int(p["id"]) for p in checkout.accessible_projects(self.client)]
        for n, sid in enumerate(projects):
            if cancel is not None and cancel.is_set():
                break
            progress("pull", n, len(projects))
            bundle = checkout.fetch_project(self.client, sid)
            project_pk = checkout.apply_project(self.store, bundle)
            report.pulled += self._pull(project_pk, sid, cancel, progress)
            report.pulled += pull_decisions(self.store, self.client, project_pk, sid)
        if full and not (cancel is not None and cancel.is_set()):
            progress("pull-tree", 0, 1)  # the SciTran hierarchy: with every full sync
            scitran_pull.pull_tree(self.store, self.client, cancel)
        self._push(report, cancel, progress)
        if cancel is not None and cancel.is_set():
            report.error_kind, report.error = "cancelled", "cancelled by the user"

    def _upload_images(
        self,
        report: SyncReport,
        projects: list[int] | None,
        cancel: threading.Event | None,
        progress: Progress,
    ) -> None:
        """Slides opened locally in a synced project go up first, so the annotations
        waiting on them leave in this same run.  A refusal (``UploadError``) is recorded
        as a failed item for that image only; network/server errors stop the run (the
        queue row stays ``pending`` and the next run continues)."""
        todo: list[tuple[int, int, int]] = []  # (image pk, project server id, project pk)
        with self.store.read() as s:
            q = select(Project.pk, Project.server_id).where(Project.server_id.is_not(None))
            if projects is not None:
                q = q.where(Project.server_id.in_(projects))
            for project_pk, project_sid in s.execute(q).all():
                if project_sid is None:  # (the query names server ids)
                    continue
                for image_pk in slide_upload.images_to_upload(self.store, project_pk):
                    if not upload_refused(s, image_pk):
                        todo.append((image_pk, project_sid, project_pk))
        if not todo:
            return
        storage = slide_upload.default_storage(self.client)
        for n, (image_pk, project_sid, _project_pk) in enumerate(todo):
            if cancel is not None and cancel.is_set():
                return
            progress("upload", n, len(todo))
            try:
                slide_upload.upload_local_slide(
                    self.client,
                    self.store,
                    image_pk,
                    storage_id=storage,
                    project_server_id=project_sid,
                    cancel=cancel,
                    progress=lambda done, total: progress("upload-bytes", done, total),
                )
                report.uploaded += 1
            except slide_upload.UploadError as exc:
                report.upload_errors.append(str(exc)[:300])
                record_upload_failure(self.store, image_pk, str(exc))

    def _publish(self, report: SyncReport, project_pk: int) -> int | None:
        """A local-only project (and its ontology) created on the server; a refusal is
        reported for that project and blocks nothing else."""
        try:
            return publish_project(self.store, self.client, project_pk)
        except ClientError as exc:
            report.publish_errors.append(f"project local:{project_pk}: {exc}"[:300])
            return None

    def _link_me(self, me: dict[str, Any]) -> None:
        """The cache's own user row is the server user the keys belong to: it takes the
        server's id and username, so what was drawn before the login is attributed (and
        shown) as the server records it."""
        with self.store.unit_of_work(undoable=False) as uow:
            s = uow.session
            user = s.scalar(select(User).where(User.server_id == int(me["id"])))
            if user is None:
                user = s.scalar(
                    select(User)
                    .where(User.server_id.is_(None), User.sync_state == SyncState.LOCAL)
                    .order_by(User.pk)
                ) or s.scalar(select(User).where(User.username == getpass.getuser()))
                if user is None:
                    user = User(username=str(me["username"]))
                    s.add(user)
                user.server_id = int(me["id"])
            for other in s.scalars(  # one "me" per cache: an earlier login is a colleague now
                select(User).where(
                    User.sync_state == SyncState.LOCAL,
                    User.server_id.is_not(None),
                    User.server_id != int(me["id"]),
                )
            ):
                other.sync_state = SyncState.SYNCED
            user.sync_state = SyncState.LOCAL  # the cache's own user (Workspace.local_user)
            name = str(me.get("username") or user.username)
            if (
                user.username != name
                and s.scalar(select(User.pk).where(User.username == name)) is None
            ):
                user.username = name  # shown as the author: what the server will record

    def _push(self, report: SyncReport, cancel: threading.Event | None, progress: Progress) -> None:
        stats = push.PushStats()
        stale = 0
        before = self._unfinished()
        for rnd in range(50):
            if cancel is not None and cancel.is_set():
                break
            progress("push", rnd, before)
            push.push_round(self.store, self.client, self.batch, stats, cancel)
            after = self._unfinished()
            stale = stale + 1 if after >= before else 0
            if after == 0 or stale >= 2:
                break
            before = after
        report.pushed += stats.pushed
        report.waiting = stats.waiting

    def _unfinished(self) -> int:
        with self.store.read() as s:
            return int(s.scalar(select(func.count()).where(CommandLog.state.in_(UNFINISHED))) or 0)

    def _pull(
        self, project_pk: int, sid: int, cancel: threading.Event | None, progress: Progress
    ) -> int:
        pulled = pull_run.pull_project(
            self.store, self.client, project_pk, sid, self._server_id, cancel, progress
        )
        if cancel is not None and cancel.is_set():
            return pulled
        return pulled + companions.pull_companions(self.store, self.client, project_pk, sid)

    def _server_id(self) -> str:
        """``/server/ping``'s serverID, asked once per run."""
        if self._ping is None:
            self._ping = str(self.client.ping().get("serverID") or "")
        return self._ping

    def _count(self, report: SyncReport) -> None:
        with self.store.read() as s:
            report.pending = int(
                s.scalar(select(func.count()).where(CommandLog.state.in_(UNFINISHED))) or 0
            )
            report.failed = int(
                s.scalar(select(func.count()).where(CommandLog.state == OpState.FAILED)) or 0
            ) + int(
                s.scalar(
                    select(func.count()).where(
                        SyncConflict.status == ConflictStatus.OPEN,
                        SyncConflict.kind == ConflictKind.FAILED,
                        SyncConflict.entity_type == "image",
                    )
                )
                or 0
            )
            report.conflicts = int(
                s.scalar(
                    select(func.count()).where(
                        SyncConflict.status == ConflictStatus.OPEN,
                        SyncConflict.kind != ConflictKind.FAILED,
                    )
                )
                or 0
            )


def project_server_ids(store: Store) -> list[int]:
    """Server ids of the projects already in the cache (what a plain re-sync refreshes)."""
    with store.read() as s:
        return [
            i
            for i in s.scalars(select(Project.server_id).where(Project.server_id.is_not(None)))
            if i is not None
        ]
