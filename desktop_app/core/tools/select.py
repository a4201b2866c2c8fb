"""Selection and move tools: read annotations through the HitTester, never mutate them."""

from __future__ import annotations

import shapely
from shapely import affinity
from shapely.geometry.base import BaseGeometry

from desktop_app.core.tools.base import (
    IGNORED,
    BaseTool,
    Button,
    Delete,
    KeyEvent,
    Move,
    Pk,
    PointerEvent,
    Select,
    ToolResult,
    distance,
)


def delete_selection(tool: BaseTool, ev: KeyEvent) -> ToolResult | None:
    """Delete/Backspace on a non-empty selection -> ``Delete`` (shared by select and move)."""
    if ev.key in ("Delete", "Backspace"):
        pks = tuple(tool.ctx.selection())
        return ToolResult(output=Delete(pks)) if pks else ToolResult()
    return None


class SelectTool(BaseTool):
    """Click selects the annotation under the cursor, drag selects by rubber band.

    Shift adds to the selection instead of replacing it. A click on empty space clears
    the selection (Shift+click on empty space changes nothing). Escape clears, Delete
    deletes the selection.
    """

    _start: tuple[float, float] | None = None
    _current: tuple[float, float] | None = None
    _dragging: bool = False

    @property
    def busy(self) -> bool:
        return self._start is not None

    def reset(self) -> None:
        self._start = None
        self._current = None
        self._dragging = False

    def preview(self) -> BaseGeometry | None:
        if not self._dragging or self._start is None or self._current is None:
            return None
        (x0, y0), (x1, y1) = self._start, self._current
        return shapely.box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))

    def press(self, ev: PointerEvent) -> ToolResult:
        if ev.button is not Button.LEFT:
            return IGNORED
        self._start = self._current = (ev.x, ev.y)
        self._dragging = False
        return self.result()

    def move(self, ev: PointerEvent) -> ToolResult:
        if self._start is None:
            return IGNORED
        self._current = (ev.x, ev.y)
        if distance(*self._start, ev.x, ev.y) >= self.min_drag(ev):
            self._dragging = True
        return self.result()

    def release(self, ev: PointerEvent) -> ToolResult:
        if self._start is None:
            return IGNORED
        (x0, y0), dragging = self._start, self._dragging
        dragging = dragging or distance(x0, y0, ev.x, ev.y) >= self.min_drag(ev)
        self.reset()
        if dragging:
            pks = self.ctx.hits.in_rect(
                (min(x0, ev.x), min(y0, ev.y), max(x0, ev.x), max(y0, ev.y))
            )
            return ToolResult(output=Select(tuple(pks), add=ev.shift))
        tol = self.settings.hit_tolerance_screen_px * ev.downsample
        pk = self.ctx.hits.hit(ev.x, ev.y, tol)
        if pk is None:
            return ToolResult() if ev.shift else ToolResult(output=Select((), add=False))
        return ToolResult(output=Select((pk,), add=ev.shift))

    def key(self, ev: KeyEvent) -> ToolResult:
        if ev.key == "Escape":
            self.reset()
            return ToolResult(output=Select((), add=False))
        return delete_selection(self, ev) or IGNORED


class MoveTool(BaseTool):
    """Drag an annotation (or the whole selection if the press lands on a selected one).

    The preview is the moved geometries; release emits one ``Move`` with the total offset.
    A click without a real drag just selects what was clicked.
    """

    _start: tuple[float, float] | None = None
    _offset: tuple[float, float] = (0.0, 0.0)
    _pks: tuple[Pk, ...] = ()
    _geoms: tuple[BaseGeometry, ...] = ()

    @property
    def busy(self) -> bool:
        return self._start is not None

    def reset(self) -> None:
        self._start = None
        self._offset = (0.0, 0.0)
        self._pks = ()
        self._geoms = ()

    def preview(self) -> BaseGeometry | None:
        if self._start is None or not self._geoms:
            return None
        dx, dy = self._offset
        moved = [affinity.translate(g, dx, dy) for g in self._geoms]
        return moved[0] if len(moved) == 1 else shapely.GeometryCollection(moved)

    def press(self, ev: PointerEvent) -> ToolResult:
        if ev.button is not Button.LEFT:
            return IGNORED
        tol = self.settings.hit_tolerance_screen_px * ev.downsample
        pk = self.ctx.hits.hit(ev.x, ev.y, tol)
        if pk is None:
            return IGNORED  # nothing to drag: let the view pan
        selection = tuple(self.ctx.selection())
        pks = selection if pk in selection else (pk,)
        geoms = tuple(g for p in pks if (g := self.ctx.hits.geometry(p)) is not None)
        self._start, self._pks, self._geoms = (ev.x, ev.y), pks, geoms
        self._offset = (0.0, 0.0)
        return self.result()

    def move(self, ev: PointerEvent) -> ToolResult:
        if self._start is None:
            return IGNORED
        self._offset = (ev.x - self._start[0], ev.y - self._start[1])
        return self.result()

    def release(self, ev: PointerEvent) -> ToolResult:
        if self._start is None:
            return IGNORED
        x0, y0 = self._start
        pks = self._pks
        self.reset()
        if distance(x0, y0, ev.x, ev.y) < self.min_drag(ev):
            selection = tuple(self.ctx.selection())
            return ToolResult() if pks == selection else ToolResult(output=Select(pks, ev.shift))
        return ToolResult(output=Move(pks, ev.x - x0, ev.y - y0))

    def key(self, ev: KeyEvent) -> ToolResult:
        if ev.key == "Escape" and self.busy:
            return self.cancel()
        return delete_selection(self, ev) or IGNORED
