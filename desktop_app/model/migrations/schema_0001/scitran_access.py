"""Revision 0001_initial, frozen: SciTran groups, devices, permissions, notes and container files.

Part of the initial revision (``versions/0001_initial.py`` calls these in foreign-key
order); never edit once released -- later schema changes are new revisions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def device() -> None:
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


def scitran_group() -> None:
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


def container_permission() -> None:
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


def group_permission() -> None:
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


def note() -> None:
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


def container_file() -> None:
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
