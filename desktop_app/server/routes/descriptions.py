"""Descriptions on any domain (section 3.7): one per object, addressed by its path.

The target is named Cytomine's way (``/api/domain/{class}/{id}/description.json``);
rights are those of the target's project (read to see it, rw to change it).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.attachment import Description
from desktop_app.model.security import Access
from desktop_app.protocol.cytomine.attachments import DescriptionBody
from desktop_app.server import crud
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import ApiError, bad_request, not_found
from desktop_app.server.routes.attachments import domain_project, domain_target
from desktop_app.server.serial import CLS, base
from desktop_app.server.wire import body_doc, request_json

router = APIRouter()


def desc_json(db: Session, d: Description) -> dict[str, Any]:
    out = base("description", d)
    out.update({"domainIdent": d.domain_pk, "domainClassName": d.domain_class_name, "data": d.data})
    return out


def _apply_desc(
    db: Session, caller: Caller, d: Description, body: DescriptionBody, c: bool
) -> None:
    if c:
        if body.fqcn is None or body.ident is None:
            raise bad_request("A description is created on a domain object's path")
        d.domain_class_name, d.domain_pk = body.fqcn, body.ident
    d.data = body.data or ""


DESCRIPTION = crud.Resource(
    "description",
    CLS["description"],
    Description,
    desc_json,
    _apply_desc,
    lambda db, d: [domain_project(db, d.domain_class_name, d.domain_pk)[1]],
    "Description",
    DescriptionBody,
)


def _desc(db: Session, fqcn: str, ident: int) -> Description | None:
    return db.scalars(
        select(Description).where(
            Description.domain_class_name == fqcn, Description.domain_pk == ident
        )
    ).first()


@router.get("/api/domain/{cls}/{ident}/description.json")
def get_description(
    cls: str, ident: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    fqcn, _ = domain_target(db, caller, cls, ident, Access.RO)
    d = _desc(db, fqcn, ident)
    if d is None:
        raise not_found("Description", ident)
    return desc_json(db, d)


@router.post("/api/domain/{cls}/{ident}/description.json", openapi_extra=body_doc(DescriptionBody))
def add_description(
    cls: str,
    ident: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> dict[str, Any]:
    fqcn, _ = domain_target(db, caller, cls, ident, Access.RW)
    body = payload
    if not isinstance(body, dict):
        raise bad_request("Expected a JSON object")
    existing = _desc(db, fqcn, ident)
    if (
        existing is not None
        and crud.existing_for_uid(db, DESCRIPTION, caller, body.get("uid")) is None
    ):
        raise ApiError(409, "Description already exists", description=desc_json(db, existing))
    return crud.create(db, request, DESCRIPTION, caller, {**body, "_fqcn": fqcn, "_ident": ident})


@router.put("/api/domain/{cls}/{ident}/description.json", openapi_extra=body_doc(DescriptionBody))
def edit_description(
    cls: str,
    ident: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> dict[str, Any]:
    fqcn, _ = domain_target(db, caller, cls, ident, Access.RW)
    d = _desc(db, fqcn, ident)
    if d is None:
        raise not_found("Description", ident)
    return crud.update(db, request, DESCRIPTION, caller, d, payload)


@router.delete("/api/domain/{cls}/{ident}/description.json")
def delete_description(
    cls: str,
    ident: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    fqcn, _ = domain_target(db, caller, cls, ident, Access.RW)
    d = _desc(db, fqcn, ident)
    if d is None:
        raise not_found("Description", ident)
    return crud.delete(db, request, DESCRIPTION, caller, d)
