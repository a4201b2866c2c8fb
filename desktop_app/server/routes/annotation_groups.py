"""Annotation groups and annotation links (Cytomine 5.x).

* ``POST /api/annotationgroup.json`` (``project``, ``imageGroup``, ``type``),
  ``GET|PUT|DELETE /api/annotationgroup/{id}.json``,
  ``GET /api/project/{id}/annotationgroup.json``, ``GET /api/imagegroup/{id}/annotationgroup.json``.
* ``POST /api/annotationlink.json`` (``annotationIdent``, ``group``),
  ``GET|DELETE /api/annotationgroup/{group}/annotation/{annotation}.json``,
  ``GET /api/annotationgroup/{id}/annotationlink.json``,
  ``GET /api/annotation/{id}/annotationlink.json``.

Rights follow the project: ro reads, rw writes.  A linked annotation must lie on an
image of the group's image group.  All are in the project's change feed
(``annotationgroup``, ``annotationlink``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import CYTOMINE_CLASS
from desktop_app.model.annotation_links import AnnotationGroup, AnnotationLink
from desktop_app.model.image import ImageGroupImageInstance
from desktop_app.model.security import Access
from desktop_app.protocol.cytomine.tracks import AnnotationGroupBody, AnnotationLinkBody
from desktop_app.server import crud
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import ApiError, bad_request, not_found
from desktop_app.server.rights import require_project, require_writer
from desktop_app.server.routes.imagegroup import group_at
from desktop_app.server.routes.tags import obj_base
from desktop_app.server.routes.tracks import annotation_at
from desktop_app.server.wire import body_doc, page, request_json

router = APIRouter()

Json = dict[str, Any]
GROUP_CLASS = "be.cytomine.domain.ontology.AnnotationGroup"
LINK_CLASS = "be.cytomine.domain.ontology.AnnotationLink"
GROUP_TYPES = ("SAME_OBJECT", "GROUPED")


def group_json(db: Session, g: AnnotationGroup) -> Json:
    out = obj_base(GROUP_CLASS, g)
    out.update({"project": g.project_pk, "imageGroup": g.image_group_pk, "type": g.type})
    return out


def _apply_group(
    db: Session, caller: Caller, g: AnnotationGroup, body: AnnotationGroupBody, create: bool
) -> None:
    ig = group_at(db, caller, body.imageGroup, Access.RW)
    project = body.project or ig.project_pk
    if project != ig.project_pk:
        raise bad_request(f"Image group {ig.pk} is not in project {project}")
    kind = (body.type or "SAME_OBJECT").upper()
    if kind not in GROUP_TYPES:
        raise bad_request("type must be SAME_OBJECT or GROUPED")
    g.project_pk, g.image_group_pk, g.type = ig.project_pk, ig.pk, kind


GROUP = crud.Resource(
    "annotationgroup",
    GROUP_CLASS,
    AnnotationGroup,
    group_json,
    _apply_group,
    lambda db, g: [g.project_pk],
    "AnnotationGroup",
    AnnotationGroupBody,
)


def _agroup(db: Session, caller: Caller, pk: int, level: Access) -> AnnotationGroup:
    g = GROUP.get(db, pk)
    require_project(db, caller, g.project_pk, level)
    return g


@router.post("/api/annotationgroup.json", openapi_extra=body_doc(AnnotationGroupBody))
def add_group(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    require_writer(caller)
    return crud.create(db, request, GROUP, caller, payload)


crud.item_routes(
    router,
    "/api/annotationgroup/{pk}.json",
    GROUP,
    _agroup,
    param="pk",
    names=("get_annotation_group", "edit_annotation_group", "delete_annotation_group"),
)


@router.get("/api/project/{pk}/annotationgroup.json")
def project_groups(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    require_project(db, caller, pk)
    rows = db.scalars(
        select(AnnotationGroup).where(AnnotationGroup.project_pk == pk).order_by(AnnotationGroup.pk)
    )
    return page([group_json(db, g) for g in rows], request)


@router.get("/api/imagegroup/{pk}/annotationgroup.json")
def image_group_groups(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    group_at(db, caller, pk)
    rows = db.scalars(
        select(AnnotationGroup)
        .where(AnnotationGroup.image_group_pk == pk)
        .order_by(AnnotationGroup.pk)
    )
    return page([group_json(db, g) for g in rows], request)


def link_json(db: Session, link: AnnotationLink) -> Json:
    out = obj_base(LINK_CLASS, link)
    out.update(
        {
            "annotationClassName": link.annotation_class_name,
            "annotationIdent": link.annotation_pk,
            "group": link.group_pk,
            "image": link.image_pk,
        }
    )
    return out


def _apply_link(
    db: Session, caller: Caller, link: AnnotationLink, body: AnnotationLinkBody, create: bool
) -> None:
    g = _agroup(db, caller, body.group, Access.RW)
    a = annotation_at(db, caller, body.annotationIdent, Access.RW)
    in_group = db.scalars(
        select(ImageGroupImageInstance.pk).where(
            ImageGroupImageInstance.group_pk == g.image_group_pk,
            ImageGroupImageInstance.image_pk == a.image_pk,
        )
    ).first()
    if in_group is None:
        raise bad_request(f"Annotation {a.pk} is not on an image of image group {g.image_group_pk}")
    taken = db.scalars(
        select(AnnotationLink.pk).where(
            AnnotationLink.group_pk == g.pk, AnnotationLink.annotation_pk == a.pk
        )
    ).first()
    if taken is not None:
        raise ApiError(409, f"Annotation {a.pk} is already in annotation group {g.pk}")
    link.group_pk, link.annotation_pk, link.image_pk = g.pk, a.pk, a.image_pk
    link.annotation_class_name = CYTOMINE_CLASS[a.kind]


LINK = crud.Resource(
    "annotationlink",
    LINK_CLASS,
    AnnotationLink,
    link_json,
    _apply_link,
    lambda db, link: [g.project_pk] if (g := db.get(AnnotationGroup, link.group_pk)) else [],
    "AnnotationLink",
    AnnotationLinkBody,
)


def _link(
    db: Session, caller: Caller, group: int, annotation: int, level: Access
) -> AnnotationLink:
    _agroup(db, caller, group, level)
    link = db.scalars(
        select(AnnotationLink).where(
            AnnotationLink.group_pk == group, AnnotationLink.annotation_pk == annotation
        )
    ).first()
    if link is None:
        raise not_found("AnnotationLink", f"{group}/{annotation}")
    return link


@router.post("/api/annotationlink.json", openapi_extra=body_doc(AnnotationLinkBody))
def add_link(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    require_writer(caller)
    return crud.create(db, request, LINK, caller, payload)


@router.get("/api/annotationgroup/{annotation_group}/annotation/{annotation}.json")
def get_link(
    annotation_group: int,
    annotation: int,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    return link_json(db, _link(db, caller, annotation_group, annotation, Access.RO))


@router.delete("/api/annotationgroup/{annotation_group}/annotation/{annotation}.json")
def delete_link(
    annotation_group: int,
    annotation: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    link = _link(db, caller, annotation_group, annotation, Access.RW)
    return crud.delete(db, request, LINK, caller, link)


@router.get("/api/annotationgroup/{pk}/annotationlink.json")
def group_links(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    _agroup(db, caller, pk, Access.RO)
    rows = db.scalars(
        select(AnnotationLink).where(AnnotationLink.group_pk == pk).order_by(AnnotationLink.pk)
    )
    return page([link_json(db, link) for link in rows], request)


@router.get("/api/annotation/{pk}/annotationlink.json")
def annotation_links(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    annotation_at(db, caller, pk, Access.RO)
    rows = db.scalars(
        select(AnnotationLink).where(AnnotationLink.annotation_pk == pk).order_by(AnnotationLink.pk)
    )
    return page([link_json(db, link) for link in rows], request)
