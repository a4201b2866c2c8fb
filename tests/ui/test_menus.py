"""Menus and actions are found by id (``desktop_app.ui.menus``), in the real window that
``app.build_gui`` assembles: every id resolves, the File menu's order holds whatever order
the parts were installed in, and a retitled (translated) menu is still the same menu."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu
from pytestqt.qtbot import QtBot

from desktop_app.app import Gui, build_gui
from desktop_app.config import Settings
from desktop_app.ui import menus
from desktop_app.ui.menus import ActionId, MenuId, SubmenuId


@pytest.fixture
def gui(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Gui]:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))  # no real keyring read
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    built = build_gui(Settings(data_dir=tmp_path / "data"), show_home=False)
    yield built
    built.close()


def ids_in(menu: QMenu) -> list[str]:
    """The menu's named entries in order (separators and actions without an id skipped)."""
    out = []
    for action in menu.actions():
        sub = action.menu()
        name = sub.objectName() if isinstance(sub, QMenu) else action.objectName()
        if name:
            out.append(name)
    return out


def test_every_id_names_exactly_one_menu_or_action(gui: Gui) -> None:
    window: QMainWindow = gui.window
    for menu_id in MenuId:
        found = menus.find(window, menu_id)
        assert found is not None and found.objectName() == f"menu-{menu_id.value}", menu_id
    for action_id in ActionId:
        named = window.findChildren(QAction, menus.action_name(action_id))
        assert len(named) == 1, action_id
        assert menus.find_action(window, action_id) is named[0]
    assert menus.find_submenu(window, SubmenuId.RECENT) is window.actions_.recent_menu
    assert menus.find_submenu(window, SubmenuId.MAGNIFICATION) is not None


def test_file_menu_order_is_given_by_ids(gui: Gui) -> None:
    file_menu = menus.find(gui.window, MenuId.FILE)
    assert file_menu is not None
    assert ids_in(file_menu) == [
        menus.action_name(ActionId.HOME),
        menus.action_name(ActionId.OPEN),
        menus.object_name(SubmenuId.RECENT),
        menus.action_name(ActionId.IMPORT_GEOJSON),
        menus.action_name(ActionId.EXPORT_GEOJSON),
        menus.action_name(ActionId.EXPORT_MEASUREMENTS),
        menus.action_name(ActionId.FILE_END),
        menus.action_name(ActionId.SYNC_NOW),
        menus.action_name(ActionId.UPLOAD_LOCAL),
        menus.action_name(ActionId.LOG_IN),
        menus.action_name(ActionId.LOG_OUT),
        menus.action_name(ActionId.QUIT),
    ]


def test_a_retitled_menu_is_still_found_by_its_id(gui: Gui) -> None:
    window: Any = gui.window
    file_menu = menus.find(window, MenuId.FILE)
    assert file_menu is not None
    file_menu.setTitle("&Fichier")  # a translation: nothing may look menus up by title
    assert menus.menu(window, MenuId.FILE) is file_menu
    late = QAction("Late entry", window)
    menus.insert_before(file_menu, ActionId.QUIT, [late])
    actions = file_menu.actions()
    assert actions.index(late) == actions.index(menus.find_action(window, ActionId.QUIT)) - 1
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.count("&Fichier") == 1 and "&File" not in titles
