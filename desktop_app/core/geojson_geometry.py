"""GeoJSON geometry <-> shapely, in bulk: the hot half of :mod:`desktop_app.core.geojson`.

Reading groups geometries by type and builds each group with one vectorised shapely call
(``linearrings``/``polygons``/``multipolygons`` with ``indices``) instead of a Python
object per vertex; a group that fails is retried feature by feature only to say *which*
feature is malformed. Validation screens everything in bulk and sends only suspicious
geometries through :func:`~desktop_app.core.geometry.validate`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from desktop_app.core.geometry import GeometryError, validate

# --- reading: vectorised assembly ----------------------------------------------------------


def _flat(seqs: list[list[Any]]) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate nested coordinate lists; returns (coords (n, 2), parent index per item)."""
    lens = np.fromiter((len(s) for s in seqs), dtype=np.intp, count=len(seqs))
    return _xy([p for s in seqs for p in s]), np.repeat(np.arange(len(seqs)), lens)


def _xy(points: list[Any]) -> np.ndarray:
    """``(n, 2)`` float array; a Z (or M) ordinate is dropped, anything ragged raises."""
    arr = np.array(points, dtype=float)
    if arr.ndim != 2 or arr.shape[1] < 2:
        raise ValueError("coordinates are not [x, y] pairs")
    return arr[:, :2]


def _rings_to_polygons(polys: list[list[list[Any]]]) -> np.ndarray:
    rings = [ring for poly in polys for ring in poly]
    coords, ring_idx = _flat(rings)
    lrings = np.asarray(shapely.linearrings(coords, indices=ring_idx))
    poly_idx = np.repeat(np.arange(len(polys)), [len(p) for p in polys])
    return np.asarray(shapely.polygons(lrings, indices=poly_idx))


def _build(kind: str, coords: list[Any]) -> np.ndarray:
    """All geometries of one type in one go; raises on any malformed coordinates."""
    if kind == "Point":
        return np.asarray(shapely.points(_xy(coords)))
    if kind == "MultiPoint":
        pts, idx = _flat(coords)
        return np.asarray(shapely.multipoints(pts, indices=idx))
    if kind == "LineString":
        pts, idx = _flat(coords)
        return np.asarray(shapely.linestrings(pts, indices=idx))
    if kind == "MultiLineString":
        parts = [line for multi in coords for line in multi]
        pts, idx = _flat(parts)
        lines = np.asarray(shapely.linestrings(pts, indices=idx))
        owner = np.repeat(np.arange(len(coords)), [len(m) for m in coords])
        return np.asarray(shapely.multilinestrings(lines, indices=owner))
    if kind == "Polygon":
        return _rings_to_polygons(coords)
    polys = [poly for multi in coords for poly in multi]
    owner = np.repeat(np.arange(len(coords)), [len(m) for m in coords])
    return np.asarray(shapely.multipolygons(_rings_to_polygons(polys), indices=owner))


def build_geometries(geoms: list[dict[str, Any]]) -> tuple[np.ndarray, dict[int, str]]:
    """Shapely geometries for GeoJSON geometry dicts; failures map index -> message."""
    out = np.empty(len(geoms), dtype=object)
    failed: dict[int, str] = {}
    by_type: dict[str, list[int]] = {}
    for i, g in enumerate(geoms):
        by_type.setdefault(g["type"], []).append(i)
    for kind, idx in by_type.items():
        try:
            built = _build(kind, [geoms[i]["coordinates"] for i in idx])
            if len(built) != len(idx):  # an empty part list shifts the indices
                raise ValueError("count mismatch")
            out[idx] = built
        except Exception:  # malformed somewhere: locate it feature by feature
            for i in idx:
                try:
                    out[i] = shape(geoms[i])
                except Exception as exc:  # shapely/GEOS/numpy raise a variety of types
                    failed[i] = f"has malformed {kind} coordinates ({exc})"
    return out, failed


def screen_geometries(arr: np.ndarray, failed: dict[int, str]) -> tuple[np.ndarray, set[int]]:
    """Bulk validity screen; only suspicious geometries go through :func:`validate`."""
    ok = np.array([i not in failed for i in range(len(arr))], dtype=bool)
    good = arr[ok]
    coords, owner = shapely.get_coordinates(good, include_z=False, return_index=True)
    suspect = np.zeros(len(good), dtype=bool)
    suspect[np.unique(owner[~np.isfinite(coords).all(axis=1)])] = True
    suspect |= shapely.is_empty(good) | ~shapely.is_valid(good)
    suspect |= shapely.has_z(good)
    polygonal = np.isin(shapely.get_type_id(good), (3, 6))
    suspect |= polygonal & (shapely.area(good) <= 0)
    repaired: set[int] = set()
    positions = np.flatnonzero(ok)
    for j in np.flatnonzero(suspect):
        i = int(positions[j])
        try:
            fixed = validate(arr[i])
        except GeometryError as exc:
            failed[i] = str(exc)
            continue
        if not arr[i].is_valid:
            repaired.add(i)
        arr[i] = fixed
    return arr, repaired


# --- writing ------------------------------------------------------------------------------


def _ring(coords: Any) -> list[list[float]]:
    ring: list[list[float]] = np.asarray(coords)[:, :2].tolist()
    return ring


def geometry_to_geojson(geom: BaseGeometry) -> dict[str, Any]:
    """A shapely geometry as a GeoJSON geometry dict (lists, 2D)."""
    kind = geom.geom_type
    if isinstance(geom, shapely.Point):
        return {"type": kind, "coordinates": [geom.x, geom.y]}
    if kind in ("LineString", "MultiPoint"):
        return {"type": kind, "coordinates": shapely.get_coordinates(geom).tolist()}
    if isinstance(geom, shapely.MultiLineString):
        return {"type": kind, "coordinates": [_ring(line.coords) for line in geom.geoms]}
    if isinstance(geom, shapely.Polygon):
        return {"type": kind, "coordinates": _polygon(geom)}
    if isinstance(geom, shapely.MultiPolygon):
        return {"type": kind, "coordinates": [_polygon(p) for p in geom.geoms]}
    raise GeometryError(f"{kind} cannot be exported to QuPath GeoJSON.")


def _polygon(poly: shapely.Polygon) -> list[list[list[float]]]:
    return [_ring(poly.exterior.coords), *(_ring(r.coords) for r in poly.interiors)]


def geojson_many(geoms: list[BaseGeometry]) -> list[dict[str, Any]]:
    """Geometry dicts for many geometries; hole-less polygons (typical detections) take a
    vectorised path, everything else :func:`geometry_to_geojson`."""
    arr = np.empty(len(geoms), dtype=object)
    arr[:] = geoms
    simple = (shapely.get_type_id(arr) == 3) & (shapely.get_num_interior_rings(arr) == 0)
    out: list[dict[str, Any]] = [{} for _ in geoms]
    idx = np.flatnonzero(simple)
    if len(idx):
        rings = shapely.get_exterior_ring(arr[idx])
        coords = shapely.get_coordinates(rings).tolist()
        ends = np.cumsum(shapely.get_num_coordinates(rings)).tolist()
        start = 0
        for i, end in zip(idx.tolist(), ends, strict=True):
            out[i] = {"type": "Polygon", "coordinates": [coords[start:end]]}
            start = end
    for i in np.flatnonzero(~simple).tolist():
        out[i] = geometry_to_geojson(geoms[i])
    return out
