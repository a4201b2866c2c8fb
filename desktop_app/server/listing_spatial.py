"""The bbox side of the annotation listing (``listing.py``): which annotations meet a
query rectangle or polygon, and their page in order.

SQLite's R*Tree (when present) or the bbox columns count and page the rows lying inside
a rectangular query in SQL; only rows crossing its edges get an exact GEOS test.  The
viewer's query is answered from the app's bbox index (``spatial_cache``) when it can.
"""

from __future__ import annotations

import heapq
import itertools
import math
from typing import Any

import numpy as np
import shapely
from sqlalchemy import Connection, and_, bindparam, column, func, or_, select, table
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation, AnnotationKind
from desktop_app.server.errors import bad_request
from desktop_app.server.serial_listing import page_rows_statement
from desktop_app.server.state import state_of

#: Largest coordinate a bbox may name (far beyond any slide; keeps the SQL bounds finite).
MAX_COORD = 1e12


def finite_bbox(raw: str) -> str:
    """``raw`` if it is WKT or four finite numbers within ``MAX_COORD``, else 400
    (``-inf,-inf,inf,inf`` or ``nan`` cannot be compared with the stored boxes)."""
    if raw.lstrip()[:1].isalpha():
        return raw
    try:
        values = [float(v) for v in raw.split(",")]
    except ValueError as exc:
        raise bad_request("bbox must be minx,miny,maxx,maxy or a WKT polygon") from exc
    if len(values) != 4 or not all(math.isfinite(v) and abs(v) <= MAX_COORD for v in values):
        raise bad_request("bbox must be four finite numbers minx,miny,maxx,maxy")
    return raw


def rows_in_order(
    db: Session, conn: Connection, chosen: list[int], groups: set[str], kind: AnnotationKind
) -> list[Any]:
    """The listing rows of ``chosen`` annotations, in that order."""
    rows: list[Any] = []
    page_rows = page_rows_statement(db, groups, kind)
    for start in range(0, len(chosen), 5000):
        rows += conn.execute(page_rows, {"pks": chosen[start : start + 5000]}).all()
    position = {pk: n for n, pk in enumerate(chosen)}
    rows.sort(key=lambda r: position[r[0]])
    return rows


def has_rtree(db: Session) -> bool:
    """SQLite with the 0002 R*Tree (kept in step by triggers): use it for bbox filters."""
    if db.get_bind().dialect.name != "sqlite":
        return False
    state = state_of(db)
    if state.rtree is None:
        state.rtree = bool(
            db.connection()
            .exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'annotation_rtree'")
            .first()
        )
    return state.rtree


_rtree = table(
    "annotation_rtree",
    column("id"),
    column("min_x"),
    column("max_x"),
    column("min_y"),
    column("max_y"),
)


def _bbox_conds(rtree: bool, bounds: tuple[float, float, float, float]) -> tuple[Any, Any]:
    """(overlaps ``bounds``, lies inside ``bounds``) as conditions on annotation rows.

    With SQLite's R*Tree both are answered by the tree (``pk IN (...)``), so only the
    matching rows are looked up; its boxes are rounded outwards to 32-bit floats, so
    "inside" may miss a row lying exactly on the edge, which then just gets the exact
    test.  Elsewhere the bbox columns are compared directly (b-tree ``image, min_x``).
    """
    minx, miny, maxx, maxy = bounds
    if rtree:
        r = _rtree.c
        over = and_(r.max_x >= minx, r.min_x <= maxx, r.max_y >= miny, r.min_y <= maxy)
        ins = and_(r.min_x >= minx, r.max_x <= maxx, r.min_y >= miny, r.max_y <= maxy)
        return (
            Annotation.pk.in_(select(r.id).where(over, ~ins)),
            Annotation.pk.in_(select(r.id).where(ins)),
        )
    over = and_(
        Annotation.max_x >= minx,
        Annotation.min_x <= maxx,
        Annotation.max_y >= miny,
        Annotation.min_y <= maxy,
    )
    ins = and_(
        Annotation.min_x >= minx,
        Annotation.min_y >= miny,
        Annotation.max_x <= maxx,
        Annotation.max_y <= maxy,
    )
    return and_(over, ~ins), ins


def spatial_page(
    conn: Any, rtree: bool, where: Any, exact: Any, desc: bool, max_: int, offset: int
) -> tuple[int, list[int]]:
    """(total, pks of the page) of the rows whose geometry intersects ``exact``.

    Rows whose bbox lies inside a rectangular query are hits without a geometry test;
    they are counted and paged in SQL.  Only the rows crossing the query's edges (or all
    candidates, for a non-rectangular WKT query) are decoded and tested with GEOS.
    """
    minx, miny, maxx, maxy = exact.bounds
    rect = bool(shapely.equals(exact, shapely.box(minx, miny, maxx, maxy)))
    crossing, inside = _bbox_conds(rtree, exact.bounds)
    order = Annotation.pk.desc() if desc else Annotation.pk.asc()
    hits: list[int] = []
    test = and_(where, crossing) if rect else and_(where, or_(crossing, inside))
    locs = conn.execute(select(Annotation.pk, Annotation.location).where(test)).all()
    if locs:
        geoms = shapely.from_wkb(np.asarray([x[1] for x in locs], dtype=object))
        keep = shapely.intersects(geoms, exact)
        hits = sorted((x[0] for x, k in zip(locs, keep, strict=True) if k), reverse=desc)
    if not rect:
        return len(hits), hits[offset : offset + max_] if max_ else hits[offset:]
    n_inside = conn.scalar(select(func.count()).select_from(Annotation).where(where, inside)) or 0
    top = select(Annotation.pk).where(where, inside).order_by(order)
    if max_:
        top = top.limit(offset + max_)
    firsts = [r[0] for r in conn.execute(top)]
    merged = heapq.merge(firsts, hits, reverse=desc)
    chosen = list(itertools.islice(merged, offset, offset + max_ if max_ else None))
    return n_inside + len(hits), chosen


_LOCATIONS = select(Annotation.pk, Annotation.location).where(
    Annotation.pk.in_(bindparam("pks", expanding=True))
)


def cached_page(
    db: Session,
    conn: Any,
    project_pk: int,
    image_pk: int,
    kind: AnnotationKind,
    exact: Any,
    desc: bool,
) -> np.ndarray | None:
    """Every hit's pk in page order, from the bbox index; None if the image is too big.

    Same rows as ``spatial_page``: bbox-sure rows plus the rest tested with GEOS.
    """
    x0, y0, x1, y1 = (float(v) for v in exact.bounds)
    bounds = (x0, y0, x1, y1)
    finite = all(math.isfinite(v) for v in bounds)
    rect = (
        finite
        and bounds[2] > bounds[0]
        and bounds[3] > bounds[1]
        and bool(shapely.equals(exact, shapely.box(*bounds)))
    )
    if not finite:
        return None
    found = state_of(db).spatial.viewport(
        conn,
        project_pk,
        image_pk,
        kind,
        bounds,
        rect,
    )
    if found is None:
        return None
    hits, unsure = found
    if len(unsure):
        tested: list[int] = []
        for start in range(0, len(unsure), 5000):
            part = unsure[start : start + 5000].tolist()
            locs = conn.execute(_LOCATIONS, {"pks": part}).all()
            if locs:
                geoms = shapely.from_wkb(np.asarray([x[1] for x in locs], dtype=object))
                keep = shapely.intersects(geoms, exact)
                tested += [x[0] for x, k in zip(locs, keep, strict=True) if k]
        if tested:
            hits = np.sort(np.concatenate([hits, np.asarray(tested, dtype=np.int64)]))
    return hits[::-1] if desc else hits
