"""Attached files of an annotation or of an image, as the properties dock lists them.

Reading runs on a panel worker: whether the bytes are on disk is decided here (a
``stat`` per file), so the UI thread only shows ``local_path`` or "not downloaded".
A file pulled from the server has a row before its bytes arrive (``files_pull``
fetches them after the pages), hence the distinction.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from desktop_app.model.attachment import AttachedFile
from desktop_app.store import attached_files as files
from desktop_app.store.edits import ANNOTATION_CLASS
from desktop_app.store.uow import Store

IMAGE_CLASS = files.IMAGE_CLASS


@dataclass(frozen=True, slots=True)
class Target:
    """What files hang on: an annotation (``ANNOTATION_CLASS``) or an image."""

    domain_class: str
    pk: int

    @property
    def is_image(self) -> bool:
        return self.domain_class == IMAGE_CLASS


@dataclass(frozen=True, slots=True)
class FileRow:
    pk: int
    filename: str
    size: int | None
    content_type: str | None
    #: the local copy when its bytes are on disk, else None (not downloaded yet)
    local_path: Path | None
    synced: bool


def annotation_target(pk: int) -> Target:
    return Target(ANNOTATION_CLASS, pk)


def image_target(pk: int) -> Target:
    return Target(IMAGE_CLASS, pk)


def list_files(store: Store, target: Target) -> list[FileRow]:
    """Live (not removed) files of ``target``, by name."""
    with store.read() as s:
        rows = list(
            s.scalars(
                select(AttachedFile)
                .where(
                    AttachedFile.domain_class_name.like(
                        "%Annotation" if not target.is_image else IMAGE_CLASS
                    ),
                    AttachedFile.domain_pk == target.pk,
                    AttachedFile.local_deleted.is_(False),
                )
                .order_by(AttachedFile.filename, AttachedFile.pk)
            )
        )
        out = []
        for f in rows:
            path = files.absolute(s, f.path) if f.path else None
            out.append(
                FileRow(
                    pk=f.pk,
                    filename=f.filename,
                    size=f.size,
                    content_type=f.content_type,
                    local_path=path if path is not None and path.is_file() else None,
                    synced=f.server_id is not None,
                )
            )
        return out


def human_size(n: int | None) -> str:
    """``12.3 KB`` style, for the list."""
    if n is None:
        return "?"
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"
