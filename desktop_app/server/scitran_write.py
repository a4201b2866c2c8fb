"""Writing SciTran containers with feed + history: create, partial update, delete.

Writes go through ``crud.insert``/``crud.update`` and the command history so a change
to a container reaches the project change feed and ``commandhistory.json`` like any
Cytomine entity; the bodies are validated by ``scitran_body``.  The JSON ``uid`` of a
session/acquisition is SciTran's data-derived id, so the client idempotency key of a
create comes only from the ``X-Client-Uid`` header here.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy import delete as sql_delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop_app.model.scitran import (
    Analysis,
    ContainerFile,
    ContainerPermission,
    ContainerType,
    Note,
)
from desktop_app.model.security import Access
from desktop_app.server import crud
from desktop_app.server.auth import Caller
from desktop_app.server.errors import ApiError, bad_request
from desktop_app.server.feed import client_uid, record_change
from desktop_app.server.history import log_command
from desktop_app.server.scitran_access import MODELS, project_of
from desktop_app.server.scitran_body import APPLY
from desktop_app.server.scitran_feed import feed_projects
from desktop_app.server.scitran_fields import FIELDS, refuse_unknown
from desktop_app.server.serial_scitran import container_json
from desktop_app.server.wire import ms, now

Json = dict[str, Any]


def resource(ctype: ContainerType) -> crud.Resource:
    def to_json(db: Session, row: Any) -> Json:
        return container_json(
            db,
            ctype,
            row,
            caller=None,
            detail=False,
            admin=False,
            project_pk=project_of(db, ctype, row),
        )

    key = ctype.value
    return crud.Resource(
        key=key,
        cls=f"scitran.{key.capitalize()}",
        model=MODELS[ctype],
        to_json=to_json,
        apply=APPLY[ctype],
        projects_of=lambda db, row: feed_projects(db, ctype, row),
        label=key.capitalize(),
    )


def create(db: Session, request: Request, caller: Caller, ctype: ContainerType, body: Any) -> Json:
    """POST: ``{"_id": "..."}``; a retried create (same ``X-Client-Uid``) gives the same id."""
    if not isinstance(body, dict):
        raise bad_request("Expected a JSON object")
    refuse_unknown(body, FIELDS[ctype])
    res = resource(ctype)
    uid = client_uid(request, None)
    again = crud.existing_for_uid(db, res, caller, uid)
    if again is not None:
        return {"_id": str(again.pk)}
    try:
        row = crud.insert(db, res, caller, body, uid)
        if ctype is ContainerType.COLLECTION:
            db.add(
                ContainerPermission(
                    container_type=ctype,
                    container_pk=row.pk,
                    user_pk=caller.rights_pk,
                    access=Access.ADMIN,
                )
            )
        log_command(db, caller, "add", res, row, res.to_json(db, row), res.projects_of(db, row))
        db.commit()
    except IntegrityError as exc:
        db.rollback()
        again = crud.existing_for_uid(db, res, caller, uid)
        if again is not None:
            return {"_id": str(again.pk)}
        raise ApiError(409, f"{ctype.value} conflicts with an existing one") from exc
    return {"_id": str(row.pk)}


def update(
    db: Session, request: Request, caller: Caller, ctype: ContainerType, row: Any, body: Any
) -> Json:
    """PUT (partial, as SciTran): ``{"modified": 1}``, with ``"ignored": [...]`` naming
    allowed fields our model does not store; 409 on a stale ``baseUpdated``; 400 for an
    empty update (SciTran refuses ``{}``) or a field SciTran's schema does not allow."""
    if isinstance(body, dict) and not set(body) - {"baseUpdated", "uid"}:
        raise bad_request("Empty update: give at least one field to change")
    if isinstance(body, dict):
        refuse_unknown(body, FIELDS[ctype] - {"parent", "inputs", "files"})
    out = crud.update(db, request, resource(ctype), caller, row, body)
    answer: Json = {"modified": 1}
    if out.get("ignored"):
        answer["ignored"] = out["ignored"]
    return answer


def remove(db: Session, caller: Caller, ctype: ContainerType, row: Any) -> Json:
    """DELETE: the container, its notes/files/analyses and (by FK) its children."""
    res = resource(ctype)
    projects = feed_projects(db, ctype, row)
    log_command(db, caller, "delete", res, row, res.to_json(db, row), projects)
    stamp = ms(now())
    if projects:
        record_change(db, projects, ctype.value, row.pk, row.uid, "deleted", stamp, caller.pk)
    for model in (Note, ContainerFile, Analysis):
        db.execute(
            sql_delete(model).where(model.container_type == ctype, model.container_pk == row.pk)
        )
    if ctype is ContainerType.COLLECTION:
        db.execute(
            sql_delete(ContainerPermission).where(
                ContainerPermission.container_type == ctype,
                ContainerPermission.container_pk == row.pk,
            )
        )
    if ctype is ContainerType.PROJECT:
        db.delete(row)  # the ORM cascades to the Cytomine side (members, images, …)
    else:
        db.execute(sql_delete(MODELS[ctype]).where(MODELS[ctype].pk == row.pk))
    try:
        db.commit()
    except IntegrityError as exc:
        db.rollback()
        raise ApiError(409, "Cannot delete: other objects still refer to it") from exc
    return {"deleted": 1}
