"""``POST /upload``: store a slide and register it as Cytomine does, all or nothing.

The file is streamed into the server storage under a fresh directory, probed with
OpenSlide, and only then are the UploadedFile, AbstractImage, AbstractSlice and (per
requested project) ImageInstance + SliceInstance rows written in ONE transaction.  A
name trying to escape the storage, a non-slide, or a failure anywhere removes the
file and leaves no row behind.
"""

from __future__ import annotations

import hashlib
import mimetypes
import shutil
import uuid
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from desktop_app.model.attachment import Property
from desktop_app.model.image import (
    AbstractImage,
    AbstractSlice,
    ImageInstance,
    SliceInstance,
    Storage,
    UploadedFile,
    UploadedFileStatus,
)
from desktop_app.model.security import Access
from desktop_app.protocol.cytomine.storage import UploadQuery
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import bad_request, forbidden, not_found
from desktop_app.server.feed import record_change
from desktop_app.server.rights import require_project, require_writer
from desktop_app.server.serial import CLS
from desktop_app.server.serial_image import (
    abstract_image_json,
    image_instance_json,
    uploaded_file_json,
)
from desktop_app.server.slides import NotASlide, probe
from desktop_app.server.wire import ms, now, query_model

router = APIRouter()


def safe_name(raw: str | None) -> str:
    """A plain file name, or 400: no directories, no parent references, no control chars."""
    name = (raw or "").strip()
    if (
        not name
        or "/" in name
        or "\\" in name
        or name in (".", "..")
        or ".." in name
        or name.startswith(".")
        or any(ord(c) < 32 for c in name)
        or len(name) > 255
    ):
        raise bad_request(f"Refused file name {name[:80]!r}: it must be a plain file name")
    return name


async def save_upload(part: UploadFile, dest_dir: Path, name: str) -> tuple[Path, int, str]:
    """Copy an upload into ``dest_dir/name``; returns (path, size, sha256)."""
    dest_dir.mkdir(parents=True, exist_ok=False)
    path = dest_dir / name
    if path.resolve().parent != dest_dir.resolve():
        raise bad_request("Refused file name")
    digest = hashlib.sha256()
    size = 0
    with open(path, "wb") as out:
        while chunk := await part.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return path, size, digest.hexdigest()


def _params(request: Request) -> tuple[int | None, list[int], list[tuple[str, str]]]:
    q = request.query_params
    storage = q.get("storage") or q.get("idStorage")
    projects = query_model(UploadQuery, request).projects
    keys = [k for k in (q.get("keys") or "").split(",") if k]
    values = (q.get("values") or "").split(",") if q.get("values") else []
    if len(keys) != len(values):
        raise bad_request("keys and values must have the same length")
    return (
        (int(storage) if storage and storage.isascii() and storage.isdigit() else None),
        projects,
        list(zip(keys, values, strict=True)),
    )


async def form_file(
    request: Request, db: Session, fields: tuple[str, str], missing: str, max_fields: int = 20
) -> UploadFile:
    """The single file part of a multipart body (the first of ``fields`` sent), else 400.

    Every upload endpoint reads its body this way so that a malformed body is the
    client's error (400) everywhere, never a 500 from the multipart parser.

    ``db``'s transaction ends before the body is awaited, so the caller re-runs its
    checks afterwards, once the file is saved (``save_upload`` awaits too), with no
    await between them and the commit.  A body can take minutes, or keep arriving
    after the client gave up (a cancelled upload's bytes still in socket buffers or a
    proxy).  On SQLite a write session holds the write lock from its first statement
    (BEGIN IMMEDIATE): held across that wait, it stalls every other writer, and one
    whose statements run on the event loop blocks the loop in SQLite's busy handler,
    so the body never arrives either: 30 s later "database is locked", a 500
    (``tests/server/test_upload_cut.py``).  On PostgreSQL it frees the pooled
    connection for the duration.
    """
    db.rollback()
    try:
        form = await request.form(max_files=1, max_fields=max_fields)
    except Exception as exc:  # multipart parser errors are client errors
        raise bad_request(f"Malformed multipart body: {exc}") from exc
    part = form.get(fields[0]) or form.get(fields[1])
    if not isinstance(part, UploadFile):
        raise bad_request(missing)
    return part


def stored_file(root: Path, rel: str | Path, noun: str, ident: Any) -> Path:
    """``root / rel`` if it is a regular file inside ``root``, else 404.

    Downloads resolve through here so that a stored path can never lead out of its
    storage directory (symlinks and ``..`` included).
    """
    root = root.resolve()
    path = (root / rel).resolve()
    if root not in path.parents or not path.is_file():
        raise not_found(noun, ident)
    return path


@router.post("/upload")
@router.post("/api/upload.json", include_in_schema=False)
async def upload(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> list[dict[str, Any]]:
    require_writer(caller)
    storage_pk, project_pks, props = _params(request)
    _targets(db, caller, storage_pk, project_pks)  # refused before the slide's bytes come
    part = await form_file(
        request, db, ("files[]", "file"), "No file: send it as multipart field files[]", 50
    )
    name = safe_name(part.filename)
    settings = request.app.state.settings
    rel_dir = uuid.uuid4().hex
    dest_dir = settings.upload_dir / rel_dir
    try:
        # Saved with no transaction open: the copy of a large slide awaits chunk by chunk.
        path, size, sha = await save_upload(part, dest_dir, name)
        try:
            meta = probe(path)
        except NotASlide as exc:
            raise bad_request(f"{name} is not a supported slide: {exc}") from exc
        # Again, in the transaction that writes, with no await before its commit: a
        # right may have gone while the body came.
        storage = _targets(db, caller, storage_pk, project_pks)
        out = _register(
            db, caller, storage, project_pks, props, name, f"{rel_dir}/{name}", size, sha, meta
        )
        db.commit()
    except BaseException:
        db.rollback()
        shutil.rmtree(dest_dir, ignore_errors=True)
        raise
    return out


def _targets(
    db: Session, caller: Caller, storage_pk: int | None, project_pks: list[int]
) -> Storage | None:
    """The upload's storage, once the caller may write it and every project, else 4xx."""
    storage = db.get(Storage, storage_pk) if storage_pk is not None else None
    if storage_pk is not None and storage is None:
        raise not_found("Storage", storage_pk)
    if storage is not None and storage.user_pk != caller.pk and not caller.is_admin:
        raise forbidden("Not your storage")
    for p in project_pks:
        require_project(db, caller, p, Access.RW)
    return storage


def _register(
    db: Session,
    caller: Caller,
    storage: Storage | None,
    project_pks: list[int],
    props: list[tuple[str, str]],
    name: str,
    rel: str,
    size: int,
    sha: str,
    meta: Any,
) -> list[dict[str, Any]]:
    ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else None
    uf = UploadedFile(
        user_pk=caller.pk,
        storage_pk=storage.pk if storage else None,
        filename=rel,
        original_filename=name,
        ext=ext,
        content_type=ctype,
        size=size,
        status=UploadedFileStatus.DEPLOYED,
        path=rel,
        projects=project_pks,
    )
    db.add(uf)
    db.flush()
    a = AbstractImage(
        uploaded_file_pk=uf.pk,
        user_pk=caller.pk,
        filename=rel,
        original_filename=name,
        width=meta.width,
        height=meta.height,
        physical_size_x=meta.mpp_x,
        physical_size_y=meta.mpp_y,
        magnification=meta.magnification,
        bit_per_sample=8,
        samples_per_pixel=3,
        colorspace="RGB",
        tile_size=256,
        content_type=ctype,
        sha256=sha,
        path=rel,
        vendor=meta.vendor,
    )
    db.add(a)
    db.flush()
    aslice = AbstractSlice(image_pk=a.pk, uploaded_file_pk=uf.pk, mime=ctype)
    db.add(aslice)
    for key, value in props:
        db.add(
            Property(domain_class_name=CLS["abstractimage"], domain_pk=a.pk, key=key, value=value)
        )
    instances = []
    for p in project_pks:
        inst = ImageInstance(base_image_pk=a.pk, project_pk=p, user_pk=caller.pk)
        inst.base_image = a
        db.add(inst)
        db.flush()
        db.add(SliceInstance(image_pk=inst.pk, base_slice_pk=aslice.pk, project_pk=p))
        record_change(db, [p], "imageinstance", inst.pk, inst.uid, "created", ms(now()), caller.pk)
        instances.append(inst)
    db.flush()
    return [
        {
            "status": 200,
            "name": name,
            "size": size,
            "uploadedFile": uploaded_file_json(db, uf),
            "images": [
                {
                    "image": abstract_image_json(db, a),
                    "imageInstances": [image_instance_json(db, i) for i in instances],
                }
            ],
        }
    ]
