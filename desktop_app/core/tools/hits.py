"""An in-memory :class:`~desktop_app.core.tools.base.HitTester` over shapely's STRtree.

The UI's real hit tester sits on the cache's R*Tree; this one serves tests and small
layers (e.g. an imported GeoJSON preview) and defines the reference semantics:

* ``hit`` returns the annotation nearest to the point within the tolerance; among those
  containing the point (distance 0) the **smallest area** wins, so a nucleus drawn inside
  a tumour region stays clickable.
* ``in_rect`` returns every annotation *intersecting* the rectangle, sorted by key order
  of insertion.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from desktop_app.core.tools.base import Pk, Rect


class ShapelyHitTester:
    """Immutable snapshot of ``{pk: geometry}``; rebuild it when the layer changes."""

    def __init__(self, geometries: Mapping[Pk, BaseGeometry]) -> None:
        self._pks: list[Pk] = list(geometries)
        self._geoms = np.empty(len(self._pks), dtype=object)
        self._geoms[:] = [geometries[pk] for pk in self._pks]
        self._by_pk: dict[Pk, BaseGeometry] = dict(geometries)
        self._tree = shapely.STRtree(self._geoms)

    def __len__(self) -> int:
        return len(self._pks)

    def hit(self, x: float, y: float, tolerance: float) -> Pk | None:
        point = shapely.Point(x, y)
        idx = self._tree.query(point, predicate="dwithin", distance=max(tolerance, 0.0))
        if len(idx) == 0:
            return None
        cand = self._geoms[idx]
        dist = shapely.distance(cand, point)
        area = shapely.area(cand)
        order = np.lexsort((area, dist))  # nearest first, then smallest
        return self._pks[int(idx[order[0]])]

    def in_rect(self, rect: Rect) -> list[Pk]:
        minx, miny, maxx, maxy = rect
        box = shapely.box(min(minx, maxx), min(miny, maxy), max(minx, maxx), max(miny, maxy))
        idx = np.sort(self._tree.query(box, predicate="intersects"))
        return [self._pks[int(i)] for i in idx]

    def geometry(self, pk: Pk) -> BaseGeometry | None:
        return self._by_pk.get(pk)
