"""Drawing every shape with real mouse events; stored geometry in level-0 pixels."""

from __future__ import annotations

import pytest
import shapely
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.tools import ToolMode
from tests.ui.annotations.conftest import DS, World, wait_idle

LEFT = Qt.MouseButton.LeftButton


def drag(qtbot: QtBot, w: World, points: list[QPoint]) -> None:
    view = w.view
    qtbot.mousePress(view, LEFT, pos=points[0])
    for p in points[1:]:
        qtbot.mouseMove(view, p)
    qtbot.mouseRelease(view, LEFT, pos=points[-1])


def only_geometry(qtbot: QtBot, w: World) -> shapely.Geometry:
    wait_idle(qtbot, w.wb)
    rows = w.service.rows()
    assert len(rows) == 1
    details = w.service.details(rows[0].pk)
    assert details is not None
    return details.geometry


def test_rectangle_in_level0_coordinates(qtbot: QtBot, world: World) -> None:
    world.wb.set_tool(ToolMode.RECTANGLE)
    a, b = world.at(1800, 1400), world.at(2200, 1640)
    drag(qtbot, world, [a, QPoint(a.x() + 30, a.y() + 20), b])
    geom = only_geometry(qtbot, world)
    assert geom.geom_type == "Polygon"
    assert geom.bounds == pytest.approx((1800, 1400, 2200, 1640), abs=DS)
    assert world.wb.selection.pks() == (world.service.rows()[0].pk,)  # new shape selected


def test_circle(qtbot: QtBot, world: World) -> None:
    world.wb.set_tool(ToolMode.CIRCLE)
    c = world.at(2000, 1500)
    drag(qtbot, world, [c, QPoint(c.x() + 20, c.y()), QPoint(c.x() + 50, c.y())])
    geom = only_geometry(qtbot, world)
    cx, cy = world.image_xy(c)
    assert geom.centroid.x == pytest.approx(cx, abs=1) and geom.centroid.y == pytest.approx(
        cy, abs=1
    )
    radius = (geom.bounds[2] - geom.bounds[0]) / 2
    assert radius == pytest.approx(50 * DS, rel=0.01)


def test_point_and_freehand(qtbot: QtBot, world: World) -> None:
    world.wb.set_tool(ToolMode.POINT)
    p = world.at(1900, 1450)
    qtbot.mouseClick(world.view, LEFT, pos=p)
    geom = only_geometry(qtbot, world)
    assert geom.geom_type == "Point"
    assert (geom.x, geom.y) == pytest.approx(world.image_xy(p))
    world.service.delete([world.service.rows()[0].pk])
    world.wb.set_tool(ToolMode.FREEHAND)
    c = world.at(2000, 1500)
    offsets = [(0, 0), (40, -5), (80, 10), (90, 60), (50, 90), (5, 70), (-10, 30), (2, 3)]
    ring = [QPoint(c.x() + dx, c.y() + dy) for dx, dy in offsets]
    drag(qtbot, world, ring)
    geom = only_geometry(qtbot, world)
    assert geom.geom_type == "Polygon"
    x0, y0 = world.image_xy(c)
    assert geom.bounds == pytest.approx(
        (x0 - 10 * DS, y0 - 5 * DS, x0 + 90 * DS, y0 + 90 * DS), abs=1
    )


def _click(qtbot: QtBot, w: World, p: QPoint) -> None:
    qtbot.mouseClick(w.view, LEFT, pos=p)


def test_polygon_enter_backspace_escape_double_click(qtbot: QtBot, world: World) -> None:
    world.wb.set_tool(ToolMode.POLYGON)
    a, b, c, extra = (world.at(1800, 1400), world.at(2100, 1400), world.at(2100, 1700),
                      world.at(1700, 1800))  # fmt: skip
    for p in (a, b, c, extra):
        _click(qtbot, world, p)
    assert world.wb.layer.preview is not None  # rubber band shown while drawing
    qtbot.keyClick(world.view, Qt.Key.Key_Backspace)  # drops `extra`
    qtbot.keyClick(world.view, Qt.Key.Key_Return)
    geom = only_geometry(qtbot, world)
    assert shapely.normalize(geom).equals_exact(
        shapely.normalize(shapely.Polygon([world.image_xy(p) for p in (a, b, c)])), 1e-6
    )
    world.service.delete([world.service.rows()[0].pk])
    # Escape cancels: nothing stored
    for p in (a, b, c):
        _click(qtbot, world, p)
    qtbot.keyClick(world.view, Qt.Key.Key_Escape)
    wait_idle(qtbot, world.wb)
    assert world.service.rows() == [] and world.wb.layer.preview is None
    # double-click closes (its own point becomes the last vertex)
    _click(qtbot, world, a)
    _click(qtbot, world, b)
    qtbot.mouseDClick(world.view, LEFT, pos=c)
    geom = only_geometry(qtbot, world)
    assert len(geom.exterior.coords) == 4
    assert geom.bounds == pytest.approx((1800, 1400, 2100, 1700), abs=DS)
