"""Annotation queries and bulk writes: the hot paths of the cache.

The viewer asks "what is in this rectangle?" many times a second, so the viewport
query goes through the SQLite R*Tree (``annotation_rtree``, kept in step with the
``annotation`` table by triggers from migration 0002) and returns plain arrays: the
geometry is decoded for the whole page at once with shapely's vectorised WKB reader.
Bulk writes bypass the ORM unit of work (Core ``executemany``) because a million
ORM objects would cost minutes; they still append their command-log rows in the same
transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from desktop_app.core.geometry import bounds_many, to_wkb_many
from desktop_app.model.annotation import AnnotationKind, ReviewedAnnotationTerm
from desktop_app.model.base import SyncState, new_uids, utcnow
from desktop_app.model.sync import OpKind, OpState
from desktop_app.store.uow import UnitOfWork

# CROSS JOIN fixes SQLite's join order: the R*Tree drives, the table is probed by key.
# A reviewed annotation's terms are the reviewer's (reviewed_annotation_term), read
# only for the reviewed rows of the page (usually none), so the layer colours a
# reviewed copy by what the reviewer confirmed without a second R*Tree scan.
_VIEWPORT_SQL = text(
    """
    SELECT a.pk, a.location, a.kind, a.user_pk
    FROM annotation_rtree AS r CROSS JOIN annotation AS a ON a.pk = r.id
    WHERE r.max_x >= :x0 AND r.min_x <= :x1 AND r.max_y >= :y0 AND r.min_y <= :y1
      AND a.image_pk = :image_pk AND a.local_deleted = 0
    LIMIT :limit
    """
)

_VIEWPORT_TERMS_SQL = text(
    """
    SELECT t.annotation_pk, t.term_pk
    FROM annotation_rtree AS r
    CROSS JOIN annotation AS a ON a.pk = r.id
    CROSS JOIN annotation_term AS t ON t.annotation_pk = a.pk
    WHERE r.max_x >= :x0 AND r.min_x <= :x1 AND r.max_y >= :y0 AND r.min_y <= :y1
      AND a.image_pk = :image_pk AND a.local_deleted = 0 AND t.local_deleted = 0
    """
)


@dataclass(frozen=True, slots=True)
class ViewportPage:
    """Annotations intersecting a rectangle, as parallel arrays (cheap to hand to a view)."""

    pks: npt.NDArray[np.int64]
    geometries: npt.NDArray[np.object_]
    kinds: list[str]
    user_pks: npt.NDArray[np.int64]
    terms: dict[int, list[int]]
    truncated: bool

    def __len__(self) -> int:
        return len(self.pks)


def query_viewport(
    session: Session,
    image_pk: int,
    rect: tuple[float, float, float, float],
    *,
    limit: int = 200_000,
    with_terms: bool = True,
) -> ViewportPage:
    """Annotations of ``image_pk`` whose bounding box meets ``rect`` = (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = rect
    params = {"x0": x0, "y0": y0, "x1": x1, "y1": y1, "image_pk": image_pk}
    rows = session.execute(_VIEWPORT_SQL, {**params, "limit": limit + 1}).all()
    truncated = len(rows) > limit
    rows = rows[:limit]
    pks = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    blobs = np.array([r[1] for r in rows], dtype=object)
    geoms = shapely.from_wkb(blobs) if len(rows) else np.empty(0, dtype=object)
    terms: dict[int, list[int]] = {}
    if with_terms and len(rows):
        for ann_pk, term_pk in session.execute(_VIEWPORT_TERMS_SQL, params):
            terms.setdefault(ann_pk, []).append(term_pk)
        reviewed = [r[0] for r in rows if r[2] == AnnotationKind.REVIEWED.value]
        if reviewed:
            links = select(
                ReviewedAnnotationTerm.reviewed_annotation_pk, ReviewedAnnotationTerm.term_pk
            ).where(ReviewedAnnotationTerm.reviewed_annotation_pk.in_(reviewed))
            for ann_pk, term_pk in session.execute(links):
                terms.setdefault(ann_pk, []).append(term_pk)
    return ViewportPage(
        pks=pks,
        geometries=geoms,
        kinds=[r[2] for r in rows],
        user_pks=np.fromiter((r[3] for r in rows), dtype=np.int64, count=len(rows)),
        terms=terms,
        truncated=truncated,
    )


def geometry_columns(geom: BaseGeometry) -> dict[str, Any]:
    """The stored form of one validated geometry: WKB, type, bbox, area, perimeter."""
    min_x, min_y, max_x, max_y = geom.bounds
    return {
        "location": shapely.to_wkb(geom),
        "geometry_type": geom.geom_type,
        "min_x": min_x,
        "min_y": min_y,
        "max_x": max_x,
        "max_y": max_y,
        "area": float(geom.area),
        "perimeter": float(geom.length),
    }


# Plain constant statements for the driver's executemany (no SQL is ever formatted).
_INSERT_ANNOTATION = (
    "INSERT INTO annotation (pk, uid, kind, project_pk, image_pk, user_pk, location, "
    "geometry_type, min_x, min_y, max_x, max_y, area, perimeter, area_unit, perimeter_unit, "
    "count_reviewed_annotations, nb_comments, created, dirty_fields, local_deleted, sync_state) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
#: Highest key ever used (AUTOINCREMENT keeps it in sqlite_sequence: keys are never reused).
_NEXT_PK = (
    "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'annotation'), 0), "
    "coalesce((SELECT max(pk) FROM annotation), 0))"
)
_NEXT_LINK_PK = (
    "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'annotation_term'), 0), "
    "coalesce((SELECT max(pk) FROM annotation_term), 0))"
)
#: A cache whose tables predate AUTOINCREMENT has no sqlite_sequence: fall back to max(pk).
_HAS_SEQUENCE = "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'"
_MAX_PK = "SELECT max(pk) FROM annotation"
_MAX_LINK_PK = "SELECT max(pk) FROM annotation_term"
_TRIGGER_SQL = (
    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'annotation_rtree_insert'"
)
_FILL_RTREE = (
    "INSERT INTO annotation_rtree (id, min_x, max_x, min_y, max_y) "
    "SELECT pk, min_x, max_x, min_y, max_y FROM annotation WHERE pk >= ?"
)
#: Level-0 px per cell of the persisted density grid (migration 0003 uses the same).
DENSITY_CELL = 128
_DENSITY_TRIGGER_SQL = (
    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'annotation_density_insert'"
)
_ADD_DENSITY = (
    "INSERT INTO annotation_density (image_pk, ix, iy, n) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (image_pk, ix, iy) DO UPDATE SET n = n + excluded.n"
)
_READ_DENSITY = "SELECT ix, iy, n FROM annotation_density WHERE image_pk = ? AND n > 0"
_HAS_DENSITY = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'annotation_density'"


def sqlite_cursor(session: Session) -> sqlite3.Cursor:
    """A cursor on the session's own sqlite3 connection (same transaction), for the bulk
    statements that skip SQLAlchemy's per-row overhead."""
    driver = session.connection().connection.driver_connection
    if not isinstance(driver, sqlite3.Connection):
        raise TypeError("bulk annotation statements need the SQLite cache")
    return driver.cursor()


def density_cells(session: Session, image_pk: int) -> npt.NDArray[np.int64] | None:
    """The persisted density grid of ``image_pk`` as (ix, iy, n) rows, ``DENSITY_CELL`` px
    cells; O(non-empty cells), never O(annotations).  ``None`` when the cache has no
    density table (a schema before 0003)."""
    cursor = sqlite_cursor(session)
    try:
        if cursor.execute(_HAS_DENSITY).fetchone() is None:
            return None
        rows = cursor.execute(_READ_DENSITY, (image_pk,)).fetchall()
    finally:
        cursor.close()
    if not rows:
        return np.empty((0, 3), dtype=np.int64)
    return np.array(rows, dtype=np.int64)


def density_counts(
    image_pk: int, bounds: npt.NDArray[np.float64]
) -> list[tuple[int, int, int, int]]:
    """(image_pk, ix, iy, n) for live annotations with these bboxes: the cell of each
    is its top-left corner, truncated toward zero exactly as the SQL triggers do."""
    if not len(bounds):
        return []
    cells = np.trunc(np.asarray(bounds)[:, :2] / float(DENSITY_CELL)).astype(np.int64)
    uniq, counts = np.unique(cells, axis=0, return_counts=True)
    return [
        (image_pk, int(ix), int(iy), int(n))
        for (ix, iy), n in zip(uniq.tolist(), counts.tolist(), strict=True)
    ]


_INSERT_TERM = (
    "INSERT INTO annotation_term (pk, uid, annotation_pk, term_pk, user_pk, created, "
    "dirty_fields, local_deleted, sync_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_OP = (
    "INSERT INTO command_log (op_uid, action_uid, project_pk, entity_type, entity_pk, "
    "entity_uid, kind, payload, inverse, op_schema, state, attempts, user_pk, created) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def bulk_create(uow: UnitOfWork, **kwargs: Any) -> int:
    """:func:`bulk_create_keys`, returning only how many annotations were written."""
    return len(bulk_create_keys(uow, **kwargs))


def bulk_create_keys(
    uow: UnitOfWork,
    *,
    project_pk: int,
    image_pk: int,
    user_pk: int,
    geometries: Sequence[BaseGeometry] | npt.NDArray[np.object_],
    term_pks: Sequence[Sequence[int]] | None = None,
    kind: AnnotationKind = AnnotationKind.USER,
    chunk: int = 50_000,
) -> range:
    """Insert many (already validated) annotations with their term links; returns their
    keys, in the order of ``geometries``.

    Every row written here gets its outbox op in the same statement batch (a ``create``
    per annotation, an ``add_term`` per link), and the key ranges are declared to the
    unit of work, whose commit check refuses a pending row without an op.  Runs inside
    the caller's transaction: the whole import is one action, committed (and undoable)
    as a whole.  Rows go straight to the sqlite3 driver's ``executemany``: per-row ORM
    and type processing would cost minutes for a million annotations.  Values are
    pre-serialised the way SQLAlchemy stores them (UTC timestamps as text, enums by
    value, JSON as text).
    """
    session = uow.session
    geoms = np.asarray(geometries, dtype=object)
    total = len(geoms)
    # Keys are assigned here so term links and ops can be written in bulk too.
    has_sequence = session.execute(text(_HAS_SEQUENCE)).first() is not None
    next_pk = (session.execute(text(_NEXT_PK if has_sequence else _MAX_PK)).scalar() or 0) + 1
    first_link = (
        session.execute(text(_NEXT_LINK_PK if has_sequence else _MAX_LINK_PK)).scalar() or 0
    ) + 1
    next_link = first_link
    created = utcnow().replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    ops = _OpWriter(uow.action_uid, project_pk, user_pk, created)
    cursor = sqlite_cursor(session)
    pending, user_kind = SyncState.PENDING.value, kind.value
    # The R*Tree trigger costs ~80 µs a row; filling the index with one INSERT…SELECT
    # afterwards is ~6x faster.  DDL is transactional in SQLite, so the trigger is back
    # (and the index complete) in the same commit, or neither happens.
    trigger_sql = cursor.execute(_TRIGGER_SQL).fetchone()
    if trigger_sql is not None:
        cursor.execute("DROP TRIGGER annotation_rtree_insert")
    # Same for the density grid's trigger: per chunk, one numpy count and a few
    # hundred upserts instead of an upsert per row.
    density_sql = cursor.execute(_DENSITY_TRIGGER_SQL).fetchone()
    if density_sql is not None:
        cursor.execute("DROP TRIGGER annotation_density_insert")
    for start in range(0, total, chunk):
        part = geoms[start : start + chunk]
        wkb = to_wkb_many(part)
        bounds_arr = bounds_many(part)
        bounds = bounds_arr.tolist()
        if density_sql is not None:
            cursor.executemany(_ADD_DENSITY, density_counts(image_pk, bounds_arr))
        areas = shapely.area(part).tolist()
        lengths = shapely.length(part).tolist()
        types = shapely.get_type_id(part).tolist()
        pks = range(next_pk + start, next_pk + start + len(part))
        uids = new_uids(len(part))
        cursor.executemany(
            _INSERT_ANNOTATION,
            [
                (
                    pk,
                    uid,
                    user_kind,
                    project_pk,
                    image_pk,
                    user_pk,
                    wkb[i],
                    _TYPE_NAMES[types[i]],
                    *bounds[i],
                    areas[i],
                    lengths[i],
                    "PIXELS²",
                    "PIXELS",
                    0,
                    0,
                    created,
                    "[]",
                    0,
                    pending,
                )
                for i, (pk, uid) in enumerate(zip(pks, uids, strict=True))
            ],
        )
        ops.write(cursor, "annotation", OpKind.CREATE, zip(pks, uids, strict=True))
        if term_pks is not None:
            chunk_terms = term_pks[start : start + chunk]
            links = [(pk, t) for pk, ts in zip(pks, chunk_terms, strict=True) for t in ts]
            link_pks = range(next_link, next_link + len(links))
            link_uids = new_uids(len(links))
            next_link += len(links)
            cursor.executemany(
                _INSERT_TERM,
                [
                    (link_pk, link_uid, pk, t, user_pk, created, "[]", 0, pending)
                    for link_pk, link_uid, (pk, t) in zip(link_pks, link_uids, links, strict=True)
                ],
            )
            ops.write(
                cursor, "annotation_term", OpKind.ADD_TERM, zip(link_pks, link_uids, strict=True)
            )
    if trigger_sql is not None:
        cursor.execute(_FILL_RTREE, (next_pk,))
        cursor.execute(trigger_sql[0])
    if density_sql is not None:
        cursor.execute(density_sql[0])
    cursor.close()
    uow.wrote("annotation", next_pk, next_pk + total - 1)
    uow.wrote("annotation_term", first_link, next_link - 1)
    return range(next_pk, next_pk + total)


@dataclass(frozen=True, slots=True)
class _OpWriter:
    """Outbox rows for bulk-inserted rows: one op per row, written with ``executemany``."""

    action_uid: str
    project_pk: int
    user_pk: int
    created: str

    def write(
        self, cursor: Any, entity_type: str, kind: OpKind, rows: Iterable[tuple[int, str]]
    ) -> None:
        state, items = OpState.PENDING.value, list(rows)
        batch = [
            (
                op_uid,
                self.action_uid,
                self.project_pk,
                entity_type,
                pk,
                uid,
                kind.value,
                "{}",
                "{}",
                1,
                state,
                0,
                self.user_pk,
                self.created,
            )
            for op_uid, (pk, uid) in zip(new_uids(len(items)), items, strict=True)
        ]
        cursor.executemany(_INSERT_OP, batch)


_TYPE_NAMES = {
    0: "Point",
    1: "LineString",
    2: "LinearRing",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
    7: "GeometryCollection",
}
