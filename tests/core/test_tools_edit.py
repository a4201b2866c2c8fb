"""Select, move, vertex-edit, delete and correction-brush tools over a ShapelyHitTester."""

from __future__ import annotations

import pytest
import shapely

from desktop_app.core.tools import (
    BrushTool,
    Correct,
    Create,
    Delete,
    EditVertices,
    Mod,
    Move,
    MoveTool,
    Select,
    SelectTool,
    ShapelyHitTester,
    ToolContext,
    VertexEditTool,
)
from desktop_app.core.tools.testing import click, drag, key, move, outputs, press, release, run

BIG = shapely.box(0, 0, 100, 100)
SMALL = shapely.box(40, 40, 50, 50)  # inside BIG
FAR = shapely.box(200, 0, 220, 20)
DOT = shapely.Point(300, 300)


class Selection:
    """The UI's selection model, reduced to what tools read."""

    def __init__(self, *pks: int) -> None:
        self.pks: tuple[int, ...] = pks

    def __call__(self) -> tuple[int, ...]:
        return self.pks


def context(*selected: int) -> ToolContext:
    layer = {1: BIG, 2: SMALL, 3: FAR, 4: DOT}
    return ToolContext(hits=ShapelyHitTester(layer), selection=Selection(*selected))


def only(results: list) -> object:
    outs = outputs(results)
    assert len(outs) == 1, outs
    return outs[0]


# --- hit tester -------------------------------------------------------------------------


def test_hit_tester_prefers_the_smallest_containing_annotation() -> None:
    hits = context().hits
    assert hits.hit(45, 45, 0) == 2
    assert hits.hit(10, 10, 0) == 1
    assert hits.hit(150, 10, 5) is None
    assert hits.hit(197, 10, 5) == 3  # within tolerance of the edge
    assert hits.hit(302, 300, 3) == 4
    assert hits.in_rect((190, -10, 400, 400)) == [3, 4]
    assert hits.geometry(3) is FAR and hits.geometry(99) is None


# --- select ---------------------------------------------------------------------------


def test_click_selects_and_shift_click_adds() -> None:
    tool = SelectTool(context())
    assert only(run(tool, click(45, 45))) == Select((2,), add=False)
    assert only(run(tool, click(210, 10, Mod.SHIFT))) == Select((3,), add=True)


def test_click_on_empty_space_clears_but_shift_click_does_not() -> None:
    tool = SelectTool(context(1))
    assert only(run(tool, click(150, 150))) == Select((), add=False)
    assert outputs(run(tool, click(150, 150, Mod.SHIFT))) == []


def test_rubber_band_selects_intersecting_and_previews_the_box() -> None:
    tool = SelectTool(context())
    results = run(tool, drag([(150, -5), (180, 50), (310, 310)]))
    assert results[1].preview.equals(shapely.box(150, -5, 180, 50))
    assert results[-1].output == Select((3, 4), add=False)
    shifted = run(tool, drag([(-10, -10), (30, 30)], Mod.SHIFT))
    assert only(shifted) == Select((1,), add=True)


def test_tiny_drag_in_select_is_a_click() -> None:
    tool = SelectTool(context())
    assert only(run(tool, drag([(45, 45), (46, 46)]))) == Select((2,), add=False)


def test_delete_key_deletes_the_selection_and_escape_clears() -> None:
    assert only(run(SelectTool(context(2, 3)), [key("Delete")])) == Delete((2, 3))
    assert outputs(run(SelectTool(context()), [key("Delete")])) == []
    assert only(run(SelectTool(context(2)), [key("Escape")])) == Select((), add=False)


# --- move ---------------------------------------------------------------------------


def test_move_drags_the_hit_annotation() -> None:
    tool = MoveTool(context())
    results = run(tool, drag([(210, 10), (215, 20), (230, 40)]))
    assert results[1].preview.equals(shapely.box(205, 10, 225, 30))
    assert results[-1].output == Move((3,), 20, 30)
    assert results[-1].preview is None


def test_move_drags_the_whole_selection_when_pressing_a_selected_one() -> None:
    tool = MoveTool(context(2, 3))
    assert only(run(tool, drag([(45, 45), (55, 40)]))) == Move((2, 3), 10, -5)


def test_move_press_on_nothing_is_not_consumed_and_tiny_drag_selects() -> None:
    tool = MoveTool(context())
    assert tool.press(press(150, 150)).consumed is False
    assert only(run(tool, drag([(210, 10), (211, 10)]))) == Select((3,), add=False)


# --- vertex edit -------------------------------------------------------------------------


def test_vertex_drag() -> None:
    tool = VertexEditTool(context(3))
    results = run(tool, [press(220, 20), move(230, 25), release(240, 30)])
    assert results[1].preview.equals(shapely.Polygon([(220, 0), (230, 25), (200, 20), (200, 0)]))
    out = results[-1].output
    assert isinstance(out, EditVertices) and out.pk == 3
    assert out.geometry.equals(shapely.Polygon([(200, 0), (220, 0), (240, 30), (200, 20)]))


def test_click_on_edge_inserts_a_vertex() -> None:
    tool = VertexEditTool(context(3))
    out = only(run(tool, click(210, 1)))  # 1 px from the bottom edge y=0 (y down)
    assert isinstance(out, EditVertices)
    expected = shapely.Polygon([(200, 0), (210, 0), (220, 0), (220, 20), (200, 20)])
    assert out.geometry.equals(expected)
    assert len(out.geometry.exterior.coords) == 6


def test_alt_click_and_delete_key_remove_a_vertex() -> None:
    tool = VertexEditTool(context(3))
    out = only(run(tool, click(220, 20, Mod.ALT)))
    assert out.geometry.equals(shapely.Polygon([(200, 0), (220, 0), (200, 20)]))
    # click a vertex (makes it active, no edit), then Delete
    assert outputs(run(tool, click(200, 20))) == []
    out = only(run(tool, [key("Delete")]))
    assert out.geometry.equals(shapely.Polygon([(200, 0), (220, 0), (220, 20)]))


def test_deleting_below_three_vertices_is_refused_with_message() -> None:
    tri = shapely.Polygon([(0, 0), (10, 0), (0, 10)])
    ctx = ToolContext(hits=ShapelyHitTester({7: tri}), selection=Selection(7))
    results = run(VertexEditTool(ctx), click(0, 0, Mod.ALT))
    assert outputs(results) == [] and "at least 3 vertices" in results[0].error


def test_vertex_drag_that_self_intersects_is_repaired() -> None:
    tool = VertexEditTool(context(3))
    out = only(run(tool, drag([(220, 20), (180, 10)])))  # drag a corner across an edge
    assert out.geometry.is_valid and out.geometry.geom_type == "MultiPolygon"


def test_vertex_tiny_drag_changes_nothing_and_other_annotation_gets_selected() -> None:
    tool = VertexEditTool(context(3))
    assert outputs(run(tool, drag([(220, 20), (221, 21)]))) == []
    assert only(run(tool, click(45, 45))) == Select((2,), add=False)
    assert tool.press(press(150, 150)).consumed is False  # empty space: let the view pan


def test_vertex_handles_are_exposed_for_the_overlay() -> None:
    assert VertexEditTool(context(3)).handles().tolist() == [
        [220, 0], [220, 20], [200, 20], [200, 0]
    ]  # fmt: skip
    assert VertexEditTool(context()).handles().shape == (0, 2)


def test_vertex_edit_on_a_hole() -> None:
    donut = shapely.Polygon(
        [(0, 0), (100, 0), (100, 100), (0, 100)], [[(40, 40), (60, 40), (60, 60), (40, 60)]]
    )
    ctx = ToolContext(hits=ShapelyHitTester({5: donut}), selection=Selection(5))
    out = only(run(VertexEditTool(ctx), drag([(60, 60), (70, 70)])))
    assert out.geometry.interiors[0].bounds == (40, 40, 70, 70)
    out = only(run(VertexEditTool(ctx), click(40, 40, Mod.ALT)))
    assert len(out.geometry.interiors) == 1 and out.geometry.area == pytest.approx(10000 - 200)


# --- correction brush -------------------------------------------------------------------


def brush(ctx: ToolContext, radius: float = 5) -> BrushTool:
    tool = BrushTool(ctx)
    tool.radius_screen_px = radius
    return tool


def test_brush_stroke_starting_inside_adds() -> None:
    tool = brush(context(3))
    results = run(tool, drag([(210, 10), (240, 10)]))
    out = results[-1].output
    assert isinstance(out, Correct) and out.pk == 3
    expected = FAR.union(shapely.LineString([(210, 10), (240, 10)]).buffer(5, quad_segs=8))
    assert out.new_geometry.equals(expected)
    assert out.new_geometry.bounds == pytest.approx((200, 0, 245, 20))


def test_brush_stroke_starting_outside_cuts() -> None:
    tool = brush(context(3))
    out = only(run(tool, drag([(190, 10), (230, 10)])))
    assert isinstance(out, Correct)
    expected = FAR.difference(shapely.LineString([(190, 10), (230, 10)]).buffer(5, quad_segs=8))
    assert out.new_geometry.equals(expected)
    assert out.new_geometry.geom_type == "MultiPolygon"  # cut in two
    assert out.new_geometry.area == pytest.approx(400 - 200)


def test_brush_alt_cuts_even_from_inside() -> None:
    tool = brush(context(1), radius=2)
    out = only(run(tool, drag([(50, 50), (50, 60)], Mod.ALT)))
    assert out.new_geometry.area < BIG.area
    assert len(out.new_geometry.interiors) == 1  # a hole punched inside


def test_brush_radius_is_in_screen_pixels() -> None:
    tool = brush(context(3), radius=5)
    out = only(run(tool, drag([(210, 10), (240, 10)], ds=2.0)))
    assert out.new_geometry.bounds == pytest.approx((200, 0, 250, 20))


def test_brush_cutting_everything_is_refused() -> None:
    tool = brush(context(3), radius=50)
    results = run(tool, drag([(180, 10), (240, 10)]))
    assert outputs(results) == [] and "erase the whole" in results[-1].error


def test_brush_without_selection_creates_and_tiny_dab_does_nothing() -> None:
    tool = brush(context(), radius=5)
    out = only(run(tool, drag([(500, 500), (520, 500)])))
    assert isinstance(out, Create) and out.geometry.area == pytest.approx(20 * 10 + 25 * 3.12, 0.01)
    assert outputs(run(brush(context(3)), drag([(210, 10), (211, 10)]))) == []
    assert outputs(run(brush(context(3)), [key("Escape")])) == []
