"""A SciTran container change reaches the change feed of the projects it belongs to.

A project-bound container feeds its own project; a collection feeds every project whose
acquisitions it holds, so each member's desktop hears of it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.scitran import Acquisition, ContainerType
from desktop_app.model.scitran import Session as ScSession
from desktop_app.server.auth import Caller
from desktop_app.server.feed import record_change
from desktop_app.server.scitran_access import project_of
from desktop_app.server.serial_scitran import acquisition_pks
from desktop_app.server.wire import now, version_ms


def feed_projects(db: Session, ctype: ContainerType, row: Any) -> list[int]:
    """Projects whose change feed a container change belongs to."""
    pk = project_of(db, ctype, row)
    if pk is not None:
        return [pk]
    if ctype is ContainerType.COLLECTION and row.pk is not None:
        pks = acquisition_pks(db, row.pk)
        if pks:
            return sorted(
                set(
                    db.scalars(
                        select(ScSession.project_pk)
                        .join(Acquisition, Acquisition.session_pk == ScSession.pk)
                        .where(Acquisition.pk.in_(pks))
                    )
                )
            )
    return []


def touch(db: Session, caller: Caller, ctype: ContainerType, row: Any) -> None:
    """Mark a container modified (notes, files, tags changed) and feed it; no commit."""
    row.updated = now()
    db.flush()
    projects = feed_projects(db, ctype, row)
    if projects:
        stamp = version_ms(row.created, row.updated)
        record_change(db, projects, ctype.value, row.pk, row.uid, "updated", stamp, caller.pk)
