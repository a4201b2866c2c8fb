"""Geometry columns of annotations being created: vectorised for the common case.

A bulk create of 10k polygons must not parse, flip, validate and measure them one by
one (``geom.from_wire``): the common case (a valid polygon inside the image) is done
for the whole batch with shapely's array functions, and only the rest takes the
one-by-one path, so results and error messages are exactly the single-create ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import shapely

from desktop_app.server.errors import ApiError
from desktop_app.server.geom import MAX_WKT_CHARS, Prechecked, from_wire


class WireItem(Protocol):
    """An item to create: its wire WKT (y up) and its image's size."""

    @property
    def wkt(self) -> Any: ...

    @property
    def width(self) -> int: ...

    @property
    def height(self) -> int: ...


def _geometry_values(g: Any) -> dict[str, Any]:
    minx, miny, maxx, maxy = g.bounds
    return {
        "location": g.wkb,
        "geometry_type": g.geom_type,
        "min_x": minx,
        "min_y": miny,
        "max_x": maxx,
        "max_y": maxy,
        "area": g.area,
        "perimeter": g.perimeter,
    }


def geometries(
    items: Sequence[WireItem], checked: Prechecked | None = None
) -> list[dict[str, Any] | ApiError]:
    """Geometry columns per item: vectorised for the common case, else ``from_wire``.

    The fast path takes only what ``from_wire`` would store unchanged: a 2-D, valid,
    non-empty (Multi)Polygon of positive area inside the image.  Everything else (bad
    WKT, repairs, clipping, lines, points) goes through ``from_wire`` one by one, so
    results and error messages are exactly the single-create ones.  ``checked`` is the
    route's ``geom.precheck`` (done before the transaction), so no repair runs here.
    """
    out: list[dict[str, Any] | ApiError | None] = [None] * len(items)
    cand = [
        n
        for n, it in enumerate(items)
        if isinstance(it.wkt, str) and 0 < len(it.wkt) <= MAX_WKT_CHARS and it.wkt.strip()
    ]
    if cand:
        geoms = shapely.from_wkt(
            np.asarray([items[n].wkt for n in cand], dtype=object), on_invalid="ignore"
        )
        types = shapely.get_type_id(geoms)
        ok = np.isin(types, (3, 6)) & ~shapely.has_z(geoms) & ~shapely.is_empty(geoms)
        idx = np.flatnonzero(ok)
        if len(idx):
            g = geoms[idx]
            h = np.asarray([items[cand[i]].height for i in idx], dtype=float)
            w = np.asarray([items[cand[i]].width for i in idx], dtype=float)
            coords = shapely.get_coordinates(g)
            coords[:, 1] = np.repeat(h, shapely.get_num_coordinates(g)) - coords[:, 1]
            g = shapely.set_coordinates(g.copy(), coords)
            bounds = shapely.bounds(g)
            area = shapely.area(g)
            good = (
                np.isfinite(bounds).all(axis=1)
                & shapely.is_valid(g)
                & (area > 0)
                & (bounds[:, 0] >= 0)
                & (bounds[:, 1] >= 0)
                & (bounds[:, 2] <= w)
                & (bounds[:, 3] <= h)
            )
            sel = np.flatnonzero(good)
            if len(sel):
                wkbs = shapely.to_wkb(g[sel])
                length = shapely.length(g[sel])
                b = bounds[sel].tolist()
                ar = area[sel].tolist()
                ln = length.tolist()
                for j, k in enumerate(sel.tolist()):
                    n = cand[int(idx[k])]
                    out[n] = {
                        "location": wkbs[j],
                        "geometry_type": "Polygon" if types[idx[k]] == 3 else "MultiPolygon",
                        "min_x": b[j][0],
                        "min_y": b[j][1],
                        "max_x": b[j][2],
                        "max_y": b[j][3],
                        "area": ar[j],
                        "perimeter": ln[j],
                    }
    result: list[dict[str, Any] | ApiError] = []
    for n, it in enumerate(items):
        v = out[n]
        if v is None:
            try:
                v = _geometry_values(from_wire(it.wkt, it.width, it.height, checked))
            except ApiError as exc:
                v = exc
        result.append(v)
    return result
