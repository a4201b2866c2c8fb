"""Revision 0001_initial, frozen: Sync bookkeeping: the command log (outbox), undo entries, cursors, conflicts, acks, uploads, the change feed, idempotency keys.

Part of the initial revision (``versions/0001_initial.py`` calls these in foreign-key
order); never edit once released -- later schema changes are new revisions.
"""

# ruff: noqa: E501
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def acked_log() -> None:
    op.create_table(
        "acked_log",
        sa.Column("op_uid", sa.String(length=36), nullable=False),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("acked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("op_uid", name=op.f("pk_acked_log")),
        sqlite_autoincrement=True,
    )


def change_feed() -> None:
    op.create_table(
        "change_feed",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("entity_type", sa.String(length=64), nullable=False),
        sa.Column(
            "entity_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("entity_uid", sa.String(length=36), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("updated_ms", sa.BigInteger(), nullable=False),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_change_feed")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_change_feed_project_seq", "change_feed", ["project_pk", "seq"], unique=False
    )


def command_log() -> None:
    op.create_table(
        "command_log",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("op_uid", sa.String(length=36), nullable=False),
        sa.Column("action_uid", sa.String(length=36), nullable=False),
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("entity_type", sa.String(length=64), nullable=False),
        sa.Column(
            "entity_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("entity_uid", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=15), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("inverse", sa.JSON(), nullable=False),
        sa.Column("base_server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("op_schema", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=15), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('create', 'update', 'delete', 'add_term', 'remove_term', 'review_accept', 'review_reject', 'put_property', 'delete_property', 'upload_file')",
            name=op.f("ck_command_log_opkind"),
        ),
        sa.CheckConstraint(
            "state IN ('pending', 'inflight', 'needs_reconcile', 'blocked', 'conflict', 'failed', 'done', 'local')",
            name=op.f("ck_command_log_opstate"),
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_command_log")),
        sa.UniqueConstraint("op_uid", name=op.f("uq_command_log_op_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_command_log_action_uid"), "command_log", ["action_uid"], unique=False)
    op.create_index(op.f("ix_command_log_entity_uid"), "command_log", ["entity_uid"], unique=False)
    op.create_index(op.f("ix_command_log_project_pk"), "command_log", ["project_pk"], unique=False)
    op.create_index("ix_command_log_state_seq", "command_log", ["state", "seq"], unique=False)


def idempotency_key() -> None:
    op.create_table(
        "idempotency_key",
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("entity_type", sa.String(length=64), nullable=False),
        sa.Column(
            "entity_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_pk", "key", name=op.f("pk_idempotency_key")),
        sqlite_autoincrement=True,
    )


def sync_conflict() -> None:
    op.create_table(
        "sync_conflict",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity_type", sa.String(length=64), nullable=False),
        sa.Column(
            "entity_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("op_seq", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("local_json", sa.Text(), nullable=True),
        sa.Column("server_json", sa.Text(), nullable=True),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("resolution", sa.String(length=32), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'resolved')", name=op.f("ck_sync_conflict_conflictstatus")
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_sync_conflict")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_sync_conflict_entity_pk"), "sync_conflict", ["entity_pk"], unique=False
    )


def undo_entry() -> None:
    op.create_table(
        "undo_entry",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("action_uid", sa.String(length=36), nullable=False),
        sa.Column("label", sa.String(length=255), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=9), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('done', 'undone', 'discarded')", name=op.f("ck_undo_entry_undostate")
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_undo_entry")),
        sa.UniqueConstraint("action_uid", name=op.f("uq_undo_entry_action_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_undo_entry_scope"), "undo_entry", ["scope"], unique=False)


def upload_queue() -> None:
    op.create_table(
        "upload_queue",
        sa.Column("file_uid", sa.String(length=36), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("bytes_sent", sa.BigInteger(), nullable=False),
        sa.Column(
            "target_entity_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("file_uid", name=op.f("pk_upload_queue")),
        sqlite_autoincrement=True,
    )


def sync_cursor() -> None:
    op.create_table(
        "sync_cursor",
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("server_url", sa.String(length=512), nullable=False),
        sa.Column("feed_cursor", sa.String(length=255), nullable=True),
        sa.Column("last_full_reconcile_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_sync_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("server_identity", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_sync_cursor_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_pk", name=op.f("pk_sync_cursor")),
        sqlite_autoincrement=True,
    )
