"""The reader's side of review mode (issue 13): reasons, own decisions, blinding.

Review mode walks the queue; this part knows *who* reads: the project's numbered reject
reasons (the :class:`ReasonPicker` in the dock, R then one digit), the reader's own
decisions with their reason and comment for display, and whether the reader is blinded
(author and others' terms withheld).  Its reads run on the mode's worker lane.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent

from desktop_app.core.review import ReviewStatus
from desktop_app.services import review_study
from desktop_app.services.review_decisions import (
    ReaderDecision,
    decisions_on,
    reader_decisions,
    reason_codes,
)
from desktop_app.store.uow import Store
from desktop_app.ui.lanes import Lane
from desktop_app.ui.review.panel import ReviewPanel
from desktop_app.ui.review.reason_picker import DIGITS, Pick, ReasonPicker

Study = tuple[Any, ...]  # (reason codes, the reader's decisions, blinded)


def read_study(store: Store, image_pk: int, user_pk: int) -> Study:
    """What the reader's view of an image needs (runs on the worker)."""
    project = review_study.project_of_image(store, image_pk)
    mine = [d for d in reader_decisions(store, project, image_pk) if d.reviewer_pk == user_pk]
    blinded = review_study.is_blinded(store, project, user_pk)
    return reason_codes(store, project), mine, blinded


class Reading:
    """The reason prompt in ``panel`` and the reader's own decisions."""

    def __init__(self, panel: ReviewPanel, lane: Lane, store: Store, user_pk: int, pick: Pick):
        self.picker = ReasonPicker(pick, panel)
        layout = panel.body_layout
        layout.insertWidget(layout.indexOf(panel.message), self.picker)
        self._lane, self._store, self._user_pk = lane, store, user_pk
        self.mine: dict[int, ReaderDecision] = {}  # by annotation
        self.blinded = False
        self._unblinded: Any = None  # the layer's display before blinding

    def blind(self, layer: Any) -> None:
        """Blinded: every outline in the neutral colour (no term shows through) and the
        reviewed copies hidden (no one else's decision shows); ``unblind`` restores."""
        if self.blinded and self._unblinded is None:
            self._unblinded = display = layer.display
            hidden = display.hidden_kinds | {"reviewed"}
            layer.set_display(replace(display, colors={}, hidden_kinds=hidden))

    def unblind(self, layer: Any) -> None:
        if self._unblinded is not None:
            layer.set_display(self._unblinded)
            self._unblinded = None

    def apply(self, study: Study) -> None:
        self.picker.set_reasons(study[0])
        self.mine, self.blinded = {d.annotation_pk: d for d in study[1]}, bool(study[2])

    def refresh(self, pk: int, shown: Callable[[int], None]) -> None:
        """Re-read the reader's decision on ``pk`` (as stored); ``shown(pk)`` after."""
        store, user = self._store, self._user_pk

        def read() -> ReaderDecision | None:
            own = (d for d in decisions_on(store, pk) if d.reviewer_pk == user)
            return next((d for d in own if d.role == "reader"), None)

        def done(d: ReaderDecision | None) -> None:
            if d is not None:
                self.mine[pk] = d
                shown(pk)

        self._lane.submit(read, on_done=done)

    def header(self, pk: int, position: str, term_names: str, status: ReviewStatus) -> str:
        """The dock's text for the current annotation."""
        blind = " — <i>blinded: author and others' readings hidden</i>" if self.blinded else ""
        terms = "Your terms" if self.blinded else "Terms"
        return (
            f"<b>Annotation {pk}</b> ({position}){blind}<br>"
            f"{terms}: {term_names or 'none'}<br>Your decision: {self.decision_text(pk, status)}"
        )

    def decision_text(self, pk: int, status: ReviewStatus) -> str:
        """The reader's decision with its reason label and comment."""
        d, labels = self.mine.get(pk), {r.code: r.label for r in self.picker.reasons}
        text = status.value
        if d is not None and d.reason:
            text += f" — {labels.get(d.reason, d.reason)}"
        if d is not None and d.comment:
            text += f" (“{d.comment}”)"
        return text

    def key(self, event: QKeyEvent, typing: bool) -> bool:
        """While the prompt is open: a digit picks, Escape cancels (not while typing)."""
        if not self.picker.asking:
            return False
        key = Qt.Key(event.key())
        if key != Qt.Key.Key_Escape and (key not in DIGITS or typing):
            return False
        if event.type() != QEvent.Type.KeyPress:
            event.accept()  # ours, not a shortcut's
        elif key == Qt.Key.Key_Escape:
            self.picker.cancel()
        else:
            self.picker.pick_number(DIGITS[key])
        return True


__all__ = ["Reading", "read_study"]
