"""Writes on the storage side as Cytomine's client makes them (section 3.3).

The official client builds its test data without uploading pixels: it saves an
UploadedFile row, then AbstractImage and AbstractSlice rows that point at it, then
instances of them in a project.  These routes accept exactly those calls.

Rights: a storage and what is in it belong to the storage's owner; admins may do
everything; guests write nothing.  An uploaded file is the owner's of its storage (or
its uploader's); an abstract image the owner's of its uploaded file (or its uploader's).
An abstract image still placed in a project cannot be deleted (403, as Cytomine).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

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
from desktop_app.protocol.cytomine.storage import (
    AbstractImageBody,
    AbstractSliceBody,
    StorageBody,
    UploadedFileBody,
)
from desktop_app.server import crud
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import bad_request, forbidden, not_found
from desktop_app.server.rights import require_writer
from desktop_app.server.routes.image import get_abstract
from desktop_app.server.serial import CLS
from desktop_app.server.serial_image import (
    abstract_image_json,
    abstract_slice_json,
    storage_json,
    uploaded_file_json,
)
from desktop_app.server.wire import body_doc, page, parse_body, request_json

router = APIRouter()

Json = dict[str, Any]


def _owns_storage(db: Session, caller: Caller, storage_pk: int | None) -> bool:
    if caller.is_admin:
        return True
    s = db.get(Storage, storage_pk) if storage_pk is not None else None
    return s is not None and s.user_pk == caller.pk


def _writable_storage(db: Session, caller: Caller, pk: int) -> Storage:
    s = db.get(Storage, pk)
    if s is None:
        raise not_found("Storage", pk)
    require_writer(caller)
    if not caller.is_admin and s.user_pk != caller.pk:
        raise forbidden(f"Storage {pk} is not yours")
    return s


def _uploaded(db: Session, caller: Caller, pk: int, level: Access = Access.RO) -> UploadedFile:
    u = db.get(UploadedFile, pk)
    if u is None:
        raise not_found("UploadedFile", pk)
    if level is not Access.RO:
        require_writer(caller)
    if u.user_pk != caller.pk and not _owns_storage(db, caller, u.storage_pk):
        raise forbidden(f"Uploaded file {pk} is not yours")
    return u


def _abstract_for_write(db: Session, caller: Caller, pk: int, level: Access) -> AbstractImage:
    a = get_abstract(db, caller, pk)
    if level is Access.RO:
        return a
    require_writer(caller)
    if caller.is_admin or a.user_pk == caller.pk:
        return a
    u = db.get(UploadedFile, a.uploaded_file_pk) if a.uploaded_file_pk is not None else None
    if u is None or not _owns_storage(db, caller, u.storage_pk):
        raise forbidden(f"You cannot change image {pk}")
    return a


def _slice_for(db: Session, caller: Caller, pk: int, level: Access) -> AbstractSlice:
    s = db.get(AbstractSlice, pk)
    if s is None:
        raise not_found("AbstractSlice", pk)
    _abstract_for_write(db, caller, s.image_pk, level)
    return s


def _apply_uploaded(
    db: Session, caller: Caller, u: UploadedFile, body: UploadedFileBody, create: bool
) -> None:
    storage = body.storage
    if storage != u.storage_pk:
        _writable_storage(db, caller, storage)
    user = body.user or caller.pk
    if user != caller.pk and not caller.is_admin:
        raise forbidden("Only administrators upload in another user's name")
    parent = body.parent
    if parent is not None and parent != u.parent_pk:
        _uploaded(db, caller, parent)
    status = body.status
    try:
        u.status = UploadedFileStatus(status if status is not None else 0)
    except ValueError as exc:
        raise bad_request(f"status {status} is not an UploadedFile status") from exc
    u.storage_pk, u.user_pk, u.parent_pk = storage, user, parent
    u.original_filename = body.originalFilename
    u.filename = body.filename
    u.ext = body.ext
    u.content_type = body.contentType
    u.size = body.size or 0
    u.projects = body.projects


def _apply_abstract(
    db: Session, caller: Caller, a: AbstractImage, body: AbstractImageBody, create: bool
) -> None:
    uploaded = body.uploadedFile
    if uploaded is not None and uploaded != a.uploaded_file_pk:
        _uploaded(db, caller, uploaded, Access.RW)
    if create:
        a.user_pk = caller.pk
    a.uploaded_file_pk = uploaded
    a.original_filename = body.originalFilename
    if not a.path:
        # Sizes come from the slide file when there is one; a row without pixels
        # (the client's own test data) takes them from the JSON.
        a.width, a.height = body.width or 0, body.height or 0
        a.depth = 1 if body.depth is None else body.depth
        a.duration = 1 if body.duration is None else body.duration
        a.channels = 1 if body.channels is None else body.channels
    a.physical_size_x, a.physical_size_y = body.physicalSizeX, body.physicalSizeY
    a.physical_size_z, a.fps = body.physicalSizeZ, body.fps
    resolution = body.resolution
    if resolution is not None:  # the 3.x name of the pixel size, still used by examples
        a.physical_size_x = a.physical_size_y = resolution
    for name in ("physical_size_x", "physical_size_y", "physical_size_z", "fps"):
        value = getattr(a, name)
        if value is not None and value <= 0:
            raise bad_request(f"{name} must be positive")
    a.magnification = body.magnification
    a.bit_per_sample = body.bitPerSample
    a.samples_per_pixel = body.samplePerPixel
    a.colorspace = body.colorspace


def _apply_slice(
    db: Session, caller: Caller, s: AbstractSlice, body: AbstractSliceBody, create: bool
) -> None:
    image = body.image
    if create or image != s.image_pk:
        _abstract_for_write(db, caller, image, Access.RW)
    uploaded = body.uploadedFile
    if uploaded is not None and uploaded != s.uploaded_file_pk:
        _uploaded(db, caller, uploaded, Access.RW)
    s.image_pk, s.uploaded_file_pk = image, uploaded
    s.mime = body.mime
    s.channel, s.z_stack, s.time = body.channel or 0, body.zStack or 0, body.time or 0
    s.channel_name = body.channelName
    s.channel_color = body.channelColor


UPLOADED = crud.Resource(
    "uploadedfile",
    CLS["uploadedfile"],
    UploadedFile,
    uploaded_file_json,
    _apply_uploaded,
    lambda db, u: [],
    "UploadedFile",
    UploadedFileBody,
)
ABSTRACT = crud.Resource(
    "abstractimage",
    CLS["abstractimage"],
    AbstractImage,
    abstract_image_json,
    _apply_abstract,
    lambda db, a: [],
    "AbstractImage",
    AbstractImageBody,
)
SLICE = crud.Resource(
    "abstractslice",
    CLS["abstractslice"],
    AbstractSlice,
    abstract_slice_json,
    _apply_slice,
    lambda db, s: [],
    "AbstractSlice",
    AbstractSliceBody,
)


@router.put("/api/storage/{pk}.json", openapi_extra=body_doc(StorageBody))
def edit_storage(
    pk: int,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    """Rename a storage; an admin may also hand it to another user (``userId``)."""
    s = _writable_storage(db, caller, pk)
    body = parse_body(StorageBody, payload)
    s.name = body.name
    owner = body.owner()
    if owner is not None and owner != s.user_pk:
        if not caller.is_admin:
            raise forbidden("Only administrators give a storage to another user")
        s.user_pk = owner
    db.commit()
    return {
        "message": f"Storage {s.pk} edited",
        "printMessage": True,
        "storage": storage_json(db, s),
    }


@router.post("/api/uploadedfile.json", openapi_extra=body_doc(UploadedFileBody))
def add_uploaded(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    require_writer(caller)
    return crud.create(db, request, UPLOADED, caller, payload)


@router.put("/api/uploadedfile/{pk}.json", openapi_extra=body_doc(UploadedFileBody))
def edit_uploaded(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    u = _uploaded(db, caller, pk, Access.RW)
    return crud.update(db, request, UPLOADED, caller, u, payload)


@router.delete("/api/uploadedfile/{pk}.json")
def delete_uploaded(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    """The row only: images made from it keep their pixels (their link is cleared)."""
    u = _uploaded(db, caller, pk, Access.RW)
    return crud.delete(db, request, UPLOADED, caller, u)


@router.get("/api/uploadedfile/{pk}/abstractslice.json")
def uploaded_slices(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    _uploaded(db, caller, pk)
    rows = db.scalars(
        select(AbstractSlice).where(AbstractSlice.uploaded_file_pk == pk).order_by(AbstractSlice.pk)
    )
    return page([abstract_slice_json(db, s) for s in rows], request)


@router.post("/api/abstractimage.json", openapi_extra=body_doc(AbstractImageBody))
def add_abstract(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    require_writer(caller)
    return crud.create(db, request, ABSTRACT, caller, payload)


@router.put("/api/abstractimage/{pk}.json", openapi_extra=body_doc(AbstractImageBody))
def edit_abstract(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    a = _abstract_for_write(db, caller, pk, Access.RW)
    return crud.update(db, request, ABSTRACT, caller, a, payload)


@router.delete("/api/abstractimage/{pk}.json")
def delete_abstract(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    a = _abstract_for_write(db, caller, pk, Access.RW)
    if db.scalar(select(exists().where(ImageInstance.base_image_pk == pk))):
        raise forbidden(f"Image {pk} is still used in a project; remove it from projects first")
    return crud.delete(db, request, ABSTRACT, caller, a)


@router.post("/api/abstractslice.json", openapi_extra=body_doc(AbstractSliceBody))
def add_slice(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    require_writer(caller)
    return crud.create(db, request, SLICE, caller, payload)


@router.put("/api/abstractslice/{pk}.json", openapi_extra=body_doc(AbstractSliceBody))
def edit_slice(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    s = _slice_for(db, caller, pk, Access.RW)
    return crud.update(db, request, SLICE, caller, s, payload)


@router.delete("/api/abstractslice/{pk}.json")
def delete_slice(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    s = _slice_for(db, caller, pk, Access.RW)
    if db.scalar(select(exists().where(SliceInstance.base_slice_pk == pk))):
        raise forbidden(f"Slice {pk} is still used in a project; remove its image first")
    return crud.delete(db, request, SLICE, caller, s)
