"""Base / mine / theirs of one conflict drawn over the slide in distinct dashed colours."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from shapely.geometry.base import BaseGeometry

from desktop_app.services.sync_issues import ConflictShapes
from desktop_app.ui.annotations.raster import view_shapes
from desktop_app.ui.viewer import SlideView, ViewTransform

#: (name, colour, pen style): what the legend and the panel show.
STYLES = (
    ("base", "#BDBDBD", Qt.PenStyle.DotLine),
    ("mine", "#2979FF", Qt.PenStyle.DashLine),
    ("theirs", "#FF6D00", Qt.PenStyle.DashDotLine),
)


class ConflictOverlay:
    """An OverlayPainter; ``set_shapes(None)`` hides it."""

    def __init__(self, view: SlideView) -> None:
        self._view = view
        self.shapes: ConflictShapes | None = None

    def set_shapes(self, shapes: ConflictShapes | None) -> None:
        self.shapes = shapes
        self._view.update()

    def paint(
        self, p: QPainter, t: ViewTransform, _visible: tuple[float, float, float, float]
    ) -> None:
        shapes = self.shapes
        if shapes is None:
            return
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        present = []
        for name, color, style in STYLES:
            geom: BaseGeometry | None = getattr(shapes, name)
            if geom is None:
                continue
            present.append((name, color, style))
            paths = view_shapes([geom], t)
            for c, w, s in (
                (QColor(0, 0, 0, 150), 4.5, Qt.PenStyle.SolidLine),
                (QColor(color), 2.5, style),
            ):
                pen = QPen(c, w, s)
                pen.setCosmetic(True)
                p.setPen(pen)
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawPath(paths.areas)
                p.drawPath(paths.lines)
                p.drawPoints(paths.dots)
        self._legend(p, present)
        p.restore()

    def _legend(self, p: QPainter, present: list[tuple[str, str, Qt.PenStyle]]) -> None:
        if not present:
            return
        h = 18 * len(present) + 8
        box = QRectF(10, 10, 110, h)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(0, 0, 0, 170))
        p.drawRoundedRect(box, 4, 4)
        for i, (name, color, style) in enumerate(present):
            y = 10 + 4 + 18 * i + 9
            pen = QPen(QColor(color), 2.5, style)
            p.setPen(pen)
            p.drawLine(QPointF(18, y), QPointF(52, y))
            p.setPen(QColor("#FFFFFF"))
            p.drawText(QRectF(60, y - 9, 60, 18), Qt.AlignmentFlag.AlignVCenter, name)


__all__ = ["STYLES", "ConflictOverlay"]
