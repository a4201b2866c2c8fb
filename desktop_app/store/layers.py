"""Which annotations a user sees, in one place: the user layer and the reviewed layer.

Cytomine keeps a review decision as a *reviewed copy* (``kind = 'reviewed'``, with
``parent_pk`` naming the annotation and ``status`` accepted/rejected).  The copy is not
another annotation: it belongs to its parent.  So every listing, count, statistic and
export reads the **user layer** (live user and algo annotations, each once) and shows a
decision as the annotation's *review status*; the **reviewed layer** (the copies
themselves) is read only where a reviewer asks for it (the viewer's reviewed overlay,
review mode).  Services build their queries from these conditions instead of repeating
``local_deleted``/``kind`` tests, so a new listing cannot count a copy by accident.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation, AnnotationKind, ReviewStatus
from desktop_app.model.review import DecisionRole, ReviewDecision, Verdict


class Review(enum.StrEnum):
    """An annotation's review status as users read it (and as export writes it)."""

    NONE = ""
    ACCEPTED = "accepted"
    REJECTED = "rejected"


def user_layer(image_pk: int | None = None) -> tuple[ColumnElement[bool], ...]:
    """WHERE conditions for the annotations a user sees: live, not a reviewed copy."""
    conds: tuple[ColumnElement[bool], ...] = (
        Annotation.local_deleted.is_(False),
        Annotation.kind != AnnotationKind.REVIEWED,
    )
    if image_pk is not None:
        conds = (Annotation.image_pk == image_pk, *conds)
    return conds


def reviewed_layer(image_pk: int | None = None) -> tuple[ColumnElement[bool], ...]:
    """WHERE conditions for the live reviewed copies (the reviewer's layer)."""
    conds: tuple[ColumnElement[bool], ...] = (
        Annotation.local_deleted.is_(False),
        Annotation.kind == AnnotationKind.REVIEWED,
    )
    if image_pk is not None:
        conds = (Annotation.image_pk == image_pk, *conds)
    return conds


def review_of(code: int | None) -> Review:
    """A reviewed copy's stored ``status`` as a review status."""
    if code is None:
        return Review.NONE
    return Review.REJECTED if int(code) == int(ReviewStatus.REJECTED) else Review.ACCEPTED


def review_statuses(
    session: Session, *, image_pk: int | None = None, pks: Iterable[int] | None = None
) -> dict[int, Review]:
    """Annotation pk → its live review decision, for an image or a set of annotations.

    Annotations without a decision are absent (``Review.NONE``).
    """
    query = select(Annotation.parent_pk, Annotation.status).where(*reviewed_layer(image_pk))
    out: dict[int, Review] = {}
    if pks is None:
        rows = list(session.execute(query))
    else:
        keys, rows = list(pks), []
        for i in range(0, len(keys), 900):
            rows += session.execute(query.where(Annotation.parent_pk.in_(keys[i : i + 900])))
    for parent, code in rows:
        if parent is not None:
            out[int(parent)] = review_of(code)
    # An adjudicator's decision is the final one at once, before (or without) the sync
    # that brings the reviewed copy the server writes for it (docs/api.md 5.4c).
    final = select(ReviewDecision.annotation_pk, ReviewDecision.decision).where(
        ReviewDecision.role == DecisionRole.ADJUDICATOR, ReviewDecision.local_deleted.is_(False)
    )
    if image_pk is not None:
        final = final.where(ReviewDecision.image_pk == image_pk)
    if pks is None:
        finals = list(session.execute(final))
    else:
        keys, finals = list(pks), []
        for i in range(0, len(keys), 900):
            finals += session.execute(
                final.where(ReviewDecision.annotation_pk.in_(keys[i : i + 900]))
            )
    for ann_pk, verdict in finals:
        accepted = Verdict(verdict) is Verdict.ACCEPTED
        out[int(ann_pk)] = Review.ACCEPTED if accepted else Review.REJECTED
    return out


__all__ = ["Review", "review_of", "review_statuses", "reviewed_layer", "user_layer"]
