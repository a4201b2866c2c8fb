"""GUI papercuts: shapes named as drawn, tooltips that follow edits and undo, and a
clear message for an export to a folder."""

from __future__ import annotations

from pathlib import Path

import shapely
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QToolTip
from pytestqt.qtbot import QtBot

from desktop_app.core.tools import ToolMode
from tests.ui.annotations.conftest import DS, World, wait_idle
from tests.ui.annotations.test_editing import LEFT


def drag(qtbot: QtBot, world: World, a: tuple[float, float], b: tuple[float, float]) -> None:
    qtbot.mousePress(world.view, LEFT, pos=world.at(*a))
    qtbot.mouseMove(world.view, world.at(*b))
    qtbot.mouseRelease(world.view, LEFT, pos=world.at(*b))
    wait_idle(qtbot, world.wb)


def test_circle_and_rectangle_are_named_in_undo_and_status(qtbot: QtBot, world: World) -> None:
    wb = world.wb
    wb.set_tool(ToolMode.CIRCLE)
    drag(qtbot, world, (2000, 1500), (2000 + 30 * DS, 1500))
    assert wb.actions.undo.text() == "&Undo Draw circle"
    wb.set_tool(ToolMode.RECTANGLE)
    drag(qtbot, world, (1500, 1200), (1700, 1300))
    assert wb.actions.undo.text() == "&Undo Draw rectangle"
    qtbot.keyClick(world.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, wb)
    assert wb.last_message == "Undid Draw rectangle"
    assert wb.actions.undo.text() == "&Undo Draw circle"
    assert wb.actions.redo.text() == "&Redo Draw rectangle"
    (circle,) = [r.pk for r in world.service.rows()]
    assert "Circle #" in wb.hover.describe(circle)
    model = wb.list_panel.model
    shape_col = model.columnCount() - 1
    assert model.headerData(shape_col, Qt.Orientation.Horizontal) == "Shape"
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert model.data(model.index(0, shape_col)) == "Circle"
    wb.selection.set([circle])
    qtbot.waitUntil(lambda: "Circle" in wb.properties_panel.header.text())


def hover_at(qtbot: QtBot, world: World, x: float, y: float) -> None:
    qtbot.mouseMove(world.view, world.at(x, y))
    qtbot.waitUntil(QToolTip.isVisible, timeout=5000)


def test_tooltip_follows_term_changes_and_undo(qtbot: QtBot, world: World) -> None:
    wb, t = world.wb, world.terms
    pk = world.service.create(shapely.box(1900, 1400, 2000, 1500), [t["Tumor"]])
    wait_idle(qtbot, wb)
    hover_at(qtbot, world, 1950, 1450)
    assert "Tumor" in QToolTip.text() and f"#{pk}" in QToolTip.text()
    wb.selection.set([pk])
    qtbot.keyClick(world.view, Qt.Key.Key_2)  # Stroma, while the tooltip is up
    wait_idle(qtbot, wb)
    qtbot.waitUntil(lambda: QToolTip.isVisible() and "Stroma" in QToolTip.text(), timeout=5000)
    assert "Tumor" not in QToolTip.text()
    wb.selection.clear()
    wb.editor.undo()  # the term change
    wait_idle(qtbot, wb)
    qtbot.waitUntil(lambda: QToolTip.isVisible() and "Tumor" in QToolTip.text(), timeout=5000)
    wb.editor.undo()  # the annotation itself: no tooltip may describe it any more
    wait_idle(qtbot, wb)
    assert world.service.rows() == []
    assert not QToolTip.isVisible() or f"#{pk}" not in QToolTip.text()
    assert wb.hover.shown_pk is None and wb.layer.hover_pk is None
    wb.editor.redo()
    wait_idle(qtbot, wb)
    qtbot.mouseMove(world.view, world.at(1500, 1000))
    hover_at(qtbot, world, 1950, 1450)
    assert f"#{pk}" in QToolTip.text() and "Tumor" in QToolTip.text()


def test_export_to_a_folder_is_explained(qtbot: QtBot, world: World, tmp_path: Path) -> None:
    wb = world.wb
    tmp_path = tmp_path / "exports"
    tmp_path.mkdir()
    world.service.create(shapely.box(100, 100, 200, 200))
    wait_idle(qtbot, wb)
    wb.export_geojson(tmp_path)
    wait_idle(qtbot, wb)
    qtbot.waitUntil(lambda: bool(world.window.findChildren(QMessageBox)))
    (box,) = world.window.findChildren(QMessageBox)
    assert box.text() == (
        f"{tmp_path} is a folder; give a file name such as {tmp_path / 'annotations.geojson'}"
    )
    assert "partial" not in wb.last_message and list(tmp_path.iterdir()) == []
    box.close()
