"""Revision 0001_initial, frozen: Image servers, storages, uploaded and companion files.

Part of the initial revision (``versions/0001_initial.py`` calls these in foreign-key
order); never edit once released -- later schema changes are new revisions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def image_server() -> None:
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


def storage() -> None:
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


def uploaded_file() -> None:
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


def companion_file() -> None:
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
