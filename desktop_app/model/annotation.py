"""Annotations: user, algo (job) and reviewed, plus their term links.

The three Cytomine annotation classes share one table (single-table inheritance on
``kind``) because the viewer, the spatial index and the change feed all treat them as
one layer; the columns only one kind uses are nullable.  Geometry is stored once, as
WKB in level-0 pixel coordinates with y pointing DOWN (the image's own frame), together
with its bounding box; Cytomine's y-up WKT is produced only at the wire.
"""

from __future__ import annotations

import enum

from sqlalchemy import (
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop_app.model.base import Base, IdType, SyncedMixin, enum_column


class AnnotationKind(enum.StrEnum):
    """Which Cytomine class an annotation row is."""

    USER = "user"
    ALGO = "algo"
    REVIEWED = "reviewed"


class ReviewStatus(enum.IntEnum):
    """ReviewedAnnotation.status as Cytomine stores it (0 = validated)."""

    ACCEPTED = 0
    REJECTED = 1


CYTOMINE_CLASS = {
    AnnotationKind.USER: "be.cytomine.domain.ontology.UserAnnotation",
    AnnotationKind.ALGO: "be.cytomine.domain.ontology.AlgoAnnotation",
    AnnotationKind.REVIEWED: "be.cytomine.domain.ontology.ReviewedAnnotation",
}


class Annotation(SyncedMixin, Base):
    """Cytomine's AnnotationDomain: a geometry on one image (and slice) of a project."""

    __tablename__ = "annotation"
    __table_args__ = (
        Index("ix_annotation_image_bbox", "image_pk", "min_x", "min_y"),
        Index("ix_annotation_project_updated", "project_pk", "updated"),
        # The home's per-project and per-image counts read only this index.
        Index(
            "ix_annotation_counts", "project_pk", "image_pk", "kind", "local_deleted", "parent_pk"
        ),
    )

    kind: Mapped[AnnotationKind] = mapped_column(enum_column(AnnotationKind))
    project_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("project.pk", ondelete="CASCADE"), index=True
    )
    image_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("image_instance.pk", ondelete="CASCADE"), index=True
    )
    slice_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("slice_instance.pk", ondelete="CASCADE"), default=None
    )
    user_pk: Mapped[int] = mapped_column(IdType, ForeignKey("sec_user.pk"), index=True)
    #: WKB, level-0 pixels, y down.
    location: Mapped[bytes] = mapped_column(LargeBinary)
    geometry_type: Mapped[str] = mapped_column(String(32))
    min_x: Mapped[float] = mapped_column(Float)
    min_y: Mapped[float] = mapped_column(Float)
    max_x: Mapped[float] = mapped_column(Float)
    max_y: Mapped[float] = mapped_column(Float)
    geometry_compression: Mapped[float | None] = mapped_column(Float, default=None)
    #: Area in pixels² and perimeter in pixels; the wire converts with the slide's mpp.
    area: Mapped[float] = mapped_column(Float, default=0.0)
    perimeter: Mapped[float] = mapped_column(Float, default=0.0)
    area_unit: Mapped[str] = mapped_column(String(16), default="PIXELS²")
    perimeter_unit: Mapped[str] = mapped_column(String(16), default="PIXELS")
    count_reviewed_annotations: Mapped[int] = mapped_column(Integer, default=0)
    nb_comments: Mapped[int] = mapped_column(Integer, default=0)
    # --- ReviewedAnnotation only -------------------------------------------------------
    parent_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("annotation.pk", ondelete="SET NULL"), default=None, index=True
    )
    parent_ident: Mapped[int | None] = mapped_column(BigInteger, default=None)
    parent_class_name: Mapped[str | None] = mapped_column(String(255), default=None)
    status: Mapped[int | None] = mapped_column(Integer, default=None)
    review_user_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("sec_user.pk"), default=None
    )
    # --- AlgoAnnotation only: the job whose UserJob created it -------------------------
    job_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("job.pk", ondelete="SET NULL"), default=None
    )

    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_abstract": True}

    @property
    def cytomine_class(self) -> str:
        return CYTOMINE_CLASS[self.kind]


class UserAnnotation(Annotation):
    """An annotation drawn by a human user."""

    __mapper_args__ = {"polymorphic_identity": AnnotationKind.USER}


class AlgoAnnotation(Annotation):
    """An annotation made by a job (its UserJob is ``user_pk``)."""

    __mapper_args__ = {"polymorphic_identity": AnnotationKind.ALGO}


class ReviewedAnnotation(Annotation):
    """A reviewer's validated (or rejected) copy of a user or algo annotation."""

    __mapper_args__ = {"polymorphic_identity": AnnotationKind.REVIEWED}


class AnnotationTerm(SyncedMixin, Base):
    """A term set on a user annotation by one user (Cytomine AnnotationTerm is per user)."""

    __tablename__ = "annotation_term"
    __table_args__ = (UniqueConstraint("annotation_pk", "term_pk", "user_pk"),)

    annotation_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("annotation.pk", ondelete="CASCADE"), index=True
    )
    term_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("term.pk", ondelete="CASCADE"), index=True
    )
    user_pk: Mapped[int] = mapped_column(IdType, ForeignKey("sec_user.pk"))

    #: Lets a new annotation and its terms be flushed together (one round of INSERTs).
    annotation: Mapped[Annotation] = relationship(lazy="raise_on_sql")


class AlgoAnnotationTerm(SyncedMixin, Base):
    """A job's term prediction on an annotation, with the expected term and a confidence."""

    __tablename__ = "algo_annotation_term"

    annotation_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("annotation.pk", ondelete="CASCADE"), index=True
    )
    annotation_class_name: Mapped[str] = mapped_column(String(255))
    term_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("term.pk", ondelete="CASCADE"), default=None
    )
    expected_term_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("term.pk", ondelete="CASCADE"), default=None
    )
    rate: Mapped[float | None] = mapped_column(Float, default=None)
    user_pk: Mapped[int] = mapped_column(IdType, ForeignKey("sec_user.pk"))
    project_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("project.pk", ondelete="CASCADE"), default=None
    )


class ReviewedAnnotationTerm(Base):
    """The terms a reviewer confirmed on a reviewed annotation (a plain link table)."""

    __tablename__ = "reviewed_annotation_term"

    reviewed_annotation_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("annotation.pk", ondelete="CASCADE"), primary_key=True
    )
    term_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("term.pk", ondelete="CASCADE"), primary_key=True
    )
