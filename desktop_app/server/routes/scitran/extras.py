"""A container's notes, files, tags and permissions (SciTran sub-resources).

Each change marks the container modified and goes to its project's change feed.
Uploaded files are stored under ``<storage>/container_files/<file uid>/<name>`` (the
uid is immutable, so the path needs no column); names are checked like uploads.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.scitran import (
    ContainerFile,
    ContainerType,
    Note,
)
from desktop_app.model.security import Access
from desktop_app.protocol.scitran.edits import TagBody
from desktop_app.protocol.scitran.sub import NoteBody
from desktop_app.server import scitran_propagate
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import bad_request, not_found
from desktop_app.server.routes.scitran.container_permissions import register_permissions
from desktop_app.server.routes.scitran.tags import duplicate
from desktop_app.server.scitran_access import (
    KINDS,
    parse_id,
    require_container,
    require_group,
)
from desktop_app.server.scitran_feed import touch
from desktop_app.server.scitran_upload import attach, discard, file_meta, receive
from desktop_app.server.serial_scitran import file_json
from desktop_app.server.upload import stored_file
from desktop_app.server.wire import body_doc, now, parse_body, parse_value, request_json

router = APIRouter()
Json = dict[str, Any]


def _body(raw: Any) -> Json:
    if not isinstance(raw, dict):
        raise bad_request("Expected a JSON object")
    return raw


def file_named(db: Session, ctype: ContainerType, pk: int, name: str) -> ContainerFile:
    """The file ``name`` of a container (404 when it has none); the info routes too."""
    f = db.scalars(
        select(ContainerFile).where(
            ContainerFile.container_type == ctype,
            ContainerFile.container_pk == pk,
            ContainerFile.name == name,
        )
    ).first()
    if f is None:
        raise not_found("File", name)
    return f


def _rw(db: Session, caller: Caller, ctype: ContainerType, cid: str) -> Any:
    return require_container(db, caller, ctype, parse_id(cid, ctype.value), Access.RW)


def _add_routes(
    segment: str,
    routes: tuple[tuple[str, str, Callable[..., Any]], ...],
    body: type[BaseModel] | None = None,
) -> None:
    """``routes`` under ``/api/{segment}/{cid}``; ``body``: the model of the POST's body."""
    base = f"/api/{segment}/{{cid}}"
    for method, path, fn in routes:
        doc = body_doc(body) if body is not None and method == "POST" else None
        router.add_api_route(
            base + path,
            fn,
            methods=[method],
            name=f"scitran_{segment}_{fn.__name__}",
            openapi_extra=doc,
        )


def _register(segment: str, ctype: ContainerType) -> None:
    _register_notes(segment, ctype)
    _register_files(segment, ctype)
    _register_tags(segment, ctype)
    if ctype in (ContainerType.PROJECT, ContainerType.COLLECTION):
        register_permissions(router, segment, ctype)


def _register_notes(segment: str, ctype: ContainerType) -> None:
    def add_note(
        cid: str,
        request: Request,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
        payload: Any = Depends(request_json),
    ) -> Json:
        row = _rw(db, caller, ctype, cid)
        text = parse_body(NoteBody, payload).text
        note = Note(container_type=ctype, container_pk=row.pk, user_pk=caller.pk, text=text)
        db.add(note)
        touch(db, caller, ctype, row)
        db.commit()
        return {"modified": 1, "_id": str(note.pk)}

    def delete_note(
        cid: str, nid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
    ) -> Json:
        row = _rw(db, caller, ctype, cid)
        note = db.get(Note, parse_id(nid, "note"))
        if note is None or note.container_type != ctype or note.container_pk != row.pk:
            raise not_found("Note", nid)
        db.delete(note)
        touch(db, caller, ctype, row)
        db.commit()
        return {"modified": 1}

    _add_routes(
        segment, (("POST", "/notes", add_note), ("DELETE", "/notes/{nid}", delete_note)), NoteBody
    )


def _register_files(segment: str, ctype: ContainerType) -> None:
    noun = ctype.value

    def list_files(
        cid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
    ) -> list[Json]:
        row = require_container(db, caller, ctype, parse_id(cid, noun))
        rows = db.scalars(
            select(ContainerFile)
            .where(ContainerFile.container_type == ctype, ContainerFile.container_pk == row.pk)
            .order_by(ContainerFile.pk)
        )
        return [file_json(db, f, True) for f in rows]

    async def upload_file(
        cid: str,
        request: Request,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
    ) -> Json:
        """Multipart ``file`` parts (``file``, ``file1``…, ``files[]``) and an optional
        ``metadata`` part (``scitran_upload``); a file of the same name is replaced."""
        _rw(db, caller, ctype, cid)  # refused before the body comes
        root = request.app.state.settings.storage_dir / "container_files"
        received, meta = await receive(request, db, root)
        try:
            # Again, in the transaction that writes: the container or a right may have
            # gone while the body came.
            row = _rw(db, caller, ctype, cid)
            stored, old_folders = attach(
                db, caller, ctype, row.pk, received, lambda name: file_meta(meta, noun, name)
            )
            touch(db, caller, ctype, row)
            db.commit()
        except BaseException:
            db.rollback()
            discard([r.folder for r in received])
            raise
        discard(old_folders)
        files = [file_json(db, f, True) for f in stored]
        return {"modified": len(files), "file": files[0], "files": files}

    def download_file(
        cid: str,
        name: str,
        request: Request,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
    ) -> FileResponse:
        row = require_container(db, caller, ctype, parse_id(cid, noun))
        f = file_named(db, ctype, row.pk, name)
        root = request.app.state.settings.storage_dir / "container_files"
        path = stored_file(root, Path(f.uid) / f.name, "File content", name)
        return FileResponse(path, filename=f.name)

    def delete_file(
        cid: str,
        name: str,
        request: Request,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
    ) -> Json:
        row = _rw(db, caller, ctype, cid)
        f = file_named(db, ctype, row.pk, name)
        folder = request.app.state.settings.storage_dir / "container_files" / f.uid
        db.delete(f)
        touch(db, caller, ctype, row)
        db.commit()
        shutil.rmtree(folder, ignore_errors=True)
        return {"modified": 1}

    _add_routes(
        segment,
        (
            ("GET", "/files", list_files),
            ("POST", "/files", upload_file),
            ("GET", "/files/{name}", download_file),
            ("DELETE", "/files/{name}", delete_file),
        ),
    )


def _register_tags(segment: str, ctype: ContainerType) -> None:
    def add_tag(
        cid: str,
        request: Request,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
        payload: Any = Depends(request_json),
    ) -> Json:
        row = _rw(db, caller, ctype, cid)
        value = parse_value(TagBody, payload).value
        if value in (row.tags or []):
            raise duplicate(value)
        row.tags = [*(row.tags or []), value]
        touch(db, caller, ctype, row)
        db.commit()
        return {"modified": 1}

    def delete_tag(
        cid: str,
        value: str,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
    ) -> Json:
        row = _rw(db, caller, ctype, cid)
        if value not in (row.tags or []):
            raise not_found("Tag", value)
        row.tags = [t for t in row.tags if t != value]
        touch(db, caller, ctype, row)
        db.commit()
        return {"modified": 1}

    _add_routes(
        segment, (("POST", "/tags", add_tag), ("DELETE", "/tags/{value}", delete_tag)), TagBody
    )


for _segment, _ctype in KINDS.items():
    _register(_segment, _ctype)


# --- group tags -------------------------------------------------------
@router.post("/api/groups/{gid}/tags", openapi_extra=body_doc(TagBody))
def add_group_tag(
    gid: str,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    g = require_group(db, caller, gid, Access.RW)
    value = parse_value(TagBody, payload).value
    if value in (g.tags or []):
        raise duplicate(value)
    g.tags = [*(g.tags or []), value]
    g.updated = now()
    db.commit()
    return {"modified": 1}


@router.delete("/api/groups/{gid}/tags/{value}")
def delete_group_tag(
    gid: str, value: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    g = require_group(db, caller, gid, Access.RW)
    if value not in (g.tags or []):
        raise not_found("Tag", value)
    g.tags = [t for t in g.tags if t != value]
    for ctype, row in scitran_propagate.group_tag(db, g.pk, value, None):
        touch(db, caller, ctype, row)
    g.updated = now()
    db.commit()
    return {"modified": 1}
