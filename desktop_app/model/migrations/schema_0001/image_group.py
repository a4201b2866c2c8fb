"""Revision 0001_initial, frozen: Image groups (multi-dimensional images) and sequences.

Part of the initial revision (``versions/0001_initial.py`` calls these in foreign-key
order); never edit once released -- later schema changes are new revisions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def image_group() -> None:
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


def image_group_image_instance() -> None:
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


def image_sequence() -> None:
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
