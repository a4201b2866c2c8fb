"""Revision 0001_initial, frozen: Software, parameters, jobs, job parameters and templates.

Part of the initial revision (``versions/0001_initial.py`` calls these in foreign-key
order); never edit once released -- later schema changes are new revisions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def software() -> None:
    op.create_table(
        "software",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("software_version", sa.String(length=64), nullable=True),
        sa.Column("full_name", sa.String(length=512), nullable=True),
        sa.Column("service_name", sa.String(length=255), nullable=True),
        sa.Column("result_name", sa.String(length=255), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("executable", sa.Boolean(), nullable=False),
        sa.Column("deprecated", sa.Boolean(), nullable=False),
        sa.Column("execute_command", sa.Text(), nullable=True),
        sa.Column("pulling_command", sa.Text(), nullable=True),
        sa.Column("source_path", sa.Text(), nullable=True),
        sa.Column("software_user_repository", sa.String(length=255), nullable=True),
        sa.Column("default_processing_server", sa.String(length=255), nullable=True),
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
            name=op.f("ck_software_syncstate"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_software")),
        sa.UniqueConstraint("server_id", name=op.f("uq_software_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_software_uid")),
        sqlite_autoincrement=True,
    )


def software_parameter() -> None:
    op.create_table(
        "software_parameter",
        sa.Column(
            "software_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("human_name", sa.String(length=255), nullable=True),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("default_value", sa.Text(), nullable=True),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("set_by_server", sa.Boolean(), nullable=False),
        sa.Column("server_parameter", sa.Boolean(), nullable=False),
        sa.Column("uri", sa.Text(), nullable=True),
        sa.Column("uri_print_attribute", sa.String(length=255), nullable=True),
        sa.Column("uri_sort_attribute", sa.String(length=255), nullable=True),
        sa.Column("value_key", sa.String(length=255), nullable=True),
        sa.Column("command_line_flag", sa.String(length=255), nullable=True),
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
            name=op.f("ck_software_parameter_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["software_pk"],
            ["software.pk"],
            name=op.f("fk_software_parameter_software_pk_software"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_software_parameter")),
        sa.UniqueConstraint("server_id", name=op.f("uq_software_parameter_server_id")),
        sa.UniqueConstraint("software_pk", "name", name=op.f("uq_software_parameter_software_pk")),
        sa.UniqueConstraint("uid", name=op.f("uq_software_parameter_uid")),
        sqlite_autoincrement=True,
    )


def job() -> None:
    op.create_table(
        "job",
        sa.Column(
            "software_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "project_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("status_comment", sa.Text(), nullable=True),
        sa.Column("rate", sa.Float(), nullable=True),
        sa.Column("data_deleted", sa.Boolean(), nullable=False),
        sa.Column("favorite", sa.Boolean(), nullable=False),
        sa.Column("processing_server", sa.String(length=255), nullable=True),
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
            name=op.f("ck_job_syncstate"),
        ),
        sa.CheckConstraint(
            "status IN (0, 1, 2, 3, 4, 5, 6, 7, 8)", name=op.f("ck_job_status_jobstatus")
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_job_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["software_pk"],
            ["software.pk"],
            name=op.f("fk_job_software_pk_software"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"], ["sec_user.pk"], name=op.f("fk_job_user_pk_sec_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_job")),
        sa.UniqueConstraint("server_id", name=op.f("uq_job_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_job_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_job_project_pk"), "job", ["project_pk"], unique=False)
    op.create_index(op.f("ix_job_software_pk"), "job", ["software_pk"], unique=False)


def job_template() -> None:
    op.create_table(
        "job_template",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column(
            "software_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
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
            name=op.f("ck_job_template_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_job_template_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["software_pk"],
            ["software.pk"],
            name=op.f("fk_job_template_software_pk_software"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_job_template")),
        sa.UniqueConstraint("server_id", name=op.f("uq_job_template_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_job_template_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_job_template_project_pk"), "job_template", ["project_pk"], unique=False
    )


def software_project() -> None:
    op.create_table(
        "software_project",
        sa.Column(
            "software_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
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
            name=op.f("ck_software_project_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_software_project_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["software_pk"],
            ["software.pk"],
            name=op.f("fk_software_project_software_pk_software"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_software_project")),
        sa.UniqueConstraint("server_id", name=op.f("uq_software_project_server_id")),
        sa.UniqueConstraint(
            "software_pk", "project_pk", name=op.f("uq_software_project_software_pk")
        ),
        sa.UniqueConstraint("uid", name=op.f("uq_software_project_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_software_project_project_pk"), "software_project", ["project_pk"], unique=False
    )


def job_data() -> None:
    op.create_table(
        "job_data",
        sa.Column("job_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=True),
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
            name=op.f("ck_job_data_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["job_pk"], ["job.pk"], name=op.f("fk_job_data_job_pk_job"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_job_data")),
        sa.UniqueConstraint("server_id", name=op.f("uq_job_data_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_job_data_uid")),
        sqlite_autoincrement=True,
    )


def job_parameter() -> None:
    op.create_table(
        "job_parameter",
        sa.Column("job_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "job_template_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "software_parameter_pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("value", sa.Text(), nullable=True),
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
            name=op.f("ck_job_parameter_syncstate"),
        ),
        sa.CheckConstraint(
            "(job_pk IS NULL) <> (job_template_pk IS NULL)",
            name=op.f("ck_job_parameter_job_or_template"),
        ),
        sa.ForeignKeyConstraint(
            ["job_pk"], ["job.pk"], name=op.f("fk_job_parameter_job_pk_job"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["job_template_pk"],
            ["job_template.pk"],
            name=op.f("fk_job_parameter_job_template_pk_job_template"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["software_parameter_pk"],
            ["software_parameter.pk"],
            name=op.f("fk_job_parameter_software_parameter_pk_software_parameter"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_job_parameter")),
        sa.UniqueConstraint("server_id", name=op.f("uq_job_parameter_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_job_parameter_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_job_parameter_job_pk"), "job_parameter", ["job_pk"], unique=False)
    op.create_index(
        op.f("ix_job_parameter_job_template_pk"), "job_parameter", ["job_template_pk"], unique=False
    )
