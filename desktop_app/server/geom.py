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
    GeometryTooComplex,
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


def from_wire(
    wkt: object, width: int, height: int, checked: Prechecked | None = None
) -> StoredGeometry:
    """Parse, flip, clip to the image and validate; 400 with the reason otherwise.

    ``checked`` (from :func:`precheck`, run before the write transaction) holds the
    geometry already validated and repaired in wire coordinates: it is only flipped and
    clipped here, so no repair runs while the transaction holds its locks.
    """
    if not isinstance(wkt, str):
        raise bad_request("location must be a WKT string")
    if len(wkt) > MAX_WKT_CHARS:
        raise bad_request("location is too large")
    try:
        done = checked.get(wkt) if checked is not None else None
        if isinstance(done, GeometryError):
            raise done
        if done is not None:
            geom = shapely.transform(done, lambda c: c * _FLIP + (0.0, float(height)))
        else:
            geom = validate(from_cytomine_wkt(wkt, float(height)))
        geom, _clipped = fit_to_image(geom, width, height)  # the desktop's rule
    except GeometryError as exc:
        raise bad_request(f"Invalid location: {exc}") from exc
    except (shapely.errors.ShapelyError, ValueError) as exc:
        raise bad_request(f"Invalid location: {exc}") from exc
    return stored(geom)


_FLIP = np.array([1.0, -1.0])

#: ``precheck``'s answer: wire WKT -> that geometry validated (and repaired) in wire
#: coordinates, or why it is refused; a plain valid polygon is not in it.
Prechecked = dict[str, BaseGeometry | GeometryError]
#: ``Session.info`` key under which a route hands its ``precheck`` to ``from_wire``.
PRECHECKED = "prechecked_geometry"


def precheck(wkts: list[object], *, refuse: bool = True) -> Prechecked:
    """Validate and repair the geometries of a request before any database work.

    Why: the bound check and the repair are the costly steps (seconds for a polygon
    of a few thousand vertices), and a write transaction holds SQLite's write lock (and
    PostgreSQL's feed lock) for as long as it is open; run here, first, they hold
    nothing.  With ``refuse``, a polygon beyond the bound (``core.geometry``: vertices,
    crossings) is a 400 at once, naming the entry in a bulk; otherwise (a sync push,
    which answers per operation) and for any other bad geometry the reason is kept for
    ``from_wire`` to raise.  Plain valid polygons (the common case, checked by the
    vectorised path) are skipped.
    """
    out: Prechecked = {}
    for n, wkt in enumerate(wkts):
        if not isinstance(wkt, str) or len(wkt) > MAX_WKT_CHARS or wkt in out:
            continue  # from_wire says what is wrong with it
        geom = shapely.from_wkt(wkt, on_invalid="ignore")
        if geom is None or (geom.geom_type in ("Polygon", "MultiPolygon") and geom.is_valid):
            continue
        try:
            out[wkt] = validate(geom)
        except GeometryTooComplex as exc:
            if refuse:
                where = f" (annotation {n})" if len(wkts) > 1 else ""
                raise bad_request(f"Invalid location{where}: {exc}") from exc
            out[wkt] = exc
        except GeometryError as exc:
            out[wkt] = exc
        except (shapely.errors.ShapelyError, ValueError) as exc:
            out[wkt] = GeometryError(str(exc))
    return out


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
