"""SciTran's optional list fields: ``stats=true``, ``counts=true`` and ``join=projects``.

They follow scitran/core (``api/dao/containerutil.get_stats``, ``ContainerHandler.
_add_results_counts``, ``GroupHandler.handle_projects``): ``stats`` adds to projects and
collections ``attachment_count``, ``session_count``, ``noncompliant_session_count`` and
``subject_count``; ``counts`` adds the number of direct children (``session_count`` on
projects, ``acquisition_count`` on sessions); ``join=projects`` adds to each group the
projects in it the caller may read (``_id``, ``label``, ``description``, ``group``,
``permissions``).  Counted with one grouped query per list, not per row.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from fastapi import Request
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.model.project import Project
from desktop_app.model.scitran import Acquisition, ContainerType, collection_acquisition
from desktop_app.model.scitran import Session as ScSession
from desktop_app.server.scitran_template import satisfies

Json = dict[str, Any]


def is_true(request: Request, name: str) -> bool:
    """SciTran's ``is_true``: ``1``/``true`` (any case) switch a flag on."""
    return request.query_params.get(name, "").lower() in ("1", "true")


def joins(request: Request) -> list[str]:
    return request.query_params.getlist("join")


def _count_by(db: Session, key: Any, pks: list[int], *, distinct: Any = None) -> dict[int, int]:
    if not pks:
        return {}
    counted = func.count(func.distinct(distinct)) if distinct is not None else func.count()
    return dict(db.execute(select(key, counted).where(key.in_(pks)).group_by(key)).all())


def add_counts(db: Session, ctype: ContainerType, out: list[Json]) -> None:
    pks = [int(o["_id"]) for o in out]
    if ctype is ContainerType.PROJECT:
        n, field = _count_by(db, ScSession.project_pk, pks), "session_count"
    elif ctype is ContainerType.SESSION:
        n, field = _count_by(db, Acquisition.session_pk, pks), "acquisition_count"
    else:
        return
    for o in out:
        o[field] = n.get(int(o["_id"]), 0)


def _collection_sessions(db: Session, pks: list[int]) -> dict[int, set[int]]:
    rows = db.execute(
        select(collection_acquisition.c.collection_pk, Acquisition.session_pk)
        .join(Acquisition, Acquisition.pk == collection_acquisition.c.acquisition_pk)
        .where(collection_acquisition.c.collection_pk.in_(pks))
    )
    out: dict[int, set[int]] = {}
    for cpk, spk in rows:
        out.setdefault(cpk, set()).add(spk)
    return out


def add_stats(db: Session, ctype: ContainerType, out: list[Json]) -> None:
    """``get_stats``: only projects and collections get them, as in SciTran."""
    if ctype not in (ContainerType.PROJECT, ContainerType.COLLECTION) or not out:
        return
    pks = [int(o["_id"]) for o in out]
    if ctype is ContainerType.PROJECT:
        sessions = {pk: set[int]() for pk in pks}
        for ppk, spk in db.execute(
            select(ScSession.project_pk, ScSession.pk).where(ScSession.project_pk.in_(pks))
        ):
            sessions[ppk].add(spk)
    else:
        sessions = _collection_sessions(db, pks)
    every = sorted({s for group in sessions.values() for s in group})
    noncompliant = _noncompliant(db, ctype, pks, sessions)
    subject_of = (
        dict(
            db.execute(
                select(ScSession.pk, ScSession.subject_pk).where(ScSession.pk.in_(every))
            ).all()
        )
        if every
        else {}
    )
    for o in out:
        mine = sessions.get(int(o["_id"]), set())
        o["attachment_count"] = len(o.get("files") or [])
        o["session_count"] = len(mine)
        o["noncompliant_session_count"] = noncompliant.get(int(o["_id"]), 0)
        o["subject_count"] = len({subject_of[s] for s in mine if subject_of.get(s)})


def _noncompliant(
    db: Session, ctype: ContainerType, pks: list[int], sessions: dict[int, set[int]]
) -> dict[int, int]:
    """Per project: its sessions that fail its template (collections: none, as SciTran
    counts only sessions marked non-compliant, which needs the session's project)."""
    if ctype is not ContainerType.PROJECT:
        return {}
    out: dict[int, int] = {}
    for p in db.scalars(select(Project).where(Project.pk.in_(pks), Project.template.is_not(None))):
        rows = db.scalars(select(ScSession).where(ScSession.pk.in_(sessions.get(p.pk, set()))))
        out[p.pk] = sum(1 for s in rows if not satisfies(db, s, p.template or {}))
    return out


#: The fields of a project ``join=projects`` adds to a group (SciTran's projection).
PROJECT_STUB = ("_id", "label", "description", "group", "permissions")


def group_projects(db: Session, group_pk: int, visible: Collection[int] | None) -> list[Project]:
    """The group's live projects the caller may read (``visible``: ``None`` = all)."""
    q = select(Project).where(Project.group_pk == group_pk, Project.deleted.is_(None))
    return [p for p in db.scalars(q.order_by(Project.pk)) if visible is None or p.pk in visible]
