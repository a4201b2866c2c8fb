"""Revision 0001_initial, frozen: User positions and project connections.

Part of the initial revision (``versions/0001_initial.py`` calls these in foreign-key
order); never edit once released -- later schema changes are new revisions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def project_connection() -> None:
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


def image_consultation() -> None:
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


def last_user_position() -> None:
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


def user_position() -> None:
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
