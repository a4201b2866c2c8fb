"""SciTran's nested lists and creates, and per-user lists.

* ``GET /api/projects/{id}/sessions``, ``GET /api/sessions/{id}/acquisitions``,
  ``GET /api/collections/{id}/sessions``, ``GET /api/collections/{id}/acquisitions``:
  the children the caller may read (plain arrays, list fields only).
* ``GET /api/sessions/{id}/subject``: the session's subject (names as on the session).
* ``GET /api/users/{id}/groups|projects|sessions``: what that user holds a permission
  on, among what the caller may read (the user themself or an admin).
* ``POST /api/users/self/key``: a new API key for the caller (``{"key"}``);
  ``POST /api/users`` (admins): ``{"_id": username, "firstname", "lastname", "email"}``
  makes an account (role user) and answers ``{"_id"}`` (its login, SciTran's user id),
  409 if the name is taken.
* ``GET /api/{kind}/{id}/notes/{note}``: one note, for readers of the container.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.project import Project, ProjectMember
from desktop_app.model.scitran import Acquisition, ContainerType, Group, GroupPermission, Note
from desktop_app.model.scitran import Session as ScSession
from desktop_app.model.security import RoleName, User
from desktop_app.protocol.scitran.sub import UserNewBody, required_missing
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.bootstrap import add_user as bootstrap_add_user
from desktop_app.server.db import get_db
from desktop_app.server.errors import ApiError, bad_request, not_found
from desktop_app.server.rights import (
    require_admin,
    require_self_or_admin,
    visible_project_pks,
)
from desktop_app.server.routes.scitran.containers import render
from desktop_app.server.scitran_access import KINDS, parse_id, require_container
from desktop_app.server.scitran_grants import require_account
from desktop_app.server.scitran_key import new_key as new_api_key
from desktop_app.server.scitran_public import caller_or_public, public_rows, require_public
from desktop_app.server.secret import secret_of
from desktop_app.server.serial_scitran import acquisition_pks, group_json, note_json
from desktop_app.server.wire import body_doc, parse_body, request_json

router = APIRouter()
Json = dict[str, Any]


def _readable(db: Session, caller: Caller, ctype: ContainerType, rows: Any) -> list[Json]:
    visible = visible_project_pks(db, caller)
    out = []
    for row in rows:
        project = row.project_pk if ctype is ContainerType.SESSION else None
        if ctype is ContainerType.ACQUISITION:
            s = db.get(ScSession, row.session_pk)
            project = s.project_pk if s else None
        if visible is None or project in visible:
            out.append(render(db, caller, ctype, row, False))
    return out


@router.get("/api/projects/{cid}/sessions")
def project_sessions(
    cid: str, db: Session = Depends(get_db), caller: Caller | None = Depends(caller_or_public)
) -> list[Json]:
    """The project's sessions; to the public, its public sessions if it is public."""
    if caller is None:
        p = require_public(db, ContainerType.PROJECT, cid)
        rows: Any = public_rows(db, ContainerType.SESSION, project_pk=p.pk)
    else:
        p = require_container(db, caller, ContainerType.PROJECT, parse_id(cid, "project"))
        q = select(ScSession).where(ScSession.project_pk == p.pk).order_by(ScSession.pk)
        rows = db.scalars(q)
    return [render(db, caller, ContainerType.SESSION, s, False) for s in rows]


@router.get("/api/sessions/{cid}/acquisitions")
def session_acquisitions(
    cid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> list[Json]:
    s = require_container(db, caller, ContainerType.SESSION, parse_id(cid, "session"))
    rows = db.scalars(
        select(Acquisition).where(Acquisition.session_pk == s.pk).order_by(Acquisition.pk)
    )
    return [render(db, caller, ContainerType.ACQUISITION, a, False) for a in rows]


@router.get("/api/collections/{cid}/acquisitions")
def collection_acquisitions(
    cid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> list[Json]:
    c = require_container(db, caller, ContainerType.COLLECTION, parse_id(cid, "collection"))
    pks = acquisition_pks(db, c.pk)
    rows = db.scalars(select(Acquisition).where(Acquisition.pk.in_(pks)).order_by(Acquisition.pk))
    return _readable(db, caller, ContainerType.ACQUISITION, rows)


@router.get("/api/collections/{cid}/sessions")
def collection_sessions(
    cid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> list[Json]:
    c = require_container(db, caller, ContainerType.COLLECTION, parse_id(cid, "collection"))
    pks = acquisition_pks(db, c.pk)
    sessions = select(Acquisition.session_pk).where(Acquisition.pk.in_(pks))
    rows = db.scalars(select(ScSession).where(ScSession.pk.in_(sessions)).order_by(ScSession.pk))
    return _readable(db, caller, ContainerType.SESSION, rows)


@router.get("/api/sessions/{cid}/subject")
def session_subject(
    cid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    s = require_container(db, caller, ContainerType.SESSION, parse_id(cid, "session"))
    subject = render(db, caller, ContainerType.SESSION, s, True).get("subject")
    if not subject:
        raise not_found("Subject", f"session={cid}")
    return subject


def _user(db: Session, caller: Caller, uid: str) -> int:
    pk = require_account(db, uid)
    require_self_or_admin(caller, pk)
    return pk


@router.get("/api/users/{uid}/groups")
def user_groups(
    uid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> list[Json]:
    pk = _user(db, caller, uid)
    mine = select(GroupPermission.group_pk).where(GroupPermission.user_pk == pk)
    rows = db.scalars(select(Group).where(Group.pk.in_(mine)).order_by(Group.pk))
    return [group_json(db, g, caller, False) for g in rows]


@router.get("/api/users/{uid}/projects")
def user_projects(
    uid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> list[Json]:
    pk = _user(db, caller, uid)
    mine = select(ProjectMember.project_pk).where(ProjectMember.user_pk == pk)
    rows = db.scalars(
        select(Project).where(Project.pk.in_(mine), Project.deleted.is_(None)).order_by(Project.pk)
    )
    return [render(db, caller, ContainerType.PROJECT, p, False) for p in rows]


@router.get("/api/users/{uid}/sessions")
def user_sessions(
    uid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> list[Json]:
    pk = _user(db, caller, uid)
    mine = select(ProjectMember.project_pk).where(ProjectMember.user_pk == pk)
    rows = db.scalars(
        select(ScSession).where(ScSession.project_pk.in_(mine)).order_by(ScSession.pk)
    )
    return _readable(db, caller, ContainerType.SESSION, rows)


@router.post("/api/users", openapi_extra=body_doc(UserNewBody))
def add_user(
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    require_admin(caller)
    if not isinstance(payload, dict):
        raise bad_request("Expected a JSON object")
    missing = required_missing(payload, ("_id", "firstname", "lastname"))  # user-new.json
    if missing is not None:
        raise bad_request(f"'{missing}' is a required property")
    body = parse_body(UserNewBody, payload)
    try:
        made = bootstrap_add_user(db, body.id, RoleName.USER)
    except ValueError as exc:
        raise ApiError(409, str(exc)) from exc
    user = db.get(User, made["id"])
    assert user is not None
    for field in ("firstname", "lastname", "email"):
        if getattr(body, field) is not None:
            setattr(user, field, getattr(body, field))
    db.commit()
    return {"_id": user.username}


def _note_route(segment: str, ctype: ContainerType) -> None:
    def get_note(
        cid: str, nid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
    ) -> Json:
        row = require_container(db, caller, ctype, parse_id(cid, ctype.value))
        note = db.get(Note, parse_id(nid, "note"))
        if note is None or note.container_type != ctype or note.container_pk != row.pk:
            raise not_found("Note", nid)
        return note_json(db, note)

    router.add_api_route(
        f"/api/{segment}/{{cid}}/notes/{{nid}}",
        get_note,
        methods=["GET"],
        name=f"scitran_{segment}_get_note",
    )


for _segment, _ctype in KINDS.items():
    _note_route(_segment, _ctype)


@router.post("/api/users/self/key")
def new_key(db: Session = Depends(get_db), caller: Caller = Depends(current_caller)) -> Json:
    user = db.get(User, caller.pk)
    assert user is not None
    key = new_api_key(user.pk)
    user.api_key = secret_of(db).seal(key)  # stored sealed, as every key (docs/api.md §8)
    db.commit()
    return {"key": key}
