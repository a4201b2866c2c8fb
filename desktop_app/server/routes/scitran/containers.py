"""List, detail, create, update and delete of the five SciTran container kinds.

Lists are plain JSON arrays (SciTran does not page) holding only containers the caller
may read, without the † fields; details add them.  A project here is the very row
``/api/project/{id}.json`` serves, so a label change is a Cytomine rename.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desktop_app.model.project import Project
from desktop_app.model.scitran import (
    Acquisition,
    Analysis,
    Collection,
    ContainerPermission,
    ContainerType,
)
from desktop_app.model.scitran import Session as ScSession
from desktop_app.model.security import Access
from desktop_app.protocol.scitran.base import SciTranBody
from desktop_app.protocol.scitran.containers import (
    AcquisitionBody,
    AnalysisBody,
    CollectionBody,
    NewProjectBody,
    ProjectBody,
    SessionBody,
)
from desktop_app.server import scitran_stats, scitran_write
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import ApiError
from desktop_app.server.rights import require_writer, visible_project_pks
from desktop_app.server.scitran_access import (
    KINDS,
    access_to,
    get_container,
    parse_id,
    project_of,
    require_container,
)
from desktop_app.server.scitran_public import (
    caller_or_public,
    is_public,
    public_rows,
    require_public,
)
from desktop_app.server.serial_scitran import container_json, list_projection
from desktop_app.server.wire import body_doc, request_json

router = APIRouter()
Json = dict[str, Any]

#: The body of a create and of an update, by kind, as ``scitran_body`` reads them
#: (documented in /openapi.json; a project needs its label only when created).
BODIES: dict[ContainerType, tuple[type[SciTranBody], type[SciTranBody]]] = {
    ContainerType.PROJECT: (NewProjectBody, ProjectBody),
    ContainerType.SESSION: (SessionBody, SessionBody),
    ContainerType.ACQUISITION: (AcquisitionBody, AcquisitionBody),
    ContainerType.ANALYSIS: (AnalysisBody, AnalysisBody),
    ContainerType.COLLECTION: (CollectionBody, CollectionBody),
}


def render(
    db: Session, caller: Caller | None, ctype: ContainerType, row: Any, detail: bool
) -> Json:
    """A container as ``caller`` sees it (``None``: the public, a non-member's view)."""
    access = None if caller is None else access_to(db, caller, ctype, row)
    admin = caller is not None and access is Access.ADMIN and not caller.is_guest
    out = container_json(
        db,
        ctype,
        row,
        caller=caller,
        detail=detail,
        admin=admin,
        project_pk=project_of(db, ctype, row),
    )
    return out if detail else list_projection(ctype, out)


def _visible(db: Session, caller: Caller, ctype: ContainerType, request: Request) -> list[Any]:
    visible = visible_project_pks(db, caller)
    q: Any
    if ctype is ContainerType.PROJECT:
        q = select(Project).where(Project.deleted.is_(None))
        if visible is not None:
            q = q.where(Project.pk.in_(visible))
    elif ctype is ContainerType.SESSION:
        q = select(ScSession)
        if visible is not None:
            q = q.where(ScSession.project_pk.in_(visible))
        project = request.query_params.get("project")
        if project is not None:
            q = q.where(ScSession.project_pk == parse_id(project, "project"))
    elif ctype is ContainerType.ACQUISITION:
        q = select(Acquisition).join(ScSession, ScSession.pk == Acquisition.session_pk)
        if visible is not None:
            q = q.where(ScSession.project_pk.in_(visible))
        session = request.query_params.get("session")
        if session is not None:
            q = q.where(Acquisition.session_pk == parse_id(session, "session"))
    elif ctype is ContainerType.COLLECTION:
        q = select(Collection)
        if not caller.is_admin:
            shared = select(ContainerPermission.container_pk).where(
                ContainerPermission.container_type == ContainerType.COLLECTION,
                ContainerPermission.user_pk == caller.rights_pk,
            )
            q = q.where(or_(Collection.curator_pk == caller.rights_pk, Collection.pk.in_(shared)))
    else:
        rows = db.scalars(select(Analysis).order_by(Analysis.pk))
        return [a for a in rows if access_to(db, caller, ctype, a) is not None]
    return sorted(db.scalars(q), key=lambda r: r.pk)


def _parent_filter(ctype: ContainerType, request: Request) -> dict[str, int]:
    """``sessions?project=`` and ``acquisitions?session=`` as column filters."""
    key = {ContainerType.SESSION: "project", ContainerType.ACQUISITION: "session"}.get(ctype)
    raw = None if key is None else request.query_params.get(key)
    return {} if key is None or raw is None else {f"{key}_pk": parse_id(raw, key)}


def _register(segment: str, ctype: ContainerType) -> None:
    """Five routes for one kind; closures keep one implementation for all kinds."""
    noun = ctype.value

    def list_(
        request: Request,
        db: Session = Depends(get_db),
        caller: Caller | None = Depends(caller_or_public),
    ) -> list[Json]:
        rows = (
            _visible(db, caller, ctype, request)
            if caller is not None
            else public_rows(db, ctype, **_parent_filter(ctype, request))
        )
        out = [render(db, caller, ctype, r, False) for r in rows]
        if scitran_stats.is_true(request, "counts"):
            scitran_stats.add_counts(db, ctype, out)
        if scitran_stats.is_true(request, "stats"):
            scitran_stats.add_stats(db, ctype, out)
        return out

    def detail(
        cid: str, db: Session = Depends(get_db), caller: Caller | None = Depends(caller_or_public)
    ) -> Json:
        if caller is None:
            return render(db, None, ctype, require_public(db, ctype, cid), True)
        try:
            row = require_container(db, caller, ctype, parse_id(cid, noun))
        except ApiError as exc:  # a non-member reads a public container as the public
            row = get_container(db, ctype, parse_id(cid, noun))
            if exc.status != 403 or not is_public(db, ctype, row):
                raise
            return render(db, None, ctype, row, True)
        return render(db, caller, ctype, row, True)

    def create(
        request: Request,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
        payload: Any = Depends(request_json),
    ) -> Json:
        require_writer(caller)
        return scitran_write.create(db, request, caller, ctype, payload)

    def update(
        cid: str,
        request: Request,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
        payload: Any = Depends(request_json),
    ) -> Json:
        level = Access.ADMIN if ctype is ContainerType.PROJECT else Access.RW
        row = require_container(db, caller, ctype, parse_id(cid, noun), level)
        return scitran_write.update(db, request, caller, ctype, row, payload)

    def delete(
        cid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
    ) -> Json:
        level = (
            Access.RW
            if ctype in (ContainerType.SESSION, ContainerType.ACQUISITION, ContainerType.ANALYSIS)
            else Access.ADMIN
        )
        row = require_container(db, caller, ctype, parse_id(cid, noun), level)
        return scitran_write.remove(db, caller, ctype, row)

    new, edit = BODIES[ctype]
    routes: list[tuple[str, str, Callable[..., Any], str, Json | None]] = [
        ("GET", f"/api/{segment}", list_, f"List the {segment} the caller may read", None),
        ("POST", f"/api/{segment}", create, f"Create a {noun}", body_doc(new)),
        ("GET", f"/api/{segment}/{{cid}}", detail, f"One {noun} with its detail fields", None),
        ("PUT", f"/api/{segment}/{{cid}}", update, f"Partial update of a {noun}", body_doc(edit)),
        ("DELETE", f"/api/{segment}/{{cid}}", delete, f"Delete a {noun}", None),
    ]
    for method, path, fn, summary, doc in routes:
        router.add_api_route(
            path,
            fn,
            methods=[method],
            summary=summary,
            name=f"scitran_{method.lower()}_{segment}{'_one' if '{' in path else ''}",
            openapi_extra=doc,
        )


for _segment, _ctype in KINDS.items():
    _register(_segment, _ctype)
