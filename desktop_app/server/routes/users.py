"""Users: listing, lookup by id or username, admin CRUD, and keys for their owner."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.security import RoleName, User
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.bootstrap import add_user
from desktop_app.server.db import get_db
from desktop_app.server.errors import ApiError, bad_request, not_found
from desktop_app.server.rights import require_admin, require_self_or_admin
from desktop_app.server.serial_user import user_json
from desktop_app.server.wire import as_str, now, page, request_json

router = APIRouter()


def _find(db: Session, ident: str) -> User:
    user = None
    if ident.isascii() and ident.isdigit():
        user = db.get(User, int(ident))
    if user is None:
        user = db.scalars(select(User).where(User.username == ident)).first()
    if user is None:
        raise not_found("User", ident)
    return user


@router.get("/api/user.json")
def list_users(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    users = db.scalars(select(User).where(User.algo.is_(False)).order_by(User.pk))
    return page([user_json(u) for u in users], request)


@router.get("/api/user/{ident}.json")
def get_user(
    ident: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    return user_json(_find(db, ident))


@router.get("/api/user/{ident}/keys.json")
def user_keys(
    ident: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    user = _find(db, ident)
    require_self_or_admin(caller, user.pk)
    return {"publicKey": user.public_key, "privateKey": user.private_key}


@router.post("/api/user.json")
def create_user(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> dict[str, Any]:
    """Admins create accounts (role from ``role``: user by default)."""
    require_admin(caller)
    body = payload
    if not isinstance(body, dict):
        raise bad_request("Expected a JSON object")
    username = as_str(body.get("username"), "username", required=True, max_len=255)
    try:
        role = RoleName(body.get("role") or "user")
    except ValueError as exc:
        raise bad_request("role must be superadmin, admin, user or guest") from exc
    if role is RoleName.SUPERADMIN and not caller.is_superadmin:
        raise ApiError(403, "Only a superadmin may create a superadmin")
    try:
        keys = add_user(db, username or "", role)
    except ValueError as exc:
        raise ApiError(409, str(exc)) from exc
    user = db.get(User, keys["id"])
    assert user is not None
    for field, attr in (("firstname", "firstname"), ("lastname", "lastname"), ("email", "email")):
        if body.get(field) is not None:
            setattr(user, attr, as_str(body.get(field), field, max_len=255))
    db.commit()
    return {"message": f"User {user.pk} added", "printMessage": True, "user": user_json(user)}


@router.put("/api/user/{ident}.json")
def edit_user(
    ident: str,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> dict[str, Any]:
    user = _find(db, ident)
    require_self_or_admin(caller, user.pk)
    body = payload
    if not isinstance(body, dict):
        raise bad_request("Expected a JSON object")
    for field in ("firstname", "lastname", "email", "language", "color"):
        if field in body:
            setattr(user, field, as_str(body.get(field), field, max_len=255))
    user.updated = now()
    db.commit()
    return {"message": f"User {user.pk} edited", "printMessage": True, "user": user_json(user)}


@router.delete("/api/user/{ident}.json")
def delete_user(
    ident: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    """Disables the account (rows keep pointing at it, as annotations must)."""
    require_admin(caller)
    user = _find(db, ident)
    if user.pk == caller.pk:
        raise bad_request("You cannot delete yourself")
    user.enabled = False
    user.updated = now()
    db.commit()
    return {"message": f"User {user.pk} deleted", "printMessage": True, "user": user_json(user)}
