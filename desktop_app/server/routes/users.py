"""Users: listing, lookup by id or username, admin CRUD, and keys for their owner."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation
from desktop_app.model.history import Command
from desktop_app.model.image import AbstractImage, Storage, UploadedFile
from desktop_app.model.security import RoleName, User
from desktop_app.protocol.cytomine.answers_project import UserJson
from desktop_app.protocol.cytomine.users import NewUserBody, UserEditBody
from desktop_app.server import crud
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.bootstrap import add_user
from desktop_app.server.crud import MAX_BULK
from desktop_app.server.db import get_db
from desktop_app.server.errors import ApiError, bad_request, not_found
from desktop_app.server.rights import require_admin, require_may_manage
from desktop_app.server.secret import user_keys as clear_keys
from desktop_app.server.serial_user import user_json
from desktop_app.server.wire import answer_doc, body_doc, now, page, parse_body, request_json

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


@router.get("/api/user.json", openapi_extra=answer_doc(UserJson, listed=True))
def list_users(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    users = db.scalars(select(User).where(User.algo.is_(False)).order_by(User.pk))
    return page([user_json(u, caller) for u in users], request)


@router.get("/api/user/{ident}.json")
def get_user(
    ident: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    return user_json(_find(db, ident), caller)


@router.get("/api/user/{ident}/keys.json")
def user_keys(
    ident: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    user = _find(db, ident)
    require_may_manage(caller, user)
    public, private = clear_keys(user)
    return {"publicKey": public, "privateKey": private}


def _create_one(db: Session, caller: Caller, raw: Any) -> User:
    """One account from a JSON object (role from ``role``: user by default); no commit."""
    body = parse_body(NewUserBody, raw)
    username = body.username
    try:
        role = RoleName(body.role or "user")
    except ValueError as exc:
        raise bad_request("role must be superadmin, admin, user or guest") from exc
    if role is RoleName.SUPERADMIN and not caller.is_superadmin:
        raise ApiError(403, "Only a superadmin may create a superadmin")
    try:
        keys = add_user(db, username, role)
    except ValueError as exc:
        raise ApiError(409, str(exc)) from exc
    user = db.get(User, keys["id"])
    assert user is not None
    for field in ("firstname", "lastname", "email"):
        if getattr(body, field) is not None:
            setattr(user, field, getattr(body, field))
    return user


@router.post("/api/user.json", openapi_extra=body_doc(NewUserBody, many=True))
def create_user(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> dict[str, Any]:
    """Admins create accounts; a JSON array creates several, all or none (bulk save)."""
    require_admin(caller)
    if isinstance(payload, list):
        if not payload or len(payload) > MAX_BULK:
            raise bad_request(f"Expected between 1 and {MAX_BULK} objects")
        users = []
        for index, item in enumerate(payload):
            try:
                users.append(_create_one(db, caller, item))
                db.flush()
            except ApiError as exc:
                db.rollback()
                raise ApiError(
                    exc.status,
                    f"No entry saved: item {index}: {exc.message}",
                    errorList=[{"index": index, "message": exc.message}],
                ) from exc
        db.commit()
        ids = ",".join(str(u.pk) for u in users)
        return {
            "status": 200,
            "data": {
                "message": f"Users {ids} added",
                "collection": [user_json(u, caller) for u in users],
            },
        }
    user = _create_one(db, caller, payload)
    db.commit()
    return {
        "message": f"User {user.pk} added",
        "printMessage": True,
        "user": user_json(user, caller),
    }


@router.put("/api/user/{ident}.json", openapi_extra=body_doc(UserEditBody))
def edit_user(
    ident: str,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> dict[str, Any]:
    user = _find(db, ident)
    require_may_manage(caller, user)
    body = parse_body(UserEditBody, payload)
    for field in ("firstname", "lastname", "email", "language", "color"):
        if body.sent(field):
            setattr(user, field, getattr(body, field))
    username = body.username
    if username is not None and username != user.username:
        if not username.strip():
            raise bad_request("username must not be empty")
        taken = db.scalars(select(User.pk).where(User.username == username)).first()
        if taken is not None:
            raise ApiError(409, f"User {username!r} already exists")
        user.username = username
    user.updated = now()
    db.commit()
    out = {
        "message": f"User {user.pk} edited",
        "printMessage": True,
        "user": user_json(user, caller),
    }
    return crud.report_ignored(out, crud.ignored_fields(UserEditBody, payload))


def _never_wrote(db: Session, user: User) -> bool:
    """No command, annotation, upload or image of theirs: nothing would lose its author."""
    for model in (Command, Annotation, UploadedFile, AbstractImage):
        if db.scalars(select(model.pk).where(model.user_pk == user.pk).limit(1)).first():
            return False
    theirs = select(Storage.pk).where(Storage.user_pk == user.pk)
    used = select(UploadedFile.pk).where(UploadedFile.storage_pk.in_(theirs)).limit(1)
    return db.scalars(used).first() is None


@router.delete("/api/user/{ident}.json")
def delete_user(
    ident: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    """Deletes an account that never wrote anything (as Cytomine); otherwise disables it,
    since annotations and history keep pointing at their author."""
    require_admin(caller)
    user = _find(db, ident)
    if user.pk == caller.pk:
        raise bad_request("You cannot delete yourself")
    require_may_manage(caller, user)
    out = user_json(user, caller)
    if _never_wrote(db, user):
        try:
            for storage in db.scalars(select(Storage).where(Storage.user_pk == user.pk)):
                db.delete(storage)
            db.delete(user)
            db.commit()
            return {"message": f"User {out['id']} deleted", "printMessage": True, "user": out}
        except IntegrityError:
            db.rollback()
            user = _find(db, ident)
    user.enabled = False
    user.updated = now()
    db.commit()
    return {
        "message": f"User {user.pk} deleted",
        "printMessage": True,
        "user": user_json(user, caller),
    }
