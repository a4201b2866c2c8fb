"""Annotation JSON: one object (section 3.6) and listing rows as dicts (bulk pull).

Works on plain row tuples and vectorised geometry conversion where it serialises many
rows; the 4.1 listing route's own JSON-text fast path is ``serial_listing``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import BindParameter, bindparam, select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import (
    CYTOMINE_CLASS,
    Annotation,
    AnnotationKind,
    AnnotationTerm,
    ReviewedAnnotationTerm,
)
from desktop_app.model.image import AbstractImage, ImageInstance
from desktop_app.server.db import transaction_note
from desktop_app.server.geom import to_wire_many
from desktop_app.server.wire import ms, ms_str

Json = dict[str, Any]


def image_geometry(db: Session, image_pk: int) -> tuple[int, int, float | None]:
    """(width, height, mpp) of an image instance, read once per request (session)."""
    memo: dict[int, tuple[int, int, float | None]] = db.info.setdefault("image_geometry", {})
    hit = memo.get(image_pk)
    if hit is None:
        row = db.execute(
            select(AbstractImage.width, AbstractImage.height, AbstractImage.physical_size_x)
            .join(ImageInstance, ImageInstance.base_image_pk == AbstractImage.pk)
            .where(ImageInstance.pk == image_pk)
        ).one()
        hit = memo[image_pk] = (int(row[0]), int(row[1]), row[2])
    return hit


def remember_image_geometry(
    db: Session, image_pk: int, geometry: tuple[int, int, float | None]
) -> None:
    """Seed ``image_geometry``'s per-request memo from a query that read it anyway."""
    db.info.setdefault("image_geometry", {})[image_pk] = geometry


_PKS: BindParameter[list[int]] = bindparam("pks", expanding=True)
#: Prebuilt (building an IN of many values per request costs more than running it).
_TERMS = select(AnnotationTerm.annotation_pk, AnnotationTerm.term_pk, AnnotationTerm.user_pk).where(
    AnnotationTerm.annotation_pk.in_(_PKS)
)
_REVIEWED_TERMS = select(
    ReviewedAnnotationTerm.reviewed_annotation_pk, ReviewedAnnotationTerm.term_pk
).where(ReviewedAnnotationTerm.reviewed_annotation_pk.in_(_PKS))


def terms_of(db: Session, pks: list[int], kind: AnnotationKind) -> dict[int, list[tuple[int, int]]]:
    """annotation pk -> [(term, user)] (reviewed: the confirmed terms, user 0)."""
    out: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for chunk in range(0, len(pks), 5000):
        part = {"pks": pks[chunk : chunk + 5000]}
        if kind is AnnotationKind.REVIEWED:
            for a, t in db.execute(_REVIEWED_TERMS, part):
                out[a].append((t, 0))
        else:
            for a, t, u in db.execute(_TERMS, part):
                out[a].append((t, u))
    return out


def units(area: float, perimeter: float, mpp: float | None) -> tuple[float, str, float, str]:
    if mpp:
        return area * mpp * mpp, "MICRON_SQUARED", perimeter * mpp / 1000.0, "MM"
    return area, "PIXELS_SQUARED", perimeter, "PIXEL"


def annotation_json(db: Session, a: Annotation) -> Json:
    """The full object, as GET /api/annotation/{id}.json and command envelopes give it."""
    width, height, mpp = image_geometry(db, a.image_pk)
    fresh = transaction_note(db, "fresh_terms", create=False).get(a.pk)  # just created
    if fresh is not None:
        term_pks = fresh
    else:
        term_pks = sorted({t for t, _ in terms_of(db, [a.pk], a.kind).get(a.pk, [])})
    area, area_unit, perim, perim_unit = units(a.area, a.perimeter, mpp)
    cx, cy = (a.min_x + a.max_x) / 2, (a.min_y + a.max_y) / 2
    out: Json = {
        "class": CYTOMINE_CLASS[a.kind],
        "id": a.pk,
        "created": ms_str(a.created),
        "updated": ms_str(a.updated),
        "deleted": None,
        "uid": a.uid,
        "slice": a.slice_pk,
        "image": a.image_pk,
        "project": a.project_pk,
        "user": a.user_pk,
        "location": to_wire_many([a.location], [height])[0],
        "geometryCompression": a.geometry_compression or 0.0,
        "centroid": {"x": cx, "y": height - cy},
        "area": area,
        "areaUnit": area_unit,
        "perimeter": perim,
        "perimeterUnit": perim_unit,
        "term": term_pks,
        "nbComments": a.nb_comments,
        "cropURL": f"{db.info.get('base_url', '')}/api/userannotation/{a.pk}/crop.png",
        "smallCropURL": f"/api/userannotation/{a.pk}/crop.png?maxSize=256",
        "url": f"/api/userannotation/{a.pk}/crop.png",
        "imageURL": f"/#/project/{a.project_pk}/image/{a.image_pk}/annotation/{a.pk}",
        "reviewed": a.count_reviewed_annotations > 0,
    }
    if a.kind is AnnotationKind.REVIEWED:
        out.update(
            {
                "parentIdent": a.parent_ident,
                "parentClassName": a.parent_class_name,
                "status": a.status,
                "reviewUser": a.review_user_pk,
                "terms": out["term"],
                "reviewed": True,
            }
        )
    return out


#: Listing columns fetched per row, in this order.
LIST_COLUMNS = (
    Annotation.pk,
    Annotation.uid,
    Annotation.created,
    Annotation.updated,
    Annotation.image_pk,
    Annotation.slice_pk,
    Annotation.project_pk,
    Annotation.user_pk,
    Annotation.location,
    Annotation.geometry_compression,
    Annotation.area,
    Annotation.perimeter,
    Annotation.min_x,
    Annotation.min_y,
    Annotation.max_x,
    Annotation.max_y,
    Annotation.count_reviewed_annotations,
    Annotation.nb_comments,
    Annotation.parent_ident,
    Annotation.review_user_pk,
    Annotation.kind,
)


def listing_rows(
    db: Session, rows: list[Any], groups: set[str], kind: AnnotationKind
) -> list[Json]:
    """Serialise listing rows with Cytomine's column groups (basic, meta, wkt, gis, term)."""
    if not rows:
        return []
    images = {r[4] for r in rows}
    dims = {i: image_geometry(db, i) for i in images}
    wkts = (
        to_wire_many([r[8] for r in rows], [dims[r[4]][1] for r in rows])
        if "wkt" in groups
        else None
    )
    terms = terms_of(db, [r[0] for r in rows], kind) if "term" in groups else {}
    cls = CYTOMINE_CLASS[kind]
    root = db.info.get("base_url", "")
    out: list[Json] = []
    for n, r in enumerate(rows):
        js: Json = {"class": cls, "id": r[0]}
        if "meta" in groups:
            js.update(
                {
                    "created": ms(r[2]),
                    "updated": ms(r[3]),
                    "image": r[4],
                    "slice": r[5],
                    "project": r[6],
                    "user": r[7],
                    "nbComments": r[17],
                    "countReviewedAnnotations": r[16],
                    "reviewed": kind is AnnotationKind.REVIEWED or r[16] > 0,
                    "uid": r[1],
                    "cropURL": f"{root}/api/userannotation/{r[0]}/crop.png",
                    "smallCropURL": f"/api/userannotation/{r[0]}/crop.png?maxSize=256",
                    "url": f"/api/userannotation/{r[0]}/crop.png",
                    "imageURL": f"/#/project/{r[6]}/image/{r[4]}/annotation/{r[0]}",
                }
            )
            if kind is AnnotationKind.REVIEWED:
                js["parentIdent"] = r[18]
                js["reviewUser"] = r[19]
        if wkts is not None:
            js["location"] = wkts[n]
            js["geometryCompression"] = r[9] or 0.0
        if "gis" in groups:
            height, mpp = dims[r[4]][1], dims[r[4]][2]
            area, au, perim, pu = units(r[10], r[11], mpp)
            js.update(
                {
                    "area": area,
                    "areaUnit": au,
                    "perimeter": perim,
                    "perimeterUnit": pu,
                    "centroid": {"x": (r[12] + r[14]) / 2, "y": height - (r[13] + r[15]) / 2},
                }
            )
        if "term" in groups:
            pairs = terms.get(r[0], [])
            by_term: dict[int, list[int]] = defaultdict(list)
            for t, u in pairs:
                by_term[t].append(u)
            js["term"] = sorted(by_term)
            js["userByTerm"] = [
                {"id": t, "term": t, "user": sorted(us)} for t, us in sorted(by_term.items())
            ]
        out.append(js)
    return out
