"""Revision 0001_initial, frozen: Abstract images and slices, image instances and slice instances.

Part of the initial revision (``versions/0001_initial.py`` calls these in foreign-key
order); never edit once released -- later schema changes are new revisions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def abstract_image() -> None:
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


def abstract_slice() -> None:
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


def image_instance() -> None:
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


def slice_instance() -> None:
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
