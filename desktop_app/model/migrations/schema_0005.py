"""Revision 0005_annotation_companions, frozen: the DDL of each table it creates.

``versions/0005_annotation_companions.py`` calls these in foreign-key order; never edit
once released -- later schema changes are new revisions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def annotation_filter() -> None:
    op.create_table(
        "annotation_filter",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("users", sa.JSON(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_annotation_filter_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_annotation_filter_user_pk_sec_user"),
            ondelete="SET NULL",
        ),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_annotation_filter_syncstate"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_annotation_filter")),
        sa.UniqueConstraint("server_id", name=op.f("uq_annotation_filter_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_annotation_filter_uid")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("annotation_filter", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_annotation_filter_project_pk"), ["project_pk"], unique=False
        )


def annotation_group() -> None:
    op.create_table(
        "annotation_group",
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "image_group_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("type", sa.String(length=32), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["image_group_pk"],
            ["image_group.pk"],
            name=op.f("fk_annotation_group_image_group_pk_image_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_annotation_group_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_annotation_group_syncstate"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_annotation_group")),
        sa.UniqueConstraint("server_id", name=op.f("uq_annotation_group_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_annotation_group_uid")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("annotation_group", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_annotation_group_image_group_pk"), ["image_group_pk"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_annotation_group_project_pk"), ["project_pk"], unique=False
        )


def track() -> None:
    op.create_table(
        "track",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("color", sa.String(length=16), nullable=True),
        sa.Column("image_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["image_pk"],
            ["image_instance.pk"],
            name=op.f("fk_track_image_pk_image_instance"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_track_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_track_syncstate"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_track")),
        sa.UniqueConstraint("server_id", name=op.f("uq_track_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_track_uid")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("track", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_track_image_pk"), ["image_pk"], unique=False)
        batch_op.create_index(batch_op.f("ix_track_project_pk"), ["project_pk"], unique=False)


def annotation_action() -> None:
    op.create_table(
        "annotation_action",
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("image_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("slice_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("annotation_class_name", sa.String(length=255), nullable=False),
        sa.Column("annotation_ident", sa.BigInteger(), nullable=False),
        sa.Column(
            "annotation_creator_pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("action", sa.String(length=64), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["annotation_creator_pk"],
            ["sec_user.pk"],
            name=op.f("fk_annotation_action_annotation_creator_pk_sec_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["image_pk"],
            ["image_instance.pk"],
            name=op.f("fk_annotation_action_image_pk_image_instance"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_annotation_action_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["slice_pk"],
            ["slice_instance.pk"],
            name=op.f("fk_annotation_action_slice_pk_slice_instance"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_annotation_action_user_pk_sec_user"),
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_annotation_action_syncstate"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_annotation_action")),
        sa.UniqueConstraint("server_id", name=op.f("uq_annotation_action_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_annotation_action_uid")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("annotation_action", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_annotation_action_image_pk"), ["image_pk"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_annotation_action_project_pk"), ["project_pk"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_annotation_action_user_pk"), ["user_pk"], unique=False)


def annotation_link() -> None:
    op.create_table(
        "annotation_link",
        sa.Column("annotation_class_name", sa.String(length=255), nullable=False),
        sa.Column(
            "annotation_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
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
        sa.ForeignKeyConstraint(
            ["annotation_pk"],
            ["annotation.pk"],
            name=op.f("fk_annotation_link_annotation_pk_annotation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_pk"],
            ["annotation_group.pk"],
            name=op.f("fk_annotation_link_group_pk_annotation_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["image_pk"],
            ["image_instance.pk"],
            name=op.f("fk_annotation_link_image_pk_image_instance"),
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_annotation_link_syncstate"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_annotation_link")),
        sa.UniqueConstraint(
            "annotation_pk", "group_pk", name=op.f("uq_annotation_link_annotation_pk")
        ),
        sa.UniqueConstraint("server_id", name=op.f("uq_annotation_link_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_annotation_link_uid")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("annotation_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_annotation_link_annotation_pk"), ["annotation_pk"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_annotation_link_group_pk"), ["group_pk"], unique=False)


def annotation_track() -> None:
    op.create_table(
        "annotation_track",
        sa.Column("annotation_class_name", sa.String(length=255), nullable=False),
        sa.Column(
            "annotation_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("track_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("slice_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
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
        sa.ForeignKeyConstraint(
            ["annotation_pk"],
            ["annotation.pk"],
            name=op.f("fk_annotation_track_annotation_pk_annotation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["slice_pk"],
            ["slice_instance.pk"],
            name=op.f("fk_annotation_track_slice_pk_slice_instance"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["track_pk"],
            ["track.pk"],
            name=op.f("fk_annotation_track_track_pk_track"),
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_annotation_track_syncstate"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_annotation_track")),
        sa.UniqueConstraint(
            "annotation_pk", "track_pk", name=op.f("uq_annotation_track_annotation_pk")
        ),
        sa.UniqueConstraint("server_id", name=op.f("uq_annotation_track_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_annotation_track_uid")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("annotation_track", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_annotation_track_annotation_pk"), ["annotation_pk"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_annotation_track_track_pk"), ["track_pk"], unique=False
        )
