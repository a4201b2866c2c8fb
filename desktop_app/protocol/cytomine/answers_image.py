"""Answer objects of images and where they come from (cytomine-api.md 3.3-3.4):
storages, uploaded files, abstract images, image and slice instances, and the answer of
``POST /upload``; what a checkout and a slide upload read."""

from __future__ import annotations

from typing import NotRequired

from pydantic import TypeAdapter, with_config
from typing_extensions import TypedDict

from desktop_app.protocol.cytomine.answer_base import ANSWER_CONFIG, DomainObject, Stamp


@with_config(ANSWER_CONFIG)
class StorageJson(DomainObject):
    """A storage; ``userId`` repeats ``user`` (the name the 4.x client reads)."""

    name: NotRequired[str | None]
    user: NotRequired[int | None]
    userId: NotRequired[int | None]
    basePath: NotRequired[str | None]


@with_config(ANSWER_CONFIG)
class UploadedFileJson(DomainObject):
    """A file uploaded into a storage; ``status`` 100 once deployed."""

    user: NotRequired[int | None]
    storage: NotRequired[int | None]
    parent: NotRequired[int | None]
    filename: NotRequired[str | None]
    originalFilename: NotRequired[str | None]
    ext: NotRequired[str | None]
    contentType: NotRequired[str | None]
    size: NotRequired[int | None]
    status: NotRequired[int | None]
    projects: NotRequired[list[int]]
    path: NotRequired[str | None]


@with_config(ANSWER_CONFIG)
class ImageFields(DomainObject):
    """What an abstract image and its instances both carry: the slide's file, size
    (``width``, ``height``) and pixel format."""

    width: int
    height: int
    filename: NotRequired[str | None]
    originalFilename: NotRequired[str | None]
    path: NotRequired[str | None]
    contentType: NotRequired[str | None]
    depth: NotRequired[int | None]
    duration: NotRequired[int | None]
    channels: NotRequired[int | None]
    extrinsicChannels: NotRequired[int | None]
    apparentChannels: NotRequired[int | None]
    dimensions: NotRequired[str | None]
    physicalSizeX: NotRequired[float | None]
    physicalSizeY: NotRequired[float | None]
    physicalSizeZ: NotRequired[float | None]
    fps: NotRequired[float | None]
    zoom: NotRequired[int | None]
    tileSize: NotRequired[int | None]
    isVirtual: NotRequired[bool | None]
    magnification: NotRequired[int | None]
    bitPerSample: NotRequired[int | None]
    samplePerPixel: NotRequired[int | None]
    colorspace: NotRequired[str | None]
    user: NotRequired[int | None]
    thumb: NotRequired[str | None]
    preview: NotRequired[str | None]
    macroURL: NotRequired[str | None]


@with_config(ANSWER_CONFIG)
class AbstractImageJson(ImageFields):
    """A slide of a storage (``uploadedFile``), in projects or not."""

    uploadedFile: NotRequired[int | None]
    inProject: NotRequired[bool]


@with_config(ANSWER_CONFIG)
class ImageInstanceJson(ImageFields):
    """An image of a project: its abstract image's fields (``baseImage``), the
    instance's own, and its review state and counts."""

    baseImage: int
    project: NotRequired[int]
    instanceFilename: NotRequired[str | None]
    blindedName: NotRequired[str | None]
    reviewStart: NotRequired[Stamp]
    reviewStop: NotRequired[Stamp]
    reviewUser: NotRequired[int | None]
    reviewed: NotRequired[bool]
    inReview: NotRequired[bool]
    numberOfAnnotations: NotRequired[int]
    numberOfJobAnnotations: NotRequired[int]
    numberOfReviewedAnnotations: NotRequired[int]


@with_config(ANSWER_CONFIG)
class SliceInstanceJson(DomainObject):
    """One slice (channel, z, time) of an image instance; ``baseSlice``: its abstract
    slice."""

    uploadedFile: NotRequired[int | None]
    project: NotRequired[int | None]
    baseSlice: NotRequired[int | None]
    image: NotRequired[int | None]
    path: NotRequired[str | None]
    mime: NotRequired[str | None]
    channel: NotRequired[int | None]
    zStack: NotRequired[int | None]
    time: NotRequired[int | None]
    rank: NotRequired[int | None]
    channelName: NotRequired[str | None]
    channelColor: NotRequired[str | None]
    zName: NotRequired[str | None]


@with_config(ANSWER_CONFIG)
class UploadedImage(TypedDict):
    """An image an upload made: the abstract image and its instances in the projects
    named by the upload."""

    image: AbstractImageJson
    imageInstances: list[ImageInstanceJson]


@with_config(ANSWER_CONFIG)
class UploadAnswer(TypedDict):
    """One uploaded file of ``POST /upload``'s answer (a list, one per file)."""

    status: NotRequired[int]
    name: NotRequired[str]
    size: NotRequired[int]
    uploadedFile: NotRequired[UploadedFileJson]
    images: list[UploadedImage]


STORAGES = TypeAdapter(list[StorageJson])
UPLOADED_FILES = TypeAdapter(list[UploadedFileJson])
ABSTRACT_IMAGE = TypeAdapter(AbstractImageJson)
IMAGE_INSTANCE = TypeAdapter(ImageInstanceJson)
IMAGE_INSTANCES = TypeAdapter(list[ImageInstanceJson])
SLICE_INSTANCES = TypeAdapter(list[SliceInstanceJson])
UPLOAD = TypeAdapter(list[UploadAnswer])

__all__ = [
    "ABSTRACT_IMAGE",
    "IMAGE_INSTANCE",
    "IMAGE_INSTANCES",
    "SLICE_INSTANCES",
    "STORAGES",
    "UPLOAD",
    "UPLOADED_FILES",
    "AbstractImageJson",
    "ImageFields",
    "ImageInstanceJson",
    "SliceInstanceJson",
    "StorageJson",
    "UploadAnswer",
    "UploadedFileJson",
    "UploadedImage",
]
