"""What a review queue is ordered by, read from the cache for one image.

User and algorithm (job) annotations are reviewed alike; an algorithm's confidence is
a numeric annotation property (``confidence`` by default, as analysis jobs write it),
and a value that does not parse as a number counts as missing rather than failing the
queue. The ordering itself is :func:`desktop_app.core.review_queue.order_queue`.
"""

from __future__ import annotations

import math

from sqlalchemy import select

from desktop_app.core.review_queue import QueueEntry, QueueOrder, order_queue
from desktop_app.model.annotation import (
    CYTOMINE_CLASS,
    Annotation,
    AnnotationKind,
    AnnotationTerm,
)
from desktop_app.model.attachment import Property
from desktop_app.model.ontology import Term
from desktop_app.model.security import User
from desktop_app.store.layers import user_layer
from desktop_app.store.uow import Store

CONFIDENCE_KEY = "confidence"
_ANNOTATION_CLASSES = (CYTOMINE_CLASS[AnnotationKind.USER], CYTOMINE_CLASS[AnnotationKind.ALGO])


def _number(value: str | None) -> float | None:
    try:
        x = float(value) if value is not None else math.nan
    except ValueError:
        return None
    return None if math.isnan(x) else x


def queue_entries(
    store: Store, image_pk: int, *, confidence_key: str = CONFIDENCE_KEY
) -> list[QueueEntry]:
    """One entry per live user/algo annotation of the image, in id order."""
    with store.read() as s:
        rows = s.execute(
            select(Annotation.pk, Annotation.area, Annotation.kind, User.username)
            .join(User, User.pk == Annotation.user_pk, isouter=True)
            .where(*user_layer(image_pk))
            .order_by(Annotation.pk)
        ).all()
        names = s.execute(
            select(AnnotationTerm.annotation_pk, Term.name)
            .join(Term, Term.pk == AnnotationTerm.term_pk)
            .join(Annotation, Annotation.pk == AnnotationTerm.annotation_pk)
            .where(Annotation.image_pk == image_pk, AnnotationTerm.local_deleted.is_(False))
        ).all()
        props = s.execute(
            select(Property.domain_pk, Property.value)
            .join(Annotation, Annotation.pk == Property.domain_pk)
            .where(
                Annotation.image_pk == image_pk,
                Property.domain_class_name.in_(_ANNOTATION_CLASSES),
                Property.key == confidence_key,
                Property.local_deleted.is_(False),
            )
        ).all()
    terms: dict[int, str] = {}
    for pk, name in names:
        if int(pk) not in terms or name.casefold() < terms[int(pk)].casefold():
            terms[int(pk)] = name  # several terms: the queue groups by the first by name
    confidence = {int(pk): x for pk, v in props if (x := _number(v)) is not None}
    return [
        QueueEntry(
            pk=int(r.pk),
            term=terms.get(int(r.pk)),
            area=float(r.area or 0.0),
            author=r.username or "",
            confidence=confidence.get(int(r.pk)),
            algo=r.kind is AnnotationKind.ALGO,
        )
        for r in rows
    ]


def ordered_pks(
    store: Store,
    image_pk: int,
    order: QueueOrder = QueueOrder.CREATED,
    *,
    descending: bool = False,
    seed: int = 0,
    confidence_key: str = CONFIDENCE_KEY,
) -> list[int]:
    """The image's annotation ids in review order (every annotation; filter afterwards)."""
    entries = queue_entries(store, image_pk, confidence_key=confidence_key)
    return order_queue(entries, order, descending=descending, seed=seed)


__all__ = ["CONFIDENCE_KEY", "ordered_pks", "queue_entries"]
