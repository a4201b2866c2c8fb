"""Hover tooltips: term(s), author, area and perimeter of the annotation under the cursor.

Hit-testing reads the layer's in-memory snapshot (no query); measurements come from
``AnnotationService.um`` (pure arithmetic on the slide's pixel size).  A short timer
keeps this off the hot path of cursor moves.

A shown tooltip follows the data: an edit, undo or redo hides it at once (its text may
be about a term removed or an annotation that no longer exists), and once the layer
has re-read the edited state it is shown again for whatever is under the cursor then.
A term renamed or recoloured re-describes it in place.
"""

from __future__ import annotations

from collections.abc import Callable

import shapely
from PySide6.QtCore import QObject, QPoint, QTimer
from PySide6.QtWidgets import QToolTip

from desktop_app.core.shapes import shape_name
from desktop_app.ui.annotations.layer import AnnotationLayer
from desktop_app.ui.annotations.session import AnnotationSession
from desktop_app.ui.viewer import SlideView

HOVER_MS = 120
HIT_SCREEN_PX = 4.0


class HoverInfo(QObject):
    def __init__(
        self,
        session: AnnotationSession,
        view: SlideView,
        layer: AnnotationLayer,
        busy: Callable[[], bool],
    ) -> None:
        super().__init__(view)
        self._session = session
        self._view = view
        self._layer = layer
        self._busy = busy
        self._at: tuple[float, float] | None = None
        #: The annotation the visible tooltip describes, and its text (None: hidden).
        self.shown_pk: int | None = None
        self.text = ""
        self._reshow = False
        self._timer = QTimer(self, singleShot=True, interval=HOVER_MS)
        self._timer.timeout.connect(self._show)
        view.cursor_moved.connect(self._on_cursor)
        session.annotations_changed.connect(lambda _c: self._on_edit())
        session.image_changed.connect(self.hide)
        session.terms_changed.connect(self._redescribe)
        session.authors_changed.connect(self._redescribe)
        layer.data_changed.connect(self._on_data)

    def _on_cursor(self, x: float, y: float) -> None:
        self._at = (x, y)
        self._timer.start()

    def pk_at(self, x: float, y: float) -> int | None:
        data = self._layer.data
        if data is None or self._layer.mode != "vector":
            return None
        tol = HIT_SCREEN_PX * self._view.view_transform().downsample
        return data.hit(x, y, tol, self._layer.visible_mask())

    def describe(self, pk: int) -> str:
        """Rich text for the tooltip (also what the tests read)."""
        service, data = self._session.service, self._layer.data
        geom = self._layer.geometry(pk)
        if service is None or data is None or geom is None:
            return ""
        row = data.row_of.get(pk)
        terms = [self._session.term(t) for t in data.terms.get(pk, ())]
        names = ", ".join(t.name for t in terms if t) or "no term"
        state = self._session.state
        author = (
            state.authors.get(int(data.user_pks[row]), "?") if state and row is not None else "?"
        )
        kind = str(data.kinds[row]) if row is not None else ""
        shape = shape_name(geom).capitalize()
        area, perimeter = service.um(geom)
        kind_of = geom.geom_type
        if kind_of in ("Point", "MultiPoint"):
            size = f"{len(shapely.get_coordinates(geom))} point(s)"
        elif kind_of in ("LineString", "MultiLineString"):
            size = (
                f"length {geom.length:,.0f} px"
                if perimeter is None
                else f"length {perimeter:,.1f} µm"
            )
        elif area is None or perimeter is None:
            size = f"area {geom.area:,.0f} px², perimeter {geom.length:,.0f} px"
        else:
            size = f"area {area:,.1f} µm², perimeter {perimeter:,.1f} µm"
        return f"<b>{names}</b><br>{shape} #{pk} ({kind}) by {author}<br>{size}"

    def _show(self) -> None:
        if self._at is None or self._busy():
            return
        pk = self.pk_at(*self._at)
        self._layer.set_hover(pk)
        if pk is None:
            self.hide()
            return
        self._display(pk)

    def _display(self, pk: int) -> None:
        assert self._at is not None
        self.shown_pk, self.text = pk, self.describe(pk)
        vx, vy = self._view.view_transform().to_view(*self._at)
        global_pos = self._view.mapToGlobal(QPoint(int(vx) + 12, int(vy) + 12))
        QToolTip.showText(global_pos, self.text, self._view)

    def hide(self) -> None:
        self.shown_pk, self.text = None, ""
        self._layer.set_hover(None)
        QToolTip.hideText()

    # -- following edits ----------------------------------------------------------------
    def _on_edit(self) -> None:
        if self.shown_pk is not None:
            self.hide()
            self._reshow = True

    def _on_data(self) -> None:
        data = self._layer.data
        if not self._reshow or data is None or data.changes < self._session.changes:
            return  # nothing was hidden by an edit, or this read predates the edit
        self._reshow = False
        self._show()

    def _redescribe(self) -> None:
        if self.shown_pk is not None:
            self._display(self.shown_pk)
