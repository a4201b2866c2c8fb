"""What the sync UI shows that the engine does not hand out ready-made (no Qt).

* :func:`local_counts`: the status bar's numbers when no engine exists yet (not
  logged in): pending operations and open conflicts, read from the cache.
* :func:`conflict_shapes`: base / mine / theirs of a conflict as shapely geometries
  in the cache's frame (level-0, y down) plus the image they belong to, for the
  viewer overlay.  Conflict records keep y-down WKT, except a base that says
  ``frame: server`` (Cytomine's y-up WKT), which is flipped with the image height.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import func, select

from desktop_app.core.geometry import from_cytomine_wkt
from desktop_app.model.annotation import Annotation
from desktop_app.model.image import AbstractImage, ImageInstance
from desktop_app.model.sync import CommandLog, ConflictStatus, OpState, SyncConflict
from desktop_app.store.uow import Store

UNFINISHED = (OpState.PENDING, OpState.INFLIGHT, OpState.NEEDS_RECONCILE)


class ConflictLike(Protocol):
    """What :func:`conflict_shapes` reads of ``desktop_app.sync.ConflictInfo``."""

    pk: int
    entity_type: str
    entity_pk: int
    base: dict[str, Any]
    mine: dict[str, Any]
    theirs: dict[str, Any]


@dataclass(frozen=True, slots=True)
class LocalCounts:
    pending: int
    conflicts: int


@dataclass(frozen=True, slots=True)
class ConflictShapes:
    conflict_pk: int
    image_pk: int | None
    base: BaseGeometry | None
    mine: BaseGeometry | None
    theirs: BaseGeometry | None

    def bounds(self) -> tuple[float, float, float, float] | None:
        geoms = [g for g in (self.base, self.mine, self.theirs) if g is not None]
        if not geoms:
            return None
        x0, y0, x1, y1 = shapely.GeometryCollection(geoms).bounds
        return (x0, y0, x1, y1)


def local_counts(store: Store) -> LocalCounts:
    """Pending ops and open conflicts, read from the cache."""
    with store.read() as s:
        pending = s.scalar(select(func.count()).where(CommandLog.state.in_(UNFINISHED))) or 0
        n_conf = (
            s.scalar(select(func.count()).where(SyncConflict.status == ConflictStatus.OPEN)) or 0
        )
    return LocalCounts(int(pending), int(n_conf))


def conflict_shapes(store: Store, info: ConflictLike) -> ConflictShapes:
    image_pk: int | None = None
    height: float | None = None
    if info.entity_type == "annotation":
        with store.read() as s:
            row = s.execute(
                select(Annotation.image_pk, AbstractImage.height)
                .join(ImageInstance, ImageInstance.pk == Annotation.image_pk)
                .join(AbstractImage, AbstractImage.pk == ImageInstance.base_image_pk)
                .where(Annotation.pk == info.entity_pk)
            ).first()
        if row is not None:
            image_pk, height = int(row.image_pk), float(row.height)
    return ConflictShapes(
        info.pk,
        image_pk,
        _shape(info.base, height),
        _shape(info.mine, height),
        _shape(info.theirs, height),
    )


def _shape(view: dict[str, Any] | None, height: float | None) -> BaseGeometry | None:
    loc = (view or {}).get("location")
    if not isinstance(loc, str) or not loc:
        return None
    try:
        if (view or {}).get("frame") == "server":
            return from_cytomine_wkt(loc, height) if height else None
        return shapely.from_wkt(loc)
    except (shapely.errors.GEOSException, ValueError):
        return None


__all__ = ["ConflictShapes", "LocalCounts", "conflict_shapes", "local_counts"]
