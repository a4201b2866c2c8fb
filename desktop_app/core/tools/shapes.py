"""Press-drag-release shape tools (rectangle, circle) and the point tool.

Like QuPath's ``AbstractPathDraggingROIToolEventHandler``, the drag logic lives once in
:class:`DragShapeTool`; each concrete tool only says which shape two corners make.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from desktop_app.core.tools.base import (
    IGNORED,
    BaseTool,
    Button,
    CountPoint,
    Create,
    PointerEvent,
    ToolResult,
    distance,
)


class DragShapeTool(BaseTool):
    """Template: press anchors, move previews, release creates (unless the drag was tiny)."""

    _start: tuple[float, float] | None = None
    _current: PointerEvent | None = None

    @property
    def busy(self) -> bool:
        return self._start is not None

    def reset(self) -> None:
        self._start = None
        self._current = None

    def make_shape(self, x0: float, y0: float, ev: PointerEvent) -> BaseGeometry:
        raise NotImplementedError

    def preview(self) -> BaseGeometry | None:
        if self._start is None or self._current is None:
            return None
        if distance(*self._start, self._current.x, self._current.y) <= 0:
            return None
        return self.make_shape(*self._start, self._current)

    def press(self, ev: PointerEvent) -> ToolResult:
        if ev.button is not Button.LEFT:
            return IGNORED
        self._start = (ev.x, ev.y)
        self._current = ev
        return self.result()

    def move(self, ev: PointerEvent) -> ToolResult:
        if self._start is None:
            return IGNORED
        self._current = ev
        return self.result()

    def release(self, ev: PointerEvent) -> ToolResult:
        if self._start is None:
            return IGNORED
        x0, y0 = self._start
        self.reset()
        if distance(x0, y0, ev.x, ev.y) < self.min_drag(ev):
            return ToolResult()  # an accidental click-drag never creates anything
        return self.finish(Create, self.make_shape(x0, y0, ev))


class RectangleTool(DragShapeTool):
    """Drag between opposite corners; Shift constrains to a square."""

    def make_shape(self, x0: float, y0: float, ev: PointerEvent) -> BaseGeometry:
        dx, dy = ev.x - x0, ev.y - y0
        if ev.shift:
            side = max(abs(dx), abs(dy))
            dx, dy = float(np.copysign(side, dx)), float(np.copysign(side, dy))
        return shapely.box(min(x0, x0 + dx), min(y0, y0 + dy), max(x0, x0 + dx), max(y0, y0 + dy))


def circle_polygon(cx: float, cy: float, r: float, segments: int = 64) -> shapely.Polygon:
    """A circle as a ``segments``-gon; the first vertex is at angle 0 (to the right)."""
    angles = np.linspace(0.0, 2.0 * np.pi, segments, endpoint=False)
    ring = np.column_stack((cx + r * np.cos(angles), cy + r * np.sin(angles)))
    return shapely.Polygon(ring)


class CircleTool(DragShapeTool):
    """Drag from the centre (radius = drag length); with Shift, drag across the bounding square."""

    def make_shape(self, x0: float, y0: float, ev: PointerEvent) -> BaseGeometry:
        n = self.settings.circle_segments
        if not ev.shift:
            return circle_polygon(x0, y0, distance(x0, y0, ev.x, ev.y), n)
        dx, dy = ev.x - x0, ev.y - y0
        side = max(abs(dx), abs(dy))
        cx = x0 + float(np.copysign(side, dx)) / 2.0
        cy = y0 + float(np.copysign(side, dy)) / 2.0
        return circle_polygon(cx, cy, side / 2.0, n)


class PointTool(BaseTool):
    """Click to place a point (created on release, at the press position).

    With ``counting`` on (QuPath's counting workflow), each click adds the point to the
    multi-point annotation of the active term instead of creating a new annotation.
    """

    _pressed: tuple[float, float] | None = None
    counting: bool = False

    @property
    def busy(self) -> bool:
        return self._pressed is not None

    def reset(self) -> None:
        self._pressed = None

    def preview(self) -> BaseGeometry | None:
        return shapely.Point(self._pressed) if self._pressed else None

    def press(self, ev: PointerEvent) -> ToolResult:
        if ev.button is not Button.LEFT:
            return IGNORED
        self._pressed = (ev.x, ev.y)
        return self.result()

    def release(self, ev: PointerEvent) -> ToolResult:
        if self._pressed is None:
            return IGNORED
        point = shapely.Point(self._pressed)
        self.reset()
        if self.counting:
            return self.result(output=CountPoint(point.x, point.y))
        return self.finish(Create, point)
