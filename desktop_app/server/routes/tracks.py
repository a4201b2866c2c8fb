"""Tracks and annotations on tracks (Cytomine ``Track``, ``AnnotationTrack``).

* ``POST /api/track.json`` (``name``, ``image``, ``color``), ``GET|PUT|DELETE
  /api/track/{id}.json``, ``GET /api/imageinstance/{id}/track.json``,
  ``GET /api/project/{id}/track.json``.
* ``POST|GET|DELETE /api/annotationtrack/{annotation}/{track}.json`` (``POST
  /api/annotationtrack.json`` with ``annotationIdent`` and ``track`` too),
  ``GET /api/track/{id}/annotationtrack.json``, ``GET /api/annotation/{id}/annotationtrack.json``.

Rights follow the image's project: ro reads, rw writes.  An annotation goes only on a
track of its own image.  Both are in the project's change feed (``track``,
``annotationtrack``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import CYTOMINE_CLASS, Annotation
from desktop_app.model.annotation_links import AnnotationTrack, Track
from desktop_app.model.security import Access
from desktop_app.protocol.cytomine.tracks import AnnotationTrackBody, TrackBody
from desktop_app.server import crud
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import ApiError, bad_request, not_found
from desktop_app.server.rights import require_project, require_writer
from desktop_app.server.routes.image import get_instance
from desktop_app.server.routes.tags import obj_base
from desktop_app.server.wire import body_doc, page, request_json

router = APIRouter()

Json = dict[str, Any]
TRACK_CLASS = "be.cytomine.domain.ontology.Track"
AT_CLASS = "be.cytomine.domain.ontology.AnnotationTrack"


def track_json(db: Session, t: Track) -> Json:
    out = obj_base(TRACK_CLASS, t)
    out.update({"name": t.name, "color": t.color, "image": t.image_pk, "project": t.project_pk})
    return out


def _apply_track(db: Session, caller: Caller, t: Track, body: TrackBody, create: bool) -> None:
    image = body.image
    if create or image != t.image_pk:
        inst = get_instance(db, caller, image, Access.RW)
        t.image_pk, t.project_pk = inst.pk, inst.project_pk
    t.name = body.name
    t.color = body.color


TRACK = crud.Resource(
    "track",
    TRACK_CLASS,
    Track,
    track_json,
    _apply_track,
    lambda db, t: [t.project_pk],
    "Track",
    TrackBody,
)


def _track(db: Session, caller: Caller, pk: int, level: Access) -> Track:
    t = TRACK.get(db, pk)
    require_project(db, caller, t.project_pk, level)
    return t


@router.post("/api/track.json", openapi_extra=body_doc(TrackBody))
def add_track(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    require_writer(caller)
    return crud.create(db, request, TRACK, caller, payload)


crud.item_routes(
    router,
    "/api/track/{pk}.json",
    TRACK,
    _track,
    param="pk",
    names=("get_track", "edit_track", "delete_track"),
)


@router.get("/api/imageinstance/{pk}/track.json")
def image_tracks(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    get_instance(db, caller, pk)
    rows = db.scalars(select(Track).where(Track.image_pk == pk).order_by(Track.pk))
    return page([track_json(db, t) for t in rows], request)


@router.get("/api/project/{pk}/track.json")
def project_tracks(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    require_project(db, caller, pk)
    rows = db.scalars(select(Track).where(Track.project_pk == pk).order_by(Track.pk))
    return page([track_json(db, t) for t in rows], request)


def at_json(db: Session, a: AnnotationTrack) -> Json:
    out = obj_base(AT_CLASS, a)
    out.update(
        {
            "annotationClassName": a.annotation_class_name,
            "annotationIdent": a.annotation_pk,
            "track": a.track_pk,
            "slice": a.slice_pk,
        }
    )
    return out


def annotation_at(db: Session, caller: Caller, pk: int, level: Access) -> Annotation:
    a = db.get(Annotation, pk)
    if a is None:
        raise not_found("Annotation", pk)
    require_project(db, caller, a.project_pk, level)
    return a


def _apply_at(
    db: Session, caller: Caller, at: AnnotationTrack, body: AnnotationTrackBody, create: bool
) -> None:
    a = annotation_at(db, caller, body.annotationIdent, Access.RW)
    t = _track(db, caller, body.track, Access.RW)
    if t.image_pk != a.image_pk:
        raise bad_request(f"Track {t.pk} is on another image than annotation {a.pk}")
    taken = db.scalars(
        select(AnnotationTrack.pk).where(
            AnnotationTrack.annotation_pk == a.pk, AnnotationTrack.track_pk == t.pk
        )
    ).first()
    if taken is not None:
        raise ApiError(409, f"Annotation {a.pk} is already on track {t.pk}")
    at.annotation_pk, at.track_pk, at.slice_pk = a.pk, t.pk, a.slice_pk
    at.annotation_class_name = CYTOMINE_CLASS[a.kind]


ANNOTATION_TRACK = crud.Resource(
    "annotationtrack",
    AT_CLASS,
    AnnotationTrack,
    at_json,
    _apply_at,
    lambda db, at: [t.project_pk] if (t := db.get(Track, at.track_pk)) else [],
    "AnnotationTrack",
    AnnotationTrackBody,
)


def _link(
    db: Session, caller: Caller, annotation: int, track: int, level: Access
) -> AnnotationTrack:
    _track(db, caller, track, level)
    at = db.scalars(
        select(AnnotationTrack).where(
            AnnotationTrack.annotation_pk == annotation, AnnotationTrack.track_pk == track
        )
    ).first()
    if at is None:
        raise not_found("AnnotationTrack", f"{annotation}/{track}")
    return at


@router.post("/api/annotationtrack.json", openapi_extra=body_doc(AnnotationTrackBody))
def add_annotation_track(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    require_writer(caller)
    return crud.create(db, request, ANNOTATION_TRACK, caller, payload)


@router.post(
    "/api/annotationtrack/{annotation}/{track}.json", openapi_extra=body_doc(AnnotationTrackBody)
)
def add_annotation_track_at(
    annotation: int,
    track: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    require_writer(caller)
    body = payload if isinstance(payload, dict) else {}
    body = {**body, "annotationIdent": annotation, "track": track}
    return crud.create(db, request, ANNOTATION_TRACK, caller, body)


@router.get("/api/annotationtrack/{annotation}/{track}.json")
def get_annotation_track(
    annotation: int,
    track: int,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    return at_json(db, _link(db, caller, annotation, track, Access.RO))


@router.delete("/api/annotationtrack/{annotation}/{track}.json")
def delete_annotation_track(
    annotation: int,
    track: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    at = _link(db, caller, annotation, track, Access.RW)
    return crud.delete(db, request, ANNOTATION_TRACK, caller, at)


@router.get("/api/track/{pk}/annotationtrack.json")
def track_annotations(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    _track(db, caller, pk, Access.RO)
    rows = db.scalars(
        select(AnnotationTrack).where(AnnotationTrack.track_pk == pk).order_by(AnnotationTrack.pk)
    )
    return page([at_json(db, a) for a in rows], request)


@router.get("/api/annotation/{pk}/annotationtrack.json")
def annotation_tracks(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    annotation_at(db, caller, pk, Access.RO)
    rows = db.scalars(
        select(AnnotationTrack)
        .where(AnnotationTrack.annotation_pk == pk)
        .order_by(AnnotationTrack.pk)
    )
    return page([at_json(db, a) for a in rows], request)
