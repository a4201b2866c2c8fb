"""Properties on any domain, and the domain lookup attachments share (section 3.7).

Descriptions are in :mod:`descriptions`, attached files in :mod:`attached_file`.

The target is named Cytomine's way (``domainClassName`` + ``domainIdent``); rights are
those of the target's project (read to list, rw to change).  ``annotation`` is
accepted as a class name because the official client's property URLs use it.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import CYTOMINE_CLASS, Annotation, AnnotationKind
from desktop_app.model.attachment import Property
from desktop_app.model.image import ImageInstance
from desktop_app.model.project import Project
from desktop_app.model.security import Access
from desktop_app.protocol.cytomine.attachments import PropertyBody
from desktop_app.server import crud
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.decisions import REJECTED_KEY, lock_for_decision, refuse_decision
from desktop_app.server.errors import bad_request, not_found
from desktop_app.server.rights import require_owner_or_manager, require_project
from desktop_app.server.serial import CLS, base
from desktop_app.server.serial_annotation import annotation_json
from desktop_app.server.wire import body_doc, json_body, page

router = APIRouter()

#: Simple class name -> (model, canonical FQCN).
_DOMAINS: dict[str, tuple[type[Any], str]] = {
    "project": (Project, CLS["project"]),
    "imageinstance": (ImageInstance, CLS["imageinstance"]),
    "annotation": (Annotation, CLS["annotation"]),
    "userannotation": (Annotation, CLS["annotation"]),
    "algoannotation": (Annotation, "be.cytomine.domain.ontology.AlgoAnnotation"),
    "reviewedannotation": (Annotation, CLS["reviewedannotation"]),
}


def domain_project(db: Session, cls: str, ident: int) -> tuple[str, int]:
    """(canonical class name, project pk) of a domain, 404 if it does not exist."""
    simple = cls.rsplit(".", 1)[-1].lower()
    if simple not in _DOMAINS:
        raise bad_request(f"Properties are not supported on {cls[:100]}")
    model, fqcn = _DOMAINS[simple]
    row = db.get(model, ident)
    if row is None:
        raise not_found(fqcn.rsplit(".", 1)[-1], ident)
    if model is Annotation:
        fqcn = CYTOMINE_CLASS[row.kind]
    return fqcn, row.pk if model is Project else row.project_pk


def domain_target(
    db: Session, caller: Caller, cls: str, ident: int, level: Access
) -> tuple[str, int]:
    """(class name, project) of the object an attachment or tag goes on, at ``level``."""
    fqcn, project = domain_project(db, cls, ident)
    require_project(db, caller, project, level)
    return fqcn, project


def prop_json(db: Session, p: Property) -> dict[str, Any]:
    out = base("property", p)
    out.update(
        {
            "domainIdent": p.domain_pk,
            "domainClassName": p.domain_class_name,
            "key": p.key,
            "value": p.value,
        }
    )
    return out


#: Properties one object may carry, and per request: every listing of the object reads
#: them all, and a create holds the write lock while it inserts them.
MAX_PROPERTIES = 1000


def _apply_prop(db: Session, caller: Caller, p: Property, body: PropertyBody, c: bool) -> None:
    if c:
        ident, cls = body.domainIdent, body.domainClassName
        if ident is None:
            raise bad_request("domainIdent is required")
        if cls is None:
            raise bad_request("domainClassName is required")
        if not cls.strip():
            raise bad_request("domainClassName must not be empty")
        fqcn, _ = domain_target(db, caller, cls, ident, Access.RW)
        p.domain_class_name, p.domain_pk = fqcn, ident
        held = db.scalar(
            select(func.count())
            .select_from(Property)
            .where(Property.domain_class_name == fqcn, Property.domain_pk == ident)
        )
        if (held or 0) >= MAX_PROPERTIES:
            raise bad_request(f"An object may carry at most {MAX_PROPERTIES} properties")
    p.key = body.key
    p.value = body.value
    if c and p.key == REJECTED_KEY:
        _first_decision(db, p.domain_class_name, p.domain_pk)


def _first_decision(db: Session, fqcn: str, ident: int) -> None:
    """The first review decision stands: a rejection of an annotation that is already
    accepted or rejected is refused with 409 and the existing decision."""
    lock_for_decision(db, ident)  # the check and the property's insert are atomic
    reviewed = db.scalars(
        select(Annotation).where(
            Annotation.kind == AnnotationKind.REVIEWED, Annotation.parent_pk == ident
        )
    ).first()
    if reviewed is not None:
        js = annotation_json(db, reviewed)
        refuse_decision(db, f"Annotation {ident} is already accepted", reviewedannotation=js)
    rejected = _props(db, fqcn, ident, REJECTED_KEY)
    if rejected:
        js = prop_json(db, rejected[0])
        refuse_decision(db, f"Annotation {ident} is already rejected", property=js)


def require_property_change(db: Session, caller: Caller, p: Property) -> None:
    """Editing or deleting a property: write access to its project, and on an annotation
    the rule for editing that annotation (in a restricted or closed project, only its
    owner or a project admin), except that a reviewer may withdraw their own rejection."""
    _, project = domain_target(db, caller, p.domain_class_name, p.domain_pk, Access.RW)
    if not p.domain_class_name.endswith("Annotation"):
        return
    owner = db.scalar(select(Annotation.user_pk).where(Annotation.pk == p.domain_pk))
    if p.key == REJECTED_KEY and _rejected_by(p) == caller.pk:
        return
    require_owner_or_manager(db, caller, project, owner)


def _rejected_by(p: Property) -> int | None:
    try:
        value = json.loads(p.value or "")
    except ValueError:
        return None
    user = value.get("reviewUser") if isinstance(value, dict) else None
    return user if isinstance(user, int) else None


PROPERTY = crud.Resource(
    "property",
    CLS["property"],
    Property,
    prop_json,
    _apply_prop,
    lambda db, p: [domain_project(db, p.domain_class_name, p.domain_pk)[1]],
    "Property",
    PropertyBody,
)


def _props(db: Session, fqcn: str, ident: int, key: str | None = None) -> list[Property]:
    q = select(Property).where(Property.domain_class_name == fqcn, Property.domain_pk == ident)
    if key is not None:
        q = q.where(Property.key == key)
    return list(db.scalars(q.order_by(Property.pk)))


def _register_property_routes(prefix: str, fixed_cls: str | None) -> None:
    def cls_of(cls: str | None) -> str:
        return fixed_cls or cls or ""

    @router.get(f"{prefix}/property.json", name=f"props{prefix}")
    def list_props(
        ident: int,
        request: Request,
        cls: str | None = None,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
    ) -> dict[str, Any]:
        fqcn, _ = domain_target(db, caller, cls_of(cls), ident, Access.RO)
        return page([prop_json(db, p) for p in _props(db, fqcn, ident)], request)

    @router.post(
        f"{prefix}/property.json",
        name=f"addprop{prefix}",
        openapi_extra=body_doc(PropertyBody, many=True),
    )
    async def add_prop(
        ident: int,
        request: Request,
        cls: str | None = None,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
    ) -> Any:
        body = await json_body(request)
        items = body if isinstance(body, list) else [body]
        if len(items) > MAX_PROPERTIES:
            raise bad_request(f"At most {MAX_PROPERTIES} properties per request")
        for item in items:
            if not isinstance(item, dict):
                raise bad_request("Expected a JSON object")
        extra = {"domainIdent": ident, "domainClassName": cls_of(cls)}
        return await run_in_threadpool(_create_props, db, request, caller, items, extra)

    @router.get(f"{prefix}/key/{{key}}/property.json", name=f"keyprop{prefix}")
    def prop_by_key(
        ident: int,
        key: str,
        cls: str | None = None,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
    ) -> dict[str, Any]:
        fqcn, _ = domain_target(db, caller, cls_of(cls), ident, Access.RO)
        found = _props(db, fqcn, ident, key)
        if not found:
            raise not_found("Property", key)
        return prop_json(db, found[0])

    def _one(
        db: Session, caller: Caller, cls: str, ident: int, pid: int, level: Access
    ) -> Property:
        fqcn, _ = domain_target(db, caller, cls, ident, level)
        p = db.get(Property, pid)
        if p is None or p.domain_pk != ident or p.domain_class_name != fqcn:
            raise not_found("Property", pid)
        return p

    @router.get(f"{prefix}/property/{{pid}}.json", name=f"getprop{prefix}")
    def get_prop(
        ident: int,
        pid: int,
        cls: str | None = None,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
    ) -> dict[str, Any]:
        return prop_json(db, _one(db, caller, cls_of(cls), ident, pid, Access.RO))

    @router.put(
        f"{prefix}/property/{{pid}}.json",
        name=f"putprop{prefix}",
        openapi_extra=body_doc(PropertyBody),
    )
    async def edit_prop(
        ident: int,
        pid: int,
        request: Request,
        cls: str | None = None,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
    ) -> dict[str, Any]:
        body = await json_body(request)
        return await run_in_threadpool(
            _edit_prop, db, request, caller, cls_of(cls), ident, pid, body
        )

    @router.delete(f"{prefix}/property/{{pid}}.json", name=f"delprop{prefix}")
    def delete_prop(
        ident: int,
        pid: int,
        request: Request,
        cls: str | None = None,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
    ) -> dict[str, Any]:
        p = _one(db, caller, cls_of(cls), ident, pid, Access.RW)
        require_property_change(db, caller, p)
        return crud.delete(db, request, PROPERTY, caller, p)


_register_property_routes("/api/domain/{cls}/{ident}", None)
for _simple in ("project", "imageinstance", "annotation"):
    _register_property_routes(f"/api/{_simple}/{{ident}}", _simple)


def _create_props(
    db: Session, request: Request, caller: Caller, items: list[Any], extra: dict[str, Any]
) -> Any:
    out = None
    for item in items:
        out = crud.create(db, request, PROPERTY, caller, {**item, **extra})
    return out


def _edit_prop(
    db: Session, request: Request, caller: Caller, cls: str, ident: int, pid: int, body: Any
) -> dict[str, Any]:
    fqcn, _ = domain_target(db, caller, cls, ident, Access.RW)
    p = db.get(Property, pid)
    if p is None or p.domain_pk != ident or p.domain_class_name != fqcn:
        raise not_found("Property", pid)
    require_property_change(db, caller, p)
    return crud.update(db, request, PROPERTY, caller, p, body)


@router.post("/api/property.json", openapi_extra=body_doc(PropertyBody))
async def add_property(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    """The writes run in the thread pool, never on the event loop.

    On SQLite a write begins with ``BEGIN IMMEDIATE``, whose busy wait blocks the
    thread it runs on: on the event loop it stalls every request, including the one
    holding the write lock if that one is between two awaits (seen as 30 s waits
    ending in "database is locked" with simultaneous accept/reject decisions).
    """
    body = await json_body(request)
    return await run_in_threadpool(crud.create, db, request, PROPERTY, caller, body)
