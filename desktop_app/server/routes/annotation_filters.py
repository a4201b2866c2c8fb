"""Saved annotation filters, and the reviewed / algo annotation listings.

* ``GET /api/annotationfilter.json?project=``, ``POST /api/annotationfilter.json``
  (``name``, ``project``, ``users``, ``terms``), ``GET|PUT|DELETE
  /api/annotationfilter/{id}.json``: any project reader keeps their own filters; only
  their creator or a project admin changes one.  In the feed as ``annotationfilter``.
* ``GET /api/reviewedannotation.json`` and ``GET /api/algoannotation.json``: the
  annotation listing (same filters and ``show…`` groups as ``/api/annotation.json``)
  of reviewed resp. job-made annotations.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import AnnotationKind
from desktop_app.model.annotation_links import AnnotationFilter
from desktop_app.model.security import Access
from desktop_app.protocol.cytomine.annotation import AnnotationFilterBody
from desktop_app.protocol.cytomine.project import ProjectQuery
from desktop_app.server import crud
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import autocommit_reads, get_db
from desktop_app.server.errors import bad_request, forbidden
from desktop_app.server.listing import list_annotations
from desktop_app.server.rights import project_access, require_project, require_writer
from desktop_app.server.routes.tags import obj_base
from desktop_app.server.wire import body_doc, page, query_model, request_json

router = APIRouter()

Json = dict[str, Any]
FILTER_CLASS = "be.cytomine.domain.ontology.AnnotationFilter"


def filter_json(db: Session, f: AnnotationFilter) -> Json:
    out = obj_base(FILTER_CLASS, f)
    out.update(
        {
            "name": f.name,
            "project": f.project_pk,
            "user": f.user_pk,
            "users": list(f.users or []),
            "terms": list(f.terms or []),
        }
    )
    return out


def _apply(
    db: Session, caller: Caller, f: AnnotationFilter, body: AnnotationFilterBody, create: bool
) -> None:
    if create:
        if body.project is None:
            raise bad_request("project is required")
        require_project(db, caller, body.project, Access.RO)
        f.project_pk, f.user_pk = body.project, caller.pk
    f.name = body.name
    f.users = body.users
    f.terms = body.terms


FILTER = crud.Resource(
    "annotationfilter",
    FILTER_CLASS,
    AnnotationFilter,
    filter_json,
    _apply,
    lambda db, f: [f.project_pk],
    "AnnotationFilter",
    AnnotationFilterBody,
)


def _filter(db: Session, caller: Caller, pk: int, level: Access) -> AnnotationFilter:
    f = FILTER.get(db, pk)
    require_project(db, caller, f.project_pk)
    if level is not Access.RO:
        require_writer(caller)
        mine = f.user_pk in (caller.pk, caller.rights_pk)
        if not mine and project_access(db, caller, f.project_pk) is not Access.ADMIN:
            raise forbidden("Only its creator or a project administrator changes a filter")
    return f


@router.get("/api/annotationfilter.json")
def list_filters(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    project = query_model(ProjectQuery, request).project
    require_project(db, caller, project)
    rows = db.scalars(
        select(AnnotationFilter)
        .where(AnnotationFilter.project_pk == project)
        .order_by(AnnotationFilter.pk)
    )
    return page([filter_json(db, f) for f in rows], request)


@router.post("/api/annotationfilter.json", openapi_extra=body_doc(AnnotationFilterBody))
def add_filter(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    require_writer(caller)
    return crud.create(db, request, FILTER, caller, payload)


crud.item_routes(
    router,
    "/api/annotationfilter/{pk}.json",
    FILTER,
    _filter,
    param="pk",
    names=("get_annotation_filter", "edit_annotation_filter", "delete_annotation_filter"),
)


@router.get("/api/reviewedannotation.json")
def reviewed_listing(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Response:
    autocommit_reads(db)
    body = list_annotations(db, caller, request, only=AnnotationKind.REVIEWED)
    return Response(body, media_type="application/json")


@router.get("/api/algoannotation.json")
def algo_listing(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Response:
    autocommit_reads(db)
    body = list_annotations(db, caller, request, only=AnnotationKind.ALGO)
    return Response(body, media_type="application/json")
