"""Revision 0001_initial, frozen: Users, roles, ACL entries.

Part of the initial revision (``versions/0001_initial.py`` calls these in foreign-key
order); never edit once released -- later schema changes are new revisions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def sec_role() -> None:
    op.create_table(
        "sec_role",
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("authority", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "authority IN ('ROLE_SUPER_ADMIN', 'ROLE_ADMIN', 'ROLE_USER', 'ROLE_GUEST')",
            name=op.f("ck_sec_role_authority"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_sec_role")),
        sa.UniqueConstraint("authority", name=op.f("uq_sec_role_authority")),
        sqlite_autoincrement=True,
    )


def sec_user() -> None:
    op.create_table(
        "sec_user",
        sa.Column("username", sa.String(length=255), nullable=False),
        sa.Column("firstname", sa.String(length=255), nullable=True),
        sa.Column("lastname", sa.String(length=255), nullable=True),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("public_key", sa.String(length=255), nullable=True),
        sa.Column("private_key", sa.String(length=255), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("origin", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=32), nullable=True),
        sa.Column("color", sa.String(length=16), nullable=True),
        sa.Column("is_developer", sa.Boolean(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("account_expired", sa.Boolean(), nullable=False),
        sa.Column("account_locked", sa.Boolean(), nullable=False),
        sa.Column("password_expired", sa.Boolean(), nullable=False),
        sa.Column("algo", sa.Boolean(), nullable=False),
        sa.Column("avatar", sa.String(length=1024), nullable=True),
        sa.Column("avatars", sa.JSON(), nullable=False),
        sa.Column("root", sa.Boolean(), nullable=False),
        sa.Column("api_key", sa.String(length=255), nullable=True),
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
            name=op.f("ck_sec_user_syncstate"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_sec_user")),
        sa.UniqueConstraint("api_key", name=op.f("uq_sec_user_api_key")),
        sa.UniqueConstraint("public_key", name=op.f("uq_sec_user_public_key")),
        sa.UniqueConstraint("server_id", name=op.f("uq_sec_user_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_sec_user_uid")),
        sa.UniqueConstraint("username", name=op.f("uq_sec_user_username")),
        sqlite_autoincrement=True,
    )


def acl_entry() -> None:
    op.create_table(
        "acl_entry",
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("mask", sa.Integer(), nullable=False),
        sa.Column("granting", sa.Boolean(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("domain_class_name", sa.String(length=255), nullable=False),
        sa.Column(
            "domain_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.CheckConstraint("mask IN (1, 2, 4, 8, 16)", name=op.f("ck_acl_entry_mask_aclmask")),
        sa.ForeignKeyConstraint(
            ["user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_acl_entry_user_pk_sec_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_acl_entry")),
        sa.UniqueConstraint(
            "domain_class_name",
            "domain_pk",
            "user_pk",
            "mask",
            name=op.f("uq_acl_entry_domain_class_name"),
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_acl_entry_domain_class_name"), "acl_entry", ["domain_class_name"], unique=False
    )
    op.create_index(op.f("ix_acl_entry_domain_pk"), "acl_entry", ["domain_pk"], unique=False)
    op.create_index(op.f("ix_acl_entry_user_pk"), "acl_entry", ["user_pk"], unique=False)


def sec_user_sec_role() -> None:
    op.create_table(
        "sec_user_sec_role",
        sa.Column(
            "sec_user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "sec_role_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["sec_role_pk"],
            ["sec_role.pk"],
            name=op.f("fk_sec_user_sec_role_sec_role_pk_sec_role"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sec_user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_sec_user_sec_role_sec_user_pk_sec_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("sec_user_pk", "sec_role_pk", name=op.f("pk_sec_user_sec_role")),
        sqlite_autoincrement=True,
    )


def user_job() -> None:
    op.create_table(
        "user_job",
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("job_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "parent_user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("rate", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_pk"], ["job.pk"], name=op.f("fk_user_job_job_pk_job"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["parent_user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_user_job_parent_user_pk_sec_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_user_job_user_pk_sec_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_pk", name=op.f("pk_user_job")),
        sa.UniqueConstraint("job_pk", name=op.f("uq_user_job_job_pk")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_user_job_parent_user_pk"), "user_job", ["parent_user_pk"], unique=False
    )
