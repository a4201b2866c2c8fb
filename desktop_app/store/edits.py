"""Command functions: every user edit of the cache goes through one of these.

Each function runs inside the caller's :class:`UnitOfWork`, writes the entity rows and
appends intent-only operations to the command log (sync-design 5.3), so the edit, its
undo information and its outbox entry are committed together.  Refusals are raised as
:class:`EditError` *before* anything is flushed, so nothing is ever half-written.

Properties and descriptions are edited in :mod:`desktop_app.store.attribute_edits` and
the checks every edit makes first are in :mod:`desktop_app.store.edit_rules`; both are
re-exported here, so ``edits.set_property`` is the same function.

Deletion is a tombstone (``local_deleted``): the row stays until the server has
acknowledged the delete, which is also what makes undo of a delete exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select, true

from desktop_app.core.geometry import GeometryError, parse_wkt
from desktop_app.model.annotation import (
    Annotation,
    AnnotationKind,
    AnnotationTerm,
    ReviewedAnnotation,
    ReviewedAnnotationTerm,
    ReviewStatus,
    UserAnnotation,
)
from desktop_app.model.sync import OpKind
from desktop_app.store.annotations import geometry_columns
from desktop_app.store.attribute_edits import delete_property, set_description, set_property
from desktop_app.store.edit_rules import (
    ANNOTATION_CLASS,
    EditError,
    as_geometry,
    check_terms,
    image_project,
    live_annotation,
)
from desktop_app.store.uow import UnitOfWork


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
    project_pk = image_project(uow, image_pk)
    terms = check_terms(uow, project_pk, term_pks)
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


def update_geometry(uow: UnitOfWork, annotation_pk: int, geometry: BaseGeometry | str) -> None:
    """Move or reshape an annotation; the op keeps the old WKT for undo."""
    geom = as_geometry(geometry)
    ann = live_annotation(uow, annotation_pk)
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
        ann = live_annotation(uow, pk)
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
    anns = [live_annotation(uow, pk) for pk in annotation_pks]
    if not anns:
        return False
    check_terms(uow, anns[0].project_pk, [term_pk])
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
    anns = [live_annotation(uow, pk) for pk in annotation_pks]
    if not anns:
        return 0
    if term_pk is not None:
        check_terms(uow, anns[0].project_pk, [term_pk])
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
    parent = live_annotation(uow, annotation_pk)
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
    terms = check_terms(uow, parent.project_pk, term_pks)
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
    "ANNOTATION_CLASS",
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
