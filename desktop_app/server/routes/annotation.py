"""User annotations: create (single and bulk), read, edit, delete, and the listing (3.6, 4.1).

Bulk creates are all-or-nothing: every item is validated before anything is written,
and one transaction inserts the rows, their terms and properties, their idempotency
keys and change-feed rows.  Items carrying a ``uid`` already used by this user are not
created again: the existing row is returned in their place.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from desktop_app.model.annotation import (
    Annotation,
    AnnotationKind,
)
from desktop_app.model.attachment import Property
from desktop_app.model.security import Access
from desktop_app.protocol.cytomine.annotation import AnnotationCreateBody
from desktop_app.protocol.cytomine.answers_annotation import AnnotationJson
from desktop_app.server import crud
from desktop_app.server.annotation_create import create_many, create_one
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import autocommit_reads, get_db
from desktop_app.server.errors import ApiError, bad_request, not_found
from desktop_app.server.geom import PRECHECKED, Prechecked, from_wire
from desktop_app.server.geometry_precheck import annotation_geometries
from desktop_app.server.history import log_command
from desktop_app.server.listing import list_annotations
from desktop_app.server.rights import require_owner_or_manager, require_project
from desktop_app.server.serial import CLS
from desktop_app.server.serial_annotation import annotation_json, image_geometry
from desktop_app.server.wire import (
    answer_doc,
    body_doc,
    command_envelope,
    json_body,
    ms,
    raw_json,
    request_json,
)

router = APIRouter()
MAX_BULK = 20_000
#: A bulk create of at least this many rows refreshes PostgreSQL's statistics.
ANALYZE_AFTER = 5_000
_ANALYZE = "ANALYZE annotation, annotation_term, property, idempotency_key, change_feed"


def _apply_edit(db: Session, caller: Caller, a: Annotation, body: dict[str, Any], c: bool) -> None:
    width, height, _ = image_geometry(db, a.image_pk)
    _set_geometry(a, from_wire(body.get("location"), width, height, db.info.get(PRECHECKED)))


def _set_geometry(a: Annotation, g: Any) -> None:
    a.location, a.geometry_type = g.wkb, g.geom_type
    a.min_x, a.min_y, a.max_x, a.max_y = g.bounds
    a.area, a.perimeter = g.area, g.perimeter


ANNOTATION = crud.Resource(
    "annotation",
    CLS["annotation"],
    Annotation,
    annotation_json,
    _apply_edit,
    lambda db, a: [a.project_pk],
    "Annotation",
)


@router.post("/api/annotation.json", openapi_extra=body_doc(AnnotationCreateBody, many=True))
@router.post("/api/userannotation.json", openapi_extra=body_doc(AnnotationCreateBody, many=True))
@router.post("/api/algoannotation.json", include_in_schema=False)
async def add_annotation(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    _checked: Prechecked = Depends(annotation_geometries),
) -> Any:
    """One object -> command envelope with key ``annotation``; a list -> bulk result."""
    body = await json_body(request)
    bulk = isinstance(body, list)
    items = body if bulk else [body]
    if not items:
        raise bad_request("No annotation given")
    if len(items) > MAX_BULK:
        raise ApiError(413, f"At most {MAX_BULK} annotations per request")
    # The database work runs in the thread pool, not on the event loop: waiting for
    # SQLite's write lock (or PostgreSQL's feed lock) must not stall other requests.
    return await run_in_threadpool(_add, db, request, caller, items, bulk)


def _add(db: Session, request: Request, caller: Caller, items: list[Any], bulk: bool) -> Any:
    if not bulk:
        row = create_one(db, request, caller, items[0])
        obj = annotation_json(db, row)
        cmd = None
        if row.pk not in db.info.get("replayed", ()):
            cmd = log_command(db, caller, "add", ANNOTATION, row, obj, [row.project_pk])
        db.commit()
        return command_envelope("annotation", obj, "added", cmd, CLS["annotation"])
    rows = create_many(db, request, caller, items)
    db.commit()
    if len(rows) >= ANALYZE_AFTER and db.get_bind().dialect.name == "postgresql":
        # Fresh statistics for the planner right away: autovacuum may be off or lag a
        # minute behind, and with a 10k-row jump unseen, feed and listing queries get
        # plans for empty tables (``GET changes`` on 100k feed rows: 22 ms vs 0.04 ms).
        db.execute(text(_ANALYZE))
        db.commit()
    ids = [a.pk for a in rows]
    payload = {
        "status": 200,
        "data": {
            "message": f"userannotations {','.join(map(str, ids[:50]))} added",
            "collection": [
                {"id": a.pk, "uid": a.uid, "updated": ms(a.updated), "created": ms(a.created)}
                for a in rows
            ],
        },
    }
    return raw_json(payload)


def get_annotation(db: Session, caller: Caller, pk: int, level: Access = Access.RO) -> Annotation:
    a = db.get(Annotation, pk)
    if a is None:
        raise not_found("Annotation", pk)
    if level is Access.RO:
        require_project(db, caller, a.project_pk)
    else:
        require_owner_or_manager(db, caller, a.project_pk, a.user_pk)
    return a


@router.get("/api/annotation.json", openapi_extra=answer_doc(AnnotationJson, listed=True))
@router.get("/api/userannotation.json", include_in_schema=False)
@router.get("/api/annotation/search.json", include_in_schema=False)
def search(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Response:
    autocommit_reads(db)
    return Response(list_annotations(db, caller, request), media_type="application/json")


for _prefix in ("annotation", "userannotation", "algoannotation"):

    @router.get(
        f"/api/{_prefix}/{{pk}}.json",
        name=f"get_{_prefix}",
        openapi_extra=answer_doc(AnnotationJson),
    )
    def read(
        pk: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
    ) -> Any:
        return annotation_json(db, get_annotation(db, caller, pk))

    @router.put(f"/api/{_prefix}/{{pk}}.json", name=f"edit_{_prefix}")
    def edit(
        pk: int,
        request: Request,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
        payload: Any = Depends(request_json),
        _checked: Prechecked = Depends(annotation_geometries),
    ) -> Any:
        a = get_annotation(db, caller, pk, Access.RW)
        if a.kind is AnnotationKind.REVIEWED:
            raise bad_request("Edit a reviewed annotation through /api/reviewedannotation")
        return crud.update(db, request, ANNOTATION, caller, a, payload)

    @router.delete(f"/api/{_prefix}/{{pk}}.json", name=f"delete_{_prefix}")
    def remove(
        pk: int,
        request: Request,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
    ) -> Any:
        a = get_annotation(db, caller, pk, Access.RW)
        for prop in db.scalars(
            select(Property).where(
                Property.domain_class_name == CLS["annotation"], Property.domain_pk == pk
            )
        ):
            db.delete(prop)
        return crud.delete(db, request, ANNOTATION, caller, a)
