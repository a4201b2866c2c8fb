"""SciTran users: ``/api/users/self`` is the only place the caller's API ``key`` appears.

The key is generated on first request if the account has none (accounts created before
keys existed); the write uses its own short write transaction so a GET stays a GET for
everything else.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.security import User
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import not_found
from desktop_app.server.scitran_grants import require_account
from desktop_app.server.scitran_key import is_current_form
from desktop_app.server.scitran_key import new_key as new_api_key
from desktop_app.server.serial_user import shows_email
from desktop_app.server.wire import iso

router = APIRouter()
Json = dict[str, Any]


def scitran_user(u: User, viewer: Caller) -> Json:
    return {
        "_id": u.username,  # SciTran user ids are logins
        "created": iso(u.created),
        "modified": iso(u.updated or u.created),
        "firstname": u.firstname,
        "lastname": u.lastname,
        "email": u.email if shows_email(viewer, u) else None,
        "avatar": u.avatar,
        "avatars": dict(u.avatars or {}),
        "root": bool(u.root),
    }


@router.get("/api/users/self")
def users_self(request: Request, caller: Caller = Depends(current_caller)) -> Json:
    user = caller.user
    secret = request.app.state.secret
    key = secret.open(user.api_key)
    if not is_current_form(key, user.pk):
        # No key yet, or one of the form older than the scitran-user scheme (never accepted).
        with request.app.state.write_sessions() as wdb:
            row = wdb.get(User, user.pk)
            assert row is not None
            key = secret.open(row.api_key)
            if not is_current_form(key, row.pk):
                key = new_api_key(row.pk)
                row.api_key = secret.seal(key)
                wdb.commit()
    out = scitran_user(user, caller)
    out["root"] = bool(user.root) or caller.is_superadmin
    out["key"] = key
    return out


@router.get("/api/users")
def list_users(
    db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> list[Json]:
    users = db.scalars(select(User).where(User.algo.is_(False)).order_by(User.pk))
    return [scitran_user(u, caller) for u in users]


@router.get("/api/users/{uid}")
def get_user(
    uid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    user = db.get(User, require_account(db, uid))
    if user is None or user.algo:
        raise not_found("User", uid)
    return scitran_user(user, caller)
