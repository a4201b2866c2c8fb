"""QuPath's counting workflow: one multi-point annotation per term, one click at a time.

Each click is one user action (one undo step) through the store's edit functions: the
first click of a term creates the user's multi-point with that term, the next ones
reshape it. ``term_point_counts`` gives the Terms dock its "points" figure.
"""

from __future__ import annotations

from collections.abc import Sequence

import shapely
from sqlalchemy import ColumnElement, select

from desktop_app.core import shape_ops
from desktop_app.model.annotation import Annotation, AnnotationTerm
from desktop_app.model.image import ImageInstance
from desktop_app.services.annotations import AnnotationService
from desktop_app.services.review_decisions import is_blinded
from desktop_app.services.shape_edits import geometries_of, terms_of
from desktop_app.store import edits
from desktop_app.store.uow import Store, UnitOfWork


def count_point(
    service: AnnotationService, term_pks: Sequence[int], x: float, y: float
) -> tuple[int, int]:
    """Add (x, y) to the user's counting multi-point for the first of ``term_pks`` (or
    the one without terms), creating it on the first click; returns (key, count)."""
    term = term_pks[0] if term_pks else None
    touched: list[int] = []
    with service.action("Count point", touched) as uow:
        pk = _counting_annotation(uow, service, term)
        if pk is None:
            ann = edits.create_annotation(
                uow,
                image_pk=service.image_pk,
                geometry=shape_ops.add_point(None, x, y),
                user_pk=service.user_pk,
                term_pks=[term] if term is not None else [],
            )
            pk, geom = ann.pk, shapely.from_wkb(ann.location)
        else:
            (old,) = geometries_of(uow, [pk])
            geom = shape_ops.add_point(old, x, y)
            edits.update_geometry(uow, pk, geom)
        touched.append(pk)
    return pk, shape_ops.point_count(geom)


def _counting_annotation(
    uow: UnitOfWork, service: AnnotationService, term: int | None
) -> int | None:
    """The newest live multi-point of this user on the image with exactly ``term``."""
    rows = uow.session.scalars(
        select(Annotation.pk)
        .where(
            Annotation.image_pk == service.image_pk,
            Annotation.user_pk == service.user_pk,
            Annotation.geometry_type == "MultiPoint",
            Annotation.local_deleted.is_(False),
        )
        .order_by(Annotation.pk.desc())
    ).all()
    for pk in rows:
        terms = terms_of(uow, pk)
        if terms == ([term] if term is not None else []):
            return pk
    return None


def term_point_counts(store: Store, image_pk: int, viewer_pk: int | None = None) -> dict[int, int]:
    """Points per term on the image: every point of every (multi-)point annotation,
    where the annotation counts of the Terms dock count annotations.

    As ``viewer_pk`` may see them: a blinded reader (``review_decisions.is_blinded``)
    counts the points of their own term links only."""
    mine: tuple[ColumnElement[bool], ...] = ()
    if viewer_pk is not None:
        with store.read() as s:
            project = s.scalar(select(ImageInstance.project_pk).where(ImageInstance.pk == image_pk))
        if project is not None and is_blinded(store, int(project), viewer_pk):
            mine = (AnnotationTerm.user_pk == viewer_pk,)
    with store.read() as s:
        rows = s.execute(
            select(AnnotationTerm.term_pk, Annotation.location)
            .join(Annotation, Annotation.pk == AnnotationTerm.annotation_pk)
            .where(
                Annotation.image_pk == image_pk,
                Annotation.local_deleted.is_(False),
                Annotation.geometry_type.in_(("Point", "MultiPoint")),
                AnnotationTerm.local_deleted.is_(False),
                *mine,
            )
            .distinct()
        ).all()
    out: dict[int, int] = {}
    for term, blob in rows:
        n = len(shapely.get_coordinates(shapely.from_wkb(blob)))
        out[int(term)] = out.get(int(term), 0) + n
    return out
