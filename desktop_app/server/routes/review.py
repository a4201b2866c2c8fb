"""The review workflow (section 5): start/stop on an image, accept/reject annotations.

Only the image's reviewer may accept, reject or stop (400 otherwise, as Cytomine);
accepting twice, or accepting an annotation carrying a rejection (the property
``sync:review.rejected``, docs/api.md 5.4b), is 409: the first decision stands, checked
and written in one transaction under ``lock_for_decision``.  The reviewed copy is a
``kind = reviewed`` annotation row with ``parent_pk``; its confirmed terms live in
``reviewed_annotation_term``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import (
    CYTOMINE_CLASS,
    Annotation,
    AnnotationKind,
    AnnotationTerm,
    ReviewedAnnotation,
    ReviewedAnnotationTerm,
)
from desktop_app.model.attachment import Property
from desktop_app.model.image import ImageInstance
from desktop_app.model.security import Access
from desktop_app.protocol.cytomine.annotation import ReviewedBody, ReviewTerms
from desktop_app.protocol.cytomine.answers_annotation import AnnotationJson
from desktop_app.server import crud
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.decisions import REJECTED_KEY, lock_for_decision, refuse_decision
from desktop_app.server.errors import ApiError, bad_request, not_found
from desktop_app.server.feed import record_change
from desktop_app.server.geom import PRECHECKED, Prechecked, from_wire
from desktop_app.server.geometry_precheck import annotation_geometries
from desktop_app.server.history import log_command
from desktop_app.server.routes.annotation import get_annotation
from desktop_app.server.routes.annotation_term import check_term
from desktop_app.server.routes.attachments import prop_json
from desktop_app.server.routes.image import get_instance
from desktop_app.server.serial import CLS
from desktop_app.server.serial_annotation import annotation_json, image_geometry
from desktop_app.server.serial_image import image_instance_json
from desktop_app.server.wire import (
    answer_doc,
    body_doc,
    command_envelope,
    ms,
    now,
    parse_body,
    request_json,
    version_ms,
)

router = APIRouter()


def _apply_reviewed(
    db: Session, caller: Caller, r: Annotation, body: ReviewedBody, c: bool
) -> None:
    w, h, _ = image_geometry(db, r.image_pk)
    g = from_wire(body.location, w, h, db.info.get(PRECHECKED))
    r.location, r.geometry_type = g.wkb, g.geom_type
    r.min_x, r.min_y, r.max_x, r.max_y = g.bounds
    r.area, r.perimeter = g.area, g.perimeter
    if body.sent("terms"):
        _set_terms(db, r, body.terms)


def _set_terms(db: Session, r: Annotation, terms: list[int]) -> None:
    """Replace the reviewed terms; each must be a term of the project's ontology (a
    reviewer cannot confirm a term nobody in the project can read or remove)."""
    for t in set(terms):
        check_term(db, r.project_pk, t)
    for old in db.scalars(
        select(ReviewedAnnotationTerm).where(ReviewedAnnotationTerm.reviewed_annotation_pk == r.pk)
    ):
        db.delete(old)
    db.flush()
    for t in sorted(set(terms)):
        db.add(ReviewedAnnotationTerm(reviewed_annotation_pk=r.pk, term_pk=t))


REVIEWED = crud.Resource(
    "reviewedannotation",
    CLS["reviewedannotation"],
    Annotation,
    annotation_json,
    _apply_reviewed,
    lambda db, a: [a.project_pk],
    "ReviewedAnnotation",
    ReviewedBody,
)


def _image_change(db: Session, caller: Caller, i: ImageInstance) -> dict[str, Any]:
    i.updated = now()
    db.flush()
    record_change(
        db,
        [i.project_pk],
        "imageinstance",
        i.pk,
        i.uid,
        "updated",
        version_ms(i.created, i.updated),
        caller.pk,
    )
    js = image_instance_json(db, i)
    db.commit()
    return js


@router.post("/api/imageinstance/{pk}/review.json")
@router.put("/api/imageinstance/{pk}/review.json", include_in_schema=False)
def start_review(
    pk: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    i = get_instance(db, caller, pk, Access.RW)
    if i.review_start is not None and i.review_stop is None and i.review_user_pk != caller.pk:
        raise ApiError(409, f"Image {pk} is already being reviewed by user {i.review_user_pk}")
    i.review_start, i.review_user_pk, i.review_stop = now(), caller.pk, None
    js = _image_change(db, caller, i)
    return {"message": f"{caller.user.username} start reviewing on {pk}", "imageinstance": js}


@router.delete("/api/imageinstance/{pk}/review.json")
def stop_review(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    i = get_instance(db, caller, pk, Access.RW)
    if i.review_start is None:
        raise bad_request(f"Image {pk} is not in review")
    if i.review_user_pk != caller.pk and not caller.is_admin:
        raise bad_request("Only the reviewer may stop the review")
    if request.query_params.get("cancel") == "true":
        if i.review_stop is None:
            i.review_start, i.review_user_pk = None, None
        i.review_stop = None
        verb = "cancel reviewing"
    else:
        i.review_stop = now()
        verb = "validate"
    js = _image_change(db, caller, i)
    return {"message": f"{caller.user.username} {verb} on {pk}", "imageinstance": js}


def _reviewer_check(db: Session, caller: Caller, a: Annotation) -> ImageInstance:
    i = db.get(ImageInstance, a.image_pk)
    assert i is not None
    if not (i.review_start is not None and i.review_stop is None):
        raise bad_request(f"Image {i.pk} is not in review mode")
    if i.review_user_pk != caller.pk:
        raise bad_request("You must be the reviewer of this image")
    return i


def rejection_of(db: Session, parent: Annotation) -> Property | None:
    """The ``sync:review.rejected`` property on ``parent`` (docs/api.md 5.4b), or None."""
    return db.scalars(
        select(Property)
        .where(
            Property.domain_class_name == CYTOMINE_CLASS[parent.kind],
            Property.domain_pk == parent.pk,
            Property.key == REJECTED_KEY,
        )
        .order_by(Property.pk)
    ).first()


def _reviewed_of(db: Session, parent_pk: int) -> Annotation | None:
    return db.scalars(
        select(Annotation).where(
            Annotation.kind == AnnotationKind.REVIEWED, Annotation.parent_pk == parent_pk
        )
    ).first()


def write_reviewed(db: Session, caller: Caller, a: Annotation, terms: list[int]) -> Annotation:
    """Write ``a``'s reviewed copy (accepted, by the caller) with ``terms``, and feed it.

    The caller has checked that no decision exists (or removed it: adjudication).
    """
    r = ReviewedAnnotation(
        kind=AnnotationKind.REVIEWED,
        project_pk=a.project_pk,
        image_pk=a.image_pk,
        slice_pk=a.slice_pk,
        user_pk=a.user_pk,
        location=a.location,
        geometry_type=a.geometry_type,
        min_x=a.min_x,
        min_y=a.min_y,
        max_x=a.max_x,
        max_y=a.max_y,
        area=a.area,
        perimeter=a.perimeter,
        geometry_compression=a.geometry_compression,
        parent_pk=a.pk,
        parent_ident=a.pk,
        parent_class_name=CYTOMINE_CLASS[a.kind],
        status=0,
        review_user_pk=caller.pk,
    )
    db.add(r)
    db.flush()
    _set_terms(db, r, terms)
    a.count_reviewed_annotations = 1
    db.flush()
    crud._feed(db, REVIEWED, r, "created", caller)
    record_change(db, [a.project_pk], "annotation", a.pk, a.uid, "updated", ms(now()), caller.pk)
    return r


@router.post("/api/annotation/{pk}/review.json", openapi_extra=body_doc(ReviewTerms))
@router.put("/api/annotation/{pk}/review.json", include_in_schema=False)
def accept(
    pk: int,
    request: Request,
    body: Any = Depends(request_json),
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    """Plain ``def`` (thread pool): waiting for the parent's lock or SQLite's writer lock
    must not block the event loop, which the lock holder may need to finish."""
    a = get_annotation(db, caller, pk, Access.RW)
    if a.kind is AnnotationKind.REVIEWED:
        raise bad_request("A reviewed annotation cannot be reviewed")
    _reviewer_check(db, caller, a)
    raw = body.get("terms") if isinstance(body, dict) else None
    raw = raw if raw is not None else request.query_params.get("terms")
    lock_for_decision(db, pk)
    existing = _reviewed_of(db, pk)
    if existing is not None:
        js = annotation_json(db, existing)
        refuse_decision(db, "Annotation is already accepted!", reviewedannotation=js)
    rejected = rejection_of(db, a)
    if rejected is not None:  # the first decision stands, whoever made it
        js = prop_json(db, rejected)
        refuse_decision(db, f"Annotation {pk} is already rejected", property=js)
    terms = (
        parse_body(ReviewTerms, {"terms": raw}).terms
        if raw not in (None, "", [])
        else list(
            db.scalars(select(AnnotationTerm.term_pk).where(AnnotationTerm.annotation_pk == pk))
        )
    )
    r = write_reviewed(db, caller, a, terms)
    obj = annotation_json(db, r)
    cmd = log_command(db, caller, "add", REVIEWED, r, obj, [a.project_pk])
    db.commit()
    return command_envelope("reviewedannotation", obj, "added", cmd, REVIEWED.cls)


@router.delete("/api/annotation/{pk}/review.json")
def reject(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    a = get_annotation(db, caller, pk, Access.RW)
    _reviewer_check(db, caller, a)
    r = _reviewed_of(db, pk)
    if r is None:
        raise not_found("ReviewedAnnotation", f"parent={pk}")
    a.count_reviewed_annotations = 0
    record_change(db, [a.project_pk], "annotation", a.pk, a.uid, "updated", ms(now()), caller.pk)
    return crud.delete(db, request, REVIEWED, caller, r)


def _get_reviewed(db: Session, caller: Caller, pk: int, level: Access) -> Annotation:
    r = get_annotation(db, caller, pk, level)
    if r.kind is not AnnotationKind.REVIEWED:
        raise not_found("ReviewedAnnotation", pk)
    return r


@router.get("/api/reviewedannotation/{pk}.json", openapi_extra=answer_doc(AnnotationJson))
def get_reviewed(
    pk: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    return annotation_json(db, _get_reviewed(db, caller, pk, Access.RO))


@router.put("/api/reviewedannotation/{pk}.json", openapi_extra=body_doc(ReviewedBody))
def edit_reviewed(
    pk: int,
    request: Request,
    body: Any = Depends(request_json),
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    _checked: Prechecked = Depends(annotation_geometries),
) -> dict[str, Any]:
    r = _get_reviewed(db, caller, pk, Access.RW)
    return crud.update(db, request, REVIEWED, caller, r, body)


@router.delete("/api/reviewedannotation/{pk}.json")
def delete_reviewed(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    r = _get_reviewed(db, caller, pk, Access.RW)
    if r.parent_pk is not None and (parent := db.get(Annotation, r.parent_pk)) is not None:
        parent.count_reviewed_annotations = 0
    return crud.delete(db, request, REVIEWED, caller, r)
