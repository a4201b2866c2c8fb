"""What the annotation layer needs besides geometries: a density grid and author names.

A slide can carry a million annotations; zoomed out, drawing them one by one is both
slow and unreadable.  The layer shows a density view instead, from a coarse grid of
counts computed by one grouped SQL query over the stored bounding boxes (no geometry
is decoded).  The same grid tells the layer how many objects a view holds before it
asks for their shapes.
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
from desktop_app.store.uow import Store

# Cells are computed from the bbox's top-left corner: both columns are in the
# (image_pk, min_x, min_y) index, so the scan is index-only and never reads the table's
# rows (10x faster on a million annotations).  The price: tombstones of deletions not
# yet acknowledged by the server are still counted, which a density estimate tolerates.
_GRID_SQL = text(
    """
    SELECT CAST(min_x / :cell AS INTEGER) AS ix, CAST(min_y / :cell AS INTEGER) AS iy, count(*)
    FROM annotation INDEXED BY ix_annotation_image_bbox
    WHERE image_pk = :image_pk
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
    """Counts per cell over the whole image, ``max_cells`` cells along the longer side."""
    with store.read() as s:
        size = s.execute(
            select(AbstractImage.width, AbstractImage.height)
            .join(ImageInstance, ImageInstance.base_image_pk == AbstractImage.pk)
            .where(ImageInstance.pk == image_pk)
        ).one()
        width, height = max(int(size[0]), 1), max(int(size[1]), 1)
        cell = max(width, height) / max_cells
        cols, rows = int(np.ceil(width / cell)), int(np.ceil(height / cell))
        counts = np.zeros((rows, cols), dtype=np.int64)
        data = s.execute(_GRID_SQL, {"cell": cell, "image_pk": image_pk}).all()
    if data:
        arr = np.asarray(data, dtype=np.int64)
        ix = np.clip(arr[:, 0], 0, cols - 1)
        iy = np.clip(arr[:, 1], 0, rows - 1)
        np.add.at(counts, (iy, ix), arr[:, 2])
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
