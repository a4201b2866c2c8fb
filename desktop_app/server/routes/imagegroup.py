"""Image groups and (GR legacy) image sequences with their c/z/slice/t coordinates (3.4).

A group belongs to one project and follows its rights; a sequence places one image of
that same project at a (channel, zStack, slice, time) position in the group.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.image import ImageGroup, ImageInstance, ImageSequence
from desktop_app.model.security import Access
from desktop_app.protocol.cytomine.image_groups import (
    ImageGroupBody,
    ImageGroupFilter,
    ImageGroupRef,
    ImageSequenceBody,
)
from desktop_app.protocol.cytomine.project import ProjectFilter, ProjectQuery
from desktop_app.server import crud
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import bad_request, not_found
from desktop_app.server.rights import require_project, visible_project_pks
from desktop_app.server.routes.image import get_instance
from desktop_app.server.serial import CLS, base
from desktop_app.server.wire import body_doc, page, parse_body, query_model, request_json

router = APIRouter(tags=["imagegroup"])
Json = dict[str, Any]


def group_json(db: Session, g: ImageGroup) -> Json:
    images = list(
        db.scalars(
            select(ImageSequence.image_pk).where(ImageSequence.image_group_pk == g.pk).distinct()
        )
    )
    out = base("imagegroup", g)
    out.update(
        {
            "name": g.name,
            "project": g.project_pk,
            "imageInstances": sorted(images),
            "numberOfImages": len(images),
        }
    )
    return out


def sequence_json(db: Session, s: ImageSequence) -> Json:
    out = base("imagesequence", s)
    out.update(
        {
            "image": s.image_pk,
            "imageGroup": s.image_group_pk,
            "channel": s.channel,
            "zStack": s.z_stack,
            "slice": s.slice,
            "time": s.time,
            "model": None,
        }
    )
    return out


def _apply_group(
    db: Session, caller: Caller, g: ImageGroup, body: ImageGroupBody, create: bool
) -> None:
    g.name = body.name
    if create:
        g.project_pk = _required_project(body)


def _required_project(body: ImageGroupBody) -> int:
    if body.project is None:
        raise bad_request("project is required")
    return body.project


def _apply_seq(
    db: Session, caller: Caller, s: ImageSequence, body: ImageSequenceBody, create: bool
) -> None:
    group = db.get(ImageGroup, body.imageGroup)
    image = db.get(ImageInstance, body.image)
    if group is None or image is None:
        raise bad_request("imageGroup and image must exist")
    if image.project_pk != group.project_pk:
        raise bad_request("The image and the group must be in the same project")
    require_project(db, caller, group.project_pk, Access.RW)
    s.image_group_pk, s.image_pk = group.pk, image.pk
    s.channel, s.z_stack, s.slice, s.time = body.channel, body.zStack, body.slice, body.time


GROUP = crud.Resource(
    "imagegroup",
    CLS["imagegroup"],
    ImageGroup,
    group_json,
    _apply_group,
    lambda db, g: [g.project_pk],
    "ImageGroup",
    ImageGroupBody,
)


def _seq_projects(db: Session, s: ImageSequence) -> list[int]:
    g = db.get(ImageGroup, s.image_group_pk)
    return [g.project_pk] if g else []


SEQ = crud.Resource(
    "imagesequence",
    CLS["imagesequence"],
    ImageSequence,
    sequence_json,
    _apply_seq,
    _seq_projects,
    "ImageSequence",
    ImageSequenceBody,
)


def group_at(db: Session, caller: Caller, pk: int, level: Access = Access.RO) -> ImageGroup:
    g = GROUP.get(db, pk)
    require_project(db, caller, g.project_pk, level)
    return g


def _seq(db: Session, caller: Caller, pk: int, level: Access = Access.RO) -> ImageSequence:
    s = SEQ.get(db, pk)
    group_at(db, caller, s.image_group_pk, level)
    return s


@router.get("/api/imagegroup.json")
def list_groups(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    """All groups of the caller's projects (``project=`` narrows to one)."""
    q = select(ImageGroup).order_by(ImageGroup.pk)
    project = query_model(ProjectFilter, request).project
    if project is not None:
        require_project(db, caller, project)
        q = q.where(ImageGroup.project_pk == project)
    visible = visible_project_pks(db, caller)
    if visible is not None:
        q = q.where(ImageGroup.project_pk.in_(visible))
    return page([group_json(db, g) for g in db.scalars(q)], request)


@router.get("/api/project/{project_id}/imagegroup.json")
def project_groups(
    project_id: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    require_project(db, caller, project_id)
    rows = db.scalars(
        select(ImageGroup).where(ImageGroup.project_pk == project_id).order_by(ImageGroup.pk)
    )
    return page([group_json(db, g) for g in rows], request)


@router.post("/api/imagegroup.json", openapi_extra=body_doc(ImageGroupBody))
def add_group(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    require_project(db, caller, parse_body(ProjectQuery, payload).project, Access.RW)
    return crud.create(db, request, GROUP, caller, payload)


crud.item_routes(
    router,
    "/api/imagegroup/{group_id}.json",
    GROUP,
    group_at,
    param="group_id",
    names=("get_group", "edit_group", "delete_group"),
)


@router.get("/api/imagegroup/{group_id}/imagesequence.json")
def group_sequences(
    group_id: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    g = group_at(db, caller, group_id)
    rows = db.scalars(
        select(ImageSequence)
        .where(ImageSequence.image_group_pk == g.pk)
        .order_by(
            ImageSequence.channel,
            ImageSequence.z_stack,
            ImageSequence.slice,
            ImageSequence.time,
            ImageSequence.pk,
        )
    )
    return page([sequence_json(db, s) for s in rows], request)


@router.get("/api/imagegroup/{group_id}/{c}/{z}/{s}/{t}/imagesequence.json")
def sequence_at(
    group_id: int,
    c: int,
    z: int,
    s: int,
    t: int,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    g = group_at(db, caller, group_id)
    row = db.scalars(
        select(ImageSequence).where(
            ImageSequence.image_group_pk == g.pk,
            ImageSequence.channel == c,
            ImageSequence.z_stack == z,
            ImageSequence.slice == s,
            ImageSequence.time == t,
        )
    ).first()
    if row is None:
        raise not_found("ImageSequence", f"{c}/{z}/{s}/{t}")
    return sequence_json(db, row)


@router.get("/api/imageinstance/{image_id}/imagesequence.json")
def image_sequences(
    image_id: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    image = get_instance(db, caller, image_id)
    rows = db.scalars(
        select(ImageSequence).where(ImageSequence.image_pk == image.pk).order_by(ImageSequence.pk)
    )
    return page([sequence_json(db, s) for s in rows], request)


@router.get("/api/imagesequence.json")
def list_sequences(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    """Sequences of the caller's projects (``imageGroup=`` narrows to one group)."""
    q = select(ImageSequence).join(ImageGroup, ImageGroup.pk == ImageSequence.image_group_pk)
    group = query_model(ImageGroupFilter, request).imageGroup
    if group is not None:
        q = q.where(ImageSequence.image_group_pk == group_at(db, caller, group).pk)
    visible = visible_project_pks(db, caller)
    if visible is not None:
        q = q.where(ImageGroup.project_pk.in_(visible))
    rows = [sequence_json(db, s) for s in db.scalars(q.order_by(ImageSequence.pk))]
    return page(rows, request)


@router.post("/api/imagesequence.json", openapi_extra=body_doc(ImageSequenceBody))
def add_sequence(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    group_at(db, caller, parse_body(ImageGroupRef, payload).imageGroup, Access.RW)
    return crud.create(db, request, SEQ, caller, payload)


crud.item_routes(
    router,
    "/api/imagesequence/{seq_id}.json",
    SEQ,
    _seq,
    param="seq_id",
    names=("get_sequence", "edit_sequence", "delete_sequence"),
)
