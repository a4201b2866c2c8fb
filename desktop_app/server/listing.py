"""``GET /api/annotation.json``: Cytomine's annotation listing (section 4.1).

The query string is read through its wire model (``protocol.cytomine.annotation_query``).
Filters run in SQL (scope, user, term, created range), pagination too unless an exact
spatial test must run first (``listing_spatial``); rows are then written as JSON text by
``serial_listing.listing_json`` (no per-row dicts), with Core selects of only the
columns the requested groups need.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from sqlalchemy import ColumnElement, and_, exists, func, select, true
from sqlalchemy.orm import Session

from desktop_app.model.annotation import (
    Annotation,
    AnnotationKind,
    AnnotationTerm,
    ReviewedAnnotationTerm,
)
from desktop_app.model.image import AbstractImage, ImageInstance, SliceInstance
from desktop_app.protocol.cytomine.annotation_query import AnnotationQuery
from desktop_app.server.auth import Caller
from desktop_app.server.errors import bad_request
from desktop_app.server.geom import parse_bbox
from desktop_app.server.listing_relations import relation_conditions
from desktop_app.server.listing_spatial import (
    cached_page,
    finite_bbox,
    has_rtree,
    rows_in_order,
    spatial_page,
)
from desktop_app.server.rights_cache import require_project_access
from desktop_app.server.serial_annotation import image_geometry, remember_image_geometry
from desktop_app.server.serial_listing import listing_columns, listing_json
from desktop_app.server.wire import from_epoch_ms, paginate, parse_body


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
    raw: dict[str, Any] = {**request.query_params, **(extra or {})}
    q = parse_body(AnnotationQuery, raw)
    max_, offset = paginate(request)
    kind = AnnotationKind.REVIEWED if q.reviewed else AnnotationKind.USER
    kind = only or kind
    scope = _scope(db, caller, q)
    kinds = [kind]
    if kind is AnnotationKind.USER and q.includeAlgo:
        kinds.append(AnnotationKind.ALGO)
    cond = _conditions(q, scope, kinds)
    if region is not None or q.relative:
        cond += relation_conditions(db, caller, q, list(cond), region)
    exact = _bbox(db, q, scope)
    where = and_(*cond) if cond else true()
    desc = q.order == "desc"
    groups = q.groups()
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
            page = cached_page(db, conn, img_project, images[0], kind, exact, desc)
        if page is None:
            total, chosen = spatial_page(conn, has_rtree(db), where, exact, desc, max_, offset)
        else:
            total = len(page)
            chosen = page[offset : offset + max_ if max_ else None].tolist()
        rows = rows_in_order(db, conn, chosen, groups, kind)
    items = listing_json(db, rows, groups, kind, term_map)
    per_page = max_ if max_ > 0 else total
    pages = math.ceil(total / max_) if max_ > 0 else (1 if total else 0)
    return (
        f'{{"collection":[{",".join(items)}],"offset":{offset},"perPage":{per_page},'
        f'"size":{total},"totalPages":{pages}}}'
    )


def _scope(db: Session, caller: Caller, q: AnnotationQuery) -> _Scope:
    """The project, image and slice filters, each project they touch access-checked."""
    project, images, slices = q.project, q.image, q.slice
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


def _conditions(
    q: AnnotationQuery, scope: _Scope, kinds: list[AnnotationKind]
) -> list[ColumnElement[bool]]:
    """The SQL filters of the query string (kind and scope first, in that order)."""
    cond: list[ColumnElement[bool]] = [Annotation.kind.in_(kinds)]
    if scope.project is not None:
        cond.append(Annotation.project_pk == scope.project)
    if scope.images:
        cond.append(Annotation.image_pk.in_(scope.images))
    if scope.slices:
        cond.append(Annotation.slice_pk.in_(scope.slices))
    if q.user:
        cond.append(Annotation.user_pk.in_(q.user))
    if q.reviewUsers and kinds[0] is AnnotationKind.REVIEWED:
        cond.append(Annotation.review_user_pk.in_(q.reviewUsers))
    if q.notReviewedOnly:
        cond.append(Annotation.count_reviewed_annotations == 0)
    terms = q.term
    if terms:
        cond.append(
            exists().where(
                AnnotationTerm.annotation_pk == Annotation.pk, AnnotationTerm.term_pk.in_(terms)
            )
        )
    if q.noTerm:
        cond.append(~exists().where(AnnotationTerm.annotation_pk == Annotation.pk))
    if q.afterThan is not None:
        cond.append(Annotation.created > from_epoch_ms(q.afterThan, "afterThan"))
    if q.beforeThan is not None:
        cond.append(Annotation.created < from_epoch_ms(q.beforeThan, "beforeThan"))
    return cond


def _bbox(db: Session, q: AnnotationQuery, scope: _Scope) -> Any:
    """The ``bbox`` filter as a stored-coordinates polygon, or None without one."""
    if not q.bbox:
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
    exact = parse_bbox(finite_bbox(q.bbox), height)
    if exact.is_empty or not all(math.isfinite(b) for b in exact.bounds):
        raise bad_request("bbox must have finite coordinates")
    return exact


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
