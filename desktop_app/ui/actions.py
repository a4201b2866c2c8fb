"""Menus and actions of the main window, built in one place.

Actions only call the view's or window's public methods; keeping their construction
here leaves ``main_window.py`` about behaviour rather than menu plumbing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from desktop_app.ui import menus
from desktop_app.ui.menus import ActionId, MenuId, SubmenuId
from desktop_app.ui.viewer import SlideView, navigation


@dataclass
class WindowActions:
    """References to the actions tests and the window need to reach."""

    open: QAction
    quit: QAction
    fit: QAction
    zoom_in: QAction
    zoom_out: QAction
    minimap: QAction
    recent_menu: QMenu
    presets: dict[float, QAction] = field(default_factory=dict)
    docks: dict[str, QAction] = field(default_factory=dict)


def _action(
    window: QMainWindow, text: str, slot: Callable[[], object], shortcut: str = ""
) -> QAction:
    action = QAction(text, window)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: slot())
    return action


def build_actions(
    window: QMainWindow,
    view: SlideView,
    *,
    open_dialog: Callable[[], object],
    quit_app: Callable[[], object],
) -> WindowActions:
    """Create the File and View menus on ``window``'s menu bar."""
    file_menu = menus.menu(window, MenuId.FILE)
    open_action = menus.named(_action(window, "&Open slide...", open_dialog), ActionId.OPEN)
    open_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Open))
    file_menu.addAction(open_action)
    recent_menu = menus.submenu(file_menu, SubmenuId.RECENT, "Open &recent")
    menus.named(file_menu.addSeparator(), ActionId.FILE_END)
    quit_action = menus.named(_action(window, "&Quit", quit_app), ActionId.QUIT)
    quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
    file_menu.addAction(quit_action)

    view_menu = menus.menu(window, MenuId.VIEW)
    fit = _action(window, "&Fit to window", view.fit, "Ctrl+0")
    zoom_in = _action(window, "Zoom &in\t+", lambda: view.zoom_by(1 / navigation.ZOOM_STEP))
    zoom_out = _action(window, "Zoom &out\t-", lambda: view.zoom_by(navigation.ZOOM_STEP))
    for action in (fit, zoom_in, zoom_out):
        view_menu.addAction(action)
    mag_menu = menus.submenu(view_menu, SubmenuId.MAGNIFICATION, "&Magnification")
    presets: dict[float, QAction] = {}
    for i, mag in enumerate(navigation.MAGNIFICATION_PRESETS, start=1):
        label = f"{mag:g}x"
        presets[mag] = _action(window, label, partial(view.set_magnification, mag), f"Ctrl+{i}")
        mag_menu.addAction(presets[mag])
    view_menu.addSeparator()
    minimap = QAction("&Overview (minimap)", window, checkable=True, checked=True)
    minimap.toggled.connect(lambda on: view.minimap.setVisible(on and view.source() is not None))
    view_menu.addAction(minimap)
    return WindowActions(
        open=open_action,
        quit=quit_action,
        fit=fit,
        zoom_in=zoom_in,
        zoom_out=zoom_out,
        minimap=minimap,
        recent_menu=recent_menu,
        presets=presets,
    )


def fill_recent_menu(menu: QMenu, paths: list[Path], open_path: Callable[[Path], object]) -> None:
    """Rebuild "Open recent" from ``paths`` (most recent first)."""
    menu.clear()
    for i, path in enumerate(paths[:10], start=1):
        action = menu.addAction(f"&{i % 10} {path.name}")
        action.setToolTip(str(path))
        action.setStatusTip(str(path))
        action.triggered.connect(lambda _checked=False, p=path: open_path(p))
    menu.setEnabled(bool(paths))
