"""Annotation use cases for one image: what the viewer, the panels and the tools call.

Every method that changes data is one user action (one transaction, one undo step in
the image's scope) and then tells the listeners what changed, so views refresh from
the model instead of keeping their own lists (napari: models emit, views subscribe).
Methods are synchronous and Qt-free; the UI runs them on a worker thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely import affinity
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select

from desktop_app.core.shapes import shape_name
from desktop_app.model.annotation import Annotation
from desktop_app.model.image import AbstractImage, ImageInstance
from desktop_app.services import annotation_reads as reads
from desktop_app.services.annotation_reads import AnnotationDetails, AnnotationRow
from desktop_app.services.attachments import FileRow, Target, list_files
from desktop_app.services.locks import check_unlocked
from desktop_app.store import attached_files, edits
from desktop_app.store.annotations import ViewportPage, query_viewport
from desktop_app.store.history import History
from desktop_app.store.uow import Store, UnitOfWork

Listener = Callable[["Change"], None]


@dataclass(frozen=True, slots=True)
class Change:
    """What an action changed: the annotation keys touched (empty = reload everything)."""

    image_pk: int
    pks: tuple[int, ...]
    label: str


class AnnotationService:
    """Use cases on the annotations of one image, for the local user."""

    def __init__(self, store: Store, image_pk: int, user_pk: int) -> None:
        self._store = store
        self.image_pk = image_pk
        self.user_pk = user_pk
        self.history = History(store, scope=f"image:{image_pk}")
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()  # one writer at a time from this process
        with store.read() as s:
            row = s.execute(
                select(
                    AbstractImage.width,
                    AbstractImage.height,
                    AbstractImage.physical_size_x,
                    AbstractImage.physical_size_y,
                    ImageInstance.project_pk,
                )
                .join(ImageInstance, ImageInstance.base_image_pk == AbstractImage.pk)
                .where(ImageInstance.pk == image_pk)
            ).one()
        self.width, self.height = int(row.width), int(row.height)
        self.mpp_x, self.mpp_y = row.physical_size_x, row.physical_size_y
        self.project_pk = int(row.project_pk)

    # --- observers -----------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` after every committed change; returns an unsubscribe function."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _emit(self, pks: Iterable[int], label: str) -> None:
        change = Change(self.image_pk, tuple(pks), label)
        for listener in list(self._listeners):
            listener(change)

    # --- reads ---------------------------------------------------------------------------
    def viewport(
        self, rect: tuple[float, float, float, float], limit: int = 200_000
    ) -> ViewportPage:
        with self._store.read() as s:
            return query_viewport(s, self.image_pk, rect, limit=limit)

    def geometry(self, pk: int) -> BaseGeometry | None:
        with self._store.read() as s:
            blob = s.scalar(
                select(Annotation.location).where(
                    Annotation.pk == pk, Annotation.local_deleted.is_(False)
                )
            )
        return shapely.from_wkb(blob) if blob is not None else None

    def rows(self) -> list[AnnotationRow]:
        """Every live annotation of the image, in key order (O(N): prefer ``rows_page``)."""
        return self.rows_page(0, None)

    def rows_page(
        self, after_pk: int = 0, limit: int | None = 1000, *, reviewed_layer: bool = False
    ) -> list[AnnotationRow]:
        """A keyset page of the list panel's rows (``annotation_reads.rows_page``)."""
        return reads.rows_page(
            self._store, self.image_pk, after_pk, limit, reviewed_layer=reviewed_layer
        )

    def details(self, pk: int) -> AnnotationDetails | None:
        return reads.details(self._store, pk)

    def term_counts(self) -> dict[int, int]:
        """Annotations per term as this user may see them (``annotation_reads``)."""
        return reads.term_counts(self._store, self.image_pk, self.project_pk, self.user_pk)

    def um(self, geom: BaseGeometry) -> tuple[float | None, float | None]:
        """Area (µm²) and perimeter (µm) from the slide's mpp; None when mpp is unknown."""
        if not self.mpp_x or not self.mpp_y:
            return None, None
        scaled = affinity.scale(geom, self.mpp_x, self.mpp_y, origin=(0, 0))
        return float(scaled.area), float(scaled.length)

    # --- edits ---------------------------------------------------------------------------
    def _action(self, label: str) -> UnitOfWork:
        return self._store.unit_of_work(label=label, user_pk=self.user_pk, scope=self.history.scope)

    @contextmanager
    def action(self, label: str, pks: Sequence[int] = ()) -> Iterator[UnitOfWork]:
        """One user action for use cases written elsewhere (shape operations): the
        writer lock, one unit of work (one undo step), then listeners hear about ``pks``
        (pass a list and append the keys created inside the block)."""
        with self._lock, self._action(label) as uow:
            yield uow
        self._emit(list(pks), label)

    def create(self, geometry: BaseGeometry | str, term_pks: Sequence[int] = ()) -> int:
        label = f"Draw {_shape_name(geometry)}"
        with self._lock, self._action(label) as uow:
            pk = edits.create_annotation(
                uow,
                image_pk=self.image_pk,
                geometry=geometry,
                user_pk=self.user_pk,
                term_pks=term_pks,
            ).pk
        self._emit([pk], label)
        return pk

    def reshape(self, pk: int, geometry: BaseGeometry | str, label: str = "Edit shape") -> None:
        with self._lock, self._action(label) as uow:
            check_unlocked(uow.session, [pk])
            edits.update_geometry(uow, pk, geometry)
        self._emit([pk], label)

    def move(self, pks: Sequence[int], dx: float, dy: float) -> None:
        label = f"Move {len(pks)} annotation(s)"
        with self._lock, self._action(label) as uow:
            check_unlocked(uow.session, pks)
            for pk in pks:
                ann = uow.session.get(Annotation, pk)
                if ann is None:
                    raise edits.EditError(f"Annotation {pk} no longer exists")
                geom = shapely.from_wkb(ann.location)
                edits.update_geometry(uow, pk, affinity.translate(geom, dx, dy))
        self._emit(pks, label)

    def delete(self, pks: Sequence[int]) -> None:
        label = f"Delete {len(pks)} annotation(s)"
        with self._lock, self._action(label) as uow:
            edits.delete_annotations(uow, pks)
        self._emit(pks, label)

    def toggle_term(self, pks: Sequence[int], term_pk: int) -> bool:
        with self._lock, self._action("Change term") as uow:
            added = edits.toggle_term(uow, pks, term_pk, self.user_pk)
        self._emit(pks, "Change term")
        return added

    def set_term(self, pks: Sequence[int], term_pk: int | None) -> int:
        """Exactly ``term_pk`` (``None``: no term) on each of ``pks``; links changed."""
        label = "Set term" if term_pk is not None else "Remove terms"
        with self._lock, self._action(label) as uow:
            changed = edits.set_term(uow, pks, term_pk, self.user_pk)
        if changed:  # no operation logged: no undo step either
            self._emit(pks, label)
        return changed

    def set_property(self, pk: int, key: str, value: str) -> None:
        with self._lock, self._action(f"Set {key}") as uow:
            edits.set_property(uow, pk, key, value)
        self._emit([pk], f"Set {key}")

    def delete_property(self, pk: int, key: str) -> None:
        with self._lock, self._action(f"Remove {key}") as uow:
            edits.delete_property(uow, pk, key)
        self._emit([pk], f"Remove {key}")

    def set_description(self, pk: int, html: str) -> None:
        with self._lock, self._action("Edit description") as uow:
            edits.set_description(uow, pk, html)
        self._emit([pk], "Edit description")

    # attached files: one undo step each, in this image's history (Ctrl+Z restores one)
    def files(self, target: Target) -> list[FileRow]:
        return list_files(self._store, target)

    def attach_file(self, target: Target, source: Path) -> int:
        """Copy ``source`` into the data dir (slow for big files: call it on a worker)."""
        label = f"Attach {Path(source).name}"
        with self._lock, self._action(label) as uow:
            if target.is_image:
                f = attached_files.attach_image_file(uow, target.pk, Path(source))
            else:
                f = attached_files.attach_file(uow, target.pk, Path(source))
        if not target.is_image:  # an image's files concern no annotation: no layer reload
            self._emit([target.pk], label)
        return f.pk

    def remove_file(self, target: Target, file_pk: int) -> None:
        label = "Remove attached file"
        with self._lock, self._action(label) as uow:
            attached_files.remove_file(uow, file_pk)
        if not target.is_image:
            self._emit([target.pk], label)

    def review(
        self,
        pk: int,
        *,
        accept: bool,
        term_pks: Sequence[int] | None = None,
        geometry: BaseGeometry | str | None = None,
    ) -> int:
        label = "Accept" if accept else "Reject"
        with self._lock, self._action(label) as uow:
            reviewed = edits.review(
                uow,
                pk,
                reviewer_pk=self.user_pk,
                accept=accept,
                term_pks=term_pks,
                geometry=geometry,
            )
        self._emit([pk, reviewed.pk], label)
        return reviewed.pk

    def undo(self) -> str | None:
        with self._lock:
            label = self.history.undo()
        if label:
            self._emit([], f"Undo {label}")
        return label

    def redo(self) -> str | None:
        with self._lock:
            label = self.history.redo()
        if label:
            self._emit([], f"Redo {label}")
        return label


def _shape_name(geometry: BaseGeometry | str) -> str:
    """ "rectangle", "circle", ... for the undo text (bad WKT is refused later, by the edit)."""
    if isinstance(geometry, str):
        try:
            geometry = shapely.from_wkt(geometry)
        except shapely.errors.GEOSException:
            return "shape"
    return shape_name(geometry)
