"""User activity: viewer positions, project connections, image consultations.

Cytomine keeps these in MongoDB; here they are ordinary tables so that the server
needs one database and the cache can queue them for upload while offline.  The
position history (``user_position``) is append-only; ``last_user_position`` holds one
upserted row per (user, image) so "who is looking at this image" is an index lookup
instead of a max() over the history.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from desktop_app.model.base import Base, IdType, SyncedMixin


class _PositionColumns:
    """The viewport of one user on one image: centre, zoom, rotation and footprint."""

    @declared_attr
    def user_pk(cls) -> Mapped[int]:
        return mapped_column(IdType, ForeignKey("sec_user.pk", ondelete="CASCADE"))

    @declared_attr
    def image_pk(cls) -> Mapped[int]:
        return mapped_column(IdType, ForeignKey("image_instance.pk", ondelete="CASCADE"))

    @declared_attr
    def slice_pk(cls) -> Mapped[int | None]:
        return mapped_column(
            IdType, ForeignKey("slice_instance.pk", ondelete="CASCADE"), default=None
        )

    @declared_attr
    def project_pk(cls) -> Mapped[int]:
        return mapped_column(IdType, ForeignKey("project.pk", ondelete="CASCADE"), index=True)

    #: Centre of the viewport, level-0 pixels, y down (like annotations).
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    zoom: Mapped[float] = mapped_column(Float)
    rotation: Mapped[float] = mapped_column(Float, default=0.0)
    broadcast: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The (possibly rotated) viewport polygon as WKB, plus its bounding box.
    location: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    min_x: Mapped[float | None] = mapped_column(Float, default=None)
    min_y: Mapped[float | None] = mapped_column(Float, default=None)
    max_x: Mapped[float | None] = mapped_column(Float, default=None)
    max_y: Mapped[float | None] = mapped_column(Float, default=None)


class UserPosition(_PositionColumns, SyncedMixin, Base):
    """Cytomine PersistentUserPosition: the history of where a user looked."""

    __tablename__ = "user_position"
    __table_args__ = (
        Index("ix_user_position_image_user_created", "image_pk", "user_pk", "created"),
    )


class LastUserPosition(_PositionColumns, SyncedMixin, Base):
    """Cytomine LastUserPosition: the latest position per (user, image), upserted."""

    __tablename__ = "last_user_position"
    __table_args__ = (UniqueConstraint("user_pk", "image_pk"),)


class ProjectConnection(SyncedMixin, Base):
    """One opening of a project by a user (Cytomine PersistentProjectConnection)."""

    __tablename__ = "project_connection"
    __table_args__ = (Index("ix_project_connection_project_user", "project_pk", "user_pk"),)

    user_pk: Mapped[int] = mapped_column(IdType, ForeignKey("sec_user.pk", ondelete="CASCADE"))
    project_pk: Mapped[int] = mapped_column(IdType, ForeignKey("project.pk", ondelete="CASCADE"))
    #: Duration of the connection in milliseconds (Cytomine ``time``).
    time: Mapped[int | None] = mapped_column(Integer, default=None)
    os: Mapped[str | None] = mapped_column(String(64), default=None)
    browser: Mapped[str | None] = mapped_column(String(64), default=None)
    browser_version: Mapped[str | None] = mapped_column(String(64), default=None)
    count_viewed_images: Mapped[int] = mapped_column(Integer, default=0)
    count_created_annotations: Mapped[int] = mapped_column(Integer, default=0)


class ImageConsultation(SyncedMixin, Base):
    """One opening of an image during a project connection."""

    __tablename__ = "image_consultation"

    user_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="CASCADE"), index=True
    )
    image_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("image_instance.pk", ondelete="CASCADE"), index=True
    )
    project_pk: Mapped[int] = mapped_column(IdType, ForeignKey("project.pk", ondelete="CASCADE"))
    project_connection_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("project_connection.pk", ondelete="SET NULL"), default=None
    )
    mode: Mapped[str | None] = mapped_column(String(64), default=None)
    #: Milliseconds spent on the image.
    time: Mapped[int | None] = mapped_column(Integer, default=None)
    count_created_annotations: Mapped[int] = mapped_column(Integer, default=0)
    last_seen: Mapped[datetime | None] = mapped_column(default=None)
