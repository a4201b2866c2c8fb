"""Declarative base, shared column types and mixins of THE data model.

One schema serves both the desktop cache (SQLite) and the server (SQLite or PostgreSQL),
so that the cache truly mirrors the server.  The conventions every entity follows:

* ``pk`` is the local surrogate key; every foreign key points at it.  On the server the
  ``pk`` *is* the Cytomine id that clients see.  In the desktop cache the Cytomine id of a
  row lives in ``server_id`` and is only used when a request is built (sync-design 5.2),
  so acknowledging a create never rewrites a foreign key.
* ``uid`` is an immutable client UUID, the idempotency key of a create.
* Timestamps are timezone-aware UTC (``UtcDateTime`` refuses naive values).
* Enumerations are ``StrEnum`` stored as strings with a CHECK constraint, so a value
  outside the seed documents' lists is refused both in Python and by the database.
"""

from __future__ import annotations

import enum
import os
import time
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: 64-bit ids on PostgreSQL; INTEGER on SQLite so that the key aliases the rowid.
IdType = BigInteger().with_variant(Integer(), "sqlite")


def new_uid() -> str:
    """A fresh client UUID (the idempotency key of a create): a time-ordered UUIDv7.

    Time order keeps the unique indexes on uids append-mostly, which is what makes
    bulk imports of a million annotations fast; the 74 random bits keep it unique.
    """
    return new_uids(1)[0]


def new_uids(count: int) -> list[str]:
    """``count`` UUIDv7s sharing one millisecond and increasing (one bulk import)."""
    ms = time.time_ns() // 1_000_000
    start = int.from_bytes(os.urandom(10), "big") >> 6  # 74 random bits, leaves headroom
    start &= (1 << 73) - 1  # so that start + count never carries out of 74 bits
    out = []
    high = (ms << 80) | (0x7 << 76) | (0b10 << 62)
    for n in range(start, start + count):
        h = f"{high | ((n >> 62) & 0xFFF) << 64 | (n & ((1 << 62) - 1)):032x}"
        out.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return out


def utcnow() -> datetime:
    """Now, timezone-aware UTC.  Used for display and bookkeeping, never for ordering syncs."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp that is always UTC: naive datetimes are refused instead of guessed."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware (UTC); got a naive datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:  # SQLite drops the offset; we only ever store UTC
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_column(enum_cls: type[enum.Enum], name: str | None = None) -> SAEnum:
    """A string enumeration with a CHECK constraint and Python-side validation."""
    return SAEnum(
        enum_cls,
        name=name or enum_cls.__name__.lower(),
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
        length=max(len(m.value) for m in enum_cls),
    )


class Base(DeclarativeBase):
    """The one declarative base of the schema."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # Every mapped class here is on a plain Table (SQLAlchemy types it as any FromClause).
    __table__: ClassVar[Table]
    type_annotation_map = {
        datetime: UtcDateTime(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
        str: String(),
        bool: Boolean(),
    }


class SyncState(enum.StrEnum):
    """Where a row stands with respect to the server (sync-design 5.2)."""

    SYNCED = "synced"
    PENDING = "pending"
    CONFLICT = "conflict"
    ORPHANED = "orphaned"
    LOCAL = "local"  # never meant for the server (e.g. a local-only project)


class EntityMixin:
    """Identity and Cytomine's common fields (``id``, ``created``, ``updated``, ``deleted``)."""

    pk: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uid)
    created: Mapped[datetime] = mapped_column(default=utcnow)
    updated: Mapped[datetime | None] = mapped_column(default=None, onupdate=utcnow)
    deleted: Mapped[datetime | None] = mapped_column(default=None)


class SyncedMixin(EntityMixin):
    """Sync bookkeeping carried by every syncable row (sync-design 5.2)."""

    server_id: Mapped[int | None] = mapped_column(BigInteger, unique=True, default=None)
    server_updated: Mapped[int | None] = mapped_column(BigInteger, default=None)
    base_json: Mapped[str | None] = mapped_column(Text, default=None)
    dirty_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    local_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    sync_state: Mapped[SyncState] = mapped_column(enum_column(SyncState), default=SyncState.SYNCED)


class DomainRefMixin:
    """Cytomine's generic attachment target: ``domainClassName`` + ``domainIdent``.

    Properties, descriptions, attached files, tags and ACL entries can hang on any
    domain (project, image, annotation, ...).  ``domain_pk`` is the local pk of the
    target row; the class name is Cytomine's fully qualified one so it round-trips.
    """

    domain_class_name: Mapped[str] = mapped_column(String(255), index=True)
    domain_pk: Mapped[int] = mapped_column(IdType, index=True)


class IntEnumType(TypeDecorator[enum.IntEnum]):
    """An ``IntEnum`` stored as Cytomine stores it: the bare integer code.

    Cytomine's statuses (job status, uploaded file status) are integers on the wire and
    in its database, so keeping the integer avoids a mapping table at the server boundary.
    Unknown codes are refused in Python here and by the CHECK from ``int_enum_check``.
    """

    impl = Integer
    cache_ok = True

    def __init__(self, enum_cls: type[enum.IntEnum]) -> None:
        super().__init__()
        self.enum_cls = enum_cls

    def process_bind_param(self, value: int | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return int(self.enum_cls(value))  # ValueError for an unknown code

    def process_result_value(self, value: int | None, dialect: Dialect) -> enum.IntEnum | None:
        if value is None:
            return None
        return self.enum_cls(value)


def int_enum_check(column: str, enum_cls: type[enum.IntEnum]) -> CheckConstraint:
    """The database-side half of ``IntEnumType``: ``column IN (codes...)``."""
    codes = ", ".join(str(int(m)) for m in enum_cls)
    return CheckConstraint(f"{column} IN ({codes})", name=f"{column}_{enum_cls.__name__.lower()}")
