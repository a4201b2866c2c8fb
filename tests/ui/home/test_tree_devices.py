"""The tree's details pane shows the devices of an acquisition and of a session."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop_app.services.scitran_tree import ScitranTree
from desktop_app.ui.home.tree_tab import NODE_ROLE, TreeTab
from tests.services.test_scitran_devices import cache_with_devices


def _select(tab: TreeTab, kind: str, label: str) -> None:
    for index in tab._all_indexes():
        node = index.data(NODE_ROLE)
        if node["type"] == kind and node["label"] == label:
            tab.view.setCurrentIndex(index)
            return
    raise LookupError(label)


def test_details_list_devices_beside_the_other_metadata(qtbot: QtBot, tmp_path: Path) -> None:
    store = cache_with_devices(tmp_path / "cache.sqlite")
    try:
        nodes = ScitranTree(store).nodes()
    finally:
        store.close()
    tab = TreeTab()
    qtbot.addWidget(tab)
    tab.set_nodes(nodes)
    _select(tab, "acquisition", "H&E")
    text = tab.details.toPlainText()
    assert "Devices" in text and "GT450 (Leica Aperio GT 450, room 2)" in text
    assert "NanoZoomer" not in text
    _select(tab, "session", "Case 1")
    text = tab.details.toPlainText()
    assert "GT450 (Leica Aperio GT 450, room 2); NanoZoomer S360" in text
    _select(tab, "acquisition", "no device")
    assert "\nDevices\n-\n" in tab.details.toPlainText()
