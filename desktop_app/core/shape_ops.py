"""Shape operations on selected annotations: pure geometry, no cache, no Qt.

The service turns each result into edits (one action, one undo step, one set of
outbox operations); here we only decide the shapes and refuse what makes no sense,
with a message for the user (:class:`ShapeOpError`).

Term policy for merge: the merged annotation keeps the union of the terms of every
merged annotation (in selection order, first seen first), so no classification is
lost silently; remove the unwanted ones afterwards.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

import shapely
from shapely.geometry.base import BaseGeometry
from shapely.ops import split as _split

from desktop_app.core.geometry import GeometryError, validate

_AREAS = ("Polygon", "MultiPolygon")
_LINES = ("LineString", "MultiLineString")
_POINTS = ("Point", "MultiPoint")


class ShapeOpError(ValueError):
    """A refused shape operation; the message is for the user."""


def _family(geom: BaseGeometry) -> str:
    for name, family in ((_AREAS, "area"), (_LINES, "line"), (_POINTS, "point")):
        if geom.geom_type in name:
            return family
    return "other"


def _valid(geom: BaseGeometry, what: str) -> BaseGeometry:
    if geom.is_empty:
        raise ShapeOpError(f"The {what} would be empty.")
    try:
        return validate(geom, repair=True)
    except GeometryError as exc:
        raise ShapeOpError(str(exc)) from exc


def _areas(geoms: Sequence[BaseGeometry], what: str, at_least: int = 2) -> None:
    if len(geoms) < at_least:
        raise ShapeOpError(f"Select at least {at_least} annotations to {what}.")
    if any(_family(g) != "area" for g in geoms):
        raise ShapeOpError(f"Only areas (polygons) can be used to {what}.")


def merge(geoms: Sequence[BaseGeometry]) -> BaseGeometry:
    """The union of two or more shapes of one kind (areas, lines or points)."""
    if len(geoms) < 2:
        raise ShapeOpError("Select at least 2 annotations to merge.")
    families = {_family(g) for g in geoms}
    if len(families) != 1:
        raise ShapeOpError("Only annotations of one kind (areas, lines or points) can be merged.")
    return _valid(shapely.union_all(list(geoms)), "merged shape")


def subtract(first: BaseGeometry, others: Sequence[BaseGeometry]) -> BaseGeometry:
    """``first`` minus the union of ``others`` (all areas)."""
    _areas([first, *others], "subtract")
    return _valid(first.difference(shapely.union_all(list(others))), "result of the subtraction")


def intersect(geoms: Sequence[BaseGeometry]) -> BaseGeometry:
    """The area common to every shape."""
    _areas(geoms, "intersect")
    out = geoms[0]
    for g in geoms[1:]:
        out = out.intersection(g)
    out = _polygonal_part(out)
    return _valid(out, "intersection")


def _polygonal_part(geom: BaseGeometry) -> BaseGeometry:
    if _family(geom) == "area" or geom.is_empty:
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if _family(g) == "area"]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def split(polygon: BaseGeometry, line: BaseGeometry) -> list[BaseGeometry]:
    """The pieces of ``polygon`` cut by ``line``, largest first (at least 2)."""
    if _family(polygon) != "area":
        raise ShapeOpError("Only a polygon can be split.")
    if _family(line) != "line":
        raise ShapeOpError("Split along a line.")
    pieces = [g for g in _split(polygon, line).geoms if g.area > 0]
    if len(pieces) < 2:
        raise ShapeOpError("The line must cross the polygon from one side to the other.")
    pieces.sort(key=lambda g: g.area, reverse=True)
    return [_valid(p, "piece") for p in pieces]


def fill_holes(geom: BaseGeometry) -> BaseGeometry:
    """The shape without its holes (an area without holes is returned unchanged)."""
    if _family(geom) != "area":
        raise ShapeOpError("Only areas have holes to fill.")
    filled = [shapely.Polygon(p.exterior) for p in polygons_of(geom)]
    return _valid(shapely.union_all(filled), "filled shape")


def polygons_of(geom: BaseGeometry) -> list[shapely.Polygon]:
    """The polygons of a (multi-)polygon; none for other shapes."""
    if isinstance(geom, shapely.MultiPolygon):
        return list(geom.geoms)
    return [geom] if isinstance(geom, shapely.Polygon) else []


def has_holes(geom: BaseGeometry) -> bool:
    return any(len(p.interiors) > 0 for p in polygons_of(geom))


def union_terms(term_lists: Iterable[Sequence[Hashable]]) -> list[Hashable]:
    """Merge policy for terms: every term of every merged annotation, first seen first."""
    out: dict[Hashable, None] = {}
    for terms in term_lists:
        for t in terms:
            out.setdefault(t, None)
    return list(out)


def add_point(multi: BaseGeometry | None, x: float, y: float) -> BaseGeometry:
    """A counting multi-point with one more point (a new one when ``multi`` is None)."""
    pts = [] if multi is None else [(p.x, p.y) for p in getattr(multi, "geoms", [multi])]
    return shapely.MultiPoint([*pts, (x, y)])


def point_count(geom: BaseGeometry) -> int:
    """Points in a (multi-)point; 0 for other shapes."""
    if geom.geom_type == "Point":
        return 1
    if isinstance(geom, shapely.MultiPoint):
        return len(geom.geoms)
    return 0
