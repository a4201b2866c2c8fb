"""Docks: list <-> viewer selection, term panel edits/visibility, properties, statistics,
GeoJSON import through the File menu action, hover text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.ui.panels.term_panel import COL_NAME, COL_SHOW
from tests.ui.annotations.conftest import World, wait_idle


def test_list_selection_sync_and_zoom(qtbot: QtBot, world: World) -> None:
    wb = world.wb
    tumor = world.terms["Tumor"]
    a = world.service.create(shapely.box(100, 100, 300, 200), [tumor])
    b = world.service.create(shapely.box(3000, 2000, 3100, 2100))
    wait_idle(qtbot, wb)
    panel = wb.list_panel
    assert panel.proxy.rowCount() == 2
    wb.selection.set([b])
    rows = panel.table.selectionModel().selectedRows()
    assert [panel.proxy.data(r, Qt.ItemDataRole.UserRole + 1) for r in rows] == [b]
    index = panel.proxy.mapFromSource(panel.model.index(panel.model.row_of[a], 0))
    panel.table.selectionModel().select(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert wb.selection.pks() == (a,)
    panel.filter.setText("tumor")
    assert panel.proxy.rowCount() == 1
    panel.filter.clear()
    panel.table.doubleClicked.emit(index)
    x, y, ds = world.view.current_view()
    assert (x, y) == pytest.approx((200, 150), abs=60) and ds < 4
    area = panel.model.data(panel.model.index(panel.model.row_of[a], 3))
    assert area == "1,250.0"  # 200 x 100 px at 0.25 µm/px


def test_term_panel_edit_visibility_and_counts(qtbot: QtBot, world: World, tmp_path: Path) -> None:
    wb = world.wb
    panel = wb.term_panel
    tumor = world.terms["Tumor"]
    world.service.create(shapely.box(1900, 1400, 2000, 1500), [tumor])
    wait_idle(qtbot, wb)
    assert panel.items[tumor].text(3) == "1"
    assert panel.edit_bar.buttons["add"].isEnabled()  # local user administers the project
    panel.edit_bar.create_term("Necrosis", "#6D4C41", world.terms["Tissue"])
    wait_idle(qtbot, wb)
    necrosis = next(t.pk for t in wb.session.terms if t.name == "Necrosis")
    assert panel.items[necrosis].parent() is panel.items[world.terms["Tissue"]]
    panel.edit_bar.rename(necrosis, "Necrotic")
    panel.edit_bar.recolor(tumor, "#000000")
    panel.edit_bar.reparent(necrosis, None)
    wait_idle(qtbot, wb)
    assert panel.items[necrosis].text(COL_NAME) == "Necrotic"
    assert panel.items[necrosis].parent() is None
    assert wb.layer.display.colors[tumor] == "#000000"
    panel.edit_bar.delete(tumor)  # in use: refused with a message
    wait_idle(qtbot, wb)
    assert "used by 1" in wb.last_message
    # visibility: hiding Tumor hides its annotation from the layer and from hit-testing
    panel.items[tumor].setCheckState(COL_SHOW, Qt.CheckState.Unchecked)
    wait_idle(qtbot, wb)
    assert wb.layer.canvas is not None and wb.layer.canvas.drawn == 0
    assert (
        wb.layer.data is not None
        and wb.layer.data.hit(1950, 1450, 1, wb.layer.visible_mask()) is None
    )
    panel.search.setText("necro")
    assert panel.items[tumor].isHidden() and not panel.items[necrosis].isHidden()
    # JSON round trip
    out = tmp_path / "onto.json"
    panel.edit_bar.export_json(out)
    wait_idle(qtbot, wb)
    data = json.loads(out.read_text())
    data["terms"].append({"name": "Immune", "color": "#3949AB", "parent": None})
    out.write_text(json.dumps(data))
    panel.edit_bar.import_json(out)
    wait_idle(qtbot, wb)
    assert "Immune" in {t.name for t in wb.session.terms}


def test_properties_and_statistics(qtbot: QtBot, world: World) -> None:
    wb = world.wb
    pk = world.service.create(shapely.box(1900, 1400, 2000, 1500), [world.terms["Stroma"]])
    world.service.create(shapely.box(0, 0, 40, 40))
    wait_idle(qtbot, wb)
    wb.selection.set([pk])
    wait_idle(qtbot, wb)
    props = wb.properties_panel
    assert "Stroma" in props.header.text() and "625.0 µm²" in props.header.text()
    props.set_property("grade", "2")
    props.set_description("looks odd")
    wait_idle(qtbot, wb)
    assert props.table.item(0, 0).text() == "grade" and props.table.item(0, 1).text() == "2"
    assert props.description.toPlainText() == "looks odd"
    props.table.item(0, 1).setText("3")
    wait_idle(qtbot, wb)
    assert world.service.details(pk).properties == {"grade": "3"}  # type: ignore[union-attr]
    wb.statistics_panel.show()
    wb.statistics_panel.raise_()
    wb.statistics_panel.reload()
    wait_idle(qtbot, wb)
    stats = wb.statistics_panel.stats
    assert stats is not None and stats.total == 2
    (bars,) = wb.statistics_panel.term_plot.listDataItems()
    assert list(bars.opts["width"]) == [1, 1]  # Stroma, (no term)
    assert len(wb.statistics_panel.hist_plot.listDataItems()) == 1


def test_geojson_import_via_menu_and_export(
    qtbot: QtBot, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wb = world.wb
    features = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[10, 10], [60, 10], [60, 50], [10, 10]]],
                },
                "properties": {
                    "objectType": "annotation",
                    "classification": {"name": "Lymphocyte", "color": [0, 0, 255]},
                },
            },
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [5, 5]},
                "properties": {},
            },
        ],
    }
    path = tmp_path / "in.geojson"
    path.write_text(json.dumps(features))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    wb.actions.import_geojson.trigger()
    wait_idle(qtbot, wb)
    assert "Imported 2 annotations" in wb.last_message and "Lymphocyte" in wb.last_message
    assert len(world.service.rows()) == 2
    assert "Lymphocyte" in {t.name for t in wb.session.terms}
    assert wb.actions.undo.text() == "&Undo Import 2 annotations"
    # errors: a clear message, nothing imported
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json")
    wb.import_geojson(bad)
    wait_idle(qtbot, wb)
    qtbot.waitUntil(lambda: bool(world.window.findChildren(QMessageBox)))
    (box,) = world.window.findChildren(QMessageBox)  # window-modal, not blocking
    assert "is not a GeoJSON file" in box.text()
    box.close()
    assert len(world.service.rows()) == 2
    out = tmp_path / "out.geojson"
    wb.export_geojson(out)
    wait_idle(qtbot, wb)
    assert len(json.loads(out.read_text())["features"]) == 2


def test_hover_describes_the_annotation(qtbot: QtBot, world: World) -> None:
    wb = world.wb
    pk = world.service.create(shapely.box(1900, 1400, 2000, 1500), [world.terms["Tumor"]])
    wait_idle(qtbot, wb)
    assert wb.hover.pk_at(1950, 1450) == pk
    text = wb.hover.describe(pk)
    assert "Tumor" in text and "625.0 µm²" in text and "perimeter 100.0 µm" in text
    assert wb.session.state is not None
    assert next(iter(wb.session.state.authors.values())) in text
