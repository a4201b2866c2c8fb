"""The reject reason prompt of review mode: R, then one digit.

Pressing R (or the Reject button) opens this numbered list of the project's reasons
in the review dock; the digit of a reason rejects with it at once (one keystroke),
Escape cancels.  The comment line is optional: type it first (Enter or a click on a
reason then rejects with it).  Nothing here blocks: the list is filled from reasons the
mode read on its worker lane.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop_app.services.review_decisions import ReasonCode

Pick = Callable[[str, str], None]  # reason code, comment


class ReasonPicker(QWidget):
    """Hidden until :meth:`ask`; calls ``on_pick(code, comment)`` once per prompt."""

    def __init__(self, on_pick: Pick, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReasonPicker")
        self._on_pick = on_pick
        self.reasons: list[ReasonCode] = []
        self.title = QLabel("<b>Reject because…</b> press a number (Esc cancels)")
        self.list = QListWidget()
        self.list.setObjectName("ReasonList")
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText("Comment (optional), then the reason's number")
        self.comment.returnPressed.connect(self._pick_selected)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.list)
        layout.addWidget(self.comment)
        self.setStyleSheet("#ReasonPicker { border: 1px solid #B71C1C; }")
        self.hide()

    @property
    def asking(self) -> bool:
        return not self.isHidden()

    def set_reasons(self, reasons: list[ReasonCode]) -> None:
        self.reasons = list(reasons)
        self.list.clear()
        for r in self.reasons:
            item = QListWidgetItem(f"{r.number}  {r.label}")
            item.setData(Qt.ItemDataRole.UserRole, r.code)
            self.list.addItem(item)
        self.list.setFixedHeight(self.list.sizeHintForRow(0) * max(len(self.reasons), 1) + 6)

    def ask(self) -> None:
        self.comment.clear()
        self.list.clearSelection()
        self.show()

    def cancel(self) -> None:
        self.hide()

    def pick_number(self, number: int) -> bool:
        """The reason numbered ``number`` (1-based); False if there is none."""
        if not self.asking or not 1 <= number <= len(self.reasons):
            return False
        self._finish(self.reasons[number - 1].code)
        return True

    def _activated(self, item: QListWidgetItem) -> None:
        self._finish(str(item.data(Qt.ItemDataRole.UserRole)))

    def _pick_selected(self) -> None:
        """Enter in the comment: the selected reason, else the list takes the keys."""
        item = self.list.currentItem()
        if item is not None and item.isSelected():
            self._finish(str(item.data(Qt.ItemDataRole.UserRole)))
        else:
            self.list.setFocus()

    def _finish(self, code: str) -> None:
        comment = self.comment.text().strip()
        self.hide()
        self._on_pick(code, comment)


#: Keys 1-9 (top row and keypad) → their number.
DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}

__all__ = ["DIGITS", "ReasonPicker"]
