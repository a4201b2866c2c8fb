"""Command functions: every user edit of the cache goes through one of these.

Each function runs inside the caller's :class:`UnitOfWork`, writes the entity rows and
appends intent-only operations to the command log (sync-design 5.3), so the edit, its
undo information and its outbox entry are committed together.  Refusals are raised as
:class:`EditError` *before* anything is flushed, so nothing is ever half-written.

Deletion is a tombstone (``local_deleted``): the row stays until the server has
acknowledged the delete, which is also what makes undo of a delete exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select, true

from desktop_app.core.geometry import GeometryError, parse_wkt, validate
from desktop_app.model.annotation import (
    Annotation,
    AnnotationKind,
    AnnotationTerm,
    ReviewedAnnotation,
    ReviewedAnnotationTerm,
    ReviewStatus,
    UserAnnotation,
)
from desktop_app.model.attachment import Description, Property
from desktop_app.model.image import ImageInstance
from desktop_app.model.ontology import Term
from desktop_app.model.project import Project
from desktop_app.model.sync import OpKind
from desktop_app.store.annotations import geometry_columns
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


def _image_project(uow: UnitOfWork, image_pk: int) -> int:
    """The project of a live image (a column read: no relationship loading on hot paths)."""
    row = uow.session.execute(
        select(ImageInstance.project_pk, ImageInstance.local_deleted).where(
            ImageInstance.pk == image_pk
        )
    ).first()
    if row is None or row.local_deleted:
        raise EditError(f"unknown image {image_pk}")
    return int(row.project_pk)


def _check_terms(uow: UnitOfWork, project_pk: int, term_pks: Iterable[int]) -> list[int]:
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


def create_annotation(
    uow: UnitOfWork,
    *,
    image_pk: int,
    geometry: BaseGeometry | str,
    user_pk: int,
    term_pks: Sequence[int] = (),
) -> Annotation:
    """Draw one annotation with its terms (one action: one undo step, one transaction)."""
    geom = as_geometry(geometry)
    project_pk = _image_project(uow, image_pk)
    terms = _check_terms(uow, project_pk, term_pks)
    ann = UserAnnotation(
        project_pk=project_pk, image_pk=image_pk, user_pk=user_pk, **geometry_columns(geom)
    )
    links = [AnnotationTerm(annotation=ann, term_pk=t, user_pk=user_pk) for t in terms]
    uow.session.add_all([ann, *links])
    uow.session.flush()  # one flush assigns every key the ops need
    uow.log(OpKind.CREATE, ann, project_pk=project_pk)
    for link in links:
        uow.log(OpKind.ADD_TERM, link, project_pk=project_pk)
    return ann


def _annotation(uow: UnitOfWork, pk: int) -> Annotation:
    ann = uow.session.get(Annotation, pk)
    if ann is None or ann.local_deleted:
        raise EditError(f"unknown annotation {pk}")
    return ann


def update_geometry(uow: UnitOfWork, annotation_pk: int, geometry: BaseGeometry | str) -> None:
    """Move or reshape an annotation; the op keeps the old WKT for undo."""
    geom = as_geometry(geometry)
    ann = _annotation(uow, annotation_pk)
    old = shapely.from_wkb(ann.location).wkt
    for key, value in geometry_columns(geom).items():
        setattr(ann, key, value)
    uow.log(
        OpKind.UPDATE,
        ann,
        payload={"location": geom.wkt},
        inverse={"location": old},
        project_pk=ann.project_pk,
    )


def delete_annotations(uow: UnitOfWork, pks: Iterable[int]) -> int:
    count = 0
    for pk in pks:
        ann = _annotation(uow, pk)
        ann.local_deleted = True
        uow.log(OpKind.DELETE, ann, project_pk=ann.project_pk)
        count += 1
    return count


def _link_term(uow: UnitOfWork, ann: Annotation, term_pk: int, user_pk: int) -> None:
    link = uow.session.scalar(
        select(AnnotationTerm).where(
            AnnotationTerm.annotation_pk == ann.pk,
            AnnotationTerm.term_pk == term_pk,
            AnnotationTerm.user_pk == user_pk,
        )
    )
    if link is None:
        link = AnnotationTerm(annotation_pk=ann.pk, term_pk=term_pk, user_pk=user_pk)
        uow.session.add(link)
        uow.session.flush()
    elif not link.local_deleted:
        return
    link.local_deleted = False
    uow.log(OpKind.ADD_TERM, link, project_pk=ann.project_pk)


def toggle_term(uow: UnitOfWork, annotation_pks: Iterable[int], term_pk: int, user_pk: int) -> bool:
    """Add ``term_pk`` to every selected annotation, or remove it if all already have it.

    Returns True when the term was added.  This is the 1–9 key / term-click behaviour.
    """
    anns = [_annotation(uow, pk) for pk in annotation_pks]
    if not anns:
        return False
    _check_terms(uow, anns[0].project_pk, [term_pk])
    links = {
        link.annotation_pk: link
        for link in uow.session.scalars(
            select(AnnotationTerm).where(
                AnnotationTerm.annotation_pk.in_([a.pk for a in anns]),
                AnnotationTerm.term_pk == term_pk,
                AnnotationTerm.user_pk == user_pk,
                AnnotationTerm.local_deleted.is_(False),
            )
        )
    }
    if len(links) == len(anns):
        for link in links.values():
            link.local_deleted = True
            uow.log(OpKind.REMOVE_TERM, link, project_pk=anns[0].project_pk)
        return False
    for ann in anns:
        if ann.pk not in links:
            _link_term(uow, ann, term_pk, user_pk)
    return True


def set_term(
    uow: UnitOfWork, annotation_pks: Iterable[int], term_pk: int | None, user_pk: int
) -> int:
    """Give every selected annotation exactly ``term_pk`` as the user's term (the 1-9
    key, as QuPath's "set class"); ``None`` removes the user's terms (key 0).

    Only ``user_pk``'s own links change, as with :func:`toggle_term`: Cytomine keeps a
    term link per user.  Returns how many links were added or removed (0: nothing to do).
    """
    anns = [_annotation(uow, pk) for pk in annotation_pks]
    if not anns:
        return 0
    if term_pk is not None:
        _check_terms(uow, anns[0].project_pk, [term_pk])
    changed = 0
    for link in uow.session.scalars(
        select(AnnotationTerm).where(
            AnnotationTerm.annotation_pk.in_([a.pk for a in anns]),
            AnnotationTerm.user_pk == user_pk,
            AnnotationTerm.local_deleted.is_(False),
            AnnotationTerm.term_pk != term_pk if term_pk is not None else true(),
        )
    ):
        link.local_deleted = True
        uow.log(OpKind.REMOVE_TERM, link, project_pk=anns[0].project_pk)
        changed += 1
    if term_pk is None:
        return changed
    have = set(
        uow.session.scalars(
            select(AnnotationTerm.annotation_pk).where(
                AnnotationTerm.annotation_pk.in_([a.pk for a in anns]),
                AnnotationTerm.term_pk == term_pk,
                AnnotationTerm.user_pk == user_pk,
                AnnotationTerm.local_deleted.is_(False),
            )
        )
    )
    for ann in anns:
        if ann.pk not in have:
            _link_term(uow, ann, term_pk, user_pk)
            changed += 1
    return changed


def set_property(uow: UnitOfWork, annotation_pk: int, key: str, value: str) -> None:
    """Set a key/value property on an annotation (one value per key from the desktop)."""
    ann = _annotation(uow, annotation_pk)
    prop = uow.session.scalar(
        select(Property).where(
            Property.domain_class_name == ANNOTATION_CLASS,
            Property.domain_pk == ann.pk,
            Property.key == key,
        )
    )
    if prop is None:
        prop = Property(domain_class_name=ANNOTATION_CLASS, domain_pk=ann.pk, key=key, value=value)
        uow.session.add(prop)
        uow.session.flush()
        uow.log(
            OpKind.PUT_PROPERTY,
            prop,
            payload={"value": value, "local_deleted": False},
            inverse={"local_deleted": True},
            project_pk=ann.project_pk,
        )
        return
    old = {"value": prop.value, "local_deleted": prop.local_deleted}
    prop.value, prop.local_deleted = value, False
    uow.log(
        OpKind.PUT_PROPERTY,
        prop,
        payload={"value": value, "local_deleted": False},
        inverse=old,
        project_pk=ann.project_pk,
    )


def delete_property(uow: UnitOfWork, annotation_pk: int, key: str) -> None:
    ann = _annotation(uow, annotation_pk)
    prop = uow.session.scalar(
        select(Property).where(
            Property.domain_class_name == ANNOTATION_CLASS,
            Property.domain_pk == ann.pk,
            Property.key == key,
            Property.local_deleted.is_(False),
        )
    )
    if prop is None:
        raise EditError(f"annotation {annotation_pk} has no property {key!r}")
    prop.local_deleted = True
    uow.log(
        OpKind.DELETE_PROPERTY,
        prop,
        payload={"local_deleted": True},
        inverse={"local_deleted": False, "value": prop.value},
        project_pk=ann.project_pk,
    )


def set_description(uow: UnitOfWork, annotation_pk: int, html: str) -> None:
    ann = _annotation(uow, annotation_pk)
    desc = uow.session.scalar(
        select(Description).where(
            Description.domain_class_name == ANNOTATION_CLASS, Description.domain_pk == ann.pk
        )
    )
    if desc is None:
        desc = Description(domain_class_name=ANNOTATION_CLASS, domain_pk=ann.pk, data=html)
        uow.session.add(desc)
        uow.session.flush()
        uow.log(OpKind.CREATE, desc, project_pk=ann.project_pk)
        return
    old = desc.data
    desc.data = html
    uow.log(
        OpKind.UPDATE,
        desc,
        payload={"data": html},
        inverse={"data": old},
        project_pk=ann.project_pk,
    )


def review(
    uow: UnitOfWork,
    annotation_pk: int,
    *,
    reviewer_pk: int,
    accept: bool,
    term_pks: Sequence[int] | None = None,
    geometry: BaseGeometry | str | None = None,
) -> ReviewedAnnotation:
    """Accept (optionally corrected) or reject an annotation as a reviewer.

    The first decision stands: reviewing an annotation that already has a live review
    is refused here, and the server enforces the same rule (409) across reviewers.
    """
    parent = _annotation(uow, annotation_pk)
    if parent.kind is AnnotationKind.REVIEWED:
        raise EditError("a reviewed annotation cannot itself be reviewed")
    existing = uow.session.scalar(
        select(ReviewedAnnotation.pk).where(
            ReviewedAnnotation.parent_pk == parent.pk, ReviewedAnnotation.local_deleted.is_(False)
        )
    )
    if existing is not None:
        raise EditError(f"annotation {annotation_pk} has already been reviewed")
    if term_pks is None:
        term_pks = list(
            uow.session.scalars(
                select(AnnotationTerm.term_pk).where(
                    AnnotationTerm.annotation_pk == parent.pk,
                    AnnotationTerm.local_deleted.is_(False),
                )
            )
        )
    terms = _check_terms(uow, parent.project_pk, term_pks)
    geom = as_geometry(geometry) if geometry is not None else shapely.from_wkb(parent.location)
    reviewed = ReviewedAnnotation(
        project_pk=parent.project_pk,
        image_pk=parent.image_pk,
        slice_pk=parent.slice_pk,
        user_pk=parent.user_pk,
        review_user_pk=reviewer_pk,
        parent_pk=parent.pk,
        parent_class_name=parent.cytomine_class,
        status=int(ReviewStatus.ACCEPTED if accept else ReviewStatus.REJECTED),
        **geometry_columns(geom),
    )
    uow.session.add(reviewed)
    uow.session.flush()
    for term_pk in terms:
        uow.session.add(ReviewedAnnotationTerm(reviewed_annotation_pk=reviewed.pk, term_pk=term_pk))
    parent.count_reviewed_annotations += 1
    kind = OpKind.REVIEW_ACCEPT if accept else OpKind.REVIEW_REJECT
    uow.log(kind, reviewed, payload={"terms": terms}, project_pk=parent.project_pk)
    return reviewed


def field_values(entity: Any, fields: Iterable[str]) -> dict[str, Any]:
    """JSON-ready snapshot of some fields (geometry as WKT), for op payloads."""
    out: dict[str, Any] = {}
    for name in fields:
        if name == "location":
            out[name] = shapely.from_wkb(entity.location).wkt
        else:
            out[name] = getattr(entity, name)
    return out


def apply_values(entity: Any, values: dict[str, Any]) -> None:
    """Write an op's field values back to a row (the replay half of undo/redo)."""
    for name, value in values.items():
        if name == "location":
            for key, col in geometry_columns(parse_wkt(value)).items():
                setattr(entity, key, col)
        else:
            setattr(entity, name, value)


__all__ = [
    "EditError",
    "GeometryError",
    "apply_values",
    "as_geometry",
    "create_annotation",
    "delete_annotations",
    "delete_property",
    "field_values",
    "review",
    "set_description",
    "set_property",
    "toggle_term",
    "update_geometry",
]
