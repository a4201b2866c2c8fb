"""The tools' view of the annotations: the layer's in-memory snapshot (visible shapes)."""

from __future__ import annotations

from collections.abc import Hashable

from shapely.geometry.base import BaseGeometry

from desktop_app.ui.annotations.layer import AnnotationLayer
from desktop_app.ui.annotations.layer_data import Rect


class LayerHits:
    """The tools' HitTester over the layer's in-memory snapshot (visible shapes only)."""

    def __init__(self, layer: AnnotationLayer) -> None:
        self._layer = layer

    def hit(self, x: float, y: float, tolerance: float) -> int | None:
        data = self._layer.data
        return None if data is None else data.hit(x, y, tolerance, self._layer.visible_mask())

    def in_rect(self, rect: Rect) -> list[int]:
        data = self._layer.data
        return [] if data is None else data.in_rect(rect, self._layer.visible_mask())

    def geometry(self, pk: Hashable) -> BaseGeometry | None:
        # The layer's keys are the cache's int pks; anything else names no shape here.
        return self._layer.geometry(pk) if isinstance(pk, int) else None
