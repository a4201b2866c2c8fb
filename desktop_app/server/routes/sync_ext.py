"""Sync extensions (docs/api.md "Sync extensions"): change feed, bulk pull, batched push.

Stock Cytomine clients never call these.  The feed cursor is ``change_feed.seq``,
monotonic and assigned in the transaction of the change (see ``feed.py``), so paging
``since=cursor`` never skips a committed change; deletions appear as ``deleted`` rows.
A push applies each op in its own transaction and reports a per-op status, so one bad
op never blocks or rolls back the others.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation, AnnotationKind, AnnotationTerm
from desktop_app.model.attachment import Property
from desktop_app.model.history import Command
from desktop_app.model.security import Access
from desktop_app.model.sync import ChangeFeed
from desktop_app.server import crud
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import ApiError, bad_request
from desktop_app.server.project_read import changes_page
from desktop_app.server.rights import require_project
from desktop_app.server.routes import annotation as ann
from desktop_app.server.routes.annotation_term import AT, at_json
from desktop_app.server.routes.attachments import PROPERTY, prop_json
from desktop_app.server.serial_annotation import LIST_COLUMNS, annotation_json, listing_rows
from desktop_app.server.wire import as_int, raw_json, request_json

router = APIRouter()
MAX_FEED = 5000
MAX_OPS = 1000
ANNOTATION_ENTITIES = ("annotation", "annotationterm", "reviewedannotation")


def _cursor_args(request: Request, default_max: int) -> tuple[int, int]:
    since = as_int(request.query_params.get("since"), "since") or 0
    max_ = as_int(request.query_params.get("max"), "max") or default_max
    return since, max(1, min(max_, MAX_FEED))


@router.get("/api/project/{pk}/changes.json")
def changes(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    """Changes of a project after ``since`` (exclusive), oldest first."""
    since, max_ = _cursor_args(request, 1000)
    return changes_page(db, caller, pk, since, max_)


@router.get("/api/project/{pk}/annotations/bulk.json")
def bulk_pull(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Response:
    """Current state of every annotation touched after ``since``, plus the deleted ones."""
    require_project(db, caller, pk)
    since, max_ = _cursor_args(request, 5000)
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
    deleted = [{"id": pk_, "uid": uid} for pk_, uid in touched.items() if pk_ not in present]
    term_deleted = [
        {"seq": f.seq, "id": f.entity_pk, "uid": f.entity_uid}
        for f in feed
        if f.entity_type == "annotationterm" and f.action == "deleted"
    ]
    props, props_gone = _side_rows(db, "property", side["property"])
    descs, descs_gone = _side_rows(db, "description", side["description"])
    files, files_gone = _side_rows(db, "attachedfile", side["attachedfile"])
    terms, terms_gone = _side_rows(db, "term", side["term"])
    return raw_json(
        {
            "annotations": out,
            "deleted": deleted,
            "deletedAnnotationTerms": term_deleted,
            "properties": props,
            "deletedProperties": props_gone,
            "descriptions": descs,
            "deletedDescriptions": descs_gone,
            "attachedFiles": files,
            "deletedAttachedFiles": files_gone,
            "terms": terms,
            "deletedTerms": terms_gone,
            "cursor": feed[-1].seq if feed else since,
            "hasMore": more,
        }
    )


#: Feed entities a bulk page carries beside annotations: current rows (annotation
#: properties / descriptions / files only; every term of the project's ontology that
#: changed) and ``[{id, uid}]`` of the deleted ones.
SIDE_ENTITIES = ("property", "description", "attachedfile", "term")


def _side_rows(
    db: Session, entity: str, touched: dict[int, str | None]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from desktop_app.model.attachment import AttachedFile, Description
    from desktop_app.model.ontology import Term
    from desktop_app.server.routes.attached_file import af_json
    from desktop_app.server.routes.attachments import desc_json
    from desktop_app.server.serial import term_json

    if not touched:
        return [], []
    model, to_json = {
        "property": (Property, prop_json),
        "description": (Description, desc_json),
        "attachedfile": (AttachedFile, af_json),
        "term": (Term, term_json),
    }[entity]
    rows = list(db.scalars(select(model).where(model.pk.in_(list(touched)))))
    found = {r.pk for r in rows}
    if entity != "term":
        rows = [r for r in rows if r.domain_class_name.endswith("Annotation")]
    gone = [{"id": pk_, "uid": uid} for pk_, uid in touched.items() if pk_ not in found]
    return [to_json(db, r) for r in rows], gone


def _apply_op(db: Session, request: Request, caller: Caller, op: dict[str, Any]) -> dict[str, Any]:
    entity, action = op.get("entity"), op.get("action")
    data = op.get("data") or {}
    if not isinstance(data, dict):
        raise bad_request("data must be an object")
    if op.get("uid") is not None:
        data = {**data, "uid": op["uid"]}
    if op.get("baseUpdated") is not None:
        data = {**data, "baseUpdated": op["baseUpdated"]}
    pk = as_int(op.get("id"), "id")
    if entity == "annotation":
        if action == "create":
            row = ann.create_many(db, request, caller, [data])[0]
            obj = annotation_json(db, row)
            db.commit()
            return {"annotation": obj}
        if pk is None:
            raise bad_request("id is required")
        a = ann.get_annotation(db, caller, pk, Access.RW)
        if action == "update":
            return crud.update(db, request, ann.ANNOTATION, caller, a, data)
        if action == "delete":
            return crud.delete(db, request, ann.ANNOTATION, caller, a, data)
    if entity == "annotationterm":
        a_pk = as_int(
            data.get("annotation") or data.get("userannotation"), "annotation", required=True
        )
        term = as_int(data.get("term"), "term", required=True)
        a = ann.get_annotation(db, caller, a_pk or 0, Access.RW)
        link = db.scalars(
            select(AnnotationTerm).where(
                AnnotationTerm.annotation_pk == a.pk,
                AnnotationTerm.term_pk == term,
                AnnotationTerm.user_pk == caller.pk,
            )
        ).first()
        if action == "create":
            if link is not None:  # intent already true: acknowledge, never duplicate
                return {"annotationterm": at_json(db, link)}
            from desktop_app.server.routes.annotation_term import _check_term

            _check_term(db, a.project_pk, term or 0)
            return crud.create(
                db,
                request,
                AT,
                caller,
                {**data, "_annotation": a.pk, "_term": term, "_user": caller.pk},
            )
        if action == "delete":
            if link is None:
                raise ApiError(404, "AnnotationTerm not found")
            return crud.delete(db, request, AT, caller, link, data)
    if entity == "property":
        if action == "create":
            return crud.create(db, request, PROPERTY, caller, data)
        row = db.get(Property, pk) if pk is not None else None
        if row is None:
            raise ApiError(404, f"Property {pk} not found")
        from desktop_app.server.routes.attachments import require_property_change

        require_property_change(db, caller, row)
        if action == "update":
            return crud.update(db, request, PROPERTY, caller, row, data)
        if action == "delete":
            return crud.delete(db, request, PROPERTY, caller, row, data)
    raise bad_request(f"Unsupported op {entity!r}/{action!r}")


@router.post("/api/sync/push.json")
def push(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> dict[str, Any]:
    """Apply ``ops`` in order, each in its own transaction; per-op status in ``results``."""
    body = payload
    ops = body.get("ops") if isinstance(body, dict) else None
    if not isinstance(ops, list):
        raise bad_request('Expected {"ops": [...]}')
    if len(ops) > MAX_OPS:
        raise ApiError(413, f"At most {MAX_OPS} ops per push")
    results = []
    for op in ops:
        op_id = op.get("opId") if isinstance(op, dict) else None
        try:
            if not isinstance(op, dict):
                raise bad_request("Each op must be an object")
            out = _apply_op(db, request, caller, op)
            results.append({"opId": op_id, "status": 200, "body": out})
        except ApiError as exc:
            db.rollback()
            results.append(
                {
                    "opId": op_id,
                    "status": exc.status,
                    "body": {"success": False, "errors": exc.message, **exc.extra},
                }
            )
    return {"results": results}
