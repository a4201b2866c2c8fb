"""Review as a study (issue 13): each reader's queue, blinding, adjudication.

* A reader's queue shows *their own* decisions: another reader's decision never marks
  an annotation done for them (:func:`reader_items`).
* In a blinded project (``Project.blind_mode``) a reader who is not a project admin
  sees the outline only: the annotation's author, the terms others set and others'
  decisions are withheld (:func:`reader_items` with ``blinded``), and the terms the
  reader sets themselves (Cytomine term links are per user) are their reading.
* Where readers disagree (decision, or term set) the annotation enters the
  adjudication queue (:func:`adjudication_queue`) until a project admin sets the
  final decision (:func:`adjudicate`): an ``adjudicator`` decision row, which the
  server turns into the reviewed copy a stock Cytomine client sees
  (docs/api.md 5.4c) and which the cache's review status reads at once
  (``store.layers.review_statuses``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from desktop_app.core.review import ReviewStatus
from desktop_app.model.annotation import Annotation, AnnotationTerm
from desktop_app.model.image import ImageInstance
from desktop_app.model.review import DecisionRole, ReviewDecision, Verdict
from desktop_app.model.sync import OpKind
from desktop_app.services.review import ReviewItem, review_items
from desktop_app.services.review_decisions import (
    ReaderDecision,
    adjudications,
    check_reason,
    is_blinded,
    is_project_admin,
    reader_decisions,
)
from desktop_app.store import decisions
from desktop_app.store.uow import Store

_STATUS = {Verdict.ACCEPTED: ReviewStatus.ACCEPTED, Verdict.REJECTED: ReviewStatus.REJECTED}


def project_of_image(store: Store, image_pk: int) -> int:
    with store.read() as s:
        project = s.scalar(select(ImageInstance.project_pk).where(ImageInstance.pk == image_pk))
    if project is None:
        raise ValueError(f"no image {image_pk}")
    return int(project)


def own_terms(store: Store, annotation_pk: int, user_pk: int) -> list[int]:
    """The terms ``user_pk`` set on the annotation (their reading in a blinded review)."""
    with store.read() as s:
        return sorted(
            int(t)
            for t in s.scalars(
                select(AnnotationTerm.term_pk).where(
                    AnnotationTerm.annotation_pk == annotation_pk,
                    AnnotationTerm.user_pk == user_pk,
                    AnnotationTerm.local_deleted.is_(False),
                )
            )
        )


def reader_items(store: Store, image_pk: int, reviewer_pk: int) -> list[ReviewItem]:
    """The image's review queue as ``reviewer_pk`` sees it: status = their own decision
    (a reviewed copy they made counts as theirs); blinded, the terms are their own."""
    items = review_items(store, image_pk)
    project = project_of_image(store, image_pk)
    blinded = is_blinded(store, project, reviewer_pk)
    mine = {
        d.annotation_pk: d for d in reader_decisions(store, project, image_pk)
        if d.reviewer_pk == reviewer_pk
    }  # fmt: skip
    with store.read() as s:
        copies = dict(
            s.execute(
                select(Annotation.parent_pk, Annotation.status).where(
                    Annotation.image_pk == image_pk,
                    Annotation.kind == "reviewed",
                    Annotation.local_deleted.is_(False),
                    Annotation.review_user_pk == reviewer_pk,
                )
            ).all()
        )
        own_links: dict[int, list[int]] = {}
        if blinded:
            for a_pk, t_pk in s.execute(
                select(AnnotationTerm.annotation_pk, AnnotationTerm.term_pk)
                .join(Annotation, Annotation.pk == AnnotationTerm.annotation_pk)
                .where(
                    Annotation.image_pk == image_pk,
                    AnnotationTerm.user_pk == reviewer_pk,
                    AnnotationTerm.local_deleted.is_(False),
                )
            ):
                own_links.setdefault(int(a_pk), []).append(int(t_pk))
    out = []
    for item in items:
        status = ReviewStatus.PENDING
        if (d := mine.get(item.pk)) is not None:
            status = _STATUS[d.decision]
        elif item.pk in copies:
            status = ReviewStatus.REJECTED if copies[item.pk] == 1 else ReviewStatus.ACCEPTED
        terms = tuple(sorted(own_links.get(item.pk, ()))) if blinded else item.terms
        out.append(ReviewItem(item.pk, terms, status, item.bounds))
    return out


@dataclass(frozen=True, slots=True)
class AdjudicationItem:
    """An annotation the readers disagree on, with every reading side by side."""

    annotation_pk: int
    image_pk: int
    readings: tuple[ReaderDecision, ...]
    on_decision: bool  # readers differ on accept/reject
    on_terms: bool  # readers differ on the term set
    final: ReaderDecision | None = None


def adjudication_queue(
    store: Store, project_pk: int, image_pk: int | None = None, *, include_settled: bool = False
) -> list[AdjudicationItem]:
    """Annotations two or more readers decided differently, not yet adjudicated (or all
    of them with ``include_settled``), in annotation order."""
    by_ann: dict[int, list[ReaderDecision]] = {}
    for d in reader_decisions(store, project_pk, image_pk):
        by_ann.setdefault(d.annotation_pk, []).append(d)
    finals = {d.annotation_pk: d for d in adjudications(store, project_pk, image_pk)}
    out = []
    for ann_pk, readings in sorted(by_ann.items()):
        if len(readings) < 2:
            continue
        on_decision = len({r.decision for r in readings}) > 1
        on_terms = len(_accepted_terms(readings)) > 1
        final = finals.get(ann_pk)
        if not (on_decision or on_terms) or (final is not None and not include_settled):
            continue
        out.append(
            AdjudicationItem(
                ann_pk, readings[0].image_pk, tuple(readings), on_decision, on_terms, final
            )
        )
    return out


def adjudicate(
    store: Store,
    annotation_pk: int,
    admin_pk: int,
    decision: Verdict,
    *,
    term_pks: Sequence[int] = (),
    reason: str | None = None,
    comment: str | None = None,
) -> int:
    """Set the project's final decision on a disputed annotation (project admins).

    An earlier adjudication of the annotation is withdrawn in the same action, so undo
    restores it.  Returns the adjudicator decision's pk.
    """
    with store.read() as s:
        ann = s.get(Annotation, annotation_pk)
        if ann is None:
            raise ValueError(f"no annotation {annotation_pk}")
        project_pk = int(ann.project_pk)
    if not is_project_admin(store, project_pk, admin_pk):
        raise PermissionError("Only a project admin sets the final decision.")
    check_reason(store, project_pk, reason)
    with store.unit_of_work(label="Adjudicate", user_pk=admin_pk) as uow:
        for old in uow.session.scalars(
            select(ReviewDecision).where(
                ReviewDecision.annotation_pk == annotation_pk,
                ReviewDecision.role == DecisionRole.ADJUDICATOR,
                ReviewDecision.local_deleted.is_(False),
            )
        ):
            old.local_deleted = True
            uow.log(OpKind.DELETE, old, project_pk=project_pk)
        row = decisions.record_decision(
            uow,
            annotation_pk,
            reviewer_pk=admin_pk,
            decision=decision,
            term_pks=term_pks,
            reason=reason,
            comment=comment,
            role=DecisionRole.ADJUDICATOR,
        )
        assert row is not None  # the previous adjudication was withdrawn just above
        return int(row.pk)


def _accepted_terms(readings: Sequence[ReaderDecision]) -> set[tuple[int, ...]]:
    """The term sets of the readers who accepted (a rejected outline's term is moot)."""
    return {r.term_pks for r in readings if r.decision is Verdict.ACCEPTED}


def finalise_agreed(
    store: Store, project_pk: int, admin_pk: int, *, min_readers: int = 2
) -> list[int]:
    """Make the readers' common decision final wherever at least ``min_readers`` readers
    agree (decision and terms) and no final decision exists yet — in blind mode readings
    never write the reviewed copy, so this is how agreed annotations reach a stock
    Cytomine client.  Returns the annotations settled (one undo step each)."""
    if not is_project_admin(store, project_pk, admin_pk):
        raise PermissionError("Only a project admin sets the final decision.")
    by_ann: dict[int, list[ReaderDecision]] = {}
    for d in reader_decisions(store, project_pk):
        by_ann.setdefault(d.annotation_pk, []).append(d)
    finals = {d.annotation_pk for d in adjudications(store, project_pk)}
    done = []
    for ann_pk, readings in sorted(by_ann.items()):
        verdicts, terms = {r.decision for r in readings}, _accepted_terms(readings)
        if ann_pk in finals or len(readings) < min_readers or len(verdicts) != 1:
            continue
        if len(terms) > 1:
            continue
        verdict, common = verdicts.pop(), next(iter(terms), ())
        adjudicate(store, ann_pk, admin_pk, verdict, term_pks=common, comment="readers agree")
        done.append(ann_pk)
    return done


__all__ = [
    "AdjudicationItem",
    "adjudicate",
    "adjudication_queue",
    "finalise_agreed",
    "own_terms",
    "reader_items",
]
