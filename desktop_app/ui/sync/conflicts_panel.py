"""The "Sync issues" dock: open conflicts, keep mine / theirs / both, overlay in the viewer.

Reads and resolutions run on a worker lane (``sync.list_conflicts`` / ``sync.resolve``
work on the cache alone, no login needed).  Selecting a conflict loads its base /
mine / theirs shapes, shows them with :class:`ConflictOverlay` and zooms to them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.sync_issues import ConflictShapes, conflict_shapes
from desktop_app.store.uow import Store
from desktop_app.sync import (
    Choice,
    ConflictInfo,
    ConflictKind,
    can_answer,
    list_conflicts,
    resolve,
)
from desktop_app.ui.fit import scrollable
from desktop_app.ui.lanes import Lane, describe_error
from desktop_app.ui.sync.overlay import STYLES, ConflictOverlay
from desktop_app.ui.viewer import SlideView

KIND_NAMES: dict[str, str] = {
    ConflictKind.GEOMETRY: "Both moved it",
    ConflictKind.DELETE_VS_EDIT: "Deleted here, edited there",
    ConflictKind.EDIT_VS_DELETE: "Edited here, deleted there",
    ConflictKind.REVIEW: "Reviewed first elsewhere",
    ConflictKind.FAILED: "Refused by the server",
    ConflictKind.DESCRIPTION: "Description changed on both sides",
    ConflictKind.SERVER_RESTORE: "The server lost synced changes",
}
CHOICES = ((Choice.MINE, "Keep mine"), (Choice.THEIRS, "Keep theirs"), (Choice.BOTH, "Keep both"))


class ConflictsPanel(QDockWidget):
    """``resolved(conflict_pk, choice)`` after a resolution is stored."""

    resolved = Signal(int, str)
    conflicts_loaded = Signal(int)

    def __init__(
        self,
        store: Store,
        view: SlideView,
        *,
        current_image: Callable[[], int | None] = lambda: None,
        status: Callable[[str], object] = lambda _t: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Sync issues", parent)
        self.setObjectName("SyncIssuesDock")
        self._store, self._view = store, view
        self._current_image, self._status = current_image, status
        self.lane = Lane("sync-issues", self)
        self.lane.failed.connect(self._on_error)
        self.overlay = ConflictOverlay(view)
        view.add_overlay(self.overlay)
        self.conflicts: list[ConflictInfo] = []
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Entity", "Conflict", "Detected"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.message = QLabel()
        self.message.setWordWrap(True)
        legend = QLabel(
            "  ".join(f"<span style='color:{c}'>&#9644;&#9644;</span> {n}" for n, c, _ in STYLES)
        )
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for choice, text in CHOICES:
            b = QPushButton(text)
            b.clicked.connect(lambda _=False, c=choice: self.resolve_selected(c))
            row.addWidget(b)
            self.buttons[choice] = b
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table, 1)
        layout.addWidget(legend)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.setWidget(scrollable(body))  # squeezed: scrolls, never grows the window
        self._set_buttons()

    # -- data -------------------------------------------------------------------------------
    def reload(self) -> None:
        self.lane.submit(list_conflicts, self._store, on_done=self._on_loaded, key="list")

    def _on_loaded(self, conflicts: list[ConflictInfo]) -> None:
        keep = self.selected()
        self.conflicts = conflicts
        self.table.blockSignals(True)
        self.table.setRowCount(len(conflicts))
        for i, c in enumerate(conflicts):
            for col, text in enumerate(
                (
                    f"{c.entity_type.replace('_', ' ')} {c.entity_pk}",
                    KIND_NAMES.get(c.kind, c.kind),
                    c.detected_at.strftime("%Y-%m-%d %H:%M"),
                )
            ):
                item = QTableWidgetItem(text)
                item.setToolTip(c.message)
                self.table.setItem(i, col, item)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(2)
        row = next((i for i, c in enumerate(conflicts) if keep and c.pk == keep.pk), None)
        self.table.blockSignals(False)
        if row is not None:
            self.table.selectRow(row)
        else:
            self.table.clearSelection()
            self._on_selection()
        self.setWindowTitle(f"Sync issues ({len(conflicts)})" if conflicts else "Sync issues")
        self.conflicts_loaded.emit(len(conflicts))

    def selected(self) -> ConflictInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.conflicts):
            return None
        return self.conflicts[rows[0].row()]

    def select(self, conflict_pk: int) -> None:
        for i, c in enumerate(self.conflicts):
            if c.pk == conflict_pk:
                self.table.selectRow(i)
                return

    # -- selection → overlay ----------------------------------------------------------------------
    def _on_selection(self) -> None:
        c = self.selected()
        self._set_buttons()
        if c is None:
            self.message.clear()
            self.overlay.set_shapes(None)
            return
        self.message.setText(c.message)
        self.lane.submit(conflict_shapes, self._store, c, on_done=self._show, key="shapes")

    def _show(self, shapes: ConflictShapes) -> None:
        c = self.selected()
        if c is None or c.pk != shapes.conflict_pk:
            return
        self.overlay.set_shapes(shapes)
        current = self._current_image()
        if shapes.image_pk is not None and current is not None and current != shapes.image_pk:
            self._status("This conflict is on another image: open it to see the shapes.")
            return
        bounds = shapes.bounds()
        if bounds is not None and self._view.source() is not None:
            x0, y0, x1, y1 = bounds
            w, h = max(self._view.width(), 1), max(self._view.height(), 1)
            ds = max((x1 - x0) / w, (y1 - y0) / h, 0.25) * 1.6
            self._view.goto((x0 + x1) / 2, (y0 + y1) / 2, ds)

    def _set_buttons(self) -> None:
        c = self.selected()
        for choice, b in self.buttons.items():
            b.setEnabled(c is not None and can_answer(c.kind, choice))

    # -- resolution ---------------------------------------------------------------------
    def resolve_selected(self, choice: str) -> None:
        c = self.selected()
        if c is None:
            return
        for b in self.buttons.values():
            b.setEnabled(False)
        pk = c.pk
        self.lane.submit(
            resolve, self._store, pk, choice,
            on_done=lambda _v: self._on_resolved(pk, choice), on_error=self._on_error,
        )  # fmt: skip

    def _on_resolved(self, pk: int, choice: str) -> None:
        self._status(
            f"Conflict resolved: {dict(CHOICES)[Choice(choice)].lower()}; sent at the next sync"
        )
        self.overlay.set_shapes(None)
        self.resolved.emit(pk, choice)
        self.reload()

    def _on_error(self, exc: object) -> None:
        text = describe_error(exc) if isinstance(exc, BaseException) else str(exc)
        self.message.setText(text)
        self._status(text)
        self._set_buttons()

    def close_panel(self) -> None:
        if self.overlay in self._view.overlays():
            self._view.remove_overlay(self.overlay)
        self.lane.shutdown()
