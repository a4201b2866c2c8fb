"""project template: SciTran's session template of a project

Issue 18: ``POST /api/projects/{id}/template`` stores what a compliant session looks
like (subject code, acquisitions with labels, tags, files); sessions of the project
then say whether they satisfy it.  One nullable JSON column on ``project``.

Revision ID: 0009_project_template
Revises: 0008_access_generation
Create Date: 2026-12-05 03:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_project_template"
down_revision: str | None = "0008_access_generation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("project", sa.Column("template", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("project") as batch:
        batch.drop_column("template")
