"""What the active tool draws besides its preview: the brush circle and measurements.

The brush cursor is a circle of the brush's diameter in *screen* pixels around the
pointer (what the stroke will paint at this zoom), drawn black-on-white so it shows on
any stain. The ruler's length (a result's ``info``) is written beside the end of its
path.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from shapely.geometry.base import BaseGeometry

from desktop_app.core.tools import BrushTool, ToolResult, WandTool
from desktop_app.ui.annotations.tools import ToolController
from desktop_app.ui.viewer import SlideView, ViewTransform


class ToolOverlay(QObject):
    def __init__(self, view: SlideView, tools: ToolController) -> None:
        super().__init__(view)
        self._view = view
        self._tools = tools
        self.info: str | None = None
        self._anchor: tuple[float, float] | None = None
        tools.pointer_moved.connect(lambda _p: self._view.update())
        tools.mode_changed.connect(lambda _m: self.on_result(ToolResult()))

    def on_result(self, result: ToolResult) -> None:
        self.info = result.info
        self._anchor = _end_of(result.preview) if result.info else None
        self._view.update()

    def paint(self, p: QPainter, t: ViewTransform, _visible: object) -> None:
        tool = self._tools.tool
        pos = self._tools.cursor_pos
        if isinstance(tool, BrushTool | WandTool) and pos is not None:
            self._paint_circle(p, pos, tool)
        if self.info and self._anchor is not None:
            vx, vy = t.to_view(*self._anchor)
            self._paint_label(p, QPointF(vx + 12, vy - 12), self.info)

    def _paint_circle(self, p: QPainter, pos: QPointF, tool: BrushTool | WandTool) -> None:
        # the wand: a small ring marking the seed point
        radius = self._tools.prefs.brush_diameter / 2.0 if isinstance(tool, BrushTool) else 6.0
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setBrush(Qt.BrushStyle.NoBrush)
        for color, width in ((QColor(255, 255, 255, 220), 3.0), (QColor(0, 0, 0, 230), 1.2)):
            p.setPen(QPen(color, width))
            p.drawEllipse(pos, radius, radius)
        if isinstance(tool, BrushTool) and tool.subtracting:
            p.drawLine(QPointF(pos.x() - 4, pos.y()), QPointF(pos.x() + 4, pos.y()))
        p.restore()

    def _paint_label(self, p: QPainter, at: QPointF, text: str) -> None:
        p.save()
        font = QFont(p.font())
        font.setPointSizeF(max(font.pointSizeF(), 9.0) + 1)
        font.setBold(True)
        p.setFont(font)
        rect = p.fontMetrics().boundingRect(text)
        box = QRectF(at.x(), at.y() - rect.height(), rect.width() + 10, rect.height() + 6)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(0, 0, 0, 170))
        p.drawRoundedRect(box, 4, 4)
        p.setPen(QColor("#FFEB3B"))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        p.restore()


def _end_of(geom: BaseGeometry | None) -> tuple[float, float] | None:
    if geom is None or geom.is_empty:
        return None
    coords = list(geom.coords) if hasattr(geom, "coords") else []
    if not coords:
        return None
    x, y = coords[-1][:2]
    return float(x), float(y)
