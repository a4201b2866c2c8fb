"""Correction brush, as in Cytomine's "correct" tool (and QuPath's brush).

The stroke is buffered by the brush radius and combined with the target polygon: a
stroke that *starts inside* the target grows it (union), one that starts outside — or
any stroke with Alt held — cuts it (difference). With no target, the stroke becomes a
new annotation, which is how QuPath's brush behaves and saves a tool switch.

The radius is given in screen pixels (``radius_screen_px``, adjustable at runtime, e.g.
with ``[``/``]``) and fixed in image pixels at press time, so the brush feels the same at
every zoom and a stroke keeps one width even if the view zooms mid-stroke.
"""

from __future__ import annotations

import shapely
from shapely.geometry.base import BaseGeometry

from desktop_app.core.geometry import simplify_stroke
from desktop_app.core.tools.base import (
    IGNORED,
    BaseTool,
    Button,
    Correct,
    Create,
    Pk,
    PointerEvent,
    ToolContext,
    ToolResult,
)
from desktop_app.core.tools.stroke import Stroke

_POLYGONAL = ("Polygon", "MultiPolygon")


class BrushTool(BaseTool):
    def __init__(self, ctx: ToolContext | None = None) -> None:
        super().__init__(ctx)
        self.radius_screen_px = self.settings.brush_radius_screen_px
        self._stroke = Stroke()
        self._radius = 0.0
        self._downsample = 1.0
        self._target: Pk | None = None
        self._subtract = False

    @property
    def busy(self) -> bool:
        return len(self._stroke) > 0

    @property
    def subtracting(self) -> bool:
        """Whether the stroke in progress cuts (for the overlay's colour)."""
        return self._subtract

    def reset(self) -> None:
        self._stroke.clear()
        self._target = None
        self._subtract = False

    def stroke_shape(self) -> BaseGeometry | None:
        """The painted area so far: the simplified stroke buffered by the radius."""
        if not self.busy:
            return None
        pts = simplify_stroke(
            self._stroke.points, self.settings.simplify_screen_px, self._downsample
        )
        line = shapely.Point(pts[0]) if len(pts) == 1 else shapely.LineString(pts)
        return line.buffer(self._radius, quad_segs=8)

    def preview(self) -> BaseGeometry | None:
        return self.stroke_shape()

    def press(self, ev: PointerEvent) -> ToolResult:
        if ev.button is not Button.LEFT:
            return IGNORED
        self.reset()
        self._downsample = ev.downsample
        self._radius = self.radius_screen_px * ev.downsample
        self._target = pick_target(self.ctx, ev.x, ev.y)
        geom = self.ctx.hits.geometry(self._target) if self._target is not None else None
        starts_inside = geom is not None and geom.covers(shapely.Point(ev.x, ev.y))
        self._subtract = geom is not None and (ev.alt or not starts_inside)
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
        extent = self._stroke.extent()
        stroke = self.stroke_shape()
        target, subtract = self._target, self._subtract
        self.reset()
        if stroke is None or extent < self.min_drag(ev):
            return ToolResult()  # an accidental dab never changes anything
        return combine(self, target, stroke, subtract)


def pick_target(ctx: ToolContext, x: float, y: float) -> Pk | None:
    """The selected polygon a brush/wand stroke at (x, y) edits: one under the point,
    else the first selected polygon; None (draw a new annotation) without one."""
    geoms = {pk: ctx.hits.geometry(pk) for pk in tuple(ctx.selection())}
    polygonal = {pk: g for pk, g in geoms.items() if g is not None and g.geom_type in _POLYGONAL}
    here = shapely.Point(x, y)
    inside = [pk for pk, g in polygonal.items() if g.covers(here)]
    if inside:
        return inside[0]
    return next(iter(polygonal), None)


def combine(tool: BaseTool, target: Pk | None, shape: BaseGeometry, subtract: bool) -> ToolResult:
    """Finish a painted ``shape``: a new annotation without a target, else the target
    grown by it or cut by it (refusing a cut that would leave nothing)."""
    if target is None:
        return tool.finish(Create, shape)
    geom = tool.ctx.hits.geometry(target)
    if geom is None:
        return ToolResult(error="The annotation to correct is no longer available.")
    new = geom.difference(shape) if subtract else geom.union(shape)
    if new.is_empty:
        return ToolResult(
            error="The correction would erase the whole annotation; delete it instead."
        )
    return tool.finish(lambda g: Correct(target, g), new)
