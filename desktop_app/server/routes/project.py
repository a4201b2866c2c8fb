"""Projects and their members (Cytomine section 3.1), rights per docs/api.md."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.ontology import Ontology
from desktop_app.model.project import Project, ProjectMember, ProjectMode
from desktop_app.model.security import Access, User
from desktop_app.protocol.cytomine.answers_project import MemberJson, ProjectJson
from desktop_app.protocol.cytomine.project import ProjectBody
from desktop_app.server import crud, membership
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import ApiError, bad_request, not_found
from desktop_app.server.project_read import project_read
from desktop_app.server.rights import require_project, require_writer, visible_project_pks
from desktop_app.server.routes.ontology import require_ontology
from desktop_app.server.serial import CLS, project_json
from desktop_app.server.serial_user import user_json
from desktop_app.server.wire import answer_doc, body_doc, page, request_json

router = APIRouter()


def _apply(db: Session, caller: Caller, p: Project, body: ProjectBody, create: bool) -> None:
    p.name = body.name
    onto = body.ontology
    if onto is not None and db.get(Ontology, onto) is None:
        raise bad_request(f"Ontology {onto} does not exist")
    if onto is not None and onto != p.ontology_pk:
        # Attaching makes this project's admins admins of the ontology: it takes the
        # right to change the ontology itself, not just to read it.
        require_ontology(db, caller, onto, write=True)
    p.ontology_pk = onto
    p.blind_mode = body.blindMode
    p.are_images_downloadable = body.areImagesDownloadable
    p.hide_users_layers = body.hideUsersLayers
    p.hide_admins_layers = body.hideAdminsLayers
    p.is_closed = body.isClosed
    if body.isReadOnly:
        p.mode = ProjectMode.READ_ONLY
    elif body.isRestricted:
        p.mode = ProjectMode.RESTRICTED
    else:
        p.mode = ProjectMode.CLASSIC
    if create:
        p.members = [ProjectMember(user_pk=caller.rights_pk, access=Access.ADMIN)]


RES = crud.Resource(
    key="project",
    cls=CLS["project"],
    model=Project,
    to_json=project_json,
    apply=_apply,
    projects_of=lambda db, p: [p.pk],
    label="Project",
    body=ProjectBody,
)


@router.get("/api/project.json", openapi_extra=answer_doc(ProjectJson, listed=True))
def list_projects(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    """Only the projects the caller is a member of (all of them for admins)."""
    q = select(Project).where(Project.deleted.is_(None)).order_by(Project.created.desc())
    visible = visible_project_pks(db, caller)
    if visible is not None:
        q = q.where(Project.pk.in_(visible))
    return page([project_json(db, p) for p in db.scalars(q)], request)


@router.get("/api/user/{user_id}/project.json")
@router.get("/api/user/{user_id}/project/light.json")
def list_user_projects(
    user_id: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    q = (
        select(Project)
        .join(ProjectMember, ProjectMember.project_pk == Project.pk)
        .where(ProjectMember.user_pk == user_id)
    )
    visible = visible_project_pks(db, caller)
    if visible is not None:
        q = q.where(Project.pk.in_(visible))
    return page([project_json(db, p) for p in db.scalars(q)], request)


@router.post("/api/project.json", openapi_extra=body_doc(ProjectBody))
def add_project(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> dict[str, Any]:
    require_writer(caller)
    return crud.create(db, request, RES, caller, payload)


@router.get("/api/project/{project_id}.json", openapi_extra=answer_doc(ProjectJson))
def get_project(
    project_id: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    return project_read(db, caller, project_id)


@router.put("/api/project/{project_id}.json", openapi_extra=body_doc(ProjectBody))
def edit_project(
    project_id: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> dict[str, Any]:
    p = require_project(db, caller, project_id, Access.ADMIN)
    return crud.update(db, request, RES, caller, p, payload)


@router.delete("/api/project/{project_id}.json")
def delete_project(
    project_id: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    p = require_project(db, caller, project_id, Access.ADMIN)
    return crud.delete(db, request, RES, caller, p)


def _members(
    db: Session, caller: Caller, project_id: int, admin_only: bool
) -> list[dict[str, Any]]:
    q = (
        select(User, ProjectMember)
        .join(ProjectMember, ProjectMember.user_pk == User.pk)
        .where(ProjectMember.project_pk == project_id)
    )
    if admin_only:
        q = q.where(ProjectMember.access == Access.ADMIN)
    out = []
    for user, member in db.execute(q.order_by(User.pk)):
        js = user_json(user, caller)
        js["access"] = member.access.value
        out.append(js)
    return out


@router.get(
    "/api/project/{project_id}/user.json", openapi_extra=answer_doc(MemberJson, listed=True)
)
def project_users(
    project_id: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    require_project(db, caller, project_id)
    return page(_members(db, caller, project_id, False), request)


@router.get(
    "/api/project/{project_id}/admin.json", openapi_extra=answer_doc(MemberJson, listed=True)
)
def project_admins(
    project_id: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    require_project(db, caller, project_id)
    return page(_members(db, caller, project_id, True), request)


def _set_member(
    db: Session, caller: Caller, project_id: int, user_id: int, access: Access | None
) -> dict[str, Any]:
    require_project(db, caller, project_id, Access.ADMIN)
    user = db.get(User, user_id)
    if user is None:
        raise not_found("User", user_id)
    action = membership.set_member(db, project_id, user_id, access, caller.pk)
    if action is None:
        raise not_found("ProjectMember", user_id)
    db.commit()
    return {
        "message": f"User {user_id} {action} in project {project_id}",
        "user": user_json(user, caller),
    }


def _access_param(request: Request, default: Access) -> Access:
    raw = request.query_params.get("access")
    if raw is None:
        return default
    try:
        return Access(raw)
    except ValueError as exc:
        raise ApiError(400, "access must be ro, rw or admin") from exc


@router.post("/api/project/{project_id}/user/{user_id}.json")
def add_member(
    project_id: int,
    user_id: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    """Add a member (rw; extension: ``?access=ro|rw|admin``)."""
    return _set_member(db, caller, project_id, user_id, _access_param(request, Access.RW))


@router.delete("/api/project/{project_id}/user/{user_id}.json")
def remove_member(
    project_id: int,
    user_id: int,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    return _set_member(db, caller, project_id, user_id, None)


@router.post("/api/project/{project_id}/user/{user_id}/admin.json")
def add_manager(
    project_id: int,
    user_id: int,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    return _set_member(db, caller, project_id, user_id, Access.ADMIN)


@router.delete("/api/project/{project_id}/user/{user_id}/admin.json")
def remove_manager(
    project_id: int,
    user_id: int,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    """Demote a manager to a plain (rw) member, as Cytomine does."""
    if db.get(ProjectMember, (project_id, user_id)) is None:
        raise not_found("ProjectMember", user_id)
    return _set_member(db, caller, project_id, user_id, Access.RW)
