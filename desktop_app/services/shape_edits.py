"""Shape operations on an image's annotations, each one user action (one undo step).

The geometry is decided in :mod:`desktop_app.core.shape_ops`; here each result goes
through the store's edit functions (``update_geometry``, ``create_annotation``,
``delete_annotations``, ``toggle_term``, ``set_property``), so the command log (undo)
and the outbox (sync) see exactly the edits the operation is: a merge syncs as one
reshape, some term links and deletes; a split as one reshape and creates.

Choices (documented in the README):

* merge keeps the *first* selected annotation, reshaped to the union, with the union
  of every merged annotation's terms; the others are deleted.
* subtract and intersect reshape the first annotation and leave the others as they are.
* split keeps the largest piece in the original annotation; the other pieces are new
  annotations with the original's terms.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select

from desktop_app.core import shape_ops
from desktop_app.model.annotation import Annotation, AnnotationTerm
from desktop_app.services.annotations import AnnotationService
from desktop_app.services.locks import LOCK_KEY, LOCK_VALUE, check_unlocked, locked_pks
from desktop_app.store import edits
from desktop_app.store.uow import UnitOfWork


def geometries_of(uow: UnitOfWork, pks: Sequence[int]) -> list[BaseGeometry]:
    out = []
    for pk in pks:
        ann = uow.session.get(Annotation, pk)
        if ann is None or ann.local_deleted:
            raise edits.EditError(f"annotation {pk} no longer exists")
        out.append(shapely.from_wkb(ann.location))
    return out


def terms_of(uow: UnitOfWork, pk: int) -> list[int]:
    return list(
        uow.session.scalars(
            select(AnnotationTerm.term_pk)
            .where(AnnotationTerm.annotation_pk == pk, AnnotationTerm.local_deleted.is_(False))
            .order_by(AnnotationTerm.pk)
        ).unique()
    )


def _add_terms(
    uow: UnitOfWork, service: AnnotationService, pk: int, terms: Sequence[Hashable]
) -> None:
    have = set(terms_of(uow, pk))
    for term in terms:
        if term not in have and isinstance(term, int):  # toggle_term adds when it lacks it
            edits.toggle_term(uow, [pk], term, service.user_pk)


def merge(service: AnnotationService, pks: Sequence[int]) -> int:
    """Merge into the first annotation (union of shapes and of terms); returns its key."""
    pks = list(dict.fromkeys(pks))
    with service.action(f"Merge {len(pks)} annotations", pks) as uow:
        check_unlocked(uow.session, pks)
        merged = shape_ops.merge(geometries_of(uow, pks))
        first, others = pks[0], pks[1:]
        terms = shape_ops.union_terms(terms_of(uow, pk) for pk in pks)
        edits.update_geometry(uow, first, merged)
        _add_terms(uow, service, first, terms)
        edits.delete_annotations(uow, others)
    return first


def subtract(service: AnnotationService, pks: Sequence[int]) -> int:
    """The first annotation minus the others (which stay)."""
    pks = list(dict.fromkeys(pks))
    with service.action("Subtract", pks[:1]) as uow:
        check_unlocked(uow.session, pks[:1])
        geoms = geometries_of(uow, pks)
        edits.update_geometry(uow, pks[0], shape_ops.subtract(geoms[0], geoms[1:]))
    return pks[0]


def intersect(service: AnnotationService, pks: Sequence[int]) -> int:
    """The first annotation becomes the area common to all (the others stay)."""
    pks = list(dict.fromkeys(pks))
    with service.action("Intersect", pks[:1]) as uow:
        check_unlocked(uow.session, pks[:1])
        edits.update_geometry(uow, pks[0], shape_ops.intersect(geometries_of(uow, pks)))
    return pks[0]


def split(service: AnnotationService, pk: int, line: BaseGeometry) -> list[int]:
    """Cut ``pk`` along ``line``; returns the keys of all pieces (``pk`` first)."""
    touched = [pk]
    with service.action("Split", touched) as uow:
        check_unlocked(uow.session, [pk])
        (geom,) = geometries_of(uow, [pk])
        pieces = shape_ops.split(geom, line)
        terms = terms_of(uow, pk)
        edits.update_geometry(uow, pk, pieces[0])
        for piece in pieces[1:]:
            ann = edits.create_annotation(
                uow,
                image_pk=service.image_pk,
                geometry=piece,
                user_pk=service.user_pk,
                term_pks=terms,
            )
            touched.append(ann.pk)
    return touched


def fill_holes(service: AnnotationService, pks: Sequence[int]) -> int:
    """Remove the holes of the selected areas; returns how many had holes."""
    pks = list(dict.fromkeys(pks))
    with service.action("Fill holes", pks) as uow:
        geoms = geometries_of(uow, pks)
        holed = [(pk, g) for pk, g in zip(pks, geoms, strict=True) if _is_area(g)]
        holed = [(pk, g) for pk, g in holed if shape_ops.has_holes(g)]
        if not holed:
            raise edits.EditError("The selected annotations have no holes to fill.")
        check_unlocked(uow.session, [pk for pk, _ in holed])
        for pk, g in holed:
            edits.update_geometry(uow, pk, shape_ops.fill_holes(g))
    return len(holed)


def _is_area(geom: BaseGeometry) -> bool:
    return geom.geom_type in ("Polygon", "MultiPolygon")


def duplicate(service: AnnotationService, pks: Sequence[int]) -> list[int]:
    """Copies (same shape, same terms) of the selected annotations; returns their keys."""
    pks = list(dict.fromkeys(pks))
    created: list[int] = []
    with service.action(f"Duplicate {len(pks)} annotation(s)", created) as uow:
        for pk, geom in zip(pks, geometries_of(uow, pks), strict=True):
            ann = edits.create_annotation(
                uow,
                image_pk=service.image_pk,
                geometry=geom,
                user_pk=service.user_pk,
                term_pks=terms_of(uow, pk),
            )
            created.append(ann.pk)
    return created


def set_locked(service: AnnotationService, pks: Sequence[int], locked: bool) -> int:
    """Lock or unlock; returns how many changed (the lock is the ``locked`` property)."""
    pks = list(dict.fromkeys(pks))
    with service.action("Lock" if locked else "Unlock", pks) as uow:
        geometries_of(uow, pks)  # refuses deleted annotations
        already = locked_pks(uow.session, pks)
        todo = [pk for pk in pks if (pk in already) != locked]
        for pk in todo:
            if locked:
                edits.set_property(uow, pk, LOCK_KEY, LOCK_VALUE)
            else:
                edits.delete_property(uow, pk, LOCK_KEY)
    return len(todo)


__all__ = [
    "geometries_of",
    "terms_of",
    "duplicate",
    "fill_holes",
    "intersect",
    "merge",
    "set_locked",
    "split",
    "subtract",
]
