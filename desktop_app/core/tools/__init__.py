"""Qt-free drawing and editing tools: a mode enum, a registry and small state machines.

Usage from the viewer::

    tool = make_tool(ToolMode.POLYGON, ToolContext(hits=..., selection=...))
    result = dispatch(tool, PointerEvent(PointerKind.PRESS, x, y, downsample=ds))
    overlay.set_preview(result.preview)
    if result.output: workspace.apply(result.output)
    if result.error: status_bar.show(result.error)
"""

from __future__ import annotations

import enum

from desktop_app.core.tools.base import (
    IGNORED,
    BaseTool,
    Button,
    Correct,
    Create,
    Delete,
    EditVertices,
    HitTester,
    KeyEvent,
    Mod,
    Move,
    NoHits,
    Pk,
    PointerEvent,
    PointerKind,
    Rect,
    Select,
    Tool,
    ToolContext,
    ToolOutput,
    ToolResult,
    ToolSettings,
    dispatch,
)
from desktop_app.core.tools.brush import BrushTool
from desktop_app.core.tools.edit import VertexEditTool
from desktop_app.core.tools.hits import ShapelyHitTester
from desktop_app.core.tools.polygon import FreehandTool, PolygonTool
from desktop_app.core.tools.select import MoveTool, SelectTool
from desktop_app.core.tools.shapes import CircleTool, PointTool, RectangleTool


class ToolMode(enum.StrEnum):
    SELECT = "select"
    MOVE = "move"
    VERTEX_EDIT = "vertex_edit"
    CIRCLE = "circle"
    RECTANGLE = "rectangle"
    POLYGON = "polygon"
    FREEHAND = "freehand"
    POINT = "point"
    BRUSH = "brush"

    @property
    def shortcut(self) -> str:
        """The single-key shortcut (no modifier) that activates this tool."""
        return _SHORTCUTS[self]


_SHORTCUTS: dict[ToolMode, str] = {
    ToolMode.SELECT: "S",
    ToolMode.MOVE: "M",
    ToolMode.VERTEX_EDIT: "V",
    ToolMode.CIRCLE: "C",
    ToolMode.RECTANGLE: "R",
    ToolMode.POLYGON: "P",
    ToolMode.FREEHAND: "F",
    ToolMode.POINT: "O",
    ToolMode.BRUSH: "B",
}

TOOLS: dict[ToolMode, type[BaseTool]] = {
    ToolMode.SELECT: SelectTool,
    ToolMode.MOVE: MoveTool,
    ToolMode.VERTEX_EDIT: VertexEditTool,
    ToolMode.CIRCLE: CircleTool,
    ToolMode.RECTANGLE: RectangleTool,
    ToolMode.POLYGON: PolygonTool,
    ToolMode.FREEHAND: FreehandTool,
    ToolMode.POINT: PointTool,
    ToolMode.BRUSH: BrushTool,
}

SHORTCUTS: dict[str, ToolMode] = {key: mode for mode, key in _SHORTCUTS.items()}
"""Key (upper case letter) -> tool mode, for the action registry."""


def make_tool(mode: ToolMode, ctx: ToolContext | None = None) -> BaseTool:
    return TOOLS[mode](ctx)


def mode_for_key(key: str) -> ToolMode | None:
    return SHORTCUTS.get(key.upper()) if len(key) == 1 else None


__all__ = [
    "IGNORED",
    "SHORTCUTS",
    "TOOLS",
    "BaseTool",
    "BrushTool",
    "Button",
    "CircleTool",
    "Correct",
    "Create",
    "Delete",
    "EditVertices",
    "FreehandTool",
    "HitTester",
    "KeyEvent",
    "Mod",
    "Move",
    "MoveTool",
    "NoHits",
    "Pk",
    "PointTool",
    "PointerEvent",
    "PointerKind",
    "PolygonTool",
    "RectangleTool",
    "Rect",
    "Select",
    "SelectTool",
    "ShapelyHitTester",
    "Tool",
    "ToolContext",
    "ToolMode",
    "ToolOutput",
    "ToolResult",
    "ToolSettings",
    "VertexEditTool",
    "dispatch",
    "make_tool",
    "mode_for_key",
]
