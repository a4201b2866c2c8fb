"""The image browser of one project: a thumbnail grid and a detailed list.

Both views share one model; the grid shows column 0 (name + thumbnail).  Double-click
opens the image through the window's ``open_image`` (its file, or streamed from the
server).  The context menu holds the offline actions (``offline_actions.py``), the
properties and "open the next unreviewed image".
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.wording import plural
from desktop_app.services.projects import ImageRow, ProjectRow
from desktop_app.ui import menus
from desktop_app.ui.home.images_model import ImagesModel
from desktop_app.ui.home.models import ROW_ROLE
from desktop_app.ui.home.search_proxy import SearchProxy
from desktop_app.ui.home.thumbnails import ThumbnailLoader
from desktop_app.ui.menus import SubmenuId

TILE_MAGNIFICATIONS = (20.0, 10.0, 5.0, 2.5)


class ImagesTab(QWidget):
    """Signals carry image pks; the home page does the work they ask for."""

    open_requested = Signal(int)
    offline_requested = Signal(int, str, float)  # image, "file"|"tiles", magnification
    remove_offline_requested = Signal(int)
    properties_requested = Signal(int)
    next_unreviewed_requested = Signal(int)  # after this image (0: from the start)

    def __init__(self, thumbnails: ThumbnailLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: ProjectRow | None = None
        self.thumbnails = thumbnails
        self.model = ImagesModel(thumbnails.icon)
        thumbnails.ready.connect(self.model.thumbnail_ready)
        self.proxy = SearchProxy()
        self.proxy.setSourceModel(self.model)
        self.title = QLabel("Choose a project on the Projects tab")
        self.title.setStyleSheet("font-weight: bold")
        self.search = QLineEdit(placeholderText="Search images...")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)

        self.grid = QListView()
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setIconSize(QSize(160, 160))
        self.grid.setGridSize(QSize(190, 215))
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setUniformItemSizes(True)
        self.grid.setLayoutMode(QListView.LayoutMode.Batched)  # big projects lay out in steps
        self.grid.setBatchSize(500)
        self.grid.setWordWrap(True)
        self.grid.setModel(self.proxy)
        self.grid.setModelColumn(ImagesModel.CARD)
        self.list = QTableView()
        self.list.setModel(self.proxy)
        self.list.setSortingEnabled(True)
        self.list.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.list.verticalHeader().hide()
        self.list.setIconSize(QSize(48, 48))
        self.list.verticalHeader().setDefaultSectionSize(52)
        self.list.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.list.setColumnHidden(ImagesModel.CARD, True)
        for view in (self.grid, self.list):
            view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.doubleClicked.connect(self._on_double_click)
            view.customContextMenuRequested.connect(lambda pos, v=view: self._context_menu(v, pos))
        self.list.setSelectionModel(self.grid.selectionModel())
        self.views = QStackedWidget()
        self.views.addWidget(self.grid)
        self.views.addWidget(self.list)

        self.grid_button = _tool_button("Grid", checkable=True)
        self.grid_button.setChecked(True)
        self.list_button = _tool_button("List", checkable=True)
        modes = QButtonGroup(self)
        for n, b in enumerate((self.grid_button, self.list_button)):
            modes.addButton(b, n)
        modes.idClicked.connect(self.views.setCurrentIndex)
        self.next_button = _tool_button("Next unreviewed")
        self.next_button.clicked.connect(
            lambda: self.next_unreviewed_requested.emit(self._selected_pk() or 0)
        )
        self.summary = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.search, 1)
        for b in (self.next_button, self.grid_button, self.list_button):
            top.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.views, 1)
        layout.addWidget(self.summary)

    def set_project(self, project: ProjectRow, rows: list[ImageRow]) -> None:
        self.project = project
        self.title.setText(project.name)
        self.model.set_rows(rows)
        offline = sum(1 for r in rows if r.offline.value in ("file", "tiles"))
        ann = sum(r.annotations for r in rows)
        rev = sum(r.reviewed for r in rows)
        self.summary.setText(
            f"{plural(len(rows), 'image')}, {offline:,} available offline, "
            f"{rev:,}/{plural(ann, 'annotation')} reviewed"
        )

    def select(self, image_pk: int) -> None:
        n = self.model.row_of(image_pk)
        if n is None:
            return
        index = self.proxy.mapFromSource(self.model.index(n, ImagesModel.CARD))
        self.grid.setCurrentIndex(index)
        self.grid.scrollTo(index)

    def _selected_pk(self) -> int | None:
        rows = self.grid.selectionModel().selectedIndexes()
        if not rows:
            return None
        row = rows[0].data(ROW_ROLE)
        return row.pk if isinstance(row, ImageRow) else None

    def _on_double_click(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if isinstance(row, ImageRow):
            self.open_requested.emit(row.pk)

    def _context_menu(self, view: QAbstractItemView, pos: QPoint) -> None:
        index = view.indexAt(pos)
        row = index.data(ROW_ROLE) if index.isValid() else None
        if not isinstance(row, ImageRow):
            return
        menu = self.build_menu(row)
        menu.exec(view.viewport().mapToGlobal(pos))

    def build_menu(self, row: ImageRow) -> QMenu:
        """The context menu of one image (tests call it directly)."""
        menu = QMenu(self)

        def add(text: str, slot: Callable[[], object], enabled: bool = True) -> QAction:
            action = menu.addAction(text)
            action.setEnabled(enabled)
            action.triggered.connect(lambda _checked=False: slot())
            return action

        add("Open", lambda: self.open_requested.emit(row.pk))
        offline = menus.submenu(menu, SubmenuId.OFFLINE, "Make available offline")
        offline.setEnabled(row.server_id is not None)
        file_action = offline.addAction("Whole slide file...")
        file_action.triggered.connect(
            lambda _c=False: self.offline_requested.emit(row.pk, "file", 0.0)
        )
        for mag in TILE_MAGNIFICATIONS:
            if row.magnification and mag > row.magnification:
                continue
            action = offline.addAction(f"Tiles down to {mag:g}x...")
            action.triggered.connect(
                lambda _c=False, m=mag: self.offline_requested.emit(row.pk, "tiles", m)
            )
        add(
            "Remove the offline copy",
            lambda: self.remove_offline_requested.emit(row.pk),
            enabled=row.offline.value in ("file", "tiles") and row.server_id is not None,
        )
        menu.addSeparator()
        add("Properties...", lambda: self.properties_requested.emit(row.pk))
        add("Open the next unreviewed image", lambda: self.next_unreviewed_requested.emit(row.pk))
        return menu


def _tool_button(text: str, *, checkable: bool = False) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setCheckable(checkable)
    return button
