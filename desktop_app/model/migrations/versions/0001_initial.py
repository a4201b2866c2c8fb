"""initial schema: Cytomine + SciTran + sync tables

Revision ID: 0001_initial
Revises:
Hand edits after ``alembic revision --autogenerate`` (keep them in later revisions):

* model types are spelled as plain SQL types (``UtcDateTime`` -> ``sa.DateTime(timezone=True)``,
  ``IntEnumType`` -> ``sa.Integer()``) so this file never imports application code that
  may change after it is written;
* every enumeration column is ``sa.String(n)`` plus an explicit, named
  ``CHECK (col IN (...))`` (``ck_<table>_<enum>``), the exact DDL ``create_all`` emits,
  instead of ``sa.Enum`` whose constraint name depends on the live naming convention;
* SQLite batch blocks around ``create_index`` are plain ``op.create_index`` calls.

Create Date: 2026-11-25 11:02:31.358602
"""

# ruff: noqa: E501
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "acked_log",
        sa.Column("op_uid", sa.String(length=36), nullable=False),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("acked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("op_uid", name=op.f("pk_acked_log")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "attached_file",
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=True),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=255), nullable=True),
        sa.Column("domain_class_name", sa.String(length=255), nullable=False),
        sa.Column(
            "domain_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_attached_file_syncstate"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_attached_file")),
        sa.UniqueConstraint("server_id", name=op.f("uq_attached_file_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_attached_file_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_attached_file_domain_class_name"),
        "attached_file",
        ["domain_class_name"],
        unique=False,
    )
    op.create_index(
        op.f("ix_attached_file_domain_pk"), "attached_file", ["domain_pk"], unique=False
    )

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

    op.create_table(
        "description",
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("domain_class_name", sa.String(length=255), nullable=False),
        sa.Column(
            "domain_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_description_syncstate"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_description")),
        sa.UniqueConstraint(
            "domain_class_name", "domain_pk", name=op.f("uq_description_domain_class_name")
        ),
        sa.UniqueConstraint("server_id", name=op.f("uq_description_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_description_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_description_domain_class_name"), "description", ["domain_class_name"], unique=False
    )
    op.create_index(op.f("ix_description_domain_pk"), "description", ["domain_pk"], unique=False)

    op.create_table(
        "device",
        sa.Column("label", sa.String(length=255), nullable=False),
        sa.Column("model", sa.String(length=255), nullable=True),
        sa.Column("location", sa.String(length=255), nullable=True),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_device_syncstate"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_device")),
        sa.UniqueConstraint("server_id", name=op.f("uq_device_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_device_uid")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "discipline",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_discipline_syncstate"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_discipline")),
        sa.UniqueConstraint("name", name=op.f("uq_discipline_name")),
        sa.UniqueConstraint("server_id", name=op.f("uq_discipline_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_discipline_uid")),
        sqlite_autoincrement=True,
    )
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
    op.create_table(
        "image_metadata",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("type", sa.String(length=32), nullable=True),
        sa.Column("domain_class_name", sa.String(length=255), nullable=False),
        sa.Column(
            "domain_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_image_metadata_syncstate"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_image_metadata")),
        sa.UniqueConstraint("server_id", name=op.f("uq_image_metadata_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_image_metadata_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_image_metadata_domain_class_name"),
        "image_metadata",
        ["domain_class_name"],
        unique=False,
    )
    op.create_index(
        op.f("ix_image_metadata_domain_pk"), "image_metadata", ["domain_pk"], unique=False
    )
    op.create_index(op.f("ix_image_metadata_key"), "image_metadata", ["key"], unique=False)

    op.create_table(
        "property",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("domain_class_name", sa.String(length=255), nullable=False),
        sa.Column(
            "domain_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_property_syncstate"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_property")),
        sa.UniqueConstraint("server_id", name=op.f("uq_property_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_property_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_property_domain_class_name"), "property", ["domain_class_name"], unique=False
    )
    op.create_index(op.f("ix_property_domain_pk"), "property", ["domain_pk"], unique=False)
    op.create_index(op.f("ix_property_key"), "property", ["key"], unique=False)

    op.create_table(
        "relation",
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("server_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_relation")),
        sa.UniqueConstraint("name", name=op.f("uq_relation_name")),
        sa.UniqueConstraint("server_id", name=op.f("uq_relation_server_id")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "scitran_group",
        sa.Column("code", sa.String(length=255), nullable=True),
        sa.Column("label", sa.String(length=255), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_scitran_group_syncstate"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_scitran_group")),
        sa.UniqueConstraint("code", name=op.f("uq_scitran_group_code")),
        sa.UniqueConstraint("server_id", name=op.f("uq_scitran_group_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_scitran_group_uid")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "sec_role",
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("authority", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "authority IN ('ROLE_SUPER_ADMIN', 'ROLE_ADMIN', 'ROLE_USER', 'ROLE_GUEST')",
            name=op.f("ck_sec_role_authority"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_sec_role")),
        sa.UniqueConstraint("authority", name=op.f("uq_sec_role_authority")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "sec_user",
        sa.Column("username", sa.String(length=255), nullable=False),
        sa.Column("firstname", sa.String(length=255), nullable=True),
        sa.Column("lastname", sa.String(length=255), nullable=True),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("public_key", sa.String(length=255), nullable=True),
        sa.Column("private_key", sa.String(length=255), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("origin", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=32), nullable=True),
        sa.Column("color", sa.String(length=16), nullable=True),
        sa.Column("is_developer", sa.Boolean(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("account_expired", sa.Boolean(), nullable=False),
        sa.Column("account_locked", sa.Boolean(), nullable=False),
        sa.Column("password_expired", sa.Boolean(), nullable=False),
        sa.Column("algo", sa.Boolean(), nullable=False),
        sa.Column("avatar", sa.String(length=1024), nullable=True),
        sa.Column("avatars", sa.JSON(), nullable=False),
        sa.Column("root", sa.Boolean(), nullable=False),
        sa.Column("api_key", sa.String(length=255), nullable=True),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_sec_user_syncstate"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_sec_user")),
        sa.UniqueConstraint("api_key", name=op.f("uq_sec_user_api_key")),
        sa.UniqueConstraint("public_key", name=op.f("uq_sec_user_public_key")),
        sa.UniqueConstraint("server_id", name=op.f("uq_sec_user_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_sec_user_uid")),
        sa.UniqueConstraint("username", name=op.f("uq_sec_user_username")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "software",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("software_version", sa.String(length=64), nullable=True),
        sa.Column("full_name", sa.String(length=512), nullable=True),
        sa.Column("service_name", sa.String(length=255), nullable=True),
        sa.Column("result_name", sa.String(length=255), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("executable", sa.Boolean(), nullable=False),
        sa.Column("deprecated", sa.Boolean(), nullable=False),
        sa.Column("execute_command", sa.Text(), nullable=True),
        sa.Column("pulling_command", sa.Text(), nullable=True),
        sa.Column("source_path", sa.Text(), nullable=True),
        sa.Column("software_user_repository", sa.String(length=255), nullable=True),
        sa.Column("default_processing_server", sa.String(length=255), nullable=True),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_software_syncstate"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_software")),
        sa.UniqueConstraint("server_id", name=op.f("uq_software_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_software_uid")),
        sqlite_autoincrement=True,
    )
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
    op.create_table(
        "version",
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("major", sa.Integer(), nullable=False),
        sa.Column("minor", sa.Integer(), nullable=False),
        sa.Column("patch", sa.Integer(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_version")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "acl_entry",
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("mask", sa.Integer(), nullable=False),
        sa.Column("granting", sa.Boolean(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("domain_class_name", sa.String(length=255), nullable=False),
        sa.Column(
            "domain_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.CheckConstraint("mask IN (1, 2, 4, 8, 16)", name=op.f("ck_acl_entry_mask_aclmask")),
        sa.ForeignKeyConstraint(
            ["user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_acl_entry_user_pk_sec_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_acl_entry")),
        sa.UniqueConstraint(
            "domain_class_name",
            "domain_pk",
            "user_pk",
            "mask",
            name=op.f("uq_acl_entry_domain_class_name"),
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_acl_entry_domain_class_name"), "acl_entry", ["domain_class_name"], unique=False
    )
    op.create_index(op.f("ix_acl_entry_domain_pk"), "acl_entry", ["domain_pk"], unique=False)
    op.create_index(op.f("ix_acl_entry_user_pk"), "acl_entry", ["user_pk"], unique=False)

    op.create_table(
        "collection",
        sa.Column(
            "curator_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("label", sa.String(length=255), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("info", sa.JSON(), nullable=False),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_collection_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["curator_pk"],
            ["sec_user.pk"],
            name=op.f("fk_collection_curator_pk_sec_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_collection")),
        sa.UniqueConstraint("server_id", name=op.f("uq_collection_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_collection_uid")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "container_permission",
        sa.Column("container_type", sa.String(length=11), nullable=False),
        sa.Column(
            "container_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("access", sa.String(length=5), nullable=False),
        sa.CheckConstraint(
            "container_type IN ('project', 'session', 'acquisition', 'analysis', 'collection')",
            name=op.f("ck_container_permission_containertype"),
        ),
        sa.CheckConstraint(
            "access IN ('ro', 'rw', 'admin')", name=op.f("ck_container_permission_access")
        ),
        sa.CheckConstraint(
            "container_type <> 'project'", name=op.f("ck_container_permission_not_project")
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_container_permission_user_pk_sec_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "container_type", "container_pk", "user_pk", name=op.f("pk_container_permission")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_container_permission_user_pk"), "container_permission", ["user_pk"], unique=False
    )

    op.create_table(
        "group_permission",
        sa.Column("group_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("access", sa.String(length=5), nullable=False),
        sa.CheckConstraint(
            "access IN ('ro', 'rw', 'admin')", name=op.f("ck_group_permission_access")
        ),
        sa.ForeignKeyConstraint(
            ["group_pk"],
            ["scitran_group.pk"],
            name=op.f("fk_group_permission_group_pk_scitran_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_group_permission_user_pk_sec_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_pk", "user_pk", name=op.f("pk_group_permission")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_group_permission_user_pk"), "group_permission", ["user_pk"], unique=False
    )

    op.create_table(
        "note",
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("container_type", sa.String(length=11), nullable=False),
        sa.Column(
            "container_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "container_type IN ('project', 'session', 'acquisition', 'analysis', 'collection')",
            name=op.f("ck_note_containertype"),
        ),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_note_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"], ["sec_user.pk"], name=op.f("fk_note_user_pk_sec_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_note")),
        sa.UniqueConstraint("server_id", name=op.f("uq_note_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_note_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_note_container", "note", ["container_type", "container_pk"], unique=False)

    op.create_table(
        "ontology",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_ontology_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_ontology_user_pk_sec_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_ontology")),
        sa.UniqueConstraint("name", name=op.f("uq_ontology_name")),
        sa.UniqueConstraint("server_id", name=op.f("uq_ontology_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_ontology_uid")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "sec_user_sec_role",
        sa.Column(
            "sec_user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "sec_role_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["sec_role_pk"],
            ["sec_role.pk"],
            name=op.f("fk_sec_user_sec_role_sec_role_pk_sec_role"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sec_user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_sec_user_sec_role_sec_user_pk_sec_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("sec_user_pk", "sec_role_pk", name=op.f("pk_sec_user_sec_role")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "software_parameter",
        sa.Column(
            "software_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("human_name", sa.String(length=255), nullable=True),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("default_value", sa.Text(), nullable=True),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("set_by_server", sa.Boolean(), nullable=False),
        sa.Column("server_parameter", sa.Boolean(), nullable=False),
        sa.Column("uri", sa.Text(), nullable=True),
        sa.Column("uri_print_attribute", sa.String(length=255), nullable=True),
        sa.Column("uri_sort_attribute", sa.String(length=255), nullable=True),
        sa.Column("value_key", sa.String(length=255), nullable=True),
        sa.Column("command_line_flag", sa.String(length=255), nullable=True),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_software_parameter_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["software_pk"],
            ["software.pk"],
            name=op.f("fk_software_parameter_software_pk_software"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_software_parameter")),
        sa.UniqueConstraint("server_id", name=op.f("uq_software_parameter_server_id")),
        sa.UniqueConstraint("software_pk", "name", name=op.f("uq_software_parameter_software_pk")),
        sa.UniqueConstraint("uid", name=op.f("uq_software_parameter_uid")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "image_server",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("url", sa.String(length=1024), nullable=False),
        sa.Column("base_path", sa.Text(), nullable=True),
        sa.Column("available", sa.Boolean(), nullable=False),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_image_server_syncstate"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_image_server")),
        sa.UniqueConstraint("server_id", name=op.f("uq_image_server_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_image_server_uid")),
        sa.UniqueConstraint("url", name=op.f("uq_image_server_url")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "storage",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("base_path", sa.Text(), nullable=True),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_storage_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_storage_user_pk_sec_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_storage")),
        sa.UniqueConstraint("server_id", name=op.f("uq_storage_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_storage_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_storage_user_pk"), "storage", ["user_pk"], unique=False)

    op.create_table(
        "tag",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_tag_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"], ["sec_user.pk"], name=op.f("fk_tag_user_pk_sec_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_tag")),
        sa.UniqueConstraint("name", name=op.f("uq_tag_name")),
        sa.UniqueConstraint("server_id", name=op.f("uq_tag_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_tag_uid")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "project",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column(
            "ontology_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "discipline_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("blind_mode", sa.Boolean(), nullable=False),
        sa.Column("are_images_downloadable", sa.Boolean(), nullable=False),
        sa.Column("hide_users_layers", sa.Boolean(), nullable=False),
        sa.Column("hide_admins_layers", sa.Boolean(), nullable=False),
        sa.Column("is_closed", sa.Boolean(), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("retrieval_disable", sa.Boolean(), nullable=False),
        sa.Column("retrieval_all_ontology", sa.Boolean(), nullable=False),
        sa.Column("count_images", sa.Integer(), nullable=False),
        sa.Column("count_annotations", sa.Integer(), nullable=False),
        sa.Column("count_job_annotations", sa.Integer(), nullable=False),
        sa.Column("count_reviewed_annotations", sa.Integer(), nullable=False),
        sa.Column("group_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("label", sa.String(length=255), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("info", sa.JSON(), nullable=False),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "mode IN ('CLASSIC', 'RESTRICTED', 'READ_ONLY')", name=op.f("ck_project_projectmode")
        ),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_project_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["discipline_pk"],
            ["discipline.pk"],
            name=op.f("fk_project_discipline_pk_discipline"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["group_pk"],
            ["scitran_group.pk"],
            name=op.f("fk_project_group_pk_scitran_group"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["ontology_pk"],
            ["ontology.pk"],
            name=op.f("fk_project_ontology_pk_ontology"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_project")),
        sa.UniqueConstraint("server_id", name=op.f("uq_project_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_project_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_project_group_pk"), "project", ["group_pk"], unique=False)
    op.create_index(op.f("ix_project_name"), "project", ["name"], unique=False)
    op.create_index(op.f("ix_project_ontology_pk"), "project", ["ontology_pk"], unique=False)

    op.create_table(
        "tag_domain_association",
        sa.Column("tag_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("domain_class_name", sa.String(length=255), nullable=False),
        sa.Column(
            "domain_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_tag_domain_association_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["tag_pk"],
            ["tag.pk"],
            name=op.f("fk_tag_domain_association_tag_pk_tag"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_tag_domain_association")),
        sa.UniqueConstraint("server_id", name=op.f("uq_tag_domain_association_server_id")),
        sa.UniqueConstraint(
            "tag_pk",
            "domain_class_name",
            "domain_pk",
            name=op.f("uq_tag_domain_association_tag_pk"),
        ),
        sa.UniqueConstraint("uid", name=op.f("uq_tag_domain_association_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_tag_domain_association_domain_class_name"),
        "tag_domain_association",
        ["domain_class_name"],
        unique=False,
    )
    op.create_index(
        op.f("ix_tag_domain_association_domain_pk"),
        "tag_domain_association",
        ["domain_pk"],
        unique=False,
    )

    op.create_table(
        "term",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("color", sa.String(length=16), nullable=False),
        sa.Column(
            "ontology_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_term_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["ontology_pk"],
            ["ontology.pk"],
            name=op.f("fk_term_ontology_pk_ontology"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_term")),
        sa.UniqueConstraint("ontology_pk", "name", name=op.f("uq_term_ontology_pk")),
        sa.UniqueConstraint("server_id", name=op.f("uq_term_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_term_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_term_ontology_pk"), "term", ["ontology_pk"], unique=False)

    op.create_table(
        "uploaded_file",
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "storage_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("parent_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("original_filename", sa.Text(), nullable=False),
        sa.Column("ext", sa.String(length=32), nullable=True),
        sa.Column("content_type", sa.String(length=255), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("image_server_url", sa.String(length=1024), nullable=True),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("projects", sa.JSON(), nullable=False),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_uploaded_file_syncstate"),
        ),
        sa.CheckConstraint(
            "status IN (0, 10, 11, 20, 21, 30, 31, 40, 41, 100, 102, 104)",
            name=op.f("ck_uploaded_file_status_uploadedfilestatus"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_pk"],
            ["uploaded_file.pk"],
            name=op.f("fk_uploaded_file_parent_pk_uploaded_file"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["storage_pk"],
            ["storage.pk"],
            name=op.f("fk_uploaded_file_storage_pk_storage"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_uploaded_file_user_pk_sec_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_uploaded_file")),
        sa.UniqueConstraint("server_id", name=op.f("uq_uploaded_file_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_uploaded_file_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_uploaded_file_parent_pk"), "uploaded_file", ["parent_pk"], unique=False
    )
    op.create_index(op.f("ix_uploaded_file_user_pk"), "uploaded_file", ["user_pk"], unique=False)

    op.create_table(
        "abstract_image",
        sa.Column(
            "uploaded_file_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("filename", sa.Text(), nullable=True),
        sa.Column("original_filename", sa.Text(), nullable=True),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("duration", sa.Integer(), nullable=False),
        sa.Column("channels", sa.Integer(), nullable=False),
        sa.Column("extrinsic_channels", sa.Integer(), nullable=True),
        sa.Column("physical_size_x", sa.Float(), nullable=True),
        sa.Column("physical_size_y", sa.Float(), nullable=True),
        sa.Column("physical_size_z", sa.Float(), nullable=True),
        sa.Column("fps", sa.Float(), nullable=True),
        sa.Column("magnification", sa.Integer(), nullable=True),
        sa.Column("bit_per_sample", sa.Integer(), nullable=True),
        sa.Column("samples_per_pixel", sa.Integer(), nullable=True),
        sa.Column("colorspace", sa.String(length=32), nullable=True),
        sa.Column("tile_size", sa.Integer(), nullable=True),
        sa.Column("is_virtual", sa.Boolean(), nullable=False),
        sa.Column("content_type", sa.String(length=255), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("vendor", sa.String(length=255), nullable=True),
        sa.Column("device_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_abstract_image_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["device_pk"],
            ["device.pk"],
            name=op.f("fk_abstract_image_device_pk_device"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_file_pk"],
            ["uploaded_file.pk"],
            name=op.f("fk_abstract_image_uploaded_file_pk_uploaded_file"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_abstract_image_user_pk_sec_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_abstract_image")),
        sa.UniqueConstraint("server_id", name=op.f("uq_abstract_image_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_abstract_image_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_abstract_image_device_pk"), "abstract_image", ["device_pk"], unique=False
    )
    op.create_index(op.f("ix_abstract_image_sha256"), "abstract_image", ["sha256"], unique=False)
    op.create_index(
        op.f("ix_abstract_image_uploaded_file_pk"),
        "abstract_image",
        ["uploaded_file_pk"],
        unique=False,
    )

    op.create_table(
        "command",
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("command_class", sa.String(length=255), nullable=True),
        sa.Column("action_message", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("service_name", sa.String(length=255), nullable=True),
        sa.Column("save_on_undo_redo_stack", sa.Boolean(), nullable=False),
        sa.Column("refuse_undo", sa.Boolean(), nullable=False),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_command_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_command_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_command_user_pk_sec_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_command")),
        sa.UniqueConstraint("server_id", name=op.f("uq_command_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_command_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_command_project_pk"), "command", ["project_pk"], unique=False)
    op.create_index(op.f("ix_command_user_pk"), "command", ["user_pk"], unique=False)

    op.create_table(
        "image_group",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_image_group_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_image_group_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_image_group")),
        sa.UniqueConstraint("server_id", name=op.f("uq_image_group_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_image_group_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_image_group_project_pk"), "image_group", ["project_pk"], unique=False)

    op.create_table(
        "job",
        sa.Column(
            "software_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("status_comment", sa.Text(), nullable=True),
        sa.Column("rate", sa.Float(), nullable=True),
        sa.Column("data_deleted", sa.Boolean(), nullable=False),
        sa.Column("favorite", sa.Boolean(), nullable=False),
        sa.Column("processing_server", sa.String(length=255), nullable=True),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_job_syncstate"),
        ),
        sa.CheckConstraint(
            "status IN (0, 1, 2, 3, 4, 5, 6, 7, 8)", name=op.f("ck_job_status_jobstatus")
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_job_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["software_pk"],
            ["software.pk"],
            name=op.f("fk_job_software_pk_software"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"], ["sec_user.pk"], name=op.f("fk_job_user_pk_sec_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_job")),
        sa.UniqueConstraint("server_id", name=op.f("uq_job_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_job_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_job_project_pk"), "job", ["project_pk"], unique=False)
    op.create_index(op.f("ix_job_software_pk"), "job", ["software_pk"], unique=False)

    op.create_table(
        "job_template",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column(
            "software_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_job_template_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_job_template_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["software_pk"],
            ["software.pk"],
            name=op.f("fk_job_template_software_pk_software"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_job_template")),
        sa.UniqueConstraint("server_id", name=op.f("uq_job_template_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_job_template_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_job_template_project_pk"), "job_template", ["project_pk"], unique=False
    )

    op.create_table(
        "project_connection",
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("time", sa.Integer(), nullable=True),
        sa.Column("os", sa.String(length=64), nullable=True),
        sa.Column("browser", sa.String(length=64), nullable=True),
        sa.Column("browser_version", sa.String(length=64), nullable=True),
        sa.Column("count_viewed_images", sa.Integer(), nullable=False),
        sa.Column("count_created_annotations", sa.Integer(), nullable=False),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_project_connection_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_project_connection_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_project_connection_user_pk_sec_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_project_connection")),
        sa.UniqueConstraint("server_id", name=op.f("uq_project_connection_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_project_connection_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_project_connection_project_user",
        "project_connection",
        ["project_pk", "user_pk"],
        unique=False,
    )

    op.create_table(
        "project_member",
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("access", sa.String(length=5), nullable=False),
        sa.Column("representative", sa.Boolean(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "access IN ('ro', 'rw', 'admin')", name=op.f("ck_project_member_access")
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_project_member_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_project_member_user_pk_sec_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_pk", "user_pk", name=op.f("pk_project_member")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_project_member_user_pk"), "project_member", ["user_pk"], unique=False)

    op.create_table(
        "relation_term",
        sa.Column(
            "relation_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("term1_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("term2_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_relation_term_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["relation_pk"],
            ["relation.pk"],
            name=op.f("fk_relation_term_relation_pk_relation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["term1_pk"],
            ["term.pk"],
            name=op.f("fk_relation_term_term1_pk_term"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["term2_pk"],
            ["term.pk"],
            name=op.f("fk_relation_term_term2_pk_term"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_relation_term")),
        sa.UniqueConstraint(
            "relation_pk", "term1_pk", "term2_pk", name=op.f("uq_relation_term_relation_pk")
        ),
        sa.UniqueConstraint("server_id", name=op.f("uq_relation_term_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_relation_term_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_relation_term_term1_pk"), "relation_term", ["term1_pk"], unique=False)
    op.create_index(op.f("ix_relation_term_term2_pk"), "relation_term", ["term2_pk"], unique=False)

    op.create_table(
        "software_project",
        sa.Column(
            "software_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_software_project_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_software_project_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["software_pk"],
            ["software.pk"],
            name=op.f("fk_software_project_software_pk_software"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_software_project")),
        sa.UniqueConstraint("server_id", name=op.f("uq_software_project_server_id")),
        sa.UniqueConstraint(
            "software_pk", "project_pk", name=op.f("uq_software_project_software_pk")
        ),
        sa.UniqueConstraint("uid", name=op.f("uq_software_project_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_software_project_project_pk"), "software_project", ["project_pk"], unique=False
    )

    op.create_table(
        "subject",
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("code", sa.String(length=255), nullable=True),
        sa.Column("firstname", sa.String(length=255), nullable=True),
        sa.Column("lastname", sa.String(length=255), nullable=True),
        sa.Column("firstname_hash", sa.String(length=64), nullable=True),
        sa.Column("lastname_hash", sa.String(length=64), nullable=True),
        sa.Column("sex", sa.String(length=7), nullable=True),
        sa.Column("race", sa.String(length=41), nullable=True),
        sa.Column("ethnicity", sa.String(length=23), nullable=True),
        sa.Column("age", sa.BigInteger(), nullable=True),
        sa.Column("info", sa.JSON(), nullable=False),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sex IN ('female', 'male', 'other', 'unknown')", name=op.f("ck_subject_sex")
        ),
        sa.CheckConstraint(
            "race IN ('American Indian or Alaska Native', 'Asian', 'Native Hawaiian or Other Pacific Islander', 'Black or African American', 'White', 'More Than One Race', 'Unknown or Not Reported')",
            name=op.f("ck_subject_race"),
        ),
        sa.CheckConstraint(
            "ethnicity IN ('Not Hispanic or Latino', 'Hispanic or Latino', 'Unknown or Not Reported')",
            name=op.f("ck_subject_ethnicity"),
        ),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_subject_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_subject_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_subject")),
        sa.UniqueConstraint("project_pk", "code", name=op.f("uq_subject_project_pk")),
        sa.UniqueConstraint("server_id", name=op.f("uq_subject_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_subject_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_subject_firstname_hash"), "subject", ["firstname_hash"], unique=False)
    op.create_index(op.f("ix_subject_lastname_hash"), "subject", ["lastname_hash"], unique=False)
    op.create_index(op.f("ix_subject_project_pk"), "subject", ["project_pk"], unique=False)

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
    op.create_table(
        "task",
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("comments", sa.JSON(), nullable=False),
        sa.Column("print_in_activity", sa.Boolean(), nullable=False),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_task_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_task_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"], ["sec_user.pk"], name=op.f("fk_task_user_pk_sec_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_task")),
        sa.UniqueConstraint("server_id", name=op.f("uq_task_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_task_uid")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "abstract_slice",
        sa.Column("image_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "uploaded_file_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("mime", sa.String(length=255), nullable=True),
        sa.Column("channel", sa.Integer(), nullable=False),
        sa.Column("z_stack", sa.Integer(), nullable=False),
        sa.Column("time", sa.Integer(), nullable=False),
        sa.Column("channel_name", sa.String(length=255), nullable=True),
        sa.Column("channel_color", sa.String(length=16), nullable=True),
        sa.Column("z_name", sa.String(length=255), nullable=True),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_abstract_slice_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["image_pk"],
            ["abstract_image.pk"],
            name=op.f("fk_abstract_slice_image_pk_abstract_image"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_file_pk"],
            ["uploaded_file.pk"],
            name=op.f("fk_abstract_slice_uploaded_file_pk_uploaded_file"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_abstract_slice")),
        sa.UniqueConstraint(
            "image_pk", "channel", "z_stack", "time", name=op.f("uq_abstract_slice_image_pk")
        ),
        sa.UniqueConstraint("server_id", name=op.f("uq_abstract_slice_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_abstract_slice_uid")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "analysis",
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("timestamp", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.String(length=64), nullable=True),
        sa.Column("job_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("container_type", sa.String(length=11), nullable=False),
        sa.Column(
            "container_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("label", sa.String(length=255), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("info", sa.JSON(), nullable=False),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "container_type IN ('project', 'session', 'acquisition', 'analysis', 'collection')",
            name=op.f("ck_analysis_containertype"),
        ),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_analysis_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["job_pk"], ["job.pk"], name=op.f("fk_analysis_job_pk_job"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_analysis_user_pk_sec_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_analysis")),
        sa.UniqueConstraint("server_id", name=op.f("uq_analysis_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_analysis_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_analysis_container", "analysis", ["container_type", "container_pk"], unique=False
    )
    op.create_index(op.f("ix_analysis_job_pk"), "analysis", ["job_pk"], unique=False)

    op.create_table(
        "command_history",
        sa.Column(
            "command_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("prefix_action", sa.String(length=32), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_command_history_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["command_pk"],
            ["command.pk"],
            name=op.f("fk_command_history_command_pk_command"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_command_history_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_command_history_user_pk_sec_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_command_history")),
        sa.UniqueConstraint("server_id", name=op.f("uq_command_history_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_command_history_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_command_history_command_pk"), "command_history", ["command_pk"], unique=False
    )
    op.create_index(
        "ix_command_history_project_created",
        "command_history",
        ["project_pk", "created"],
        unique=False,
    )

    op.create_table(
        "companion_file",
        sa.Column(
            "uploaded_file_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("image_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("original_filename", sa.Text(), nullable=True),
        sa.Column("type", sa.String(length=64), nullable=True),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_companion_file_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["image_pk"],
            ["abstract_image.pk"],
            name=op.f("fk_companion_file_image_pk_abstract_image"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_file_pk"],
            ["uploaded_file.pk"],
            name=op.f("fk_companion_file_uploaded_file_pk_uploaded_file"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_companion_file")),
        sa.UniqueConstraint("server_id", name=op.f("uq_companion_file_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_companion_file_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_companion_file_image_pk"), "companion_file", ["image_pk"], unique=False
    )

    op.create_table(
        "container_file",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("hash", sa.String(length=255), nullable=True),
        sa.Column("modality", sa.String(length=64), nullable=True),
        sa.Column("measurements", sa.JSON(), nullable=False),
        sa.Column("origin_type", sa.String(length=6), nullable=True),
        sa.Column("origin_id", sa.String(length=255), nullable=True),
        sa.Column("origin_name", sa.String(length=255), nullable=True),
        sa.Column("origin_method", sa.String(length=255), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("info", sa.JSON(), nullable=False),
        sa.Column(
            "abstract_image_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("container_type", sa.String(length=11), nullable=False),
        sa.Column(
            "container_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "origin_type IN ('device', 'user', 'job')",
            name=op.f("ck_container_file_fileorigintype"),
        ),
        sa.CheckConstraint(
            "container_type IN ('project', 'session', 'acquisition', 'analysis', 'collection')",
            name=op.f("ck_container_file_containertype"),
        ),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_container_file_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["abstract_image_pk"],
            ["abstract_image.pk"],
            name=op.f("fk_container_file_abstract_image_pk_abstract_image"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_container_file")),
        sa.UniqueConstraint("server_id", name=op.f("uq_container_file_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_container_file_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_container_file_abstract_image_pk"),
        "container_file",
        ["abstract_image_pk"],
        unique=False,
    )
    op.create_index(
        "ix_container_file_container",
        "container_file",
        ["container_type", "container_pk"],
        unique=False,
    )

    op.create_table(
        "image_instance",
        sa.Column(
            "base_image_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("instance_filename", sa.Text(), nullable=True),
        sa.Column("review_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_stop", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "review_user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("magnification", sa.Integer(), nullable=True),
        sa.Column("physical_size_x", sa.Float(), nullable=True),
        sa.Column("physical_size_y", sa.Float(), nullable=True),
        sa.Column("physical_size_z", sa.Float(), nullable=True),
        sa.Column("fps", sa.Float(), nullable=True),
        sa.Column("reviewed", sa.Boolean(), nullable=False),
        sa.Column("count_image_annotations", sa.Integer(), nullable=False),
        sa.Column("count_image_job_annotations", sa.Integer(), nullable=False),
        sa.Column("count_image_reviewed_annotations", sa.Integer(), nullable=False),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_image_instance_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["base_image_pk"],
            ["abstract_image.pk"],
            name=op.f("fk_image_instance_base_image_pk_abstract_image"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_image_instance_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_image_instance_review_user_pk_sec_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_image_instance_user_pk_sec_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_image_instance")),
        sa.UniqueConstraint("server_id", name=op.f("uq_image_instance_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_image_instance_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_image_instance_base_image_pk"), "image_instance", ["base_image_pk"], unique=False
    )
    op.create_index(
        op.f("ix_image_instance_project_pk"), "image_instance", ["project_pk"], unique=False
    )

    op.create_table(
        "job_data",
        sa.Column("job_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_job_data_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["job_pk"], ["job.pk"], name=op.f("fk_job_data_job_pk_job"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_job_data")),
        sa.UniqueConstraint("server_id", name=op.f("uq_job_data_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_job_data_uid")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "job_parameter",
        sa.Column("job_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "job_template_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "software_parameter_pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_job_parameter_syncstate"),
        ),
        sa.CheckConstraint(
            "(job_pk IS NULL) <> (job_template_pk IS NULL)",
            name=op.f("ck_job_parameter_job_or_template"),
        ),
        sa.ForeignKeyConstraint(
            ["job_pk"], ["job.pk"], name=op.f("fk_job_parameter_job_pk_job"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["job_template_pk"],
            ["job_template.pk"],
            name=op.f("fk_job_parameter_job_template_pk_job_template"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["software_parameter_pk"],
            ["software_parameter.pk"],
            name=op.f("fk_job_parameter_software_parameter_pk_software_parameter"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_job_parameter")),
        sa.UniqueConstraint("server_id", name=op.f("uq_job_parameter_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_job_parameter_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_job_parameter_job_pk"), "job_parameter", ["job_pk"], unique=False)
    op.create_index(
        op.f("ix_job_parameter_job_template_pk"), "job_parameter", ["job_template_pk"], unique=False
    )

    op.create_table(
        "session",
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "subject_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("data_uid", sa.String(length=255), nullable=True),
        sa.Column("timestamp", sa.DateTime(timezone=True), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("label", sa.String(length=255), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("info", sa.JSON(), nullable=False),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_session_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_session_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subject_pk"],
            ["subject.pk"],
            name=op.f("fk_session_subject_pk_subject"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_session")),
        sa.UniqueConstraint("server_id", name=op.f("uq_session_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_session_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_session_data_uid"), "session", ["data_uid"], unique=False)
    op.create_index(op.f("ix_session_project_pk"), "session", ["project_pk"], unique=False)
    op.create_index(op.f("ix_session_subject_pk"), "session", ["subject_pk"], unique=False)

    op.create_table(
        "user_job",
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("job_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "parent_user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("rate", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_pk"], ["job.pk"], name=op.f("fk_user_job_job_pk_job"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["parent_user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_user_job_parent_user_pk_sec_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_user_job_user_pk_sec_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_pk", name=op.f("pk_user_job")),
        sa.UniqueConstraint("job_pk", name=op.f("uq_user_job_job_pk")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_user_job_parent_user_pk"), "user_job", ["parent_user_pk"], unique=False
    )

    op.create_table(
        "acquisition",
        sa.Column(
            "session_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("data_uid", sa.String(length=255), nullable=True),
        sa.Column("timestamp", sa.DateTime(timezone=True), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("label", sa.String(length=255), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("info", sa.JSON(), nullable=False),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_acquisition_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["session_pk"],
            ["session.pk"],
            name=op.f("fk_acquisition_session_pk_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_acquisition")),
        sa.UniqueConstraint("server_id", name=op.f("uq_acquisition_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_acquisition_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_acquisition_data_uid"), "acquisition", ["data_uid"], unique=False)
    op.create_index(op.f("ix_acquisition_session_pk"), "acquisition", ["session_pk"], unique=False)

    op.create_table(
        "image_consultation",
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("image_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "project_connection_pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("mode", sa.String(length=64), nullable=True),
        sa.Column("time", sa.Integer(), nullable=True),
        sa.Column("count_created_annotations", sa.Integer(), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_image_consultation_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["image_pk"],
            ["image_instance.pk"],
            name=op.f("fk_image_consultation_image_pk_image_instance"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_connection_pk"],
            ["project_connection.pk"],
            name=op.f("fk_image_consultation_project_connection_pk_project_connection"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_image_consultation_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_image_consultation_user_pk_sec_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_image_consultation")),
        sa.UniqueConstraint("server_id", name=op.f("uq_image_consultation_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_image_consultation_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_image_consultation_image_pk"), "image_consultation", ["image_pk"], unique=False
    )
    op.create_index(
        op.f("ix_image_consultation_user_pk"), "image_consultation", ["user_pk"], unique=False
    )

    op.create_table(
        "image_group_image_instance",
        sa.Column("group_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("image_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_image_group_image_instance_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["group_pk"],
            ["image_group.pk"],
            name=op.f("fk_image_group_image_instance_group_pk_image_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["image_pk"],
            ["image_instance.pk"],
            name=op.f("fk_image_group_image_instance_image_pk_image_instance"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_image_group_image_instance")),
        sa.UniqueConstraint(
            "group_pk", "image_pk", name=op.f("uq_image_group_image_instance_group_pk")
        ),
        sa.UniqueConstraint("server_id", name=op.f("uq_image_group_image_instance_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_image_group_image_instance_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_image_group_image_instance_image_pk"),
        "image_group_image_instance",
        ["image_pk"],
        unique=False,
    )

    op.create_table(
        "image_sequence",
        sa.Column(
            "image_group_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("image_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("channel", sa.Integer(), nullable=False),
        sa.Column("z_stack", sa.Integer(), nullable=False),
        sa.Column("slice", sa.Integer(), nullable=False),
        sa.Column("time", sa.Integer(), nullable=False),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_image_sequence_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["image_group_pk"],
            ["image_group.pk"],
            name=op.f("fk_image_sequence_image_group_pk_image_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["image_pk"],
            ["image_instance.pk"],
            name=op.f("fk_image_sequence_image_pk_image_instance"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_image_sequence")),
        sa.UniqueConstraint("server_id", name=op.f("uq_image_sequence_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_image_sequence_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_image_sequence_image_group_pk"), "image_sequence", ["image_group_pk"], unique=False
    )
    op.create_index(
        op.f("ix_image_sequence_image_pk"), "image_sequence", ["image_pk"], unique=False
    )

    op.create_table(
        "slice_instance",
        sa.Column("image_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "base_slice_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_slice_instance_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["base_slice_pk"],
            ["abstract_slice.pk"],
            name=op.f("fk_slice_instance_base_slice_pk_abstract_slice"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["image_pk"],
            ["image_instance.pk"],
            name=op.f("fk_slice_instance_image_pk_image_instance"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_slice_instance_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_slice_instance")),
        sa.UniqueConstraint("image_pk", "base_slice_pk", name=op.f("uq_slice_instance_image_pk")),
        sa.UniqueConstraint("server_id", name=op.f("uq_slice_instance_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_slice_instance_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_slice_instance_base_slice_pk"), "slice_instance", ["base_slice_pk"], unique=False
    )
    op.create_index(
        op.f("ix_slice_instance_project_pk"), "slice_instance", ["project_pk"], unique=False
    )

    op.create_table(
        "annotation",
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("image_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("slice_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("location", sa.LargeBinary(), nullable=False),
        sa.Column("geometry_type", sa.String(length=32), nullable=False),
        sa.Column("min_x", sa.Float(), nullable=False),
        sa.Column("min_y", sa.Float(), nullable=False),
        sa.Column("max_x", sa.Float(), nullable=False),
        sa.Column("max_y", sa.Float(), nullable=False),
        sa.Column("geometry_compression", sa.Float(), nullable=True),
        sa.Column("area", sa.Float(), nullable=False),
        sa.Column("perimeter", sa.Float(), nullable=False),
        sa.Column("area_unit", sa.String(length=16), nullable=False),
        sa.Column("perimeter_unit", sa.String(length=16), nullable=False),
        sa.Column("count_reviewed_annotations", sa.Integer(), nullable=False),
        sa.Column("nb_comments", sa.Integer(), nullable=False),
        sa.Column("parent_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("parent_ident", sa.BigInteger(), nullable=True),
        sa.Column("parent_class_name", sa.String(length=255), nullable=True),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column(
            "review_user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("job_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('user', 'algo', 'reviewed')", name=op.f("ck_annotation_annotationkind")
        ),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_annotation_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["image_pk"],
            ["image_instance.pk"],
            name=op.f("fk_annotation_image_pk_image_instance"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_pk"], ["job.pk"], name=op.f("fk_annotation_job_pk_job"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["parent_pk"],
            ["annotation.pk"],
            name=op.f("fk_annotation_parent_pk_annotation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_annotation_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_user_pk"], ["sec_user.pk"], name=op.f("fk_annotation_review_user_pk_sec_user")
        ),
        sa.ForeignKeyConstraint(
            ["slice_pk"],
            ["slice_instance.pk"],
            name=op.f("fk_annotation_slice_pk_slice_instance"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"], ["sec_user.pk"], name=op.f("fk_annotation_user_pk_sec_user")
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_annotation")),
        sa.UniqueConstraint("server_id", name=op.f("uq_annotation_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_annotation_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_annotation_image_bbox", "annotation", ["image_pk", "min_x", "min_y"], unique=False
    )
    op.create_index(op.f("ix_annotation_image_pk"), "annotation", ["image_pk"], unique=False)
    op.create_index(op.f("ix_annotation_parent_pk"), "annotation", ["parent_pk"], unique=False)
    op.create_index(op.f("ix_annotation_project_pk"), "annotation", ["project_pk"], unique=False)
    op.create_index(
        "ix_annotation_project_updated", "annotation", ["project_pk", "updated"], unique=False
    )
    op.create_index(op.f("ix_annotation_user_pk"), "annotation", ["user_pk"], unique=False)

    op.create_table(
        "collection_acquisition",
        sa.Column(
            "collection_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "acquisition_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["acquisition_pk"],
            ["acquisition.pk"],
            name=op.f("fk_collection_acquisition_acquisition_pk_acquisition"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["collection_pk"],
            ["collection.pk"],
            name=op.f("fk_collection_acquisition_collection_pk_collection"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "collection_pk", "acquisition_pk", name=op.f("pk_collection_acquisition")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_collection_acquisition_acquisition_pk"),
        "collection_acquisition",
        ["acquisition_pk"],
        unique=False,
    )

    op.create_table(
        "last_user_position",
        sa.Column("x", sa.Float(), nullable=False),
        sa.Column("y", sa.Float(), nullable=False),
        sa.Column("zoom", sa.Float(), nullable=False),
        sa.Column("rotation", sa.Float(), nullable=False),
        sa.Column("broadcast", sa.Boolean(), nullable=False),
        sa.Column("location", sa.LargeBinary(), nullable=True),
        sa.Column("min_x", sa.Float(), nullable=True),
        sa.Column("min_y", sa.Float(), nullable=True),
        sa.Column("max_x", sa.Float(), nullable=True),
        sa.Column("max_y", sa.Float(), nullable=True),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("image_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("slice_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_last_user_position_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["image_pk"],
            ["image_instance.pk"],
            name=op.f("fk_last_user_position_image_pk_image_instance"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_last_user_position_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["slice_pk"],
            ["slice_instance.pk"],
            name=op.f("fk_last_user_position_slice_pk_slice_instance"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_last_user_position_user_pk_sec_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_last_user_position")),
        sa.UniqueConstraint("server_id", name=op.f("uq_last_user_position_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_last_user_position_uid")),
        sa.UniqueConstraint("user_pk", "image_pk", name=op.f("uq_last_user_position_user_pk")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_last_user_position_project_pk"), "last_user_position", ["project_pk"], unique=False
    )

    op.create_table(
        "user_position",
        sa.Column("x", sa.Float(), nullable=False),
        sa.Column("y", sa.Float(), nullable=False),
        sa.Column("zoom", sa.Float(), nullable=False),
        sa.Column("rotation", sa.Float(), nullable=False),
        sa.Column("broadcast", sa.Boolean(), nullable=False),
        sa.Column("location", sa.LargeBinary(), nullable=True),
        sa.Column("min_x", sa.Float(), nullable=True),
        sa.Column("min_y", sa.Float(), nullable=True),
        sa.Column("max_x", sa.Float(), nullable=True),
        sa.Column("max_y", sa.Float(), nullable=True),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("image_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("slice_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_user_position_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["image_pk"],
            ["image_instance.pk"],
            name=op.f("fk_user_position_image_pk_image_instance"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_user_position_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["slice_pk"],
            ["slice_instance.pk"],
            name=op.f("fk_user_position_slice_pk_slice_instance"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_user_position_user_pk_sec_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_user_position")),
        sa.UniqueConstraint("server_id", name=op.f("uq_user_position_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_user_position_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_user_position_image_user_created",
        "user_position",
        ["image_pk", "user_pk", "created"],
        unique=False,
    )
    op.create_index(
        op.f("ix_user_position_project_pk"), "user_position", ["project_pk"], unique=False
    )

    op.create_table(
        "algo_annotation_term",
        sa.Column(
            "annotation_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("annotation_class_name", sa.String(length=255), nullable=False),
        sa.Column("term_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "expected_term_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("rate", sa.Float(), nullable=True),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_algo_annotation_term_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["annotation_pk"],
            ["annotation.pk"],
            name=op.f("fk_algo_annotation_term_annotation_pk_annotation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["expected_term_pk"],
            ["term.pk"],
            name=op.f("fk_algo_annotation_term_expected_term_pk_term"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_algo_annotation_term_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["term_pk"],
            ["term.pk"],
            name=op.f("fk_algo_annotation_term_term_pk_term"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"], ["sec_user.pk"], name=op.f("fk_algo_annotation_term_user_pk_sec_user")
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_algo_annotation_term")),
        sa.UniqueConstraint("server_id", name=op.f("uq_algo_annotation_term_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_algo_annotation_term_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_algo_annotation_term_annotation_pk"),
        "algo_annotation_term",
        ["annotation_pk"],
        unique=False,
    )

    op.create_table(
        "annotation_term",
        sa.Column(
            "annotation_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("term_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_annotation_term_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["annotation_pk"],
            ["annotation.pk"],
            name=op.f("fk_annotation_term_annotation_pk_annotation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["term_pk"],
            ["term.pk"],
            name=op.f("fk_annotation_term_term_pk_term"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"], ["sec_user.pk"], name=op.f("fk_annotation_term_user_pk_sec_user")
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_annotation_term")),
        sa.UniqueConstraint(
            "annotation_pk", "term_pk", "user_pk", name=op.f("uq_annotation_term_annotation_pk")
        ),
        sa.UniqueConstraint("server_id", name=op.f("uq_annotation_term_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_annotation_term_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_annotation_term_annotation_pk"), "annotation_term", ["annotation_pk"], unique=False
    )
    op.create_index(
        op.f("ix_annotation_term_term_pk"), "annotation_term", ["term_pk"], unique=False
    )

    op.create_table(
        "reviewed_annotation_term",
        sa.Column(
            "reviewed_annotation_pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("term_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["reviewed_annotation_pk"],
            ["annotation.pk"],
            name=op.f("fk_reviewed_annotation_term_reviewed_annotation_pk_annotation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["term_pk"],
            ["term.pk"],
            name=op.f("fk_reviewed_annotation_term_term_pk_term"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "reviewed_annotation_pk", "term_pk", name=op.f("pk_reviewed_annotation_term")
        ),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("reviewed_annotation_term")
    op.drop_index(op.f("ix_annotation_term_term_pk"), table_name="annotation_term")
    op.drop_index(op.f("ix_annotation_term_annotation_pk"), table_name="annotation_term")

    op.drop_table("annotation_term")
    op.drop_index(op.f("ix_algo_annotation_term_annotation_pk"), table_name="algo_annotation_term")

    op.drop_table("algo_annotation_term")
    op.drop_index(op.f("ix_user_position_project_pk"), table_name="user_position")
    op.drop_index("ix_user_position_image_user_created", table_name="user_position")

    op.drop_table("user_position")
    op.drop_index(op.f("ix_last_user_position_project_pk"), table_name="last_user_position")

    op.drop_table("last_user_position")
    op.drop_index(
        op.f("ix_collection_acquisition_acquisition_pk"), table_name="collection_acquisition"
    )

    op.drop_table("collection_acquisition")
    op.drop_index(op.f("ix_annotation_user_pk"), table_name="annotation")
    op.drop_index("ix_annotation_project_updated", table_name="annotation")
    op.drop_index(op.f("ix_annotation_project_pk"), table_name="annotation")
    op.drop_index(op.f("ix_annotation_parent_pk"), table_name="annotation")
    op.drop_index(op.f("ix_annotation_image_pk"), table_name="annotation")
    op.drop_index("ix_annotation_image_bbox", table_name="annotation")

    op.drop_table("annotation")
    op.drop_index(op.f("ix_slice_instance_project_pk"), table_name="slice_instance")
    op.drop_index(op.f("ix_slice_instance_base_slice_pk"), table_name="slice_instance")

    op.drop_table("slice_instance")
    op.drop_index(op.f("ix_image_sequence_image_pk"), table_name="image_sequence")
    op.drop_index(op.f("ix_image_sequence_image_group_pk"), table_name="image_sequence")

    op.drop_table("image_sequence")
    op.drop_index(
        op.f("ix_image_group_image_instance_image_pk"), table_name="image_group_image_instance"
    )

    op.drop_table("image_group_image_instance")
    op.drop_index(op.f("ix_image_consultation_user_pk"), table_name="image_consultation")
    op.drop_index(op.f("ix_image_consultation_image_pk"), table_name="image_consultation")

    op.drop_table("image_consultation")
    op.drop_index(op.f("ix_acquisition_session_pk"), table_name="acquisition")
    op.drop_index(op.f("ix_acquisition_data_uid"), table_name="acquisition")

    op.drop_table("acquisition")
    op.drop_index(op.f("ix_user_job_parent_user_pk"), table_name="user_job")

    op.drop_table("user_job")
    op.drop_index(op.f("ix_session_subject_pk"), table_name="session")
    op.drop_index(op.f("ix_session_project_pk"), table_name="session")
    op.drop_index(op.f("ix_session_data_uid"), table_name="session")

    op.drop_table("session")
    op.drop_index(op.f("ix_job_parameter_job_template_pk"), table_name="job_parameter")
    op.drop_index(op.f("ix_job_parameter_job_pk"), table_name="job_parameter")

    op.drop_table("job_parameter")
    op.drop_table("job_data")
    op.drop_index(op.f("ix_image_instance_project_pk"), table_name="image_instance")
    op.drop_index(op.f("ix_image_instance_base_image_pk"), table_name="image_instance")

    op.drop_table("image_instance")
    op.drop_index("ix_container_file_container", table_name="container_file")
    op.drop_index(op.f("ix_container_file_abstract_image_pk"), table_name="container_file")

    op.drop_table("container_file")
    op.drop_index(op.f("ix_companion_file_image_pk"), table_name="companion_file")

    op.drop_table("companion_file")
    op.drop_index("ix_command_history_project_created", table_name="command_history")
    op.drop_index(op.f("ix_command_history_command_pk"), table_name="command_history")

    op.drop_table("command_history")
    op.drop_index(op.f("ix_analysis_job_pk"), table_name="analysis")
    op.drop_index("ix_analysis_container", table_name="analysis")

    op.drop_table("analysis")
    op.drop_table("abstract_slice")
    op.drop_table("task")
    op.drop_table("sync_cursor")
    op.drop_index(op.f("ix_subject_project_pk"), table_name="subject")
    op.drop_index(op.f("ix_subject_lastname_hash"), table_name="subject")
    op.drop_index(op.f("ix_subject_firstname_hash"), table_name="subject")

    op.drop_table("subject")
    op.drop_index(op.f("ix_software_project_project_pk"), table_name="software_project")

    op.drop_table("software_project")
    op.drop_index(op.f("ix_relation_term_term2_pk"), table_name="relation_term")
    op.drop_index(op.f("ix_relation_term_term1_pk"), table_name="relation_term")

    op.drop_table("relation_term")
    op.drop_index(op.f("ix_project_member_user_pk"), table_name="project_member")

    op.drop_table("project_member")
    op.drop_index("ix_project_connection_project_user", table_name="project_connection")

    op.drop_table("project_connection")
    op.drop_index(op.f("ix_job_template_project_pk"), table_name="job_template")

    op.drop_table("job_template")
    op.drop_index(op.f("ix_job_software_pk"), table_name="job")
    op.drop_index(op.f("ix_job_project_pk"), table_name="job")

    op.drop_table("job")
    op.drop_index(op.f("ix_image_group_project_pk"), table_name="image_group")

    op.drop_table("image_group")
    op.drop_index(op.f("ix_command_user_pk"), table_name="command")
    op.drop_index(op.f("ix_command_project_pk"), table_name="command")

    op.drop_table("command")
    op.drop_index(op.f("ix_abstract_image_uploaded_file_pk"), table_name="abstract_image")
    op.drop_index(op.f("ix_abstract_image_sha256"), table_name="abstract_image")
    op.drop_index(op.f("ix_abstract_image_device_pk"), table_name="abstract_image")

    op.drop_table("abstract_image")
    op.drop_index(op.f("ix_uploaded_file_user_pk"), table_name="uploaded_file")
    op.drop_index(op.f("ix_uploaded_file_parent_pk"), table_name="uploaded_file")

    op.drop_table("uploaded_file")
    op.drop_index(op.f("ix_term_ontology_pk"), table_name="term")

    op.drop_table("term")
    op.drop_index(op.f("ix_tag_domain_association_domain_pk"), table_name="tag_domain_association")
    op.drop_index(
        op.f("ix_tag_domain_association_domain_class_name"), table_name="tag_domain_association"
    )

    op.drop_table("tag_domain_association")
    op.drop_index(op.f("ix_project_ontology_pk"), table_name="project")
    op.drop_index(op.f("ix_project_name"), table_name="project")
    op.drop_index(op.f("ix_project_group_pk"), table_name="project")

    op.drop_table("project")
    op.drop_table("tag")
    op.drop_index(op.f("ix_storage_user_pk"), table_name="storage")

    op.drop_table("storage")
    op.drop_table("image_server")
    op.drop_table("software_parameter")
    op.drop_table("sec_user_sec_role")
    op.drop_table("ontology")
    op.drop_index("ix_note_container", table_name="note")

    op.drop_table("note")
    op.drop_index(op.f("ix_group_permission_user_pk"), table_name="group_permission")

    op.drop_table("group_permission")
    op.drop_index(op.f("ix_container_permission_user_pk"), table_name="container_permission")

    op.drop_table("container_permission")
    op.drop_table("collection")
    op.drop_index(op.f("ix_acl_entry_user_pk"), table_name="acl_entry")
    op.drop_index(op.f("ix_acl_entry_domain_pk"), table_name="acl_entry")
    op.drop_index(op.f("ix_acl_entry_domain_class_name"), table_name="acl_entry")

    op.drop_table("acl_entry")
    op.drop_table("version")
    op.drop_table("upload_queue")
    op.drop_index(op.f("ix_undo_entry_scope"), table_name="undo_entry")

    op.drop_table("undo_entry")
    op.drop_index(op.f("ix_sync_conflict_entity_pk"), table_name="sync_conflict")

    op.drop_table("sync_conflict")
    op.drop_table("software")
    op.drop_table("sec_user")
    op.drop_table("sec_role")
    op.drop_table("scitran_group")
    op.drop_table("relation")
    op.drop_index(op.f("ix_property_key"), table_name="property")
    op.drop_index(op.f("ix_property_domain_pk"), table_name="property")
    op.drop_index(op.f("ix_property_domain_class_name"), table_name="property")

    op.drop_table("property")
    op.drop_index(op.f("ix_image_metadata_key"), table_name="image_metadata")
    op.drop_index(op.f("ix_image_metadata_domain_pk"), table_name="image_metadata")
    op.drop_index(op.f("ix_image_metadata_domain_class_name"), table_name="image_metadata")

    op.drop_table("image_metadata")
    op.drop_table("idempotency_key")
    op.drop_table("discipline")
    op.drop_table("device")
    op.drop_index(op.f("ix_description_domain_pk"), table_name="description")
    op.drop_index(op.f("ix_description_domain_class_name"), table_name="description")

    op.drop_table("description")
    op.drop_index("ix_command_log_state_seq", table_name="command_log")
    op.drop_index(op.f("ix_command_log_project_pk"), table_name="command_log")
    op.drop_index(op.f("ix_command_log_entity_uid"), table_name="command_log")
    op.drop_index(op.f("ix_command_log_action_uid"), table_name="command_log")

    op.drop_table("command_log")
    op.drop_index("ix_change_feed_project_seq", table_name="change_feed")

    op.drop_table("change_feed")
    op.drop_index(op.f("ix_attached_file_domain_pk"), table_name="attached_file")
    op.drop_index(op.f("ix_attached_file_domain_class_name"), table_name="attached_file")

    op.drop_table("attached_file")
    op.drop_table("acked_log")
