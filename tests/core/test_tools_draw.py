"""Drawing tools driven by synthetic event sequences: exact output geometries."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from desktop_app.core.tools import (
    SHORTCUTS,
    TOOLS,
    Button,
    CircleTool,
    Create,
    FreehandTool,
    Mod,
    PointerEvent,
    PointerKind,
    PointTool,
    PolygonTool,
    RectangleTool,
    ToolContext,
    ToolMode,
    ToolSettings,
    make_tool,
    mode_for_key,
)
from desktop_app.core.tools.shapes import circle_polygon
from desktop_app.core.tools.testing import (
    click,
    double,
    drag,
    hover,
    key,
    move,
    outputs,
    press,
    release,
    run,
)


def created(results: list) -> shapely.geometry.base.BaseGeometry:
    outs = outputs(results)
    assert len(outs) == 1 and isinstance(outs[0], Create), outs
    return outs[0].geometry


def test_registry_has_every_mode_and_unique_shortcuts() -> None:
    assert set(TOOLS) == set(ToolMode)
    assert len(SHORTCUTS) == len(ToolMode) - 1  # split is reached from the Objects menu
    assert {m.shortcut for m in ToolMode} == {*"SMVCRPFOBWL", "Shift+L", ""}
    assert mode_for_key("p") is ToolMode.POLYGON
    assert mode_for_key("w") is ToolMode.WAND
    assert mode_for_key("Shift+L") is ToolMode.RULER
    assert mode_for_key("Enter") is None
    for mode in ToolMode:
        assert not make_tool(mode).busy


def test_rectangle_drag_any_direction() -> None:
    geom = created(run(RectangleTool(), drag([(50, 40), (30, 35), (10, 20)])))
    assert geom.equals(shapely.box(10, 20, 50, 40))


def test_rectangle_preview_follows_the_pointer_and_shift_makes_square() -> None:
    tool = RectangleTool()
    tool.press(press(0, 0))
    assert tool.move(move(10, 5)).preview.equals(shapely.box(0, 0, 10, 5))
    geom = created([tool.release(release(10, -4, Mod.SHIFT))])
    assert geom.equals(shapely.box(0, -10, 10, 0))
    assert not tool.busy and tool.preview() is None


def test_circle_from_centre_is_a_64_gon() -> None:
    geom = created(run(CircleTool(), drag([(100, 100), (110, 100), (100, 130)])))
    assert geom.equals_exact(circle_polygon(100, 100, 30.0, 64), 1e-9)
    assert len(geom.exterior.coords) == 65
    assert geom.area == pytest.approx(np.pi * 30**2, rel=0.01)


def test_circle_with_shift_is_drawn_from_a_corner() -> None:
    geom = created(run(CircleTool(), drag([(0, 0), (40, 20)], Mod.SHIFT)))
    assert geom.equals_exact(circle_polygon(20, 20, 20, 64), 1e-9)
    assert geom.bounds == pytest.approx((0, 0, 40, 40))


@pytest.mark.parametrize("tool_cls", [RectangleTool, CircleTool, FreehandTool])
def test_tiny_drag_never_creates(tool_cls: type) -> None:
    # 2 screen px at downsample 8 = 16 level-0 px: still below the 3-screen-px slop
    results = run(tool_cls(), drag([(1000, 1000), (1008, 1008), (1010, 1012)], ds=8.0))
    assert outputs(results) == []
    assert results[-1].preview is None


def test_drag_threshold_is_in_screen_pixels() -> None:
    # the same 10 level-0 px drag is 10 screen px at ds=1 (creates) but 0.6 at ds=16
    assert outputs(run(RectangleTool(), drag([(0, 0), (10, 10)], ds=1.0)))
    assert not outputs(run(RectangleTool(), drag([(0, 0), (10, 10)], ds=16.0)))


def test_right_button_is_ignored_so_the_view_can_pan() -> None:
    ev = PointerEvent(PointerKind.PRESS, 1, 1, Button.RIGHT)
    for mode in ToolMode:
        assert make_tool(mode).press(ev).consumed is False


def test_point_tool() -> None:
    geom = created(run(PointTool(), click(12.5, 7)))
    assert geom.equals(shapely.Point(12.5, 7))


# --- polygon ---------------------------------------------------------------------------


def test_polygon_clicks_then_double_click_closes() -> None:
    tool = PolygonTool()
    # Qt sends press, release, double-click, release for a double click
    events = [
        *click(0, 0),
        hover(50, 50),
        *click(100, 0),
        *click(100, 100),
        press(0, 100),
        release(0, 100),
        double(0, 100),
        release(0, 100),
    ]
    results = run(tool, events)
    assert results[2].preview.equals(shapely.LineString([(0, 0), (50, 50)]))  # rubber band
    geom = created(results)
    assert geom.equals(shapely.Polygon([(0, 0), (100, 0), (100, 100), (0, 100)]))
    assert len(geom.exterior.coords) == 5  # no duplicate vertex from the double-click
    assert not tool.busy


def test_polygon_enter_closes_and_backspace_removes_last_vertex() -> None:
    tool = PolygonTool()
    run(tool, [*click(0, 0), *click(10, 0), *click(10, 10), *click(99, 99)])
    assert tool.vertices[-1] == (99, 99)
    run(tool, [key("Backspace")])
    assert tool.vertices == ((0, 0), (10, 0), (10, 10))
    geom = created(run(tool, [key("Enter")]))
    assert geom.equals(shapely.Polygon([(0, 0), (10, 0), (10, 10)]))


def test_polygon_escape_cancels() -> None:
    tool = PolygonTool()
    results = run(tool, [*click(0, 0), *click(10, 0), *click(10, 10), key("Escape")])
    assert outputs(results) == []
    assert results[-1].preview is None and not tool.busy


def test_polygon_click_near_first_vertex_closes() -> None:
    tool = PolygonTool()
    results = run(tool, [*click(0, 0), *click(10, 0), *click(10, 10), *click(1, 1)])
    assert created(results).equals(shapely.Polygon([(0, 0), (10, 0), (10, 10)]))


def test_polygon_too_few_vertices_reports_error_and_keeps_drawing() -> None:
    tool = PolygonTool()
    results = run(tool, [*click(0, 0), *click(10, 0), key("Enter")])
    assert results[-1].error and "3 vertices" in results[-1].error
    assert results[-1].output is None and tool.busy


def test_polygon_backspace_to_empty_ends_drawing() -> None:
    tool = PolygonTool()
    run(tool, [*click(0, 0), key("Backspace")])
    assert not tool.busy and tool.preview() is None


def test_polygon_self_intersecting_is_repaired() -> None:
    tool = PolygonTool()
    geom = created(run(tool, [*click(0, 0), *click(20, 20), *click(20, 0), *click(0, 20)]
                       + [key("Enter")]))  # fmt: skip
    assert geom.geom_type == "MultiPolygon" and geom.is_valid
    assert geom.area == pytest.approx(200)


def test_polygon_collinear_is_refused_with_message() -> None:
    results = run(PolygonTool(), [*click(0, 0), *click(10, 10), *click(20, 20), key("Enter")])
    assert outputs(results) == []
    assert "no area" in results[-1].error


# --- freehand -------------------------------------------------------------------------


def circle_stroke(n: int, r: float = 500.0, noise: float = 0.3) -> list[tuple[float, float]]:
    rng = np.random.default_rng(1)
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    pts = np.column_stack((1000 + r * np.cos(t), 1000 + r * np.sin(t)))
    pts += rng.normal(0, noise, pts.shape)
    return [tuple(p) for p in pts]


def test_freehand_closes_and_simplifies() -> None:
    geom = created(run(FreehandTool(), drag(circle_stroke(2000), ds=1.0)))
    assert geom.geom_type == "Polygon" and geom.is_valid
    assert geom.area == pytest.approx(np.pi * 500**2, rel=0.01)
    assert len(geom.exterior.coords) < 400  # not 2000


def test_freehand_tolerance_scales_with_downsample() -> None:
    zoomed_in = created(run(FreehandTool(), drag(circle_stroke(2000, noise=0), ds=0.05)))
    zoomed_out = created(run(FreehandTool(), drag(circle_stroke(2000, noise=0), ds=4.0)))
    assert len(zoomed_out.exterior.coords) < len(zoomed_in.exterior.coords)


def test_freehand_vertex_count_is_hard_bounded() -> None:
    # 3,000 samples of a finely wiggling (but simple) outline, drawn zoomed far in so
    # Douglas-Peucker alone would keep almost all of them: the cap still applies
    t = np.linspace(0, 2 * np.pi, 3000, endpoint=False)
    r = 500 + 20 * np.sin(100 * t)
    stroke = [tuple(p) for p in np.column_stack((r * np.cos(t), r * np.sin(t)))]
    uncapped = created(run(FreehandTool(), drag(stroke, ds=0.001)))
    assert len(uncapped.exterior.coords) > 1000
    tool = FreehandTool(ToolContext(settings=ToolSettings(max_vertices=300)))
    geom = created(run(tool, drag(stroke, ds=0.001)))
    assert geom.geom_type == "Polygon"
    assert 100 < len(geom.exterior.coords) <= 300 + 1


def test_freehand_needs_minimum_points() -> None:
    assert outputs(run(FreehandTool(), drag([(0, 0), (100, 100)]))) == []
