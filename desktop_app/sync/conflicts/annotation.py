"""What each answer does to an annotation in conflict (the rows of ``conflicts.resolve``).

When mine must reach the server, a new op is appended against the server's current
version, so a resolved conflict cannot come back as the same conflict (pouchdb #4630).
A new annotation made from mine never reuses the old server id.
"""

from __future__ import annotations

from typing import Any

import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.core.geometry import from_cytomine_wkt
from desktop_app.model.annotation import Annotation, AnnotationTerm
from desktop_app.model.base import SyncState
from desktop_app.store import edits
from desktop_app.store.annotations import geometry_columns
from desktop_app.sync.conflicts.records import ConflictError, Resolution, purge_annotation
from desktop_app.sync.local import image_height, loads


def keep_theirs(r: Resolution) -> None:
    """The row already holds the server's version: it becomes the synced one."""
    if r.annotation is not None:
        r.annotation.sync_state = SyncState.SYNCED
        r.annotation.dirty_fields = []


def send_my_geometry(r: Resolution) -> None:
    """Mine again, against the current server version (or the delete made since)."""
    ann = r.annotation
    if ann is None:
        return
    ann.sync_state = SyncState.PENDING
    if not ann.local_deleted:
        edits.update_geometry(r.uow, ann.pk, str(r.mine["location"]))


def copy_mine(r: Resolution) -> None:
    """Theirs stays; mine becomes a new annotation with the same terms."""
    ann = r.annotation
    if ann is None:
        return
    ann.sync_state = SyncState.SYNCED
    edits.create_annotation(
        r.uow,
        image_pk=ann.image_pk,
        geometry=str(r.mine["location"]),
        user_pk=ann.user_pk,
        term_pks=_live_terms(r.session, ann.pk, r.mine),
    )


def delete_again(r: Resolution) -> None:
    """My delete, against the version the server has now."""
    ann = r.annotation
    if ann is None:
        return
    ann.sync_state = SyncState.PENDING
    if not ann.local_deleted:
        edits.delete_annotations(r.uow, [ann.pk])


def recreate(r: Resolution) -> None:
    """The server deleted it: mine comes back as a NEW annotation (never the old id)."""
    ann = r.annotation
    if ann is None:
        return
    s = r.session
    geom = shapely.from_wkb(ann.location)
    terms = _live_terms(s, ann.pk, r.mine)
    purge_annotation(s, ann.pk)
    s.flush()
    edits.create_annotation(
        r.uow, image_pk=ann.image_pk, geometry=geom, user_pk=ann.user_pk, term_pks=terms
    )


def drop_mine(r: Resolution) -> None:
    """The local row goes; what the server has (or not) is the truth."""
    if r.annotation is not None:
        purge_annotation(r.session, r.annotation.pk)


def refuse_review(r: Resolution) -> None:
    raise ConflictError("the first review stands; keep theirs or reject it on the server")


def back_to_base(s: Session, ann: Annotation) -> None:
    """Back to the last server version the cache saw (the user discarded the local edit)."""
    base = loads(ann.base_json)
    if isinstance(base.get("location"), str):
        geom = from_cytomine_wkt(base["location"], image_height(s, ann.image_pk))
        for key, value in geometry_columns(geom).items():
            setattr(ann, key, value)
    ann.sync_state, ann.dirty_fields, ann.local_deleted = SyncState.SYNCED, [], False


def _live_terms(s: Session, ann_pk: int, mine: dict[str, Any]) -> list[int]:
    terms = mine.get("terms")
    if isinstance(terms, list) and terms:
        return [int(t) for t in terms]
    return list(
        s.scalars(
            select(AnnotationTerm.term_pk).where(
                AnnotationTerm.annotation_pk == ann_pk, AnnotationTerm.local_deleted.is_(False)
            )
        )
    )
