"""Per-image annotation statistics for the statistics dock: counts, areas, histogram.

Computed in SQL over the stored ``area`` column (kept up to date by every geometry
edit), so a million annotations cost one grouped query, not a million decoded shapes.
Areas are reported in µm² when the slide's pixel size is known, in px² otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy import func, select

from desktop_app.model.annotation import Annotation, AnnotationTerm
from desktop_app.model.image import ImageInstance
from desktop_app.store.layers import user_layer
from desktop_app.store.uow import Store


@dataclass(frozen=True, slots=True)
class TermStatistics:
    """Annotations carrying ``term_pk`` (``None``: annotations without any term)."""

    term_pk: int | None
    count: int
    total_area: float


@dataclass(frozen=True, slots=True)
class ImageStatistics:
    per_term: list[TermStatistics]
    #: Area of every live area-annotation (points and lines excluded), in ``unit``.
    areas: npt.NDArray[np.float64]
    unit: str
    total: int


def image_statistics(store: Store, image_pk: int) -> ImageStatistics:
    with store.read() as s:
        mpp = s.execute(
            select(ImageInstance.physical_size_x, ImageInstance.physical_size_y).where(
                ImageInstance.pk == image_pk
            )
        ).first()
        live = user_layer(image_pk)  # a reviewed copy is its annotation's status, not another
        by_term = s.execute(
            select(
                AnnotationTerm.term_pk, func.count(), func.coalesce(func.sum(Annotation.area), 0)
            )
            .join(Annotation, Annotation.pk == AnnotationTerm.annotation_pk)
            .where(*live, AnnotationTerm.local_deleted.is_(False))
            .group_by(AnnotationTerm.term_pk)
        ).all()
        termed = (
            select(AnnotationTerm.annotation_pk)
            .where(AnnotationTerm.local_deleted.is_(False))
            .scalar_subquery()
        )
        untermed = s.execute(
            select(func.count(), func.coalesce(func.sum(Annotation.area), 0)).where(
                *live, Annotation.pk.not_in(termed)
            )
        ).one()
        total = s.scalar(select(func.count()).select_from(Annotation).where(*live)) or 0
        areas = np.fromiter(
            s.scalars(select(Annotation.area).where(*live, Annotation.area > 0)), dtype=np.float64
        )
    scale, unit = 1.0, "px²"
    if mpp is not None and mpp[0] and mpp[1]:
        scale, unit = float(mpp[0]) * float(mpp[1]), "µm²"
    per_term = [TermStatistics(int(t), int(n), float(a) * scale) for t, n, a in by_term]
    if untermed[0]:
        per_term.append(TermStatistics(None, int(untermed[0]), float(untermed[1]) * scale))
    return ImageStatistics(per_term, areas * scale, unit, int(total))
