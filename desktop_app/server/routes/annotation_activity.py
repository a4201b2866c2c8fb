"""Activity records around annotations and images (Cytomine ``social`` package).

* ``POST /api/annotation_action.json`` (``annotationIdent``, ``action``): the caller
  records what they did with an annotation they may read; ``GET
  /api/imageinstance/{id}/annotation_action.json`` and ``/api/sliceinstance/{id}/…``
  (``user``, ``afterThan``, ``beforeThan``), ``GET /api/annotation_action/{id}.json``.
* ``POST /api/imageinstance/{id}/consultation.json`` (``mode``): the caller opened an
  image; ``GET /api/project/{p}/user/{u}/imageconsultation.json`` lists a user's
  openings (the user themself or a project admin).
* ``GET /api/sliceinstance/{id}/positions.json`` (same filters as the image's; a
  position recorded without a slice counts for the image's reference slice),
  ``GET /api/position/{id}.json``.

Reading needs read access to the project; like positions, a reader records their own
activity.  Activity is not project data: it is not in the change feed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from desktop_app.model.activity import ImageConsultation, UserPosition
from desktop_app.model.annotation import CYTOMINE_CLASS, Annotation
from desktop_app.model.annotation_links import AnnotationAction
from desktop_app.model.image import ImageInstance, SliceInstance
from desktop_app.model.security import Access
from desktop_app.protocol.cytomine.activity import (
    ActivityFilter,
    AnnotationActionBody,
    ConsultationBody,
)
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import forbidden, not_found
from desktop_app.server.rights import project_access, require_project
from desktop_app.server.routes.activity import image_height, position_json
from desktop_app.server.routes.image import get_instance, get_slice
from desktop_app.server.routes.tags import obj_base
from desktop_app.server.wire import body_doc, page, parse_body, query_model, request_json

router = APIRouter()

Json = dict[str, Any]
ACTION_CLASS = "be.cytomine.domain.social.AnnotationAction"
CONSULTATION_CLASS = "be.cytomine.domain.social.PersistentImageConsultation"


def _time_filters(q: Any, request: Request, created: Any, user_col: Any) -> Any:
    f = query_model(ActivityFilter, request)
    if f.user is not None:
        q = q.where(user_col == f.user)
    for name, value in (("afterThan", f.afterThan), ("beforeThan", f.beforeThan)):
        if value is not None:
            when = datetime.fromtimestamp(min(value, 253402300799000) / 1000, UTC)
            q = q.where(created > when if name == "afterThan" else created < when)
    return q


def action_json(a: AnnotationAction) -> Json:
    out = obj_base(ACTION_CLASS, a)
    out.update(
        {
            "user": a.user_pk,
            "image": a.image_pk,
            "slice": a.slice_pk,
            "project": a.project_pk,
            "annotationClassName": a.annotation_class_name,
            "annotationIdent": a.annotation_ident,
            "annotationCreator": a.annotation_creator_pk,
            "action": a.action,
        }
    )
    return out


@router.post("/api/annotation_action.json", openapi_extra=body_doc(AnnotationActionBody))
def add_action(
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    body = parse_body(AnnotationActionBody, payload)
    pk = body.annotationIdent
    a = db.get(Annotation, pk)
    if a is None:
        raise not_found("Annotation", pk)
    require_project(db, caller, a.project_pk, Access.RO)
    action = body.action
    row = AnnotationAction(
        user_pk=caller.pk,
        image_pk=a.image_pk,
        slice_pk=a.slice_pk,
        project_pk=a.project_pk,
        annotation_class_name=CYTOMINE_CLASS[a.kind],
        annotation_ident=a.pk,
        annotation_creator_pk=a.user_pk,
        action=action,
    )
    db.add(row)
    db.commit()
    obj = action_json(row)
    # the 4.x client reads the object under its callback name, ``annotation_action``
    return {"message": "AnnotationAction added", "printMessage": True, "annotation_action": obj}


def _actions(db: Session, request: Request, where: Any) -> Json:
    q = select(AnnotationAction).where(where)
    q = _time_filters(q, request, AnnotationAction.created, AnnotationAction.user_pk)
    rows = db.scalars(q.order_by(AnnotationAction.created, AnnotationAction.pk))
    return page([action_json(a) for a in rows], request)


@router.get("/api/imageinstance/{pk}/annotation_action.json")
def image_actions(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    get_instance(db, caller, pk)
    return _actions(db, request, AnnotationAction.image_pk == pk)


@router.get("/api/sliceinstance/{pk}/annotation_action.json")
def slice_actions(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    get_slice(db, caller, pk)
    return _actions(db, request, AnnotationAction.slice_pk == pk)


@router.get("/api/annotation_action/{pk}.json")
def get_action(
    pk: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    a = db.get(AnnotationAction, pk)
    if a is None:
        raise not_found("AnnotationAction", pk)
    require_project(db, caller, a.project_pk)
    return action_json(a)


def consultation_json(db: Session, c: ImageConsultation) -> Json:
    out = obj_base(CONSULTATION_CLASS, c)
    image = db.get(ImageInstance, c.image_pk)
    out.update(
        {
            "user": c.user_pk,
            "image": c.image_pk,
            "project": c.project_pk,
            "projectConnection": c.project_connection_pk,
            "mode": c.mode,
            "time": c.time,
            "countCreatedAnnotations": c.count_created_annotations,
            "imageName": (image.instance_filename or image.base_image.original_filename)
            if image
            else None,
            "imageThumb": f"/api/imageinstance/{c.image_pk}/thumb.png?maxSize=256",
        }
    )
    return out


@router.post("/api/imageinstance/{pk}/consultation.json", openapi_extra=body_doc(ConsultationBody))
def add_consultation(
    pk: int,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    image = get_instance(db, caller, pk, Access.RO)
    body = parse_body(ConsultationBody, payload if isinstance(payload, dict) else {})
    c = ImageConsultation(
        user_pk=caller.pk,
        image_pk=image.pk,
        project_pk=image.project_pk,
        mode=body.mode,
    )
    db.add(c)
    db.commit()
    return {
        "message": "ImageConsultation added",
        "printMessage": True,
        "imageconsultation": consultation_json(db, c),
    }


@router.get("/api/project/{project}/user/{user}/imageconsultation.json")
def user_consultations(
    project: int,
    user: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    require_project(db, caller, project)
    if (
        user not in (caller.pk, caller.rights_pk)
        and project_access(db, caller, project) is not Access.ADMIN
    ):
        raise forbidden("Only project administrators see other users' consultations")
    rows = db.scalars(
        select(ImageConsultation)
        .where(ImageConsultation.project_pk == project, ImageConsultation.user_pk == user)
        .order_by(ImageConsultation.created.desc(), ImageConsultation.pk.desc())
    )
    return page([consultation_json(db, c) for c in rows], request)


@router.get("/api/sliceinstance/{pk}/positions.json")
def slice_positions(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    s = get_slice(db, caller, pk)
    reference = db.scalars(
        select(SliceInstance.pk)
        .where(SliceInstance.image_pk == s.image_pk)
        .order_by(SliceInstance.pk)
    ).first()
    here = UserPosition.slice_pk == s.pk
    if reference == s.pk:
        # a position recorded without a slice is on the image's reference slice
        here = or_(here, and_(UserPosition.slice_pk.is_(None), UserPosition.image_pk == s.image_pk))
    q = select(UserPosition).where(here)
    q = _time_filters(q, request, UserPosition.created, UserPosition.user_pk)
    rows = db.scalars(q.order_by(UserPosition.created.desc(), UserPosition.pk.desc()))
    h = image_height(get_instance(db, caller, s.image_pk))
    return page([position_json(p, h) for p in rows], request)


@router.get("/api/position/{pk}.json")
def get_position(
    pk: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    p = db.get(UserPosition, pk)
    if p is None:
        raise not_found("PersistentUserPosition", pk)
    image = get_instance(db, caller, p.image_pk)
    return position_json(p, image_height(image))
