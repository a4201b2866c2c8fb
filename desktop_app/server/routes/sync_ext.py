"""Sync extensions (docs/api.md "Sync extensions"): change feed, bulk pull, batched push.

Stock Cytomine clients never call these.  The feed cursor is ``change_feed.seq``,
monotonic and assigned in the transaction of the change (see ``feed.py``), so paging
``since=cursor`` never skips a committed change; deletions appear as ``deleted`` rows.
A push applies each op in its own transaction and reports a per-op status, so one bad
op never blocks or rolls back the others.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation, AnnotationKind, AnnotationTerm
from desktop_app.model.attachment import AttachedFile, Description, Property
from desktop_app.model.history import Command
from desktop_app.model.ontology import Term
from desktop_app.model.security import Access
from desktop_app.model.sync import ChangeFeed
from desktop_app.protocol.sync_ext import (
    MAX_OPS,
    BulkPage,
    ChangesPage,
    Deleted,
    DeletedLink,
    FeedQuery,
    OpResult,
    PushOp,
    PushRequest,
    PushResults,
)
from desktop_app.server import crud
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import ApiError, bad_request
from desktop_app.server.geom import Prechecked
from desktop_app.server.geometry_precheck import push_geometries
from desktop_app.server.project_read import changes_page
from desktop_app.server.rights import require_project
from desktop_app.server.routes import annotation as ann
from desktop_app.server.routes.annotation_term import AT, at_json, check_term
from desktop_app.server.routes.attached_file import af_json
from desktop_app.server.routes.attachments import (
    PROPERTY,
    prop_json,
    require_property_change,
)
from desktop_app.server.routes.descriptions import desc_json
from desktop_app.server.serial import term_json
from desktop_app.server.serial_annotation import LIST_COLUMNS, annotation_json, listing_rows
from desktop_app.server.wire import body_doc, request_json

router = APIRouter()
ANNOTATION_ENTITIES = ("annotation", "annotationterm", "reviewedannotation")
Json = dict[str, Any]
_M = TypeVar("_M", bound=BaseModel)


def _json(model: BaseModel) -> Response:
    """A protocol model as the response body (pydantic's own encoder, no re-validation)."""
    return Response(model.model_dump_json(), media_type="application/json")


def _parse(model: type[_M], value: Any, what: str) -> _M:
    """``value`` as ``model``, or a 400 naming the first field that does not fit."""
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or what
        raise bad_request(f"{what}: {where}: {err['msg']}") from exc


@router.get("/api/project/{pk}/changes.json", response_model=ChangesPage)
def changes(
    pk: int,
    query: Annotated[FeedQuery, Query()],
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Response:
    """Changes of a project after ``since`` (exclusive), oldest first."""
    return _json(changes_page(db, caller, pk, query.since, query.limit(1000)))


@router.get("/api/project/{pk}/annotations/bulk.json", response_model=BulkPage)
def bulk_pull(
    pk: int,
    query: Annotated[FeedQuery, Query()],
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Response:
    """Current state of every annotation touched after ``since``, plus the deleted ones."""
    require_project(db, caller, pk)
    since, max_ = query.since, query.limit(5000)
    feed = list(
        db.scalars(
            select(ChangeFeed)
            .where(
                ChangeFeed.project_pk == pk,
                ChangeFeed.seq > since,
                ChangeFeed.entity_type.in_((*ANNOTATION_ENTITIES, *SIDE_ENTITIES)),
            )
            .order_by(ChangeFeed.seq)
            .limit(max_ + 1)
        )
    )
    more = len(feed) > max_
    feed = feed[:max_]
    touched: dict[int, str | None] = {}
    terms_touched: set[int] = set()
    side: dict[str, dict[int, str | None]] = {k: {} for k in SIDE_ENTITIES}
    for f in feed:
        if f.entity_type in side:
            side[f.entity_type][f.entity_pk] = f.entity_uid
        elif f.entity_type == "annotationterm":
            terms_touched.add(f.entity_pk)
        else:
            touched[f.entity_pk] = f.entity_uid
    if terms_touched:
        # A term link that still exists names its annotation; a deleted one is in the feed
        # of its annotation's project only, so pull the annotation ids from the links left.
        for (a_pk,) in db.execute(
            select(AnnotationTerm.annotation_pk).where(AnnotationTerm.pk.in_(terms_touched))
        ):
            touched.setdefault(a_pk, None)
        # A deleted link is gone; its delete command still names the annotation, so the
        # annotation's current term set is returned too (else the removal is invisible).
        gone = {f"AnnotationTerm {f.entity_pk} deleted" for f in feed if f.action == "deleted"}
        if gone:
            for data in db.scalars(
                select(Command.data).where(
                    Command.project_pk == pk, Command.action_message.in_(gone)
                )
            ):
                a_ref = (data or {}).get("userannotation")
                if isinstance(a_ref, int):
                    touched.setdefault(a_ref, None)
    out: list[dict[str, Any]] = []
    present: set[int] = set()
    for kind in AnnotationKind:
        rows = (
            list(
                db.execute(
                    select(*LIST_COLUMNS).where(
                        Annotation.pk.in_(list(touched)), Annotation.kind == kind
                    )
                )
            )
            if touched
            else []
        )
        present |= {r[0] for r in rows}
        for js in listing_rows(db, rows, {"basic", "meta", "wkt", "gis", "term"}, kind):
            out.append(js)
    deleted = [Deleted(id=pk_, uid=uid) for pk_, uid in touched.items() if pk_ not in present]
    term_deleted = [
        DeletedLink(seq=f.seq, id=f.entity_pk, uid=f.entity_uid)
        for f in feed
        if f.entity_type == "annotationterm" and f.action == "deleted"
    ]
    props, props_gone = _side_rows(db, "property", side["property"])
    descs, descs_gone = _side_rows(db, "description", side["description"])
    files, files_gone = _side_rows(db, "attachedfile", side["attachedfile"])
    terms, terms_gone = _side_rows(db, "term", side["term"])
    page = BulkPage(
        annotations=out,
        deleted=deleted,
        deletedAnnotationTerms=term_deleted,
        properties=props,
        deletedProperties=props_gone,
        descriptions=descs,
        deletedDescriptions=descs_gone,
        attachedFiles=files,
        deletedAttachedFiles=files_gone,
        terms=terms,
        deletedTerms=terms_gone,
        cursor=feed[-1].seq if feed else since,
        hasMore=more,
    )
    return _json(page)


#: Feed entities a bulk page carries beside annotations: current rows (annotation
#: properties / descriptions / files only; every term of the project's ontology that
#: changed) and ``[{id, uid}]`` of the deleted ones.
SIDE_ENTITIES = ("property", "description", "attachedfile", "term")


#: Per side entity: its model and its Cytomine JSON.
_SIDE: dict[str, tuple[Any, Callable[[Session, Any], Json]]] = {
    "property": (Property, prop_json),
    "description": (Description, desc_json),
    "attachedfile": (AttachedFile, af_json),
    "term": (Term, term_json),
}


def _side_rows(
    db: Session, entity: str, touched: dict[int, str | None]
) -> tuple[list[Json], list[Deleted]]:
    if not touched:
        return [], []
    model, to_json = _SIDE[entity]
    rows = list(db.scalars(select(model).where(model.pk.in_(list(touched)))))
    found = {r.pk for r in rows}
    if entity != "term":
        rows = [r for r in rows if r.domain_class_name.endswith("Annotation")]
    gone = [Deleted(id=pk_, uid=uid) for pk_, uid in touched.items() if pk_ not in found]
    return [to_json(db, r) for r in rows], gone


def _annotation_op(db: Session, request: Request, caller: Caller, op: PushOp, data: Json) -> Json:
    if op.action == "create":
        row = ann.create_one(db, request, caller, data)
        obj = annotation_json(db, row)
        db.commit()
        return {"annotation": obj}
    if op.id is None:
        raise bad_request("id is required")
    a = ann.get_annotation(db, caller, op.id, Access.RW)
    if op.action == "update":
        return crud.update(db, request, ann.ANNOTATION, caller, a, data)
    return crud.delete(db, request, ann.ANNOTATION, caller, a, data)


def _link_op(db: Session, request: Request, caller: Caller, op: PushOp, data: Json) -> Json:
    """Add or remove a term of an annotation: a set member, so never an update."""
    link_ref = _parse(_LinkData, data, "data")
    a = ann.get_annotation(db, caller, link_ref.annotation_pk, Access.RW)
    link = db.scalars(
        select(AnnotationTerm).where(
            AnnotationTerm.annotation_pk == a.pk,
            AnnotationTerm.term_pk == link_ref.term,
            AnnotationTerm.user_pk == caller.pk,
        )
    ).first()
    if op.action == "create":
        if link is not None:  # intent already true: acknowledge, never duplicate
            return {"annotationterm": at_json(db, link)}
        check_term(db, a.project_pk, link_ref.term)
        body = {**data, "_annotation": a.pk, "_term": link_ref.term, "_user": caller.pk}
        return crud.create(db, request, AT, caller, body)
    if op.action == "delete":
        if link is None:
            raise ApiError(404, "AnnotationTerm not found")
        return crud.delete(db, request, AT, caller, link, data)
    raise bad_request("A term link is added or removed, never updated")


def _property_op(db: Session, request: Request, caller: Caller, op: PushOp, data: Json) -> Json:
    if op.action == "create":
        return crud.create(db, request, PROPERTY, caller, data)
    row = db.get(Property, op.id) if op.id is not None else None
    if row is None:
        raise ApiError(404, f"Property {op.id} not found")
    require_property_change(db, caller, row)
    if op.action == "update":
        return crud.update(db, request, PROPERTY, caller, row, data)
    return crud.delete(db, request, PROPERTY, caller, row, data)


class _LinkData(BaseModel):
    """The ``data`` of a term-link op: the annotation (by either of Cytomine's names)
    and the term; the rest of ``data`` rides along to the link's JSON."""

    annotation: int | None = None
    userannotation: int | None = None
    term: int

    @property
    def annotation_pk(self) -> int:
        pk = self.annotation or self.userannotation
        if pk is None:
            raise bad_request("data: annotation is required")
        return pk


_APPLY: dict[str, Callable[[Session, Request, Caller, PushOp, Json], Json]] = {
    "annotation": _annotation_op,
    "annotationterm": _link_op,
    "property": _property_op,
}


def _apply_op(db: Session, request: Request, caller: Caller, raw: Any) -> Json:
    op = _parse(PushOp, raw, "op")
    data = dict(op.data or {})
    if op.uid is not None:
        data["uid"] = op.uid
    if op.baseUpdated is not None:
        data["baseUpdated"] = op.baseUpdated
    return _APPLY[op.entity](db, request, caller, op, data)


@router.post("/api/sync/push.json", response_model=PushResults, openapi_extra=body_doc(PushRequest))
def push(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
    _checked: Prechecked = Depends(push_geometries),
) -> Response:
    """Apply ``ops`` in order, each in its own transaction; per-op status in ``results``."""
    body = _parse(PushRequest, payload, "push")
    if len(body.ops) > MAX_OPS:
        raise ApiError(413, f"At most {MAX_OPS} ops per push")
    results: list[OpResult] = []
    for op in body.ops:
        op_id = op.get("opId") if isinstance(op, dict) else None
        if not isinstance(op_id, str | int):
            op_id = None
        try:
            out = _apply_op(db, request, caller, op)
            results.append(OpResult(opId=op_id, status=200, body=out))
        except ApiError as exc:
            db.rollback()
            error = {"success": False, "errors": exc.message, **exc.extra}
            results.append(OpResult(opId=op_id, status=exc.status, body=error))
    return _json(PushResults(results=results))
