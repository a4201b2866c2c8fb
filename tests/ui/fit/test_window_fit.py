"""The main window fits the screen: every dock shown, review mode on or off.

Review mode used to stack its dock under the others, raising the window's minimum
height to 1068 px; Qt then grew the window past a 1024-px (or 1000-px) screen and it
stayed so after leaving the mode.
"""

from __future__ import annotations

from pathlib import Path

import shapely
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QDockWidget
from pytestqt.qtbot import QtBot

from desktop_app.ui.fit import FRAME_ALLOWANCE, PREFERRED_SIZE
from desktop_app.ui.review import install_review_mode
from desktop_app.ui.sync import install_sync_ui
from tests.ui.annotations.conftest import World, wait_idle

SXGA = QSize(1280, 1024)


def test_review_mode_never_grows_the_window(qtbot: QtBot, world: World, tmp_path: Path) -> None:
    window, wb = world.window, world.wb
    install_sync_ui(
        window, window.view, store=world.store, data_dir=tmp_path / "d", workbench=wb, auto=False
    )
    mode = install_review_mode(window, wb, store=world.store, user_pk=world.user_pk)
    for i in range(3):
        world.service.create(shapely.box(1800 + 200 * i, 1400, 1900 + 200 * i, 1500))
    wait_idle(qtbot, wb)
    for dock in window.findChildren(QDockWidget):
        if dock is not mode.panel:
            dock.show()
    window.resize(1264, 900)
    qtbot.wait(50)
    size = window.size()
    minimum = window.minimumSizeHint()
    room = SXGA - FRAME_ALLOWANCE
    assert minimum.width() <= room.width() and minimum.height() <= room.height(), minimum
    mode.toggle_action.setChecked(True)
    qtbot.waitUntil(lambda: mode.session is not None and mode.panel.isVisible())
    qtbot.wait(50)
    assert window.size() == size, (window.size(), size)
    assert window.minimumSizeHint().height() <= minimum.height() + 10
    assert mode.panel in window.tabifiedDockWidgets(wb.list_panel)  # a tab, not a new row
    wb.list_panel.raise_()  # another tab in front keeps the mode on
    qtbot.wait(20)
    assert mode.active
    mode.toggle_action.setChecked(False)
    qtbot.wait(50)
    assert window.size() == size and not mode.panel.isVisible()
    mode.toggle_action.setChecked(True)
    qtbot.waitUntil(lambda: mode.panel.isVisible())
    mode.panel.close()  # closing the dock leaves the mode
    qtbot.waitUntil(lambda: not mode.active)


def test_start_size_is_clamped_to_the_available_screen(world: World) -> None:
    window = world.window
    small = QRect(0, 24, 1280, 976)  # a 1000-px screen less a 24-px panel
    window.fit_to_screen(small)
    frame = window.frameGeometry()
    assert frame.height() <= small.height() and window.height() <= small.height() - 16
    assert small.contains(window.geometry().topLeft())
    assert window.geometry().bottom() <= small.bottom()
    big = QRect(0, 0, 2560, 1440)
    window.fit_to_screen(big)
    assert window.size() == PREFERRED_SIZE
    assert big.contains(window.frameGeometry())
