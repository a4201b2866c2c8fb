"""The home's Qt model of a project's images: the list's columns and the grid's cards.

Like the projects' model it only holds the rows ``ProjectCatalog`` made on a worker;
thumbnails are asked of the page as cells are painted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from desktop_app.services.projects import ImageRow, OfflineState
from desktop_app.services.reader_progress import progress_text
from desktop_app.ui.home.models import (
    ROOT,
    ROW_ROLE,
    SORT_ROLE,
    Index,
    SortedTable,
    progress_cell,
    readers_key,
    readers_tip,
)

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
        f"{r.annotations} annotations, {progress_cell(r.reviewed, r.annotations)} reviewed\n"
        f"offline: {r.offline_label}"
    )


class ImagesModel(SortedTable):
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
        self._thumbnail = thumbnail

    def set_rows(self, rows: Sequence[ImageRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._search = [f"{r.name} {r.offline_label}".casefold() for r in self._rows]
        self._apply_sort()
        self.endResetModel()

    def _column_keys(self, column: int) -> Sequence[Any]:
        return [self._sort_key(r)[column] for r in self._rows]

    def _reorder(self, perm: list[int]) -> None:
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
            readers_key(r.readers, r.annotations),
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

    def rowCount(self, parent: Index = ROOT) -> int:  # Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:  # Qt override
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
                progress_cell(r.reviewed, r.annotations),
                r.offline_label,
                progress_text(r.readers, r.annotations),
            )[col]
        if role == Qt.ItemDataRole.ForegroundRole and col == 6:
            return _OFFLINE_COLOURS[r.offline]
        if role == Qt.ItemDataRole.ToolTipRole and col == 7:
            return readers_tip(r.readers, r.annotations)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _image_tooltip(r)
        return None
