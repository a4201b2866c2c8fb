"""Vertex editing tool: drag a vertex, click an edge to insert one, Alt-click/Delete to remove.

The target is the single selected annotation; with no (or a multiple) selection the
press hit-tests and targets what it lands on. Vertex handles win over edges, edges over
"select another annotation". The UI draws handles from :meth:`VertexEditTool.handles`.
"""

from __future__ import annotations

import numpy as np
from shapely.geometry.base import BaseGeometry

from desktop_app.core.geometry import GeometryError
from desktop_app.core.tools.base import (
    IGNORED,
    BaseTool,
    Button,
    EditVertices,
    KeyEvent,
    Pk,
    PointerEvent,
    Select,
    ToolContext,
    ToolResult,
    distance,
)
from desktop_app.core.tools.vertices import (
    Decomposed,
    VertexRef,
    decompose,
    delete_vertex,
    insert_vertex,
    move_vertex,
    nearest_edge,
    nearest_vertex,
    rebuild,
)


class VertexEditTool(BaseTool):
    def __init__(self, ctx: ToolContext | None = None) -> None:
        super().__init__(ctx)
        self._pk: Pk | None = None
        self._shape: Decomposed | None = None
        self._drag: VertexRef | None = None
        self._active: VertexRef | None = None
        self._start: tuple[float, float] = (0.0, 0.0)
        self._inserted = False

    @property
    def busy(self) -> bool:
        return self._drag is not None

    def reset(self) -> None:
        self._drag = None
        self._inserted = False
        self._shape = None

    def preview(self) -> BaseGeometry | None:
        if self._drag is None or self._shape is None:
            return None
        return rebuild(self._shape)

    def target(self) -> Pk | None:
        """The annotation whose vertices are editable right now (single selection)."""
        selection = tuple(self.ctx.selection())
        return selection[0] if len(selection) == 1 else None

    def handles(self) -> np.ndarray:
        """``(n, 2)`` vertex positions of the target (what the overlay draws as handles)."""
        pk = self.target()
        geom = self.ctx.hits.geometry(pk) if pk is not None else None
        if geom is None:
            return np.empty((0, 2))
        try:
            return decompose(geom).all_vertices()[0]
        except GeometryError:
            return np.empty((0, 2))

    def press(self, ev: PointerEvent) -> ToolResult:
        if ev.button is not Button.LEFT:
            return IGNORED
        self.reset()
        hit_tol = self.settings.hit_tolerance_screen_px * ev.downsample
        pk = self.target()
        if pk is None:
            pk = self.ctx.hits.hit(ev.x, ev.y, hit_tol)
        geom = self.ctx.hits.geometry(pk) if pk is not None else None
        if pk is None or geom is None:
            return IGNORED  # nothing here: the view may pan
        try:
            shape = decompose(geom)
        except GeometryError as exc:
            return ToolResult(error=str(exc))

        tol = self.settings.handle_tolerance_screen_px * ev.downsample
        vertex = nearest_vertex(shape, ev.x, ev.y, tol)
        if vertex is not None and ev.alt:
            return self._delete(pk, shape, vertex)
        if vertex is None and not shape.kind.endswith("Point"):
            edge = nearest_edge(shape, ev.x, ev.y, tol)
            if edge is not None:
                vertex, (px, py) = edge
                shape = insert_vertex(shape, vertex, px, py)
                self._inserted = True
        if vertex is None:
            other = self.ctx.hits.hit(ev.x, ev.y, hit_tol)
            if other is None:
                return IGNORED
            if other != pk:
                return ToolResult(output=Select((other,), add=False))
            return ToolResult()
        self._pk, self._shape, self._drag, self._active = pk, shape, vertex, vertex
        self._start = (ev.x, ev.y)
        return self.result()

    def move(self, ev: PointerEvent) -> ToolResult:
        if self._drag is None or self._shape is None:
            return IGNORED
        self._shape = move_vertex(self._shape, self._drag, ev.x, ev.y)
        return self.result()

    def release(self, ev: PointerEvent) -> ToolResult:
        if self._drag is None or self._shape is None or self._pk is None:
            return IGNORED
        moved = distance(*self._start, ev.x, ev.y) >= self.min_drag(ev)
        if moved:
            self._shape = move_vertex(self._shape, self._drag, ev.x, ev.y)
        shape, inserted, pk = self._shape, self._inserted, self._pk
        self.reset()
        if not (moved or inserted):
            return ToolResult()  # a click on a vertex just makes it the active one
        return self.finish(lambda g: EditVertices(pk, g), rebuild(shape))

    def key(self, ev: KeyEvent) -> ToolResult:
        if ev.key == "Escape" and self.busy:
            return self.cancel()
        if ev.key in ("Delete", "Backspace") and not self.busy:
            pk = self.target()
            geom = self.ctx.hits.geometry(pk) if pk is not None else None
            if pk is None or geom is None or pk != self._pk or self._active is None:
                return ToolResult(error="Click a vertex first, then press Delete.")
            return self._delete(pk, decompose(geom), self._active)
        return IGNORED

    def _delete(self, pk: Pk, shape: Decomposed, vertex: VertexRef) -> ToolResult:
        self._active = None
        try:
            edited = delete_vertex(shape, vertex)
        except (GeometryError, IndexError) as exc:
            return ToolResult(error=str(exc))
        return self.finish(lambda g: EditVertices(pk, g), rebuild(edited))
