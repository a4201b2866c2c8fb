"""JSON of storages, uploaded files, abstract/instance images and slices (section 3.3)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation, AnnotationKind
from desktop_app.model.image import (
    AbstractImage,
    AbstractSlice,
    ImageInstance,
    SliceInstance,
    Storage,
    UploadedFile,
)
from desktop_app.server.serial import base
from desktop_app.server.slides import max_zoom
from desktop_app.server.wire import ms_str

Json = dict[str, Any]


def storage_json(db: Session, s: Storage) -> Json:
    out = base("storage", s)
    # ``userId`` is the name the 4.x client reads (its examples pick "my storage" by it).
    out.update({"name": s.name, "user": s.user_pk, "userId": s.user_pk, "basePath": s.base_path})
    return out


def uploaded_file_json(db: Session, u: UploadedFile) -> Json:
    out = base("uploadedfile", u)
    out.update(
        {
            "user": u.user_pk,
            "storage": u.storage_pk,
            "parent": u.parent_pk,
            "filename": u.filename,
            "originalFilename": u.original_filename,
            "ext": u.ext,
            "contentType": u.content_type,
            "size": u.size,
            "status": int(u.status),
            "projects": list(u.projects or []),
            "path": None,
        }
    )
    return out


def _image_fields(a: AbstractImage) -> Json:
    return {
        "filename": a.filename,
        "originalFilename": a.original_filename,
        "path": a.filename,
        "contentType": a.content_type,
        "width": a.width,
        "height": a.height,
        "depth": a.depth,
        "duration": a.duration,
        "channels": a.channels,
        "extrinsicChannels": a.extrinsic_channels or a.channels,
        "dimensions": "XYC",
        "apparentChannels": a.channels,
        "physicalSizeX": a.physical_size_x,
        "physicalSizeY": a.physical_size_y,
        "physicalSizeZ": a.physical_size_z,
        "fps": a.fps,
        "zoom": max_zoom(a.width, a.height),
        "tileSize": 256,
        "isVirtual": a.is_virtual,
        "magnification": a.magnification,
        "bitPerSample": a.bit_per_sample or 8,
        "samplePerPixel": a.samples_per_pixel or 3,
        "colorspace": a.colorspace or "RGB",
    }


def abstract_image_json(db: Session, a: AbstractImage) -> Json:
    out = base("abstractimage", a)
    out.update(_image_fields(a))
    out.update(
        {
            "uploadedFile": a.uploaded_file_pk,
            "user": a.user_pk,
            "thumb": f"/api/abstractimage/{a.pk}/thumb.png?maxSize=512",
            "preview": f"/api/abstractimage/{a.pk}/thumb.png?maxSize=1024",
            "macroURL": None,
            "inProject": bool(
                db.scalar(select(func.count()).where(ImageInstance.base_image_pk == a.pk))
            ),
        }
    )
    return out


def abstract_slice_json(db: Session, s: AbstractSlice) -> Json:
    out = base("abstractslice", s)
    out.update(
        {
            "uploadedFile": s.uploaded_file_pk,
            "image": s.image_pk,
            "path": None,
            "mime": s.mime,
            "channel": s.channel,
            "zStack": s.z_stack,
            "time": s.time,
            "rank": s.channel + s.z_stack + s.time,
            "channelName": s.channel_name,
            "channelColor": s.channel_color,
            "zName": s.z_name,
        }
    )
    return out


def image_instance_json(db: Session, i: ImageInstance, counts: bool = True) -> Json:
    a = i.base_image
    out = base("imageinstance", i)
    out.update(_image_fields(a))
    n: dict[AnnotationKind, int] = {}
    if counts:
        n = dict(
            db.execute(
                select(Annotation.kind, func.count())
                .where(Annotation.image_pk == i.pk)
                .group_by(Annotation.kind)
            ).all()
        )
    out.update(
        {
            "baseImage": a.pk,
            "project": i.project_pk,
            "user": i.user_pk,
            "instanceFilename": i.instance_filename or a.original_filename,
            "blindedName": None,
            "physicalSizeX": i.physical_size_x or a.physical_size_x,
            "physicalSizeY": i.physical_size_y or a.physical_size_y,
            "magnification": i.magnification or a.magnification,
            "reviewStart": ms_str(i.review_start),
            "reviewStop": ms_str(i.review_stop),
            "reviewUser": i.review_user_pk,
            "reviewed": i.review_stop is not None,
            "inReview": i.review_start is not None
            and i.review_user_pk is not None
            and i.review_stop is None,
            "numberOfAnnotations": n.get(AnnotationKind.USER, 0),
            "numberOfJobAnnotations": n.get(AnnotationKind.ALGO, 0),
            "numberOfReviewedAnnotations": n.get(AnnotationKind.REVIEWED, 0),
            "thumb": f"/api/imageinstance/{i.pk}/thumb.png?maxSize=512",
            "preview": f"/api/imageinstance/{i.pk}/thumb.png?maxSize=1024",
            "macroURL": None,
        }
    )
    return out


def slice_instance_json(db: Session, s: SliceInstance) -> Json:
    bs = s.base_slice
    out = base("sliceinstance", s)
    out.update(
        {
            "uploadedFile": bs.uploaded_file_pk,
            "project": s.project_pk,
            "baseSlice": bs.pk,
            "image": s.image_pk,
            "path": None,
            "mime": bs.mime,
            "channel": bs.channel,
            "zStack": bs.z_stack,
            "time": bs.time,
            "rank": bs.channel + bs.z_stack + bs.time,
            "channelName": bs.channel_name,
            "channelColor": bs.channel_color,
            "zName": bs.z_name,
        }
    )
    return out
