"""Local-only projects as a user sees them, and "upload this one" in one call.

A project made in the cache (opened slides, the demo, an import) is not on the server
until the user says so: a plain sync leaves its edits waiting.  :func:`local_projects`
lists them with what uploading would send (images, slide bytes, annotations, pending
changes) so the CLI can name the fix and the GUI can ask once per project;
:func:`upload_project` then creates the project (ontology, terms) on the server, uploads
its slides and pushes its edits, with the sync engine's progress callback and a
``cancel`` event (a cancelled upload resumes on the next run).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from desktop_app.model.annotation import Annotation
from desktop_app.model.image import AbstractImage, ImageInstance
from desktop_app.model.project import Project
from desktop_app.model.sync import CommandLog
from desktop_app.store.uow import Store
from desktop_app.sync.engine import Progress, SyncEngine
from desktop_app.sync.local import UNFINISHED
from desktop_app.sync.push.publish import LOCAL_PREFIX, local_project_pks
from desktop_app.sync.report import SyncReport
from desktop_app.sync.transport.http import CytomineClient


@dataclass(frozen=True, slots=True)
class LocalProject:
    """A project the server does not have yet, and what uploading it would send."""

    pk: int
    name: str
    images: int
    slide_bytes: int
    annotations: int
    pending: int

    @property
    def ref(self) -> str:
        """How ``workstation sync --project`` names it."""
        return f"{LOCAL_PREFIX}{self.pk}"


def local_projects(store: Store, *, with_changes_only: bool = False) -> list[LocalProject]:
    """Every local-only project (``with_changes_only``: those with unsent edits)."""
    out: list[LocalProject] = []
    pks = local_project_pks(store)
    with store.read() as s:
        for pk in pks:
            name = s.scalar(select(Project.name).where(Project.pk == pk)) or f"project {pk}"
            paths = s.scalars(
                select(AbstractImage.path)
                .join(ImageInstance, ImageInstance.base_image_pk == AbstractImage.pk)
                .where(ImageInstance.project_pk == pk, ImageInstance.local_deleted.is_(False))
            ).all()
            annotations = s.scalar(
                select(func.count())
                .select_from(Annotation)
                .join(ImageInstance, Annotation.image_pk == ImageInstance.pk)
                .where(ImageInstance.project_pk == pk, Annotation.local_deleted.is_(False))
            )
            pending = s.scalar(
                select(func.count())
                .select_from(CommandLog)
                .where(CommandLog.project_pk == pk, CommandLog.state.in_(UNFINISHED))
            )
            if with_changes_only and not pending:
                continue
            size = sum(Path(p).stat().st_size for p in paths if p and Path(p).is_file())
            out.append(
                LocalProject(pk, name, len(paths), size, int(annotations or 0), int(pending or 0))
            )
    return out


def upload_project(
    store: Store,
    client: CytomineClient,
    project_pk: int,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> SyncReport:
    """Create one local-only project on the server, upload its slides, push its edits
    and pull it back (blocking: run it on a worker).  ``progress(phase, done, total)``
    with phase ``upload``/``push``/``pull``; setting ``cancel`` stops between steps and
    the report says ``cancelled`` (nothing is lost: the next sync continues)."""
    engine = SyncEngine(store, client)
    return engine.run([], cancel, progress, local_projects=[project_pk])


__all__ = ["LocalProject", "local_projects", "upload_project"]
