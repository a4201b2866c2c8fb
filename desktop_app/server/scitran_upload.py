"""Multipart bodies of SciTran file uploads: several files and an optional ``metadata``.

scitran/core's clients send ``file`` (or ``file1``, ``file2`` …) parts and, optionally,
a ``metadata`` part holding JSON such as
``{"acquisition": {"files": [{"name": "a.dcm", "type": "dicom", "modality": "MR",
"measurements": [...], "tags": [...], "info": {...}}]}}``.  Parsing errors are the
client's (400), never a 500 from the multipart parser.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from desktop_app.model.base import new_uid
from desktop_app.model.scitran import ContainerFile, ContainerType, FileOriginType
from desktop_app.protocol.scitran.sub import FileMeta
from desktop_app.server.auth import Caller
from desktop_app.server.errors import bad_request
from desktop_app.server.upload import safe_name, save_upload
from desktop_app.server.wire import parse_body

#: Most file parts one upload request may carry.
MAX_FILES = 100


async def upload_parts(request: Request, db: Session) -> tuple[list[UploadFile], dict[str, Any]]:
    """(file parts in order, the parsed ``metadata`` object or ``{}``).

    ``db``'s transaction ends before the body is awaited (as ``upload.form_file``'s, for
    the same reason: on SQLite a write session holds the write lock from its first
    statement, and a body can keep arriving for minutes), so the caller runs its checks
    again once the body is in.
    """
    db.rollback()
    try:
        form = await request.form(max_files=MAX_FILES + 1, max_fields=50)
    except Exception as exc:  # multipart parser errors are client errors
        raise bad_request(f"Malformed multipart body: {exc}") from exc
    files: list[UploadFile] = []
    meta: dict[str, Any] = {}
    for key, value in form.multi_items():
        if key == "metadata":
            raw = await value.read() if isinstance(value, UploadFile) else value
            try:
                meta = json.loads(raw or "{}")
            except (ValueError, UnicodeDecodeError) as exc:
                raise bad_request("metadata must be JSON") from exc
            if not isinstance(meta, dict):
                raise bad_request("metadata must be a JSON object")
        elif isinstance(value, UploadFile):
            files.append(value)
    if not files:
        raise bad_request("No file: send it as multipart field file")
    if len(files) > MAX_FILES:
        raise bad_request(f"At most {MAX_FILES} files per upload")
    return files, meta


def file_meta(meta: dict[str, Any], noun: str, name: str) -> dict[str, Any]:
    """The metadata entry of file ``name`` under ``meta[noun]["files"]``, or ``{}``."""
    entries = (meta.get(noun) or {}).get("files") if isinstance(meta.get(noun), dict) else None
    for entry in entries or []:
        if isinstance(entry, dict) and entry.get("name") == name:
            return entry
    return {}


def _file_meta(entry: dict[str, Any]) -> FileMeta:
    """A metadata entry as its model: ``null`` fields are absent, and an ``info`` that is
    not an object is left out (the file's info starts empty)."""
    kept = {k: v for k, v in entry.items() if v is not None}
    if not isinstance(kept.get("info"), dict):
        kept.pop("info", None)
    return parse_body(FileMeta, kept)


@dataclass(frozen=True, slots=True)
class Received:
    """One file part saved to ``folder/name`` (``folder`` is the file's own, named by
    ``uid``), before any database row exists for it."""

    name: str
    uid: str
    size: int
    digest: str
    content_type: str | None
    folder: Path


async def receive(
    request: Request, db: Session, root: Path
) -> tuple[list[Received], dict[str, Any]]:
    """Save every file part of a multipart upload under ``root``; returns the saved
    files and the ``metadata`` object.  On failure nothing is left.  No database work,
    and ``db``'s transaction ends before the body is awaited (``upload_parts``): the
    caller checks rights after this returns, in the transaction that writes."""
    parts, meta = await upload_parts(request, db)
    got: list[Received] = []
    folder = None
    try:
        for part in parts:
            name, uid = safe_name(part.filename), new_uid()
            folder = root / uid
            _, size, digest = await save_upload(part, folder, name)
            got.append(Received(name, uid, size, digest, part.content_type, folder))
    except BaseException:
        discard([*(r.folder for r in got), *([folder] if folder else [])])
        raise
    return got, meta


def discard(folders: list[Path]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def attach(
    db: Session,
    caller: Caller,
    ctype: ContainerType,
    pk: int,
    received: list[Received],
    meta_of: Callable[[str], dict[str, Any]],
) -> tuple[list[ContainerFile], list[Path]]:
    """File rows for the received files on container ``pk`` (``meta_of(name)``: that
    file's metadata entry); a file of the same name is replaced.  Returns the new rows
    and the folders of the replaced files, to delete once the transaction commits."""
    stored: list[ContainerFile] = []
    old_folders: list[Path] = []
    for got in received:
        m = _file_meta(meta_of(got.name))
        for old in db.scalars(
            select(ContainerFile).where(
                ContainerFile.container_type == ctype,
                ContainerFile.container_pk == pk,
                ContainerFile.name == got.name,
            )
        ):
            old_folders.append(got.folder.parent / old.uid)
            db.delete(old)
        db.flush()
        f = ContainerFile(
            container_type=ctype,
            container_pk=pk,
            name=got.name,
            uid=got.uid,
            measurements=m.measurements,
            tags=m.tags,
            info=m.info or {},
            size=got.size,
            hash=f"sha256:{got.digest}",
            type=m.type or got.content_type,
            modality=m.modality,
            origin_type=FileOriginType.USER,
            origin_id=str(caller.pk),
            origin_name=caller.user.username,
            origin_method="upload",
        )
        db.add(f)
        stored.append(f)
    return stored, old_folders
