"""User annotations: create (single and bulk), read, edit, delete, and the listing (3.6, 4.1).

Bulk creates are all-or-nothing: every item is validated before anything is written,
and one transaction inserts the rows, their terms and properties, their idempotency
keys and change-feed rows.  Items carrying a ``uid`` already used by this user are not
created again: the existing row is returned in their place.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import (
    AlgoAnnotation,
    Annotation,
    AnnotationKind,
    AnnotationTerm,
    UserAnnotation,
)
from desktop_app.model.attachment import Property
from desktop_app.model.image import ImageInstance, SliceInstance
from desktop_app.model.ontology import Term
from desktop_app.model.project import Project
from desktop_app.model.security import Access
from desktop_app.server import crud
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import ApiError, bad_request, not_found
from desktop_app.server.feed import client_uid, find_key, record_change, remember_key
from desktop_app.server.geom import from_wire
from desktop_app.server.history import log_command
from desktop_app.server.listing import list_annotations
from desktop_app.server.rights import require_owner_or_manager, require_project
from desktop_app.server.serial import CLS
from desktop_app.server.serial_annotation import annotation_json, image_geometry
from desktop_app.server.wire import as_int, command_envelope, int_list, json_body, ms, now, raw_json

router = APIRouter()
MAX_BULK = 20_000


def _apply_edit(db: Session, caller: Caller, a: Annotation, body: dict[str, Any], c: bool) -> None:
    width, height, _ = image_geometry(db, a.image_pk)
    _set_geometry(a, from_wire(body.get("location"), width, height))


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


class _Ctx:
    """Per-request caches so a 10k bulk create does not re-query the same image."""

    def __init__(self, db: Session, caller: Caller) -> None:
        self.db, self.caller = db, caller
        self.images: dict[int, tuple[ImageInstance, int, int, int | None]] = {}
        self.slices: dict[int, SliceInstance] = {}
        self.terms: dict[int, set[int]] = {}

    def image(self, pk: int) -> tuple[ImageInstance, int, int, int | None]:
        if pk not in self.images:
            img = self.db.get(ImageInstance, pk)
            if img is None:
                raise bad_request(f"Image {pk} does not exist")
            require_project(self.db, self.caller, img.project_pk, Access.RW)
            ref = self.db.scalars(
                select(SliceInstance.pk)
                .where(SliceInstance.image_pk == pk)
                .order_by(SliceInstance.pk)
            ).first()
            w, h, _ = image_geometry(self.db, pk)
            self.images[pk] = (img, w, h, ref)
        return self.images[pk]

    def ontology_terms(self, project_pk: int) -> set[int]:
        if project_pk not in self.terms:
            p = self.db.get(Project, project_pk)
            onto = p.ontology_pk if p else None
            self.terms[project_pk] = (
                set(self.db.scalars(select(Term.pk).where(Term.ontology_pk == onto)))
                if onto
                else set()
            )
        return self.terms[project_pk]


def _build(ctx: _Ctx, body: Any) -> tuple[Annotation, list[int], dict[str, str]]:
    if not isinstance(body, dict):
        raise bad_request("Each annotation must be a JSON object")
    slice_pk = as_int(body.get("slice"), "slice")
    image_pk = as_int(body.get("image"), "image")
    if slice_pk is not None:
        s = ctx.slices.get(slice_pk) or ctx.db.get(SliceInstance, slice_pk)
        if s is None:
            raise bad_request(f"Slice {slice_pk} does not exist")
        ctx.slices[slice_pk] = s
        if image_pk is not None and image_pk != s.image_pk:
            raise bad_request("slice does not belong to image")
        image_pk = s.image_pk
    if image_pk is None:
        raise bad_request("image or slice is required")
    img, width, height, ref = ctx.image(image_pk)
    geom = from_wire(body.get("location"), width, height)
    terms = int_list(body.get("term", body.get("terms")), "term")
    allowed = ctx.ontology_terms(img.project_pk)
    bad = [t for t in terms if t not in allowed]
    if bad:
        raise bad_request(f"Terms {bad} are not in the project's ontology")
    props = body.get("property", body.get("properties")) or {}
    if not isinstance(props, dict):
        raise bad_request("properties must be an object")
    user_pk = ctx.caller.pk
    if ctx.caller.is_admin and body.get("user") is not None:
        user_pk = as_int(body.get("user"), "user") or user_pk
    algo = ctx.caller.user.algo
    a: Annotation = AlgoAnnotation() if algo else UserAnnotation()
    a.kind = AnnotationKind.ALGO if algo else AnnotationKind.USER
    a.project_pk, a.image_pk, a.slice_pk, a.user_pk = (
        img.project_pk,
        img.pk,
        slice_pk or ref,
        user_pk,
    )
    _set_geometry(a, geom)
    return a, terms, {str(k)[:255]: str(v) for k, v in props.items()}


def create_many(
    db: Session, request: Request, caller: Caller, items: list[Any]
) -> list[Annotation]:
    """Validate all, then insert all in one transaction; returns rows in input order."""
    ctx = _Ctx(db, caller)
    header_uid = request.headers.get("x-client-uid") if len(items) == 1 else None
    uids = [client_uid(request, it) if isinstance(it, dict) else None for it in items]
    if header_uid and uids[0] is None:
        uids[0] = header_uid
    result: list[Annotation | None] = [None] * len(items)
    fresh: list[tuple[int, Annotation, list[int], dict[str, str]]] = []
    seen: set[str] = set()
    errors: list[dict[str, Any]] = []
    for n, item in enumerate(items):
        uid = uids[n]
        if uid is not None:
            key = find_key(db, caller.pk, f"annotation:{uid}")
            if key is not None and (old := db.get(Annotation, key.entity_pk)) is not None:
                result[n] = old
                continue
            if uid in seen:
                errors.append({"index": n, "message": f"uid {uid} repeated in the request"})
                continue
            seen.add(uid)
        try:
            a, terms, props = _build(ctx, item)
        except ApiError as exc:
            if exc.status != 400:
                raise
            errors.append({"index": n, "message": exc.message})
            continue
        if uid is not None:
            a.uid = uid
        fresh.append((n, a, terms, props))
    if errors:
        raise ApiError(400, "No entry saved: " + errors[0]["message"], errorList=errors[:100])
    db.add_all([a for _, a, _, _ in fresh])
    db.flush()
    stamp = ms(now())
    for n, a, terms, props in fresh:
        result[n] = a
        for t in terms:
            db.add(AnnotationTerm(annotation_pk=a.pk, term_pk=t, user_pk=caller.pk))
        for k, v in props.items():
            db.add(Property(domain_class_name=CLS["annotation"], domain_pk=a.pk, key=k, value=v))
        if uids[n] is not None:
            remember_key(db, caller.pk, f"annotation:{uids[n]}", "annotation", a.pk)
        record_change(db, [a.project_pk], "annotation", a.pk, a.uid, "created", stamp, caller.pk)
    db.flush()
    return [r for r in result if r is not None]


@router.post("/api/annotation.json")
@router.post("/api/userannotation.json")
@router.post("/api/algoannotation.json", include_in_schema=False)
async def add_annotation(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Any:
    """One object -> command envelope with key ``annotation``; a list -> bulk result."""
    body = await json_body(request)
    bulk = isinstance(body, list)
    items = body if bulk else [body]
    if not items:
        raise bad_request("No annotation given")
    if len(items) > MAX_BULK:
        raise ApiError(413, f"At most {MAX_BULK} annotations per request")
    rows = create_many(db, request, caller, items)
    if not bulk:
        obj = annotation_json(db, rows[0])
        cmd = log_command(db, caller, "add", ANNOTATION, rows[0], obj, [rows[0].project_pk])
        db.commit()
        return command_envelope("annotation", obj, "added", cmd, CLS["annotation"])
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


@router.get("/api/annotation.json")
@router.get("/api/userannotation.json", include_in_schema=False)
@router.get("/api/annotation/search.json", include_in_schema=False)
def search(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Response:
    return Response(list_annotations(db, caller, request), media_type="application/json")


for _prefix in ("annotation", "userannotation", "algoannotation"):

    @router.get(f"/api/{_prefix}/{{pk}}.json", name=f"get_{_prefix}")
    def read(
        pk: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
    ) -> Any:
        return annotation_json(db, get_annotation(db, caller, pk))

    @router.put(f"/api/{_prefix}/{{pk}}.json", name=f"edit_{_prefix}")
    async def edit(
        pk: int,
        request: Request,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
    ) -> Any:
        a = get_annotation(db, caller, pk, Access.RW)
        if a.kind is AnnotationKind.REVIEWED:
            raise bad_request("Edit a reviewed annotation through /api/reviewedannotation")
        return crud.update(db, request, ANNOTATION, caller, a, await json_body(request))

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
