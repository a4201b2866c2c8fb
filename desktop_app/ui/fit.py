"""Keeping the main window inside the screen it is on.

Two causes made the window outgrow a small screen: a fixed start size (1400 x 900 on
any screen), and docks whose contents have a large minimum height -- stacking one more
(the review panel) raised the window's minimum above the screen, and Qt grew the window
to match, for good.  So the start size is clamped to ``QScreen.availableGeometry``,
and every tall dock body sits in a scroll area: a squeezed dock scrolls instead of
pushing the window (or its own contents) off the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

#: The window's size on a screen with room for it.
PREFERRED_SIZE = QSize(1400, 900)
#: Title bar and borders, which ``availableGeometry`` still has to hold.
FRAME_ALLOWANCE = QSize(16, 40)


def scrollable(body: QWidget) -> QScrollArea:
    """``body`` in a frameless scroll area that lets its dock shrink below ``body``'s
    minimum height (a scroll bar appears instead of the window growing)."""
    area = QScrollArea()
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    # only the height gives: the dock keeps the width its contents need
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(body)
    scroll_bar = area.verticalScrollBar().sizeHint().width()
    area.setMinimumWidth(body.minimumSizeHint().width() + scroll_bar)
    area.setMinimumHeight(min(body.minimumSizeHint().height(), 120))
    return area


def available_geometry(widget: QWidget) -> QRect:
    """The usable area (without panels and docks of the desktop) of ``widget``'s screen."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fitted_rect(preferred: QSize, minimum: QSize, available: QRect, frame: QSize) -> QRect:
    """Where a window that would like ``preferred`` goes in ``available``: as large as
    fits (never below ``minimum``), centred, its frame inside the area."""
    width = max(minimum.width(), min(preferred.width(), available.width() - frame.width()))
    height = max(minimum.height(), min(preferred.height(), available.height() - frame.height()))
    x = available.x() + max(0, (available.width() - frame.width() - width) // 2)
    y = available.y() + max(0, (available.height() - frame.height() - height) // 2)
    return QRect(QPoint(x, y), QSize(width, height))
