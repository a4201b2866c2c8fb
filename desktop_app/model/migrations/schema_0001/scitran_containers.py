"""Revision 0001_initial, frozen: SciTran containers: collections, subjects, sessions, acquisitions, analyses.

Part of the initial revision (``versions/0001_initial.py`` calls these in foreign-key
order); never edit once released -- later schema changes are new revisions.
"""

# ruff: noqa: E501
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def collection() -> None:
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


def subject() -> None:
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


def analysis() -> None:
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


def session() -> None:
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


def acquisition() -> None:
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


def collection_acquisition() -> None:
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
