"""Open paths: the line/polyline tool, the ruler and "split along a line".

All three are drawn the same way: click vertices (a rubber band follows the cursor) and
finish with a double-click or Enter, or press-drag-release for a straight segment.
Backspace removes the last vertex, Escape cancels. They differ in what a finished path
becomes: a LineString annotation, a measurement only (the ruler keeps showing the path
and its length until the next one), or a :class:`Split` of the selected polygon.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from desktop_app.core.tools.base import (
    IGNORED,
    BaseTool,
    Button,
    Create,
    KeyEvent,
    PointerEvent,
    Split,
    ToolContext,
    ToolResult,
    distance,
)


def path_length_um(coords: np.ndarray, pixel_size: tuple[float, float] | None) -> float | None:
    """Length of a path of level-0 ``coords`` in µm (None when the pixel size is unknown)."""
    if pixel_size is None or len(coords) < 2:
        return None
    d = np.diff(np.asarray(coords, dtype=float), axis=0) * np.asarray(pixel_size, dtype=float)
    return float(np.hypot(d[:, 0], d[:, 1]).sum())


def describe_length(coords: np.ndarray, pixel_size: tuple[float, float] | None) -> str:
    px = float(shapely.LineString(coords).length) if len(coords) >= 2 else 0.0
    um = path_length_um(coords, pixel_size)
    if um is None:
        return f"{px:,.1f} px"
    return f"{um / 1000:,.3f} mm ({px:,.0f} px)" if um >= 1000 else f"{um:,.1f} µm ({px:,.0f} px)"


class PathTool(BaseTool):
    """Vertex-by-vertex open path; subclasses say what a finished path becomes."""

    min_vertices = 2

    def __init__(self, ctx: ToolContext | None = None) -> None:
        super().__init__(ctx)
        self._vertices: list[tuple[float, float]] = []
        self._cursor: tuple[float, float] | None = None
        self._pressed: tuple[float, float] | None = None

    @property
    def busy(self) -> bool:
        return bool(self._vertices)

    @property
    def vertices(self) -> tuple[tuple[float, float], ...]:
        return tuple(self._vertices)

    def reset(self) -> None:
        self._vertices = []
        self._cursor = None
        self._pressed = None

    def _points(self) -> list[tuple[float, float]]:
        pts = list(self._vertices)
        if self._cursor is not None and pts and self._cursor != pts[-1]:
            pts.append(self._cursor)
        return pts

    def preview(self) -> BaseGeometry | None:
        pts = self._points()
        if not pts:
            return None
        return shapely.Point(pts[0]) if len(pts) == 1 else shapely.LineString(pts)

    def press(self, ev: PointerEvent) -> ToolResult:
        if ev.button is not Button.LEFT:
            return IGNORED
        self.on_start()
        if not self._vertices or distance(*self._vertices[-1], ev.x, ev.y) >= self.min_drag(ev):
            self._vertices.append((ev.x, ev.y))
        self._cursor = (ev.x, ev.y)
        self._pressed = (ev.x, ev.y)
        return self.result()

    def on_start(self) -> None:
        """Called on every press (the ruler forgets a finished measurement here)."""

    def move(self, ev: PointerEvent) -> ToolResult:
        if not self._vertices:
            return IGNORED
        self._cursor = (ev.x, ev.y)
        return self.result()

    def release(self, ev: PointerEvent) -> ToolResult:
        if not self._vertices:
            return IGNORED
        pressed, self._pressed = self._pressed, None
        dragged = pressed is not None and distance(*pressed, ev.x, ev.y) >= self.min_drag(ev)
        if dragged and len(self._vertices) == 1:
            self._vertices.append((ev.x, ev.y))  # press-drag-release: a straight segment
            return self._finish()
        return self.result()

    def double_click(self, ev: PointerEvent) -> ToolResult:
        if not self._vertices:
            return IGNORED
        if distance(*self._vertices[-1], ev.x, ev.y) >= self.min_drag(ev):
            self._vertices.append((ev.x, ev.y))
        return self._finish()

    def key(self, ev: KeyEvent) -> ToolResult:
        if not self._vertices:
            return IGNORED
        if ev.key == "Enter":
            return self._finish()
        if ev.key == "Escape":
            return self.cancel()
        if ev.key in ("Backspace", "Delete"):
            self._vertices.pop()
            if not self._vertices:
                self._cursor = None
            return self.result()
        return IGNORED

    def _finish(self) -> ToolResult:
        if len(self._vertices) < self.min_vertices:
            return self.result(error="A line needs at least 2 points.")
        coords = np.asarray(self._vertices, dtype=float)
        return self.finished(coords)

    def finished(self, coords: np.ndarray) -> ToolResult:
        raise NotImplementedError


class LineTool(PathTool):
    """A line or polyline annotation (LineString)."""

    def finished(self, coords: np.ndarray) -> ToolResult:
        self.reset()
        return self.finish(Create, shapely.LineString(coords))


class RulerTool(PathTool):
    """Measures a path without creating anything; the path and its length stay shown
    until the next press, Escape or another tool."""

    def __init__(self, ctx: ToolContext | None = None) -> None:
        super().__init__(ctx)
        self._done: np.ndarray | None = None

    @property
    def busy(self) -> bool:
        return bool(self._vertices) or self._done is not None

    def reset(self) -> None:
        super().reset()
        self._done = None

    def on_start(self) -> None:
        self._done = None

    def _coords(self) -> np.ndarray:
        return self._done if self._done is not None else np.asarray(self._points(), dtype=float)

    def preview(self) -> BaseGeometry | None:
        if self._done is not None:
            return shapely.LineString(self._done)
        return super().preview()

    def info(self) -> str | None:
        coords = self._coords()
        if len(coords) < 2:
            return None
        return describe_length(coords, self.ctx.pixel_size())

    def key(self, ev: KeyEvent) -> ToolResult:
        if ev.key == "Escape" and self._done is not None:
            return self.cancel()
        return super().key(ev)

    def finished(self, coords: np.ndarray) -> ToolResult:
        self._vertices, self._cursor, self._pressed = [], None, None
        self._done = coords
        return self.result()


class SplitTool(PathTool):
    """Draw a line across the selected polygon to cut it into pieces."""

    def finished(self, coords: np.ndarray) -> ToolResult:
        self.reset()
        selection = tuple(self.ctx.selection())
        if len(selection) != 1:
            return ToolResult(error="Select one polygon, then draw the line to split it along.")
        pk = selection[0]
        geom = self.ctx.hits.geometry(pk)
        if geom is None or geom.geom_type not in ("Polygon", "MultiPolygon"):
            return ToolResult(error="Only a polygon can be split.")
        line = shapely.LineString(coords)
        if not line.crosses(geom):
            return ToolResult(error="The line must cross the polygon to split it.")
        return ToolResult(output=Split(pk, line))
