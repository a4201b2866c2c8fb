"""Synthetic pointer/key events for driving tools without Qt (tests, benchmarks, demos).

napari's tests drive its mouse-binding generators with ``read_only_mouse_event``; this is
the same idea: short builders, plus :func:`run` to feed a sequence through a tool.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from shapely.geometry.base import BaseGeometry

from desktop_app.core.tools.base import (
    Button,
    KeyEvent,
    Mod,
    PointerEvent,
    PointerKind,
    RegionRequest,
    Tool,
    ToolResult,
    dispatch,
)
from desktop_app.core.tools.wand import WandTool


def press(x: float, y: float, mods: Mod = Mod.NONE, ds: float = 1.0) -> PointerEvent:
    return PointerEvent(PointerKind.PRESS, x, y, Button.LEFT, mods, ds)


def move(x: float, y: float, mods: Mod = Mod.NONE, ds: float = 1.0) -> PointerEvent:
    return PointerEvent(PointerKind.MOVE, x, y, Button.LEFT, mods, ds)


def hover(x: float, y: float, ds: float = 1.0) -> PointerEvent:
    return PointerEvent(PointerKind.MOVE, x, y, Button.NONE, Mod.NONE, ds)


def release(x: float, y: float, mods: Mod = Mod.NONE, ds: float = 1.0) -> PointerEvent:
    return PointerEvent(PointerKind.RELEASE, x, y, Button.LEFT, mods, ds)


def double(x: float, y: float, ds: float = 1.0) -> PointerEvent:
    return PointerEvent(PointerKind.DOUBLE_CLICK, x, y, Button.LEFT, Mod.NONE, ds)


def key(name: str) -> KeyEvent:
    return KeyEvent(name)


def click(x: float, y: float, mods: Mod = Mod.NONE, ds: float = 1.0) -> list[PointerEvent]:
    return [press(x, y, mods, ds), release(x, y, mods, ds)]


def drag(
    points: Iterable[tuple[float, float]], mods: Mod = Mod.NONE, ds: float = 1.0
) -> list[PointerEvent]:
    pts = list(points)
    return (
        [press(*pts[0], mods, ds)]
        + [move(x, y, mods, ds) for x, y in pts[1:-1]]
        + [release(*pts[-1], mods, ds)]
    )


def run(tool: Tool, events: Iterable[PointerEvent | KeyEvent]) -> list[ToolResult]:
    return [dispatch(tool, e) for e in events]


def outputs(results: list[ToolResult]) -> list[object]:
    return [r.output for r in results if r.output is not None]


RegionFn = Callable[[RegionRequest], BaseGeometry | None]


def run_wand(
    tool: WandTool, events: Iterable[PointerEvent | KeyEvent], region: RegionFn
) -> list[ToolResult]:
    """Like :func:`run`, answering each region request at once with ``region(request)``
    (what the UI does on a worker lane before it forwards the next event)."""
    results = []
    for event in events:
        result = dispatch(tool, event)
        results.append(result)
        if result.request is not None:
            results.append(tool.add_region(region(result.request)))
    return results
