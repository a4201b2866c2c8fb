""" "Next drawing: Tumor" -- the terms a new annotation gets, always in sight.

With nothing selected the term keys (and term clicks) choose these terms; without an
indicator that choice was invisible until the next drawing came out labelled.  The
same widget sits in the status bar and at the top of the Terms dock.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from desktop_app.ui.annotations.icons import swatch_icon
from desktop_app.ui.annotations.layer_data import NO_TERM_COLOR
from desktop_app.ui.annotations.session import AnnotationSession

HINT = (
    "Terms given to the next annotation you draw.\n"
    "With nothing selected: 1-9 sets the term, Shift+1-9 adds or removes one, 0 clears."
)


class NextDrawingLabel(QWidget):
    """Colour swatch + "Next drawing: <terms>", following the session."""

    def __init__(self, session: AnnotationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.swatch = QLabel()
        self.label = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(4)
        layout.addWidget(self.swatch)
        layout.addWidget(self.label, 1)
        self.setToolTip(HINT)
        session.active_terms_changed.connect(lambda _t: self.refresh())
        session.terms_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        terms = [t for pk in self._session.active_terms if (t := self._session.term(pk))]
        names = ", ".join(t.name for t in terms) or "no term"
        color = terms[0].color if terms else NO_TERM_COLOR
        self.swatch.setPixmap(swatch_icon(color, 12).pixmap(12, 12))
        self.label.setText(f"Next drawing: <b>{names}</b>")

    def text(self) -> str:
        """The plain text shown (for tests and the status bar's accessibility)."""
        return self.label.text().replace("<b>", "").replace("</b>", "")
