"""Revision 0001_initial, frozen: User, algo and reviewed annotations and their term links.

Part of the initial revision (``versions/0001_initial.py`` calls these in foreign-key
order); never edit once released -- later schema changes are new revisions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def annotation() -> None:
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


def algo_annotation_term() -> None:
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


def annotation_term() -> None:
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


def reviewed_annotation_term() -> None:
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
