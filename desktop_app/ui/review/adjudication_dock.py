"""Adjudication dock: the annotations readers disagree on, every reading side by side.

Project admins pick a row, see each reader's decision, terms, reason and comment in
that reader's column, and set the final decision (Accept / Reject as final, with the
terms and reason chosen below).  The final call is an ``adjudicator`` decision
(:func:`desktop_app.services.review_study.adjudicate`); it becomes the reviewed copy a
stock Cytomine client sees when it syncs.  Reads and writes run on a worker lane.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.model.review import Verdict
from desktop_app.services.review_decisions import (
    ReaderDecision,
    ReasonCode,
    is_project_admin,
    reason_codes,
)
from desktop_app.services.review_study import (
    AdjudicationItem,
    adjudicate,
    adjudication_queue,
    finalise_agreed,
)
from desktop_app.store.uow import Store
from desktop_app.ui.annotations.session import AnnotationSession
from desktop_app.ui.review.study_dock import StudyDock, install_study_dock, read_table

ACCEPT_BG, REJECT_BG = QColor("#E8F5E9"), QColor("#FFEBEE")


@dataclass(frozen=True, slots=True)
class QueueView:
    """What one read of the dock returns (built on the worker)."""

    project_pk: int
    admin: bool
    items: list[AdjudicationItem]
    reasons: list[ReasonCode]


def reading_text(d: ReaderDecision, term_name: dict[int, str], reason: dict[str, str]) -> str:
    """One reader's cell: decision, terms, reason and comment."""
    terms = ", ".join(term_name.get(t, f"term {t}") for t in d.term_pks) or "no term"
    text = f"{d.decision.value} · {terms}"
    if d.reason:
        text += f"\n{reason.get(d.reason, d.reason)}"
    if d.comment:
        text += f"\n“{d.comment}”"
    return text


class AdjudicationDock(StudyDock):
    """The dock; ``view`` holds the queue shown (None until the first read)."""

    adjudicated = Signal(int)  # annotation pk

    def __init__(
        self, store: Store, session: AnnotationSession, user_pk: int, parent: QWidget | None
    ) -> None:
        super().__init__("Adjudication", "AdjudicationDock", store, session, parent)
        self._user_pk = user_pk
        self.view: QueueView | None = None
        self.summary = QLabel("Open an image of a project to see its disagreements.")
        self.summary.setWordWrap(True)
        self.table = read_table()
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.setMinimumHeight(160)
        self.term = QComboBox()
        self.reason = QComboBox()
        self.comment = QLineEdit()
        self.comment.setPlaceholderText("Comment (optional)")
        self.accept_button = QPushButton("Accept as final")
        self.reject_button = QPushButton("Reject as final")
        self.accept_button.setStyleSheet("QPushButton { color: #1B5E20; font-weight: bold }")
        self.reject_button.setStyleSheet("QPushButton { color: #B71C1C; font-weight: bold }")
        self.accept_button.clicked.connect(lambda: self.decide(Verdict.ACCEPTED))
        self.reject_button.clicked.connect(lambda: self.decide(Verdict.REJECTED))
        self.agreed_button = QPushButton("Finalise agreements")
        self.agreed_button.setToolTip(
            "Make the readers' common decision final wherever they all agree"
        )
        self.agreed_button.clicked.connect(self.finalise_agreed)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.reload)
        final = QHBoxLayout()
        final.addWidget(QLabel("Term:"))
        final.addWidget(self.term, 1)
        final.addWidget(QLabel("Reason:"))
        final.addWidget(self.reason, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        buttons.addWidget(self.agreed_button)
        buttons.addWidget(self.refresh_button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(final)
        layout.addWidget(self.comment)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.show_body(body)

    def reload(self) -> None:
        service = self._session.service
        if service is None or not self.isVisible():
            return
        store, project, user = self._store, int(service.project_pk), self._user_pk

        def read() -> QueueView:
            return QueueView(
                project,
                is_project_admin(store, project, user),
                adjudication_queue(store, project),
                reason_codes(store, project),
            )

        self.lane.submit(read, on_done=self._show, key="read")

    def _show(self, view: QueueView) -> None:
        self.view = view
        readers = sorted({d.reader for item in view.items for d in item.readings})
        headers = ["Annotation", "Disagree on", *readers]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(view.items))
        names = {t.pk: t.name for t in self._session.terms}
        reasons = {r.code: r.label for r in view.reasons}
        for row, item in enumerate(view.items):
            what = " and ".join(
                w for w, on in (("decision", item.on_decision), ("term", item.on_terms)) if on
            )
            self.table.setItem(row, 0, QTableWidgetItem(f"{item.annotation_pk}"))
            self.table.setItem(row, 1, QTableWidgetItem(what))
            for d in item.readings:
                cell = QTableWidgetItem(reading_text(d, names, reasons))
                cell.setBackground(ACCEPT_BG if d.decision is Verdict.ACCEPTED else REJECT_BG)
                self.table.setItem(row, 2 + readers.index(d.reader), cell)
        self.table.resizeRowsToContents()
        if view.items:
            self.table.selectRow(0)
        self.term.clear()
        self.term.addItem("No term", None)
        for t in self._session.terms:
            self.term.addItem(t.name, t.pk)
        self.reason.clear()
        self.reason.addItem("(no reason)", None)
        for r in view.reasons:
            self.reason.addItem(f"{r.number}. {r.label}", r.code)
        n = len(view.items)
        self.summary.setText(
            f"{n} annotation(s) where readers disagree, waiting for a final decision."
            if n
            else "No disagreements: every annotation decided by several readers agrees."
        )
        for w in (self.accept_button, self.reject_button):
            w.setEnabled(view.admin and n > 0)
        self.agreed_button.setEnabled(view.admin)
        if not view.admin:
            self.set_message("Only a project admin sets the final decision.")

    def current_item(self) -> AdjudicationItem | None:
        row = self.table.currentRow()
        if self.view is None or not 0 <= row < len(self.view.items):
            return None
        return self.view.items[row]

    def decide(self, verdict: Verdict) -> None:
        item = self.current_item()
        if item is None or self.view is None:
            return
        term = self.term.currentData()
        store, user, pk = self._store, self._user_pk, item.annotation_pk
        reason, comment = self.reason.currentData(), self.comment.text()

        def run() -> int:
            terms = [int(term)] if term is not None else []
            adjudicate(store, pk, user, verdict, term_pks=terms, reason=reason, comment=comment)
            return pk

        self.lane.submit(run, on_done=self._on_done)

    def finalise_agreed(self) -> None:
        """Settle every annotation the readers agree on (project admins)."""
        if self.view is None:
            return
        store, user, project = self._store, self._user_pk, self.view.project_pk

        def done(pks: list[int]) -> None:
            self.set_message(f"Final decision set where readers agree: {len(pks)} annotation(s).")
            for pk in pks:
                self.adjudicated.emit(pk)
            self.reload()

        self.lane.submit(finalise_agreed, store, project, user, on_done=done)

    def _on_done(self, pk: int) -> None:
        self.comment.clear()
        self.set_message(f"Final decision set on annotation {pk}.")
        self.adjudicated.emit(pk)
        self.reload()


def install_adjudication_dock(
    window: QMainWindow, session: AnnotationSession, *, store: Store, user_pk: int
) -> AdjudicationDock:
    """Add the dock (hidden) and ``Review > Adjudication queue`` to show it."""
    return install_study_dock(
        window,
        AdjudicationDock(store, session, user_pk, window),
        "Adjudication queue",
        "Annotations readers disagree on; project admins set the final decision",
    )


__all__ = ["AdjudicationDock", "install_adjudication_dock", "reading_text"]
