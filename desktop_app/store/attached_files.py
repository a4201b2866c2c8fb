"""Attached files of the cache: attaching / removing one (command functions), and where
their bytes live: ``<cache dir>/attachments/<uid>/<name>``.

``AttachedFile.path`` stores the path relative to the cache's directory, so a data dir
that is moved or restored keeps its files; only these helpers turn it into a real path.
The folder is named by the row's uid (unique), so two files with one name never clash.
"""

from __future__ import annotations

import contextlib
import mimetypes
import re
import shutil
from pathlib import Path

from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation
from desktop_app.model.attachment import AttachedFile
from desktop_app.model.image import ImageInstance
from desktop_app.model.sync import OpKind
from desktop_app.store.uow import Store, UnitOfWork

ROOT = "attachments"
IMAGE_CLASS = "be.cytomine.domain.image.ImageInstance"


def cache_dir_of(s: Session | Store) -> Path:
    """The directory holding the cache's SQLite file (the data dir)."""
    engine = s.engine if isinstance(s, Store) else s.get_bind().engine
    return Path(str(engine.url.database)).resolve().parent


def safe_name(name: str) -> str:
    """A file name without directories or control characters (never empty)."""
    name = re.sub(r"[\x00-\x1f/\\]", "_", Path(name).name).strip(". ")
    return name[:200] or "file"


def relative_path(uid: str, filename: str) -> str:
    return f"{ROOT}/{uid}/{safe_name(filename)}"


def absolute(s: Session | Store, rel: str) -> Path:
    return cache_dir_of(s) / rel


def attach_file(
    uow: UnitOfWork, annotation_pk: int, source: Path, *, key: str | None = None
) -> AttachedFile:
    """Copy ``source`` into the cache and attach it to an annotation (one ``create`` op;
    the sync engine uploads it with the row's uid, so a retry never doubles it)."""
    ann = uow.session.get(Annotation, annotation_pk)
    if ann is None or ann.local_deleted:
        raise ValueError(f"unknown annotation {annotation_pk}")
    return _attach(uow, ann.cytomine_class, ann.pk, ann.project_pk, source, key)


def attach_image_file(
    uow: UnitOfWork, image_pk: int, source: Path, *, key: str | None = None
) -> AttachedFile:
    """As ``attach_file``, on an image instance (Cytomine attaches files to any domain)."""
    image = uow.session.get(ImageInstance, image_pk)
    if image is None:
        raise ValueError(f"unknown image {image_pk}")
    return _attach(uow, IMAGE_CLASS, image.pk, image.project_pk, source, key)


def _attach(
    uow: UnitOfWork, cls: str, pk: int, project_pk: int | None, source: Path, key: str | None
) -> AttachedFile:
    s = uow.session
    source = Path(source)
    if not source.is_file():
        raise ValueError(f"{source} is not a file")
    f = AttachedFile(
        domain_class_name=cls,
        domain_pk=pk,
        filename=safe_name(source.name),
        key=key,
        content_type=mimetypes.guess_type(source.name)[0] or "application/octet-stream",
        size=source.stat().st_size,
    )
    s.add(f)
    s.flush()
    f.path = relative_path(f.uid, f.filename)
    dest = absolute(s, f.path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, dest)
    uow.log(OpKind.CREATE, f, project_pk=project_pk)
    return f


def project_of(s: Session, f: AttachedFile) -> int | None:
    """The project an attached file belongs to (through its annotation or image)."""
    owner: ImageInstance | Annotation | None
    if f.domain_class_name == IMAGE_CLASS:
        owner = s.get(ImageInstance, f.domain_pk)
    else:
        owner = s.get(Annotation, f.domain_pk)
    return owner.project_pk if owner is not None else None


def remove_file(uow: UnitOfWork, file_pk: int) -> None:
    """Tombstone an attached file (its bytes go once the server acknowledged it)."""
    f = uow.session.get(AttachedFile, file_pk)
    if f is None or f.local_deleted:
        raise ValueError(f"unknown attached file {file_pk}")
    f.local_deleted = True
    uow.log(OpKind.DELETE, f, project_pk=project_of(uow.session, f))


def forget_bytes(s: Session, file_pk: int) -> None:
    """Remove a local attached file's bytes (its row is being deleted)."""
    f = s.get(AttachedFile, file_pk)
    if f is not None and f.path:
        path = absolute(s, f.path)
        path.unlink(missing_ok=True)
        if path.parent.name == f.uid:
            with contextlib.suppress(OSError):
                path.parent.rmdir()
