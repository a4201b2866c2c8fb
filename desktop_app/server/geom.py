"""Geometry at the server boundary: Cytomine y-up WKT in, y-down WKB rows out, and back.

Uses ``desktop_app.core.geometry`` for parsing, validation and the y flip; adds what
only the server does: clipping to the image as Cytomine does, and the vectorised
WKB -> WKT path that makes listing 100k annotations cheap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from desktop_app.core.geometry import (
    GeometryError,
    check_repair_bound,
    fit_to_image,
    from_cytomine_wkt,
    validate,
)
from desktop_app.server.errors import bad_request

MAX_WKT_CHARS = 2_000_000


@dataclass(frozen=True, slots=True)
class StoredGeometry:
    wkb: bytes
    geom_type: str
    bounds: tuple[float, float, float, float]
    area: float
    perimeter: float
    centroid: tuple[float, float]


def from_wire(wkt: object, width: int, height: int) -> StoredGeometry:
    """Parse, flip, clip to the image and validate; 400 with the reason otherwise."""
    if not isinstance(wkt, str):
        raise bad_request("location must be a WKT string")
    if len(wkt) > MAX_WKT_CHARS:
        raise bad_request("location is too large")
    try:
        geom = from_cytomine_wkt(wkt, float(height))
        geom, _clipped = fit_to_image(validate(geom), width, height)  # the desktop's rule
    except GeometryError as exc:
        raise bad_request(f"Invalid location: {exc}") from exc
    except (shapely.errors.ShapelyError, ValueError) as exc:
        raise bad_request(f"Invalid location: {exc}") from exc
    return stored(geom)


def prescreen(wkts: list[object]) -> None:
    """Refuse (400) a polygon too costly to repair before any per-image work starts.

    Validity does not depend on the y flip or the image, so this needs no database:
    the route runs it on the request body before the rows are prepared, and the repair
    that ``from_wire`` may run later is bounded by the same rule (core.geometry).
    """
    for n, wkt in enumerate(wkts):
        if not isinstance(wkt, str) or len(wkt) > MAX_WKT_CHARS:
            continue  # from_wire says what is wrong with it
        geom = shapely.from_wkt(wkt, on_invalid="ignore")
        if geom is None or geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_valid:
            continue
        try:
            check_repair_bound(geom)
        except GeometryError as exc:
            where = f" (annotation {n})" if len(wkts) > 1 else ""
            raise bad_request(f"Invalid location{where}: {exc}") from exc


def stored(geom: BaseGeometry) -> StoredGeometry:
    minx, miny, maxx, maxy = geom.bounds
    c = geom.centroid
    return StoredGeometry(
        wkb=shapely.to_wkb(geom),
        geom_type=geom.geom_type,
        bounds=(minx, miny, maxx, maxy),
        area=float(geom.area),
        perimeter=float(geom.length),
        centroid=(float(c.x), float(c.y)),
    )


def to_wire_many(wkbs: list[bytes], heights: list[float] | np.ndarray) -> list[str]:
    """Many y-down WKB blobs -> y-up WKT strings, in a handful of vectorised GEOS calls."""
    if not wkbs:
        return []
    geoms = shapely.from_wkb(np.asarray(wkbs, dtype=object))
    h = np.asarray(heights, dtype=float)
    counts = shapely.get_num_coordinates(geoms)
    coords = shapely.get_coordinates(geoms)
    coords[:, 1] = np.repeat(h, counts) - coords[:, 1]
    flipped = shapely.set_coordinates(geoms.copy(), coords)
    return list(shapely.to_wkt(flipped, rounding_precision=-1, trim=True))


def to_wire(wkb: bytes, height: float) -> str:
    return to_wire_many([wkb], [height])[0]


def parse_bbox(raw: str, height: int) -> BaseGeometry:
    """``minx,miny,maxx,maxy`` or a WKT polygon, y-up -> a y-down geometry."""
    try:
        if raw.lstrip()[:1].isalpha():
            return from_cytomine_wkt(raw, float(height))
        minx, miny, maxx, maxy = (float(v) for v in raw.split(","))
    except (GeometryError, ValueError) as exc:
        raise bad_request("bbox must be minx,miny,maxx,maxy or a WKT polygon") from exc
    return shapely.box(minx, height - maxy, maxx, height - miny)
