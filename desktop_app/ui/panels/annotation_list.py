"""The annotation list: a sortable, filterable table of the image's annotations.

A ``QAbstractTableModel`` over keyset pages of ``AnnotationService.rows_page()`` (read on
a worker), behind a sort/filter proxy.  An image may hold a million annotations, so the
list costs nothing until its dock is visible, then reads one page and fetches the next
only when the table asks (``canFetchMore``/``fetchMore``, i.e. when it is scrolled to
the end); sorting and filtering apply to the rows loaded so far.  After an edit it
re-reads as many rows as it had.  Selection is shared with the viewer through the
:class:`SelectionModel` both ways; double-clicking a row zooms the view onto it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.annotation_reads import AnnotationRow
from desktop_app.ui import menus
from desktop_app.ui.annotations.selection import SelectionModel
from desktop_app.ui.annotations.session import AnnotationSession
from desktop_app.ui.menus import SubmenuId

COLUMNS = (
    "ID",
    "Terms",
    "Author",
    "Area (µm²)",
    "Perimeter / length (µm)",
    "Created",
    "Review",
    "Shape",
)
SORT_ROLE = Qt.ItemDataRole.UserRole
PK_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
#: Rows read per page (a page is ~10 ms to read and build).
PAGE = 500


class AnnotationTableModel(QAbstractTableModel):
    """Rows as the service returns them; term names and µm from the given lookups."""

    def __init__(self, term_name: Callable[[int], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AnnotationRow] = []
        self._term_name = term_name
        self._um2 = 1.0
        self._um = 1.0
        self.row_of: dict[int, int] = {}
        #: More rows after the last one; set by the panel.  ``fetch_more`` asks for them
        #: (asynchronously) and ``fetching`` is true until ``append_rows`` delivers.
        self.has_more = False
        self.fetching = False
        self.fetch_more: Callable[[int], object] | None = None

    def set_rows(
        self,
        rows: Sequence[AnnotationRow],
        mpp: tuple[float | None, float | None],
        has_more: bool = False,
    ) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        mx, my = mpp
        self._um2 = (mx * my) if mx and my else 1.0
        self._um = mx if mx else 1.0
        self.row_of = {r.pk: i for i, r in enumerate(self._rows)}
        self.has_more, self.fetching = has_more, False
        self.endResetModel()

    def append_rows(self, rows: Sequence[AnnotationRow], has_more: bool) -> None:
        """The next keyset page (rows after the last loaded one)."""
        self.fetching = False
        self.has_more = has_more
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        for i, r in enumerate(rows, first):
            self.row_of[r.pk] = i
        self.endInsertRows()

    @property
    def last_pk(self) -> int:
        return self._rows[-1].pk if self._rows else 0

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self.has_more and not self.fetching

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if self.canFetchMore(parent) and self.fetch_more is not None:
            self.fetching = True
            self.fetch_more(self.last_pk)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
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
            r.review,
            r.shape or r.geometry_type,
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


@dataclass
class RowCommands:
    """What the table's context menu does with the selected rows (given by the workbench)."""

    copy: Callable[[list[int]], object]
    export: Callable[[list[int]], object]
    delete: Callable[[tuple[int, ...]], object]
    set_term: Callable[[int], object]


class AnnotationListPanel(QDockWidget):
    """Dock with a filter box and the table (right-click: copy, export, zoom to, delete,
    set term)."""

    def __init__(
        self,
        session: AnnotationSession,
        selection: SelectionModel,
        zoom_to: Callable[[int], object],
        parent: QWidget | None = None,
        commands: RowCommands | None = None,
    ) -> None:
        super().__init__("Annotations", parent)
        self.setObjectName("annotations_dock")
        self._session = session
        self._selection = selection
        self._zoom_to = zoom_to
        self._syncing = False
        self.model = AnnotationTableModel(self._term_name, self)
        self.model.fetch_more = self._fetch_more
        self._generation = 0  # bumped by every reload: stale pages are dropped
        self._dirty = True  # the rows shown are not the image's (reload when visible)
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
        self.commands = commands
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._show_menu)
        self.copy_action = QAction("Copy measurements", self.table)
        self.copy_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_action.triggered.connect(self._copy_selected)
        self.table.addAction(self.copy_action)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        self.setWidget(body)
        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self.reload)
        session.image_changed.connect(self._on_image_changed)
        session.annotations_changed.connect(lambda _c: self._timer.start())
        self.visibilityChanged.connect(self._on_visibility)
        session.terms_changed.connect(self.model.layoutChanged.emit)
        selection.changed.connect(self._on_selection_changed)

    def _term_name(self, pk: int) -> str:
        term = self._session.term(pk)
        return term.name if term else f"#{pk}"

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        super().showEvent(event)
        if self._dirty:
            QTimer.singleShot(0, self._reload_if_dirty)  # once isVisible() is true

    def _on_visibility(self, visible: bool) -> None:
        if visible:
            self._reload_if_dirty()

    def _reload_if_dirty(self) -> None:
        if self._dirty and self.isVisible():
            self.reload()

    def _on_image_changed(self) -> None:
        self._generation += 1
        self.model.set_rows([], (None, None))
        self.reload()

    def reload(self) -> None:
        """Re-read the rows shown (at least one page), only while the dock is visible."""
        service = self._session.service
        self._generation += 1
        if service is None:
            self.model.set_rows([], (None, None))
            self._dirty = False
            return
        if not self.isVisible():
            self._dirty = True
            return
        self._dirty = False
        mpp = (service.mpp_x, service.mpp_y)
        count = max(PAGE, self.model.rowCount())
        generation = self._generation
        self._session.read(
            service.rows_page,
            0,
            count + 1,
            on_done=lambda rows: self._set_rows(rows, mpp, count, generation),
            key="rows",
        )

    def _set_rows(
        self,
        rows: list[AnnotationRow],
        mpp: tuple[float | None, float | None],
        count: int,
        generation: int,
    ) -> None:
        if generation != self._generation:
            return
        self._syncing = True
        self.model.set_rows(rows[:count], mpp, has_more=len(rows) > count)
        self._syncing = False
        self._on_selection_changed(self._selection.pks())

    def _fetch_more(self, after_pk: int) -> None:
        service = self._session.service
        if service is None:
            self.model.fetching = False
            return
        generation = self._generation
        self._session.read(
            service.rows_page,
            after_pk,
            PAGE + 1,
            on_done=lambda rows: self._append_rows(rows, generation),
            key="rows_more",
        )

    def _append_rows(self, rows: list[AnnotationRow], generation: int) -> None:
        if generation != self._generation:
            return
        self._syncing = True
        self.model.append_rows(rows[:PAGE], has_more=len(rows) > PAGE)
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

    # -- context menu ---------------------------------------------------------------------
    def selected_pks(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows()
        return [int(self.proxy.data(i, PK_ROLE)) for i in rows]

    def context_menu(self) -> QMenu:
        """The menu for the current selection (built each time: the terms may change)."""
        menu = QMenu(self)
        pks = self.selected_pks()
        cmds = self.commands
        if cmds is None or not pks:
            menu.addAction("No annotation selected").setEnabled(False)
            return menu
        copy = menu.addAction("&Copy measurements", lambda: cmds.copy(pks))
        copy.setShortcut(self.copy_action.shortcut())
        menu.addAction("&Export measurements of selected...", lambda: cmds.export(pks))
        zoom = menu.addAction("&Zoom to", lambda: self._zoom_to(pks[0]))
        zoom.setEnabled(len(pks) == 1)
        terms = menus.submenu(menu, SubmenuId.SET_TERM, "Set &term")
        for term in self._session.terms:
            terms.addAction(term.name, partial(cmds.set_term, term.pk))
        terms.setEnabled(bool(self._session.terms))
        menu.addSeparator()
        menu.addAction(f"&Delete {len(pks)} annotation(s)", lambda: cmds.delete(tuple(pks)))
        return menu

    def _copy_selected(self) -> None:
        pks = self.selected_pks()
        if self.commands is not None and pks:
            self.commands.copy(pks)

    def _show_menu(self, pos: QPoint) -> None:
        self.context_menu().popup(self.table.viewport().mapToGlobal(pos))
