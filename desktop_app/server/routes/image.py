"""Storages, uploaded files, abstract images/slices, image and slice instances (3.3).

An abstract image is readable by its uploader, admins and members of any project that
contains an instance of it; instances and slices follow their project's rights.
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
)
from desktop_app.model.project import ProjectMember
from desktop_app.model.security import Access
from desktop_app.protocol.cytomine.answers_image import (
    AbstractImageJson,
    ImageInstanceJson,
    SliceInstanceJson,
    StorageJson,
    UploadedFileJson,
)
from desktop_app.protocol.cytomine.storage import ImageInstanceBody, StorageBody
from desktop_app.server import crud
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import bad_request, forbidden, not_found
from desktop_app.server.rights import require_project, require_writer
from desktop_app.server.serial import CLS
from desktop_app.server.serial_image import (
    abstract_image_json,
    abstract_slice_json,
    image_instance_json,
    slice_instance_json,
    storage_json,
    uploaded_file_json,
)
from desktop_app.server.wire import answer_doc, body_doc, page, parse_body, request_json

router = APIRouter()


def can_read_abstract(db: Session, caller: Caller, a: AbstractImage) -> bool:
    if caller.is_admin or a.user_pk in (caller.pk, caller.rights_pk):
        return True
    return bool(
        db.scalar(
            select(
                exists().where(
                    ImageInstance.base_image_pk == a.pk,
                    ProjectMember.project_pk == ImageInstance.project_pk,
                    ProjectMember.user_pk == caller.rights_pk,
                )
            )
        )
    )


def can_use_abstract(db: Session, caller: Caller, a: AbstractImage) -> bool:
    """May the caller put this slide in a project?  As Cytomine: an administrator, or
    the owner of the storage it was uploaded to (reading it through a project is not
    enough, or a read-only member could copy it out and keep it)."""
    if caller.is_guest:
        return False
    if caller.is_admin or a.user_pk in (caller.pk, caller.rights_pk):
        return True
    owner = db.scalar(
        select(Storage.user_pk)
        .join(UploadedFile, UploadedFile.storage_pk == Storage.pk)
        .where(UploadedFile.pk == a.uploaded_file_pk)
    )
    return owner is not None and owner in (caller.pk, caller.rights_pk)


def get_abstract(db: Session, caller: Caller, pk: int) -> AbstractImage:
    a = db.get(AbstractImage, pk)
    if a is None:
        raise not_found("AbstractImage", pk)
    if not can_read_abstract(db, caller, a):
        raise forbidden(f"You cannot read image {pk}")
    return a


def get_instance(db: Session, caller: Caller, pk: int, level: Access = Access.RO) -> ImageInstance:
    i = db.get(ImageInstance, pk)
    if i is None:
        raise not_found("ImageInstance", pk)
    require_project(db, caller, i.project_pk, level)
    return i


def get_slice(db: Session, caller: Caller, pk: int) -> SliceInstance:
    s = db.get(SliceInstance, pk)
    if s is None:
        raise not_found("SliceInstance", pk)
    require_project(db, caller, s.project_pk)
    return s


def _apply_instance(
    db: Session, caller: Caller, i: ImageInstance, body: ImageInstanceBody, create: bool
) -> None:
    if create:
        if body.baseImage is None:
            raise bad_request("baseImage is required")
        a = get_abstract(db, caller, body.baseImage)
        if not can_use_abstract(db, caller, a):
            raise forbidden(
                f"Image {a.pk} is not in your storage: only its owner or an administrator "
                "may add it to a project"
            )
        project = body.project
        if project is None:
            raise bad_request("project is required")
        require_project(db, caller, project, Access.RW)
        i.base_image_pk, i.project_pk, i.user_pk = a.pk, project, caller.pk
        i.base_image = a
        slices = db.scalars(select(AbstractSlice).where(AbstractSlice.image_pk == a.pk))
        i.slices = [SliceInstance(base_slice_pk=s.pk, project_pk=project) for s in slices]
    i.instance_filename = body.instanceFilename
    i.magnification = body.magnification
    i.physical_size_x = body.physicalSizeX
    i.physical_size_y = body.physicalSizeY


INSTANCE = crud.Resource(
    "imageinstance",
    CLS["imageinstance"],
    ImageInstance,
    image_instance_json,
    _apply_instance,
    lambda db, i: [i.project_pk],
    "ImageInstance",
    ImageInstanceBody,
)


@router.get("/api/storage.json", openapi_extra=answer_doc(StorageJson, listed=True))
def list_storages(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    q = select(Storage).order_by(Storage.pk)
    if not caller.is_admin:
        q = q.where(Storage.user_pk == caller.pk)
    return page([storage_json(db, s) for s in db.scalars(q)], request)


@router.get("/api/storage/{pk}.json")
def get_storage(
    pk: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    s = db.get(Storage, pk)
    if s is None:
        raise not_found("Storage", pk)
    if not caller.is_admin and s.user_pk != caller.pk:
        raise forbidden("Not your storage")
    return storage_json(db, s)


@router.post("/api/storage.json", openapi_extra=body_doc(StorageBody))
def add_storage(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> dict[str, Any]:
    require_writer(caller)
    body = parse_body(StorageBody, payload)
    owner = body.owner() or caller.pk
    if owner != caller.pk and not caller.is_admin:
        raise forbidden("Only administrators create a storage for another user")
    s = Storage(name=body.name, user_pk=owner)
    db.add(s)
    db.commit()
    return {
        "message": f"Storage {s.pk} added",
        "printMessage": True,
        "storage": storage_json(db, s),
    }


@router.get("/api/uploadedfile.json", openapi_extra=answer_doc(UploadedFileJson, listed=True))
def list_uploaded(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    q = select(UploadedFile).order_by(UploadedFile.pk)
    if not caller.is_admin:
        q = q.where(UploadedFile.user_pk == caller.pk)
    return page([uploaded_file_json(db, u) for u in db.scalars(q)], request)


@router.get("/api/uploadedfile/{pk}.json")
def get_uploaded(
    pk: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    u = db.get(UploadedFile, pk)
    if u is None:
        raise not_found("UploadedFile", pk)
    if not caller.is_admin and u.user_pk != caller.pk:
        raise forbidden("Not your upload")
    return uploaded_file_json(db, u)


@router.get(
    "/api/uploadedfile/{pk}/abstractimage.json", openapi_extra=answer_doc(AbstractImageJson)
)
def uploaded_abstract(
    pk: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    a = db.scalars(select(AbstractImage).where(AbstractImage.uploaded_file_pk == pk)).first()
    if a is None:
        raise not_found("AbstractImage", f"uploadedFile={pk}")
    return abstract_image_json(db, get_abstract(db, caller, a.pk))


@router.get("/api/abstractimage.json")
def list_abstract(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    rows = [
        a
        for a in db.scalars(select(AbstractImage).order_by(AbstractImage.pk))
        if can_read_abstract(db, caller, a)
    ]
    return page([abstract_image_json(db, a) for a in rows], request)


@router.get("/api/abstractimage/{pk}.json", openapi_extra=answer_doc(AbstractImageJson))
def get_abstract_image(
    pk: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    return abstract_image_json(db, get_abstract(db, caller, pk))


@router.get("/api/abstractimage/{pk}/abstractslice.json")
def abstract_slices(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    get_abstract(db, caller, pk)
    rows = db.scalars(select(AbstractSlice).where(AbstractSlice.image_pk == pk))
    return page([abstract_slice_json(db, s) for s in rows], request)


@router.get("/api/abstractslice/{pk}.json")
def get_abstract_slice(
    pk: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    s = db.get(AbstractSlice, pk)
    if s is None:
        raise not_found("AbstractSlice", pk)
    get_abstract(db, caller, s.image_pk)
    return abstract_slice_json(db, s)


@router.get(
    "/api/project/{pk}/imageinstance.json", openapi_extra=answer_doc(ImageInstanceJson, listed=True)
)
def project_images(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    require_project(db, caller, pk)
    rows = db.scalars(
        select(ImageInstance).where(ImageInstance.project_pk == pk).order_by(ImageInstance.pk)
    )
    return page([image_instance_json(db, i) for i in rows], request)


@router.post("/api/imageinstance.json", openapi_extra=body_doc(ImageInstanceBody))
def add_instance(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> dict[str, Any]:
    require_writer(caller)
    return crud.create(db, request, INSTANCE, caller, payload)


crud.item_routes(
    router,
    "/api/imageinstance/{pk}.json",
    INSTANCE,
    get_instance,
    param="pk",
    names=("get_image_instance", "edit_instance", "delete_instance"),
)


@router.get(
    "/api/imageinstance/{pk}/sliceinstance.json",
    openapi_extra=answer_doc(SliceInstanceJson, listed=True),
)
def instance_slices(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    get_instance(db, caller, pk)
    rows = db.scalars(select(SliceInstance).where(SliceInstance.image_pk == pk))
    return page([slice_instance_json(db, s) for s in rows], request)


@router.get("/api/imageinstance/{pk}/sliceinstance/reference.json")
def reference_slice(
    pk: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    get_instance(db, caller, pk)
    s = db.scalars(
        select(SliceInstance).where(SliceInstance.image_pk == pk).order_by(SliceInstance.pk)
    ).first()
    if s is None:
        raise not_found("SliceInstance", f"image={pk}")
    return slice_instance_json(db, s)


@router.get("/api/sliceinstance/{pk}.json")
def get_slice_instance(
    pk: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    return slice_instance_json(db, get_slice(db, caller, pk))
