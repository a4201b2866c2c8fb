"""Review mode: walk the image's not-yet-reviewed annotations and decide on each.

Installed from outside on a window that has the annotation workbench (its session,
selection, layer and ``zoom_to`` are the public API used here).  Entering the mode
records Cytomine's ``review_start`` in the cache, leaving it ``review_stop``.  The
menu, toolbar and keys (A accept, R reject, N/P next/previous) are in
:mod:`desktop_app.ui.review.controls`.  A correction is an edit with the existing tools
(the current item is selected, so V = edit vertices and 1-9 = terms act on it) followed
by Accept: the shape accepted is the corrected one and the decision counts as
``corrected``.

Decisions run on the workbench's write lane, so they are ordered after the edits the
reviewer made just before.  The first decision stands (core/review.py): repeating it
is a no-op, a different one is refused with a clear message.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMainWindow
from shapely.geometry.base import BaseGeometry

from desktop_app.core.review import ReviewSession, ReviewStatus
from desktop_app.core.review_queue import QueueOrder, upcoming
from desktop_app.services import review as review_service
from desktop_app.services import review_queue, review_study
from desktop_app.slide.review_tiles import frame_bounds
from desktop_app.store.uow import Store
from desktop_app.ui.lanes import Lane, describe_error
from desktop_app.ui.review.controls import install_actions, step_key, typing_focus
from desktop_app.ui.review.offline import install_offline_review
from desktop_app.ui.review.overlay import ReviewOverlay
from desktop_app.ui.review.panel import ReviewPanel
from desktop_app.ui.review.prefetch import AHEAD, NextTiles
from desktop_app.ui.review.reading import Reading, read_study


class ReviewMode(QObject):
    """``active`` toggled by ``toggle_action``; ``changed`` after every state change."""

    changed = Signal()
    decided = Signal(int, str)  # annotation pk, status

    def __init__(self, window: QMainWindow, workbench: Any, *, store: Store, user_pk: int) -> None:
        super().__init__(window)
        self.window, self.wb, self._store, self._user_pk = window, workbench, store, user_pk
        self.lane = Lane("review", self)
        self.panel = ReviewPanel(window)
        self.lane.failed.connect(lambda text: self.panel.set_message(text, error=True))
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.panel)
        self.panel.hide()
        self.overlay = ReviewOverlay(workbench.view)
        self.next_tiles = NextTiles(workbench.view)
        self.offline = install_offline_review(self)
        self.reading = Reading(self.panel, self.lane, store, user_pk, self._reject_with)
        self.reasons = self.reading.picker
        self.active = False
        self.image_pk: int | None = None
        self.items: dict[int, review_service.ReviewItem] = {}
        self.statuses: dict[int, ReviewStatus] = {}
        self.session: ReviewSession | None = None
        self.term_pk: int | None = None
        self.review_state: review_service.ReviewState | None = None
        self._snapshot: tuple[int, BaseGeometry | None] | None = None
        self._busy = 0
        actions = install_actions(window, self)
        self.toggle_action, self.step_actions = actions.toggle, actions.steps
        self.toolbar = actions.toolbar
        self.panel.accept_button.clicked.connect(self.accept)
        self.panel.reject_button.clicked.connect(self.reject)
        self.panel.next_button.clicked.connect(self.next)
        self.panel.previous_button.clicked.connect(self.previous)
        self.panel.term_filter.currentIndexChanged.connect(self._on_filter)
        self.panel.order.currentIndexChanged.connect(self._on_filter)
        self.panel.descending.toggled.connect(self._on_filter)
        self.panel.seed.valueChanged.connect(self._on_filter)
        self.panel.closed.connect(self._on_panel_closed)
        workbench.session.image_changed.connect(self._on_image_changed)
        workbench.session.terms_changed.connect(self._fill_terms)
        window.installEventFilter(self)

    @property
    def busy(self) -> bool:
        return self._busy > 0 or self.lane.busy or self.wb.session.busy

    # -- enter / leave ------------------------------------------------------------------------
    def set_active(self, on: bool) -> None:
        if on == self.active:
            return
        service = self.wb.session.service
        if on and service is None:
            self.wb.status("Open an image before starting a review.")
            self.toggle_action.setChecked(False)
            return
        self.active = on
        if self.toggle_action.isChecked() != on:
            self.toggle_action.setChecked(on)
        for a in self.step_actions:
            a.setEnabled(on)
        if on:
            self.image_pk = int(service.image_pk)
            app = QApplication.instance()
            if app is not None:
                app.installEventFilter(self)
            self.wb.view.add_overlay(self.overlay)
            self._show_panel()
            self.panel.set_message("")
            self._fill_terms()
            self._write(review_service.start_review, self._store, self.image_pk, self._user_pk)
            self.reload()
            self.wb.status("Review mode: A accept, R reject, N/P next/previous")
        else:
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            if self.overlay in self.wb.view.overlays():
                self.wb.view.remove_overlay(self.overlay)
            self.panel.hide()
            self.reasons.cancel()
            self.reading.unblind(self.wb.layer)
            if self.image_pk is not None:
                self._write(review_service.stop_review, self._store, self.image_pk, self._user_pk)
            self.session, self.items, self.statuses, self.image_pk = None, {}, {}, None
            self.next_tiles.close()
            self.wb.status("Review mode off")
        self.changed.emit()

    def _write(self, fn: Any, *args: Any) -> None:
        """Start/stop on the review lane (in order; finished even when the window closes)."""
        self.lane.submit(fn, *args, on_done=self._on_review_state)

    def _on_review_state(self, state: review_service.ReviewState) -> None:
        self.review_state = state

    def _show_panel(self) -> None:
        self.panel.show_beside(self.window, self.wb.list_panel)

    def _on_panel_closed(self) -> None:
        if self.active and not self.window.isHidden():
            self.set_active(False)  # closing the dock leaves the mode (another tab does not)

    def _on_image_changed(self) -> None:
        if self.active:
            self.set_active(False)

    # -- queue ----------------------------------------------------------------------------------
    def reload(self) -> None:
        if self.image_pk is None:
            return
        store, image_pk = self._store, self.image_pk
        order = self.panel.queue_order()
        descending, seed = self.panel.descending.isChecked(), self.panel.seed.value()

        user = self._user_pk

        def read() -> tuple[list[review_service.ReviewItem], list[int], tuple[Any, ...]]:
            items = review_study.reader_items(store, image_pk, user)
            pks = review_queue.ordered_pks(store, image_pk, order, descending=descending, seed=seed)
            return items, pks, read_study(store, image_pk, user)

        self.lane.submit(read, on_done=lambda r: self._on_items(*r), key="items")

    def _on_items(
        self,
        items: list[review_service.ReviewItem],
        ordered: list[int] | None = None,
        study: tuple[Any, ...] | None = None,
    ) -> None:
        if not self.active:
            return
        if study is not None:
            self.reading.apply(study)
            self.reading.blind(self.wb.layer)
            if self.panel.set_blinded(self.reading.blinded):
                self.reload()  # the order grouped by what a blinded reader may not see
                return
        self.items = {i.pk: i for i in items}
        self.statuses = {i.pk: i.status for i in items}
        queue = [
            pk
            for pk in (ordered if ordered is not None else [i.pk for i in items])
            if (i := self.items.get(pk)) is not None
            and i.status is ReviewStatus.PENDING
            and (self.term_pk is None or self.term_pk in i.terms)
        ]
        self.session = ReviewSession(queue, {pk: self.statuses[pk] for pk in queue})
        self._show_current()

    def set_order(self, order: QueueOrder, *, descending: bool = False, seed: int = 0) -> None:
        """Order the queue (the panel's Order row does the same)."""
        self.panel.set_order(order, descending=descending, seed=seed)
        self._on_filter(0)

    def _on_filter(self, _index: object) -> None:
        self.term_pk = self.panel.term_filter.currentData()
        if self.active:
            self.reload()

    def _fill_terms(self) -> None:
        combo = self.panel.term_filter
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("All terms", None)
        for t in self.wb.session.terms:
            combo.addItem(t.name, t.pk)
        idx = combo.findData(self.term_pk)
        combo.setCurrentIndex(max(idx, 0))
        self.term_pk = combo.currentData()
        combo.blockSignals(False)

    # -- navigation -------------------------------------------------------------------------------
    @property
    def current(self) -> int | None:
        current = None if self.session is None else self.session.current
        return current if isinstance(current, int) else None  # the queue holds int pks

    def next(self) -> None:
        self.reasons.cancel()
        if self.session is not None and self.session.next() is not None:
            self._show_current()

    def previous(self) -> None:
        self.reasons.cancel()
        if self.session is not None and self.session.previous() is not None:
            self._show_current()

    def _show_current(self) -> None:
        pk = self.current
        self._update_progress()
        self.overlay.set_state(
            {p: i.bounds for p, i in self.items.items()}, dict(self.statuses), pk
        )
        if pk is None:
            self.panel.current.setText("Nothing to review with this filter.")
            self.changed.emit()
            return
        status = self.statuses.get(pk, ReviewStatus.PENDING)
        item = self.items.get(pk)
        names = ", ".join(
            t.name for t in (self.wb.session.term(x) for x in (item.terms if item else ())) if t
        )
        pos = (self.session.position + 1) if self.session else 0
        total = len(self.session.queue) if self.session else 0
        self.panel.current.setText(
            self.reading.header(pk, f"{pos} of {total} in queue", names, status)
        )
        self.wb.selection.set([pk])
        if item is not None:  # the stored bounds: no geometry read before the view moves
            view = self.wb.view
            view.goto(*frame_bounds(item.bounds, view.width(), view.height()))
        else:
            self.wb.zoom_to(pk)
        self.next_tiles.request([self.items[p].bounds for p in self.upcoming() if p in self.items])
        service = self.wb.session.service
        if service is not None:  # the shape a correction is compared against
            self._snapshot = (pk, None)
            self.lane.submit(service.geometry, pk, on_done=lambda g: self._snap(pk, g))
        self.changed.emit()

    def upcoming(self, n: int = AHEAD) -> list[int]:
        """The next ``n`` pending annotations after the current one, in queue order."""
        if self.session is None:
            return []
        pending = upcoming(self.session.queue, self.session.position, self.statuses, n)
        return [p for p in pending if isinstance(p, int)]

    def _snap(self, pk: int, geom: BaseGeometry | None) -> None:
        if self._snapshot is not None and self._snapshot[0] == pk:
            self._snapshot = (pk, geom)

    def _update_progress(self) -> None:
        total = len(self.statuses)
        reviewed = sum(s is not ReviewStatus.PENDING for s in self.statuses.values())
        left = 0
        if self.session is not None:
            queue = [p for p in self.session.queue if isinstance(p, int)]
            left = sum(self.statuses.get(p) is ReviewStatus.PENDING for p in queue)
        self.panel.set_progress(reviewed, total, left)

    # -- decisions ---------------------------------------------------------------------------------
    def accept(self) -> None:
        self._decide(ReviewStatus.ACCEPTED)

    def reject(self) -> None:
        """Ask for a reason (one digit) when the project has reasons, then reject."""
        if self.active and self.current is not None and self.reasons.reasons:
            self.reasons.ask()
            self.changed.emit()
            return
        self._decide(ReviewStatus.REJECTED)

    def _reject_with(self, code: str, comment: str) -> None:
        self._decide(ReviewStatus.REJECTED, reason=code, comment=comment)

    def _decide(
        self, wanted: ReviewStatus, *, reason: str | None = None, comment: str | None = None
    ) -> None:
        pk, service = self.current, self.wb.session.service
        if not self.active or pk is None or service is None:
            return
        store, snapshot = self._store, self._snapshot

        def run() -> tuple[ReviewStatus, bool]:
            status = wanted
            if wanted is ReviewStatus.ACCEPTED and snapshot is not None and snapshot[0] == pk:
                now = service.geometry(pk)
                if snapshot[1] is not None and not review_service.same_shape(snapshot[1], now):
                    status = ReviewStatus.CORRECTED
            changed = review_service.decide(
                service, store, pk, status, reason=reason, comment=comment
            )
            return status, changed

        # Pending: recorded now, so the next key acts on the next annotation even while
        # this write is still committing (a fast reviewer's key is never lost on it).
        ahead = self.session is not None and self.session.status(pk) is ReviewStatus.PENDING
        self._busy += 1
        self.wb.session.write_lane.submit(
            run,
            on_done=lambda r: self._on_decided(pk, *r),
            on_error=lambda exc: self._on_refused(pk, exc, ahead),
        )
        if ahead and self.session is not None:
            rejected = wanted is ReviewStatus.REJECTED
            (self.session.reject if rejected else self.session.accept)(pk)
            self.statuses[pk] = wanted
            self._show_current()

    def _on_decided(self, pk: int, status: ReviewStatus, changed: bool) -> None:
        self._busy -= 1
        if self.session is None or not self.active:
            return
        stored = ReviewStatus.REJECTED if status is ReviewStatus.REJECTED else ReviewStatus.ACCEPTED
        self.statuses[pk] = stored
        if pk in self.session.queue and self.session.status(pk) is ReviewStatus.PENDING:
            step = {
                ReviewStatus.ACCEPTED: self.session.accept,
                ReviewStatus.REJECTED: self.session.reject,
                ReviewStatus.CORRECTED: self.session.correct,
            }[status]
            step(pk)
        if changed:
            self.panel.set_message(f"Annotation {pk} {status.value}.")
            self.decided.emit(pk, status.value)
            self.reading.refresh(pk, self._show_if_current)
        else:
            self.panel.set_message(f"Annotation {pk} was already {status.value}.")
        self._show_current()

    def _show_if_current(self, pk: int) -> None:
        if pk == self.current:
            self._show_current()

    def _on_refused(self, pk: int, exc: BaseException, ahead: bool = False) -> None:
        self._busy -= 1
        if ahead:  # recorded ahead of the write: read the stored decisions again
            self.reload()
        text = describe_error(exc)
        self.panel.set_message(text, error=True)
        self.wb.status(text)
        self.changed.emit()

    # -- keys ---------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        etype = event.type()
        if watched is self.window and etype == QEvent.Type.Close:
            self.close()
            return False
        if not self.active or etype not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        assert isinstance(event, QKeyEvent)
        return self.reading.key(event, typing_focus()) or step_key(self.window, self, event)

    def close(self) -> None:
        if self.active:
            self.set_active(False)
        self.next_tiles.close()
        self.offline.close_lane()
        self.lane.shutdown()


def install_review_mode(
    window: QMainWindow, workbench: Any, *, store: Store, user_pk: int
) -> ReviewMode:
    """Add the review mode (toolbar toggle, Review menu, dock, keys) to ``window``."""
    return ReviewMode(window, workbench, store=store, user_pk=user_pk)
