"""Permissions of projects and collections: ``POST /api/{c}/{id}/permissions``,
``GET|PUT|DELETE …/permissions/{_id}`` (SciTran's ``{"_id": <login>, "access"}``).

Projects keep theirs as Cytomine project members (and their change feed says so);
collections in ``container_permission``; a login with no account in
``pending_permission`` (``scitran_grants``).  A PUT is SciTran's partial update: a new
``_id`` moves the permission to that login, 404 if it holds one already; a field other
than ``_id``/``access`` is 400 (SciTran's permission schema).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from desktop_app.model.scitran import ContainerType
from desktop_app.model.security import Access
from desktop_app.protocol.scitran.edits import PermissionBody, PermissionEdit
from desktop_app.server import scitran_grants as grants
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import bad_request, not_found
from desktop_app.server.scitran_access import parse_id, require_container
from desktop_app.server.scitran_feed import touch
from desktop_app.server.scitran_fields import refuse_unknown
from desktop_app.server.wire import body_doc, parse_body, request_json

Json = dict[str, Any]


def target_of(ctype: ContainerType, row: Any) -> grants.Target:
    kind = grants.Kind.PROJECT if ctype is ContainerType.PROJECT else grants.Kind.COLLECTION
    return grants.Target(kind, row.pk)


#: SciTran's permission schema (``_id``, ``access``; nothing else).
PERMISSION_FIELDS = frozenset({"_id", "access"})


def register_permissions(router: APIRouter, segment: str, ctype: ContainerType) -> None:
    def _admin(db: Session, caller: Caller, cid: str) -> Any:
        return require_container(db, caller, ctype, parse_id(cid, ctype.value), Access.ADMIN)

    def _done(db: Session, caller: Caller, row: Any) -> Json:
        touch(db, caller, ctype, row)
        db.commit()
        return {"modified": 1}

    def add(
        cid: str,
        request: Request,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
        payload: Any = Depends(request_json),
    ) -> Json:
        """Body ``{"_id": login, "access": "ro"|"rw"|"admin"}`` (``uid`` also accepted)."""
        row = _admin(db, caller, cid)
        body = parse_body(PermissionBody, payload)
        h = grants.body_holder(db, body.id)
        grants.put(db, target_of(ctype, row), h, Access(body.access), caller.pk)
        return _done(db, caller, row)

    def edit(
        cid: str,
        uid: str,
        request: Request,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
        payload: Any = Depends(request_json),
    ) -> Json:
        """SciTran's partial update of ``{"_id", "access"}``: a new ``_id`` moves the
        permission to that login (404 if it holds one already, as SciTran)."""
        if not isinstance(payload, dict):
            raise bad_request("Expected a JSON object")
        # Rights before content: a caller who may not edit learns nothing from the body.
        row = _admin(db, caller, cid)
        refuse_unknown(payload, PERMISSION_FIELDS)
        if not payload:
            raise bad_request("Empty update: give access or _id")
        body = parse_body(PermissionEdit, payload)
        t = target_of(ctype, row)
        old = grants.holder(db, uid)
        new = grants.body_holder(db, body.id) if body.id is not None else old
        access = Access(body.access) if body.access is not None else None
        held = grants.get(db, t, old)
        if new.login == old.login:
            if access is None:
                raise bad_request("Empty update: give access or _id")
            if held is None:
                raise not_found("Permission", uid[:80])
            grants.put(db, t, old, access, caller.pk)
            return _done(db, caller, row)
        if held is None or grants.get(db, t, new) is not None:
            raise not_found("Permission", uid[:80])
        grants.put(db, t, old, None, caller.pk)  # one transaction
        grants.put(db, t, new, access or held, caller.pk)
        return _done(db, caller, row)

    def remove(
        cid: str, uid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
    ) -> Json:
        row = _admin(db, caller, cid)
        grants.put(db, target_of(ctype, row), grants.holder(db, uid), None, caller.pk)
        return _done(db, caller, row)

    base = f"/api/{segment}/{{cid}}/permissions"
    router.add_api_route(
        base,
        add,
        methods=["POST"],
        name=f"scitran_add_perm_{segment}",
        openapi_extra=body_doc(PermissionBody),
    )
    router.add_api_route(
        f"{base}/{{uid}}",
        edit,
        methods=["PUT"],
        name=f"scitran_edit_perm_{segment}",
        openapi_extra=body_doc(PermissionEdit),
    )
    router.add_api_route(
        f"{base}/{{uid}}", remove, methods=["DELETE"], name=f"scitran_del_perm_{segment}"
    )
