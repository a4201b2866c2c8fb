"""The annotation list: a sortable, filterable table of the image's annotations.

A ``QAbstractTableModel`` over ``AnnotationService.rows()`` (read on a worker after each
change), behind a sort/filter proxy.  Selection is shared with the viewer through the
:class:`SelectionModel` both ways; double-clicking a row zooms the view onto it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.annotations import AnnotationRow
from desktop_app.ui.annotations.selection import SelectionModel
from desktop_app.ui.annotations.session import AnnotationSession

COLUMNS = ("ID", "Terms", "Author", "Area (µm²)", "Perimeter (µm)", "Created", "Review", "Shape")
SORT_ROLE = Qt.ItemDataRole.UserRole
PK_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


class AnnotationTableModel(QAbstractTableModel):
    """Rows as the service returns them; term names and µm from the given lookups."""

    def __init__(self, term_name: Callable[[int], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AnnotationRow] = []
        self._term_name = term_name
        self._um2 = 1.0
        self._um = 1.0
        self.row_of: dict[int, int] = {}

    def set_rows(
        self, rows: Sequence[AnnotationRow], mpp: tuple[float | None, float | None]
    ) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        mx, my = mpp
        self._um2 = (mx * my) if mx and my else 1.0
        self._um = mx if mx else 1.0
        self.row_of = {r.pk: i for i, r in enumerate(self._rows)}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def pk(self, row: int) -> int:
        return self._rows[row].pk

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        if role == PK_ROLE:
            return r.pk
        col = index.column()
        values: tuple[Any, ...] = (
            r.pk,
            ", ".join(self._term_name(t) for t in r.terms),
            r.author,
            r.area_px * self._um2,
            r.perimeter_px * self._um,
            r.created,
            "reviewed" if r.reviewed else "",
            r.geometry_type,
        )
        value = values[col]
        if role == SORT_ROLE:
            return value.isoformat() if col == 5 else value
        if role == Qt.ItemDataRole.DisplayRole:
            if col in (3, 4):
                return f"{value:,.1f}"
            if col == 5:
                return value.strftime("%Y-%m-%d %H:%M")
            return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (0, 3, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class AnnotationListPanel(QDockWidget):
    """Dock with a filter box and the table."""

    def __init__(
        self,
        session: AnnotationSession,
        selection: SelectionModel,
        zoom_to: Callable[[int], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Annotations", parent)
        self.setObjectName("annotations_dock")
        self._session = session
        self._selection = selection
        self._zoom_to = zoom_to
        self._syncing = False
        self.model = AnnotationTableModel(self._term_name, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.filter = QLineEdit(placeholderText="Filter (term, author, shape...)")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._on_double_click)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        self.setWidget(body)
        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self.reload)
        session.image_changed.connect(self.reload)
        session.annotations_changed.connect(lambda _c: self._timer.start())
        session.terms_changed.connect(self.model.layoutChanged.emit)
        selection.changed.connect(self._on_selection_changed)

    def _term_name(self, pk: int) -> str:
        term = self._session.term(pk)
        return term.name if term else f"#{pk}"

    def reload(self) -> None:
        service = self._session.service
        if service is None:
            self.model.set_rows([], (None, None))
            return
        mpp = (service.mpp_x, service.mpp_y)
        self._session.read(service.rows, on_done=lambda rows: self._set_rows(rows, mpp), key="rows")

    def _set_rows(self, rows: list[AnnotationRow], mpp: tuple[float | None, float | None]) -> None:
        self._syncing = True
        self.model.set_rows(rows, mpp)
        self._syncing = False
        self._on_selection_changed(self._selection.pks())

    # -- selection, both ways -----------------------------------------------------------
    def _on_table_selection(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        if self._syncing:
            return
        rows = self.table.selectionModel().selectedRows()
        self._syncing = True
        self._selection.set(int(self.proxy.data(i, PK_ROLE)) for i in rows)
        self._syncing = False

    def _on_selection_changed(self, pks: tuple[int, ...]) -> None:
        if self._syncing:
            return
        selection = QItemSelection()
        for pk in pks:
            row = self.model.row_of.get(pk)
            if row is not None:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                if index.isValid():
                    selection.select(index, index)
        self._syncing = True
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().select(selection, flags)
        if pks and not selection.isEmpty():
            self.table.scrollTo(selection.indexes()[0])
        self._syncing = False

    def _on_double_click(self, index: QModelIndex) -> None:
        self._zoom_to(int(self.proxy.data(index, PK_ROLE)))
