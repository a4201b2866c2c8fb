"""Storage, uploads and images (Cytomine ``image`` + multidimension packages).

An AbstractImage is the file in storage, with one AbstractSlice per (channel, z, t);
an ImageInstance is that image inside a project, with one SliceInstance per slice.
In the joined model an AbstractImage is also the SciTran slide *file* of an
acquisition (``container_file.abstract_image_pk``) and records the scanner that made
it (``device_pk``).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop_app.model.base import (
    Base,
    IdType,
    IntEnumType,
    SyncedMixin,
    int_enum_check,
)

if TYPE_CHECKING:
    from desktop_app.model.project import Project


class UploadedFileStatus(enum.IntEnum):
    """Cytomine ``UploadedFile.Status`` codes: even < 100 info, >= 100 success, odd error."""

    UPLOADED = 0
    DETECTING_FORMAT = 10
    ERROR_FORMAT = 11
    EXTRACTING_DATA = 20
    ERROR_EXTRACTION = 21
    CONVERTING = 30
    ERROR_CONVERSION = 31
    DEPLOYING = 40
    ERROR_DEPLOYMENT = 41
    DEPLOYED = 100
    EXTRACTED = 102
    CONVERTED = 104


class ImageServer(SyncedMixin, Base):
    """A server that delivers tiles for uploaded files (Cytomine middleware, IMS/PIMS)."""

    __tablename__ = "image_server"

    name: Mapped[str] = mapped_column(String(255))
    url: Mapped[str] = mapped_column(String(1024), unique=True)
    base_path: Mapped[str | None] = mapped_column(Text, default=None)
    available: Mapped[bool] = mapped_column(Boolean, default=True)


class Storage(SyncedMixin, Base):
    """A user's storage space, where uploaded files land."""

    __tablename__ = "storage"

    name: Mapped[str] = mapped_column(String(255))
    user_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="SET NULL"), default=None, index=True
    )
    base_path: Mapped[str | None] = mapped_column(Text, default=None)


class UploadedFile(SyncedMixin, Base):
    """A file as uploaded, before/while it is turned into abstract images."""

    __tablename__ = "uploaded_file"
    __table_args__ = (int_enum_check("status", UploadedFileStatus),)

    user_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="SET NULL"), default=None, index=True
    )
    storage_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("storage.pk", ondelete="SET NULL"), default=None
    )
    parent_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("uploaded_file.pk", ondelete="CASCADE"), default=None, index=True
    )
    filename: Mapped[str] = mapped_column(Text)
    original_filename: Mapped[str] = mapped_column(Text)
    ext: Mapped[str | None] = mapped_column(String(32), default=None)
    content_type: Mapped[str | None] = mapped_column(String(255), default=None)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[UploadedFileStatus] = mapped_column(
        IntEnumType(UploadedFileStatus), default=UploadedFileStatus.UPLOADED
    )
    image_server_url: Mapped[str | None] = mapped_column(String(1024), default=None)
    path: Mapped[str | None] = mapped_column(Text, default=None)
    #: Cytomine ``projects``: ids of the projects the upload is destined for.
    projects: Mapped[list[int]] = mapped_column(JSON, default=list)


class AbstractImage(SyncedMixin, Base):
    """The image file in storage (a slide); also a SciTran acquisition's slide file."""

    __tablename__ = "abstract_image"

    uploaded_file_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("uploaded_file.pk", ondelete="SET NULL"), default=None, index=True
    )
    user_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="SET NULL"), default=None
    )
    filename: Mapped[str | None] = mapped_column(Text, default=None)
    original_filename: Mapped[str | None] = mapped_column(Text, default=None)
    width: Mapped[int] = mapped_column(Integer, default=0)
    height: Mapped[int] = mapped_column(Integer, default=0)
    depth: Mapped[int] = mapped_column(Integer, default=1)
    duration: Mapped[int] = mapped_column(Integer, default=1)
    channels: Mapped[int] = mapped_column(Integer, default=1)
    extrinsic_channels: Mapped[int | None] = mapped_column(Integer, default=None)
    #: Micrometres per pixel.
    physical_size_x: Mapped[float | None] = mapped_column(Float, default=None)
    physical_size_y: Mapped[float | None] = mapped_column(Float, default=None)
    physical_size_z: Mapped[float | None] = mapped_column(Float, default=None)
    fps: Mapped[float | None] = mapped_column(Float, default=None)
    magnification: Mapped[int | None] = mapped_column(Integer, default=None)
    bit_per_sample: Mapped[int | None] = mapped_column(Integer, default=None)
    samples_per_pixel: Mapped[int | None] = mapped_column(Integer, default=None)
    colorspace: Mapped[str | None] = mapped_column(String(32), default=None)
    tile_size: Mapped[int | None] = mapped_column(Integer, default=None)
    is_virtual: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Cytomine ``contentType`` (the mime type).
    content_type: Mapped[str | None] = mapped_column(String(255), default=None)
    #: Content hash: lets the cache recognise a slide already known under another path.
    sha256: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    path: Mapped[str | None] = mapped_column(Text, default=None)
    vendor: Mapped[str | None] = mapped_column(String(255), default=None)
    #: The scanner (SciTran device) that produced the slide.
    device_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("device.pk", ondelete="SET NULL"), default=None, index=True
    )

    slices: Mapped[list[AbstractSlice]] = relationship(
        back_populates="image", lazy="raise_on_sql", cascade="all, delete-orphan"
    )


class AbstractSlice(SyncedMixin, Base):
    """One (channel, z, t) plane of an abstract image."""

    __tablename__ = "abstract_slice"
    __table_args__ = (UniqueConstraint("image_pk", "channel", "z_stack", "time"),)

    image_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("abstract_image.pk", ondelete="CASCADE")
    )
    uploaded_file_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("uploaded_file.pk", ondelete="SET NULL"), default=None
    )
    mime: Mapped[str | None] = mapped_column(String(255), default=None)
    channel: Mapped[int] = mapped_column(Integer, default=0)
    z_stack: Mapped[int] = mapped_column(Integer, default=0)
    time: Mapped[int] = mapped_column(Integer, default=0)
    channel_name: Mapped[str | None] = mapped_column(String(255), default=None)
    channel_color: Mapped[str | None] = mapped_column(String(16), default=None)
    z_name: Mapped[str | None] = mapped_column(String(255), default=None)

    image: Mapped[AbstractImage] = relationship(back_populates="slices", lazy="raise_on_sql")


class CompanionFile(SyncedMixin, Base):
    """A file that accompanies an image (e.g. an .mrxs data folder entry, a label)."""

    __tablename__ = "companion_file"

    uploaded_file_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("uploaded_file.pk", ondelete="CASCADE"), default=None
    )
    image_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("abstract_image.pk", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(Text)
    original_filename: Mapped[str | None] = mapped_column(Text, default=None)
    type: Mapped[str | None] = mapped_column(String(64), default=None)
    progress: Mapped[int] = mapped_column(Integer, default=0)


class ImageInstance(SyncedMixin, Base):
    """An abstract image placed in a project: what users open and annotate."""

    __tablename__ = "image_instance"

    base_image_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("abstract_image.pk", ondelete="CASCADE"), index=True
    )
    project_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("project.pk", ondelete="CASCADE"), index=True
    )
    user_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="SET NULL"), default=None
    )
    instance_filename: Mapped[str | None] = mapped_column(Text, default=None)
    review_start: Mapped[datetime | None] = mapped_column(default=None)
    review_stop: Mapped[datetime | None] = mapped_column(default=None)
    review_user_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="SET NULL"), default=None
    )
    #: Per-instance overrides of the abstract image's calibration.
    magnification: Mapped[int | None] = mapped_column(Integer, default=None)
    physical_size_x: Mapped[float | None] = mapped_column(Float, default=None)
    physical_size_y: Mapped[float | None] = mapped_column(Float, default=None)
    physical_size_z: Mapped[float | None] = mapped_column(Float, default=None)
    fps: Mapped[float | None] = mapped_column(Float, default=None)
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
    count_image_annotations: Mapped[int] = mapped_column(Integer, default=0)
    count_image_job_annotations: Mapped[int] = mapped_column(Integer, default=0)
    count_image_reviewed_annotations: Mapped[int] = mapped_column(Integer, default=0)

    base_image: Mapped[AbstractImage] = relationship(lazy="selectin")
    project: Mapped[Project] = relationship(lazy="raise_on_sql")
    slices: Mapped[list[SliceInstance]] = relationship(
        back_populates="image", lazy="raise_on_sql", cascade="all, delete-orphan"
    )

    @property
    def in_review(self) -> bool:
        return self.review_start is not None and self.review_stop is None


class SliceInstance(SyncedMixin, Base):
    """An abstract slice placed in a project (annotations reference it)."""

    __tablename__ = "slice_instance"
    __table_args__ = (UniqueConstraint("image_pk", "base_slice_pk"),)

    image_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("image_instance.pk", ondelete="CASCADE")
    )
    base_slice_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("abstract_slice.pk", ondelete="CASCADE"), index=True
    )
    project_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("project.pk", ondelete="CASCADE"), index=True
    )

    image: Mapped[ImageInstance] = relationship(back_populates="slices", lazy="raise_on_sql")
    base_slice: Mapped[AbstractSlice] = relationship(lazy="selectin")


class ImageGroup(SyncedMixin, Base):
    """A named set of a project's images (legacy multidim group and 5.x ImageGroup)."""

    __tablename__ = "image_group"

    name: Mapped[str] = mapped_column(String(255))
    project_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("project.pk", ondelete="CASCADE"), index=True
    )


class ImageSequence(SyncedMixin, Base):
    """Legacy (GR) multidim: an image's (c, z, slice, t) position inside a group."""

    __tablename__ = "image_sequence"

    image_group_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("image_group.pk", ondelete="CASCADE"), index=True
    )
    image_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("image_instance.pk", ondelete="CASCADE"), index=True
    )
    channel: Mapped[int] = mapped_column(Integer, default=0)
    z_stack: Mapped[int] = mapped_column(Integer, default=0)
    slice: Mapped[int] = mapped_column(Integer, default=0)
    time: Mapped[int] = mapped_column(Integer, default=0)


class ImageGroupImageInstance(SyncedMixin, Base):
    """Cytomine 5.x membership of an image in an image group."""

    __tablename__ = "image_group_image_instance"
    __table_args__ = (UniqueConstraint("group_pk", "image_pk"),)

    group_pk: Mapped[int] = mapped_column(IdType, ForeignKey("image_group.pk", ondelete="CASCADE"))
    image_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("image_instance.pk", ondelete="CASCADE"), index=True
    )
