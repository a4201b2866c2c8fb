"""review decisions per reader, and per-project reason codes

Issue 13: every reader's decision on an annotation is kept (``review_decision``, keyed
annotation, reviewer and role) next to Cytomine's one reviewed copy, the project's
final decision; ``project.review_reasons`` holds the project's reason codes (NULL =
the defaults of ``desktop_app.model.review``).  Enumerations are spelled as in 0001:
``String`` plus a named CHECK.

Revision ID: 0007_review_decisions
Revises: 0006_sealed_keys
Create Date: 2026-12-05 02:03:14.817820
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_review_decisions"
down_revision: str | None = "0006_sealed_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "review_decision",
        sa.Column("annotation_pk", _ID, nullable=False),
        sa.Column("project_pk", _ID, nullable=False),
        sa.Column("image_pk", _ID, nullable=False),
        sa.Column("reviewer_pk", _ID, nullable=False),
        sa.Column("role", sa.String(length=11), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("term_pks", sa.JSON(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column("pk", _ID, autoincrement=True, nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["annotation_pk"],
            ["annotation.pk"],
            name=op.f("fk_review_decision_annotation_pk_annotation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["image_pk"],
            ["image_instance.pk"],
            name=op.f("fk_review_decision_image_pk_image_instance"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"],
            ["project.pk"],
            name=op.f("fk_review_decision_project_pk_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_pk"],
            ["sec_user.pk"],
            name=op.f("fk_review_decision_reviewer_pk_sec_user"),
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(
            "role IN ('reader', 'adjudicator')", name=op.f("ck_review_decision_decisionrole")
        ),
        sa.CheckConstraint(
            "decision IN ('accepted', 'rejected')", name=op.f("ck_review_decision_verdict")
        ),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_review_decision_syncstate"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_review_decision")),
        sa.UniqueConstraint("server_id", name=op.f("uq_review_decision_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_review_decision_uid")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("review_decision", schema=None) as batch_op:
        batch_op.create_index(
            "ix_review_decision_key", ["annotation_pk", "reviewer_pk", "role"], unique=False
        )
        batch_op.create_index(
            "ix_review_decision_project_image", ["project_pk", "image_pk"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_review_decision_reviewer_pk"), ["reviewer_pk"], unique=False
        )

    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_reasons", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_column("review_reasons")

    with op.batch_alter_table("review_decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_decision_reviewer_pk"))
        batch_op.drop_index("ix_review_decision_project_image")
        batch_op.drop_index("ix_review_decision_key")

    op.drop_table("review_decision")
