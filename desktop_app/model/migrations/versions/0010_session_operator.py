"""session operator: who ran a SciTran session (SciTran's ``operator``)

Issue 18: scitran/core's session schema has ``operator``; clients send it and read it
back (its integration test does), so it is stored instead of reported as ignored.

Revision ID: 0010_session_operator
Revises: 0009_project_template
Create Date: 2026-12-05 03:25:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_session_operator"
down_revision: str | None = "0009_project_template"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("session", sa.Column("operator", sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("session") as batch:
        batch.drop_column("operator")
