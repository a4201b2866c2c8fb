"""Users, roles, ACL and access levels (Cytomine ``security`` + SciTran users/permissions).

One ``sec_user`` table holds Cytomine's SecUser/User fields and the SciTran user fields,
because both documents describe the same person and the server authenticates both APIs
against the same row.  A Cytomine UserJob (the identity a job acts under) is a
``sec_user`` row with ``algo = True`` plus one ``user_job`` row naming its job and the
human who launched it: annotations keep pointing at ``sec_user.pk`` whatever created
them, exactly as Cytomine's ``user`` field does.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from desktop_app.model.base import (
    Base,
    DomainRefMixin,
    IdType,
    SyncedMixin,
    enum_column,
    utcnow,
)


class RoleName(enum.StrEnum):
    """Cytomine's user groups, from the most to the least powerful."""

    SUPERADMIN = "superadmin"
    ADMIN = "admin"
    USER = "user"
    GUEST = "guest"

    @property
    def authority(self) -> Authority:
        return Authority[f"ROLE_{self.name.replace('SUPERADMIN', 'SUPER_ADMIN')}"]


class Authority(enum.StrEnum):
    """``sec_role.authority`` exactly as Spring Security spells it (and Cytomine stores it)."""

    ROLE_SUPER_ADMIN = "ROLE_SUPER_ADMIN"
    ROLE_ADMIN = "ROLE_ADMIN"
    ROLE_USER = "ROLE_USER"
    ROLE_GUEST = "ROLE_GUEST"


class Access(enum.StrEnum):
    """SciTran ``Permission.access``; also our project membership level.

    ``ro`` = Cytomine guest/contributor read, ``rw`` = Cytomine project member,
    ``admin`` = Cytomine project manager (ACL ADMINISTRATION).
    """

    RO = "ro"
    RW = "rw"
    ADMIN = "admin"


class AclMask(enum.IntFlag):
    """Spring ACL permission bits used by Cytomine."""

    READ = 1
    WRITE = 2
    CREATE = 4
    DELETE = 8
    ADMINISTRATION = 16


class User(SyncedMixin, Base):
    """A person (or, with ``algo``, a job identity).  Cytomine SecUser/User + SciTran user."""

    __tablename__ = "sec_user"

    username: Mapped[str] = mapped_column(String(255), unique=True)
    firstname: Mapped[str | None] = mapped_column(String(255), default=None)
    lastname: Mapped[str | None] = mapped_column(String(255), default=None)
    email: Mapped[str | None] = mapped_column(String(255), default=None)
    #: Cytomine HMAC keys; the private key is only ever shown to its owner.
    public_key: Mapped[str | None] = mapped_column(String(255), unique=True, default=None)
    private_key: Mapped[str | None] = mapped_column(String(255), default=None)
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None)
    origin: Mapped[str | None] = mapped_column(String(64), default=None)
    language: Mapped[str | None] = mapped_column(String(32), default=None)
    color: Mapped[str | None] = mapped_column(String(16), default=None)
    is_developer: Mapped[bool] = mapped_column(Boolean, default=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    account_expired: Mapped[bool] = mapped_column(Boolean, default=False)
    account_locked: Mapped[bool] = mapped_column(Boolean, default=False)
    password_expired: Mapped[bool] = mapped_column(Boolean, default=False)
    #: True for a UserJob identity (Cytomine ``algo``); its ``user_job`` row says which job.
    algo: Mapped[bool] = mapped_column(Boolean, default=False)
    # --- SciTran user -------------------------------------------------------------------
    avatar: Mapped[str | None] = mapped_column(String(1024), default=None)
    #: ``{"provider": url, "gravatar": url, "custom": url}``
    avatars: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: SciTran super admin flag; mirrors membership of ROLE_SUPER_ADMIN on our server.
    root: Mapped[bool] = mapped_column(Boolean, default=False)
    #: SciTran API key (only returned by ``users/self``).
    api_key: Mapped[str | None] = mapped_column(String(255), unique=True, default=None)

    roles: Mapped[list[Role]] = relationship(
        secondary="sec_user_sec_role", lazy="selectin", viewonly=True
    )

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.firstname, self.lastname) if p) or self.username


class UserJob(Base):
    """The ``sec_user`` identity a job acts under (Cytomine UserJob).

    A side table rather than columns on ``sec_user`` so the common user row stays
    free of job-only fields, and ``user_pk`` doubles as the primary key.
    """

    __tablename__ = "user_job"

    user_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="CASCADE"), primary_key=True
    )
    job_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("job.pk", ondelete="CASCADE"), unique=True
    )
    #: The human who launched the job (Cytomine ``user`` of a UserJob).
    parent_user_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="SET NULL"), default=None, index=True
    )
    rate: Mapped[float | None] = mapped_column(Float, default=None)


class Role(Base):
    """A Cytomine user group.  Seeded once; never edited by clients, hence not synced."""

    __tablename__ = "sec_role"

    pk: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    authority: Mapped[Authority] = mapped_column(enum_column(Authority), unique=True)


class UserRole(Base):
    """Which roles a user holds."""

    __tablename__ = "sec_user_sec_role"

    sec_user_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="CASCADE"), primary_key=True
    )
    sec_role_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("sec_role.pk", ondelete="CASCADE"), primary_key=True
    )


class AclEntry(DomainRefMixin, Base):
    """One Spring ACL grant flattened to a row: (domain, user, mask).

    Spring spreads this over acl_class/acl_object_identity/acl_sid/acl_entry; one row
    per grant is all the server's permission checks need and keeps them a single query.
    """

    __tablename__ = "acl_entry"
    __table_args__ = (
        UniqueConstraint("domain_class_name", "domain_pk", "user_pk", "mask"),
        CheckConstraint("mask IN (1, 2, 4, 8, 16)", name="mask_aclmask"),
    )

    pk: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    user_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="CASCADE"), index=True
    )
    mask: Mapped[int] = mapped_column()
    granting: Mapped[bool] = mapped_column(Boolean, default=True)
    created: Mapped[datetime] = mapped_column(default=utcnow)

    @validates("mask")
    def _check_mask(self, _key: str, value: int) -> int:
        if value not in {int(m) for m in AclMask}:
            raise ValueError(f"ACL mask must be one Cytomine permission bit, got {value!r}")
        return int(value)
