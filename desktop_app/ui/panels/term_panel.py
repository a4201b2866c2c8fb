"""The ontology term panel: the term tree with colours, visibility, keys and counts.

Clicking a term (or pressing its key 1-9) sets it on the selected annotations, or,
with nothing selected, makes it the term new drawings get ("Next drawing" above the
tree says which); Shift+click (Shift+digit) adds or removes it instead.  The "Show" checkbox hides
or shows the term's annotations.  Editing the tree (admins only) lives in
:mod:`term_editing`; this module only shows the session's terms and forwards clicks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QMouseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QHeaderView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.counting import term_point_counts
from desktop_app.ui.annotations.icons import swatch_icon
from desktop_app.ui.annotations.layer import AnnotationLayer
from desktop_app.ui.annotations.layer_data import NO_TERM_COLOR
from desktop_app.ui.annotations.session import AnnotationSession
from desktop_app.ui.fit import scrollable
from desktop_app.ui.panels.display_box import DisplayBox
from desktop_app.ui.panels.next_drawing import NextDrawingLabel
from desktop_app.ui.panels.term_editing import TermEditBar

COL_NAME, COL_SHOW, COL_KEY, COL_COUNT = range(4)
#: Item data for the "(no term)" row.
NO_TERM = -1


class TermPanel(QDockWidget):
    """Dock with the term tree, the edit bar and the display options."""

    def __init__(
        self,
        session: AnnotationSession,
        layer: AnnotationLayer,
        apply_term: Callable[[int, bool], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Terms", parent)
        self.setObjectName("terms_dock")
        self._session = session
        self._layer = layer
        self._apply = apply_term
        self._counts: dict[int, int] = {}
        self._points: dict[int, int] = {}
        self.items: dict[int, QTreeWidgetItem] = {}
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.search = QLineEdit(placeholderText="Search terms...")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._apply_search)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Term", "Show", "Key", "Count"])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col in (COL_SHOW, COL_KEY, COL_COUNT):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemClicked.connect(self._on_clicked)
        # itemClicked carries no modifiers: keep those of the press that made the click
        self._click_mods = Qt.KeyboardModifier.NoModifier
        self.tree.viewport().installEventFilter(self)
        self.tree.itemChanged.connect(self._on_item_changed)
        self.edit_bar = TermEditBar(session, self.current_term, self)
        self.display_box = DisplayBox(session, layer)
        self.next_drawing = NextDrawingLabel(session)
        layout.addWidget(self.next_drawing)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.edit_bar)
        layout.addWidget(self.display_box)
        self.setWidget(scrollable(body))  # squeezed: scrolls, never grows the window
        session.terms_changed.connect(self.rebuild)
        session.active_terms_changed.connect(lambda _t: self._mark_active())
        session.image_changed.connect(self.refresh_counts)
        session.annotations_changed.connect(lambda _c: self.refresh_counts())

    # -- contents -----------------------------------------------------------------------
    def rebuild(self) -> None:
        terms = self._session.terms
        keys = {node.id: key for key, node in self._session.shortcuts().mapping.items()}
        hidden = self._layer.display.hidden_terms
        self.tree.blockSignals(True)
        self.tree.clear()
        self.items = {}
        for term in terms:
            item = QTreeWidgetItem([term.name, "", str(keys.get(term.pk, "")), ""])
            item.setIcon(COL_NAME, swatch_icon(term.color))
            item.setData(COL_NAME, Qt.ItemDataRole.UserRole, term.pk)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            shown = Qt.CheckState.Unchecked if term.pk in hidden else Qt.CheckState.Checked
            item.setCheckState(COL_SHOW, shown)
            parent = self.items.get(term.parent_pk) if term.parent_pk is not None else None
            (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
            self.items[term.pk] = item
        none = QTreeWidgetItem(["(no term)", "", "", ""])
        none.setIcon(COL_NAME, swatch_icon(NO_TERM_COLOR))
        none.setData(COL_NAME, Qt.ItemDataRole.UserRole, NO_TERM)
        none.setFlags(none.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        unlabelled = self._layer.display.show_unlabelled
        none.setCheckState(
            COL_SHOW, Qt.CheckState.Checked if unlabelled else Qt.CheckState.Unchecked
        )
        self.tree.addTopLevelItem(none)
        self.items[NO_TERM] = none
        self.tree.expandAll()
        self.tree.blockSignals(False)
        self.edit_bar.set_enabled(
            self._session.state is not None and self._session.state.can_edit_terms
        )
        self._update_colors()
        self._show_counts()
        self._mark_active()
        self._apply_search(self.search.text())

    def refresh_counts(self) -> None:
        service = self._session.service
        if service is not None:
            self._session.read(
                lambda: (
                    service.term_counts(),
                    term_point_counts(self._session.store, service.image_pk, service.user_pk),
                ),
                on_done=self._set_counts,
                key="term_counts",
            )

    def _set_counts(self, counts: tuple[dict[int, int], dict[int, int]]) -> None:
        self._counts, self._points = counts
        self._show_counts()

    def _show_counts(self) -> None:
        """Annotations per term, and the points counted with the point tool after them."""
        points = self._points
        for pk, item in self.items.items():
            if pk != NO_TERM:
                n, pts = self._counts.get(pk, 0), points.get(pk, 0)
                item.setText(COL_COUNT, f"{n} · {pts} pts" if pts else str(n))

    def _mark_active(self) -> None:
        active = set(self._session.active_terms)
        for pk, item in self.items.items():
            font = QFont(item.font(COL_NAME))
            font.setBold(pk in active)
            item.setFont(COL_NAME, font)

    def _update_colors(self) -> None:
        terms = self._session.terms
        display = replace(
            self._layer.display,
            colors={t.pk: t.color for t in terms},
            term_order=tuple(t.pk for t in terms),
        )
        self._layer.set_display(display)

    def _apply_search(self, text: str) -> None:
        needle = text.strip().lower()
        for pk, item in self.items.items():
            match = not needle or needle in item.text(COL_NAME).lower()
            item.setHidden(not match)
            if match and pk != NO_TERM:  # keep the ancestors of a match visible
                parent = item.parent()
                while parent is not None:
                    parent.setHidden(False)
                    parent = parent.parent()

    # -- interaction --------------------------------------------------------------------
    def current_term(self) -> int | None:
        item = self.tree.currentItem()
        pk = None if item is None else item.data(COL_NAME, Qt.ItemDataRole.UserRole)
        return None if pk in (None, NO_TERM) else int(pk)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            self._click_mods = event.modifiers()
        return False

    def _on_clicked(self, item: QTreeWidgetItem, column: int) -> None:
        pk = item.data(COL_NAME, Qt.ItemDataRole.UserRole)
        if column != COL_SHOW and pk != NO_TERM:
            add = bool(
                self._click_mods
                & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier)
            )
            self._apply(int(pk), add)

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if column != COL_SHOW:
            return
        self.set_visible(
            int(item.data(COL_NAME, Qt.ItemDataRole.UserRole)),
            item.checkState(COL_SHOW) == Qt.CheckState.Checked,
        )

    def set_visible(self, term_pk: int, visible: bool) -> None:
        """Show or hide the annotations of a term (``NO_TERM``: those without terms)."""
        display = self._layer.display
        if term_pk == NO_TERM:
            self._layer.set_display(replace(display, show_unlabelled=visible))
            return
        hidden = set(display.hidden_terms)
        (hidden.discard if visible else hidden.add)(term_pk)
        self._layer.set_display(replace(display, hidden_terms=frozenset(hidden)))
