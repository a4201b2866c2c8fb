"""Permissions of projects and collections: ``POST /api/{c}/{id}/permissions``,
``GET|PUT|DELETE …/permissions/{uid}`` (SciTran's ``{"_id", "access"}``).

Projects keep theirs as Cytomine project members (and their change feed says so);
collections in ``container_permission``.  A PUT is SciTran's partial update: a new
``_id`` moves the permission to that user, 404 if they hold one already; a field other
than ``_id``/``access`` is 400 (SciTran's permission schema).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.project import ProjectMember
from desktop_app.model.scitran import ContainerPermission, ContainerType
from desktop_app.model.security import Access, User
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import bad_request, not_found
from desktop_app.server.feed import record_change
from desktop_app.server.scitran_access import (
    parse_access,
    parse_id,
    parse_user_id,
    require_container,
)
from desktop_app.server.scitran_feed import touch
from desktop_app.server.scitran_fields import refuse_unknown
from desktop_app.server.wire import ms, now, request_json

Json = dict[str, Any]


def body_of(raw: Any) -> Json:
    if not isinstance(raw, dict):
        raise bad_request("Expected a JSON object")
    return raw


def user_pk_of(db: Session, raw: Any) -> int:
    """The user a permission body names (pk or username); 400 if there is none."""
    pk = parse_user_id(db, raw)
    if db.get(User, pk) is None:
        raise bad_request(f"User {pk} does not exist")
    return pk


def _set_permission(
    db: Session,
    caller: Caller,
    ctype: ContainerType,
    cid: str,
    user_pk: int,
    access: Access | None,
    commit: bool = True,
) -> Json:
    row = require_container(db, caller, ctype, parse_id(cid, ctype.value), Access.ADMIN)
    if ctype is ContainerType.PROJECT:
        member = db.get(ProjectMember, (row.pk, user_pk))
        current: Any = member
    else:
        current = db.get(ContainerPermission, (ctype, row.pk, user_pk))
    if access is None:
        if current is None:
            raise not_found("Permission", user_pk)
        db.delete(current)
    elif current is None:
        cls = ProjectMember if ctype is ContainerType.PROJECT else ContainerPermission
        extra = (
            {"project_pk": row.pk}
            if ctype is ContainerType.PROJECT
            else {"container_type": ctype, "container_pk": row.pk}
        )
        db.add(cls(user_pk=user_pk, access=access, **extra))
    else:
        current.access = access
    if ctype is ContainerType.PROJECT:
        action = "deleted" if access is None else ("created" if current is None else "updated")
        record_change(db, [row.pk], "projectmember", user_pk, None, action, ms(now()), caller.pk)
    touch(db, caller, ctype, row)
    if commit:
        db.commit()
    return {"modified": 1}


#: SciTran's permission schema (``_id``, ``access``; nothing else).
PERMISSION_FIELDS = frozenset({"_id", "access"})


def permission_of(db: Session, ctype: ContainerType, pk: int) -> dict[int, Access]:
    """user pk -> access on the container ``pk`` (project members, else container rows)."""
    if ctype is ContainerType.PROJECT:
        rows = db.execute(
            select(ProjectMember.user_pk, ProjectMember.access).where(
                ProjectMember.project_pk == pk
            )
        )
    else:
        rows = db.execute(
            select(ContainerPermission.user_pk, ContainerPermission.access).where(
                ContainerPermission.container_type == ctype,
                ContainerPermission.container_pk == pk,
            )
        )
    return dict(rows.all())


def register_permissions(router: APIRouter, segment: str, ctype: ContainerType) -> None:
    def add(
        cid: str,
        request: Request,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
        payload: Any = Depends(request_json),
    ) -> Json:
        """Body ``{"_id": user id, "access": "ro"|"rw"|"admin"}`` (``uid`` also accepted)."""
        body = body_of(payload)
        access = parse_access(body.get("access"))
        return _set_permission(
            db, caller, ctype, cid, user_pk_of(db, body.get("_id", body.get("uid"))), access
        )

    def edit(
        cid: str,
        uid: str,
        request: Request,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
        payload: Any = Depends(request_json),
    ) -> Json:
        """SciTran's partial update of ``{"_id", "access"}``: a new ``_id`` moves the
        permission to that user (404 if they hold one already, as SciTran)."""
        body = body_of(payload)
        # Rights before content: a caller who may not edit learns nothing from the body.
        row = require_container(db, caller, ctype, parse_id(cid, ctype.value), Access.ADMIN)
        refuse_unknown(body, PERMISSION_FIELDS)
        if not body:
            raise bad_request("Empty update: give access or _id")
        old = parse_user_id(db, uid)
        new = user_pk_of(db, body["_id"]) if "_id" in body else old
        access = parse_access(body["access"]) if "access" in body else None
        if new == old:
            if access is None:
                raise bad_request("Empty update: give access or _id")
            return _set_permission(db, caller, ctype, cid, old, access)
        held = permission_of(db, ctype, row.pk)
        if old not in held or new in held:
            raise not_found("Permission", uid)
        _set_permission(db, caller, ctype, cid, old, None, commit=False)  # one transaction
        return _set_permission(db, caller, ctype, cid, new, access or held[old])

    def remove(
        cid: str, uid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
    ) -> Json:
        return _set_permission(db, caller, ctype, cid, parse_user_id(db, uid), None)

    base = f"/api/{segment}/{{cid}}/permissions"
    router.add_api_route(base, add, methods=["POST"], name=f"scitran_add_perm_{segment}")
    router.add_api_route(
        f"{base}/{{uid}}", edit, methods=["PUT"], name=f"scitran_edit_perm_{segment}"
    )
    router.add_api_route(
        f"{base}/{{uid}}", remove, methods=["DELETE"], name=f"scitran_del_perm_{segment}"
    )
