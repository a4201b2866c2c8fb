"""Command functions for an annotation's properties (key/value) and description.

Like :mod:`desktop_app.store.edits`, each runs inside the caller's :class:`UnitOfWork`
and appends its op to the command log with the row, so the edit, its undo information
and its outbox entry are committed together.
"""

from __future__ import annotations

from sqlalchemy import select

from desktop_app.model.attachment import Description, Property
from desktop_app.model.sync import OpKind
from desktop_app.store.edit_rules import ANNOTATION_CLASS, EditError, live_annotation
from desktop_app.store.uow import UnitOfWork


def set_property(uow: UnitOfWork, annotation_pk: int, key: str, value: str) -> None:
    """Set a key/value property on an annotation (one value per key from the desktop)."""
    ann = live_annotation(uow, annotation_pk)
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
    ann = live_annotation(uow, annotation_pk)
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
    ann = live_annotation(uow, annotation_pk)
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
