"""Qt models of the home: the projects, over plain service rows (the images' model is
``images_model``, the search box's proxy ``search_proxy``).

The rows come from one aggregated query run on a worker (``ProjectCatalog``); the
models only hold them, so painting 1,000 projects or scrolling 20,000 images is list
indexing.  Sorting and the search box are a ``QSortFilterProxyModel`` on top, which
sorts on ``SORT_ROLE`` (numbers as numbers, not as text).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop_app.services.projects import ProjectRow
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
ROOT = QModelIndex()


def _ago(when: datetime | None) -> str:
    if when is None:
        return "never"
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def progress_cell(done: int, total: int) -> str:
    """``done/total (pct)``, or ``-`` when there is nothing to do."""
    return f"{done}/{total} ({done / total:.0%})" if total else "-"


def readers_tip(readers: tuple[ReaderCount, ...], total: int) -> str:
    if not readers:
        return "No study reader has decided here yet"
    return "Decided per reader:\n" + "\n".join(f"{c.reader}: {c.decided}/{total}" for c in readers)


def readers_key(readers: tuple[ReaderCount, ...], total: int) -> float:
    """Sorted by the least advanced reader who has started here."""
    if not readers or not total:
        return -1.0
    return min(c.decided for c in readers) / total


class SortedTable(QAbstractTableModel):
    """A table that sorts its own rows on precomputed keys (one Python sort, no data()
    calls) and keeps the column and order for the rows of the next refresh."""

    def __init__(self) -> None:
        super().__init__()
        self._sorting: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sorting = (column, order)
        self.beginResetModel()
        self._apply_sort()
        self.endResetModel()

    def _apply_sort(self) -> None:
        column, order = self._sorting
        if column < 0:
            return
        keys = self._column_keys(column)
        perm = sorted(
            range(len(keys)), key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder
        )
        self._reorder(perm)

    def _column_keys(self, column: int) -> Sequence[Any]:
        """Each row's sort key in ``column``, in row order."""
        raise NotImplementedError

    def _reorder(self, perm: list[int]) -> None:
        """Put row ``perm[i]`` at ``i`` in every per-row list."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class PreparedProjects:
    """The projects with what the table shows and sorts by (``ProjectsModel.prepare``)."""

    rows: list[ProjectRow]
    text: list[tuple[str, ...]]
    keys: list[tuple[object, ...]]
    search: list[str]


class ProjectsModel(SortedTable):
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

    def _column_keys(self, column: int) -> Sequence[Any]:
        return [k[column] for k in self._keys]

    def _reorder(self, perm: list[int]) -> None:
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
            progress_cell(r.reviewed, r.annotations),
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
            readers_key(r.readers, r.annotations),
        )

    def rowCount(self, parent: Index = ROOT) -> int:  # Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:  # Qt override
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
                return readers_tip(r.readers, r.annotations)
            if col == 0:
                where = "local project" if r.local else f"server id {r.server_id}"
                return f"{r.name} ({where}, uid {r.uid})"
        return None
