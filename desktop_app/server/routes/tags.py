"""Tags and their associations with domains (Cytomine ``Tag``, ``TagDomainAssociation``).

* ``GET|POST /api/tag.json``, ``GET|PUT|DELETE /api/tag/{id}.json``: tags are global
  names (unique: a duplicate is 409); any non-guest creates one; its creator or an
  admin renames or deletes it; everybody reads them.
* ``GET|POST /api/domain/{class}/{id}/tag_domain_association.json``,
  ``GET|DELETE /api/tag_domain_association/{id}.json``,
  ``GET /api/tag_domain_association.json?domainClassName=&domainIdent=``: a tag on a
  project, image or annotation follows that domain's project rights (read: ro, tag or
  untag: rw), as properties do.  Associations are in the project's change feed as
  ``tagdomainassociation``.
* ``GET /api/project/{id}/tag_domain_association.json`` (our sync extension): every
  association on the project, its images and its annotations in one list, so the
  workstation's pull reads a project's tags with one request instead of one per domain.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import CYTOMINE_CLASS, Annotation
from desktop_app.model.attachment import Tag, TagDomainAssociation
from desktop_app.model.image import ImageInstance
from desktop_app.model.security import Access, User
from desktop_app.protocol.cytomine.tags import DomainRef, TagAssociationBody, TagBody
from desktop_app.server import crud
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import ApiError, forbidden, not_found
from desktop_app.server.rights import require_project, require_writer
from desktop_app.server.routes.attachments import domain_project, domain_target
from desktop_app.server.serial import CLS
from desktop_app.server.wire import body_doc, ms_str, page, query_model, request_json

router = APIRouter()

Json = dict[str, Any]
TAG_CLASS = "be.cytomine.domain.meta.Tag"
TDA_CLASS = "be.cytomine.domain.meta.TagDomainAssociation"


def obj_base(cls: str, row: Any) -> Json:
    """``class``, ``id``, ``created``, ``updated``, ``deleted``, ``uid`` of any row."""
    return {
        "class": cls,
        "id": row.pk,
        "created": ms_str(row.created),
        "updated": ms_str(getattr(row, "updated", None)),
        "deleted": None,
        "uid": row.uid,
    }


def tag_json(db: Session, t: Tag) -> Json:
    out = obj_base(TAG_CLASS, t)
    user = db.get(User, t.user_pk) if t.user_pk is not None else None
    out.update({"name": t.name, "user": t.user_pk, "creatorName": user.username if user else None})
    return out


def _apply_tag(db: Session, caller: Caller, t: Tag, body: TagBody, create: bool) -> None:
    name = body.name
    clash = db.scalars(select(Tag.pk).where(Tag.name == name, Tag.pk != t.pk)).first()
    if clash is not None:
        raise ApiError(409, f"Tag {name!r} already exists")
    t.name = name
    if create:
        t.user_pk = caller.pk


TAG = crud.Resource("tag", TAG_CLASS, Tag, tag_json, _apply_tag, lambda db, t: [], "Tag", TagBody)


def _tag(db: Session, caller: Caller, pk: int, level: Access) -> Tag:
    t = TAG.get(db, pk)
    if level is not Access.RO:
        require_writer(caller)
        if not caller.is_admin and t.user_pk != caller.pk:
            raise forbidden("Only its creator or an administrator changes a tag")
    return t


@router.get("/api/tag.json")
def list_tags(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    return page([tag_json(db, t) for t in db.scalars(select(Tag).order_by(Tag.pk))], request)


@router.post("/api/tag.json", openapi_extra=body_doc(TagBody))
def add_tag(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    require_writer(caller)
    return crud.create(db, request, TAG, caller, payload)


crud.item_routes(
    router, "/api/tag/{pk}.json", TAG, _tag, param="pk", names=("get_tag", "edit_tag", "delete_tag")
)


def tda_json(db: Session, a: TagDomainAssociation) -> Json:
    out = obj_base(TDA_CLASS, a)
    tag = db.get(Tag, a.tag_pk)
    out.update(
        {
            "domainIdent": a.domain_pk,
            "domainClassName": a.domain_class_name,
            "tag": a.tag_pk,
            "tagName": tag.name if tag else None,
        }
    )
    return out


def _apply_tda(
    db: Session, caller: Caller, a: TagDomainAssociation, body: TagAssociationBody, create: bool
) -> None:
    ident = body.domainIdent
    fqcn, _ = domain_target(db, caller, body.domainClassName, ident, Access.RW)
    tag = body.tag
    if db.get(Tag, tag) is None:
        raise not_found("Tag", tag)
    taken = db.scalars(
        select(TagDomainAssociation.pk).where(
            TagDomainAssociation.tag_pk == tag,
            TagDomainAssociation.domain_class_name == fqcn,
            TagDomainAssociation.domain_pk == ident,
        )
    ).first()
    if taken is not None:
        raise ApiError(409, f"Tag {tag} is already on {fqcn.rsplit('.', 1)[-1]} {ident}")
    a.domain_class_name, a.domain_pk, a.tag_pk = fqcn, ident, tag


TDA = crud.Resource(
    "tagdomainassociation",
    TDA_CLASS,
    TagDomainAssociation,
    tda_json,
    _apply_tda,
    lambda db, a: [domain_project(db, a.domain_class_name, a.domain_pk)[1]],
    "TagDomainAssociation",
    TagAssociationBody,
)


def _tda(db: Session, caller: Caller, pk: int, level: Access) -> TagDomainAssociation:
    a = TDA.get(db, pk)
    domain_target(db, caller, a.domain_class_name, a.domain_pk, level)
    return a


def _listing(db: Session, caller: Caller, cls: str, ident: int, request: Request) -> Json:
    fqcn, _ = domain_target(db, caller, cls, ident, Access.RO)
    rows = db.scalars(
        select(TagDomainAssociation)
        .where(
            TagDomainAssociation.domain_class_name == fqcn, TagDomainAssociation.domain_pk == ident
        )
        .order_by(TagDomainAssociation.pk)
    )
    return page([tda_json(db, a) for a in rows], request)


@router.get("/api/domain/{cls}/{ident}/tag_domain_association.json")
def domain_tags(
    cls: str,
    ident: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    return _listing(db, caller, cls, ident, request)


@router.get("/api/tag_domain_association.json")
def tags_by_query(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    ref = query_model(DomainRef, request)
    return _listing(db, caller, ref.domainClassName, ref.domainIdent, request)


@router.get("/api/project/{pk}/tag_domain_association.json")
def project_tags(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    require_project(db, caller, pk)
    on = TagDomainAssociation.domain_pk
    cls = TagDomainAssociation.domain_class_name
    images = select(ImageInstance.pk).where(ImageInstance.project_pk == pk)
    anns = select(Annotation.pk).where(Annotation.project_pk == pk)
    rows = db.scalars(
        select(TagDomainAssociation)
        .where(
            ((cls == CLS["project"]) & (on == pk))
            | ((cls == CLS["imageinstance"]) & on.in_(images))
            | (cls.in_(sorted(set(CYTOMINE_CLASS.values()))) & on.in_(anns))
        )
        .order_by(TagDomainAssociation.pk)
    )
    return page([tda_json(db, a) for a in rows], request)


@router.post(
    "/api/domain/{cls}/{ident}/tag_domain_association.json",
    openapi_extra=body_doc(TagAssociationBody),
)
def add_domain_tag(
    cls: str,
    ident: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    require_writer(caller)
    body = payload if isinstance(payload, dict) else {}
    body = {**body, "domainClassName": cls, "domainIdent": ident}
    out = crud.create(db, request, TDA, caller, body)
    # the 4.x client reads the object under its own callback name
    out["tag_domain_association"] = out[TDA.key]
    return out


crud.item_routes(
    router,
    "/api/tag_domain_association/{pk}.json",
    TDA,
    _tda,
    param="pk",
    names=("get_tag_domain_association", None, "delete_tag_domain_association"),
)
