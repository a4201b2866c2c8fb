"""Who may read or write what (decisions documented in docs/api.md, "Rights").

* Global roles: superadmin and admin see and change everything; a guest only reads.
* Per project: ``project_member.access`` ro | rw | admin.  ro reads, rw writes data
  (images, annotations, terms on annotations, properties...), admin also edits the
  project itself and its members.  A READ_ONLY project accepts writes from its admins
  only; a RESTRICTED one lets rw members change only their own annotations.
* A non-member gets 403 on a project's resources (as Cytomine's ACL check does) and the
  project is absent from their listings.
* A job identity acts with its launcher's rights (``Caller.rights_pk``).
Every refusal is an ``ApiError(403)`` with the usual JSON body.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.project import Project, ProjectMember, ProjectMode
from desktop_app.model.security import Access, Authority, User
from desktop_app.server.auth import Caller
from desktop_app.server.errors import ApiError, forbidden, not_found

_RANK = {Access.RO: 1, Access.RW: 2, Access.ADMIN: 3}


def project_access(db: Session, caller: Caller, project_pk: int) -> Access | None:
    """The caller's effective access to a project (admins: ADMIN everywhere)."""
    if caller.is_admin:
        return Access.ADMIN
    member = db.get(ProjectMember, (project_pk, caller.rights_pk))
    if member is None:
        return None
    if caller.is_guest:
        return Access.RO
    return member.access


def visible_project_pks(db: Session, caller: Caller) -> list[int] | None:
    """Projects the caller may read; ``None`` means all (admins)."""
    if caller.is_admin:
        return None
    return list(
        db.scalars(
            select(ProjectMember.project_pk).where(ProjectMember.user_pk == caller.rights_pk)
        )
    )


def get_project(db: Session, project_pk: int) -> Project:
    project = db.get(Project, project_pk)
    if project is None or project.deleted is not None:
        raise not_found("Project", project_pk)
    return project


def require_project(
    db: Session, caller: Caller, project_pk: int, level: Access = Access.RO
) -> Project:
    """The project if the caller has at least ``level`` on it, else 403 (404 if absent)."""
    project = get_project(db, project_pk)
    access = project_access(db, caller, project_pk)
    if access is None:
        raise forbidden(f"You are not a member of project {project_pk}")
    if _RANK[access] < _RANK[level]:
        raise forbidden(f"Your access to project {project_pk} is {access.value}")
    if (
        level is not Access.RO
        and project.mode is ProjectMode.READ_ONLY
        and access is not Access.ADMIN
    ):
        raise forbidden(f"Project {project_pk} is read-only")
    return project


def require_owner_or_manager(
    db: Session, caller: Caller, project_pk: int, owner_pk: int | None
) -> None:
    """Edits of someone else's data: needs project admin in RESTRICTED projects."""
    project = require_project(db, caller, project_pk, Access.RW)
    if owner_pk in (None, caller.pk, caller.rights_pk):
        return
    if project.mode is ProjectMode.RESTRICTED or project.is_closed:
        require_project(db, caller, project_pk, Access.ADMIN)


def require_writer(caller: Caller) -> None:
    """Creating top-level things (projects, ontologies, storages) needs a non-guest."""
    if caller.is_guest:
        raise forbidden("Guests cannot create or change data")


def require_admin(caller: Caller) -> None:
    if not caller.is_admin:
        raise forbidden("Only administrators may do this")


def require_self_or_admin(caller: Caller, user_pk: int) -> None:
    if caller.pk != user_pk and not caller.is_admin:
        raise ApiError(403, "You can only do this for yourself")


def require_may_manage(caller: Caller, user: User) -> None:
    """Keys, edits and deletion of someone else's account: an admin, and for a
    superadmin's account a superadmin (an admin must not take over the one above)."""
    require_self_or_admin(caller, user.pk)
    if user.pk == caller.pk or caller.is_superadmin:
        return
    if any(r.authority is Authority.ROLE_SUPER_ADMIN for r in user.roles):
        raise ApiError(403, "Only a superadmin may do this to a superadmin")
