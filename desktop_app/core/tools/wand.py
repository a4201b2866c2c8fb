"""Wand tool: press and drag; each position adds the colour-similar region around it.

Like QuPath's wand (a brush whose "stroke" is grown from the pixels), the painted area
is the union of the regions found along the drag, and on release it becomes a new
annotation or is added to the selected polygon (Alt: cut from it), exactly as the
brush does. The tool never reads pixels: each position becomes a
:class:`~desktop_app.core.tools.base.RegionRequest` in the result, the UI computes the
region off the UI thread (``desktop_app.core.wand``) and returns it with
:meth:`WandTool.add_region`. Requests closer than one screen pixel to the previous
one are not made. The wheel (or ``adjust_sensitivity``) changes the sensitivity, also
mid-drag, re-asking for the region under the cursor.
"""

from __future__ import annotations

from shapely.geometry.base import BaseGeometry

from desktop_app.core.tools.base import (
    IGNORED,
    BaseTool,
    Button,
    Pk,
    PointerEvent,
    RegionRequest,
    ToolContext,
    ToolResult,
    distance,
)
from desktop_app.core.tools.brush import combine, pick_target
from desktop_app.core.wand import sensitivity_step


class WandTool(BaseTool):
    def __init__(self, ctx: ToolContext | None = None) -> None:
        super().__init__(ctx)
        self.sensitivity = self.settings.wand_sensitivity
        self._active = False
        self._painted: BaseGeometry | None = None
        self._last: PointerEvent | None = None
        self._target: Pk | None = None
        self._subtract = False

    @property
    def busy(self) -> bool:
        return self._active

    @property
    def subtracting(self) -> bool:
        return self._subtract

    def reset(self) -> None:
        self._active = False
        self._painted = None
        self._last = None
        self._target = None
        self._subtract = False

    def preview(self) -> BaseGeometry | None:
        return self._painted

    def _request(self, ev: PointerEvent) -> ToolResult:
        self._last = ev
        req = RegionRequest(ev.x, ev.y, ev.downsample, self.sensitivity)
        return ToolResult(preview=self.preview(), request=req)

    def press(self, ev: PointerEvent) -> ToolResult:
        if ev.button is not Button.LEFT:
            return IGNORED
        self.reset()
        self._active = True
        self._target = pick_target(self.ctx, ev.x, ev.y)
        self._subtract = self._target is not None and ev.alt
        return self._request(ev)

    def move(self, ev: PointerEvent) -> ToolResult:
        if not self._active:
            return IGNORED
        last = self._last
        if last is not None and distance(last.x, last.y, ev.x, ev.y) < ev.downsample:
            return self.result()
        return self._request(ev)

    @property
    def painted(self) -> BaseGeometry | None:
        """The area painted so far (the union of the regions received)."""
        return self._painted

    def add_region(self, region: BaseGeometry | None, merged: bool = False) -> ToolResult:
        """Merge a computed region into the painted area (ignored after the gesture).

        ``merged=True``: ``region`` already is the union with :attr:`painted` (the UI
        does that union on its worker, so the UI thread never does geometry work)."""
        if not self._active or region is None or region.is_empty:
            return self.result()
        if merged or self._painted is None:
            self._painted = region
        else:
            self._painted = self._painted.union(region)
        return self.result()

    def adjust_sensitivity(self, steps: float) -> ToolResult:
        """Wheel notches: up = more sensitive (smaller regions); re-asks mid-drag."""
        self.sensitivity = sensitivity_step(self.sensitivity, steps)
        info = f"Wand sensitivity {self.sensitivity:.2f}"
        if self._active and self._last is not None:
            last = self._last
            req = RegionRequest(last.x, last.y, last.downsample, self.sensitivity)
            return ToolResult(preview=self.preview(), request=req, info=info)
        return ToolResult(preview=self.preview(), info=info)

    def release(self, ev: PointerEvent) -> ToolResult:
        """Finish with the regions received so far (the UI delivers pending ones first)."""
        if not self._active:
            return IGNORED
        painted, target, subtract = self._painted, self._target, self._subtract
        self.reset()
        if painted is None:
            return ToolResult(error="The wand found no region here.")
        return combine(self, target, painted, subtract)
