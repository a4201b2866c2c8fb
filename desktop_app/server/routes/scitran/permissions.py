"""Single permissions, as scitran/core's ``PermissionsListHandler`` answers them.

``GET /api/groups/{id}/permissions/{uid}`` and ``GET /api/{projects|collections}/{id}/
permissions/{uid}``: ``{"_id", "access"}`` (the user themself or a holder of admin
access; 404 when the user holds none).  ``PUT /api/groups/{id}/permissions/{uid}``
with ``{"access"}`` changes a group permission (group admins; 404 when there is none
to change).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.project import ProjectMember
from desktop_app.model.scitran import ContainerPermission, ContainerType, GroupPermission
from desktop_app.model.security import Access
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import bad_request, not_found
from desktop_app.server.scitran_access import (
    parse_access,
    parse_id,
    parse_user_id,
    require_container,
    require_group,
)
from desktop_app.server.wire import now, request_json

router = APIRouter()

Json = dict[str, Any]


def _level(caller: Caller, user_pk: int) -> Access:
    """Reading your own permission needs read access; anyone else's, admin access."""
    return Access.RO if user_pk in (caller.pk, caller.rights_pk) else Access.ADMIN


@router.get("/api/groups/{gid}/permissions/{uid}")
def get_group_permission(
    gid: str, uid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    user_pk = parse_user_id(db, uid)
    g = require_group(db, caller, gid, _level(caller, user_pk))
    perm = db.get(GroupPermission, (g.pk, user_pk))
    if perm is None:
        raise not_found("Permission", uid)
    return {"_id": str(user_pk), "access": perm.access.value}


@router.put("/api/groups/{gid}/permissions/{uid}")
def edit_group_permission(
    gid: str,
    uid: str,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    g = require_group(db, caller, gid, Access.ADMIN)
    if not isinstance(payload, dict) or not payload:
        raise bad_request("Expected a JSON object with access")
    perm = db.get(GroupPermission, (g.pk, parse_user_id(db, uid)))
    if perm is None:
        raise not_found("Permission", uid)
    perm.access = parse_access(payload.get("access"))
    g.updated = now()
    db.commit()
    return {"modified": 1}


def _register(segment: str, ctype: ContainerType) -> None:
    def get_permission(
        cid: str, uid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
    ) -> Json:
        user_pk = parse_user_id(db, uid)
        row = require_container(
            db, caller, ctype, parse_id(cid, ctype.value), _level(caller, user_pk)
        )
        if ctype is ContainerType.PROJECT:
            perm: Any = db.get(ProjectMember, (row.pk, user_pk))
        else:
            perm = db.scalars(
                select(ContainerPermission).where(
                    ContainerPermission.container_type == ctype,
                    ContainerPermission.container_pk == row.pk,
                    ContainerPermission.user_pk == user_pk,
                )
            ).first()
        if perm is None:
            raise not_found("Permission", uid)
        return {"_id": str(user_pk), "access": perm.access.value}

    router.add_api_route(
        f"/api/{segment}/{{cid}}/permissions/{{uid}}",
        get_permission,
        methods=["GET"],
        name=f"scitran_get_perm_{segment}",
    )


_register("projects", ContainerType.PROJECT)
_register("collections", ContainerType.COLLECTION)
