"""Locked annotations: a property ``locked = true`` (so the lock syncs like any property).

A locked annotation cannot be moved or reshaped (its terms, properties and review can
still change, as in QuPath). The check runs inside the edit's unit of work, so an edit
racing a lock pulled from the server is refused too.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.attachment import Property
from desktop_app.store import edits

LOCK_KEY = "locked"
LOCK_VALUE = "true"


def locked_pks(session: Session, pks: Iterable[int]) -> set[int]:
    """Which of ``pks`` are locked."""
    wanted = list(pks)
    if not wanted:
        return set()
    return set(
        session.scalars(
            select(Property.domain_pk).where(
                Property.domain_class_name == edits.ANNOTATION_CLASS,
                Property.domain_pk.in_(wanted),
                Property.key == LOCK_KEY,
                Property.value == LOCK_VALUE,
                Property.local_deleted.is_(False),
            )
        )
    )


def check_unlocked(session: Session, pks: Iterable[int]) -> None:
    """Refuse (EditError) when any of ``pks`` is locked."""
    locked = sorted(locked_pks(session, pks))
    if locked:
        which = "it" if len(locked) == 1 else "them"
        raise edits.EditError(
            f"{len(locked)} selected annotation(s) are locked: unlock {which} first "
            "(Objects > Unlock)."
        )
