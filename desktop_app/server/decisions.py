"""The first review decision on an annotation stands (docs/api.md 5.4b).

A decision is either a reviewed copy (``routes/review``) or, since Cytomine keeps no
row for a rejection, the property ``sync:review.rejected`` (``routes/attachments``).
Both routes check "no decision yet" and write theirs under the same lock, and refuse
the same way; they take both from here.
"""

from __future__ import annotations

from typing import Any, NoReturn

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation
from desktop_app.server.errors import ApiError

#: A review rejection: ``{"reviewUser", "terms"}`` JSON on the rejected annotation,
#: written by the sync engine.
REJECTED_KEY = "sync:review.rejected"


def lock_for_decision(db: Session, parent_pk: int) -> None:
    """Serialize review decisions on one annotation: the check "no decision yet" and the
    write of a decision (reviewed copy or rejection property) must be atomic, or two
    reviewers deciding at the same instant both succeed.  PostgreSQL: lock the parent's
    row until the transaction ends (the second decider waits, then sees the first
    decision).  SQLite: write sessions begin with BEGIN IMMEDIATE, so the writer lock
    already covers the check and the write."""
    # ``FOR UPDATE`` on PostgreSQL; SQLAlchemy renders nothing for it on SQLite
    db.execute(select(Annotation.pk).where(Annotation.pk == parent_pk).with_for_update())


def refuse_decision(db: Session, message: str, **current: Any) -> NoReturn:
    """409 "the first decision stands" with the existing decision's JSON (built by the
    caller before this), rolling back *here*: the write lock is released at once rather
    than in ``get_db``'s clean-up on the event loop, which a concurrent async route may be
    blocking while it waits for that very lock (SQLite's busy handler)."""
    db.rollback()
    raise ApiError(409, message, **current)
