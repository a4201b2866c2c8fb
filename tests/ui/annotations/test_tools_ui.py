"""Brush size, line/ruler, shape operations, counting, the list's context menu and Help,
in the real window with real mouse and key events."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
import shapely
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.core.tools import BrushTool, ToolMode
from desktop_app.ui import menus
from desktop_app.ui.annotations.object_menu import SHAPE_OPS
from desktop_app.ui.help import shortcut_html, shortcut_sections, versions
from desktop_app.ui.menus import MenuId, SubmenuId
from tests.ui.annotations.conftest import DS, World, wait_idle

LEFT = Qt.MouseButton.LeftButton


def click(qtbot: QtBot, w: World, p: QPoint) -> None:
    qtbot.mouseClick(w.view, LEFT, pos=p)


def ctrl_wheel(w: World, p: QPoint, notches: int) -> None:
    event = QWheelEvent(
        QPointF(p), QPointF(w.view.mapToGlobal(p)), QPoint(), QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(w.view, event)


def test_brush_size_keys_wheel_spinbox_cursor_and_memory(
    qtbot: QtBot, world: World, reopen: Callable[[World], World]
) -> None:
    w = world
    w.wb.set_tool(ToolMode.BRUSH)
    spin = w.wb.tool_options.brush_size
    start = spin.value()
    qtbot.keyClick(w.view, Qt.Key.Key_BracketRight)
    assert spin.value() > start
    tool = w.wb.tools.tool
    assert isinstance(tool, BrushTool) and tool.radius_screen_px == spin.value() / 2
    centre = w.at(2000, 1500)
    view_before = w.view.current_view()
    ctrl_wheel(w, centre, -1)
    ctrl_wheel(w, centre, -1)
    assert spin.value() < start + 1 and w.view.current_view() == view_before
    spin.setValue(60)
    assert tool.radius_screen_px == 30
    # the cursor: a circle of 60 screen px around the pointer, drawn over the slide
    qtbot.mouseMove(w.view, centre)
    qtbot.waitUntil(lambda: w.wb.tools.cursor_pos is not None)
    qtbot.waitUntil(w.view.is_fully_loaded, timeout=15_000)
    wait_idle(qtbot, w.wb)
    with_circle = w.view.grab().toImage()
    w.wb.set_tool(None)
    plain = w.view.grab().toImage()
    w.wb.set_tool(ToolMode.BRUSH)
    tool = w.wb.tools.tool

    def change(dx: int) -> int:
        a = with_circle.pixelColor(centre.x() + dx, centre.y()).lightness()
        return abs(a - plain.pixelColor(centre.x() + dx, centre.y()).lightness())

    assert max(change(dx) for dx in range(28, 33)) > 60  # the ring, 30 px out
    assert change(15) < 10 and change(45) < 10  # nothing else moved
    # a stroke paints the circle's width in level-0 pixels
    qtbot.mousePress(w.view, LEFT, pos=centre)
    qtbot.mouseMove(w.view, QPoint(centre.x() + 40, centre.y()))
    qtbot.mouseRelease(w.view, LEFT, pos=QPoint(centre.x() + 40, centre.y()))
    wait_idle(qtbot, w.wb)
    (row,) = w.service.rows()
    geom = w.service.geometry(row.pk)
    assert geom is not None
    assert geom.bounds[3] - geom.bounds[1] == pytest.approx(60 * DS, rel=0.05)
    again = reopen(w)
    assert again.wb.tool_options.brush_size.value() == 60


def test_line_is_stored_and_ruler_only_measures(qtbot: QtBot, world: World) -> None:
    w = world
    w.wb.set_tool(ToolMode.LINE)
    a, b, c = w.at(1800, 1400), w.at(2000, 1400), w.at(2000, 1550)
    click(qtbot, w, a)
    click(qtbot, w, b)
    qtbot.mouseDClick(w.view, LEFT, pos=c)
    wait_idle(qtbot, w.wb)
    (row,) = w.service.rows()
    geom = w.service.geometry(row.pk)
    assert geom is not None and geom.geom_type == "LineString" and len(geom.coords) == 3
    assert geom.length == pytest.approx(350, abs=3 * DS)
    w.wb.list_panel.reload()
    wait_idle(qtbot, w.wb)
    model = w.wb.list_panel.model
    length_um = float(model.data(model.index(0, 4)).replace(",", ""))
    assert length_um == pytest.approx(geom.length * 0.25, rel=0.01)  # the slide is 0.25 µm/px
    assert f"length {geom.length * 0.25:,.1f} µm" in w.wb.hover.describe(row.pk)
    w.wb.set_tool(ToolMode.RULER)
    qtbot.mousePress(w.view, LEFT, pos=a)
    qtbot.mouseMove(w.view, QPoint(a.x() + 30, a.y()))
    qtbot.mouseRelease(w.view, LEFT, pos=QPoint(a.x() + 40, a.y() + 30))
    wait_idle(qtbot, w.wb)
    assert len(w.service.rows()) == 1  # nothing created
    assert w.wb.last_message.startswith("50.0 µm")  # 50 screen px x 4 x 0.25 µm
    assert w.wb.tool_overlay.info == w.wb.last_message


def test_shape_operations_from_the_objects_menu(qtbot: QtBot, world: World) -> None:
    w = world
    tumor, stroma = w.terms["Tumor"], w.terms["Stroma"]
    a = w.service.create(shapely.box(1800, 1400, 2000, 1600), [tumor])
    b = w.service.create(shapely.box(1900, 1400, 2100, 1600), [stroma])
    wait_idle(qtbot, w.wb)
    ops = w.wb.object_actions.ops
    assert set(ops) == {name for name, *_ in SHAPE_OPS}
    w.wb.selection.set([a, b])
    ops["merge"].trigger()
    wait_idle(qtbot, w.wb)
    (row,) = w.service.rows()
    assert row.pk == a and set(row.terms) == {tumor, stroma}
    assert w.wb.selection.pks() == (a,)
    w.wb.editor.undo()
    wait_idle(qtbot, w.wb)
    assert len(w.service.rows()) == 2
    # lock: the move tool's drag is refused and the shape springs back
    w.wb.selection.set([a])
    ops["lock"].trigger()
    wait_idle(qtbot, w.wb)
    w.wb.set_tool(ToolMode.MOVE)
    p = w.at(1850, 1500)
    qtbot.mousePress(w.view, LEFT, pos=p)
    qtbot.mouseMove(w.view, QPoint(p.x() + 20, p.y()))
    qtbot.mouseRelease(w.view, LEFT, pos=QPoint(p.x() + 40, p.y()))
    wait_idle(qtbot, w.wb)
    assert "locked" in w.wb.last_message
    assert w.service.geometry(a).bounds == (1800, 1400, 2000, 1600)  # type: ignore[union-attr]
    assert not w.wb.layer._pending
    ops["unlock"].trigger()
    wait_idle(qtbot, w.wb)
    # split along a drawn line: Objects > Split along a line, then the line
    w.wb.object_actions.split.trigger()
    assert w.wb.tools.mode is ToolMode.SPLIT
    top, bottom = w.at(1900, 1350), w.at(1900, 1650)
    qtbot.mousePress(w.view, LEFT, pos=top)
    qtbot.mouseMove(w.view, QPoint(top.x(), top.y() + 30))
    qtbot.mouseRelease(w.view, LEFT, pos=bottom)
    wait_idle(qtbot, w.wb)
    assert len(w.service.rows()) == 3
    assert len(w.wb.selection.pks()) == 2
    ops["duplicate"].trigger()
    wait_idle(qtbot, w.wb)
    assert len(w.service.rows()) == 5


def test_counting_points_per_term(qtbot: QtBot, world: World) -> None:
    w = world
    w.wb.set_tool(ToolMode.POINT)
    w.wb.tool_options.counting.setChecked(True)
    w.wb.session.set_active_terms((w.terms["Tumor"],))
    for dx in (0, 20, 40):
        click(qtbot, w, w.at(1900 + dx * DS, 1500))
        wait_idle(qtbot, w.wb)
    (row,) = w.service.rows()
    assert row.geometry_type == "MultiPoint"
    assert w.wb.last_message == "Tumor: 3 point(s)"
    image = w.view.grab().toImage()
    for dx in (0, 20, 40):  # every point of the count is drawn, in the term's colour
        c = image.pixelColor(w.at(1900 + dx * DS, 1500))
        assert c.red() > c.green() + 60 and c.red() > c.blue() + 60, (dx, c.name())
    w.wb.term_panel.refresh_counts()
    wait_idle(qtbot, w.wb)
    item = w.wb.term_panel.items[w.terms["Tumor"]]
    assert "3 pts" in item.text(2) or any("3 pts" in item.text(c) for c in range(4))
    w.wb.tool_options.counting.setChecked(False)
    click(qtbot, w, w.at(2100, 1500))
    wait_idle(qtbot, w.wb)
    assert len(w.service.rows()) == 2  # a plain point again


def test_points_keep_their_size_at_every_zoom(qtbot: QtBot, world: World) -> None:
    w = world
    w.service.create(shapely.Point(2000, 1500))
    box = w.wb.term_panel.display_box.point_size
    box.setValue(14)
    assert w.wb.layer.display.point_px == 14 and w.wb.prefs.point_size == 14

    def grab_at(size: int) -> QImage:
        box.setValue(size)
        wait_idle(qtbot, w.wb)
        return w.view.grab().toImage()

    for ds in (1.0, 16.0):
        with qtbot.waitSignal(w.view.fully_loaded, timeout=15_000):
            w.view.goto(2000, 1500, ds)
        wait_idle(qtbot, w.wb)
        big, small = grab_at(14), grab_at(2)
        c = w.at(2000, 1500)
        # 5 screen px from the point: inside a 14 px dot, outside a 2 px one, at any zoom
        inside = big.pixelColor(c.x() + 5, c.y()), small.pixelColor(c.x() + 5, c.y())
        outside = big.pixelColor(c.x() + 12, c.y()), small.pixelColor(c.x() + 12, c.y())
        assert abs(inside[0].lightness() - inside[1].lightness()) > 30, ds
        assert abs(outside[0].lightness() - outside[1].lightness()) < 8, ds


def test_list_context_menu_and_export(qtbot: QtBot, world: World, tmp_path: Path) -> None:
    w = world
    a = w.service.create(shapely.box(1800, 1400, 2000, 1600), [w.terms["Tumor"]])
    w.service.create(shapely.LineString([(1800, 1700), (2100, 1700)]))
    panel = w.wb.list_panel
    panel.show()
    panel.reload()
    wait_idle(qtbot, w.wb)
    w.wb.selection.set([a])
    wait_idle(qtbot, w.wb)
    menu = panel.context_menu()
    texts = [act.text().replace("&", "") for act in menu.actions() if not act.isSeparator()]
    assert texts[:4] == [
        "Copy measurements", "Export measurements of selected...", "Zoom to", "Set term",
    ]  # fmt: skip
    assert texts[-1] == "Delete 1 annotation(s)"
    QApplication.clipboard().clear()
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, w.wb)
    copied = QApplication.clipboard().text().splitlines()
    assert copied[0].startswith("Image\tObject ID\tObject type") and len(copied) == 2
    out = tmp_path / "m.csv"
    w.wb.measurements.export(out)
    wait_idle(qtbot, w.wb)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["ROI"] for r in rows} == {"Polygon", "Line"}
    line = next(r for r in rows if r["ROI"] == "Line")
    assert float(line["Length µm"]) == pytest.approx(300 * 0.25)
    file_menu = menus.find(w.window, MenuId.FILE)
    assert file_menu is not None
    assert w.wb.object_actions.export_measurements in file_menu.actions()
    set_term = menus.find_submenu(menu, SubmenuId.SET_TERM)
    assert set_term is not None
    next(x for x in set_term.actions() if x.text() == "Stroma").trigger()
    wait_idle(qtbot, w.wb)
    assert w.terms["Stroma"] in w.service.details(a).terms  # type: ignore[union-attr]
    panel.context_menu().actions()[-1].trigger()
    wait_idle(qtbot, w.wb)
    assert len(w.service.rows()) == 1


def test_help_sheet_is_built_from_the_actions(qtbot: QtBot, world: World) -> None:
    w = world
    sections = dict(shortcut_sections(w.window))
    tools = next(rows for name, rows in sections.items() if name.startswith("Tools"))
    assert ("Wand", "W") in tools and ("Line / polyline", "L") in tools
    assert ("Ruler (measure only)", "Shift+L") in tools
    assert ("Merge selected", "Ctrl+Shift+M") in sections["Objects"]
    assert ("Term 1", "1") in sections["Other keys"]
    # a new action shows up without touching the sheet: it cannot drift
    w.wb.object_actions.ops["duplicate"].setShortcut("Ctrl+Alt+D")
    assert ("Duplicate", "Ctrl+Alt+D") in dict(shortcut_sections(w.window))["Objects"]
    dialog = w.window.help_menu.show_shortcuts()
    assert "Keyboard shortcuts" in dialog.browser.toPlainText()
    assert "Ctrl+Shift+M" in shortcut_html(w.window)
    about = w.window.help_menu.show_about()
    text = about.browser.toPlainText()
    info = versions()
    assert info["OpenSlide"] in text and info["Qt"] in text and "LGPL" in text
    assert "Third-party software" in text
    dialog.close()
    about.close()
