"""Writers of per-reader review decisions (``model.review.ReviewDecision``).

Each write is part of the caller's unit of work and logs its outbox operation there,
so a decision and the op that carries it to the server are committed together
(``store/outbox.py``).  The rule of the review state machine holds *per reader*: a
reader's live decision on an annotation is their first one; recording a different one
is refused until the first is undone.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from desktop_app.model.annotation import Annotation, AnnotationKind
from desktop_app.model.review import DecisionRole, ReviewDecision, Verdict
from desktop_app.model.sync import OpKind
from desktop_app.store.edits import EditError
from desktop_app.store.uow import UnitOfWork


class DecisionRefused(EditError):
    """A reader's second, different decision on an annotation; the message is for users."""


def live_decision(
    uow: UnitOfWork, annotation_pk: int, reviewer_pk: int, role: DecisionRole
) -> ReviewDecision | None:
    """The reader's current decision of ``role`` on the annotation, if any."""
    return uow.session.scalar(
        select(ReviewDecision).where(
            ReviewDecision.annotation_pk == annotation_pk,
            ReviewDecision.reviewer_pk == reviewer_pk,
            ReviewDecision.role == role,
            ReviewDecision.local_deleted.is_(False),
        )
    )


def record_decision(
    uow: UnitOfWork,
    annotation_pk: int,
    *,
    reviewer_pk: int,
    decision: Verdict,
    term_pks: Sequence[int] = (),
    reason: str | None = None,
    comment: str | None = None,
    role: DecisionRole = DecisionRole.READER,
) -> ReviewDecision | None:
    """Store one reader's decision; None for a repeat of the same verdict.

    A different verdict than the reader's live one raises :class:`DecisionRefused`
    (changing one's mind is an undo, then a new decision).
    """
    ann = uow.session.get(Annotation, annotation_pk)
    if ann is None or ann.local_deleted:
        raise EditError(f"unknown annotation {annotation_pk}")
    if ann.kind is AnnotationKind.REVIEWED:
        raise EditError("a reviewed copy is not reviewed itself; review its annotation")
    existing = live_decision(uow, annotation_pk, reviewer_pk, role)
    if existing is not None:
        if existing.decision is decision:
            return None
        raise DecisionRefused(
            f"You already {existing.decision.value} this annotation; "
            f"undo that decision before marking it {decision.value}."
        )
    row = ReviewDecision(
        annotation_pk=ann.pk,
        project_pk=ann.project_pk,
        image_pk=ann.image_pk,
        reviewer_pk=reviewer_pk,
        role=role,
        decision=decision,
        reason=reason or None,
        comment=(comment or "").strip() or None,
        term_pks=sorted({int(t) for t in term_pks}),
    )
    uow.session.add(row)
    uow.session.flush()
    uow.log(OpKind.CREATE, row, project_pk=ann.project_pk)
    return row


__all__ = ["DecisionRefused", "live_decision", "record_decision"]
