"""SciTran ``PUT /api/users/{id}`` and ``DELETE /api/users/{id}``.

PUT is SciTran's partial update (``user-update``): ``firstname``, ``lastname``,
``email``, ``avatar``/``avatars`` (https URLs only, as SciTran enforces) and, for
admins, ``disabled`` (with ``?clear_permissions=1`` the user's project, group and
container permissions go too).  Fields SciTran allows that our model does not keep
(``root``, ``preferences``, ``firstlogin``, ``lastlogin``, ``wechat``, a new ``_id``) are
named in ``"ignored"``; others are 400; ``{}`` is 400.  The rights are the Cytomine
user's: oneself or an admin, and only a superadmin touches a superadmin.  DELETE is the
Cytomine delete (an account that wrote something is disabled instead): ``{"deleted": 1}``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import delete as sql_delete
from sqlalchemy.orm import Session

from desktop_app.model.project import ProjectMember
from desktop_app.model.scitran import ContainerPermission, GroupPermission
from desktop_app.model.security import User
from desktop_app.protocol.scitran.sub import UserUpdateBody
from desktop_app.server import crud
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import bad_request, not_found
from desktop_app.server.rights import require_admin, require_may_manage
from desktop_app.server.routes.users import delete_user
from desktop_app.server.scitran_fields import refuse_unknown
from desktop_app.server.scitran_grants import require_account
from desktop_app.server.wire import body_doc, now, parse_body, request_json

router = APIRouter()
Json = dict[str, Any]

#: What a PUT changes (the rest of SciTran's schema is accepted and named ignored).
KEPT = frozenset({"firstname", "lastname", "email", "avatar", "avatars", "disabled"})
#: SciTran's user-input schema.
USER_FIELDS = frozenset(
    {"_id", "firstname", "lastname", "email", "avatar", "avatars", "disabled", "root"}
    | {"preferences", "firstlogin", "lastlogin", "wechat"}
)


def _user(db: Session, uid: str) -> User:
    user = db.get(User, require_account(db, uid))
    if user is None or user.algo:
        raise not_found("User", uid)
    return user


@router.put("/api/users/{uid}", openapi_extra=body_doc(UserUpdateBody))
def edit_user(
    uid: str,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    user = _user(db, uid)
    require_may_manage(caller, user)
    if not isinstance(payload, dict) or not payload:
        raise bad_request("Empty update: give at least one field to change")
    refuse_unknown(payload, USER_FIELDS)
    if "disabled" in payload:
        require_admin(caller)
    body = parse_body(UserUpdateBody, payload)
    for name in ("firstname", "lastname", "email", "avatars", "avatar"):
        if body.sent(name):
            setattr(user, name, getattr(body, name))
    if body.sent("disabled"):
        user.enabled = not body.disabled
        if body.disabled and request.query_params.get("clear_permissions") in ("1", "true"):
            for model in (ProjectMember, GroupPermission, ContainerPermission):
                db.execute(sql_delete(model).where(model.user_pk == user.pk))
    user.updated = now()
    db.commit()
    return crud.report_ignored({"modified": 1}, sorted(set(payload) - KEPT - {"baseUpdated"}))


@router.delete("/api/users/{uid}")
def remove_user(
    uid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    user = _user(db, uid)
    delete_user(str(user.pk), db, caller)
    return {"deleted": 1}
