"""SciTran groups: the owners of projects (a lab, a department).

Readable by holders of a group permission and by admins (others get 403 and do not
see the group in lists); any non-guest may create one and becomes its admin.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop_app.model.project import Project
from desktop_app.model.scitran import ContainerType, Group, GroupPermission
from desktop_app.model.security import Access
from desktop_app.protocol.scitran.sub import GroupBody
from desktop_app.server import crud, scitran_stats
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import ApiError, bad_request
from desktop_app.server.feed import check_not_stale
from desktop_app.server.rights import require_writer, visible_project_pks
from desktop_app.server.routes.scitran.containers import render
from desktop_app.server.scitran_access import group_access, require_group
from desktop_app.server.scitran_fields import refuse_unknown
from desktop_app.server.serial_scitran import group_json
from desktop_app.server.wire import body_doc, now, parse_body, request_json, version_ms

router = APIRouter()
#: SciTran's group-input schema (``_id``, ``label``); ``tags`` is ours.
GROUP_FIELDS = frozenset({"_id", "label"})
PROJECT = ContainerType.PROJECT
STUB = scitran_stats.PROJECT_STUB
Json = dict[str, Any]


def _full(db: Session, caller: Caller, g: Group) -> bool:
    return group_access(db, caller, g) is Access.ADMIN and not caller.is_guest


def _apply(g: Group, raw: Any, create: bool) -> None:
    body = parse_body(GroupBody, raw)
    if create and body.id is not None:
        code = body.id
        if not code.strip() or code.isdigit() or any(c in code for c in "/\\ ?#"):
            raise bad_request("_id must be a non-numeric name without spaces or slashes")
        g.code = code
    if create and body.label is None and g.code:
        g.label = g.code  # SciTran requires only ``_id``; the label defaults to it
    elif create or body.sent("label"):
        if body.label is None:
            raise bad_request("label is required")
        if not body.label.strip():
            raise bad_request("label must not be empty")
        g.label = body.label
    if body.sent("tags"):
        g.tags = body.tags


@router.get("/api/groups")
def list_groups(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> list[Json]:
    join_projects = "projects" in scitran_stats.joins(request)
    visible = visible_project_pks(db, caller) if join_projects else None
    out = []
    for g in db.scalars(select(Group).order_by(Group.pk)):
        if group_access(db, caller, g) is not None:
            js = group_json(db, g, caller, False)
            if join_projects:
                js["projects"] = [
                    {k: v for k, v in render(db, caller, PROJECT, p, False).items() if k in STUB}
                    for p in scitran_stats.group_projects(db, g.pk, visible)
                ]
            out.append(js)
    return out


@router.post("/api/groups", openapi_extra=body_doc(GroupBody))
def add_group(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    require_writer(caller)
    g = Group(tags=[])
    _apply(g, payload, True)
    g.permissions = [GroupPermission(user_pk=caller.rights_pk, access=Access.ADMIN)]
    db.add(g)
    try:
        db.commit()
    except IntegrityError as exc:
        db.rollback()
        raise ApiError(409, f"Group {g.code} already exists") from exc
    return {"_id": g.code or str(g.pk)}


@router.get("/api/groups/{gid}")
def get_group(
    gid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    g = require_group(db, caller, gid)
    out = group_json(db, g, caller, _full(db, caller, g))
    out["projects"] = [
        str(pk) for pk in db.scalars(select(Project.pk).where(Project.group_pk == g.pk))
    ]
    return out


@router.put("/api/groups/{gid}", openapi_extra=body_doc(GroupBody))
def edit_group(
    gid: str,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    g = require_group(db, caller, gid, Access.ADMIN)
    if not isinstance(payload, dict):
        raise bad_request("Expected a JSON object")
    if not set(payload) - {"baseUpdated"}:
        raise bad_request("Empty update: give at least one field to change")
    refuse_unknown(payload, GROUP_FIELDS)
    check_not_stale(
        request,
        payload,
        version_ms(g.created, g.updated),
        "group",
        group_json(db, g, caller, True),
    )
    _apply(g, payload, False)
    g.updated = now()
    db.commit()
    # ``_id`` (the group's code) stays: named ignored, as any field a group does not keep
    kept = {"label", "tags", "baseUpdated"}
    return crud.report_ignored({"modified": 1}, sorted(k for k in payload if k not in kept))


@router.delete("/api/groups/{gid}")
def delete_group(
    gid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    """Projects of the group stay (their ``group`` becomes null), as the FK says."""
    g = require_group(db, caller, gid, Access.ADMIN)
    db.delete(g)
    db.commit()
    return {"deleted": 1}
