"""The projects list of the home: search, sort, open, and the admin's actions."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.wording import plural
from desktop_app.services.projects import ProjectRow
from desktop_app.ui.home.models import ROW_ROLE, PreparedProjects, ProjectsModel
from desktop_app.ui.home.search_proxy import SearchProxy


class ProjectsTab(QWidget):
    """Table of projects; ``open_requested(project_pk)`` on double-click or Open."""

    open_requested = Signal(int)
    new_requested = Signal()
    members_requested = Signal(int)
    add_image_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ProjectsModel()
        self.proxy = SearchProxy()
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit(placeholderText="Search projects, ontologies, roles...")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        # measure 50 rows, not all of them (QTableView reads the vertical header's setting)
        header.setResizeContentsPrecision(50)
        self.table.verticalHeader().setResizeContentsPrecision(50)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(ProjectsModel.COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _i: self._emit(self.open_requested))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.summary = QLabel()
        self.open_button = QPushButton("Open")
        self.open_button.clicked.connect(lambda: self._emit(self.open_requested))
        self.new_button = QPushButton("New project...")
        self.new_button.clicked.connect(self.new_requested.emit)
        self.members_button = QPushButton("Members...")
        self.members_button.clicked.connect(lambda: self._emit(self.members_requested))
        self.add_image_button = QPushButton("Add image...")
        self.add_image_button.clicked.connect(lambda: self._emit(self.add_image_requested))
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        for b in (self.open_button, self.add_image_button, self.members_button, self.new_button):
            top.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self._update_buttons()

    def set_rows(self, rows: list[ProjectRow] | PreparedProjects) -> None:
        selected = self.selected()
        self.model.set_rows(rows)
        rows = rows.rows if isinstance(rows, PreparedProjects) else rows
        images = sum(r.images for r in rows)
        offline = sum(r.offline for r in rows)
        self.summary.setText(
            f"{plural(len(rows), 'project')}, {plural(images, 'image')} "
            f"({offline:,} available offline)"
        )
        if selected is not None:
            self.select(selected.pk)
        self._update_buttons()

    def selected(self) -> ProjectRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        value = rows[0].data(ROW_ROLE)
        return value if isinstance(value, ProjectRow) else None

    def select(self, project_pk: int) -> None:
        for n in range(self.proxy.rowCount()):
            row = self.proxy.index(n, 0).data(ROW_ROLE)
            if isinstance(row, ProjectRow) and row.pk == project_pk:
                self.table.selectRow(n)
                return

    def _emit(self, signal: SignalInstance) -> None:
        row = self.selected()
        if row is not None:
            signal.emit(row.pk)

    def _update_buttons(self) -> None:
        row = self.selected()
        self.open_button.setEnabled(row is not None)
        admin = row is not None and row.role == "admin"
        self.members_button.setEnabled(admin and row is not None and row.server_id is not None)
        self.add_image_button.setEnabled(row is not None and row.role in ("admin", "rw"))
        self.members_button.setToolTip(
            "Project admins add and remove members (needs the server)"
            if not admin
            else "Add or remove members, change their role"
        )
