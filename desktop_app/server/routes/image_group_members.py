"""Images in image groups (Cytomine 5.x ``ImageGroupImageInstance``).

* ``GET|POST|DELETE /api/imagegroup/{group}/imageinstance/{image}.json``: an image of
  the group's project placed in the group;
* ``GET /api/imagegroup/{id}/imagegroupimageinstance.json``,
  ``GET /api/imageinstance/{id}/imagegroupimageinstance.json``: memberships;
* ``GET /api/imagegroup/{id}/imageinstance.json``: the group's images (members, and
  images placed by the legacy ImageSequence).

Rights follow the project: ro reads, rw writes.  Memberships are in the project's
change feed as ``imagegroupimageinstance``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desktop_app.model.image import (
    ImageGroup,
    ImageGroupImageInstance,
    ImageInstance,
    ImageSequence,
)
from desktop_app.model.security import Access
from desktop_app.protocol.cytomine.image_groups import ImageGroupMemberBody
from desktop_app.server import crud
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import ApiError, bad_request, not_found
from desktop_app.server.rights import require_writer
from desktop_app.server.routes.image import get_instance
from desktop_app.server.routes.imagegroup import group_at
from desktop_app.server.routes.tags import obj_base
from desktop_app.server.serial_image import image_instance_json
from desktop_app.server.wire import body_doc, page, request_json

router = APIRouter()

Json = dict[str, Any]
IGII_CLASS = "be.cytomine.domain.image.group.ImageGroupImageInstance"


def igii_json(db: Session, m: ImageGroupImageInstance) -> Json:
    out = obj_base(IGII_CLASS, m)
    out.update({"group": m.group_pk, "image": m.image_pk})
    return out


def _apply_igii(
    db: Session,
    caller: Caller,
    m: ImageGroupImageInstance,
    body: ImageGroupMemberBody,
    create: bool,
) -> None:
    g = group_at(db, caller, body.group, Access.RW)
    i = get_instance(db, caller, body.image, Access.RW)
    if i.project_pk != g.project_pk:
        raise bad_request(f"Image {i.pk} is not in the project of image group {g.pk}")
    taken = db.scalars(
        select(ImageGroupImageInstance.pk).where(
            ImageGroupImageInstance.group_pk == g.pk, ImageGroupImageInstance.image_pk == i.pk
        )
    ).first()
    if taken is not None:
        raise ApiError(409, f"Image {i.pk} is already in image group {g.pk}")
    m.group_pk, m.image_pk = g.pk, i.pk


IGII = crud.Resource(
    "imagegroupimageinstance",
    IGII_CLASS,
    ImageGroupImageInstance,
    igii_json,
    _apply_igii,
    lambda db, m: [g.project_pk] if (g := _plain_group(db, m.group_pk)) else [],
    "ImageGroupImageInstance",
    ImageGroupMemberBody,
)


def _plain_group(db: Session, pk: int) -> Any:
    return db.get(ImageGroup, pk)


def _member(db: Session, caller: Caller, group: int, image: int, level: Access) -> Any:
    group_at(db, caller, group, level)
    m = db.scalars(
        select(ImageGroupImageInstance).where(
            ImageGroupImageInstance.group_pk == group, ImageGroupImageInstance.image_pk == image
        )
    ).first()
    if m is None:
        raise not_found("ImageGroupImageInstance", f"{group}/{image}")
    return m


@router.post(
    "/api/imagegroup/{image_group}/imageinstance/{image}.json",
    openapi_extra=body_doc(ImageGroupMemberBody),
)
def add_member(
    image_group: int,
    image: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    require_writer(caller)
    body = payload if isinstance(payload, dict) else {}
    return crud.create(db, request, IGII, caller, {**body, "group": image_group, "image": image})


@router.get("/api/imagegroup/{image_group}/imageinstance/{image}.json")
def get_member(
    image_group: int,
    image: int,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    return igii_json(db, _member(db, caller, image_group, image, Access.RO))


@router.delete("/api/imagegroup/{image_group}/imageinstance/{image}.json")
def delete_member(
    image_group: int,
    image: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    m = _member(db, caller, image_group, image, Access.RW)
    return crud.delete(db, request, IGII, caller, m)


@router.get("/api/imagegroup/{pk}/imagegroupimageinstance.json")
def group_members(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    group_at(db, caller, pk)
    rows = db.scalars(
        select(ImageGroupImageInstance)
        .where(ImageGroupImageInstance.group_pk == pk)
        .order_by(ImageGroupImageInstance.pk)
    )
    return page([igii_json(db, m) for m in rows], request)


@router.get("/api/imageinstance/{pk}/imagegroupimageinstance.json")
def image_memberships(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    get_instance(db, caller, pk)
    rows = db.scalars(
        select(ImageGroupImageInstance)
        .where(ImageGroupImageInstance.image_pk == pk)
        .order_by(ImageGroupImageInstance.pk)
    )
    return page([igii_json(db, m) for m in rows], request)


@router.get("/api/imagegroup/{pk}/imageinstance.json")
def group_images(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    group_at(db, caller, pk)
    members = select(ImageGroupImageInstance.image_pk).where(ImageGroupImageInstance.group_pk == pk)
    placed = select(ImageSequence.image_pk).where(ImageSequence.image_group_pk == pk)
    rows = db.scalars(
        select(ImageInstance)
        .where(or_(ImageInstance.pk.in_(members), ImageInstance.pk.in_(placed)))
        .order_by(ImageInstance.pk)
    )
    return page([image_instance_json(db, i) for i in rows], request)
