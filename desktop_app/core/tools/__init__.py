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
    CountPoint,
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
    RegionRequest,
    Select,
    Split,
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
from desktop_app.core.tools.line import LineTool, RulerTool, SplitTool
from desktop_app.core.tools.polygon import FreehandTool, PolygonTool
from desktop_app.core.tools.select import MoveTool, SelectTool
from desktop_app.core.tools.shapes import CircleTool, PointTool, RectangleTool
from desktop_app.core.tools.wand import WandTool


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
    WAND = "wand"
    LINE = "line"
    RULER = "ruler"
    SPLIT = "split"

    @property
    def shortcut(self) -> str:
        """The key that activates this tool ("" for tools reached from a menu only)."""
        return _SHORTCUTS.get(self, "")


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
    ToolMode.WAND: "W",
    ToolMode.LINE: "L",
    ToolMode.RULER: "Shift+L",
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
    ToolMode.WAND: WandTool,
    ToolMode.LINE: LineTool,
    ToolMode.RULER: RulerTool,
    ToolMode.SPLIT: SplitTool,
}

SHORTCUTS: dict[str, ToolMode] = {key: mode for mode, key in _SHORTCUTS.items()}
"""Key sequence ("W", "Shift+L") -> tool mode, for the action registry."""


def make_tool(mode: ToolMode, ctx: ToolContext | None = None) -> BaseTool:
    return TOOLS[mode](ctx)


def mode_for_key(key: str) -> ToolMode | None:
    return SHORTCUTS.get(key.upper() if len(key) == 1 else key)


__all__ = [
    "IGNORED",
    "SHORTCUTS",
    "TOOLS",
    "BaseTool",
    "BrushTool",
    "Button",
    "CircleTool",
    "Correct",
    "CountPoint",
    "Create",
    "Delete",
    "EditVertices",
    "FreehandTool",
    "HitTester",
    "KeyEvent",
    "LineTool",
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
    "RegionRequest",
    "RulerTool",
    "Select",
    "SelectTool",
    "ShapelyHitTester",
    "Split",
    "SplitTool",
    "Tool",
    "ToolContext",
    "ToolMode",
    "ToolOutput",
    "ToolResult",
    "ToolSettings",
    "VertexEditTool",
    "WandTool",
    "dispatch",
    "make_tool",
    "mode_for_key",
]
