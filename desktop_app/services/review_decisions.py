"""Read side of the review study (issue 13): readers' decisions and reason codes.

The rows are :class:`desktop_app.model.review.ReviewDecision`; this module turns them
into plain values for the agreement statistics, the CSV export, the adjudication
queue and the review panel.  Only *reader* decisions are listed by
:func:`reader_decisions` (an adjudicator's final call is not a reading and would bias
agreement); :func:`adjudications` lists the final calls.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select

from desktop_app.model.project import Project, ProjectMember
from desktop_app.model.review import DEFAULT_REASONS, DecisionRole, ReviewDecision, Verdict
from desktop_app.model.security import Access, User
from desktop_app.store.uow import Store


@dataclass(frozen=True, slots=True)
class ReasonCode:
    """One entry of a project's reject reasons; ``number`` is its 1-based key in the dialog."""

    number: int
    code: str
    label: str


@dataclass(frozen=True, slots=True)
class ReaderDecision:
    """One reader's decision on one annotation, as statistics and panels read it.

    ``term_pks`` are local term keys of the cache (compare them between readers as is).
    """

    pk: int
    annotation_pk: int
    image_pk: int
    reviewer_pk: int
    reader: str
    decision: Verdict
    term_pks: tuple[int, ...]
    reason: str | None
    comment: str | None
    decided_at: datetime
    role: DecisionRole = DecisionRole.READER


def reasons_from(stored: Iterable[dict[str, str]] | None) -> list[ReasonCode]:
    """A project's stored ``review_reasons`` (None = the defaults) as numbered codes."""
    pairs = (
        [(str(r["code"]), str(r["label"])) for r in stored]
        if stored is not None
        else list(DEFAULT_REASONS)
    )
    return [ReasonCode(i, code, label) for i, (code, label) in enumerate(pairs, start=1)]


def reason_codes(store: Store, project_pk: int) -> list[ReasonCode]:
    """The project's reject reasons in dialog order (the defaults until an admin edits)."""
    with store.read() as s:
        stored = s.scalar(select(Project.review_reasons).where(Project.pk == project_pk))
    return reasons_from(stored)


def _query(
    project_pk: int, image_pk: int | None, role: DecisionRole | None
) -> Select[ReviewDecision, str]:
    q = (
        select(ReviewDecision, User.username)
        .join(User, User.pk == ReviewDecision.reviewer_pk)
        .where(ReviewDecision.project_pk == project_pk, ReviewDecision.local_deleted.is_(False))
        .order_by(ReviewDecision.annotation_pk, User.username)
    )
    if image_pk is not None:
        q = q.where(ReviewDecision.image_pk == image_pk)
    if role is not None:
        q = q.where(ReviewDecision.role == role)
    return q


def _value(row: ReviewDecision, username: str) -> ReaderDecision:
    return ReaderDecision(
        pk=int(row.pk),
        annotation_pk=int(row.annotation_pk),
        image_pk=int(row.image_pk),
        reviewer_pk=int(row.reviewer_pk),
        reader=username,
        decision=Verdict(row.decision),
        term_pks=tuple(sorted(int(t) for t in row.term_pks or ())),
        reason=row.reason,
        comment=row.comment,
        decided_at=row.decided_at,
        role=DecisionRole(row.role),
    )


def reader_decisions(
    store: Store, project_pk: int, image_pk: int | None = None
) -> list[ReaderDecision]:
    """Every live reader decision of the project (or one image), by annotation then reader.

    This is the input of the agreement statistics: (annotation, reader username,
    decision, term pks) per row; adjudicators' final calls are left out.
    """
    with store.read() as s:
        rows = s.execute(_query(project_pk, image_pk, DecisionRole.READER)).all()
    return [_value(r, name) for r, name in rows]


def adjudications(
    store: Store, project_pk: int, image_pk: int | None = None
) -> list[ReaderDecision]:
    """The adjudicators' final calls (role ``adjudicator``) of the project or one image."""
    with store.read() as s:
        rows = s.execute(_query(project_pk, image_pk, DecisionRole.ADJUDICATOR)).all()
    return [_value(r, name) for r, name in rows]


def decisions_on(store: Store, annotation_pk: int) -> list[ReaderDecision]:
    """All live decisions (readers and adjudicator) on one annotation, by reader name."""
    with store.read() as s:
        rows = s.execute(
            select(ReviewDecision, User.username)
            .join(User, User.pk == ReviewDecision.reviewer_pk)
            .where(
                ReviewDecision.annotation_pk == annotation_pk,
                ReviewDecision.local_deleted.is_(False),
            )
            .order_by(ReviewDecision.role, User.username)
        ).all()
    return [_value(r, name) for r, name in rows]


def is_project_admin(store: Store, project_pk: int, user_pk: int) -> bool:
    """A project admin of the cache's membership (the local user administers a project
    nobody else is a member of, such as a local-only one)."""
    with store.read() as s:
        rows = dict(
            s.execute(
                select(ProjectMember.user_pk, ProjectMember.access).where(
                    ProjectMember.project_pk == project_pk
                )
            ).all()
        )
    return not rows or rows.get(user_pk) == Access.ADMIN


def is_blinded(store: Store, project_pk: int, user_pk: int) -> bool:
    """Whether ``user_pk`` reviews ``project_pk`` blinded (blind mode, not an admin)."""
    with store.read() as s:
        blind = s.scalar(select(Project.blind_mode).where(Project.pk == project_pk))
    return bool(blind) and not is_project_admin(store, project_pk, user_pk)


def check_reason(store: Store, project_pk: int, reason: str | None) -> None:
    """A reason must be one of the project's codes (ValueError in the user's terms)."""
    if reason is None:
        return
    codes = reason_codes(store, project_pk)
    if reason not in {c.code for c in codes}:
        labels = ", ".join(f"{c.number} {c.label}" for c in codes)
        raise ValueError(f"Unknown reason {reason!r}; this project's reasons are: {labels}")


__all__ = [
    "ReaderDecision",
    "ReasonCode",
    "adjudications",
    "check_reason",
    "is_blinded",
    "is_project_admin",
    "decisions_on",
    "reader_decisions",
    "reason_codes",
    "reasons_from",
]
