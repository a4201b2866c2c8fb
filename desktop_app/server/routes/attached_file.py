"""Attached files on a domain: multipart ``files[]`` upload, listing, download, delete.

An upload with a client ``uid`` (query parameter, as the sync engine sends it) is
idempotent: a retry after a lost answer returns the file stored the first time and
writes nothing, so a cut connection never leaves a duplicate row or stray bytes.
"""

from __future__ import annotations

import shutil
import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.attachment import AttachedFile
from desktop_app.model.security import Access
from desktop_app.protocol.cytomine.attachments import AttachedFileQuery
from desktop_app.server import crud
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import not_found
from desktop_app.server.feed import client_uid
from desktop_app.server.routes.attachments import domain_project, domain_target
from desktop_app.server.serial import CLS, base
from desktop_app.server.upload import form_file, safe_name, save_upload, stored_file
from desktop_app.server.wire import command_envelope, page, query_model

router = APIRouter()


def af_json(db: Session, f: AttachedFile) -> dict[str, Any]:
    out = base("attachedfile", f)
    out.update(
        {
            "domainIdent": f.domain_pk,
            "domainClassName": f.domain_class_name,
            "url": f"/api/attachedfile/{f.pk}/download",
            "filename": f.filename,
            "key": f.key,
        }
    )
    return out


def _apply(db: Session, caller: Caller, f: AttachedFile, body: dict[str, Any], c: bool) -> None:
    for k, v in body.items():
        if k.startswith("_"):
            setattr(f, k[1:], v)


AF = crud.Resource(
    "attachedfile",
    CLS["attachedfile"],
    AttachedFile,
    af_json,
    _apply,
    lambda db, f: [domain_project(db, f.domain_class_name, f.domain_pk)[1]],
    "AttachedFile",
)


def _stored(db: Session, f: AttachedFile) -> dict[str, Any]:
    """The answer to a retried upload: the file stored the first time, nothing written."""
    obj = af_json(db, f)
    return {**obj, **command_envelope(AF.key, obj, "added", None, AF.cls)}


@router.post("/api/attachedfile.json")
async def add_attached(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    q = query_model(AttachedFileQuery, request)
    ident = q.domainIdent
    fqcn, _ = domain_target(db, caller, q.domainClassName or "", ident, Access.RW)
    uid = client_uid(request, {"uid": q.uid})
    again = crud.existing_for_uid(db, AF, caller, uid)
    if again is not None:
        return _stored(db, again)
    part = await form_file(
        request, db, ("files[]", "file"), "No file: send it as multipart field files[]"
    )
    # The official client sends the file's full local path as the part's file name;
    # Cytomine keeps its last component, and so do we.
    sent = (part.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = safe_name(q.filename or sent)
    rel = uuid.uuid4().hex
    dest = request.app.state.settings.attached_dir / rel
    try:
        # Saved with no transaction open: the copy awaits chunk by chunk.
        _, size, _ = await save_upload(part, dest, name)
        # Again, in the transaction that writes, with no await before its commit: a
        # right may have gone, or a retry of this very upload landed, while the body came.
        domain_target(db, caller, fqcn, ident, Access.RW)
        again = crud.existing_for_uid(db, AF, caller, uid)
        if again is not None:
            shutil.rmtree(dest, ignore_errors=True)
            return _stored(db, again)
        body = {
            "uid": q.uid,
            "_domain_class_name": fqcn,
            "_domain_pk": ident,
            "_filename": name,
            "_key": q.key,
            "_path": f"{rel}/{name}",
            "_size": size,
            "_content_type": part.content_type,
        }
        out = crud.create(db, request, AF, caller, body)
    except BaseException:
        db.rollback()
        shutil.rmtree(dest, ignore_errors=True)
        raise
    # Cytomine answers the stored object itself (the client populates its model from
    # it); the command envelope's keys ride along for clients that read those.
    return {**out[AF.key], **out}


@router.get("/api/domain/{cls}/{ident}/attachedfile.json")
def list_attached(
    cls: str,
    ident: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    fqcn, _ = domain_target(db, caller, cls, ident, Access.RO)
    rows = db.scalars(
        select(AttachedFile).where(
            AttachedFile.domain_class_name == fqcn, AttachedFile.domain_pk == ident
        )
    )
    return page([af_json(db, f) for f in rows], request)


def _get(db: Session, caller: Caller, pk: int, level: Access) -> AttachedFile:
    f = db.get(AttachedFile, pk)
    if f is None:
        raise not_found("AttachedFile", pk)
    domain_target(db, caller, f.domain_class_name, f.domain_pk, level)
    return f


@router.get("/api/attachedfile/{pk}.json")
def get_attached(
    pk: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    return af_json(db, _get(db, caller, pk, Access.RO))


@router.get("/api/attachedfile/{pk}/download", response_class=FileResponse)
def download_attached(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> FileResponse:
    f = _get(db, caller, pk, Access.RO)
    root = request.app.state.settings.attached_dir
    path = stored_file(root, f.path or "", "AttachedFile content", pk)
    return FileResponse(path, filename=f.filename)


@router.delete("/api/attachedfile/{pk}.json")
def delete_attached(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    f = _get(db, caller, pk, Access.RW)
    path = f.path
    out = crud.delete(db, request, AF, caller, f)
    if path:
        shutil.rmtree(
            request.app.state.settings.attached_dir / path.split("/")[0], ignore_errors=True
        )
    return out
