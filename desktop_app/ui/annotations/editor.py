"""Tool outputs and commands -> service calls on the writer lane.

The only place where the UI edits annotations: each output becomes one service call
(one action, one undo step), run in order on the writer lane.  Until the layer has
re-read the edited region, the edited shape is drawn as "pending" so the result of a
gesture shows at once.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

from shapely import affinity

from desktop_app.core.terms import next_drawing_terms
from desktop_app.core.tools import (
    Correct,
    CountPoint,
    Create,
    Delete,
    EditVertices,
    Move,
    Select,
    Split,
    ToolResult,
)
from desktop_app.services import counting, shape_edits
from desktop_app.ui.annotations.layer import AnnotationLayer
from desktop_app.ui.annotations.layer_data import NO_TERM_COLOR
from desktop_app.ui.annotations.selection import SelectionModel
from desktop_app.ui.annotations.session import AnnotationSession
from desktop_app.ui.lanes import describe_error


class Editor:
    """Applies tool results and panel/menu commands to the current image."""

    def __init__(
        self,
        session: AnnotationSession,
        selection: SelectionModel,
        layer: AnnotationLayer,
        status: Callable[[str], object],
    ) -> None:
        self._session = session
        self._selection = selection
        self._layer = layer
        self._status = status

    def apply(self, result: ToolResult) -> None:
        self._layer.set_preview(result.preview)
        if result.error:
            self._status(result.error)
        out = result.output
        service = self._session.service
        if out is None:
            return
        if isinstance(out, Select):
            if out.add:
                self._selection.add(_pks(out.pks))
            else:
                self._selection.set(_pks(out.pks))
            return
        if service is None:
            self._status("Open an image first.")
            return
        if isinstance(out, Create):
            terms = self._session.active_terms
            term = self._session.term(terms[0]) if terms else None
            self._layer.add_pending(out.geometry, term.color if term else NO_TERM_COLOR)
            self._session.write(
                service.create, out.geometry, terms, on_done=lambda pk: self._selection.set([pk])
            )
        elif isinstance(out, Move):
            for pk in out.pks:
                geom = self._layer.geometry(_pk(pk))
                if geom is not None:
                    moved = affinity.translate(geom, out.dx, out.dy)
                    self._layer.add_pending(moved, self._layer.color_of(_pk(pk)))
            self._edit(service.move, list(out.pks), out.dx, out.dy)
        elif isinstance(out, EditVertices | Correct):
            pk = _pk(out.pk)
            geom = out.geometry if isinstance(out, EditVertices) else out.new_geometry
            self._layer.add_pending(geom, self._layer.color_of(pk))
            label = "Edit vertices" if isinstance(out, EditVertices) else "Correct shape"
            self._edit(service.reshape, pk, geom, label)
        elif isinstance(out, Delete):
            self.delete(tuple(_pks(out.pks)))
        elif isinstance(out, Split):
            pk = _pk(out.pk)
            self._edit(shape_edits.split, service, pk, out.line, on_done=self._select_all)
        elif isinstance(out, CountPoint):
            terms = self._session.active_terms
            term = self._session.term(terms[0]) if terms else None
            name = term.name if term else "Unclassified"

            def counted(done: tuple[int, int]) -> None:
                self._status(f"{name}: {done[1]} point(s)")

            self._edit(counting.count_point, service, terms, out.x, out.y, on_done=counted)

    def _edit(
        self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], object] | None = None
    ) -> None:
        """An edit on the writer lane; if refused (a locked annotation, say), its shape
        shown ahead of the cache is withdrawn and the reason goes to the status bar."""

        def failed(exc: BaseException) -> None:
            self._layer.drop_pending()
            self._status(describe_error(exc))

        self._session.write_lane.submit(fn, *args, on_done=on_done, on_error=failed)

    def _select_all(self, pks: list[int]) -> None:
        self._selection.set(pks)

    # -- shape operations (Objects menu) ---------------------------------------------
    def shape_op(self, name: str) -> None:
        """Run ``merge``/``subtract``/``intersect``/``fill_holes``/``duplicate``/``lock``/
        ``unlock`` on the selection, as one undoable action."""
        service = self._session.service
        pks = list(self._selection.pks())
        if service is None or not pks:
            self._status("Select annotations first.")
            return
        if name in ("merge", "subtract", "intersect") and len(pks) < 2:
            self._status(f"Select at least 2 annotations to {name} (Shift+click adds).")
            return
        if name == "merge":
            self._edit(
                shape_edits.merge, service, pks, on_done=lambda pk: self._selection.set([pk])
            )
        elif name in ("subtract", "intersect"):
            fn = shape_edits.subtract if name == "subtract" else shape_edits.intersect
            self._edit(fn, service, pks, on_done=lambda pk: self._selection.set([pk]))
        elif name == "fill_holes":
            self._edit(
                shape_edits.fill_holes,
                service,
                pks,
                on_done=lambda n: self._status(f"Filled the holes of {n} annotation(s)"),
            )
        elif name == "duplicate":
            self._edit(shape_edits.duplicate, service, pks, on_done=self._select_all)
        elif name in ("lock", "unlock"):
            verb = "Locked" if name == "lock" else "Unlocked"
            self._edit(
                shape_edits.set_locked,
                service,
                pks,
                name == "lock",
                on_done=lambda n: self._status(f"{verb} {n} annotation(s)"),
            )
        else:
            raise ValueError(f"unknown shape operation {name!r}")

    def delete(self, pks: tuple[int, ...] | None = None) -> None:
        pks = self._selection.pks() if pks is None else pks
        service = self._session.service
        if service is None or not pks:
            return
        self._selection.discard(pks)
        self._session.write(service.delete, list(pks))

    def set_term(self, term_pk: int | None) -> None:
        """A digit key or a term click: on a selection, that term only (``None``: no
        term); with nothing selected, the term the next drawing gets."""
        pks = self._selection.pks()
        service = self._session.service
        term = None if term_pk is None else self._session.term(term_pk)
        name = term.name if term is not None else "no term"
        if pks and service is not None:

            def done(changed: int) -> None:
                n = f"{len(pks)} annotation(s)"
                self._status(f"{n}: {name}" if changed else f"{n} already had {name} only")

            self._session.write(service.set_term, list(pks), term_pk, on_done=done)
            return
        self._next_drawing(term_pk, add=False)

    def toggle_term(self, term_pk: int) -> None:
        """Shift+digit or Shift+click: add the term (keeping the others), or remove it
        when every selected annotation has it; with nothing selected, the same on the
        terms the next drawing gets."""
        pks = self._selection.pks()
        service = self._session.service
        term = self._session.term(term_pk)
        if pks and service is not None:

            def done(added: bool) -> None:
                verb = "Added" if added else "Removed"
                self._status(f"{verb} {term.name if term else 'term'} ({len(pks)} annotation(s))")

            self._session.write(service.toggle_term, list(pks), term_pk, on_done=done)
            return
        self._next_drawing(term_pk, add=True)

    def _next_drawing(self, term_pk: int | None, *, add: bool) -> None:
        terms = next_drawing_terms(self._session.active_terms, term_pk, add=add)
        self._session.set_active_terms(tuple(_pks(terms)))
        names = [t.name for pk in self._session.active_terms if (t := self._session.term(pk))]
        self._status(f"Next drawing: {', '.join(names) or 'no term'}")

    def undo(self) -> None:
        self._history("undo")

    def redo(self) -> None:
        self._history("redo")

    def _history(self, which: str) -> None:
        service = self._session.service
        if service is None:
            return
        fn = service.undo if which == "undo" else service.redo

        def done(label: str | None) -> None:
            verb = "Undid" if which == "undo" else "Redid"
            self._status(f"{verb} {label}" if label else f"Nothing to {which}")

        self._session.write(fn, on_done=done)


def _pk(value: Hashable) -> int:
    """A tool's key as the cache's int pk (the only keys the UI gives its tools)."""
    if not isinstance(value, int):
        raise TypeError(f"not an annotation or term pk: {value!r}")
    return value


def _pks(values: Iterable[Hashable]) -> list[int]:
    return [_pk(v) for v in values]
