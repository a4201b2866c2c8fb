"""The annotation session of one window: which image, its service, its ontology.

Panels and the layer read the current image's state from here and follow it through
signals; every service call goes through one of the session's worker lanes, so the UI
thread never waits on the cache.  Service change notifications arrive on the writer
thread and are re-emitted on the UI thread (QuPath marshals hierarchy events the same
way with ``Platform.runLater``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from desktop_app.core.terms import TermNode as ShortcutTerm
from desktop_app.core.terms import TermShortcuts
from desktop_app.services.annotations import AnnotationService, Change
from desktop_app.services.ontology import TermNode, term_tree
from desktop_app.services.ontology_edit import can_edit_ontology, resolve_ontology
from desktop_app.services.overview import author_names
from desktop_app.store.uow import Store
from desktop_app.ui.lanes import Callback, Lane

ServiceFactory = Callable[[int], AnnotationService]


@dataclass(frozen=True)
class ImageState:
    """Everything loaded (on a worker) when an image becomes current."""

    service: AnnotationService
    ontology_pk: int
    terms: list[TermNode]
    can_edit_terms: bool
    authors: dict[int, str] = field(default_factory=dict)


class AnnotationSession(QObject):
    """Current image + lanes.  ``changes`` counts committed edits seen so far."""

    image_changed = Signal()
    annotations_changed = Signal(object)  # Change, on the UI thread
    terms_changed = Signal()
    active_terms_changed = Signal(tuple)
    authors_changed = Signal()
    message = Signal(str)
    _from_worker = Signal(object)

    def __init__(
        self,
        store: Store,
        service_factory: ServiceFactory,
        *,
        user_pk: int,
        fallback_ontology_pk: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.user_pk = user_pk
        self._factory = service_factory
        self._fallback = fallback_ontology_pk
        self.data_lane = Lane("ann-data", self)
        self.render_lane = Lane("ann-render", self)
        self.panel_lane = Lane("ann-panels", self)
        self.write_lane = Lane("ann-writes", self)
        for lane in self.lanes():
            lane.failed.connect(self.message)
        self.state: ImageState | None = None
        self.active_terms: tuple[int, ...] = ()
        self.changes = 0
        self._unsubscribe: Callable[[], None] | None = None
        self._from_worker.connect(self._on_change, Qt.ConnectionType.QueuedConnection)

    # -- lanes --------------------------------------------------------------------------
    def lanes(self) -> tuple[Lane, ...]:
        return (self.data_lane, self.render_lane, self.panel_lane, self.write_lane)

    @property
    def busy(self) -> bool:
        return any(lane.busy for lane in self.lanes())

    @property
    def service(self) -> AnnotationService | None:
        return None if self.state is None else self.state.service

    def write(self, fn: Callable[..., Any], *args: Any, on_done: Callback | None = None) -> None:
        """Run an edit on the writer lane (in order); errors go to the status bar."""
        self.write_lane.submit(fn, *args, on_done=on_done)

    def read(
        self, fn: Callable[..., Any], *args: Any, on_done: Callback, key: str | None = None
    ) -> None:
        """Run a panel query (counts, rows, statistics) on the panel lane."""
        self.panel_lane.submit(fn, *args, on_done=on_done, key=key)

    # -- image --------------------------------------------------------------------------
    def set_image(self, image_pk: int | None) -> None:
        """Make ``image_pk`` current (``None``: no image); loads on a worker."""
        if image_pk is None:
            self._install(None)
            return
        self.data_lane.submit(self._load, image_pk, on_done=self._install, key="image")

    def _load(self, image_pk: int) -> ImageState:
        service = self._factory(image_pk)
        ontology = resolve_ontology(self.store, service.project_pk, self.user_pk, self._fallback)
        return ImageState(
            service=service,
            ontology_pk=ontology,
            terms=term_tree(self.store, ontology),
            can_edit_terms=can_edit_ontology(self.store, service.project_pk, self.user_pk),
            authors=author_names(self.store, image_pk, also=[self.user_pk]),
        )

    def _install(self, state: ImageState | None) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.state = state
        if state is not None:
            self._unsubscribe = state.service.subscribe(self._from_worker.emit)
        live = {t.pk for t in self.terms}
        self.active_terms = tuple(t for t in self.active_terms if t in live)
        self.image_changed.emit()
        self.terms_changed.emit()

    # -- changes ------------------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        if self.state is None or change.image_pk != self.state.service.image_pk:
            return
        self.changes += 1
        self.annotations_changed.emit(change)
        if not change.pks or change.label.startswith(("Undo", "Redo")):
            self.reload_authors()

    def notify_external_change(self, label: str) -> None:
        """For edits made outside the service (GeoJSON import): refresh everything."""
        if self.state is not None:
            self._on_change(Change(self.state.service.image_pk, (), label))
            self.reload_terms()

    def reload_authors(self) -> None:
        state = self.state
        if state is not None:
            self.read(author_names, self.store, state.service.image_pk, on_done=self._set_authors)

    def _set_authors(self, authors: dict[int, str]) -> None:
        if self.state is not None:
            self.state = ImageState(
                self.state.service,
                self.state.ontology_pk,
                self.state.terms,
                self.state.can_edit_terms,
                authors,
            )
            self.authors_changed.emit()

    # -- terms --------------------------------------------------------------------------
    @property
    def terms(self) -> list[TermNode]:
        return [] if self.state is None else self.state.terms

    def term(self, pk: int) -> TermNode | None:
        return next((t for t in self.terms if t.pk == pk), None)

    def shortcuts(self) -> TermShortcuts:
        """Keys 1-9 -> the first nine terms in tree order (what the panel shows)."""
        return TermShortcuts(ShortcutTerm(t.pk, t.name, t.parent_pk, t.color) for t in self.terms)

    def reload_terms(self) -> None:
        state = self.state
        if state is None:
            return
        self.data_lane.submit(
            term_tree, self.store, state.ontology_pk, on_done=self._set_terms, key="terms"
        )

    def _set_terms(self, terms: list[TermNode]) -> None:
        if self.state is None:
            return
        s = self.state
        self.state = ImageState(s.service, s.ontology_pk, terms, s.can_edit_terms, s.authors)
        live = {t.pk for t in terms}
        self.set_active_terms(tuple(t for t in self.active_terms if t in live))
        self.terms_changed.emit()

    def set_active_terms(self, terms: tuple[int, ...]) -> None:
        """Terms given to newly drawn annotations."""
        if terms != self.active_terms:
            self.active_terms = terms
            self.active_terms_changed.emit(terms)

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        for lane in self.lanes():
            lane.shutdown()
