"""Bookkeeping of slide uploads that the server refused (one visible item per image)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from desktop_app.model.image import AbstractImage, ImageInstance
from desktop_app.model.sync import OpState, UploadQueue
from desktop_app.store.uow import Store
from desktop_app.sync.conflicts.kinds import ConflictKind
from desktop_app.sync.conflicts.records import open_conflicts, record


def upload_refused(s: Any, image_pk: int) -> bool:
    """The server refused this slide before and the user has not asked for a retry."""
    uid = s.scalar(
        select(AbstractImage.uid)
        .join(ImageInstance, ImageInstance.base_image_pk == AbstractImage.pk)
        .where(ImageInstance.pk == image_pk)
    )
    state = s.scalar(select(UploadQueue.state).where(UploadQueue.file_uid == uid))
    return bool(state and state.startswith("failed"))


def record_upload_failure(store: Store, image_pk: int, message: str) -> None:
    """One open ``failed`` item per refused image (resolve mine = retry, theirs = keep local)."""
    with store.unit_of_work(undoable=False) as uow:
        if not open_conflicts(uow.session, "image", image_pk):
            record(
                uow.session,
                ConflictKind.FAILED,
                "image",
                image_pk,
                [],
                base=None,
                mine={"image": image_pk},
                theirs=None,
                state=OpState.FAILED,
                message=f"slide upload refused: {message}"[:300],
            )
