"""What the annotation panels read about one image: list rows, details, term counts.

Plain reads of the cache, kept apart from the use cases that change annotations
(:mod:`desktop_app.services.annotations`, whose service offers them per image): a read
takes no writer lock and emits nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import func, select

from desktop_app.core.shapes import MIN_ROUND_VERTICES, shape_name
from desktop_app.model.annotation import Annotation, AnnotationTerm, ReviewedAnnotationTerm
from desktop_app.model.attachment import Description, Property
from desktop_app.model.security import User
from desktop_app.services.companions import Companions, annotation_companions
from desktop_app.services.review_decisions import is_blinded
from desktop_app.store import edits, layers
from desktop_app.store.uow import Store


@dataclass(frozen=True, slots=True)
class AnnotationRow:
    """One line of the annotation list panel."""

    pk: int
    uid: str
    kind: str
    geometry_type: str
    terms: tuple[int, ...]
    author: str
    area_px: float
    perimeter_px: float
    created: datetime
    #: The annotation's review status: "accepted", "rejected" or "" (not reviewed).
    review: str
    sync_state: str
    #: What the user drew: "Rectangle", "Circle", "Polygon", "Point", ... (core.shapes)
    shape: str = ""

    @property
    def reviewed(self) -> bool:
        return bool(self.review)


@dataclass(frozen=True, slots=True)
class AnnotationDetails:
    pk: int
    geometry: BaseGeometry
    terms: tuple[int, ...]
    author: str
    properties: dict[str, str]
    description: str
    #: Its tags and annotation group, pulled from the server (read-only here).
    companions: Companions = field(default_factory=Companions)


def rows_page(
    store: Store,
    image_pk: int,
    after_pk: int = 0,
    limit: int | None = 1000,
    *,
    reviewed_layer: bool = False,
) -> list[AnnotationRow]:
    """Annotations with a key above ``after_pk``, in key order, at most ``limit``
    (``None``: all): a keyset page for the list panel, O(page) whatever the image
    holds.  The next page starts after the last row's ``pk``.

    The user layer (``store/layers.py``): each annotation once, with its review
    status; ``reviewed_layer=True`` lists the reviewed copies instead (review mode),
    with the terms the reviewer confirmed."""
    layer = layers.reviewed_layer if reviewed_layer else layers.user_layer
    with store.read() as s:
        query = (
            select(
                Annotation.pk,
                Annotation.uid,
                Annotation.kind,
                Annotation.geometry_type,
                Annotation.location,
                Annotation.area,
                Annotation.perimeter,
                Annotation.created,
                Annotation.status,
                Annotation.sync_state,
                User.username,
            )
            .join(User, User.pk == Annotation.user_pk)
            .where(*layer(image_pk), Annotation.pk > after_pk)
            .order_by(Annotation.pk)
        )
        anns = s.execute(query if limit is None else query.limit(limit)).all()
        pks = [r.pk for r in anns]
        if reviewed_layer:
            links = select(
                ReviewedAnnotationTerm.reviewed_annotation_pk, ReviewedAnnotationTerm.term_pk
            ).where(ReviewedAnnotationTerm.reviewed_annotation_pk.in_(pks))
            review = {int(r.pk): layers.review_of(r.status) for r in anns}
        else:
            links = select(AnnotationTerm.annotation_pk, AnnotationTerm.term_pk).where(
                AnnotationTerm.local_deleted.is_(False)
            )
            if limit is None:
                links = links.join(Annotation, Annotation.pk == AnnotationTerm.annotation_pk).where(
                    Annotation.image_pk == image_pk
                )
            else:
                links = links.where(AnnotationTerm.annotation_pk.in_(pks))
            whole = limit is None and after_pk == 0
            review = layers.review_statuses(s, image_pk=image_pk, pks=None if whole else pks)
        link_rows = s.execute(links).all() if anns else []
    terms: dict[int, list[int]] = {}
    for ann_pk, term_pk in link_rows:
        terms.setdefault(ann_pk, []).append(term_pk)
    return [
        AnnotationRow(
            pk=r.pk,
            uid=r.uid,
            kind=str(r.kind),
            geometry_type=r.geometry_type,
            terms=tuple(terms.get(r.pk, ())),
            author=r.username,
            area_px=r.area,
            perimeter_px=r.perimeter,
            created=r.created,
            review=str(review.get(int(r.pk), layers.Review.NONE)),
            sync_state=str(r.sync_state),
            shape=_row_shape(r.geometry_type, r.location),
        )
        for r in anns
    ]


def details(store: Store, pk: int) -> AnnotationDetails | None:
    with store.read() as s:
        ann = s.get(Annotation, pk)
        if ann is None or ann.local_deleted:
            return None
        author = s.scalar(select(User.username).where(User.pk == ann.user_pk)) or ""
        terms = tuple(
            s.scalars(
                select(AnnotationTerm.term_pk).where(
                    AnnotationTerm.annotation_pk == pk, AnnotationTerm.local_deleted.is_(False)
                )
            )
        )
        props = {
            p.key: p.value or ""
            for p in s.scalars(
                select(Property).where(
                    Property.domain_class_name == edits.ANNOTATION_CLASS,
                    Property.domain_pk == pk,
                    Property.local_deleted.is_(False),
                )
            )
        }
        desc = (
            s.scalar(
                select(Description.data).where(
                    Description.domain_class_name == edits.ANNOTATION_CLASS,
                    Description.domain_pk == pk,
                )
            )
            or ""
        )
        return AnnotationDetails(
            pk,
            shapely.from_wkb(ann.location),
            terms,
            author,
            props,
            desc,
            annotation_companions(s, pk),
        )


def term_counts(store: Store, image_pk: int, project_pk: int, user_pk: int) -> dict[int, int]:
    """Annotations per term on this image (the term panel's counts).

    A blinded reader (``review_decisions.is_blinded``) counts their own term links
    only: a count of the others' terms would tell them what the others read."""
    own = is_blinded(store, project_pk, user_pk)
    mine = (AnnotationTerm.user_pk == user_pk,) if own else ()
    with store.read() as s:
        rows = s.execute(
            select(AnnotationTerm.term_pk, func.count())
            .join(Annotation, Annotation.pk == AnnotationTerm.annotation_pk)
            .where(
                *layers.user_layer(image_pk),
                AnnotationTerm.local_deleted.is_(False),
                *mine,
            )
            .group_by(AnnotationTerm.term_pk)
        ).all()
    return {int(t): int(n) for t, n in rows}


def _row_shape(geometry_type: str, location: bytes | None) -> str:
    """The list's "Shape": only a polygon with a rectangle's or a circle's vertex count
    is decoded, so a page of freehand outlines costs nothing extra."""
    if geometry_type == "Polygon" and location is not None:
        geom = shapely.from_wkb(location)
        n = shapely.get_num_coordinates(geom)
        if n == 5 or n > MIN_ROUND_VERTICES:
            return shape_name(geom).capitalize()
    return geometry_type


__all__ = ["AnnotationDetails", "AnnotationRow", "details", "rows_page", "term_counts"]
