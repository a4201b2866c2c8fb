"""Lookups the official client makes about users, roles, keys and ontologies.

* ``GET /api/ontology/{id}/project.json``: the projects using an ontology that the
  caller may read (admins: all).  ``GET /api/ontology/{id}/user.json``: the members of
  those projects.  Both need read access to the ontology.
* ``GET /api/userkey/{publicKey}/keys.json``: a key pair, for its owner or an admin.
* ``GET /api/signature.json``: the caller's own signature of a request described by
  ``method``, ``content-MD5``, ``content-type``, ``date`` and ``forwardURI`` (Cytomine
  lets a page sign a URL it hands to another tool).
* Roles (Cytomine ``SecRole``) are read by everyone; a user's roles
  (``SecUserSecRole``) by the user and admins; only admins add or remove them, and only
  a superadmin grants or takes ``ROLE_SUPER_ADMIN``.  The pair ``(user, role)`` is the
  key: ``id`` in the JSON is the role's id.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.project import Project, ProjectMember
from desktop_app.model.security import Authority, Role, User, UserRole
from desktop_app.protocol.cytomine.users import UserRoleBody
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import ApiError, bad_request, forbidden, not_found
from desktop_app.server.hmac_auth import sign
from desktop_app.server.rights import require_admin, require_may_manage, visible_project_pks
from desktop_app.server.routes.ontology import require_ontology
from desktop_app.server.secret import user_keys as clear_keys
from desktop_app.server.serial import project_json
from desktop_app.server.serial_user import user_json
from desktop_app.server.wire import body_doc, page, parse_body, request_json

router = APIRouter()

Json = dict[str, Any]

ROLE_CLASS = "be.cytomine.domain.security.SecRole"
USER_ROLE_CLASS = "be.cytomine.domain.security.SecUserSecRole"


def _ontology_projects(db: Session, caller: Caller, pk: int) -> list[Project]:
    require_ontology(db, caller, pk)
    q = (
        select(Project)
        .where(Project.ontology_pk == pk, Project.deleted.is_(None))
        .order_by(Project.pk)
    )
    visible = visible_project_pks(db, caller)
    if visible is not None:
        q = q.where(Project.pk.in_(visible))
    return list(db.scalars(q))


@router.get("/api/ontology/{pk}/project.json")
def ontology_projects(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    return page([project_json(db, p) for p in _ontology_projects(db, caller, pk)], request)


@router.get("/api/ontology/{pk}/user.json")
def ontology_users(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    projects = [p.pk for p in _ontology_projects(db, caller, pk)]
    users = db.scalars(
        select(User)
        .where(
            User.pk.in_(select(ProjectMember.user_pk).where(ProjectMember.project_pk.in_(projects)))
        )
        .order_by(User.pk)
    )
    return page([user_json(u, caller) for u in users], request)


@router.get("/api/userkey/{public_key}/keys.json")
def keys_by_public_key(
    public_key: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    user = db.scalars(select(User).where(User.public_key == public_key)).first()
    if user is None:
        raise not_found("User", f"publicKey={public_key[:64]}")
    require_may_manage(caller, user)
    public, private = clear_keys(user)
    return {"publicKey": public, "privateKey": private}


@router.get("/api/signature.json")
def signature(request: Request, caller: Caller = Depends(current_caller)) -> Json:
    q = request.query_params
    method = (q.get("method") or "GET").upper()
    if method not in ("GET", "POST", "PUT", "DELETE", "HEAD"):
        raise bad_request("method must be GET, POST, PUT, DELETE or HEAD")
    token = f"{method}\n{q.get('content-MD5') or ''}\n{q.get('content-type') or ''}\n"
    token += q.get("date") or ""
    if q.get("forwardURI"):
        token += "\n" + q["forwardURI"]
    return {"signature": sign(clear_keys(caller.user)[1] or "", token)}


def _role_json(r: Role) -> Json:
    return {"class": ROLE_CLASS, "id": r.pk, "authority": str(r.authority)}


def _user_role_json(user_pk: int, r: Role) -> Json:
    return {
        "class": USER_ROLE_CLASS,
        "id": r.pk,
        "user": user_pk,
        "role": r.pk,
        "authority": str(r.authority),
    }


@router.get("/api/role.json")
def list_roles(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    return page([_role_json(r) for r in db.scalars(select(Role).order_by(Role.pk))], request)


@router.get("/api/role/{pk}.json")
def get_role(
    pk: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    r = db.get(Role, pk)
    if r is None:
        raise not_found("SecRole", pk)
    return _role_json(r)


def _user(db: Session, caller: Caller, pk: int) -> User:
    user = db.get(User, pk)
    if user is None:
        raise not_found("User", pk)
    require_may_manage(caller, user)
    return user


def _role(db: Session, pk: int) -> Role:
    r = db.get(Role, pk)
    if r is None:
        raise not_found("SecRole", pk)
    return r


def _may_change(caller: Caller, r: Role) -> None:
    require_admin(caller)
    if r.authority == Authority.ROLE_SUPER_ADMIN and not caller.is_superadmin:
        raise forbidden("Only a superadmin grants or removes the superadmin role")


@router.get("/api/user/{user_pk}/role.json")
def user_roles(
    user_pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    _user(db, caller, user_pk)
    roles = db.scalars(
        select(Role)
        .join(UserRole, UserRole.sec_role_pk == Role.pk)
        .where(UserRole.sec_user_pk == user_pk)
        .order_by(Role.pk)
    )
    return page([_user_role_json(user_pk, r) for r in roles], request)


@router.get("/api/user/{user_pk}/role/{role_pk}.json")
def user_role(
    user_pk: int,
    role_pk: int,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    _user(db, caller, user_pk)
    if db.get(UserRole, (user_pk, role_pk)) is None:
        raise not_found("SecUserSecRole", f"{user_pk}/{role_pk}")
    return _user_role_json(user_pk, _role(db, role_pk))


@router.post("/api/user/{user_pk}/role.json", openapi_extra=body_doc(UserRoleBody))
def add_user_role(
    user_pk: int,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    _user(db, caller, user_pk)
    r = _role(db, parse_body(UserRoleBody, payload).role)
    _may_change(caller, r)
    if db.get(UserRole, (user_pk, r.pk)) is not None:
        raise ApiError(409, f"User {user_pk} already has role {r.authority}")
    db.add(UserRole(sec_user_pk=user_pk, sec_role_pk=r.pk))
    db.commit()
    obj = _user_role_json(user_pk, r)
    return {"message": f"SecUserSecRole {r.pk} added", "printMessage": True, "secusersecrole": obj}


@router.delete("/api/user/{user_pk}/role/{role_pk}.json")
def delete_user_role(
    user_pk: int,
    role_pk: int,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    _user(db, caller, user_pk)
    r = _role(db, role_pk)
    _may_change(caller, r)
    link = db.get(UserRole, (user_pk, role_pk))
    if link is None:
        raise not_found("SecUserSecRole", f"{user_pk}/{role_pk}")
    if user_pk == caller.pk and r.authority in (Authority.ROLE_ADMIN, Authority.ROLE_SUPER_ADMIN):
        raise bad_request("You cannot remove your own administrator role")
    db.delete(link)
    db.commit()
    obj = _user_role_json(user_pk, r)
    return {
        "message": f"SecUserSecRole {r.pk} deleted",
        "printMessage": True,
        "secusersecrole": obj,
    }
