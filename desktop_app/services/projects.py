"""The projects home and the image browser: what the cache holds, aggregated in SQL.

The home lists every project (local ones and those pulled from the server) with its
counts, the user's role and what is available offline; the browser lists a project's
images.  Both are single aggregated queries (grouped sub-selects joined once), never a
query per row, so a cache of 1,000 projects and 20,000 images lists in milliseconds.

"Offline" is whether an image can be opened with the network unplugged: its slide file
is on disk (downloaded or opened locally), or its tiles were downloaded (the tile
cache's pin record, ``offline.json``, written by ``RemoteSlideSource.prefetch``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, and_, distinct, func, select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation, AnnotationKind
from desktop_app.model.attachment import Description
from desktop_app.model.image import AbstractImage, ImageInstance
from desktop_app.model.ontology import Ontology
from desktop_app.model.project import Project, ProjectMember
from desktop_app.model.security import User
from desktop_app.model.sync import SyncCursor
from desktop_app.services.offline_state import OfflineIndex, OfflineState, offline_state
from desktop_app.services.reader_progress import ReaderCount, reader_counts
from desktop_app.store.attached_files import IMAGE_CLASS
from desktop_app.store.uow import Store


@dataclass(frozen=True, slots=True)
class ProjectRow:
    """One project as the home and ``workstation projects`` show it."""

    pk: int
    uid: str
    server_id: int | None
    name: str
    ontology: str | None
    images: int
    annotations: int
    reviewed: int
    members: int
    role: str | None  # ro | rw | admin, None when the user is not a member
    last_sync: datetime | None
    offline: int  # images openable without the network
    local: bool  # never sent to a server
    readers: tuple[ReaderCount, ...] = ()  # each study reader's decided annotations
    #: Members may download the slide files (the server's ``areImagesDownloadable``);
    #: when not, they work offline from tiles.
    downloadable: bool = False
    #: Blinded review (the server's ``blindMode``): readers who are not project admins
    #: see only their own terms and decisions.
    blind: bool = False

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.server_id,
            "uid": self.uid,
            "local_id": self.pk,
            "name": self.name,
            "ontology": self.ontology,
            "images": self.images,
            "annotations": self.annotations,
            "reviewed": self.reviewed,
            "members": self.members,
            "role": self.role,
            "last_sync": self.last_sync.isoformat() if self.last_sync else None,
            "offline": self.offline,
            "readers": [c.as_json() for c in self.readers],
            "downloadable": self.downloadable,
            "blind": self.blind,
        }


@dataclass(frozen=True, slots=True)
class Member:
    server_id: int | None
    username: str
    role: str


@dataclass(frozen=True, slots=True)
class ImageRow:
    """One image of a project as the image browser shows it."""

    pk: int
    uid: str
    server_id: int | None
    abstract_server_id: int | None
    name: str
    path: str | None
    width: int
    height: int
    mpp: float | None
    magnification: float | None
    annotations: int
    reviewed: int
    offline: OfflineState
    offline_magnification: float | None  # for TILES: the finest magnification kept
    readers: tuple[ReaderCount, ...] = ()  # each study reader's decided annotations

    @property
    def offline_label(self) -> str:
        if self.offline is OfflineState.TILES:
            mag = self.offline_magnification
            return f"tiles to {mag:g}x" if mag else "tiles"
        return {
            OfflineState.FILE: "file",
            OfflineState.STREAMED: "streamed only",
            OfflineState.NONE: "not available",
        }[self.offline]


def _annotation_counts(by: str, project_pk: int | None = None) -> Any:
    """(key, live annotations, reviewed ones) grouped by ``by`` (image_pk or project_pk).

    Two plain grouped counts joined on the key: a join between the annotations and
    their reviewed copies row by row would be a hundred times slower on 100k rows.
    """
    key = getattr(Annotation, by)
    live: ColumnElement[bool] = Annotation.local_deleted.is_(False)
    if project_pk is not None:
        live = and_(live, Annotation.project_pk == project_pk)
    counts = (
        select(key.label("key"), func.count().label("n"))
        .where(Annotation.kind != AnnotationKind.REVIEWED, live)
        .group_by(key)
        .subquery()
    )
    reviewed = (
        select(key.label("key"), func.count(distinct(Annotation.parent_pk)).label("n"))
        .where(Annotation.kind == AnnotationKind.REVIEWED, live)
        .group_by(key)
        .subquery()
    )
    return (
        select(counts.c.key, counts.c.n, func.coalesce(reviewed.c.n, 0).label("reviewed"))
        .outerjoin(reviewed, reviewed.c.key == counts.c.key)
        .subquery()
    )


class ProjectCatalog:
    """Read-only queries behind the home, the image browser and ``workstation projects``."""

    def __init__(self, store: Store, tile_dir: Path | None = None) -> None:
        self._store = store
        self._tile_dir = tile_dir

    def projects(self, me_server_id: int | None = None) -> list[ProjectRow]:
        """Every live project with its counts; ``role`` is the role of the server user
        ``me_server_id`` (the one logged in), else of the cache's own local user."""
        index = OfflineIndex.scan(self._tile_dir)
        with self._store.read() as s:
            return _project_rows(s, _me(s, me_server_id), index)

    def images(self, project_pk: int) -> list[ImageRow]:
        index = OfflineIndex.scan(self._tile_dir)
        with self._store.read() as s:
            return _image_rows(s, project_pk, index)

    def image(self, image_pk: int) -> ImageRow | None:
        index = OfflineIndex.scan(self._tile_dir)
        with self._store.read() as s:
            project_pk = s.scalar(
                select(ImageInstance.project_pk).where(ImageInstance.pk == image_pk)
            )
            if project_pk is None:
                return None
            rows = _image_rows(s, int(project_pk), index, only=image_pk)
        return rows[0] if rows else None

    def find_project(self, ref: str) -> int | None:
        """A project by server id, ``local:<pk>``, uid or exact name."""
        with self._store.read() as s:
            live = Project.local_deleted.is_(False)
            if ref.startswith("local:") and ref[6:].isdigit():
                return s.scalar(select(Project.pk).where(live, Project.pk == int(ref[6:])))
            conditions = [Project.uid == ref, Project.name == ref]
            if ref.isdigit():
                conditions.insert(0, Project.server_id == int(ref))
            for cond in conditions:
                pk = s.scalar(select(Project.pk).where(live, cond).order_by(Project.pk).limit(1))
                if pk is not None:
                    return int(pk)
        return None

    def ontologies(self) -> list[tuple[int, str]]:
        """(pk, name) of the live ontologies of the cache, to choose from."""
        with self._store.read() as s:
            rows = s.execute(
                select(Ontology.pk, Ontology.name)
                .where(Ontology.local_deleted.is_(False))
                .order_by(func.lower(Ontology.name))
            ).all()
        return [(int(pk), str(name)) for pk, name in rows]

    def members(self, project_pk: int) -> list[Member]:
        """The project's members as the cache knows them (refreshed by every sync)."""
        with self._store.read() as s:
            rows = s.execute(
                select(User.server_id, User.username, ProjectMember.access)
                .join(User, User.pk == ProjectMember.user_pk)
                .where(ProjectMember.project_pk == project_pk)
                .order_by(func.lower(User.username))
            ).all()
        return [Member(sid, str(name), str(access)) for sid, name, access in rows]

    def description(self, image_pk: int) -> str | None:
        """The image's description (HTML as Cytomine stores it), if any."""
        with self._store.read() as s:
            return s.scalar(
                select(Description.data).where(
                    Description.domain_class_name == IMAGE_CLASS,
                    Description.domain_pk == image_pk,
                    Description.local_deleted.is_(False),
                )
            )

    def next_unreviewed(self, project_pk: int, after_image_pk: int | None) -> int | None:
        """The next image (in browser order) with an annotation not reviewed yet."""
        rows = sorted(self.images(project_pk), key=lambda r: (r.name.lower(), r.pk))  # as shown
        order = [r.pk for r in rows]
        start = order.index(after_image_pk) + 1 if after_image_pk in order else 0
        for row in rows[start:] + rows[:start]:
            if row.pk != after_image_pk and row.reviewed < row.annotations:
                return row.pk
        return None


def _me(s: Session, server_id: int | None) -> int | None:
    """The cache's own user: the logged-in server user, else the local one."""
    if server_id is not None:
        pk = s.scalar(select(User.pk).where(User.server_id == server_id))
        if pk is not None:
            return int(pk)
    linked = s.scalar(
        select(User.pk).where(User.server_id.is_not(None), User.sync_state == "local").limit(1)
    )
    if linked is not None:
        return int(linked)
    return s.scalar(select(User.pk).where(User.sync_state == "local").order_by(User.pk).limit(1))


def _project_rows(s: Session, me: int | None, index: OfflineIndex) -> list[ProjectRow]:
    images = (
        select(
            ImageInstance.project_pk.label("key"),
            func.count().label("n"),
            func.count(AbstractImage.path).label("files"),
        )
        .join(AbstractImage, AbstractImage.pk == ImageInstance.base_image_pk)
        .where(ImageInstance.local_deleted.is_(False))
        .group_by(ImageInstance.project_pk)
        .subquery()
    )
    anns = _annotation_counts("project_pk")
    members = (
        select(ProjectMember.project_pk.label("key"), func.count().label("n"))
        .group_by(ProjectMember.project_pk)
        .subquery()
    )
    mine = (
        select(ProjectMember.project_pk.label("key"), ProjectMember.access.label("access"))
        .where(ProjectMember.user_pk == (me if me is not None else -1))
        .subquery()
    )
    rows = s.execute(
        select(
            Project.pk,
            Project.uid,
            Project.server_id,
            Project.name,
            Project.sync_state,
            Ontology.name,
            func.coalesce(images.c.n, 0),
            func.coalesce(images.c.files, 0),
            func.coalesce(anns.c.n, 0),
            func.coalesce(anns.c.reviewed, 0),
            func.coalesce(members.c.n, 0),
            mine.c.access,
            SyncCursor.last_sync_at,
            Project.are_images_downloadable,
            Project.blind_mode,
        )
        .outerjoin(Ontology, Ontology.pk == Project.ontology_pk)
        .outerjoin(images, images.c.key == Project.pk)
        .outerjoin(anns, anns.c.key == Project.pk)
        .outerjoin(members, members.c.key == Project.pk)
        .outerjoin(mine, mine.c.key == Project.pk)
        .outerjoin(SyncCursor, SyncCursor.project_pk == Project.pk)
        .where(Project.local_deleted.is_(False), Project.deleted.is_(None))
        .order_by(func.lower(Project.name), Project.pk)
    ).all()
    tiles = _pinned_per_project(s, index)
    readers = reader_counts(s, "project_pk")
    return [
        ProjectRow(
            pk=r[0],
            uid=r[1],
            server_id=r[2],
            name=r[3],
            local=r[4] == "local",
            ontology=r[5],
            images=int(r[6]),
            annotations=int(r[8]),
            reviewed=int(r[9]),
            members=int(r[10]),
            role=str(r[11]) if r[11] is not None else None,
            last_sync=r[12],
            offline=int(r[7]) + tiles.get(r[0], 0),
            readers=readers.get(r[0], ()),
            downloadable=bool(r[13]),
            blind=bool(r[14]),
        )
        for r in rows
    ]


def _pinned_per_project(s: Session, index: OfflineIndex) -> dict[int, int]:
    """Images without a file whose tiles are pinned, per project (skipped when none are)."""
    if not index.pinned:
        return {}
    out: dict[int, int] = {}
    for project_pk, a_sid, i_sid in s.execute(
        select(ImageInstance.project_pk, AbstractImage.server_id, ImageInstance.server_id)
        .join(AbstractImage, AbstractImage.pk == ImageInstance.base_image_pk)
        .where(ImageInstance.local_deleted.is_(False), AbstractImage.path.is_(None))
    ):
        if index.tiles_of(a_sid, i_sid) is not None:
            out[project_pk] = out.get(project_pk, 0) + 1
    return out


def _image_rows(
    s: Session, project_pk: int, index: OfflineIndex, only: int | None = None
) -> list[ImageRow]:
    anns = _annotation_counts("image_pk", project_pk)
    q = (
        select(
            ImageInstance.pk,
            ImageInstance.uid,
            ImageInstance.server_id,
            ImageInstance.instance_filename,
            ImageInstance.magnification,
            ImageInstance.physical_size_x,
            AbstractImage.server_id,
            AbstractImage.filename,
            AbstractImage.original_filename,
            AbstractImage.path,
            AbstractImage.width,
            AbstractImage.height,
            AbstractImage.physical_size_x,
            AbstractImage.magnification,
            func.coalesce(anns.c.n, 0),
            func.coalesce(anns.c.reviewed, 0),
        )
        .join(AbstractImage, AbstractImage.pk == ImageInstance.base_image_pk)
        .outerjoin(anns, anns.c.key == ImageInstance.pk)
        .where(and_(ImageInstance.project_pk == project_pk, ImageInstance.local_deleted.is_(False)))
        .order_by(ImageInstance.pk)
    )
    if only is not None:
        q = q.where(ImageInstance.pk == only)
    readers = reader_counts(s, "image_pk", project_pk)
    out = []
    for r in s.execute(q).all():
        mag = r[4] or r[13]
        state, off_mag = offline_state(r[9], r[6], r[2], mag, r[10], r[11], index)
        out.append(
            ImageRow(
                pk=r[0],
                uid=r[1],
                server_id=r[2],
                abstract_server_id=r[6],
                name=os.path.basename(r[3] or r[8] or r[7] or f"image-{r[0]}"),
                path=r[9],
                width=int(r[10]),
                height=int(r[11]),
                mpp=r[5] or r[12],
                magnification=float(mag) if mag else None,
                annotations=int(r[14]),
                reviewed=int(r[15]),
                offline=state,
                offline_magnification=off_mag,
                readers=readers.get(r[0], ()),
            )
        )
    return out
