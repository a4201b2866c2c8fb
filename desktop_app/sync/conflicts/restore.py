"""Answers to "the server lost N of your synced changes" (``server_restore``).

The pull (``pull.restore``) found annotations the server had acknowledged and no longer
has, cleared their server ids and listed them in the conflict; here they are sent again
as creates with their live term links, or discarded.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from desktop_app.model.annotation import Annotation, AnnotationTerm
from desktop_app.model.base import SyncState
from desktop_app.model.sync import OpKind
from desktop_app.sync.conflicts.records import Resolution, purge_annotation


def resend_lost(r: Resolution) -> None:
    """Every lost annotation is created again on the server, with its live term links."""
    s = r.session
    for ann in _lost(r):
        ann.sync_state = SyncState.PENDING
        r.uow.log(OpKind.CREATE, ann, project_pk=ann.project_pk)
        for link in s.scalars(
            select(AnnotationTerm).where(
                AnnotationTerm.annotation_pk == ann.pk, AnnotationTerm.local_deleted.is_(False)
            )
        ):
            r.uow.log(OpKind.ADD_TERM, link, project_pk=ann.project_pk)


def discard_lost(r: Resolution) -> None:
    """The restored server is the truth: the local copies go."""
    for ann in _lost(r):
        purge_annotation(r.session, ann.pk)


def _lost(r: Resolution) -> Iterator[Annotation]:
    """The listed annotations still local-only (one re-sent meanwhile has a server id)."""
    for pk in r.mine.get("annotations") or []:
        ann = r.session.get(Annotation, int(pk))
        if ann is not None and ann.server_id is None:
            yield ann
