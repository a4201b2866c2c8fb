"""Projects and their members: the Cytomine Project IS the SciTran project container.

A single ``project`` table carries Cytomine's fields and SciTran's container fields,
because in the joined model a SciTran group owns Cytomine projects and sessions hang
below them; two tables would have to be kept in lockstep for every rename or archive.
``project_member`` likewise serves Cytomine membership/managers and SciTran project
permissions: ``access`` ro/rw/admin is the SciTran level, ``admin`` = Cytomine manager.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop_app.model.base import Base, IdType, SyncedMixin, enum_column, utcnow
from desktop_app.model.scitran import ContainerMixin
from desktop_app.model.security import Access

if TYPE_CHECKING:
    from desktop_app.model.ontology import Ontology

__all__ = ["Access", "Discipline", "Project", "ProjectMember", "ProjectMode"]


class ProjectMode(enum.StrEnum):
    """Cytomine ``Project.mode``; the wire flags ``isRestricted``/``isReadOnly`` derive from it."""

    CLASSIC = "CLASSIC"
    RESTRICTED = "RESTRICTED"
    READ_ONLY = "READ_ONLY"


class Discipline(SyncedMixin, Base):
    """A project's discipline (Cytomine GR), e.g. "Histology"."""

    __tablename__ = "discipline"

    name: Mapped[str] = mapped_column(String(255), unique=True)


class Project(ContainerMixin, SyncedMixin, Base):
    """Cytomine Project + SciTran Project container (group, description, container fields)."""

    __tablename__ = "project"

    name: Mapped[str] = mapped_column(String(255), index=True)
    ontology_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("ontology.pk", ondelete="SET NULL"), default=None, index=True
    )
    discipline_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("discipline.pk", ondelete="SET NULL"), default=None
    )
    blind_mode: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Reason codes for rejecting (``[{"code", "label"}]``); None = model.review defaults.
    review_reasons: Mapped[list[dict[str, str]] | None] = mapped_column(JSON, default=None)
    are_images_downloadable: Mapped[bool] = mapped_column(Boolean, default=False)
    hide_users_layers: Mapped[bool] = mapped_column(Boolean, default=False)
    hide_admins_layers: Mapped[bool] = mapped_column(Boolean, default=False)
    is_closed: Mapped[bool] = mapped_column(Boolean, default=False)
    mode: Mapped[ProjectMode] = mapped_column(enum_column(ProjectMode), default=ProjectMode.CLASSIC)
    retrieval_disable: Mapped[bool] = mapped_column(Boolean, default=False)
    retrieval_all_ontology: Mapped[bool] = mapped_column(Boolean, default=True)
    # Denormalised counters Cytomine maintains (numberOfImages, ...).
    count_images: Mapped[int] = mapped_column(Integer, default=0)
    count_annotations: Mapped[int] = mapped_column(Integer, default=0)
    count_job_annotations: Mapped[int] = mapped_column(Integer, default=0)
    count_reviewed_annotations: Mapped[int] = mapped_column(Integer, default=0)
    # --- SciTran Project ---------------------------------------------------------------
    #: The owning SciTran group (nullable: a stock Cytomine project has none).
    group_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("scitran_group.pk", ondelete="SET NULL"), default=None, index=True
    )
    description: Mapped[str | None] = mapped_column(Text, default=None)
    #: SciTran's session template (``POST /api/projects/{id}/template``), or none.
    template: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)

    members: Mapped[list[ProjectMember]] = relationship(
        back_populates="project", lazy="selectin", cascade="all, delete-orphan"
    )
    ontology: Mapped[Ontology | None] = relationship(lazy="raise_on_sql")

    @property
    def is_read_only(self) -> bool:
        return self.mode is ProjectMode.READ_ONLY

    @property
    def is_restricted(self) -> bool:
        return self.mode is ProjectMode.RESTRICTED


class ProjectMember(Base):
    """A user's access to a project (Cytomine member/manager, SciTran Permission)."""

    __tablename__ = "project_member"

    project_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("project.pk", ondelete="CASCADE"), primary_key=True
    )
    user_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="CASCADE"), primary_key=True, index=True
    )
    access: Mapped[Access] = mapped_column(enum_column(Access), default=Access.RW)
    #: Cytomine "representative": the contact shown for the project.
    representative: Mapped[bool] = mapped_column(Boolean, default=False)
    created: Mapped[datetime] = mapped_column(default=utcnow)

    project: Mapped[Project] = relationship(back_populates="members", lazy="raise_on_sql")

    @property
    def is_admin(self) -> bool:
        return self.access is Access.ADMIN
