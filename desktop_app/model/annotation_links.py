"""Cytomine's annotation companions: tracks, groups and links, filters, actions.

* A Track follows one object through the slices of an image; AnnotationTrack puts an
  annotation (on one slice) on a track.
* An AnnotationGroup gathers annotations of the images of one image group (the same
  object on serial sections, say); AnnotationLink is one annotation's membership.
* An AnnotationFilter is a saved listing filter (users and terms) of a project.
* An AnnotationAction records what a user did with an annotation (select, …) for the
  activity reports; it keeps the annotation's id even after the annotation is deleted.
"""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.model.base import Base, IdType, SyncedMixin


class Track(SyncedMixin, Base):
    """A named, coloured track on one image."""

    __tablename__ = "track"

    name: Mapped[str] = mapped_column(String(255))
    color: Mapped[str | None] = mapped_column(String(16), default=None)
    image_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("image_instance.pk", ondelete="CASCADE"), index=True
    )
    project_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("project.pk", ondelete="CASCADE"), index=True
    )


class AnnotationTrack(SyncedMixin, Base):
    """An annotation placed on a track."""

    __tablename__ = "annotation_track"
    __table_args__ = (UniqueConstraint("annotation_pk", "track_pk"),)

    annotation_class_name: Mapped[str] = mapped_column(String(255))
    annotation_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("annotation.pk", ondelete="CASCADE"), index=True
    )
    track_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("track.pk", ondelete="CASCADE"), index=True
    )
    slice_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("slice_instance.pk", ondelete="CASCADE"), default=None
    )


class AnnotationGroup(SyncedMixin, Base):
    """Annotations that belong together across the images of an image group."""

    __tablename__ = "annotation_group"

    project_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("project.pk", ondelete="CASCADE"), index=True
    )
    image_group_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("image_group.pk", ondelete="CASCADE"), index=True
    )
    #: Cytomine's group type: SAME_OBJECT (default) or GROUPED.
    type: Mapped[str] = mapped_column(String(32), default="SAME_OBJECT")


class AnnotationLink(SyncedMixin, Base):
    """One annotation's membership of an annotation group."""

    __tablename__ = "annotation_link"
    __table_args__ = (UniqueConstraint("annotation_pk", "group_pk"),)

    annotation_class_name: Mapped[str] = mapped_column(String(255))
    annotation_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("annotation.pk", ondelete="CASCADE"), index=True
    )
    group_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("annotation_group.pk", ondelete="CASCADE"), index=True
    )
    image_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("image_instance.pk", ondelete="CASCADE")
    )


class AnnotationFilter(SyncedMixin, Base):
    """A saved annotation listing filter of a project."""

    __tablename__ = "annotation_filter"

    name: Mapped[str] = mapped_column(String(255))
    project_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("project.pk", ondelete="CASCADE"), index=True
    )
    user_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="SET NULL"), default=None
    )
    users: Mapped[list[int]] = mapped_column(JSON, default=list)
    terms: Mapped[list[int]] = mapped_column(JSON, default=list)


class AnnotationAction(SyncedMixin, Base):
    """What a user did with an annotation, when (activity reports)."""

    __tablename__ = "annotation_action"

    user_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="CASCADE"), index=True
    )
    image_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("image_instance.pk", ondelete="CASCADE"), index=True
    )
    slice_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("slice_instance.pk", ondelete="CASCADE"), default=None
    )
    project_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("project.pk", ondelete="CASCADE"), index=True
    )
    annotation_class_name: Mapped[str] = mapped_column(String(255))
    #: No foreign key: the record outlives the annotation.
    annotation_ident: Mapped[int] = mapped_column(BigInteger)
    annotation_creator_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="SET NULL"), default=None
    )
    action: Mapped[str] = mapped_column(String(64))
