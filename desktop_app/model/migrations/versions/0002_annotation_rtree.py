"""SQLite R*Tree spatial index on annotation bounding boxes (desktop cache only)

The viewer's viewport query must find a few thousand annotations among millions in
milliseconds; SQLite's R*Tree does that.  Triggers keep it in step with the table in
the same transaction, so the index can never disagree with the rows.  PostgreSQL (the
server) answers bbox filters from the b-tree ``ix_annotation_image_bbox`` instead.

Revision ID: 0002_annotation_rtree
Revises: 0001_initial
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002_annotation_rtree"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UP = [
    "CREATE VIRTUAL TABLE annotation_rtree USING rtree(id, min_x, max_x, min_y, max_y)",
    """CREATE TRIGGER annotation_rtree_insert AFTER INSERT ON annotation BEGIN
        INSERT INTO annotation_rtree (id, min_x, max_x, min_y, max_y)
        VALUES (new.pk, new.min_x, new.max_x, new.min_y, new.max_y);
    END""",
    """CREATE TRIGGER annotation_rtree_update
    AFTER UPDATE OF min_x, max_x, min_y, max_y ON annotation BEGIN
        UPDATE annotation_rtree SET min_x = new.min_x, max_x = new.max_x,
            min_y = new.min_y, max_y = new.max_y
        WHERE id = new.pk;
    END""",
    """CREATE TRIGGER annotation_rtree_delete AFTER DELETE ON annotation BEGIN
        DELETE FROM annotation_rtree WHERE id = old.pk;
    END""",
    """INSERT INTO annotation_rtree (id, min_x, max_x, min_y, max_y)
        SELECT pk, min_x, max_x, min_y, max_y FROM annotation""",
]

_DOWN = [
    "DROP TRIGGER IF EXISTS annotation_rtree_delete",
    "DROP TRIGGER IF EXISTS annotation_rtree_update",
    "DROP TRIGGER IF EXISTS annotation_rtree_insert",
    "DROP TABLE IF EXISTS annotation_rtree",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in _UP:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in _DOWN:
        op.execute(statement)
