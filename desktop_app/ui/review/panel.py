"""The review dock: progress, term filter, current annotation, decision buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.review_queue import QueueOrder
from desktop_app.ui.fit import scrollable

HIDDEN_WHEN_BLINDED = (QueueOrder.TERM, QueueOrder.AUTHOR)


class ReviewPanel(QDockWidget):
    """Widgets only; the review mode fills them and connects the buttons.

    ``closed`` when the user closes the dock (not when another tab is brought forward).
    """

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Review", parent)
        self.setObjectName("ReviewDock")
        self.progress_label = QLabel("Reviewed 0 / 0")
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        self.term_filter = QComboBox()
        self.term_filter.addItem("All terms", None)
        self.order = QComboBox()
        self.order.setObjectName("ReviewOrder")
        for o in QueueOrder:
            self.order.addItem(o.label, o.value)
        self.descending = QCheckBox("Largest first")
        self.descending.setToolTip("Reverse the order: largest area, most confident, Z to A")
        self.seed = QSpinBox()
        self.seed.setRange(0, 999_999)
        self.seed.setPrefix("seed ")
        self.seed.setToolTip("Readers given the same seed see the same shuffled order")
        self.seed.setVisible(False)
        self.current = QLabel("No annotation to review")
        self.current.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.accept_button = QPushButton("Accept (A)")
        self.reject_button = QPushButton("Reject (R)")
        self.previous_button = QPushButton("\u25c0 Previous (P)")
        self.next_button = QPushButton("Next (N) \u25b6")
        self.accept_button.setStyleSheet("QPushButton { color: #1B5E20; font-weight: bold }")
        self.reject_button.setStyleSheet("QPushButton { color: #B71C1C; font-weight: bold }")
        hint = QLabel(
            "Correct: edit the shape (V) or the terms (1-9 set, Shift+1-9 add), then Accept.\n"
            "Arrows also move through the queue."
        )
        hint.setStyleSheet("color: palette(mid)")
        grid = QGridLayout()
        grid.addWidget(self.accept_button, 0, 0)
        grid.addWidget(self.reject_button, 0, 1)
        grid.addWidget(self.previous_button, 1, 0)
        grid.addWidget(self.next_button, 1, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel("Queue:"))
        row.addWidget(self.term_filter, 1)
        order_row = QHBoxLayout()
        order_row.addWidget(QLabel("Order:"))
        order_row.addWidget(self.order, 1)
        order_row.addWidget(self.descending)
        order_row.addWidget(self.seed)
        self.order.currentIndexChanged.connect(self._on_order)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress)
        layout.addLayout(row)
        layout.addLayout(order_row)
        layout.addWidget(self.current)
        layout.addLayout(grid)
        self.body_layout = layout  # the mode inserts its reason prompt above the message
        layout.addWidget(self.message)
        layout.addWidget(hint)
        self.extras = QVBoxLayout()  # sections the review mode adds (offline preparation)
        layout.addLayout(self.extras)
        layout.addStretch(1)
        self.setWidget(scrollable(body))  # squeezed: scrolls, never grows the window

    def _on_order(self, _index: int) -> None:
        order = self.queue_order()
        self.seed.setVisible(order is QueueOrder.SHUFFLE)
        self.descending.setVisible(order is not QueueOrder.SHUFFLE)

    def set_blinded(self, blinded: bool) -> bool:
        """A blinded reader may not order by term or author (the grouping would show the
        first reader's terms and who drew what); True when the order had to change."""
        model = self.order.model()
        assert isinstance(model, QStandardItemModel)  # a QComboBox's own model
        for order in HIDDEN_WHEN_BLINDED:
            item = model.item(self.order.findData(order.value))
            item.setEnabled(not blinded)
        if blinded and self.queue_order() in HIDDEN_WHEN_BLINDED:
            self.order.blockSignals(True)  # the caller reloads once
            self.order.setCurrentIndex(self.order.findData(QueueOrder.CREATED.value))
            self.order.blockSignals(False)
            self._on_order(0)
            return True
        return False

    def queue_order(self) -> QueueOrder:
        return QueueOrder(self.order.currentData())

    def set_order(self, order: QueueOrder, *, descending: bool, seed: int) -> None:
        """Set the Order row without emitting a change per widget."""
        for w in (self.order, self.descending, self.seed):
            w.blockSignals(True)
        self.order.setCurrentIndex(self.order.findData(QueueOrder(order).value))
        self.descending.setChecked(descending)
        self.seed.setValue(seed)
        for w in (self.order, self.descending, self.seed):
            w.blockSignals(False)
        self._on_order(0)

    def show_beside(self, window: QMainWindow, anchor: QDockWidget) -> None:
        """Show as the front tab beside ``anchor`` (when that is docked), not one more
        dock stacked under it: a stacked dock raised the window's minimum height by
        ~250 px and Qt grew the window past a 1024-px screen."""
        if (
            not anchor.isHidden()
            and not anchor.isFloating()
            and self not in window.tabifiedDockWidgets(anchor)
            and window.dockWidgetArea(anchor) != Qt.DockWidgetArea.NoDockWidgetArea
        ):
            window.tabifyDockWidget(anchor, self)
        self.show()
        self.raise_()

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        super().closeEvent(event)
        if event.isAccepted():
            self.closed.emit()

    def set_progress(self, reviewed: int, total: int, queue_left: int) -> None:
        self.progress_label.setText(f"Reviewed {reviewed} / {total}  ({queue_left} left in queue)")
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(reviewed)

    def set_message(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #C62828; font-weight: bold" if error else "")
        self.message.setText(text)


__all__ = ["ReviewPanel"]
