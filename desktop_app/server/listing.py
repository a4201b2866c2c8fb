"""``GET /api/annotation.json``: Cytomine's annotation listing (section 4.1).

Filters run in SQL (scope, user, term, created range, bbox pre-filter on the bbox
columns), pagination too unless an exact spatial test must run first; rows are then
serialised in bulk by ``serial_annotation.listing_rows``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from fastapi import Request
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation, AnnotationKind, AnnotationTerm
from desktop_app.model.image import ImageInstance, SliceInstance
from desktop_app.server.auth import Caller
from desktop_app.server.errors import bad_request
from desktop_app.server.geom import parse_bbox
from desktop_app.server.rights import require_project
from desktop_app.server.serial_annotation import LIST_COLUMNS, image_geometry, listing_rows
from desktop_app.server.wire import as_bool, as_int, int_list, list_envelope, paginate

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


def list_annotations(db: Session, caller: Caller, request: Request) -> dict[str, Any]:
    q = request.query_params
    max_, offset = paginate(request)
    kind = AnnotationKind.REVIEWED if as_bool(q.get("reviewed")) else AnnotationKind.USER
    project = as_int(q.get("project"), "project")
    images = int_list(q.get("images") or q.get("image"), "image")
    slices = int_list(q.get("slices") or q.get("slice"), "slice")
    if project is None and not images and not slices:
        raise bad_request("There is no project or image or slice filter")
    projects: set[int] = set()
    if project is not None:
        projects.add(project)
    if slices:
        for s_pk in slices:
            s = db.get(SliceInstance, s_pk)
            if s is None:
                raise bad_request(f"Slice {s_pk} does not exist")
            projects.add(s.project_pk)
    if images:
        for _i_pk, p_pk in db.execute(
            select(ImageInstance.pk, ImageInstance.project_pk).where(ImageInstance.pk.in_(images))
        ):
            projects.add(p_pk)
    for p_pk in projects:
        require_project(db, caller, p_pk)

    kinds = [kind]
    if kind is AnnotationKind.USER and as_bool(q.get("includeAlgo"), False):
        kinds.append(AnnotationKind.ALGO)
    cond = [Annotation.kind.in_(kinds)]
    if project is not None:
        cond.append(Annotation.project_pk == project)
    if images:
        cond.append(Annotation.image_pk.in_(images))
    if slices:
        cond.append(Annotation.slice_pk.in_(slices))
    users = int_list(q.get("users") or q.get("user"), "user")
    if users:
        cond.append(Annotation.user_pk.in_(users))
    review_users = int_list(q.get("reviewUsers"), "reviewUsers")
    if review_users and kind is AnnotationKind.REVIEWED:
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
    from datetime import UTC, datetime

    for param, op in (("afterThan", "gt"), ("beforeThan", "lt")):
        v = as_int(q.get(param), param)
        if v is not None:
            when = datetime.fromtimestamp(v / 1000, UTC)
            cond.append(Annotation.created > when if op == "gt" else Annotation.created < when)
    exact = None
    if q.get("bbox"):
        if len(images) != 1 and not slices:
            raise bad_request("bbox needs exactly one image")
        image_pk = images[0] if images else db.get(SliceInstance, slices[0]).image_pk  # type: ignore[union-attr]
        _, height, _ = image_geometry(db, image_pk)
        exact = parse_bbox(q["bbox"], height)
        minx, miny, maxx, maxy = exact.bounds
        cond.append(
            and_(
                Annotation.max_x >= minx,
                Annotation.min_x <= maxx,
                Annotation.max_y >= miny,
                Annotation.min_y <= maxy,
            )
        )
    where = and_(*cond) if cond else or_(True)
    order = Annotation.pk.desc() if q.get("order", "desc") == "desc" else Annotation.pk.asc()
    stmt = select(*LIST_COLUMNS).where(where).order_by(order)
    if exact is None:
        total = db.scalar(select(func.count()).select_from(Annotation).where(where)) or 0
        if max_:
            stmt = stmt.limit(max_)
        if offset:
            stmt = stmt.offset(offset)
        rows = list(db.execute(stmt))
    else:
        # Candidates by bbox overlap; only those crossing the query's bbox need the exact
        # (GEOS) test, and full rows are fetched for the requested page only.
        cand = list(
            db.execute(
                select(
                    Annotation.pk,
                    Annotation.min_x,
                    Annotation.min_y,
                    Annotation.max_x,
                    Annotation.max_y,
                )
                .where(where)
                .order_by(order)
            )
        )
        inside = [r[1] >= minx and r[2] >= miny and r[3] <= maxx and r[4] <= maxy for r in cand]
        border = [r[0] for r, ok in zip(cand, inside, strict=True) if not ok]
        hits: set[int] = set()
        for start in range(0, len(border), 5000):
            part = border[start : start + 5000]
            locs = list(
                db.execute(
                    select(Annotation.pk, Annotation.location).where(Annotation.pk.in_(part))
                )
            )
            if locs:
                geoms = shapely.from_wkb(np.asarray([x[1] for x in locs], dtype=object))
                keep = shapely.intersects(geoms, exact)
                hits |= {x[0] for x, k in zip(locs, keep, strict=True) if k}
        pks = [r[0] for r, ok in zip(cand, inside, strict=True) if ok or r[0] in hits]
        total = len(pks)
        chosen = pks[offset : offset + max_] if max_ else pks[offset:]
        rows = []
        for start in range(0, len(chosen), 5000):
            rows += list(
                db.execute(
                    select(*LIST_COLUMNS).where(Annotation.pk.in_(chosen[start : start + 5000]))
                )
            )
        position = {pk: n for n, pk in enumerate(chosen)}
        rows.sort(key=lambda r: position[r[0]])
    return list_envelope(listing_rows(db, rows, groups_from(q), kind), total, max_, offset)
