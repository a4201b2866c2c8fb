"""The main window's menus and actions, addressed by an id rather than by their
(translatable, mnemonic-carrying) text.

Each menu is a ``QMenu`` whose ``objectName`` is ``menu-<id>``; the first module to ask
for it (``menu``) creates it with its title, at its place in the bar, and every other
module adding actions asks for the same id.  Submenus are ``menu-<id>`` too, and the
actions other modules place theirs next to (or tests trigger) are ``action-<id>``:
the sync actions go before Quit, the GeoJSON and measurement exports before the File
menu's ``FILE_END`` separator, whatever order the modules are installed in.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget


class MenuId(enum.StrEnum):
    FILE = "file"
    EDIT = "edit"
    OBJECTS = "objects"
    VIEW = "view"
    REVIEW = "review"
    HELP = "help"


#: The title each menu is shown with (``&`` marks the mnemonic).
TITLES: dict[MenuId, str] = {
    MenuId.FILE: "&File",
    MenuId.EDIT: "&Edit",
    MenuId.OBJECTS: "&Objects",
    MenuId.VIEW: "&View",
    MenuId.REVIEW: "&Review",
    MenuId.HELP: "&Help",
}


class SubmenuId(enum.StrEnum):
    RECENT = "recent"
    MAGNIFICATION = "magnification"
    SET_TERM = "set-term"
    OFFLINE = "offline"


class ActionId(enum.StrEnum):
    HOME = "home"
    OPEN = "open"
    IMPORT_GEOJSON = "import-geojson"
    EXPORT_GEOJSON = "export-geojson"
    EXPORT_MEASUREMENTS = "export-measurements"
    #: The separator after the file items, before the sync items and Quit.
    FILE_END = "file-end"
    SYNC_NOW = "sync-now"
    UPLOAD_LOCAL = "upload-local"
    LOG_IN = "log-in"
    LOG_OUT = "log-out"
    QUIT = "quit"
    UNDO = "undo"
    REDO = "redo"
    DELETE_SELECTED = "delete-selected"
    SHORTCUTS = "shortcuts"
    ABOUT = "about"


def object_name(menu_id: MenuId | SubmenuId) -> str:
    return f"menu-{menu_id.value}"


def action_name(action_id: ActionId) -> str:
    return f"action-{action_id.value}"


def named(action: QAction, action_id: ActionId) -> QAction:
    """``action``, given the id it is found by."""
    action.setObjectName(action_name(action_id))
    return action


def find_action(window: QWidget, action_id: ActionId) -> QAction | None:
    """The action ``action_id`` owned by ``window``, if it was created."""
    return window.findChild(QAction, action_name(action_id))


def action_in(menu: QMenu, action_id: ActionId) -> QAction | None:
    """The action ``action_id`` if it is in ``menu`` itself (not in a submenu)."""
    name = action_name(action_id)
    return next((a for a in menu.actions() if a.objectName() == name), None)


def insert_before(menu: QMenu, anchor: ActionId, actions: Sequence[QAction]) -> None:
    """Put ``actions`` before ``anchor`` in ``menu``, or at its end without one."""
    before = action_in(menu, anchor)
    for action in actions:
        if before is not None:
            menu.insertAction(before, action)
        else:
            menu.addAction(action)


def submenu(parent: QMenu, submenu_id: SubmenuId, title: str) -> QMenu:
    """A new submenu of ``parent`` named by its id."""
    created = parent.addMenu(title)
    created.setObjectName(object_name(submenu_id))
    return created


def find_submenu(parent: QWidget, submenu_id: SubmenuId) -> QMenu | None:
    """The submenu ``submenu_id`` under ``parent`` (a menu or the window), if any."""
    return parent.findChild(QMenu, object_name(submenu_id))


def find(window: QMainWindow, menu_id: MenuId) -> QMenu | None:
    """The window's menu ``menu_id``, if it was created."""
    for action in window.menuBar().actions():
        sub = action.menu()
        if isinstance(sub, QMenu) and sub.objectName() == object_name(menu_id):
            return sub
    return None


def menu(window: QMainWindow, menu_id: MenuId, before: MenuId | None = None) -> QMenu:
    """The window's menu ``menu_id``, created (before ``before``, if that exists) on
    first use."""
    existing = find(window, menu_id)
    if existing is not None:
        return existing
    created = QMenu(TITLES[menu_id], window)
    created.setObjectName(object_name(menu_id))
    bar = window.menuBar()
    anchor = find(window, before) if before is not None else None
    if anchor is not None:
        bar.insertMenu(anchor.menuAction(), created)
    else:
        bar.addMenu(created)
    return created
