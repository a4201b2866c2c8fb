"""``GET /api/annotation.json``: Cytomine's annotation listing (section 4.1).

Filters run in SQL (scope, user, term, created range, bbox pre-filter on the bbox
columns), pagination too unless an exact spatial test must run first; rows are then
written as JSON text by ``serial_listing.listing_json`` (no per-row dicts), with
Core selects of only the columns the requested groups need.  Bbox filters use SQLite's
R*Tree when present and count/page the rows lying inside a rectangular query in SQL;
only rows crossing its edges get an exact GEOS test.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from fastapi import Request
from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    bindparam,
    column,
    exists,
    func,
    or_,
    select,
    table,
    true,
)
from sqlalchemy.orm import Session

from desktop_app.model.annotation import (
    Annotation,
    AnnotationKind,
    AnnotationTerm,
    ReviewedAnnotationTerm,
)
from desktop_app.model.image import AbstractImage, ImageInstance, SliceInstance
from desktop_app.server.auth import Caller
from desktop_app.server.errors import bad_request
from desktop_app.server.geom import parse_bbox
from desktop_app.server.listing_relations import PARAMS as RELATION_PARAMS
from desktop_app.server.listing_relations import relation_conditions
from desktop_app.server.rights_cache import require_project_access
from desktop_app.server.serial_annotation import image_geometry, remember_image_geometry
from desktop_app.server.serial_listing import listing_columns, listing_json, page_rows_statement
from desktop_app.server.state import state_of
from desktop_app.server.wire import as_bool, as_int, from_epoch_ms, int_list, paginate

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


DEFAULT_GROUPS = {"basic", "meta", "term"}
GROUPS = ("basic", "meta", "wkt", "gis", "term", "user", "image", "slice", "track")


def groups_from(q: Any) -> set[str]:
    groups = set(DEFAULT_GROUPS)
    if as_bool(q.get("showDefault")):
        groups |= DEFAULT_GROUPS
    for g in GROUPS:
        name = g.upper() if g in ("wkt", "gis") else g.capitalize()
        if as_bool(q.get(f"show{name}")):
            groups.add(g)
        if as_bool(q.get(f"hide{name}")):
            groups.discard(g)
    return groups


@dataclass(slots=True)
class _Scope:
    """The project/image/slice filters of a listing, access already checked."""

    project: int | None
    images: list[int]
    slices: list[int]
    image_projects: dict[int, int]  # image -> its project, for the images filter


def list_annotations(
    db: Session,
    caller: Caller,
    request: Request,
    extra: dict[str, str] | None = None,
    region: Any = None,
    only: AnnotationKind | None = None,
) -> str:
    """The listing page as JSON text (``{"collection", "offset", "perPage", ...}``).

    ``extra`` adds query parameters (a route's path ids); ``region`` (stored
    coordinates) keeps only annotations inside it (``listing_relations``); ``only``
    lists that one kind (reviewed or algo annotations).
    """
    q: Any = {**request.query_params, **(extra or {})}
    max_, offset = paginate(request)
    kind = AnnotationKind.REVIEWED if as_bool(q.get("reviewed")) else AnnotationKind.USER
    kind = only or kind
    scope = _scope(db, caller, q)
    kinds = [kind]
    if kind is AnnotationKind.USER and as_bool(q.get("includeAlgo"), False):
        kinds.append(AnnotationKind.ALGO)
    cond = _conditions(q, scope, kinds)
    if region is not None or any(q.get(p) for p in RELATION_PARAMS):
        cond += relation_conditions(db, caller, q, list(cond), region)
    exact = _bbox(db, q, scope)
    where = and_(*cond) if cond else true()
    desc = q.get("order", "desc") == "desc"
    groups = groups_from(q)
    conn = db.connection()
    term_map = None
    if exact is None:
        order = Annotation.pk.desc() if desc else Annotation.pk.asc()
        stmt = select(*listing_columns(db, groups, kind)).where(where).order_by(order)
        if max_:
            stmt = stmt.limit(max_)
        if offset:
            stmt = stmt.offset(offset)
        rows: list[Any] = list(conn.execute(stmt).all())
        if not max_ and not offset:
            total = len(rows)
        elif rows and (not max_ or len(rows) < max_):
            total = offset + len(rows)  # the last page: no need to count
        else:
            total = conn.scalar(select(func.count()).select_from(Annotation).where(where)) or 0
        if "term" in groups and not max_ and not offset and len(rows) > 5000:
            term_map = _terms_joined(conn, where, kind)
    else:
        # The viewer's query (one image, one kind, nothing else) is answered from the
        # app's bbox index (``spatial_cache``); any other filter goes to SQL.
        # ``cond`` then holds only kind, image and perhaps the image's own project.
        images = scope.images
        img_project = scope.image_projects.get(images[0]) if len(images) == 1 else None
        simple = (
            scope.project in (None, img_project)
            and not scope.slices
            and len(kinds) == 1
            and len(cond) == 2 + (scope.project is not None)
        )
        page = None
        if simple and img_project is not None:
            page = _cached_page(db, conn, img_project, images[0], kind, exact, desc)
        if page is None:
            total, chosen = _spatial_page(conn, _has_rtree(db), where, exact, desc, max_, offset)
        else:
            total = len(page)
            chosen = page[offset : offset + max_ if max_ else None].tolist()
        rows = _rows_in_order(db, conn, chosen, groups, kind)
    items = listing_json(db, rows, groups, kind, term_map)
    per_page = max_ if max_ > 0 else total
    pages = math.ceil(total / max_) if max_ > 0 else (1 if total else 0)
    return (
        f'{{"collection":[{",".join(items)}],"offset":{offset},"perPage":{per_page},'
        f'"size":{total},"totalPages":{pages}}}'
    )


def _scope(db: Session, caller: Caller, q: Any) -> _Scope:
    """The project, image and slice filters, each project they touch access-checked."""
    project = as_int(q.get("project"), "project")
    images = int_list(q.get("images") or q.get("image"), "image")
    slices = int_list(q.get("slices") or q.get("slice"), "slice")
    if project is None and not images and not slices:
        raise bad_request("There is no project or image or slice filter")
    projects: set[int] = set()
    if project is not None:
        projects.add(project)
    for s_pk in slices:
        s = db.get(SliceInstance, s_pk)
        if s is None:
            raise bad_request(f"Slice {s_pk} does not exist")
        projects.add(s.project_pk)
    image_projects: dict[int, int] = {}
    if images:
        # Sizes too: the page's serialisation needs them (one statement, not two).
        for i_pk, p_pk, width, height, mpp in db.execute(
            select(
                ImageInstance.pk,
                ImageInstance.project_pk,
                AbstractImage.width,
                AbstractImage.height,
                AbstractImage.physical_size_x,
            )
            .join(AbstractImage, AbstractImage.pk == ImageInstance.base_image_pk)
            .where(ImageInstance.pk.in_(images))
        ):
            projects.add(p_pk)
            image_projects[i_pk] = p_pk
            remember_image_geometry(db, i_pk, (int(width), int(height), mpp))
    for p_pk in projects:
        require_project_access(db, caller, p_pk)
    return _Scope(project, images, slices, image_projects)


def _conditions(q: Any, scope: _Scope, kinds: list[AnnotationKind]) -> list[ColumnElement[bool]]:
    """The SQL filters of the query string (kind and scope first, in that order)."""
    cond: list[ColumnElement[bool]] = [Annotation.kind.in_(kinds)]
    if scope.project is not None:
        cond.append(Annotation.project_pk == scope.project)
    if scope.images:
        cond.append(Annotation.image_pk.in_(scope.images))
    if scope.slices:
        cond.append(Annotation.slice_pk.in_(scope.slices))
    users = int_list(q.get("users") or q.get("user"), "user")
    if users:
        cond.append(Annotation.user_pk.in_(users))
    review_users = int_list(q.get("reviewUsers"), "reviewUsers")
    if review_users and kinds[0] is AnnotationKind.REVIEWED:
        cond.append(Annotation.review_user_pk.in_(review_users))
    if as_bool(q.get("notReviewedOnly")):
        cond.append(Annotation.count_reviewed_annotations == 0)
    terms = int_list(q.get("terms") or q.get("term"), "term")
    if terms:
        cond.append(
            exists().where(
                AnnotationTerm.annotation_pk == Annotation.pk, AnnotationTerm.term_pk.in_(terms)
            )
        )
    if as_bool(q.get("noTerm")):
        cond.append(~exists().where(AnnotationTerm.annotation_pk == Annotation.pk))
    after = as_int(q.get("afterThan"), "afterThan")
    if after is not None:
        cond.append(Annotation.created > from_epoch_ms(after, "afterThan"))
    before = as_int(q.get("beforeThan"), "beforeThan")
    if before is not None:
        cond.append(Annotation.created < from_epoch_ms(before, "beforeThan"))
    return cond


def _bbox(db: Session, q: Any, scope: _Scope) -> Any:
    """The ``bbox`` filter as a stored-coordinates polygon, or None without one."""
    if not q.get("bbox"):
        return None
    if len(scope.images) != 1 and not scope.slices:
        raise bad_request("bbox needs exactly one image")
    if scope.images:
        image_pk = scope.images[0]
    else:
        first = db.get(SliceInstance, scope.slices[0])
        if first is None:  # _scope checked every slice
            raise bad_request(f"Slice {scope.slices[0]} does not exist")
        image_pk = first.image_pk
    _, height, _ = image_geometry(db, image_pk)
    exact = parse_bbox(finite_bbox(q["bbox"]), height)
    if exact.is_empty or not all(math.isfinite(b) for b in exact.bounds):
        raise bad_request("bbox must have finite coordinates")
    return exact


def _rows_in_order(
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


def _has_rtree(db: Session) -> bool:
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


def _spatial_page(
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


def _cached_page(
    db: Session,
    conn: Any,
    project_pk: int,
    image_pk: int,
    kind: AnnotationKind,
    exact: Any,
    desc: bool,
) -> np.ndarray | None:
    """Every hit's pk in page order, from the bbox index; None if the image is too big.

    Same rows as ``_spatial_page``: bbox-sure rows plus the rest tested with GEOS.
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


def _terms_joined(conn: Any, where: Any, kind: AnnotationKind) -> dict[int, list[tuple[int, int]]]:
    """annotation pk -> [(term, user)] for every row matching ``where``, in one query."""
    out: dict[int, list[tuple[int, int]]] = defaultdict(list)
    if kind is AnnotationKind.REVIEWED:
        reviewed = select(
            ReviewedAnnotationTerm.reviewed_annotation_pk, ReviewedAnnotationTerm.term_pk
        ).join(Annotation, Annotation.pk == ReviewedAnnotationTerm.reviewed_annotation_pk)
        for a, t in conn.execute(reviewed.where(where)):
            out[a].append((t, 0))
    else:
        linked = select(
            AnnotationTerm.annotation_pk, AnnotationTerm.term_pk, AnnotationTerm.user_pk
        ).join(Annotation, Annotation.pk == AnnotationTerm.annotation_pk)
        for a, t, u in conn.execute(linked.where(where)):
            out[a].append((t, u))
    return out
