"""access generation: the counter server processes poll to drop cached access decisions

Issue 17: several server hosts share one database; a revoked membership, a disabled
user or a deleted project must be refused by every process within 1 s.  The
transaction making such a change increments ``access_generation.generation`` (one
row, ``pk`` 1); every process reads it at least every 0.25 s.

Revision ID: 0008_access_generation
Revises: 0007_review_decisions
Create Date: 2026-12-05 02:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_access_generation"
down_revision: str | None = "0007_review_decisions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    table = op.create_table(
        "access_generation",
        sa.Column("pk", _ID, nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_access_generation")),
    )
    op.bulk_insert(table, [{"pk": 1, "generation": 0}])


def downgrade() -> None:
    op.drop_table("access_generation")
