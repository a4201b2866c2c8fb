"""Tables of the sync machinery: the command log (undo/redo + outbox), cursors, conflicts.

The desktop cache uses ``command_log``, ``undo_entry``, ``sync_cursor``,
``sync_conflict``, ``acked_log`` and ``upload_queue``; the server uses ``change_feed``
and ``idempotency_key``.  They live in the one schema so that a single migration chain
serves both, and an empty table costs nothing on the side that does not use it.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.model.base import Base, IdType, enum_column, new_uid, utcnow


class OpKind(enum.StrEnum):
    """Intent of one operation (sync-design 5.2): what the server must be asked to do."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    ADD_TERM = "add_term"
    REMOVE_TERM = "remove_term"
    REVIEW_ACCEPT = "review_accept"
    REVIEW_REJECT = "review_reject"
    PUT_PROPERTY = "put_property"
    DELETE_PROPERTY = "delete_property"
    UPLOAD_FILE = "upload_file"


class OpState(enum.StrEnum):
    """Life of an outbox operation.  Only ``pending`` ops may be coalesced."""

    PENDING = "pending"
    INFLIGHT = "inflight"
    NEEDS_RECONCILE = "needs_reconcile"
    BLOCKED = "blocked"
    CONFLICT = "conflict"
    FAILED = "failed"
    DONE = "done"
    LOCAL = "local"  # an edit of local-only data: undoable, never sent


class CommandLog(Base):
    """One operation of one user action.  Rows of one action share ``action_uid``.

    ``payload`` holds the intent (new values; references as local uids), ``inverse``
    what undo must restore.  The same row is the sync outbox entry, so an edit and its
    outbox entry can never be committed apart.
    """

    __tablename__ = "command_log"
    __table_args__ = (Index("ix_command_log_state_seq", "state", "seq"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uid)
    action_uid: Mapped[str] = mapped_column(String(36), index=True)
    project_pk: Mapped[int | None] = mapped_column(IdType, default=None, index=True)
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_pk: Mapped[int] = mapped_column(IdType)
    entity_uid: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[OpKind] = mapped_column(enum_column(OpKind))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    inverse: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    base_server_updated: Mapped[int | None] = mapped_column(BigInteger, default=None)
    base_json: Mapped[str | None] = mapped_column(Text, default=None)
    op_schema: Mapped[int] = mapped_column(Integer, default=1)
    state: Mapped[OpState] = mapped_column(enum_column(OpState), default=OpState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    first_sent_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    user_pk: Mapped[int | None] = mapped_column(IdType, default=None)
    created: Mapped[datetime] = mapped_column(default=utcnow)


class UndoState(enum.StrEnum):
    DONE = "done"
    UNDONE = "undone"
    DISCARDED = "discarded"  # an undone action that a new action made unreachable


class UndoEntry(Base):
    """One user action on the undo/redo stacks; persisted so undo survives a restart."""

    __tablename__ = "undo_entry"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    action_uid: Mapped[str] = mapped_column(String(36), unique=True)
    label: Mapped[str] = mapped_column(String(255))
    scope: Mapped[str] = mapped_column(String(64), default="", index=True)
    state: Mapped[UndoState] = mapped_column(enum_column(UndoState), default=UndoState.DONE)
    created: Mapped[datetime] = mapped_column(default=utcnow)


class SyncCursor(Base):
    """Pull position per project, advanced in the transaction that applied the page."""

    __tablename__ = "sync_cursor"

    project_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("project.pk", ondelete="CASCADE"), primary_key=True
    )
    server_url: Mapped[str] = mapped_column(String(512), default="")
    feed_cursor: Mapped[str | None] = mapped_column(String(255), default=None)
    last_full_reconcile_at: Mapped[datetime | None] = mapped_column(default=None)
    last_sync_at: Mapped[datetime | None] = mapped_column(default=None)
    server_identity: Mapped[str | None] = mapped_column(String(255), default=None)


class ConflictStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class SyncConflict(Base):
    """A disagreement kept for the user: base, mine and theirs, never silently dropped."""

    __tablename__ = "sync_conflict"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_pk: Mapped[int] = mapped_column(IdType, index=True)
    op_seq: Mapped[int | None] = mapped_column(Integer, default=None)
    kind: Mapped[str] = mapped_column(String(64))
    base_json: Mapped[str | None] = mapped_column(Text, default=None)
    local_json: Mapped[str | None] = mapped_column(Text, default=None)
    server_json: Mapped[str | None] = mapped_column(Text, default=None)
    detected_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[ConflictStatus] = mapped_column(
        enum_column(ConflictStatus), default=ConflictStatus.OPEN
    )
    resolution: Mapped[str | None] = mapped_column(String(32), default=None)


class AckedLog(Base):
    """Acknowledged operations, kept for audit and to detect a server restored from backup."""

    __tablename__ = "acked_log"

    op_uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    server_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    server_updated: Mapped[int | None] = mapped_column(BigInteger, default=None)
    acked_at: Mapped[datetime] = mapped_column(default=utcnow)


class UploadQueue(Base):
    """Resumable uploads of slide files created or opened locally."""

    __tablename__ = "upload_queue"

    file_uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    bytes_sent: Mapped[int] = mapped_column(BigInteger, default=0)
    target_entity_pk: Mapped[int | None] = mapped_column(IdType, default=None)
    state: Mapped[str] = mapped_column(String(32), default="pending")


class ChangeFeed(Base):
    """Server side: one row per change of a project's data, including deletions.

    ``seq`` is the monotonic cursor clients page with; it is assigned in the same
    transaction as the change, so a reader never sees a gap that later fills in
    ... on PostgreSQL the server takes a per-project advisory lock when appending.
    """

    __tablename__ = "change_feed"
    __table_args__ = (Index("ix_change_feed_project_seq", "project_pk", "seq"),)

    seq: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    project_pk: Mapped[int] = mapped_column(IdType)
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_pk: Mapped[int] = mapped_column(IdType)
    entity_uid: Mapped[str | None] = mapped_column(String(36), default=None)
    action: Mapped[str] = mapped_column(String(16))  # created | updated | deleted
    updated_ms: Mapped[int] = mapped_column(BigInteger)
    user_pk: Mapped[int | None] = mapped_column(IdType, default=None)


class AccessGeneration(Base):
    """Server side: one row counting the committed changes to who may read what.

    Every server process keeps access decisions in memory (``server.access_cache``);
    a transaction that changes users, roles, memberships, ACLs or projects increments
    ``generation`` in the same transaction, and every process of every server host on
    the database reads it at least every 0.25 s and drops its decisions when it moved.
    The row is seeded by migration 0008 (``pk`` 1).
    """

    __tablename__ = "access_generation"

    pk: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=False)
    generation: Mapped[int] = mapped_column(BigInteger, default=0)


class IdempotencyKey(Base):
    """Server side: a client UUID already used for a create, with the row it created."""

    __tablename__ = "idempotency_key"

    user_pk: Mapped[int] = mapped_column(IdType, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_pk: Mapped[int] = mapped_column(IdType)
    created: Mapped[datetime] = mapped_column(default=utcnow)
