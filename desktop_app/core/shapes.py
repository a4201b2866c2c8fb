"""What a user calls a shape: "rectangle", "circle", "ellipse", "polygon", "line", "point".

Cytomine (and our cache) stores every closed outline as a WKT ``POLYGON``, so the
geometry type alone names a drawn circle or rectangle "polygon" -- in the undo text,
the status bar and the tooltip.  The shape is recognised from the outline itself, so
the name is right wherever the annotation came from (drawn, imported, pulled) and
stays right after a move, while a rectangle whose vertex was dragged becomes a polygon.
"""

from __future__ import annotations

import numpy as np
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

#: A circle tool outline has 64 vertices; fewer than this is a polygon that happens
#: to be round-ish (a hexagon is not a circle).
MIN_ROUND_VERTICES = 16
#: Relative tolerance for "on the ellipse" and "axis-aligned" (float noise, y-flips).
REL_TOL = 1e-3

_SIMPLE = {
    "Point": "point",
    "MultiPoint": "points",
    "LineString": "line",
    "LinearRing": "line",
    "MultiLineString": "lines",
    "MultiPolygon": "multipolygon",
    "GeometryCollection": "shape",
}


def shape_name(geom: BaseGeometry) -> str:
    """The lower-case name of the shape ``geom`` outlines."""
    if isinstance(geom, Polygon):
        return _polygon_name(geom)
    return _SIMPLE.get(geom.geom_type, geom.geom_type.lower() or "shape")


def _polygon_name(poly: Polygon) -> str:
    if poly.is_empty or poly.interiors:
        return "polygon"
    ring = np.asarray(poly.exterior.coords)[:-1]
    x0, y0, x1, y1 = poly.bounds
    w, h = x1 - x0, y1 - y0
    if len(ring) < 3 or w <= 0 or h <= 0:
        return "polygon"
    if len(ring) == 4 and _is_axis_box(ring, x0, y0, x1, y1):
        return "rectangle"  # a square too: it is what the rectangle tool draws
    if len(ring) >= MIN_ROUND_VERTICES:
        a, b = w / 2, h / 2
        u = (ring[:, 0] - (x0 + a)) / a
        v = (ring[:, 1] - (y0 + b)) / b
        if np.all(np.abs(u * u + v * v - 1.0) <= 4 * REL_TOL):
            return "circle" if abs(a - b) <= REL_TOL * max(a, b) else "ellipse"
    return "polygon"


def _is_axis_box(ring: np.ndarray, x0: float, y0: float, x1: float, y1: float) -> bool:
    tol = REL_TOL * max(x1 - x0, y1 - y0)
    on_x = np.minimum(np.abs(ring[:, 0] - x0), np.abs(ring[:, 0] - x1)) <= tol
    on_y = np.minimum(np.abs(ring[:, 1] - y0), np.abs(ring[:, 1] - y1)) <= tol
    corners = {(bool(abs(x - x0) <= tol), bool(abs(y - y0) <= tol)) for x, y in ring}
    return bool(on_x.all() and on_y.all() and len(corners) == 4)
