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
from desktop_app.server.wire import as_float, as_int, as_str, int_list, page, request_json

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


def _apply_uploaded(db: Session, caller: Caller, u: UploadedFile, body: Json, create: bool) -> None:
    storage = as_int(body.get("storage"), "storage", required=True)
    assert storage is not None
    if storage != u.storage_pk:
        _writable_storage(db, caller, storage)
    user = as_int(body.get("user"), "user") or caller.pk
    if user != caller.pk and not caller.is_admin:
        raise forbidden("Only administrators upload in another user's name")
    parent = as_int(body.get("parent"), "parent")
    if parent is not None and parent != u.parent_pk:
        _uploaded(db, caller, parent)
    status = as_int(body.get("status"), "status")
    try:
        u.status = UploadedFileStatus(status if status is not None else 0)
    except ValueError as exc:
        raise bad_request(f"status {status} is not an UploadedFile status") from exc
    u.storage_pk, u.user_pk, u.parent_pk = storage, user, parent
    u.original_filename = as_str(
        body.get("originalFilename"), "originalFilename", required=True, max_len=1000
    )
    u.filename = as_str(body.get("filename"), "filename", required=True, max_len=1000)
    u.ext = as_str(body.get("ext"), "ext", max_len=32)
    u.content_type = as_str(body.get("contentType"), "contentType", max_len=255)
    u.size = as_int(body.get("size"), "size") or 0
    u.projects = int_list(body.get("projects"), "projects")


_DIMS = ("width", "height", "depth", "duration", "channels")
_CALIBRATION = {
    "physicalSizeX": "physical_size_x",
    "physicalSizeY": "physical_size_y",
    "physicalSizeZ": "physical_size_z",
    "fps": "fps",
}


def _apply_abstract(
    db: Session, caller: Caller, a: AbstractImage, body: Json, create: bool
) -> None:
    uploaded = as_int(body.get("uploadedFile"), "uploadedFile")
    if uploaded is not None and uploaded != a.uploaded_file_pk:
        _uploaded(db, caller, uploaded, Access.RW)
    if create:
        a.user_pk = caller.pk
    a.uploaded_file_pk = uploaded
    a.original_filename = as_str(
        body.get("originalFilename"), "originalFilename", required=True, max_len=1000
    )
    if not a.path:
        # Sizes come from the slide file when there is one; a row without pixels
        # (the client's own test data) takes them from the JSON.
        for field in _DIMS:
            value = as_int(body.get(field), field)
            if value is not None and value > 10**7:
                raise bad_request(f"{field} out of range")
            setattr(a, field, value if value is not None else (0 if field in _DIMS[:2] else 1))
    for field, attr in _CALIBRATION.items():
        setattr(a, attr, as_float(body.get(field), field))
    resolution = as_float(body.get("resolution"), "resolution")
    if resolution is not None:  # the 3.x name of the pixel size, still used by examples
        a.physical_size_x = a.physical_size_y = resolution
    for name in ("physical_size_x", "physical_size_y", "physical_size_z", "fps"):
        value = getattr(a, name)
        if value is not None and value <= 0:
            raise bad_request(f"{name} must be positive")
    a.magnification = as_int(body.get("magnification"), "magnification")
    a.bit_per_sample = as_int(body.get("bitPerSample"), "bitPerSample")
    a.samples_per_pixel = as_int(body.get("samplePerPixel"), "samplePerPixel")
    a.colorspace = as_str(body.get("colorspace"), "colorspace", max_len=32)


def _apply_slice(db: Session, caller: Caller, s: AbstractSlice, body: Json, create: bool) -> None:
    image = as_int(body.get("image"), "image", required=True)
    assert image is not None
    if create or image != s.image_pk:
        _abstract_for_write(db, caller, image, Access.RW)
    uploaded = as_int(body.get("uploadedFile"), "uploadedFile")
    if uploaded is not None and uploaded != s.uploaded_file_pk:
        _uploaded(db, caller, uploaded, Access.RW)
    s.image_pk, s.uploaded_file_pk = image, uploaded
    s.mime = as_str(body.get("mime"), "mime", max_len=255)
    for field, attr in (("channel", "channel"), ("zStack", "z_stack"), ("time", "time")):
        value = as_int(body.get(field), field) or 0
        if value > 10**6:
            raise bad_request(f"{field} out of range")
        setattr(s, attr, value)
    s.channel_name = as_str(body.get("channelName"), "channelName", max_len=255)
    s.channel_color = as_str(body.get("channelColor"), "channelColor", max_len=16)


UPLOADED = crud.Resource(
    "uploadedfile",
    CLS["uploadedfile"],
    UploadedFile,
    uploaded_file_json,
    _apply_uploaded,
    lambda db, u: [],
    "UploadedFile",
)
ABSTRACT = crud.Resource(
    "abstractimage",
    CLS["abstractimage"],
    AbstractImage,
    abstract_image_json,
    _apply_abstract,
    lambda db, a: [],
    "AbstractImage",
)
SLICE = crud.Resource(
    "abstractslice",
    CLS["abstractslice"],
    AbstractSlice,
    abstract_slice_json,
    _apply_slice,
    lambda db, s: [],
    "AbstractSlice",
)


@router.put("/api/storage/{pk}.json")
def edit_storage(
    pk: int,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    """Rename a storage; an admin may also hand it to another user (``userId``)."""
    s = _writable_storage(db, caller, pk)
    if not isinstance(payload, dict):
        raise bad_request("Expected a JSON object")
    s.name = as_str(payload.get("name"), "name", required=True, max_len=255)
    owner = as_int(payload.get("userId", payload.get("user")), "userId")
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


@router.post("/api/uploadedfile.json")
def add_uploaded(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    require_writer(caller)
    return crud.create(db, request, UPLOADED, caller, payload)


@router.put("/api/uploadedfile/{pk}.json")
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


@router.post("/api/abstractimage.json")
def add_abstract(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    require_writer(caller)
    return crud.create(db, request, ABSTRACT, caller, payload)


@router.put("/api/abstractimage/{pk}.json")
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


@router.post("/api/abstractslice.json")
def add_slice(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    require_writer(caller)
    return crud.create(db, request, SLICE, caller, payload)


@router.put("/api/abstractslice/{pk}.json")
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
