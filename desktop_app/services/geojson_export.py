"""Export an image's annotations as QuPath GeoJSON, losslessly and deterministically.

What is written (rules in ``geojson_props``): the user layer only (``store/layers``: a
reviewed copy is its annotation's review status, not another feature), every term in a
fixed order, properties as QuPath measurements/metadata, the description, the review
status.  Features are ordered by uid (time-ordered, and the same on every machine
holding the annotation), so two caches in sync export the same file.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from sqlalchemy import select

from desktop_app.core.geojson import GeoFeature, to_feature_collection
from desktop_app.model.annotation import Annotation, AnnotationTerm
from desktop_app.model.attachment import Description, Property
from desktop_app.model.ontology import Term
from desktop_app.services.geojson_props import REVIEW_KEY, split_properties, term_order
from desktop_app.store import layers
from desktop_app.store.edits import ANNOTATION_CLASS
from desktop_app.store.uow import Store


def hex_to_rgb(color: str) -> tuple[int, int, int] | None:
    text = color.lstrip("#")
    if len(text) != 6:
        return None
    try:
        return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    except ValueError:
        return None


def export_features(store: Store, image_pk: int) -> dict[str, Any]:
    """The image's annotations (user layer) as a QuPath FeatureCollection."""
    live = layers.user_layer(image_pk)
    with store.read() as s:
        rows = s.execute(
            select(Annotation.pk, Annotation.uid, Annotation.location)
            .where(*live)
            .order_by(Annotation.uid)
        ).all()
        links = s.execute(
            select(AnnotationTerm.annotation_pk, Term.name, Term.color)
            .join(Term, Term.pk == AnnotationTerm.term_pk)
            .join(Annotation, Annotation.pk == AnnotationTerm.annotation_pk)
            .where(*live, AnnotationTerm.local_deleted.is_(False))
        ).all()
        props = s.execute(
            select(Property.domain_pk, Property.key, Property.value)
            .join(Annotation, Annotation.pk == Property.domain_pk)
            .where(
                *live,
                Property.domain_class_name == ANNOTATION_CLASS,
                Property.local_deleted.is_(False),
            )
        ).all()
        descriptions = dict(
            s.execute(
                select(Description.domain_pk, Description.data)
                .join(Annotation, Annotation.pk == Description.domain_pk)
                .where(
                    *live,
                    Description.domain_class_name == ANNOTATION_CLASS,
                    Description.local_deleted.is_(False),
                )
            ).all()
        )
        reviews = layers.review_statuses(s, image_pk=image_pk)
    terms: dict[int, list[tuple[str, str]]] = {}
    for ann_pk, name, color in links:
        terms.setdefault(ann_pk, []).append((name, color or ""))
    by_ann: dict[int, list[tuple[str, str | None]]] = {}
    for ann_pk, key, value in props:
        by_ann.setdefault(ann_pk, []).append((key, value))
    geoms = shapely.from_wkb([r.location for r in rows]) if rows else np.empty(0, dtype=object)
    features = []
    for row, geom in zip(rows, geoms, strict=True):
        ordered = term_order(terms.get(row.pk, ()))
        extra: dict[str, Any] = split_properties(by_ann.get(row.pk, ()))
        review = reviews.get(row.pk, layers.Review.NONE)
        if review is not layers.Review.NONE:
            extra.setdefault("metadata", {})[REVIEW_KEY] = str(review)
        if descriptions.get(row.pk):
            extra["description"] = descriptions[row.pk]
        features.append(
            GeoFeature(
                geometry=geom,
                uid=row.uid,
                class_name=": ".join(n for n, _c in ordered) if ordered else None,
                class_names=tuple(n for n, _c in ordered),
                color=hex_to_rgb(ordered[0][1]) if ordered else None,
                properties=extra,
            )
        )
    return to_feature_collection(features)


__all__ = ["export_features", "hex_to_rgb"]
