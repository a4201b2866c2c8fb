"""What the annotation layer needs besides geometries: a density grid and author names.

A slide can carry a million annotations; zoomed out, drawing them one by one is both
slow and unreadable.  The layer shows a density view instead, from a coarse grid of
counts.  The counts are persisted per image in ``annotation_density`` (migration 0003)
at a fixed ``DENSITY_CELL`` and kept exact by triggers in the same transaction as every
change (edits, undo/redo, sync, bulk imports), so reading the grid costs O(cells), not
O(annotations): opening an image with a million annotations never waits on a grouped
scan of the annotation table.  The same grid tells the layer how many objects
a view holds before it asks for their shapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy import select, text

from desktop_app.model.annotation import Annotation
from desktop_app.model.image import AbstractImage, ImageInstance
from desktop_app.model.security import User
from desktop_app.store.annotations import DENSITY_CELL, density_cells
from desktop_app.store.uow import Store

# Only for a cache without the persisted grid (schema before 0003): the O(N) scan.
_GRID_SQL = text(
    """
    SELECT CAST(min_x / :cell AS INTEGER) AS ix, CAST(min_y / :cell AS INTEGER) AS iy, count(*)
    FROM annotation
    WHERE image_pk = :image_pk AND local_deleted = 0
    GROUP BY ix, iy
    """
)


@dataclass(frozen=True, slots=True)
class DensityGrid:
    """Annotation counts on a regular grid of ``cell`` level-0 px squares."""

    counts: npt.NDArray[np.int64]  # (rows, cols)
    cell: float

    @property
    def total(self) -> int:
        return int(self.counts.sum())

    def count_in(self, rect: tuple[float, float, float, float]) -> int:
        """Objects whose cell meets ``rect`` (an over-estimate by at most a cell border)."""
        rows, cols = self.counts.shape
        x0, y0, x1, y1 = rect
        c0, c1 = max(int(x0 // self.cell), 0), min(int(x1 // self.cell) + 1, cols)
        r0, r1 = max(int(y0 // self.cell), 0), min(int(y1 // self.cell) + 1, rows)
        if c0 >= c1 or r0 >= r1:
            return 0
        return int(self.counts[r0:r1, c0:c1].sum())


def density_grid(store: Store, image_pk: int, max_cells: int = 512) -> DensityGrid:
    """Counts of live annotations per cell over the whole image, at most ``max_cells``
    cells along the longer side (whole multiples of the persisted ``DENSITY_CELL``)."""
    with store.read() as s:
        size = s.execute(
            select(AbstractImage.width, AbstractImage.height)
            .join(ImageInstance, ImageInstance.base_image_pk == AbstractImage.pk)
            .where(ImageInstance.pk == image_pk)
        ).one()
        width, height = max(int(size[0]), 1), max(int(size[1]), 1)
        factor = max(1, int(np.ceil(max(width, height) / DENSITY_CELL / max_cells)))
        cell = float(DENSITY_CELL * factor)
        cells = density_cells(s, image_pk)
        if cells is None:
            data = s.execute(_GRID_SQL, {"cell": cell, "image_pk": image_pk}).all()
            cells = np.asarray(data, dtype=np.int64).reshape(-1, 3)
            factor = 1
    cols, rows = int(np.ceil(width / cell)), int(np.ceil(height / cell))
    counts = np.zeros((rows, cols), dtype=np.int64)
    if len(cells):
        ix = np.clip(cells[:, 0] // factor, 0, cols - 1)
        iy = np.clip(cells[:, 1] // factor, 0, rows - 1)
        np.add.at(counts, (iy, ix), cells[:, 2])
    return DensityGrid(counts, cell)


def author_names(store: Store, image_pk: int, also: Sequence[int] = ()) -> dict[int, str]:
    """User pk -> user name of everyone who annotated the image, plus ``also`` (the
    local user, who is about to): for tooltips and the author filter."""
    with store.read() as s:
        # EXISTS per user stops at the first match: no scan of the image's annotations
        authored = (
            select(Annotation.pk)
            .where(Annotation.user_pk == User.pk, Annotation.image_pk == image_pk)
            .exists()
        )
        wanted = authored | User.pk.in_(list(also))
        rows = s.execute(select(User.pk, User.username).where(wanted)).all()
    return {int(pk): name for pk, name in rows}
