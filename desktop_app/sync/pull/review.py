"""Another reviewer's rejection, pulled as the same local row the reviewer's cache holds.

The server keeps no review row for a rejection (Cytomine keeps accepted reviews only):
a rejection travels as the parent annotation's ``sync:review.rejected`` property
(docs/sync.md, "Reviews").  So that every workstation of the project shows the same
decision, a pulled property becomes what the reviewer's own cache holds once its push
is acknowledged: a ``ReviewedAnnotation`` with status rejected whose ``base_json``
points at the property (``rejectedAs``), synced and without an outbox operation (it is
the server's state, not an edit).  When the property is deleted on the server (the
reviewer withdrew the decision), that row goes too.  A live decision of this cache that
the server holds, or the same reviewer's, is never replaced: the first decision stands.
Another reviewer's decision not sent yet is no reason to skip the mirror: its push will
be refused (a reader's bid is then withdrawn quietly, a bare review is a ``review``
conflict), and the server's decision must be in the cache when it is.
"""

from __future__ import annotations

import json
from typing import Any

import shapely
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import (
    Annotation,
    AnnotationKind,
    ReviewedAnnotation,
    ReviewedAnnotationTerm,
    ReviewStatus,
)
from desktop_app.model.attachment import Property
from desktop_app.model.base import SyncState
from desktop_app.model.ontology import Term
from desktop_app.protocol.cytomine.answers_meta import PropertyJson
from desktop_app.store.annotations import geometry_columns
from desktop_app.sync.local import dumps, user_pk_for
from desktop_app.sync.rejection import REJECTED_KEY, rejected_as


def apply_rejection(s: Session, prop: Property, r: PropertyJson) -> None:
    """Mirror a pulled ``sync:review.rejected`` property as a rejected review row."""
    if prop.key != REJECTED_KEY:
        return
    parent = s.get(Annotation, prop.domain_pk)
    if parent is None or parent.kind is AnnotationKind.REVIEWED or parent.local_deleted:
        return
    value = _value(r.get("value"))
    reviewer = value.get("reviewUser")
    reviewer_pk = user_pk_for(s, int(reviewer)) if reviewer else parent.user_pk
    live = s.scalars(
        select(ReviewedAnnotation).where(
            ReviewedAnnotation.parent_pk == parent.pk,
            ReviewedAnnotation.local_deleted.is_(False),
        )
    ).all()
    if any(_stands(row, reviewer_pk) for row in live):
        return  # this cache's own decision, or the mirror of this very property
    row = ReviewedAnnotation(
        project_pk=parent.project_pk,
        image_pk=parent.image_pk,
        slice_pk=parent.slice_pk,
        user_pk=parent.user_pk,
        review_user_pk=reviewer_pk,
        parent_pk=parent.pk,
        parent_class_name=parent.cytomine_class,
        status=int(ReviewStatus.REJECTED),
        sync_state=SyncState.SYNCED,
        base_json=dumps({"rejectedAs": r}),
        **geometry_columns(shapely.from_wkb(parent.location)),
    )
    s.add(row)
    s.flush()
    term_ids = [int(t) for t in value.get("terms") or [] if str(t).isdigit()]
    if term_ids:
        for term_pk in s.scalars(select(Term.pk).where(Term.server_id.in_(term_ids))):
            s.add(ReviewedAnnotationTerm(reviewed_annotation_pk=row.pk, term_pk=term_pk))


def _stands(row: ReviewedAnnotation, reviewer_pk: int) -> bool:
    """Whether a live reviewed row keeps the pulled rejection out: a decision the server
    holds (or its mirror), or this reviewer's own.  Another reviewer's decision not sent
    yet does not: it is a bid the push will find refused (``push.ack.review``), and the
    server's final decision must be in the cache by then."""
    sent = row.server_id is not None or rejected_as(row) is not None
    return sent or row.review_user_pk == reviewer_pk


def withdraw_rejection(s: Session, prop: Property, busy: set[int]) -> None:
    """The property was deleted on the server: drop the synced row that mirrored it."""
    if prop.key != REJECTED_KEY:
        return
    for row in s.scalars(
        select(ReviewedAnnotation).where(
            ReviewedAnnotation.parent_pk == prop.domain_pk,
            ReviewedAnnotation.status == int(ReviewStatus.REJECTED),
            ReviewedAnnotation.sync_state == SyncState.SYNCED,
        )
    ).all():
        mirrored = rejected_as(row)
        if row.pk in busy or mirrored is None or mirrored.get("id") != prop.server_id:
            continue
        s.execute(
            delete(ReviewedAnnotationTerm).where(
                ReviewedAnnotationTerm.reviewed_annotation_pk == row.pk
            )
        )
        s.delete(row)


def _value(raw: Any) -> dict[str, Any]:
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(str(raw))
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}
