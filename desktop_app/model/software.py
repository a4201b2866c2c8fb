"""Software, its parameters, jobs and job templates (Cytomine GR ``processing`` package).

Stock Cytomine 4+/5 dropped these for the App Engine, but a job is still what created
algo annotations (``annotation.job_pk``) and what a SciTran Analysis points at, so the
workstation keeps the GR model.
"""

from __future__ import annotations

import enum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop_app.model.base import Base, IdType, IntEnumType, SyncedMixin, int_enum_check


class JobStatus(enum.IntEnum):
    """Cytomine ``Job.status`` codes (the wire spells the first one ``NOTLAUNCH``)."""

    NOTLAUNCHED = 0
    INQUEUE = 1
    RUNNING = 2
    SUCCESS = 3
    FAILED = 4
    INDETERMINATE = 5
    WAIT = 6
    PREVIEWED = 7
    KILLED = 8


class Software(SyncedMixin, Base):
    """A processing program that projects can run as jobs."""

    __tablename__ = "software"

    name: Mapped[str] = mapped_column(String(255))
    software_version: Mapped[str | None] = mapped_column(String(64), default=None)
    full_name: Mapped[str | None] = mapped_column(String(512), default=None)
    service_name: Mapped[str | None] = mapped_column(String(255), default=None)
    result_name: Mapped[str | None] = mapped_column(String(255), default=None)
    description: Mapped[str | None] = mapped_column(Text, default=None)
    executable: Mapped[bool] = mapped_column(Boolean, default=True)
    deprecated: Mapped[bool] = mapped_column(Boolean, default=False)
    execute_command: Mapped[str | None] = mapped_column(Text, default=None)
    pulling_command: Mapped[str | None] = mapped_column(Text, default=None)
    source_path: Mapped[str | None] = mapped_column(Text, default=None)
    software_user_repository: Mapped[str | None] = mapped_column(String(255), default=None)
    default_processing_server: Mapped[str | None] = mapped_column(String(255), default=None)

    parameters: Mapped[list[SoftwareParameter]] = relationship(
        back_populates="software",
        lazy="selectin",
        order_by="SoftwareParameter.index",
        cascade="all, delete-orphan",
    )


class SoftwareParameter(SyncedMixin, Base):
    """A declared input of a software: name, value type, default, UI hints."""

    __tablename__ = "software_parameter"
    __table_args__ = (UniqueConstraint("software_pk", "name"),)

    software_pk: Mapped[int] = mapped_column(IdType, ForeignKey("software.pk", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))
    human_name: Mapped[str | None] = mapped_column(String(255), default=None)
    #: Cytomine's type name: String, Number, Boolean, Domain, ListDomain, Date, List.
    type: Mapped[str] = mapped_column(String(32), default="String")
    default_value: Mapped[str | None] = mapped_column(Text, default=None)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    index: Mapped[int] = mapped_column(Integer, default=0)
    set_by_server: Mapped[bool] = mapped_column(Boolean, default=False)
    server_parameter: Mapped[bool] = mapped_column(Boolean, default=False)
    uri: Mapped[str | None] = mapped_column(Text, default=None)
    uri_print_attribute: Mapped[str | None] = mapped_column(String(255), default=None)
    uri_sort_attribute: Mapped[str | None] = mapped_column(String(255), default=None)
    value_key: Mapped[str | None] = mapped_column(String(255), default=None)
    command_line_flag: Mapped[str | None] = mapped_column(String(255), default=None)

    software: Mapped[Software] = relationship(back_populates="parameters", lazy="raise_on_sql")


class SoftwareProject(SyncedMixin, Base):
    """A software made available in a project."""

    __tablename__ = "software_project"
    __table_args__ = (UniqueConstraint("software_pk", "project_pk"),)

    software_pk: Mapped[int] = mapped_column(IdType, ForeignKey("software.pk", ondelete="CASCADE"))
    project_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("project.pk", ondelete="CASCADE"), index=True
    )


class Job(SyncedMixin, Base):
    """One run of a software in a project, launched by ``user_pk``."""

    __tablename__ = "job"
    __table_args__ = (int_enum_check("status", JobStatus),)

    software_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("software.pk", ondelete="CASCADE"), index=True
    )
    project_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("project.pk", ondelete="CASCADE"), default=None, index=True
    )
    user_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="SET NULL"), default=None
    )
    status: Mapped[JobStatus] = mapped_column(IntEnumType(JobStatus), default=JobStatus.NOTLAUNCHED)
    #: Run number within (software, project); the wire name is "<software> : <number>".
    number: Mapped[int] = mapped_column(Integer, default=0)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    status_comment: Mapped[str | None] = mapped_column(Text, default=None)
    rate: Mapped[float | None] = mapped_column(Float, default=None)
    data_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    favorite: Mapped[bool] = mapped_column(Boolean, default=False)
    processing_server: Mapped[str | None] = mapped_column(String(255), default=None)

    software: Mapped[Software] = relationship(lazy="selectin")
    parameters: Mapped[list[JobParameter]] = relationship(
        back_populates="job",
        lazy="raise_on_sql",
        cascade="all, delete-orphan",
        foreign_keys="JobParameter.job_pk",
    )


class JobTemplate(SyncedMixin, Base):
    """A named set of predefined parameter values for a software in a project."""

    __tablename__ = "job_template"

    name: Mapped[str] = mapped_column(String(255))
    software_pk: Mapped[int] = mapped_column(IdType, ForeignKey("software.pk", ondelete="CASCADE"))
    project_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("project.pk", ondelete="CASCADE"), index=True
    )


class JobParameter(SyncedMixin, Base):
    """A parameter value of a job, or of a job template (exactly one of the two)."""

    __tablename__ = "job_parameter"
    __table_args__ = (
        CheckConstraint("(job_pk IS NULL) <> (job_template_pk IS NULL)", name="job_or_template"),
    )

    job_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("job.pk", ondelete="CASCADE"), default=None, index=True
    )
    job_template_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("job_template.pk", ondelete="CASCADE"), default=None, index=True
    )
    software_parameter_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("software_parameter.pk", ondelete="CASCADE")
    )
    value: Mapped[str | None] = mapped_column(Text, default=None)

    job: Mapped[Job | None] = relationship(back_populates="parameters", lazy="raise_on_sql")


class JobData(SyncedMixin, Base):
    """A file a job produced (model, log, report); bytes on disk or inline."""

    __tablename__ = "job_data"

    job_pk: Mapped[int] = mapped_column(IdType, ForeignKey("job.pk", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    filename: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    path: Mapped[str | None] = mapped_column(Text, default=None)
    data: Mapped[bytes | None] = mapped_column(LargeBinary, default=None, deferred=True)
