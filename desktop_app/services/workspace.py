"""Workspace use cases: who the local user is, local projects, and registering slides.

A pathologist who opens a slide file without any server still gets real Cytomine rows
(AbstractImage, AbstractSlice, ImageInstance, SliceInstance in a local project), so
everything drawn on it can later be pushed to a server like any other edit.
"""

from __future__ import annotations

import getpass
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation
from desktop_app.model.base import SyncState
from desktop_app.model.image import (
    AbstractImage,
    AbstractSlice,
    ImageInstance,
    ImageSequence,
    SliceInstance,
)
from desktop_app.model.project import Project, ProjectMember
from desktop_app.model.security import Access, User
from desktop_app.slide.source import SlideInfo
from desktop_app.store.layers import user_layer
from desktop_app.store.uow import Store

LOCAL_PROJECT = "Local slides"


@dataclass(frozen=True, slots=True)
class GroupPosition:
    """Where an image sits in its ImageGroup: the group's c/z/t sizes and its own index."""

    group_pk: int
    sizes: tuple[int, int, int]
    index: tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class ImageSummary:
    """One image of the cache as the ``images`` command and the project browser list it."""

    pk: int
    uid: str
    server_id: int | None
    project: str
    filename: str
    path: str | None
    width: int
    height: int
    mpp: float | None
    magnification: int | None
    annotations: int


def slide_fingerprint(path: Path) -> str:
    """A cheap content fingerprint (size + first and last MiB) to recognise a re-opened file.

    Hashing a multi-gigabyte slide would block for seconds; the full sha256 is computed
    by the upload queue, off the UI thread, when the file is pushed.
    """
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with path.open("rb") as fh:
        digest.update(fh.read(1 << 20))
        if size > 2 << 20:
            fh.seek(-(1 << 20), 2)
            digest.update(fh.read(1 << 20))
    return digest.hexdigest()


class Workspace:
    """Use cases around the local user, projects and images."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def local_user(self) -> User:
        """The cache's own user: once logged in, the server user the login linked (it
        carries the server's username); before, the OS account (created on first use)."""
        name = getpass.getuser() or "local"
        with self._store.unit_of_work(undoable=False) as uow:
            user = uow.session.scalar(
                select(User)
                .where(User.sync_state == SyncState.LOCAL, User.server_id.is_not(None))
                .order_by(User.pk)
                .limit(1)
            ) or uow.session.scalar(select(User).where(User.username == name))
            if user is None:
                user = User(username=name, sync_state=SyncState.LOCAL)
                uow.session.add(user)
                uow.session.flush()
            return user

    def local_project(
        self, name: str = LOCAL_PROJECT, *, ontology_pk: int | None = None
    ) -> Project:
        user = self.local_user()
        with self._store.unit_of_work(undoable=False) as uow:
            project = uow.session.scalar(select(Project).where(Project.name == name))
            if project is None:
                project = Project(name=name, ontology_pk=ontology_pk, sync_state=SyncState.LOCAL)
                uow.session.add(project)
                uow.session.flush()
                uow.session.add(
                    ProjectMember(project_pk=project.pk, user_pk=user.pk, access=Access.ADMIN)
                )
            elif ontology_pk is not None and project.ontology_pk is None:
                project.ontology_pk = ontology_pk
            return project

    def register_slide(self, path: Path, info: SlideInfo, *, project_pk: int) -> ImageInstance:
        """The ImageInstance of ``path`` in the project, creating its rows on first open."""
        path = path.resolve()
        user = self.local_user()
        fingerprint = slide_fingerprint(path)
        with self._store.unit_of_work(undoable=False) as uow:
            s = uow.session
            abstract = s.scalar(select(AbstractImage).where(AbstractImage.sha256 == fingerprint))
            if abstract is None:
                abstract = _abstract_image(path, info, fingerprint, user.pk)
                s.add(abstract)
                s.flush()
                s.add(AbstractSlice(image_pk=abstract.pk, mime=abstract.content_type))
                s.flush()
            elif abstract.path != str(path):
                abstract.path = str(path)  # the file moved: follow it
            instance = s.scalar(
                select(ImageInstance).where(
                    ImageInstance.base_image_pk == abstract.pk,
                    ImageInstance.project_pk == project_pk,
                )
            )
            if instance is None:
                instance = ImageInstance(
                    base_image_pk=abstract.pk,
                    project_pk=project_pk,
                    user_pk=user.pk,
                    instance_filename=path.name,
                    magnification=abstract.magnification,
                    physical_size_x=abstract.physical_size_x,
                    physical_size_y=abstract.physical_size_y,
                    sync_state=SyncState.PENDING,
                )
                s.add(instance)
                s.flush()
                base_slice = s.scalar(
                    select(AbstractSlice).where(AbstractSlice.image_pk == abstract.pk)
                )
                assert base_slice is not None
                s.add(
                    SliceInstance(
                        image_pk=instance.pk, base_slice_pk=base_slice.pk, project_pk=project_pk
                    )
                )
            return instance

    def images(self) -> list[ImageSummary]:
        with self._store.read() as s:
            return list_images(s)

    def image_path(self, image_pk: int) -> Path | None:
        with self._store.read() as s:
            path = s.scalar(
                select(AbstractImage.path)
                .join(ImageInstance, ImageInstance.base_image_pk == AbstractImage.pk)
                .where(ImageInstance.pk == image_pk)
            )
            return Path(path) if path else None

    def find_image(self, ref: str) -> int | None:
        """Resolve an image reference: local uuid, server id, local id or slide path.

        A number is a server id before a local id: the server id is the one a team shares
        (and `workstation images` shows), and after a sync of several projects the two
        numberings differ, so a colleague's "image 7" must not open the cache's row 7."""
        with self._store.read() as s:
            candidates = [ImageInstance.uid == ref]
            if ref.isdigit():
                candidates += [ImageInstance.server_id == int(ref), ImageInstance.pk == int(ref)]
            for condition in candidates:
                pk = s.scalar(select(ImageInstance.pk).where(condition).limit(1))
                if pk is not None:
                    return pk
            path = Path(ref).expanduser()
            if path.exists():
                return s.scalar(
                    select(ImageInstance.pk)
                    .join(AbstractImage, ImageInstance.base_image_pk == AbstractImage.pk)
                    .where(AbstractImage.path == str(path.resolve()))
                    .limit(1)
                )
        return None

    def group_position(self, image_pk: int) -> GroupPosition | None:
        """The image's place in a multidimensional ImageGroup (ImageSequence), if any."""
        with self._store.read() as s:
            mine = s.scalars(
                select(ImageSequence).where(ImageSequence.image_pk == image_pk).limit(1)
            ).first()
            if mine is None:
                return None
            c, z, t = s.execute(
                select(
                    func.max(ImageSequence.channel),
                    func.max(ImageSequence.z_stack),
                    func.max(ImageSequence.time),
                ).where(ImageSequence.image_group_pk == mine.image_group_pk)
            ).one()
        return GroupPosition(
            mine.image_group_pk, (c + 1, z + 1, t + 1), (mine.channel, mine.z_stack, mine.time)
        )

    def image_in_group(self, group_pk: int, c: int, z: int, t: int) -> Path | None:
        """The slide file at (c, z, t) of a group, None if that position is empty."""
        with self._store.read() as s:
            path = s.scalar(
                select(AbstractImage.path)
                .join(ImageInstance, ImageInstance.base_image_pk == AbstractImage.pk)
                .join(ImageSequence, ImageSequence.image_pk == ImageInstance.pk)
                .where(
                    ImageSequence.image_group_pk == group_pk,
                    ImageSequence.channel == c,
                    ImageSequence.z_stack == z,
                    ImageSequence.time == t,
                )
                .limit(1)
            )
        return Path(path) if path else None

    def project_ontology(self, project_pk: int) -> int | None:
        with self._store.read() as s:
            return s.scalar(select(Project.ontology_pk).where(Project.pk == project_pk))

    def recent_files(self, limit: int = 10) -> list[Path]:
        with self._store.read() as s:
            rows = s.scalars(
                select(AbstractImage.path)
                .where(AbstractImage.path.is_not(None))
                .order_by(func.coalesce(AbstractImage.updated, AbstractImage.created).desc())
                .limit(limit)
            )
            return [Path(p) for p in rows if p]


def _abstract_image(path: Path, info: SlideInfo, fingerprint: str, user_pk: int) -> AbstractImage:
    magnification = round(info.objective_power) if info.objective_power else None
    return AbstractImage(
        user_pk=user_pk,
        filename=path.name,
        original_filename=path.name,
        path=str(path),
        width=info.width,
        height=info.height,
        physical_size_x=info.mpp_x,
        physical_size_y=info.mpp_y,
        magnification=magnification,
        vendor=info.vendor,
        tile_size=info.tile_size,
        content_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
        sha256=fingerprint,
        sync_state=SyncState.PENDING,
    )


def list_images(session: Session) -> list[ImageSummary]:
    counts = (
        select(Annotation.image_pk, func.count().label("n"))
        .where(*user_layer())
        .group_by(Annotation.image_pk)
        .subquery()
    )
    rows = session.execute(
        select(ImageInstance, AbstractImage, Project.name, func.coalesce(counts.c.n, 0))
        .join(AbstractImage, ImageInstance.base_image_pk == AbstractImage.pk)
        .join(Project, ImageInstance.project_pk == Project.pk)
        .outerjoin(counts, counts.c.image_pk == ImageInstance.pk)
        .where(ImageInstance.local_deleted.is_(False))
        .order_by(ImageInstance.pk)
    ).all()
    return [
        ImageSummary(
            pk=inst.pk,
            uid=inst.uid,
            server_id=inst.server_id,
            project=project_name,
            filename=inst.instance_filename or abstract.filename or "",
            path=abstract.path,
            width=abstract.width,
            height=abstract.height,
            mpp=abstract.physical_size_x,
            magnification=abstract.magnification,
            annotations=int(n),
        )
        for inst, abstract, project_name, n in rows
    ]
