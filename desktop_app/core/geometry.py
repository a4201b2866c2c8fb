"""Annotation geometry: parsing, validation, simplification, measurement and wire conversion.

Every geometry inside the application is a shapely geometry in **level-0 pixel
coordinates with the y axis pointing down** (the raster convention of OpenSlide, QuPath
and Qt). Cytomine stores WKT with the origin at the bottom-left and y pointing up; the
flip happens only at the wire, in :func:`to_cytomine_wkt` / :func:`from_cytomine_wkt`,
so no other module ever has to think about it.

Validation is strict because a single broken polygon (NaN, self-intersection, zero area)
poisons spatial indexes, area statistics and the server's PostGIS queries alike; it is
cheaper to refuse or repair at the point of entry than to defend everywhere else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = [
    "GeometryError",
    "area_perimeter_um",
    "bounds_many",
    "from_cytomine_wkt",
    "GeometryTooComplex",
    "MAX_REPAIR_CROSSINGS",
    "MAX_REPAIR_VERTICES",
    "MAX_VERTICES",
    "check_repair_bound",
    "fit_to_image",
    "from_wkb_many",
    "parse_wkt",
    "simplify_stroke",
    "to_cytomine_wkt",
    "to_wkb_many",
    "validate",
]

_POLYGONAL = ("Polygon", "MultiPolygon")

#: One geometry, or an array of them (shapely's functions take both).
GeometryOrArray = TypeVar("GeometryOrArray", BaseGeometry, np.ndarray)
#: Most vertices one annotation may have (a 100k-vertex freehand outline is plenty).
MAX_VERTICES = 250_000
#: Bounds on the work of repairing a self-intersecting polygon (``shapely.make_valid``
#: grows with the number of crossings: a 200-vertex star with ~20,000 of them took 31 s,
#: a 41-vertex one with 738 takes ~1 s, 250 stay near 0.1 s).
#: Beyond either, the polygon is refused with a message saying why, before any repair.
MAX_REPAIR_VERTICES = 5_000
MAX_REPAIR_CROSSINGS = 250
_CROSSING_CHUNK = 256  # edges per tree query: small, so a star stops early
_SUPPORTED = ("Point", "MultiPoint", "LineString", "MultiLineString", *_POLYGONAL)


class GeometryError(ValueError):
    """A geometry the application refuses; the message is meant to be shown to the user."""


class GeometryTooComplex(GeometryError):
    """Beyond the work bound (vertices, or crossings to repair): refused before any repair."""


def parse_wkt(text: str) -> BaseGeometry:
    """Parse WKT text; raise :class:`GeometryError` (not a GEOS exception) on bad syntax.

    The result is *not* validated: call :func:`validate` before storing it.
    """
    if not isinstance(text, str) or not text.strip():
        raise GeometryError("No geometry given (empty WKT text).")
    try:
        geom = shapely.from_wkt(text)
    except shapely.errors.ShapelyError as exc:
        snippet = text.strip()[:60]
        raise GeometryError(f"Not a valid WKT geometry ({exc}): {snippet!r}") from exc
    if geom is None:
        raise GeometryError("Not a valid WKT geometry.")
    return geom


def _polygonal_part(geom: BaseGeometry) -> BaseGeometry | None:
    """Keep only the polygons of a (possibly mixed) geometry, as Polygon or MultiPolygon."""
    parts = [
        g
        for g in shapely.get_parts(shapely.get_parts(geom))
        if g.geom_type in _POLYGONAL and not g.is_empty
    ]
    polys: list[shapely.Polygon] = []
    for part in parts:
        polys.extend(part.geoms if part.geom_type == "MultiPolygon" else [part])
    polys = [p for p in polys if p.area > 0]
    if not polys:
        return None
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


def validate(geom: BaseGeometry, *, repair: bool = True) -> BaseGeometry:
    """Return a geometry safe to store, or raise :class:`GeometryError` explaining why not.

    Refuses empty geometries, NaN/infinite coordinates, unsupported types (collections),
    zero-length lines and zero-area polygons. Self-intersecting polygons are repaired with
    ``shapely.make_valid`` when ``repair`` is true, keeping only the polygonal part (a
    bow-tie becomes a MultiPolygon of two triangles); the lines and points GEOS may return
    alongside are dropped because an area annotation must stay an area. Z is discarded.
    """
    if not isinstance(geom, BaseGeometry):
        raise GeometryError("No geometry given.")
    if geom.is_empty:
        raise GeometryError("The geometry is empty.")
    if geom.geom_type not in _SUPPORTED:
        raise GeometryError(
            f"{geom.geom_type} is not supported; draw a point, line or polygon instead."
        )
    if not np.isfinite(shapely.get_coordinates(geom, include_z=False)).all():
        raise GeometryError("The geometry has NaN or infinite coordinates.")
    if shapely.get_coordinate_dimension(geom) > 2:
        geom = shapely.force_2d(geom)
    vertices = int(shapely.get_num_coordinates(geom))
    if vertices > MAX_VERTICES:
        raise GeometryTooComplex(
            f"The geometry has {vertices:,} vertices; at most {MAX_VERTICES:,} are accepted. "
            "Simplify it first."
        )

    if geom.geom_type in _POLYGONAL:
        if not geom.is_valid:
            if not repair:
                reason = shapely.is_valid_reason(geom)
                raise GeometryError(f"The polygon is invalid: {reason}.")
            check_repair_bound(geom, vertices)
            repaired = _polygonal_part(shapely.make_valid(geom))
            if repaired is None:
                raise GeometryError(
                    "The polygon collapses to a line or a point (it encloses no area)."
                )
            geom = repaired
        if geom.area <= 0:
            raise GeometryError("The polygon has zero area.")
        return geom

    if geom.geom_type in ("LineString", "MultiLineString"):
        if geom.length <= 0:
            raise GeometryError("The line has zero length.")
        if not geom.is_valid:  # e.g. a part with fewer than two distinct points
            raise GeometryError(f"The line is invalid: {shapely.is_valid_reason(geom)}.")
    return geom


def check_repair_bound(geom: BaseGeometry, vertices: int | None = None) -> None:
    """Refuse (GeometryError) a self-intersecting polygon too costly to repair.

    Counts crossings between non-adjacent edges, in chunks, stopping as soon as the
    bound is passed, so even a 90,000-vertex star is refused in milliseconds (it is
    refused on its vertex count before any counting).
    """
    n = int(shapely.get_num_coordinates(geom)) if vertices is None else vertices
    if n > MAX_REPAIR_VERTICES:
        raise GeometryTooComplex(
            f"The polygon crosses itself and has {n:,} vertices: too complex to repair "
            f"automatically (at most {MAX_REPAIR_VERTICES:,}). Fix or simplify it at its source."
        )
    found = _crossings(geom, MAX_REPAIR_CROSSINGS)
    if found > MAX_REPAIR_CROSSINGS:
        raise GeometryTooComplex(
            f"The polygon crosses itself more than {MAX_REPAIR_CROSSINGS:,} times: too "
            "complex to repair automatically. Fix or simplify it at its source."
        )


def _crossings(geom: BaseGeometry, limit: int) -> int:
    """Pairs of non-adjacent polygon edges that meet, counted up to ``limit + 1``.

    The edges go into an STR-tree and are queried a chunk at a time, so the work is
    about n log n plus the pairs found, and a star is refused after its first chunk:
    comparing every pair of edges cost seconds for a legal 5,000-vertex polygon.
    """
    segs, ring_ids = [], []
    for ring_no, ring in enumerate(shapely.get_rings(shapely.get_parts(geom)).tolist()):
        pts = np.asarray(ring.coords)[:, :2]
        if len(pts) < 2:
            continue
        segs.append(np.stack([pts[:-1], pts[1:]], axis=1))
        ring_ids.append(np.full(len(pts) - 1, ring_no))
    if not segs:
        return 0
    lines: np.ndarray = np.asarray(shapely.linestrings(np.concatenate(segs)), dtype=object)
    rid = np.concatenate(ring_ids)
    pos = np.concatenate([np.arange(len(r)) for r in ring_ids])
    size = np.bincount(rid)[rid]
    tree = shapely.STRtree(lines)
    total = 0
    for start in range(0, len(lines), _CROSSING_CHUNK):
        found = tree.query(lines[start : start + _CROSSING_CHUNK], predicate="intersects")
        i, j = found[0] + start, found[1]
        gap = np.abs(pos[i] - pos[j])
        adjacent = (rid[i] == rid[j]) & ((gap <= 1) | (gap == size[i] - 1))
        total += int(np.count_nonzero(~adjacent & (j > i)))
        if total > limit:
            return total
    return total


def fit_to_image(geom: BaseGeometry, width: float, height: float) -> tuple[BaseGeometry, bool]:
    """The part of a valid geometry inside the image, and whether anything was cut off.

    A geometry entirely outside the image is refused: the server would refuse it too, so
    it could never be synced.  Both the server and the desktop (import, tools) call this.
    """
    frame = shapely.box(0, 0, width, height)
    if frame.covers(geom):
        return geom, False
    clipped = geom.intersection(frame)
    if clipped.is_empty:
        raise GeometryError(
            f"The geometry lies outside the image (the image is {width:g} x {height:g} px)."
        )
    if clipped.geom_type == "GeometryCollection":  # keep the original's dimension only
        dim = shapely.get_dimensions(geom)
        parts = [g for g in shapely.get_parts(clipped) if shapely.get_dimensions(g) == dim]
        if not parts:
            raise GeometryError("The geometry only touches the image's border.")
        clipped = shapely.union_all(parts)
    return validate(clipped), True


def _dedupe_consecutive(pts: np.ndarray) -> np.ndarray:
    if len(pts) < 2:
        return pts
    keep = np.ones(len(pts), dtype=bool)
    keep[1:] = np.any(pts[1:] != pts[:-1], axis=1)
    return pts[keep]


def simplify_stroke(
    points: Sequence[Sequence[float]] | np.ndarray,
    tolerance_px: float,
    downsample: float = 1.0,
) -> np.ndarray:
    """Douglas-Peucker simplification of a pointer stroke; returns an ``(M, 2)`` array.

    ``tolerance_px`` is in **screen** pixels and ``downsample`` is level-0 pixels per
    screen pixel, so the simplification looks the same at every zoom: a stroke drawn at
    40x keeps its detail, the same gesture at 1x does not produce thousands of vertices.
    Endpoints are kept and the vertex count never increases.
    """
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    pts = _dedupe_consecutive(pts)
    tol = float(tolerance_px) * float(downsample)
    if len(pts) < 3 or tol <= 0:
        return pts.copy()
    simplified = shapely.simplify(shapely.LineString(pts), tol, preserve_topology=False)
    out = shapely.get_coordinates(simplified)
    return out if len(out) <= len(pts) else pts.copy()


def area_perimeter_um(geom: BaseGeometry, mpp_x: float, mpp_y: float) -> tuple[float, float]:
    """Area (µm²) and perimeter (µm) using the slide's microns-per-pixel on each axis.

    The axes are scaled separately because some scanners have non-square pixels. For lines
    the "perimeter" is the length; points measure (0, 0).
    """
    if not (mpp_x and mpp_y) or mpp_x <= 0 or mpp_y <= 0:
        raise GeometryError("The slide has no pixel size (µm per pixel) to measure with.")
    scaled = shapely.transform(geom, lambda c: c * np.array([mpp_x, mpp_y]))
    return float(scaled.area), float(scaled.length)


def _flip_y(geom: GeometryOrArray, image_height: float) -> GeometryOrArray:
    height = float(image_height)

    def flip(coords: np.ndarray) -> np.ndarray:
        out = coords.copy()
        out[:, 1] = height - coords[:, 1]
        return out

    return shapely.transform(geom, flip)


def to_cytomine_wkt(geom: BaseGeometry, image_height: float) -> str:
    """Level-0 y-down geometry -> Cytomine WKT (origin bottom-left, y up: ``y' = h - y``).

    Full double precision is written so :func:`from_cytomine_wkt` is its exact inverse
    (for any coordinate where ``h - (h - y) == y`` in floating point, which includes all
    integer and typical sub-pixel coordinates).
    """
    if image_height is None or image_height <= 0:
        raise GeometryError("The image height is needed to convert to Cytomine coordinates.")
    return shapely.to_wkt(_flip_y(geom, image_height), rounding_precision=-1, trim=True)


def to_cytomine_wkts(geoms: np.ndarray, image_height: float) -> list[str]:
    """:func:`to_cytomine_wkt` of an array of geometries at once (shapely's array
    functions: a 10k push spent 0.15 s converting one geometry at a time); same text."""
    if image_height is None or image_height <= 0:
        raise GeometryError("The image height is needed to convert to Cytomine coordinates.")
    flipped = _flip_y(geoms, image_height)
    return [str(w) for w in shapely.to_wkt(flipped, rounding_precision=-1, trim=True)]


def from_cytomine_wkt(wkt: str, image_height: float) -> BaseGeometry:
    """Cytomine WKT (y up) -> level-0 y-down geometry; the inverse of :func:`to_cytomine_wkt`."""
    if image_height is None or image_height <= 0:
        raise GeometryError("The image height is needed to convert from Cytomine coordinates.")
    return _flip_y(parse_wkt(wkt), image_height)


def _as_array(items: Iterable[object] | np.ndarray) -> np.ndarray:
    if isinstance(items, np.ndarray):
        return items
    arr = np.empty(len(seq := list(items)), dtype=object)
    arr[:] = seq
    return arr


def to_wkb_many(geoms: Iterable[BaseGeometry] | np.ndarray) -> np.ndarray:
    """Encode many geometries to WKB in one vectorised GEOS call (object array of bytes)."""
    return shapely.to_wkb(_as_array(geoms))


def from_wkb_many(blobs: Iterable[bytes] | np.ndarray) -> np.ndarray:
    """Decode many WKB blobs at once; the cache's hot path when a viewport is loaded."""
    return shapely.from_wkb(_as_array(blobs))


def bounds_many(geoms: Iterable[BaseGeometry] | np.ndarray) -> np.ndarray:
    """``(N, 4)`` array of ``minx, miny, maxx, maxy`` for the R*Tree rows."""
    return shapely.bounds(_as_array(geoms)).reshape(-1, 4)
