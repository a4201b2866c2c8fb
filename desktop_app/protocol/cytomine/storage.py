"""Request bodies of storages, uploaded files, abstract images and slices, and image
instances (cytomine-api.md 3.3, 3.4)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationInfo, model_validator

from desktop_app.protocol.cytomine.base import CytomineBody
from desktop_app.protocol.cytomine.fields import IdList, Number, OptId, ReqId, refuse, text, to_id


def _bounded(limit: int) -> BeforeValidator:
    """An optional id-like count or index of at most ``limit``."""

    def check(value: Any, info: ValidationInfo) -> int | None:
        if value is None or value == "":
            return None
        name = info.field_name or "value"
        out = to_id(value, name)
        if out > limit:
            raise refuse(f"{name} out of range")
        return out

    return BeforeValidator(check)


#: An image dimension (absent: the row's default).
Dim = Annotated[int | None, _bounded(10**7)]
#: A slice position (absent: 0).
SlicePos = Annotated[int | None, _bounded(10**6)]


class OwnedBody(CytomineBody):
    """A body naming its owner as ``userId`` or, in older clients, ``user``."""

    userId: OptId = None
    user: OptId = None

    def owner(self) -> int | None:
        """``userId`` when sent (even ``null``), else ``user``."""
        return self.userId if self.sent("userId") else self.user


class StorageBody(OwnedBody):
    """``POST /api/storage.json``, ``PUT /api/storage/{id}.json``."""

    name: Annotated[str, text(255, required=True)]


class UploadedFileBody(CytomineBody):
    """``POST /api/uploadedfile.json``, ``PUT /api/uploadedfile/{id}.json``."""

    storage: ReqId
    user: OptId = None
    parent: OptId = None
    status: OptId = None
    originalFilename: Annotated[str, text(1000, required=True)]
    filename: Annotated[str, text(1000, required=True)]
    ext: Annotated[str | None, text(32)] = None
    contentType: Annotated[str | None, text(255)] = None
    size: OptId = None
    projects: IdList = []


class AbstractImageBody(CytomineBody):
    """``POST /api/abstractimage.json``, ``PUT /api/abstractimage/{id}.json``; the sizes
    count only for a row without a slide file; ``resolution`` is the 3.x pixel size."""

    uploadedFile: OptId = None
    originalFilename: Annotated[str, text(1000, required=True)]
    width: Dim = None
    height: Dim = None
    depth: Dim = None
    duration: Dim = None
    channels: Dim = None
    physicalSizeX: Number = None
    physicalSizeY: Number = None
    physicalSizeZ: Number = None
    fps: Number = None
    resolution: Number = None
    magnification: OptId = None
    bitPerSample: OptId = None
    samplePerPixel: OptId = None
    colorspace: Annotated[str | None, text(32)] = None


class AbstractSliceBody(CytomineBody):
    """``POST /api/abstractslice.json``, ``PUT /api/abstractslice/{id}.json``."""

    image: ReqId
    uploadedFile: OptId = None
    mime: Annotated[str | None, text(255)] = None
    channel: SlicePos = None
    zStack: SlicePos = None
    time: SlicePos = None
    channelName: Annotated[str | None, text(255)] = None
    channelColor: Annotated[str | None, text(16)] = None


class ImageInstanceBody(CytomineBody):
    """``POST /api/imageinstance.json`` (``baseImage`` and ``project`` required),
    ``PUT /api/imageinstance/{id}.json`` (both kept)."""

    baseImage: OptId = None
    project: OptId = None
    instanceFilename: Annotated[str | None, text(1000)] = None
    magnification: OptId = None
    physicalSizeX: Number = None
    physicalSizeY: Number = None


class UploadQuery(CytomineBody):
    """The projects ``POST /upload`` adds the image to: ``projects``, or ``idProject``
    (the storage, keys and values are read by the route)."""

    projects: IdList = []

    @model_validator(mode="before")
    @classmethod
    def _synonym(cls, raw: Any) -> Any:
        if isinstance(raw, dict) and not raw.get("projects") and raw.get("idProject"):
            return {**raw, "projects": raw["idProject"]}
        return raw


__all__ = [
    "AbstractImageBody",
    "AbstractSliceBody",
    "ImageInstanceBody",
    "OwnedBody",
    "StorageBody",
    "UploadQuery",
    "UploadedFileBody",
]
