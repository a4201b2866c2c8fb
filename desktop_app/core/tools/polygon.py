"""Click-by-click polygon and freehand (lasso) tools."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from desktop_app.core.geometry import simplify_stroke
from desktop_app.core.tools.base import (
    IGNORED,
    BaseTool,
    Button,
    Create,
    KeyEvent,
    PointerEvent,
    ToolContext,
    ToolResult,
    distance,
)
from desktop_app.core.tools.stroke import Stroke


class PolygonTool(BaseTool):
    """Click vertices; moving shows a rubber band to the cursor.

    Closing: double-click, Enter, or a click near the first vertex. Backspace removes the
    last vertex, Escape cancels. A click within the click slop of the previous vertex is
    ignored, so the press that precedes a double-click never adds a duplicate vertex.
    """

    def __init__(self, ctx: ToolContext | None = None) -> None:
        super().__init__(ctx)
        self._vertices: list[tuple[float, float]] = []
        self._cursor: tuple[float, float] | None = None

    @property
    def busy(self) -> bool:
        return bool(self._vertices)

    @property
    def vertices(self) -> tuple[tuple[float, float], ...]:
        return tuple(self._vertices)

    def reset(self) -> None:
        self._vertices = []
        self._cursor = None

    def preview(self) -> BaseGeometry | None:
        pts = list(self._vertices)
        if self._cursor is not None and pts and self._cursor != pts[-1]:
            pts.append(self._cursor)
        if not pts:
            return None
        return shapely.Point(pts[0]) if len(pts) == 1 else shapely.LineString(pts)

    def press(self, ev: PointerEvent) -> ToolResult:
        if ev.button is not Button.LEFT:
            return IGNORED
        slop = self.min_drag(ev)
        close_tol = self.settings.close_polygon_screen_px * ev.downsample
        if len(self._vertices) >= 3 and distance(*self._vertices[0], ev.x, ev.y) <= close_tol:
            return self._close()
        if not self._vertices or distance(*self._vertices[-1], ev.x, ev.y) >= slop:
            self._vertices.append((ev.x, ev.y))
        self._cursor = (ev.x, ev.y)
        return self.result()

    def move(self, ev: PointerEvent) -> ToolResult:
        if not self._vertices:
            return IGNORED
        self._cursor = (ev.x, ev.y)
        return self.result()

    def release(self, ev: PointerEvent) -> ToolResult:
        return self.result() if self._vertices else IGNORED

    def double_click(self, ev: PointerEvent) -> ToolResult:
        if not self._vertices:
            return IGNORED
        if distance(*self._vertices[-1], ev.x, ev.y) >= self.min_drag(ev):
            self._vertices.append((ev.x, ev.y))
        return self._close()

    def key(self, ev: KeyEvent) -> ToolResult:
        if not self._vertices:
            return IGNORED
        if ev.key == "Enter":
            return self._close()
        if ev.key == "Escape":
            return self.cancel()
        if ev.key in ("Backspace", "Delete"):
            self._vertices.pop()
            if not self._vertices:
                self._cursor = None
            return self.result()
        return IGNORED

    def _close(self) -> ToolResult:
        if len(self._vertices) < 3:
            return self.result(error="A polygon needs at least 3 vertices.")
        ring = list(self._vertices)
        self.reset()
        return self.finish(Create, shapely.Polygon(ring))


class FreehandTool(BaseTool):
    """Drag a lasso; the closed stroke is simplified so it is not thousands of vertices.

    Tolerance is ``simplify_screen_px`` x downsample (Douglas-Peucker), then doubled until
    the vertex count is at most ``max_vertices``: a hard bound whatever the input device.
    """

    def __init__(self, ctx: ToolContext | None = None) -> None:
        super().__init__(ctx)
        self._stroke = Stroke()

    @property
    def busy(self) -> bool:
        return len(self._stroke) > 0

    def reset(self) -> None:
        self._stroke.clear()

    def preview(self) -> BaseGeometry | None:
        return self._stroke.line()

    def press(self, ev: PointerEvent) -> ToolResult:
        if ev.button is not Button.LEFT:
            return IGNORED
        self._stroke.clear()
        self._stroke.append(ev.x, ev.y)
        return self.result()

    def move(self, ev: PointerEvent) -> ToolResult:
        if not self.busy:
            return IGNORED
        self._stroke.append(ev.x, ev.y)
        return self.result()

    def release(self, ev: PointerEvent) -> ToolResult:
        if not self.busy:
            return IGNORED
        self._stroke.append(ev.x, ev.y)
        pts, extent = self._stroke.points.copy(), self._stroke.extent()
        self.reset()
        if len(pts) < self.settings.min_stroke_points or extent < self.min_drag(ev):
            return ToolResult()
        ring = simplify_ring(
            pts, self.settings.simplify_screen_px, ev.downsample, self.settings.max_vertices
        )
        if len(ring) < 3:
            return ToolResult(error="The stroke is too small to make an area.")
        return self.finish(Create, shapely.Polygon(ring))


def simplify_ring(
    pts: np.ndarray, tolerance_screen_px: float, downsample: float, max_vertices: int
) -> np.ndarray:
    """Simplify a closed stroke, coarsening until at most ``max_vertices`` remain."""
    closed = np.vstack([pts, pts[:1]])
    tol = tolerance_screen_px
    out = simplify_stroke(closed, tol, downsample)
    while len(out) - 1 > max_vertices:
        tol = tol * 2 if tol > 0 else 1.0
        out = simplify_stroke(closed, tol, downsample)
    return out[:-1] if len(out) > 1 and np.array_equal(out[0], out[-1]) else out
