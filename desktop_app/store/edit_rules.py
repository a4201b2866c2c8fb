"""What every edit of the cache checks first: the refusal type and the lookups it refuses on.

Refusals are raised as :class:`EditError` *before* anything is flushed, so nothing is
ever half-written (the command functions of :mod:`desktop_app.store.edits` and
:mod:`desktop_app.store.attribute_edits` call these first).
"""

from __future__ import annotations

from collections.abc import Iterable

from shapely.geometry.base import BaseGeometry
from sqlalchemy import select

from desktop_app.core.geometry import GeometryError, parse_wkt, validate
from desktop_app.model.annotation import Annotation
from desktop_app.model.image import ImageInstance
from desktop_app.model.ontology import Term
from desktop_app.model.project import Project
from desktop_app.store.uow import UnitOfWork

ANNOTATION_CLASS = "be.cytomine.domain.ontology.UserAnnotation"


class EditError(ValueError):
    """A refused edit; the message is meant for the user."""


def as_geometry(value: BaseGeometry | str) -> BaseGeometry:
    """Parse (if WKT) and validate a geometry, repairing self-intersections."""
    try:
        geom = parse_wkt(value) if isinstance(value, str) else value
        return validate(geom, repair=True)
    except GeometryError as exc:
        raise EditError(str(exc)) from exc


def image_project(uow: UnitOfWork, image_pk: int) -> int:
    """The project of a live image (a column read: no relationship loading on hot paths)."""
    row = uow.session.execute(
        select(ImageInstance.project_pk, ImageInstance.local_deleted).where(
            ImageInstance.pk == image_pk
        )
    ).first()
    if row is None or row.local_deleted:
        raise EditError(f"unknown image {image_pk}")
    return int(row.project_pk)


def check_terms(uow: UnitOfWork, project_pk: int, term_pks: Iterable[int]) -> list[int]:
    """Terms must exist and belong to the project's ontology (as the server insists)."""
    wanted = list(dict.fromkeys(term_pks))
    if not wanted:
        return []
    ontology_pk = uow.session.scalar(select(Project.ontology_pk).where(Project.pk == project_pk))
    found = set(
        uow.session.scalars(
            select(Term.pk).where(
                Term.pk.in_(wanted), Term.ontology_pk == ontology_pk, Term.local_deleted.is_(False)
            )
        )
    )
    missing = [t for t in wanted if t not in found]
    if missing:
        raise EditError(f"unknown term(s) {missing} for this project's ontology")
    return wanted


def live_annotation(uow: UnitOfWork, pk: int) -> Annotation:
    """A live (not tombstoned) annotation, or the refusal naming it."""
    ann = uow.session.get(Annotation, pk)
    if ann is None or ann.local_deleted:
        raise EditError(f"unknown annotation {pk}")
    return ann
