"""Revision 0001_initial, frozen: Properties, descriptions, attached files, tags and their domain links.

Part of the initial revision (``versions/0001_initial.py`` calls these in foreign-key
order); never edit once released -- later schema changes are new revisions.
"""

# ruff: noqa: E501
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def attached_file() -> None:
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


def description() -> None:
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


def image_metadata() -> None:
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


def property() -> None:
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


def tag() -> None:
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


def tag_domain_association() -> None:
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
