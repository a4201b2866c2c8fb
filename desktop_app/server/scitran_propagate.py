"""SciTran's propagated properties: a change on a parent reaches its hierarchy.

As scitran/core's ``hierarchy.propagate_changes`` (and its ``test_propagation``):

* ``public`` and ``archived`` set on a project apply to its sessions and their
  acquisitions; set on a session, to its acquisitions;
* renaming or deleting a group's tag renames or deletes that tag on the group's
  projects, their sessions and acquisitions.

The functions change the rows and return them; the caller stamps each and writes it to
its project's change feed (``scitran_feed.touch``) in its transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.project import Project
from desktop_app.model.scitran import Acquisition, ContainerType
from desktop_app.model.scitran import Session as ScSession

FLAGS = ("public", "archived")


def below(db: Session, ctype: ContainerType, pks: list[int]) -> list[tuple[ContainerType, Any]]:
    """The descendants of the projects or sessions ``pks`` (sessions, then acquisitions)."""
    out: list[tuple[ContainerType, Any]] = []
    session_pks = list(pks) if ctype is ContainerType.SESSION else []
    if ctype is ContainerType.PROJECT and pks:
        sessions = list(db.scalars(select(ScSession).where(ScSession.project_pk.in_(pks))))
        out += [(ContainerType.SESSION, s) for s in sessions]
        session_pks = [s.pk for s in sessions]
    if session_pks:
        acqs = db.scalars(select(Acquisition).where(Acquisition.session_pk.in_(session_pks)))
        out += [(ContainerType.ACQUISITION, a) for a in acqs]
    return out


Changed = list[tuple[ContainerType, Any]]


def propagate_flags(db: Session, ctype: ContainerType, row: Any, body: Any) -> Changed:
    """``public``/``archived`` of a project or session down to its hierarchy."""
    changed = {f: getattr(row, f) for f in FLAGS if f in body}
    out: Changed = []
    if not changed or ctype not in (ContainerType.PROJECT, ContainerType.SESSION):
        return out
    for child_type, child in below(db, ctype, [row.pk]):
        if any(getattr(child, f) != v for f, v in changed.items()):
            for f, v in changed.items():
                setattr(child, f, v)
            out.append((child_type, child))
    return out


def group_tag(db: Session, group_pk: int, old: str, new: str | None) -> Changed:
    """Rename (``new``) or delete (``None``) the tag ``old`` below the group ``group_pk``."""
    out: Changed = []
    projects = list(db.scalars(select(Project).where(Project.group_pk == group_pk)))
    rows = [(ContainerType.PROJECT, p) for p in projects]
    rows += below(db, ContainerType.PROJECT, [p.pk for p in projects])
    for ctype, row in rows:
        tags = list(row.tags or [])
        if old not in tags:
            continue
        if new is None or new in tags:
            row.tags = [t for t in tags if t != old]
        else:
            row.tags = [new if t == old else t for t in tags]
        out.append((ctype, row))
    return out
