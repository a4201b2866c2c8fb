"""Single permissions and group permissions, as scitran/core's ``PermissionsListHandler``.

``GET /api/groups/{id}/permissions/{_id}`` and ``GET /api/{projects|collections}/{id}/
permissions/{_id}``: ``{"_id": <login>, "access"}`` (the user themself or a holder of
admin access; 404 when the login holds none).  ``POST /api/groups/{id}/permissions``,
``PUT|DELETE …/permissions/{_id}`` change a group permission (group admins; PUT and
DELETE 404 when there is none).  With ``?propagate=true`` the change reaches every
project of the group, as SciTran propagates it down its hierarchy (sessions and
acquisitions inherit their project's permissions here).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.project import Project
from desktop_app.model.scitran import ContainerType, Group
from desktop_app.model.security import Access
from desktop_app.protocol.scitran.edits import AccessBody, PermissionBody
from desktop_app.server import scitran_grants as grants
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import bad_request, not_found
from desktop_app.server.routes.scitran.container_permissions import (
    PERMISSION_FIELDS,
    target_of,
)
from desktop_app.server.scitran_access import (
    parse_id,
    require_container,
    require_group,
)
from desktop_app.server.scitran_feed import touch
from desktop_app.server.scitran_fields import refuse_unknown
from desktop_app.server.wire import body_doc, now, parse_body, request_json

router = APIRouter()

Json = dict[str, Any]


def _level(caller: Caller, h: grants.Holder) -> Access:
    """Reading your own permission needs read access; anyone else's, admin access."""
    return Access.RO if h.user_pk in (caller.pk, caller.rights_pk) else Access.ADMIN


def _answer(db: Session, t: grants.Target, h: grants.Holder, uid: str) -> Json:
    access = grants.get(db, t, h)
    if access is None:
        raise not_found("Permission", uid[:80])
    return {"_id": h.login, "access": access.value}


@router.get("/api/groups/{gid}/permissions/{uid}")
def get_group_permission(
    gid: str, uid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    h = grants.holder(db, uid)
    g = require_group(db, caller, gid, _level(caller, h))
    return _answer(db, grants.Target(grants.Kind.GROUP, g.pk), h, uid)


def _propagates(request: Request) -> bool:
    return request.query_params.get("propagate") == "true"


def _set_group(
    db: Session,
    caller: Caller,
    request: Request,
    g: Group,
    h: grants.Holder,
    access: Access | None,
) -> Json:
    """Change ``h``'s group permission, and with ``?propagate=true`` its permission on
    each of the group's projects (set where it holds one or not, removed where it does)."""
    grants.put(db, grants.Target(grants.Kind.GROUP, g.pk), h, access, caller.pk)
    if _propagates(request):
        for p in db.scalars(
            select(Project).where(Project.group_pk == g.pk, Project.deleted.is_(None))
        ):
            t = grants.Target(grants.Kind.PROJECT, p.pk)
            if access is None and grants.get(db, t, h) is None:
                continue
            grants.put(db, t, h, access, caller.pk)
            touch(db, caller, ContainerType.PROJECT, p)
    g.updated = now()
    db.commit()
    return {"modified": 1}


@router.post("/api/groups/{gid}/permissions", openapi_extra=body_doc(PermissionBody))
def add_group_permission(
    gid: str,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    g = require_group(db, caller, gid, Access.ADMIN)
    body = parse_body(PermissionBody, payload)
    h = grants.body_holder(db, body.id)
    return _set_group(db, caller, request, g, h, Access(body.access))


@router.put("/api/groups/{gid}/permissions/{uid}", openapi_extra=body_doc(AccessBody))
def edit_group_permission(
    gid: str,
    uid: str,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    """The new access of ``uid``'s group permission.  The body may repeat ``_id`` (as
    SciTran's clients send the whole permission); another login is refused, where the
    project and collection routes move the permission: a group change propagates to
    the group's projects, where moving it would rewrite everyone's rights."""
    g = require_group(db, caller, gid, Access.ADMIN)
    if not isinstance(payload, dict) or not payload:
        raise bad_request("Expected a JSON object with access")
    refuse_unknown(payload, PERMISSION_FIELDS)
    if payload.get("_id", uid) != uid:
        raise bad_request("A group permission keeps its _id: remove it and add the other login")
    h = grants.holder(db, uid)
    if grants.get(db, grants.Target(grants.Kind.GROUP, g.pk), h) is None:
        raise not_found("Permission", uid[:80])
    access = Access(parse_body(AccessBody, {"access": payload.get("access")}).access)
    return _set_group(db, caller, request, g, h, access)


@router.delete("/api/groups/{gid}/permissions/{uid}")
def delete_group_permission(
    gid: str,
    uid: str,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    g = require_group(db, caller, gid, Access.ADMIN)
    return _set_group(db, caller, request, g, grants.holder(db, uid), None)


def _register(segment: str, ctype: ContainerType) -> None:
    def get_permission(
        cid: str, uid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
    ) -> Json:
        h = grants.holder(db, uid)
        row = require_container(db, caller, ctype, parse_id(cid, ctype.value), _level(caller, h))
        return _answer(db, target_of(ctype, row), h, uid)

    router.add_api_route(
        f"/api/{segment}/{{cid}}/permissions/{{uid}}",
        get_permission,
        methods=["GET"],
        name=f"scitran_get_perm_{segment}",
    )


_register("projects", ContainerType.PROJECT)
_register("collections", ContainerType.COLLECTION)
