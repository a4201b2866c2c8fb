"""The overview in the view's corner: the whole slide plus the viewport rectangle.

It draws only the pinned coarsest level, so it is complete as soon as the slide opens,
and it keeps that drawing: the viewport moves with every pan or zoom step, and drawing
the slide again each time (0.3-0.9 ms of UI-thread CPU per step in a profiled tour)
cost more than the blit of the kept image; ``refresh`` redraws it when the slide's
pixels change (tiles pinned, adjustments).  Clicking or dragging emits ``navigate(x, y)`` in level-0
pixels; the view decides what that means (it keeps its zoom and recentres).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from desktop_app.ui.viewer import navigation
from desktop_app.ui.viewer.tile_layer import TileLayer
from desktop_app.ui.viewer.transform import ViewTransform

_MAX_SIDE = 200
_MARGIN = 3


class Minimap(QWidget):
    """Overview of the slide; ``navigate(x, y)`` on click/drag."""

    navigate = Signal(float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layer: TileLayer | None = None
        self._viewport: tuple[float, float, float, float] | None = None
        # the slide as last drawn; drawn again at a new size (resize, device pixel ratio)
        self._slide: QImage | None = None
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Overview: click or drag to move the view")
        self.resize(_MAX_SIDE, _MAX_SIDE)
        self.hide()

    def set_layer(self, layer: TileLayer | None) -> None:
        """Size the widget to the slide's aspect ratio and show its coarsest level."""
        self._layer = layer
        self._slide = None
        if layer is not None:
            w, h = layer.info.width, layer.info.height
            scale = _MAX_SIDE / max(w, h)
            self.resize(
                max(24, round(w * scale)) + 2 * _MARGIN, max(24, round(h * scale)) + 2 * _MARGIN
            )
        self.update()

    def refresh(self) -> None:
        """The slide's pixels changed (coarsest tiles pinned, adjustments): redraw."""
        self._slide = None
        self.update()

    def set_viewport(self, rect: tuple[float, float, float, float]) -> None:
        self._viewport = rect
        self.update()

    def transform(self) -> ViewTransform | None:
        """Level-0 -> minimap pixels (the slide fitted inside the margins)."""
        if self._layer is None:
            return None
        info = self._layer.info
        ds = navigation.fit_downsample(
            info, self.width() - 2 * _MARGIN, self.height() - 2 * _MARGIN
        )
        return ViewTransform(info.width / 2, info.height / 2, ds, self.width(), self.height())

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt override
        t = self.transform()
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(30, 30, 34, 230))
        if t is not None and self._layer is not None:
            p.drawImage(0, 0, self._slide_image(self._layer, t))
            if self._viewport is not None:
                r = t.view_rect_of(*self._viewport).intersected(QRectF(self.rect()))
                p.setPen(QPen(QColor(255, 40, 40), 2))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(r.adjusted(1, 1, -1, -1))
        p.setPen(QPen(QColor(160, 160, 160), 1))
        p.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        p.end()

    def _slide_image(self, layer: TileLayer, t: ViewTransform) -> QImage:
        dpr = self.devicePixelRatioF()
        size = QSize(round(self.width() * dpr), round(self.height() * dpr))
        if self._slide is None or self._slide.size() != size:
            image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
            image.setDevicePixelRatio(dpr)  # drawn in widget coordinates, at device pixels
            image.fill(0)
            q = QPainter(image)
            layer.paint(q, t, level=layer.info.level_count - 1, background=False)
            q.end()
            self._slide = image
        return self._slide

    def mousePressEvent(self, event: QMouseEvent) -> None:  # Qt override
        self._emit_at(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # Qt override
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._emit_at(event.position())

    def _emit_at(self, pos: QPointF) -> None:
        t = self.transform()
        if t is not None:
            self.navigate.emit(*t.to_image(pos.x(), pos.y()))
