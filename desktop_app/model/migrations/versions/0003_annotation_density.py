"""Per-image annotation density grid, kept in step by triggers (desktop cache only)

Zoomed out on a slide with a million annotations, the viewer shows a density view; its
grid used to be a GROUP BY over every annotation of the image (~2 s for a million),
so the first frame after opening an image waited on an O(N) query.  This table holds
the counts of *live* annotations (``local_deleted = 0``) per cell of a fixed
``CELL`` x ``CELL`` level-0 px grid, keyed by the bbox's top-left corner.  Triggers update
it in the same transaction as the row change, so every writer (edits, undo/redo, sync
pulls, tombstone purges) keeps it exact; ``store.annotations.bulk_create`` drops the
insert trigger for the duration of an import and adds the import's counts in bulk (as
it does for the R*Tree).  Reading the grid is O(cells), not O(annotations).

PostgreSQL (the server) has no density view and no such table.

Revision ID: 0003_annotation_density
Revises: 0002_annotation_rtree
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003_annotation_density"
down_revision: str | None = "0002_annotation_rtree"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Level-0 px per grid cell (``desktop_app.store.annotations.DENSITY_CELL`` must agree).
CELL = 128


def _cell(row: str) -> str:
    return (
        f"{row}.image_pk, CAST({row}.min_x / {CELL}.0 AS INTEGER), "
        f"CAST({row}.min_y / {CELL}.0 AS INTEGER)"
    )


def _add(row: str) -> str:
    # The SELECT's WHERE also resolves the parser ambiguity of INSERT ... SELECT ... ON CONFLICT.
    return f"""INSERT INTO annotation_density (image_pk, ix, iy, n)
        SELECT {_cell(row)}, 1 WHERE {row}.local_deleted = 0
        ON CONFLICT (image_pk, ix, iy) DO UPDATE SET n = n + 1;"""


def _remove(row: str) -> str:
    where = (
        f"image_pk = {row}.image_pk AND ix = CAST({row}.min_x / {CELL}.0 AS INTEGER) "
        f"AND iy = CAST({row}.min_y / {CELL}.0 AS INTEGER)"
    )
    return f"""UPDATE annotation_density SET n = n - 1 WHERE {row}.local_deleted = 0 AND {where};
        DELETE FROM annotation_density WHERE n <= 0 AND {where};"""


_UP = [
    """CREATE TABLE annotation_density (
        image_pk INTEGER NOT NULL,
        ix INTEGER NOT NULL,
        iy INTEGER NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (image_pk, ix, iy)
    ) WITHOUT ROWID""",
    f"""CREATE TRIGGER annotation_density_insert AFTER INSERT ON annotation BEGIN
        {_add("new")}
    END""",
    f"""CREATE TRIGGER annotation_density_update
    AFTER UPDATE OF image_pk, min_x, min_y, local_deleted ON annotation BEGIN
        {_remove("old")}
        {_add("new")}
    END""",
    f"""CREATE TRIGGER annotation_density_delete AFTER DELETE ON annotation BEGIN
        {_remove("old")}
    END""",
    f"""INSERT INTO annotation_density (image_pk, ix, iy, n)
        SELECT {_cell("annotation")}, count(*) FROM annotation
        WHERE local_deleted = 0 GROUP BY 1, 2, 3""",
]

_DOWN = [
    "DROP TRIGGER IF EXISTS annotation_density_delete",
    "DROP TRIGGER IF EXISTS annotation_density_update",
    "DROP TRIGGER IF EXISTS annotation_density_insert",
    "DROP TABLE IF EXISTS annotation_density",
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
