"""Revision 0001_initial, frozen: Projects and their members.

Part of the initial revision (``versions/0001_initial.py`` calls these in foreign-key
order); never edit once released -- later schema changes are new revisions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def discipline() -> None:
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


def project() -> None:
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


def project_member() -> None:
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
