"""Review use cases for one image: the queue, decisions, and Cytomine's review mode.

Decisions go through :meth:`AnnotationService.review` (one action, one outbox op).
The rule of :mod:`desktop_app.core.review` applies: **the first decision stands**.
Repeating the same decision is a no-op; a different one is refused with the
:class:`ReviewConflict` message and changes nothing.

``start_review`` / ``stop_review`` record Cytomine's ``ImageInstance.reviewStart``,
``reviewStop`` and ``reviewUser`` in the cache with a command-log op, as
``store/edits.py`` does for every edit.  The op is kept ``local``: the sync engine
opens and closes the server's review mode itself around each pushed review
(docs/sync.md, "Reviews"), and an image update is not something it pushes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.core.review import ReviewConflict, ReviewStatus
from desktop_app.model.annotation import Annotation, AnnotationTerm
from desktop_app.model.base import utcnow
from desktop_app.model.image import ImageInstance
from desktop_app.model.project import Project
from desktop_app.model.review import DecisionRole, ReviewDecision, Verdict
from desktop_app.model.sync import OpKind, OpState
from desktop_app.services.annotations import AnnotationService
from desktop_app.services.review_decisions import check_reason
from desktop_app.store import edits
from desktop_app.store.decisions import record_decision
from desktop_app.store.layers import (
    Review,
    review_of,
    review_statuses,
    reviewed_layer,
    user_layer,
)
from desktop_app.store.uow import Store

REVIEW_FIELDS = ("review_start", "review_stop", "review_user_pk")
_STATUS = {
    Review.NONE: ReviewStatus.PENDING,
    Review.ACCEPTED: ReviewStatus.ACCEPTED,
    Review.REJECTED: ReviewStatus.REJECTED,
}


class ReviewRefused(ValueError):
    """A decision that contradicts the first one; the message is meant for the user."""

    def __init__(self, conflict: ReviewConflict) -> None:
        super().__init__(conflict.message)
        self.conflict = conflict


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One annotation of the image as the review queue sees it."""

    pk: int
    terms: tuple[int, ...]
    status: ReviewStatus
    bounds: tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class ReviewState:
    """The image's review mode as stored (Cytomine ImageInstance review fields)."""

    review_start: datetime | None
    review_stop: datetime | None
    review_user_pk: int | None

    @property
    def in_review(self) -> bool:
        return self.review_start is not None and self.review_stop is None


def review_items(store: Store, image_pk: int) -> list[ReviewItem]:
    """Every live user/algo annotation of the image with its review status, in pk order."""
    with store.read() as s:
        anns = s.execute(
            select(
                Annotation.pk,
                Annotation.min_x,
                Annotation.min_y,
                Annotation.max_x,
                Annotation.max_y,
            )
            .where(*user_layer(image_pk))
            .order_by(Annotation.pk)
        ).all()
        reviews = review_statuses(s, image_pk=image_pk)
        links = s.execute(
            select(AnnotationTerm.annotation_pk, AnnotationTerm.term_pk)
            .join(Annotation, Annotation.pk == AnnotationTerm.annotation_pk)
            .where(Annotation.image_pk == image_pk, AnnotationTerm.local_deleted.is_(False))
        ).all()
    status = {pk: _STATUS[review] for pk, review in reviews.items()}
    terms: dict[int, list[int]] = {}
    for ann_pk, term_pk in links:
        terms.setdefault(int(ann_pk), []).append(int(term_pk))
    return [
        ReviewItem(
            pk=int(r.pk),
            terms=tuple(sorted(terms.get(int(r.pk), ()))),
            status=status.get(int(r.pk), ReviewStatus.PENDING),
            bounds=(r.min_x, r.min_y, r.max_x, r.max_y),
        )
        for r in anns
    ]


def decision_of(store: Store, annotation_pk: int) -> ReviewStatus:
    """The stored decision on ``annotation_pk`` (PENDING when none)."""
    with store.read() as s:
        review = review_statuses(s, pks=[annotation_pk]).get(annotation_pk, Review.NONE)
    return _STATUS[review]


def decide(
    service: AnnotationService,
    store: Store,
    annotation_pk: int,
    status: ReviewStatus,
    *,
    term_pks: Sequence[int] | None = None,
    geometry: BaseGeometry | str | None = None,
    reason: str | None = None,
    comment: str | None = None,
) -> bool:
    """Store the service user's decision; False for a harmless repeat, ReviewRefused for
    a contradiction of *their own* first decision (other readers' never count).

    Every decision is a reader decision (``model.review.ReviewDecision``) with the
    reader's terms, reason code and comment.  Outside blind mode the first decision on
    an annotation is also its reviewed copy, the project's final decision as Cytomine
    keeps it; ``CORRECTED`` is stored as an accept of the corrected geometry/terms.  In
    a blinded project the final decision is left to adjudication.
    """
    if status is ReviewStatus.PENDING:
        raise ValueError("a review decision is accept, reject or correct")
    reader = service.user_pk
    wanted = ReviewStatus.REJECTED if status is ReviewStatus.REJECTED else ReviewStatus.ACCEPTED
    existing = own_decision(store, annotation_pk, reader)
    if existing is not ReviewStatus.PENDING:
        if existing is wanted:
            return False
        raise ReviewRefused(ReviewConflict(annotation_pk, existing, status))
    with store.read() as s:
        project_pk = s.scalar(select(Annotation.project_pk).where(Annotation.pk == annotation_pk))
        blind = bool(s.scalar(select(Project.blind_mode).where(Project.pk == project_pk)))
        final = review_statuses(s, pks=[annotation_pk]).get(annotation_pk, Review.NONE)
        terms = (
            list(term_pks)
            if term_pks is not None
            else _reading_terms(s, annotation_pk, reader if blind else None)
        )
    if project_pk is None:
        raise ValueError(f"no annotation {annotation_pk}")
    check_reason(store, int(project_pk), reason)
    verdict = Verdict.REJECTED if wanted is ReviewStatus.REJECTED else Verdict.ACCEPTED
    pks = [annotation_pk]
    with service.action("Accept" if verdict is Verdict.ACCEPTED else "Reject", pks) as uow:
        record_decision(
            uow,
            annotation_pk,
            reviewer_pk=reader,
            decision=verdict,
            term_pks=terms,
            reason=reason,
            comment=comment,
        )
        if not blind and final is Review.NONE:
            reviewed = edits.review(
                uow,
                annotation_pk,
                reviewer_pk=reader,
                accept=verdict is Verdict.ACCEPTED,
                term_pks=term_pks,
                geometry=geometry,
            )
            pks.append(reviewed.pk)
    return True


def own_decision(store: Store, annotation_pk: int, reader_pk: int) -> ReviewStatus:
    """The reader's own decision on the annotation: their reader decision, else a
    reviewed copy they made (a decision from before readers were kept apart)."""
    with store.read() as s:
        mine = s.scalar(
            select(ReviewDecision.decision).where(
                ReviewDecision.annotation_pk == annotation_pk,
                ReviewDecision.reviewer_pk == reader_pk,
                ReviewDecision.role == DecisionRole.READER,
                ReviewDecision.local_deleted.is_(False),
            )
        )
        if mine is not None:
            return ReviewStatus(Verdict(mine).value)
        code = s.scalar(
            select(Annotation.status).where(
                *reviewed_layer(),
                Annotation.parent_pk == annotation_pk,
                Annotation.review_user_pk == reader_pk,
            )
        )
    review = review_of(code)
    return _STATUS[review]


def _reading_terms(s: Session, annotation_pk: int, only_user: int | None) -> list[int]:
    """The terms a reading records by default: the annotation's (or, blinded, the
    reader's own term links)."""
    q = select(AnnotationTerm.term_pk).where(
        AnnotationTerm.annotation_pk == annotation_pk, AnnotationTerm.local_deleted.is_(False)
    )
    if only_user is not None:
        q = q.where(AnnotationTerm.user_pk == only_user)
    return sorted({int(t) for t in s.scalars(q)})


def review_state(store: Store, image_pk: int) -> ReviewState:
    with store.read() as s:
        img = s.get(ImageInstance, image_pk)
        if img is None:
            raise ValueError(f"no image {image_pk}")
        return ReviewState(img.review_start, img.review_stop, img.review_user_pk)


def start_review(store: Store, image_pk: int, user_pk: int) -> ReviewState:
    """Enter review mode on the image (Cytomine ``review_start``): start now, no stop."""
    return _set_review(store, image_pk, user_pk, start=True)


def stop_review(store: Store, image_pk: int, user_pk: int) -> ReviewState:
    """Leave review mode (Cytomine ``review_stop``); the reviewer stays recorded."""
    return _set_review(store, image_pk, user_pk, start=False)


def _set_review(store: Store, image_pk: int, user_pk: int, *, start: bool) -> ReviewState:
    label = "Start review" if start else "Stop review"
    with store.unit_of_work(label=label, user_pk=user_pk, undoable=False) as uow:
        img = uow.session.get(ImageInstance, image_pk)
        if img is None:
            raise ValueError(f"no image {image_pk}")
        previous = {f: _jsonable(getattr(img, f)) for f in REVIEW_FIELDS}
        now = utcnow()
        if start:
            img.review_start, img.review_stop, img.review_user_pk = now, None, user_pk
        else:
            img.review_stop = now
            img.review_user_pk = img.review_user_pk or user_pk
        values = {f: _jsonable(getattr(img, f)) for f in REVIEW_FIELDS}
        sync_state, dirty = img.sync_state, list(img.dirty_fields or [])
        op = uow.log(
            OpKind.UPDATE, img, payload=values, inverse=previous, project_pk=img.project_pk
        )
        # Recorded, not pushed: the engine manages the server's review mode per review.
        op.state, op.last_error = OpState.LOCAL, "review mode is recorded locally"
        img.sync_state, img.dirty_fields = sync_state, dirty
        return ReviewState(img.review_start, img.review_stop, img.review_user_pk)


def _jsonable(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


def geometry_of(service: AnnotationService, pk: int) -> BaseGeometry | None:
    """The annotation's current shape (what a correction is compared against)."""
    return service.geometry(pk)


def same_shape(a: BaseGeometry | None, b: BaseGeometry | None) -> bool:
    if a is None or b is None:
        return a is b
    return bool(shapely.equals_exact(shapely.normalize(a), shapely.normalize(b), 1e-6))


__all__ = [
    "ReviewItem",
    "ReviewRefused",
    "ReviewState",
    "decide",
    "decision_of",
    "own_decision",
    "review_items",
    "review_state",
    "same_shape",
    "start_review",
    "stop_review",
]
