"""Listing filters relative to another annotation (Cytomine's AnnotationListing).

* ``annotation=ID``: annotations inside that one (covered by its geometry), itself
  excluded; what ``GET /api/imageinstance/{id}/annotation/included.json`` answers too
  (there the region may also be a ``geometry`` WKT, y up).
* ``bboxAnnotation=ID``: annotations meeting that annotation's bounding box.
* ``baseAnnotation=ID`` (+ ``maxDistanceBaseAnnotation``, pixels, default 0):
  annotations within that distance of it, itself excluded.

Each becomes ``Annotation.pk IN (…)``: candidates come from SQL (the listing's other
conditions and the region's bounding box on the indexed bbox columns), then GEOS
decides.  The reference annotation must be readable by the caller.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from shapely import wkb
from shapely.geometry.base import BaseGeometry
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation
from desktop_app.protocol.cytomine.annotation_query import AnnotationQuery
from desktop_app.server.auth import Caller
from desktop_app.server.errors import bad_request, not_found
from desktop_app.server.rights import require_project


def _reference(db: Session, caller: Caller, pk: int) -> Annotation:
    a = db.get(Annotation, pk)
    if a is None:
        raise not_found("Annotation", pk)
    require_project(db, caller, a.project_pk)
    return a


def _matching(
    db: Session, where: list[Any], region: BaseGeometry, test: str, margin: float
) -> list[int]:
    minx, miny, maxx, maxy = region.bounds
    box = and_(
        Annotation.max_x >= minx - margin,
        Annotation.min_x <= maxx + margin,
        Annotation.max_y >= miny - margin,
        Annotation.min_y <= maxy + margin,
    )
    rows = db.execute(select(Annotation.pk, Annotation.location).where(*where, box)).all()
    if not rows:
        return []
    geoms = shapely.from_wkb(np.asarray([r[1] for r in rows], dtype=object))
    if test == "covered":
        keep = shapely.covered_by(geoms, region)
    elif test == "distance":
        keep = shapely.distance(geoms, region) <= margin
    else:
        keep = shapely.intersects(geoms, region)
    return [r[0] for r, k in zip(rows, keep, strict=True) if k]


def relation_conditions(
    db: Session,
    caller: Caller,
    q: AnnotationQuery,
    where: list[Any],
    region: BaseGeometry | None = None,
) -> list[Any]:
    """SQL conditions for the relative filters present in query ``q`` (maybe none).

    ``region`` (stored coordinates) is an explicit "inside this geometry" region.
    """
    out: list[Any] = []
    inside = q.annotation
    if inside is not None:
        ref = _reference(db, caller, inside)
        pks = _matching(db, where, wkb.loads(ref.location), "covered", 0.0)
        out.append(Annotation.pk.in_([p for p in pks if p != ref.pk]))
    elif region is not None:
        out.append(Annotation.pk.in_(_matching(db, where, region, "covered", 0.0)))
    bbox_of = q.bboxAnnotation
    if bbox_of is not None:
        ref = _reference(db, caller, bbox_of)
        box = shapely.box(ref.min_x, ref.min_y, ref.max_x, ref.max_y)
        out.append(Annotation.pk.in_(_matching(db, where, box, "intersects", 0.0)))
    base = q.baseAnnotation
    if base is not None:
        ref = _reference(db, caller, base)
        dist = q.maxDistanceBaseAnnotation or 0.0
        if dist < 0:
            raise bad_request("maxDistanceBaseAnnotation must not be negative")
        pks = _matching(db, where, wkb.loads(ref.location), "distance", dist)
        out.append(Annotation.pk.in_([p for p in pks if p != ref.pk]))
    return out
