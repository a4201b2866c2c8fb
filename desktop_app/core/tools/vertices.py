"""Vertex-level editing of shapely geometries (the pure half of QuPath's ``RoiEditor``).

Geometries are immutable, so editing works on a *decomposition*: a list of parts, each a
list of rings/paths as ``(n, 2)`` arrays (closed rings without the repeated last point).
Every edit returns a new decomposition; :func:`rebuild` turns it back into a geometry.
Vertices are addressed by :class:`VertexRef` ``(part, ring, index)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from desktop_app.core.geometry import GeometryError

_MULTI = shapely.MultiPoint | shapely.MultiLineString | shapely.MultiPolygon

Parts = list[list[np.ndarray]]

_MIN_VERTICES = {"Polygon": 3, "MultiPolygon": 3, "LineString": 2, "MultiLineString": 2}


@dataclass(frozen=True, slots=True)
class VertexRef:
    part: int
    ring: int
    index: int


@dataclass(frozen=True, slots=True)
class Decomposed:
    kind: str
    parts: Parts

    @property
    def closed(self) -> bool:
        return self.kind in ("Polygon", "MultiPolygon")

    def all_vertices(self) -> tuple[np.ndarray, list[VertexRef]]:
        coords: list[np.ndarray] = []
        refs: list[VertexRef] = []
        for p, rings in enumerate(self.parts):
            for r, ring in enumerate(rings):
                coords.append(ring)
                refs.extend(VertexRef(p, r, i) for i in range(len(ring)))
        return (np.vstack(coords) if coords else np.empty((0, 2))), refs


def decompose(geom: BaseGeometry) -> Decomposed:
    kind = geom.geom_type
    singles = list(geom.geoms) if isinstance(geom, _MULTI) else [geom]
    parts: Parts = []
    for g in singles:
        if isinstance(g, shapely.Polygon):
            rings = [g.exterior, *g.interiors]
            parts.append([np.asarray(r.coords, dtype=float)[:-1, :2] for r in rings])
        elif g.geom_type in ("LineString", "Point"):
            parts.append([np.asarray(g.coords, dtype=float)[:, :2]])
        else:
            raise GeometryError(f"Vertex editing does not support {g.geom_type}.")
    return Decomposed(kind, parts)


def rebuild(d: Decomposed) -> BaseGeometry:
    if d.kind in ("Polygon", "MultiPolygon"):
        polys = [shapely.Polygon(rings[0], rings[1:]) for rings in d.parts]
        return polys[0] if d.kind == "Polygon" else shapely.MultiPolygon(polys)
    if d.kind in ("LineString", "MultiLineString"):
        lines = [shapely.LineString(rings[0]) for rings in d.parts]
        return lines[0] if d.kind == "LineString" else shapely.MultiLineString(lines)
    points = [shapely.Point(rings[0][0]) for rings in d.parts]
    return points[0] if d.kind == "Point" else shapely.MultiPoint(points)


def nearest_vertex(d: Decomposed, x: float, y: float, tolerance: float) -> VertexRef | None:
    coords, refs = d.all_vertices()
    if not refs:
        return None
    dist = np.hypot(coords[:, 0] - x, coords[:, 1] - y)
    i = int(np.argmin(dist))
    return refs[i] if dist[i] <= tolerance else None


def nearest_edge(
    d: Decomposed, x: float, y: float, tolerance: float
) -> tuple[VertexRef, tuple[float, float]] | None:
    """Where a click lands on an edge: the insertion ref (index of the new vertex) and the
    projected point; ``None`` if no edge is within ``tolerance``."""
    best: tuple[float, VertexRef, tuple[float, float]] | None = None
    p = np.array([x, y])
    for pi, rings in enumerate(d.parts):
        for ri, ring in enumerate(rings):
            if len(ring) < 2:
                continue
            a = ring
            b = np.roll(ring, -1, axis=0)
            if not d.closed:
                a, b = a[:-1], b[:-1]
            ab = b - a
            len2 = np.einsum("ij,ij->i", ab, ab)
            t = np.clip(np.einsum("ij,ij->i", p - a, ab) / np.where(len2 > 0, len2, 1.0), 0, 1)
            proj = a + ab * t[:, None]
            dist = np.hypot(*(proj - p).T)
            j = int(np.argmin(dist))
            if dist[j] <= tolerance and (best is None or dist[j] < best[0]):
                best = (float(dist[j]), VertexRef(pi, ri, j + 1), (proj[j, 0], proj[j, 1]))
    return None if best is None else (best[1], best[2])


def _replace_ring(d: Decomposed, ref: VertexRef, ring: np.ndarray | None) -> Decomposed:
    parts = [list(rings) for rings in d.parts]
    if ring is None:
        del parts[ref.part][ref.ring]
    else:
        parts[ref.part][ref.ring] = ring
    return Decomposed(d.kind, parts)


def move_vertex(d: Decomposed, ref: VertexRef, x: float, y: float) -> Decomposed:
    ring = d.parts[ref.part][ref.ring].copy()
    ring[ref.index] = (x, y)
    return _replace_ring(d, ref, ring)


def insert_vertex(d: Decomposed, ref: VertexRef, x: float, y: float) -> Decomposed:
    ring = np.insert(d.parts[ref.part][ref.ring], ref.index, (x, y), axis=0)
    return _replace_ring(d, ref, ring)


def delete_vertex(d: Decomposed, ref: VertexRef) -> Decomposed:
    """Remove one vertex; a hole that would drop below 3 vertices is removed entirely.

    Raises :class:`GeometryError` when the shape itself would degenerate (the user
    should delete the annotation instead).
    """
    if d.kind in ("Point", "MultiPoint"):
        if len(d.parts) <= 1:
            raise GeometryError("A point has no vertex to remove; delete the annotation instead.")
        parts = [rings for i, rings in enumerate(d.parts) if i != ref.part]
        return Decomposed(d.kind, parts)
    ring = np.delete(d.parts[ref.part][ref.ring], ref.index, axis=0)
    if len(ring) >= _MIN_VERTICES[d.kind]:
        return _replace_ring(d, ref, ring)
    if d.closed and ref.ring > 0:
        return _replace_ring(d, ref, None)  # the hole disappears
    if len(d.parts) > 1:
        return Decomposed(d.kind, [rings for i, rings in enumerate(d.parts) if i != ref.part])
    what = "polygon" if d.closed else "line"
    raise GeometryError(
        f"A {what} needs at least {_MIN_VERTICES[d.kind]} vertices; delete the annotation instead."
    )
