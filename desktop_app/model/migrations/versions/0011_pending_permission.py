"""pending permission: a SciTran grant to a login that names no account yet

Issue 18: SciTran's user ids are logins and its permission routes take any login
(scitran/core's ``user_on_permission`` check is never reached), so its clients grant
access to people before their account exists.  Such a grant is kept here, shown in the
permissions lists, and becomes the real permission when ``add-user`` creates the
account; it never creates an account or keys.

Revision ID: 0011_pending_permission
Revises: 0010_session_operator
Create Date: 2026-12-05 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_pending_permission"
down_revision: str | None = "0010_session_operator"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "pending_permission",
        sa.Column("pk", _ID, autoincrement=True, nullable=False),
        sa.Column("group_pk", _ID, nullable=True),
        sa.Column("project_pk", _ID, nullable=True),
        sa.Column("collection_pk", _ID, nullable=True),
        sa.Column("login", sa.String(length=255), nullable=False),
        sa.Column("access", sa.String(length=5), nullable=False),
        sa.Column("granted_by_pk", _ID, nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "access IN ('ro', 'rw', 'admin')", name=op.f("ck_pending_permission_access")
        ),
        sa.CheckConstraint(
            "(CASE WHEN group_pk IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN project_pk IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN collection_pk IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_pending_permission_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["collection_pk"],
            ["collection.pk"],
            name=op.f("fk_pending_permission_collection_pk_collection"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["granted_by_pk"],
            ["sec_user.pk"],
            name=op.f("fk_pending_permission_granted_by_pk_sec_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["group_pk"],
            ["scitran_group.pk"],
            name=op.f("fk_pending_permission_group_pk_scitran_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_pending_permission_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_pending_permission")),
        sa.UniqueConstraint(
            "collection_pk", "login", name=op.f("uq_pending_permission_collection_pk")
        ),
        sa.UniqueConstraint("group_pk", "login", name=op.f("uq_pending_permission_group_pk")),
        sa.UniqueConstraint("project_pk", "login", name=op.f("uq_pending_permission_project_pk")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_pending_permission_login"), "pending_permission", ["login"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_pending_permission_login"), table_name="pending_permission")
    op.drop_table("pending_permission")
