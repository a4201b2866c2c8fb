"""Review badges over the slide: green = accepted, red = rejected, cyan = current item."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from desktop_app.core.review import ReviewStatus
from desktop_app.ui.viewer import SlideView, ViewTransform

Bounds = tuple[float, float, float, float]
COLORS = {ReviewStatus.ACCEPTED: "#2E7D32", ReviewStatus.REJECTED: "#C62828"}
MARKS = {ReviewStatus.ACCEPTED: "\u2713", ReviewStatus.REJECTED: "\u2717"}
CURRENT = "#00E5FF"
MAX_BADGES = 5_000


class ReviewOverlay:
    """An OverlayPainter fed by the review mode (bounds + statuses already in memory)."""

    def __init__(self, view: SlideView) -> None:
        self._view = view
        self.bounds: Mapping[int, Bounds] = {}
        self.statuses: Mapping[int, ReviewStatus] = {}
        self.current: int | None = None

    def set_state(
        self,
        bounds: Mapping[int, Bounds],
        statuses: Mapping[int, ReviewStatus],
        current: int | None,
    ) -> None:
        self.bounds, self.statuses, self.current = bounds, statuses, current
        self._view.update()

    def paint(self, p: QPainter, t: ViewTransform, visible: Bounds) -> None:
        if not self.bounds:
            return
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        vx0, vy0, vx1, vy1 = visible
        font = QFont(p.font())
        font.setBold(True)
        font.setPixelSize(12)
        p.setFont(font)
        drawn = 0
        for pk, status in self.statuses.items():
            if status is ReviewStatus.PENDING or pk not in self.bounds:
                continue
            x0, y0, x1, y1 = self.bounds[pk]
            if x1 < vx0 or x0 > vx1 or y1 < vy0 or y0 > vy1:
                continue
            drawn += 1
            if drawn > MAX_BADGES:
                break
            rect = t.view_rect_of(x0, y0, x1, y1).adjusted(-4, -4, 4, 4)
            color = QColor(COLORS.get(status, "#2E7D32"))
            pen = QPen(color, 2, Qt.PenStyle.SolidLine)
            pen.setCosmetic(True)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(rect)
            badge = QRectF(rect.right() - 9, rect.top() - 9, 18, 18)
            p.setPen(QPen(QColor("#FFFFFF"), 1.5))
            p.setBrush(color)
            p.drawEllipse(badge)
            p.drawText(badge, Qt.AlignmentFlag.AlignCenter, MARKS.get(status, ""))
        if self.current is not None and self.current in self.bounds:
            rect = t.view_rect_of(*self.bounds[self.current]).adjusted(-10, -10, 10, 10)
            for color, width, style in (
                (QColor(0, 0, 0, 160), 5.0, Qt.PenStyle.SolidLine),
                (QColor(CURRENT), 3.0, Qt.PenStyle.DashLine),
            ):
                pen = QPen(color, width, style)
                pen.setCosmetic(True)
                p.setPen(pen)
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRoundedRect(rect, 6, 6)
            p.setPen(QColor(CURRENT))
            p.drawText(QPointF(rect.left(), rect.top() - 5), "reviewing")
        p.restore()


__all__ = ["ReviewOverlay"]
