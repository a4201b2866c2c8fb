"""What the review study's docks share: a worker lane, a message line, a read table,
reloading when shown or when the image changes, and their place in the Review menu.

The adjudication dock and the agreement dock (``adjudication_dock``,
``agreement_dock``) are both a read of the open image's project on a worker lane,
shown in a table; each says only what it reads and how it draws it (``reload``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDockWidget,
    QHeaderView,
    QLabel,
    QMainWindow,
    QTableWidget,
    QWidget,
)

from desktop_app.store.uow import Store
from desktop_app.ui import menus
from desktop_app.ui.annotations.session import AnnotationSession
from desktop_app.ui.fit import scrollable
from desktop_app.ui.lanes import Lane
from desktop_app.ui.menus import MenuId

D = TypeVar("D", bound="StudyDock")


class StudyDock(QDockWidget):
    """A dock that reads the open image's project on its own lane (``reload``)."""

    def __init__(
        self,
        title: str,
        name: str,
        store: Store,
        session: AnnotationSession,
        parent: QWidget | None,
    ) -> None:
        super().__init__(title, parent)
        self.setObjectName(name)
        self._store, self._session = store, session
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.lane = Lane(title.lower(), self)
        self.lane.failed.connect(lambda text: self.set_message(text, error=True))

    def show_body(self, body: QWidget) -> None:
        """Put the built body in place; from now on showing the dock or opening another
        image reads again."""
        self.setWidget(scrollable(body))
        self._session.image_changed.connect(self.reload)
        self.visibilityChanged.connect(self._on_visibility)

    def reload(self) -> None:
        raise NotImplementedError

    def _on_visibility(self, visible: bool) -> None:
        if visible:
            self.reload()

    @property
    def busy(self) -> bool:
        return self.lane.busy

    def set_message(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #C62828; font-weight: bold" if error else "")
        self.message.setText(text)

    def close_lane(self) -> None:
        self.lane.shutdown()


def read_table(columns: Sequence[str] = ()) -> QTableWidget:
    """A table to read, not edit: no row numbers, stretched columns."""
    table = QTableWidget(0, len(columns))
    if columns:
        table.setHorizontalHeaderLabels(list(columns))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


def install_study_dock(window: QMainWindow, dock: D, text: str, tip: str) -> D:
    """Add ``dock`` (hidden) to the window and ``Review > text`` to show it."""
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    dock.hide()
    action: QAction = dock.toggleViewAction()
    action.setText(text)
    action.setToolTip(tip)
    menus.menu(window, MenuId.REVIEW, before=MenuId.HELP).addAction(action)
    return dock


__all__ = ["StudyDock", "install_study_dock", "read_table"]
