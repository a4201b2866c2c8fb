"""SciTran's container hierarchy, joined onto the Cytomine model.

    scitran_group ─< project ─< session (one subject's case) ─< acquisition (one scan)
                                                               └─ container_file ─ abstract_image

The SciTran Project is the Cytomine ``project`` row (see model/project.py); SciTran
subdocuments (permissions, notes, files, the subject) become tables so they can be
queried, synced and permission-checked like everything else.  Notes, files, analyses
and permissions hang on "a container" through ``container_type`` + ``container_pk``,
as in SciTran where every container carries the same arrays.
"""

from __future__ import annotations

import enum
import hashlib
import unicodedata
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from desktop_app.model.base import Base, IdType, SyncedMixin, enum_column, utcnow
from desktop_app.model.security import Access


class ContainerMixin:
    """SciTran's common container fields.  SciTran ``modified`` is our ``updated``."""

    label: Mapped[str | None] = mapped_column(String(255), default=None)
    public: Mapped[bool] = mapped_column(default=False)
    archived: Mapped[bool] = mapped_column(default=False)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    info: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ContainerType(enum.StrEnum):
    """Which table ``container_pk`` points into."""

    PROJECT = "project"
    SESSION = "session"
    ACQUISITION = "acquisition"
    ANALYSIS = "analysis"
    COLLECTION = "collection"


class ContainerRefMixin:
    """A reference to any container: the SciTran arrays (notes, files...) as rows."""

    container_type: Mapped[ContainerType] = mapped_column(enum_column(ContainerType))
    container_pk: Mapped[int] = mapped_column(IdType)
    __tablename__: str  # set by each mapped class that mixes this in

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        return (Index(f"ix_{cls.__tablename__}_container", "container_type", "container_pk"),)


class Sex(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class Race(enum.StrEnum):
    AMERICAN_INDIAN_OR_ALASKA_NATIVE = "American Indian or Alaska Native"
    ASIAN = "Asian"
    NATIVE_HAWAIIAN_OR_OTHER_PACIFIC_ISLANDER = "Native Hawaiian or Other Pacific Islander"
    BLACK_OR_AFRICAN_AMERICAN = "Black or African American"
    WHITE = "White"
    MORE_THAN_ONE_RACE = "More Than One Race"
    UNKNOWN_OR_NOT_REPORTED = "Unknown or Not Reported"


class Ethnicity(enum.StrEnum):
    NOT_HISPANIC_OR_LATINO = "Not Hispanic or Latino"
    HISPANIC_OR_LATINO = "Hispanic or Latino"
    UNKNOWN_OR_NOT_REPORTED = "Unknown or Not Reported"


class FileOriginType(enum.StrEnum):
    """SciTran ``File.origin.type``: who produced a file."""

    DEVICE = "device"
    USER = "user"
    JOB = "job"


class Group(SyncedMixin, Base):
    """A SciTran group: the owner of projects (a lab, a department)."""

    __tablename__ = "scitran_group"

    #: SciTran's human-chosen ``_id`` (e.g. "pathology-lab"); ``pk`` stays the FK target.
    code: Mapped[str | None] = mapped_column(String(255), unique=True, default=None)
    label: Mapped[str] = mapped_column(String(255))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)

    permissions: Mapped[list[GroupPermission]] = relationship(
        lazy="selectin", cascade="all, delete-orphan"
    )


class GroupPermission(Base):
    """SciTran group ``permissions[]``: a user's access to the group."""

    __tablename__ = "group_permission"

    group_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("scitran_group.pk", ondelete="CASCADE"), primary_key=True
    )
    user_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="CASCADE"), primary_key=True, index=True
    )
    access: Mapped[Access] = mapped_column(enum_column(Access))


class ContainerPermission(Base):
    """SciTran ``permissions[]`` of a session, acquisition, analysis or collection.

    Project permissions live in ``project_member`` (the Cytomine membership), hence the
    CHECK excluding ``project`` here: one source of truth per container.
    """

    __tablename__ = "container_permission"
    __table_args__ = (CheckConstraint("container_type <> 'project'", name="not_project"),)

    container_type: Mapped[ContainerType] = mapped_column(
        enum_column(ContainerType), primary_key=True
    )
    container_pk: Mapped[int] = mapped_column(IdType, primary_key=True)
    user_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="CASCADE"), primary_key=True, index=True
    )
    access: Mapped[Access] = mapped_column(enum_column(Access))


class Subject(SyncedMixin, Base):
    """The person a session is about.  Names are personal data.

    ``firstname_hash``/``lastname_hash`` are always kept (so cases can be matched
    without revealing who they are); the plaintext only when the writer holds admin
    rights on the project, which ``set_names`` enforces.
    """

    __tablename__ = "subject"
    __table_args__ = (UniqueConstraint("project_pk", "code"),)

    project_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("project.pk", ondelete="CASCADE"), default=None, index=True
    )
    code: Mapped[str | None] = mapped_column(String(255), default=None)
    firstname: Mapped[str | None] = mapped_column(String(255), default=None)
    lastname: Mapped[str | None] = mapped_column(String(255), default=None)
    firstname_hash: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    lastname_hash: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    sex: Mapped[Sex | None] = mapped_column(enum_column(Sex), default=None)
    race: Mapped[Race | None] = mapped_column(enum_column(Race), default=None)
    ethnicity: Mapped[Ethnicity | None] = mapped_column(enum_column(Ethnicity), default=None)
    #: Age at the time of the session, in seconds (SciTran's unit).
    age: Mapped[int | None] = mapped_column(BigInteger, default=None)
    info: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    @staticmethod
    def hash_name(name: str) -> str:
        """sha256 of the normalised name, so "Dupont " and "dupont" match when searching."""
        normalised = unicodedata.normalize("NFC", name).strip().casefold()
        return hashlib.sha256(normalised.encode("utf-8")).hexdigest()

    def set_names(
        self,
        first: str | None,
        last: str | None,
        *,
        store_plaintext: bool,
        hasher: Callable[[str], str] | None = None,
    ) -> None:
        """Record the subject's names: hashes always, plaintext only if ``store_plaintext``.

        Without the right, any previously stored plaintext is cleared too: it would no
        longer match the new hashes, and a non-admin must not leave names behind.
        ``hasher`` replaces ``hash_name`` (the server keys it with its secret, so a hash
        of a common name cannot be recognised).
        """
        h = hasher or self.hash_name
        self.firstname_hash = None if first is None else h(first)
        self.lastname_hash = None if last is None else h(last)
        self.firstname = first if store_plaintext else None
        self.lastname = last if store_plaintext else None


class Session(ContainerMixin, SyncedMixin, Base):
    """One subject's case within a project (SciTran session).

    SciTran's ``session.group`` is not stored: it is ``project.group_pk``.
    """

    __tablename__ = "session"

    project_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("project.pk", ondelete="CASCADE"), index=True
    )
    subject_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("subject.pk", ondelete="SET NULL"), default=None, index=True
    )
    #: SciTran ``uid``: the data-derived unique ID (e.g. the LIS case number).  Our own
    #: ``uid`` column is the client UUID, hence the different name.
    data_uid: Mapped[str | None] = mapped_column(String(255), default=None, index=True)
    timestamp: Mapped[datetime | None] = mapped_column(default=None)
    timezone: Mapped[str | None] = mapped_column(String(64), default=None)
    #: SciTran's ``operator``: who ran the session (free text).
    operator: Mapped[str | None] = mapped_column(String(255), default=None)

    subject: Mapped[Subject | None] = relationship(lazy="selectin")
    acquisitions: Mapped[list[Acquisition]] = relationship(
        back_populates="session", lazy="raise_on_sql", cascade="all, delete-orphan"
    )


collection_acquisition = Table(
    "collection_acquisition",
    Base.metadata,
    Column(
        "collection_pk",
        IdType,
        ForeignKey("collection.pk", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "acquisition_pk",
        IdType,
        ForeignKey("acquisition.pk", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Acquisition(ContainerMixin, SyncedMixin, Base):
    """One scan of a slide in a session; its slide file is an abstract image."""

    __tablename__ = "acquisition"

    session_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("session.pk", ondelete="CASCADE"), index=True
    )
    #: SciTran ``uid`` (data-derived, e.g. the slide barcode).
    data_uid: Mapped[str | None] = mapped_column(String(255), default=None, index=True)
    timestamp: Mapped[datetime | None] = mapped_column(default=None)
    timezone: Mapped[str | None] = mapped_column(String(64), default=None)

    session: Mapped[Session] = relationship(back_populates="acquisitions", lazy="raise_on_sql")
    collections: Mapped[list[Collection]] = relationship(
        secondary=collection_acquisition, back_populates="acquisitions", lazy="raise_on_sql"
    )


class Collection(ContainerMixin, SyncedMixin, Base):
    """A curated set of acquisitions across sessions/projects (e.g. a teaching set)."""

    __tablename__ = "collection"

    curator_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="SET NULL"), default=None
    )

    acquisitions: Mapped[list[Acquisition]] = relationship(
        secondary=collection_acquisition, back_populates="collections", lazy="raise_on_sql"
    )


class Analysis(ContainerRefMixin, ContainerMixin, SyncedMixin, Base):
    """Derived results attached to a parent container; may come from a Cytomine job."""

    __tablename__ = "analysis"

    description: Mapped[str | None] = mapped_column(Text, default=None)
    user_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="SET NULL"), default=None
    )
    timestamp: Mapped[datetime | None] = mapped_column(default=None)
    version: Mapped[str | None] = mapped_column(String(64), default=None)
    job_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("job.pk", ondelete="SET NULL"), default=None, index=True
    )


class Note(ContainerRefMixin, SyncedMixin, Base):
    """A free-text note on a container."""

    __tablename__ = "note"

    user_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="SET NULL"), default=None
    )
    text: Mapped[str] = mapped_column(Text, default="")


class Device(SyncedMixin, Base):
    """An instrument (slide scanner) that produces files."""

    __tablename__ = "device"

    label: Mapped[str] = mapped_column(String(255))
    model: Mapped[str | None] = mapped_column(String(255), default=None)
    location: Mapped[str | None] = mapped_column(String(255), default=None)


class ContainerFile(ContainerRefMixin, SyncedMixin, Base):
    """A SciTran file of a container; a slide file links to its ``abstract_image``."""

    __tablename__ = "container_file"

    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str | None] = mapped_column(String(64), default=None)
    size: Mapped[int | None] = mapped_column(BigInteger, default=None)
    hash: Mapped[str | None] = mapped_column(String(255), default=None)
    modality: Mapped[str | None] = mapped_column(String(64), default=None)
    measurements: Mapped[list[str]] = mapped_column(JSON, default=list)
    origin_type: Mapped[FileOriginType | None] = mapped_column(
        enum_column(FileOriginType), default=None
    )
    origin_id: Mapped[str | None] = mapped_column(String(255), default=None)
    origin_name: Mapped[str | None] = mapped_column(String(255), default=None)
    origin_method: Mapped[str | None] = mapped_column(String(255), default=None)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    info: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    abstract_image_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("abstract_image.pk", ondelete="SET NULL"), default=None, index=True
    )


class PendingPermission(Base):
    """A SciTran permission granted to a login that names no account yet.

    SciTran's user ids are logins and its permission routes accept any login; here a
    grant to a login without an account is kept as this row, shown in the permissions
    list as SciTran shows it, and turned into the real permission when an account of
    that login is created (``bootstrap.add_user``).  It grants nothing before that: no
    account, no keys, so no caller is ever this login.  Exactly one of ``group_pk``,
    ``project_pk``, ``collection_pk`` names the target, each with its own foreign key,
    so a deleted target takes its pending grants with it.
    """

    __tablename__ = "pending_permission"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN group_pk IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN project_pk IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN collection_pk IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_target",
        ),
        UniqueConstraint("group_pk", "login"),
        UniqueConstraint("project_pk", "login"),
        UniqueConstraint("collection_pk", "login"),
    )

    pk: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    group_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("scitran_group.pk", ondelete="CASCADE"), default=None
    )
    project_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("project.pk", ondelete="CASCADE"), default=None
    )
    collection_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("collection.pk", ondelete="CASCADE"), default=None
    )
    login: Mapped[str] = mapped_column(String(255), index=True)
    access: Mapped[Access] = mapped_column(enum_column(Access))
    #: who granted it (shown to site admins; kept when that account goes)
    granted_by_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="SET NULL"), default=None
    )
    created: Mapped[datetime] = mapped_column(default=utcnow)
