"""A synchronous annotation overlay for one-shot renders (``open --screenshot``).

The interactive layer builds its canvases on worker threads and may lag a frame; a
screenshot must contain exactly what is in the cache for the region, so this painter
queries and rasterises in ``paint`` itself.  It is never used by the live window.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QPainter

from desktop_app.services.annotations import AnnotationService
from desktop_app.ui.annotations.layer_data import Display, Rect, build_layer_data
from desktop_app.ui.annotations.raster import render_canvas
from desktop_app.ui.viewer.transform import ViewTransform


class StaticAnnotationOverlay:
    """Paints the cached annotations of one image, coloured by term."""

    def __init__(self, service: AnnotationService, display: Display) -> None:
        self._service = service
        self._display = display

    def paint(self, p: QPainter, t: ViewTransform, visible: Rect) -> None:
        page = self._service.viewport(visible)
        if not len(page):
            return
        data = build_layer_data(page, visible, 0)
        canvas = render_canvas(data, self._display, visible, t.downsample)
        target = t.view_rect_of(*visible)
        p.drawImage(QPointF(round(target.x()), round(target.y())), canvas.image)
