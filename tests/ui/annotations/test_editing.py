"""Select, move, vertex edit, delete, undo/redo (also after restart); term keys: test_term_keys."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import shapely
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.tools import ToolMode
from desktop_app.ui import menus
from desktop_app.ui.menus import MenuId
from tests.ui.annotations.conftest import DS, World, wait_idle

LEFT = Qt.MouseButton.LeftButton


def make_box(qtbot: QtBot, w: World, *bounds: float, terms: tuple[int, ...] = ()) -> int:
    pk = w.service.create(shapely.box(*bounds), list(terms))
    wait_idle(qtbot, w.wb)
    assert w.wb.layer.data is not None and pk in w.wb.layer.data.row_of
    return pk


def geometry(w: World, pk: int) -> shapely.Geometry:
    details = w.service.details(pk)
    assert details is not None
    return details.geometry


def test_select_move_vertex_edit_delete(qtbot: QtBot, world: World) -> None:
    view, wb = world.view, world.wb
    pk = make_box(qtbot, world, 1800, 1400, 2000, 1600)
    other = make_box(qtbot, world, 2200, 1400, 2300, 1500)
    wb.set_tool(ToolMode.SELECT)
    qtbot.mouseClick(view, LEFT, pos=world.at(1900, 1500))
    assert wb.selection.pks() == (pk,)
    qtbot.mouseClick(view, LEFT, Qt.KeyboardModifier.ShiftModifier, world.at(2250, 1450))
    assert wb.selection.pks() == (pk, other)
    qtbot.mouseClick(view, LEFT, pos=world.at(1000, 1000))  # empty space clears
    assert wb.selection.pks() == ()
    # rubber band
    a, b = world.at(1700, 1300), world.at(2400, 1700)
    qtbot.mousePress(view, LEFT, pos=a)
    qtbot.mouseMove(view, QPoint(a.x() + 40, a.y() + 40))
    qtbot.mouseMove(view, b)
    qtbot.mouseRelease(view, LEFT, pos=b)
    assert set(wb.selection.pks()) == {pk, other}
    wb.selection.set([pk])

    wb.set_tool(ToolMode.MOVE)
    start = world.at(1900, 1500)
    end = QPoint(start.x() + 25, start.y() + 10)
    qtbot.mousePress(view, LEFT, pos=start)
    qtbot.mouseMove(view, QPoint(start.x() + 10, start.y() + 5))
    qtbot.mouseMove(view, end)
    qtbot.mouseRelease(view, LEFT, pos=end)
    wait_idle(qtbot, wb)
    assert geometry(world, pk).bounds == pytest.approx((1900, 1440, 2100, 1640))
    assert geometry(world, other).bounds == (2200, 1400, 2300, 1500)

    wb.set_tool(ToolMode.VERTEX_EDIT)
    corner = world.at(2100, 1640)
    target = QPoint(corner.x() + 20, corner.y() + 15)
    qtbot.mousePress(view, LEFT, pos=corner)
    qtbot.mouseMove(view, QPoint(corner.x() + 10, corner.y() + 5))
    qtbot.mouseMove(view, target)
    qtbot.mouseRelease(view, LEFT, pos=target)
    wait_idle(qtbot, wb)
    coords = {tuple(c) for c in shapely.get_coordinates(geometry(world, pk)).round().tolist()}
    assert world.image_xy(target) in coords and (2100.0, 1640.0) not in coords
    assert world.image_xy(target) == pytest.approx((2100 + 20 * DS, 1640 + 15 * DS), abs=DS)

    qtbot.keyClick(view, Qt.Key.Key_Delete)  # vertex tool: Delete without an active vertex
    wait_idle(qtbot, wb)
    wb.set_tool(ToolMode.SELECT)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    wait_idle(qtbot, wb)
    assert [r.pk for r in world.service.rows()] == [other]
    assert wb.selection.pks() == ()


def test_undo_redo_labels_and_restart(
    qtbot: QtBot, world: World, reopen: Callable[[World], World]
) -> None:
    wb = world.wb
    wb.set_tool(ToolMode.RECTANGLE)
    a, b = world.at(1800, 1400), world.at(2000, 1600)
    qtbot.mousePress(world.view, LEFT, pos=a)
    qtbot.mouseMove(world.view, b)
    qtbot.mouseRelease(world.view, LEFT, pos=b)
    wait_idle(qtbot, wb)
    assert wb.actions.undo.text() == "&Undo Draw rectangle" and wb.actions.undo.isEnabled()
    assert not wb.actions.redo.isEnabled()
    edit_menu = menus.find(world.window, MenuId.EDIT)
    assert edit_menu is not None and wb.actions.undo in edit_menu.actions()
    qtbot.keyClick(world.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, wb)
    assert world.service.rows() == []
    assert wb.actions.redo.text() == "&Redo Draw rectangle"
    qtbot.keyClick(
        world.view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    wait_idle(qtbot, wb)
    assert len(world.service.rows()) == 1
    assert wb.layer.canvas is not None and wb.layer.canvas.drawn == 1
    # restart: the history is in the cache file
    again = reopen(world)
    wait_idle(qtbot, again.wb)
    assert again.wb.actions.undo.text() == "&Undo Draw rectangle"
    again.wb.actions.undo.trigger()
    wait_idle(qtbot, again.wb)
    assert again.service.rows() == []
    again.wb.actions.redo.trigger()
    wait_idle(qtbot, again.wb)
    assert len(again.service.rows()) == 1
