"""Line/polyline, ruler, split-along-a-line and counting points, by synthetic events."""

from __future__ import annotations

import pytest
import shapely

from desktop_app.core.tools import (
    CountPoint,
    Create,
    LineTool,
    PointTool,
    RulerTool,
    Split,
    SplitTool,
    ToolContext,
)
from desktop_app.core.tools.hits import ShapelyHitTester
from desktop_app.core.tools.line import path_length_um
from desktop_app.core.tools.testing import click, double, drag, key, move, outputs, run


def test_polyline_by_clicks_finished_with_double_click() -> None:
    events = [*click(0, 0), move(5, 5), *click(10, 0), *click(10, 10), double(20, 10)]
    (out,) = outputs(run(LineTool(), events))
    assert isinstance(out, Create)
    assert list(out.geometry.coords) == [(0, 0), (10, 0), (10, 10), (20, 10)]


def test_straight_line_by_drag_and_enter_finishes_a_polyline() -> None:
    (out,) = outputs(run(LineTool(), drag([(0, 0), (30, 40)])))
    assert out.geometry.equals(shapely.LineString([(0, 0), (30, 40)]))
    (out,) = outputs(run(LineTool(), [*click(0, 0), *click(5, 0), key("Enter")]))
    assert out.geometry.length == 5


def test_line_needs_two_points_and_backspace_escape_work() -> None:
    tool = LineTool()
    results = run(tool, [*click(0, 0), key("Enter")])
    assert not outputs(results) and "2 points" in (results[-1].error or "")
    run(tool, [*click(10, 0), key("Backspace")])
    assert tool.busy and tool.vertices == ((0, 0),)
    run(tool, [key("Escape")])
    assert not tool.busy


def test_ruler_measures_in_um_and_creates_nothing() -> None:
    tool = RulerTool(ToolContext(pixel_size=lambda: (0.5, 0.25)))
    results = run(tool, drag([(0, 0), (30, 40)]))
    assert not outputs(results)
    # 30 px * 0.5 = 15 µm across, 40 px * 0.25 = 10 µm down
    assert results[-1].info is not None and results[-1].info.startswith("18.0 µm")
    assert results[-1].preview is not None  # still shown after release
    assert path_length_um(list(results[-1].preview.coords), (0.5, 0.25)) == pytest.approx(
        (15**2 + 10**2) ** 0.5
    )
    nxt = run(tool, click(100, 100))
    assert nxt[0].preview is not None and nxt[0].preview.geom_type == "Point"  # a new one
    assert run(RulerTool(), drag([(0, 0), (3, 4)]))[-1].info == "5.0 px"


def test_split_outputs_the_selected_polygon_and_the_line() -> None:
    hits = ShapelyHitTester({4: shapely.box(0, 0, 10, 10)})
    tool = SplitTool(ToolContext(hits=hits, selection=lambda: (4,)))
    (out,) = outputs(run(tool, drag([(5, -5), (5, 15)])))
    assert isinstance(out, Split) and out.pk == 4
    missed = run(
        SplitTool(ToolContext(hits=hits, selection=lambda: (4,))), drag([(20, 0), (30, 0)])
    )
    assert "cross" in (missed[-1].error or "")
    none = run(SplitTool(ToolContext(hits=hits)), drag([(5, -5), (5, 15)]))
    assert "Select one polygon" in (none[-1].error or "")


def test_counting_point_tool_adds_to_the_multipoint() -> None:
    tool = PointTool()
    tool.counting = True
    (out,) = outputs(run(tool, click(3, 4)))
    assert out == CountPoint(3, 4)
