"""Tool icons drawn with QPainter: no binary assets to ship, crisp at any DPI."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from desktop_app.core.tools import ToolMode

SIZE = 32
INK = QColor("#263238")
ACCENT = QColor("#1E88E5")


def _pen(width: float = 2.2, color: QColor = INK) -> QPen:
    pen = QPen(color, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _arrow(p: QPainter) -> None:
    poly = QPolygonF(
        [
            QPointF(x, y)
            for x, y in ((8, 4), (8, 26), (13, 21), (17, 29), (21, 27), (17, 19), (24, 19))
        ]
    )
    p.setBrush(QColor("white"))
    p.drawPolygon(poly)


def _hand(p: QPainter) -> None:
    p.setBrush(QColor("#FFE0B2"))
    p.drawRoundedRect(QRectF(9, 13, 15, 14), 5, 5)
    for i, h in enumerate((9, 6, 7, 10)):
        p.drawRoundedRect(QRectF(9 + i * 3.8, h, 3.6, 12), 1.8, 1.8)


def _move(p: QPainter) -> None:
    p.drawLine(QPointF(16, 5), QPointF(16, 27))
    p.drawLine(QPointF(5, 16), QPointF(27, 16))
    p.setBrush(INK)
    for tip, a, b in (
        ((16, 3), (12, 8), (20, 8)),
        ((16, 29), (12, 24), (20, 24)),
        ((3, 16), (8, 12), (8, 20)),
        ((29, 16), (24, 12), (24, 20)),
    ):
        p.drawPolygon(QPolygonF([QPointF(*tip), QPointF(*a), QPointF(*b)]))


def _vertices(p: QPainter) -> None:
    pts = [QPointF(6, 24), QPointF(12, 6), QPointF(26, 10), QPointF(22, 26)]
    p.drawPolygon(QPolygonF(pts))
    p.setBrush(QColor("white"))
    for pt in pts:
        p.drawRect(QRectF(pt.x() - 3, pt.y() - 3, 6, 6))


def _polygon(p: QPainter) -> None:
    p.setBrush(QColor(30, 136, 229, 60))
    p.drawPolygon(
        QPolygonF([QPointF(x, y) for x, y in ((5, 22), (10, 6), (22, 5), (27, 18), (16, 27))])
    )


def _freehand(p: QPainter) -> None:
    path = QPainterPath(QPointF(5, 18))
    path.cubicTo(QPointF(3, 6), QPointF(14, 10), QPointF(17, 5))
    path.cubicTo(QPointF(21, 0), QPointF(31, 8), QPointF(25, 15))
    path.cubicTo(QPointF(20, 20), QPointF(29, 27), QPointF(17, 27))
    path.cubicTo(QPointF(9, 27), QPointF(12, 21), QPointF(5, 18))
    p.setBrush(QColor(30, 136, 229, 60))
    p.drawPath(path)
    p.setBrush(INK)
    p.drawEllipse(QPointF(5, 18), 2, 2)


def _brush(p: QPainter) -> None:
    p.setBrush(QColor(30, 136, 229, 60))
    p.drawEllipse(QRectF(4, 12, 16, 16))
    p.drawLine(QPointF(16, 16), QPointF(28, 4))


def _point(p: QPainter) -> None:
    p.setBrush(ACCENT)
    for x, y in ((10, 10), (22, 14), (13, 23)):
        p.drawEllipse(QPointF(x, y), 3.5, 3.5)


def _select(p: QPainter) -> None:
    pen = _pen(1.6)
    pen.setStyle(Qt.PenStyle.DashLine)
    p.setPen(pen)
    p.drawRect(QRectF(4, 4, 20, 16))
    p.setPen(_pen())
    p.save()
    p.translate(8, 6)
    p.scale(0.75, 0.75)
    _arrow(p)
    p.restore()


def _circle(p: QPainter) -> None:
    p.setBrush(QColor(30, 136, 229, 60))
    p.drawEllipse(QRectF(5, 5, 22, 22))


def _rectangle(p: QPainter) -> None:
    p.setBrush(QColor(30, 136, 229, 60))
    p.drawRect(QRectF(5, 8, 22, 16))


_DRAW = {
    ToolMode.SELECT: _select,
    ToolMode.MOVE: _move,
    ToolMode.VERTEX_EDIT: _vertices,
    ToolMode.CIRCLE: _circle,
    ToolMode.RECTANGLE: _rectangle,
    ToolMode.POLYGON: _polygon,
    ToolMode.FREEHAND: _freehand,
    ToolMode.POINT: _point,
    ToolMode.BRUSH: _brush,
}


def tool_icon(mode: ToolMode | None) -> QIcon:
    """The icon of ``mode`` (``None``: the pan/navigate hand)."""
    pixmap = QPixmap(SIZE, SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(_pen())
    (_hand if mode is None else _DRAW[mode])(p)
    p.end()
    return QIcon(pixmap)


def swatch_icon(color: str, size: int = 14) -> QIcon:
    """A filled, outlined square for term colours."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setPen(QColor(0, 0, 0, 160))
    p.setBrush(QColor(color))
    p.drawRect(0, 0, size - 1, size - 1)
    p.end()
    return QIcon(pixmap)
