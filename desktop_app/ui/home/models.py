"""Qt models of the home: projects and a project's images, over plain service rows.

The rows come from one aggregated query run on a worker (``ProjectCatalog``); the
models only hold them, so painting 1,000 projects or scrolling 20,000 images is list
indexing.  Sorting and the search box are a ``QSortFilterProxyModel`` on top, which
sorts on ``SORT_ROLE`` (numbers as numbers, not as text).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QImage

from desktop_app.services.projects import ImageRow, OfflineState, ProjectRow
from desktop_app.services.reader_progress import ReaderCount, progress_text

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
# Plain ints for data(): it runs thousands of times per paint and resize, and comparing
# an int role with an enum member (or OR-ing alignment flags) costs a Python call each.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_SORT = int(SORT_ROLE)
_ROW = int(ROW_ROLE)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def _ago(when: datetime | None) -> str:
    if when is None:
        return "never"
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def _progress(done: int, total: int) -> str:
    return f"{done}/{total} ({done / total:.0%})" if total else "-"


def _readers_tip(readers: tuple[ReaderCount, ...], total: int) -> str:
    if not readers:
        return "No study reader has decided here yet"
    return "Decided per reader:\n" + "\n".join(f"{c.reader}: {c.decided}/{total}" for c in readers)


def _readers_key(readers: tuple[ReaderCount, ...], total: int) -> float:
    """Sorted by the least advanced reader who has started here."""
    if not readers or not total:
        return -1.0
    return min(c.decided for c in readers) / total


@dataclass(frozen=True, slots=True)
class PreparedProjects:
    """The projects with what the table shows and sorts by (``ProjectsModel.prepare``)."""

    rows: list[ProjectRow]
    text: list[tuple[str, ...]]
    keys: list[tuple[object, ...]]
    search: list[str]


class ProjectsModel(QAbstractTableModel):
    """One line per project: the columns of the home's table."""

    COLUMNS = (
        "Project",
        "Ontology",
        "Images",
        "Annotations",
        "Reviewed",
        "Members",
        "My role",
        "Last sync",
        "Offline",
        "Readers",
    )

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[ProjectRow] = []
        self._text: list[tuple[str, ...]] = []
        self._keys: list[tuple[Any, ...]] = []
        self._search: list[str] = []
        self._sorting: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)

    @classmethod
    def prepare(cls, rows: Sequence[ProjectRow]) -> PreparedProjects:
        """Display texts, sort keys and search texts, computed once per refresh and not
        per paint; pure Python on plain rows, so the home runs it on its worker lane
        right after the query (the UI thread then only swaps lists)."""
        text = [cls._display(r) for r in rows]
        return PreparedProjects(
            list(rows),
            text,
            [cls._sort_key(r) for r in rows],
            [" ".join(t).casefold() for t in text],
        )

    def set_rows(self, rows: Sequence[ProjectRow] | PreparedProjects) -> None:
        prepared = rows if isinstance(rows, PreparedProjects) else self.prepare(rows)
        self.beginResetModel()
        self._rows, self._text = prepared.rows, prepared.text
        self._keys, self._search = prepared.keys, prepared.search
        self._apply_sort()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted here on the precomputed keys (one Python sort, no data() calls)."""
        self._sorting = (column, order)
        self.beginResetModel()
        self._apply_sort()
        self.endResetModel()

    def _apply_sort(self) -> None:
        column, order = self._sorting
        if column < 0:
            return
        perm = sorted(
            range(len(self._rows)),
            key=lambda i: self._keys[i][column],
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        for name in ("_rows", "_text", "_keys", "_search"):
            values = getattr(self, name)
            setattr(self, name, [values[i] for i in perm])

    def row_at(self, row: int) -> ProjectRow:
        return self._rows[row]

    def search_text(self, row: int) -> str:
        return self._search[row]

    @staticmethod
    def _display(r: ProjectRow) -> tuple[str, ...]:
        return (
            r.name,
            r.ontology or "-",
            f"{r.images:,}",
            f"{r.annotations:,}",
            _progress(r.reviewed, r.annotations),
            str(r.members),
            r.role or "-",
            "local only" if r.local else _ago(r.last_sync),
            f"{r.offline}/{r.images}",
            progress_text(r.readers, r.annotations),
        )

    @staticmethod
    def _sort_key(r: ProjectRow) -> tuple[Any, ...]:
        return (
            r.name.lower(),
            (r.ontology or "").lower(),
            r.images,
            r.annotations,
            r.reviewed / r.annotations if r.annotations else -1.0,
            r.members,
            r.role or "",
            r.last_sync.timestamp() if r.last_sync else 0.0,
            r.offline,
            _readers_key(r.readers, r.annotations),
        )

    def rowCount(self, parent: Index = _ROOT) -> int:  # Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:  # Qt override
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(  # Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        n = index.row()
        if n < 0:  # an invalid index
            return None
        col = index.column()
        if role == _DISPLAY:
            return self._text[n][col]
        if role == _ALIGNMENT:
            return _RIGHT if 2 <= col <= 5 else None
        if role == _SORT:
            return self._keys[n][col]
        if role == _ROW:
            return self._rows[n]
        if role == _TOOLTIP:
            r = self._rows[n]
            if col == len(self.COLUMNS) - 1:
                return _readers_tip(r.readers, r.annotations)
            if col == 0:
                where = "local project" if r.local else f"server id {r.server_id}"
                return f"{r.name} ({where}, uid {r.uid})"
        return None


_OFFLINE_COLOURS = {
    OfflineState.FILE: QColor("#2E7D32"),
    OfflineState.TILES: QColor("#1565C0"),
    OfflineState.STREAMED: QColor("#757575"),
    OfflineState.NONE: QColor("#C62828"),
}


def _image_tooltip(r: ImageRow) -> str:
    mag = f", {r.magnification:g}x" if r.magnification else ""
    return (
        f"{r.name}\n{r.width:,} × {r.height:,} px{mag}\n"
        f"{r.annotations} annotations, {_progress(r.reviewed, r.annotations)} reviewed\n"
        f"offline: {r.offline_label}"
    )


class ImagesModel(QAbstractTableModel):
    """A project's images; column 0 carries the thumbnail (the grid shows only it)."""

    COLUMNS = (
        "Image", "Size (px)", "µm/px", "Magnification", "Annotations", "Reviewed", "Offline",
        "Readers",
    )  # fmt: skip
    #: The grid's column (hidden in the list): thumbnail, name and offline state.
    CARD = len(COLUMNS)

    def __init__(self, thumbnail: Callable[[ImageRow], QImage | None]) -> None:
        super().__init__()
        self._rows: list[ImageRow] = []
        self._search: list[str] = []
        self._sorting: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)
        self._thumbnail = thumbnail

    def set_rows(self, rows: Sequence[ImageRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._search = [f"{r.name} {r.offline_label}".casefold() for r in self._rows]
        self._apply_sort()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sorting = (column, order)
        self.beginResetModel()
        self._apply_sort()
        self.endResetModel()

    def _apply_sort(self) -> None:
        column, order = self._sorting
        if column < 0:
            return
        keys = [self._sort_key(r)[column] for r in self._rows]
        perm = sorted(
            range(len(self._rows)),
            key=keys.__getitem__,
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        self._rows = [self._rows[i] for i in perm]
        self._search = [self._search[i] for i in perm]

    def _card(self, r: ImageRow, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{r.name}\n{r.offline_label}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumbnail(r)
        if role == Qt.ItemDataRole.ForegroundRole:
            return _OFFLINE_COLOURS[r.offline]
        if role == ROW_ROLE:
            return r
        if role == Qt.ItemDataRole.ToolTipRole:
            return _image_tooltip(r)
        return None

    @staticmethod
    def _sort_key(r: ImageRow) -> tuple[Any, ...]:
        return (
            r.name.lower(),
            r.width * r.height,
            r.mpp or 0.0,
            r.magnification or 0.0,
            r.annotations,
            r.reviewed / r.annotations if r.annotations else -1.0,
            r.offline.value,
            _readers_key(r.readers, r.annotations),
        )

    def search_text(self, row: int) -> str:
        return self._search[row]

    def rows(self) -> list[ImageRow]:
        return list(self._rows)

    def row_at(self, row: int) -> ImageRow:
        return self._rows[row]

    def row_of_server(self, server_id: int) -> int:
        return next(n for n, r in enumerate(self._rows) if r.server_id == server_id)

    def row_of(self, image_pk: int) -> int | None:
        for n, r in enumerate(self._rows):
            if r.pk == image_pk:
                return n
        return None

    def thumbnail_ready(self, image_pk: int) -> None:
        n = self.row_of(image_pk)
        if n is not None:
            index = self.index(n, 0)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    def rowCount(self, parent: Index = _ROOT) -> int:  # Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:  # Qt override
        return 0 if parent.isValid() else len(self.COLUMNS) + 1

    def headerData(  # Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section] if section < self.CARD else "Card"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        if index.column() == self.CARD:
            return self._card(r, role)
        col = index.column()
        if role == ROW_ROLE:
            return r
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return self._thumbnail(r)
        if role == SORT_ROLE:
            return self._sort_key(r)[col]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                r.name,
                f"{r.width:,} × {r.height:,}",
                f"{r.mpp:.3f}" if r.mpp else "-",
                f"{r.magnification:g}x" if r.magnification else "-",
                f"{r.annotations:,}",
                _progress(r.reviewed, r.annotations),
                r.offline_label,
                progress_text(r.readers, r.annotations),
            )[col]
        if role == Qt.ItemDataRole.ForegroundRole and col == 6:
            return _OFFLINE_COLOURS[r.offline]
        if role == Qt.ItemDataRole.ToolTipRole and col == 7:
            return _readers_tip(r.readers, r.annotations)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _image_tooltip(r)
        return None


class SearchProxy(QSortFilterProxyModel):
    """Case-insensitive search over every column, numeric-aware sorting.

    Sorting is forwarded to the source model, which sorts its precomputed keys in one
    Python ``sorted``; Qt's proxy sort would call ``data()`` twice per comparison
    (12,000 calls for 1,000 projects, a quarter of a second on the UI thread).
    """

    def __init__(self) -> None:
        super().__init__()
        self._needle = ""
        self.setDynamicSortFilter(False)
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def setFilterFixedString(self, text: str) -> None:  # Qt override
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.9: the non-deprecated pair
            self.beginFilterChange()
            self._needle = text.casefold()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            self._needle = text.casefold()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:  # Qt override
        """Searched in Python over each row's precomputed text: Qt's every-column filter
        would ask ``data()`` for each cell of each row on every reset."""
        if not self._needle:
            return True
        source = self.sourceModel()
        if not isinstance(source, ProjectsModel | ImagesModel):
            return True
        return self._needle in source.search_text(row)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The source model sorts (on its precomputed keys); the proxy only filters."""
        self.sourceModel().sort(column, order)
