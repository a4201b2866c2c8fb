"""How far each reader of a study has got: decided annotations per reader, grouped.

A study has several readers, so "reviewed 40/100" (the project's final decisions) does
not say who still has work; this counts each reader's own live decisions
(``ReviewDecision`` rows of role *reader*) on live annotations, per project or per
image, in one grouped query, for the project browser and ``workstation projects``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation
from desktop_app.model.review import DecisionRole, ReviewDecision
from desktop_app.model.security import User
from desktop_app.store.layers import user_layer


@dataclass(frozen=True, slots=True)
class ReaderCount:
    """``decided`` annotations of the group have a live decision of ``reader``."""

    reader: str
    decided: int

    def as_json(self) -> dict[str, object]:
        return {"reader": self.reader, "decided": self.decided}


def reader_counts(
    s: Session, by: str, project_pk: int | None = None
) -> dict[int, tuple[ReaderCount, ...]]:
    """``by`` ("project_pk" or "image_pk") → readers in name order with their counts."""
    key = getattr(ReviewDecision, by)
    q = (
        select(key, User.username, func.count(func.distinct(ReviewDecision.annotation_pk)))
        .join(User, User.pk == ReviewDecision.reviewer_pk)
        .join(Annotation, Annotation.pk == ReviewDecision.annotation_pk)
        .where(
            ReviewDecision.local_deleted.is_(False),
            ReviewDecision.role == DecisionRole.READER,
            *user_layer(),
        )
        .group_by(key, User.username)
    )
    if project_pk is not None:
        q = q.where(ReviewDecision.project_pk == project_pk)
    out: dict[int, list[ReaderCount]] = {}
    for group, name, n in s.execute(q):
        out.setdefault(int(group), []).append(ReaderCount(str(name), int(n)))
    return {k: tuple(sorted(v, key=lambda c: c.reader.casefold())) for k, v in out.items()}


def progress_text(readers: tuple[ReaderCount, ...], total: int) -> str:
    """``ann 80%, bob 30%`` (or ``-`` when no reader decided anything)."""
    if not readers:
        return "-"
    return ", ".join(
        f"{c.reader} {c.decided / total:.0%}" if total else f"{c.reader} {c.decided}"
        for c in readers
    )


__all__ = ["ReaderCount", "progress_text", "reader_counts"]
