"""Answers to a change the server refused (``failed``): send it again, or give it up.

A refused change can be about an annotation, a term, link, property, description or
file, a SciTran note, or a slide upload (``image``); each is retried or discarded in
its own way, so these two handlers look at what the conflict is about.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desktop_app.model.image import AbstractImage, ImageInstance
from desktop_app.model.sync import OpState, UploadQueue
from desktop_app.sync.conflicts.annotation import back_to_base
from desktop_app.sync.conflicts.meta import MODELS, discard_row, meta_row
from desktop_app.sync.conflicts.records import Resolution, purge_annotation


def retry(r: Resolution) -> None:
    """The refused ops go out again at the next sync (a slide: its upload is retried)."""
    etype = r.conflict.entity_type
    if etype == "image":
        _retry_upload(r.session, r.conflict.entity_pk)
        return
    if etype == "annotation" and r.annotation is None:
        return
    if etype in MODELS and meta_row(r) is None:
        return
    for op in r.ops:
        op.state, op.last_error = OpState.PENDING, None


def give_up(r: Resolution) -> None:
    """Back to the last server version; what the server never had is removed.

    A refused slide upload keeps the slide local (it stays usable offline)."""
    etype = r.conflict.entity_type
    if etype == "annotation" and r.annotation is not None:
        if r.annotation.server_id is None:
            purge_annotation(r.session, r.annotation.pk)
        else:
            back_to_base(r.session, r.annotation)
    elif etype in MODELS:
        row = meta_row(r)
        if row is not None:
            discard_row(r.session, row)


def _retry_upload(s: Session, image_pk: int) -> None:
    uid = s.scalar(
        select(AbstractImage.uid)
        .join(ImageInstance, ImageInstance.base_image_pk == AbstractImage.pk)
        .where(ImageInstance.pk == image_pk)
    )
    s.execute(update(UploadQueue).where(UploadQueue.file_uid == uid).values(state="pending"))
