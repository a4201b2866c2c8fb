"""annotation companions: tracks, groups, links, filters, actions

Cytomine's Track / AnnotationTrack, AnnotationGroup / AnnotationLink, AnnotationFilter
and AnnotationAction (``desktop_app.model.annotation_links``).  Enumerations are
spelled as in 0001: ``String`` plus a named CHECK.

Revision ID: 0005_annotation_companions
Revises: 0004_annotation_counts
Create Date: 2026-12-04 23:16:59.188391
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from desktop_app.model.migrations import schema_0005

revision: str = "0005_annotation_companions"
down_revision: str | None = "0004_annotation_counts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


#: The tables, in foreign-key order; their DDL is in ``schema_0005``.
TABLES = (
    schema_0005.annotation_filter,
    schema_0005.annotation_group,
    schema_0005.track,
    schema_0005.annotation_action,
    schema_0005.annotation_link,
    schema_0005.annotation_track,
)


def upgrade() -> None:
    for create in TABLES:
        create()


def downgrade() -> None:
    with op.batch_alter_table("annotation_track", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_annotation_track_track_pk"))
        batch_op.drop_index(batch_op.f("ix_annotation_track_annotation_pk"))

    op.drop_table("annotation_track")
    with op.batch_alter_table("annotation_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_annotation_link_group_pk"))
        batch_op.drop_index(batch_op.f("ix_annotation_link_annotation_pk"))

    op.drop_table("annotation_link")
    with op.batch_alter_table("annotation_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_annotation_action_user_pk"))
        batch_op.drop_index(batch_op.f("ix_annotation_action_project_pk"))
        batch_op.drop_index(batch_op.f("ix_annotation_action_image_pk"))

    op.drop_table("annotation_action")
    with op.batch_alter_table("track", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_track_project_pk"))
        batch_op.drop_index(batch_op.f("ix_track_image_pk"))

    op.drop_table("track")
    with op.batch_alter_table("annotation_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_annotation_group_project_pk"))
        batch_op.drop_index(batch_op.f("ix_annotation_group_image_group_pk"))

    op.drop_table("annotation_group")
    with op.batch_alter_table("annotation_filter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_annotation_filter_project_pk"))

    op.drop_table("annotation_filter")
