"""The workstation's home: projects, their images and the SciTran hierarchy.

:func:`install_home` puts the home in front of the viewer (a stacked central widget):
it is what the app shows when no slide is given, and File > Projects home
(``Ctrl+Shift+H``) brings it back at any time.  Opening an image switches to the viewer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QStackedWidget, QToolBar, QWidget

from desktop_app.slide.disk_cache import DiskTileCache
from desktop_app.store.uow import Store
from desktop_app.ui import menus
from desktop_app.ui.home.context import HomeContext
from desktop_app.ui.home.home_page import HomePage
from desktop_app.ui.menus import ActionId, MenuId

__all__ = ["HomeContext", "HomePage", "install_home"]


def install_home(
    window: QMainWindow,
    *,
    store: Store,
    data_dir: Path,
    user_pk: int,
    open_image: Callable[[int], object],
    open_path: Callable[[Path], object],
    tiles: DiskTileCache,
    show: bool = True,
) -> HomePage:
    """Build the home, stack it over the window's viewer and add its menu entry."""
    ctx = HomeContext(store, Path(data_dir), user_pk, open_image, open_path, tiles)
    home = HomePage(ctx)
    stack = QStackedWidget()
    viewer = window.takeCentralWidget()
    stack.addWidget(home)
    if viewer is not None:
        stack.addWidget(viewer)
    window.setCentralWidget(stack)

    hidden: list[QWidget] = []

    def show_home() -> None:
        if not hidden:
            # the viewer's docks and drawing tools mean nothing without a slide: the
            # home gets the whole window, and they come back with the viewer
            for w in [*window.findChildren(QDockWidget), *_side_toolbars(window)]:
                if not w.isHidden():
                    hidden.append(w)
                    w.hide()
        stack.setCurrentWidget(home)
        home.refresh()

    def show_viewer(_image_pk: int = 0) -> None:
        if viewer is not None:
            stack.setCurrentWidget(viewer)
        while hidden:
            hidden.pop().show()

    action = menus.named(QAction("Projects &home", window), ActionId.HOME)
    action.setShortcut(QKeySequence("Ctrl+Shift+H"))
    action.triggered.connect(lambda _checked=False: show_home())
    file_menu = menus.find(window, MenuId.FILE)
    if file_menu is not None:
        menus.insert_before(file_menu, ActionId.OPEN, [action])
    window.addAction(action)
    home.show_home = show_home
    home.show_viewer = show_viewer
    home.home_action = action
    window.destroyed.connect(lambda *_: home.shutdown())
    if show:
        stack.setCurrentWidget(home)
        # after the window took its size (with its docks): hiding them must not shrink it
        QTimer.singleShot(0, show_home)
    else:
        show_viewer()
    return home


def _side_toolbars(window: QMainWindow) -> list[QToolBar]:
    """The drawing tools (left/right); the top bar (Sync now, Review) stays."""
    sides = (Qt.ToolBarArea.LeftToolBarArea, Qt.ToolBarArea.RightToolBarArea)
    return [t for t in window.findChildren(QToolBar) if window.toolBarArea(t) in sides]
