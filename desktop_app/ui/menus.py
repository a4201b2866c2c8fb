"""The main window's menus, addressed by an id rather than by their (translatable,
mnemonic-carrying) title text.

Each menu is a ``QMenu`` whose ``objectName`` is ``menu-<id>``; the first module to ask
for it (``menu``) creates it with its title, at its place in the bar, and every other
module adding actions asks for the same id.
"""

from __future__ import annotations

import enum

from PySide6.QtWidgets import QMainWindow, QMenu


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


def object_name(menu_id: MenuId) -> str:
    return f"menu-{menu_id.value}"


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
