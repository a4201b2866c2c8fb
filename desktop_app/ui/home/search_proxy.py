"""The home's search box and column sorting, one proxy over either table model."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt

from desktop_app.ui.home.images_model import ImagesModel
from desktop_app.ui.home.models import SORT_ROLE, Index, ProjectsModel


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
