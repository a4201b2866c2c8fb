"""Rights on SciTran containers, expressed through the Cytomine project membership.

A SciTran project IS a Cytomine project, so its permissions are ``project_member``
rows; a session, acquisition or analysis inherits the access of the project above it
(one source of truth, the same answer the Cytomine routes give).  Collections cut
across projects, so they carry their own ``container_permission`` rows (the curator is
admin).  Groups use ``group_permission``.  Guests are capped at ro everywhere, admins
are admin everywhere, and no access at all is 403 (absent from lists), as in rights.py.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.project import Project
from desktop_app.model.scitran import (
    Acquisition,
    Analysis,
    Collection,
    ContainerPermission,
    ContainerType,
    Group,
    GroupPermission,
)
from desktop_app.model.scitran import Session as ScSession
from desktop_app.model.security import Access
from desktop_app.server.auth import Caller
from desktop_app.server.errors import bad_request, forbidden, not_found
from desktop_app.server.rights import project_access, require_project

RANK = {Access.RO: 1, Access.RW: 2, Access.ADMIN: 3}

#: URL segment -> container type and model.
KINDS: dict[str, ContainerType] = {
    "projects": ContainerType.PROJECT,
    "sessions": ContainerType.SESSION,
    "acquisitions": ContainerType.ACQUISITION,
    "analyses": ContainerType.ANALYSIS,
    "collections": ContainerType.COLLECTION,
}
MODELS: dict[ContainerType, type[Any]] = {
    ContainerType.PROJECT: Project,
    ContainerType.SESSION: ScSession,
    ContainerType.ACQUISITION: Acquisition,
    ContainerType.ANALYSIS: Analysis,
    ContainerType.COLLECTION: Collection,
}


def parse_id(raw: str | int, kind: str) -> int:
    """SciTran ``_id`` strings are our integer pks; any other id names nothing: 404,
    as SciTran answers a malformed or unknown id."""
    text = str(raw).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise not_found(kind.capitalize(), text[:40])
    return int(text)


def container_type(name: str) -> ContainerType:
    """A container type from a URL segment (``sessions``) or a singular (``session``)."""
    if name in KINDS:
        return KINDS[name]
    try:
        return ContainerType(name)
    except ValueError as exc:
        allowed = ", ".join(t.value for t in ContainerType)
        raise bad_request(f"container type must be one of {allowed}") from exc


def get_container(db: Session, ctype: ContainerType, pk: int) -> Any:
    row = db.get(MODELS[ctype], pk)
    if row is None or getattr(row, "deleted", None) is not None:
        raise not_found(ctype.value.capitalize(), pk)
    return row


def project_of(db: Session, ctype: ContainerType, row: Any, depth: int = 0) -> int | None:
    """The project a container lives in (``None`` for collections and their analyses)."""
    if ctype is ContainerType.PROJECT:
        return int(row.pk)
    if ctype is ContainerType.SESSION:
        return int(row.project_pk)
    if ctype is ContainerType.ACQUISITION:
        return db.scalar(select(ScSession.project_pk).where(ScSession.pk == row.session_pk))
    if ctype is ContainerType.ANALYSIS and depth < 5:
        parent = db.get(MODELS[row.container_type], row.container_pk)
        return None if parent is None else project_of(db, row.container_type, parent, depth + 1)
    return None


def _capped(caller: Caller, access: Access | None) -> Access | None:
    if access is not None and caller.is_guest:
        return Access.RO
    return access


def collection_access(db: Session, caller: Caller, c: Collection) -> Access | None:
    if caller.is_admin:
        return Access.ADMIN
    if c.curator_pk == caller.rights_pk:
        return _capped(caller, Access.ADMIN)
    perm = db.get(ContainerPermission, (ContainerType.COLLECTION, c.pk, caller.rights_pk))
    return _capped(caller, perm.access if perm else None)


def access_to(
    db: Session, caller: Caller, ctype: ContainerType, row: Any, depth: int = 0
) -> Access | None:
    """The caller's effective access to one container."""
    if ctype is ContainerType.COLLECTION:
        return collection_access(db, caller, row)
    if ctype is ContainerType.ANALYSIS:
        parent = db.get(MODELS[row.container_type], row.container_pk)
        if parent is None or depth > 4:
            return Access.ADMIN if caller.is_admin else None
        return access_to(db, caller, row.container_type, parent, depth + 1)
    project_pk = project_of(db, ctype, row)
    return None if project_pk is None else project_access(db, caller, project_pk)


def require_container(
    db: Session, caller: Caller, ctype: ContainerType, pk: int, level: Access = Access.RO
) -> Any:
    """The container if the caller holds ``level`` on it: 404 if absent, else 403."""
    row = get_container(db, ctype, pk)
    project_pk = project_of(db, ctype, row)
    if project_pk is not None:
        # Project-bound: exactly the Cytomine checks (read-only mode included).
        require_project(db, caller, project_pk, level)
        return row
    access = access_to(db, caller, ctype, row)
    if access is None:
        raise forbidden(f"You have no permission on {ctype.value} {pk}")
    if RANK[access] < RANK[level]:
        raise forbidden(f"Your access to {ctype.value} {pk} is {access.value}")
    return row


def find_group(db: Session, ident: str) -> Group:
    """A group by its SciTran ``_id`` (its code), or by numeric pk."""
    group = db.scalars(select(Group).where(Group.code == ident)).first()
    if group is None and ident.isascii() and ident.isdigit() and len(ident) < 19:
        group = db.get(Group, int(ident))
    if group is None:
        raise not_found("Group", ident)
    return group


def group_access(db: Session, caller: Caller, g: Group) -> Access | None:
    if caller.is_admin:
        return Access.ADMIN
    perm = db.get(GroupPermission, (g.pk, caller.rights_pk))
    return _capped(caller, perm.access if perm else None)


def require_group(db: Session, caller: Caller, ident: str, level: Access = Access.RO) -> Group:
    group = find_group(db, ident)
    access = group_access(db, caller, group)
    if access is None:
        raise forbidden(f"You have no permission on group {ident}")
    if RANK[access] < RANK[level]:
        raise forbidden(f"Your access to group {ident} is {access.value}")
    return group
