"""The single mapping between view (screen) pixels and level-0 image pixels.

Every part of the viewer -- tile painting, overlays, mouse handling, the minimap's
viewport rectangle, ``render_to_image`` -- converts coordinates through one
``ViewTransform`` value, so a one-pixel disagreement between them cannot creep in.
The value is immutable: navigation produces a new transform instead of mutating state
shared with painters.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QTransform


@dataclass(frozen=True, slots=True)
class ViewTransform:
    """A view of ``width`` x ``height`` screen pixels centred on level-0 ``(cx, cy)``.

    ``downsample`` is level-0 pixels per screen pixel (1 = full resolution, 4 = a
    quarter, 0.5 = magnified beyond the scan).
    """

    cx: float
    cy: float
    downsample: float
    width: int
    height: int

    @property
    def origin(self) -> tuple[float, float]:
        """The level-0 point under the view's top-left corner."""
        return (
            self.cx - self.width / 2 * self.downsample,
            self.cy - self.height / 2 * self.downsample,
        )

    def to_view(self, x: float, y: float) -> tuple[float, float]:
        ox, oy = self.origin
        return ((x - ox) / self.downsample, (y - oy) / self.downsample)

    def to_image(self, vx: float, vy: float) -> tuple[float, float]:
        ox, oy = self.origin
        return (ox + vx * self.downsample, oy + vy * self.downsample)

    def visible_rect(self) -> tuple[float, float, float, float]:
        """``(x0, y0, x1, y1)`` of the level-0 area the view covers."""
        ox, oy = self.origin
        return (ox, oy, ox + self.width * self.downsample, oy + self.height * self.downsample)

    def view_rect_of(self, x0: float, y0: float, x1: float, y1: float) -> QRectF:
        """The screen rectangle of the level-0 rectangle ``(x0, y0)-(x1, y1)``."""
        vx0, vy0 = self.to_view(x0, y0)
        vx1, vy1 = self.to_view(x1, y1)
        return QRectF(QPointF(vx0, vy0), QPointF(vx1, vy1))

    def qtransform(self) -> QTransform:
        """Level-0 -> view, for painters that prefer to draw in image coordinates."""
        ox, oy = self.origin
        s = 1.0 / self.downsample
        return QTransform(s, 0.0, 0.0, s, -ox * s, -oy * s)

    def with_size(self, width: int, height: int) -> ViewTransform:
        return replace(self, width=max(1, width), height=max(1, height))

    def centred(self, cx: float, cy: float, downsample: float | None = None) -> ViewTransform:
        ds = self.downsample if downsample is None else downsample
        return replace(self, cx=cx, cy=cy, downsample=ds)
