"""The annotation layer: an OverlayPainter that never waits for the cache.

Painting reads only what is already in memory: a canvas (the region around the view
rendered on a worker), or the density image when the view holds more objects than
are worth drawing one by one, plus a few vector decorations (selection, handles,
hover, tool preview, edits not yet re-read).  Moving the view only schedules work:
after a short debounce the layer asks the data lane for the shapes of a region with a
margin and the render lane for a new canvas, and repaints when they arrive.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import shapely
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from shapely.geometry.base import BaseGeometry

from desktop_app.services.annotations import AnnotationService
from desktop_app.services.overview import DensityGrid, density_grid
from desktop_app.ui.annotations.layer_data import (
    NO_TERM_COLOR,
    Display,
    LayerData,
    Rect,
    build_layer_data,
    contains,
    expand,
    intersect,
)
from desktop_app.ui.annotations.raster import (
    Canvas,
    density_image,
    draw_shapes,
    handle_points,
    render_canvas,
    view_shapes,
)
from desktop_app.ui.annotations.selection import SelectionModel
from desktop_app.ui.annotations.session import AnnotationSession
from desktop_app.ui.viewer import SlideView, ViewTransform

#: More objects than this around the view: show the density view instead of shapes.
DENSE_LIMIT = 40_000
#: The fetched/rendered region is the view grown by this fraction on every side.
MARGIN = 0.5
DEBOUNCE_MS = 40
GRID_DEBOUNCE_MS = 500
MAX_HANDLES = 400
SELECTED = QColor("#FFEB3B")
PREVIEW = QColor("#00E5FF")


def _fetch(service: AnnotationService, rect: Rect, changes: int) -> LayerData:
    page = service.viewport(rect, limit=DENSE_LIMIT * 2)
    return build_layer_data(page, rect, changes)


class AnnotationLayer(QObject):
    """Draws the current image's annotations on ``view`` (add it with ``add_overlay``).

    Signals: ``data_changed`` when new shapes are in memory (hit-testing sees them),
    ``painted_state_changed`` when a new canvas or density image is installed.
    """

    data_changed = Signal()
    painted_state_changed = Signal()
    display_changed = Signal()

    def __init__(
        self, session: AnnotationSession, view: SlideView, selection: SelectionModel
    ) -> None:
        super().__init__(view)
        self._session = session
        self._view = view
        self._selection = selection
        self.display = Display()
        self.data: LayerData | None = None
        self.canvas: Canvas | None = None
        self.grid: DensityGrid | None = None
        self._density: QImage | None = None  # the grid as an image
        self.mode = "none"  # "vector" | "density" | "none"
        self._stale = True
        self._fetching: Rect | None = None
        self._mask: tuple[LayerData, Display, npt.NDArray[np.bool_]] | None = None
        self._colors: tuple[LayerData, Display, npt.NDArray[np.object_]] | None = None
        self.selected_geoms: dict[int, BaseGeometry] = {}
        self._pending: list[tuple[BaseGeometry, str, int]] = []
        self.preview: BaseGeometry | None = None
        self.hover_pk: int | None = None
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        self._grid_timer = QTimer(self, singleShot=True, interval=GRID_DEBOUNCE_MS)
        self._grid_timer.timeout.connect(self._request_grid)
        view.view_changed.connect(lambda *_: self._timer.start())
        session.image_changed.connect(self._on_image_changed)
        session.annotations_changed.connect(self._on_annotations_changed)
        selection.changed.connect(self._on_selection_changed)

    # -- public state -------------------------------------------------------------------
    def set_display(self, display: Display) -> None:
        if display != self.display:
            self.display = display
            self.display_changed.emit()
            self.refresh()

    def visible_mask(self) -> npt.NDArray[np.bool_] | None:
        """Rows of ``data`` the display rules show (cached per data/display pair)."""
        data = self.data
        if data is None:
            return None
        if self._mask is None or self._mask[0] is not data or self._mask[1] != self.display:
            self._mask = (data, self.display, data.visible(self.display))
        return self._mask[2]

    def geometry(self, pk: int) -> BaseGeometry | None:
        geom = self.selected_geoms.get(pk)
        if geom is None and self.data is not None:
            geom = self.data.geometry(pk)
        return geom

    def color_of(self, pk: int) -> str:
        """The colour ``pk`` is drawn in (its first visible term's)."""
        data = self.data
        row = None if data is None else data.row_of.get(pk)
        if data is None or row is None:
            return NO_TERM_COLOR
        cached = self._colors
        if cached is None or cached[0] is not data or cached[1] != self.display:
            cached = self._colors = (data, self.display, data.colors(self.display))
        return str(cached[2][row])

    def add_pending(self, geom: BaseGeometry, color: str) -> None:
        """Show an edit until shapes read after it are on screen (no flicker on commit)."""
        self._pending.append((geom, color, self._session.changes + 1))
        self._view.update()

    def drop_pending(self) -> None:
        """Forget edits shown ahead of the cache (the edit was refused)."""
        if self._pending:
            self._pending = []
            self._view.update()

    def set_preview(self, geom: BaseGeometry | None) -> None:
        self.preview = geom
        self._view.update()

    def set_hover(self, pk: int | None) -> None:
        if pk != self.hover_pk:
            self.hover_pk = pk
            self._view.update()

    # -- scheduling ---------------------------------------------------------------------
    def _on_image_changed(self) -> None:
        self.data, self.canvas, self.grid, self._density = None, None, None, None
        self.mode, self._stale, self._pending = "none", True, []
        self.selected_geoms = {}
        self._view.update()
        self._request_grid()

    def _on_annotations_changed(self, _change: object) -> None:
        self._stale = True
        self._grid_timer.start()
        self._timer.start()
        self._reload_selected()

    def _request_grid(self) -> None:
        service = self._session.service
        if service is not None:
            self._session.data_lane.submit(
                density_grid,
                self._session.store,
                service.image_pk,
                on_done=self._on_grid,
                key="grid",
            )

    def _on_grid(self, grid: DensityGrid) -> None:
        self.grid = grid
        self._density = density_image(grid)
        self.refresh()

    def refresh(self) -> None:
        """Decide what the current view needs and ask the workers for it."""
        service = self._session.service
        t = self._view.view_transform()
        if service is None or self._view.source() is None or self.grid is None:
            return
        visible = t.visible_rect()
        want = expand(visible, MARGIN)
        if self.grid.count_in(want) > DENSE_LIMIT:
            self._set_mode("density")
            return
        data = self.data
        if self._stale or data is None or not contains(data.rect, visible):
            if self._fetching is None or not contains(self._fetching, visible) or self._stale:
                self._stale = False
                self._fetching = want
                self._session.data_lane.submit(
                    _fetch, service, want, self._session.changes, on_done=self._on_data, key="data"
                )
            return
        canvas = self.canvas
        if (
            canvas is None
            or canvas.downsample != t.downsample
            or canvas.changes != data.changes
            or canvas.display != self.display
            or not contains(canvas.rect, visible)
        ):
            rect = intersect(want, data.rect)
            self._session.render_lane.submit(
                render_canvas,
                data,
                self.display,
                rect,
                t.downsample,
                on_done=self._on_canvas,
                key="canvas",
            )

    def _set_mode(self, mode: str) -> None:
        if mode != self.mode:
            self.mode = mode
            self.painted_state_changed.emit()
            self._view.update()

    def _on_data(self, data: LayerData) -> None:
        self._fetching = None
        if data.changes < self._session.changes:
            self._stale = True  # an edit landed while we were reading: read again
        self.data = data
        self.data_changed.emit()
        self.refresh()

    def _on_canvas(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self._pending = [p for p in self._pending if p[2] > canvas.changes]
        self._set_mode("vector")
        self.painted_state_changed.emit()
        self._view.update()
        self.refresh()

    # -- selection geometry -------------------------------------------------------------
    def _on_selection_changed(self, _pks: tuple[int, ...]) -> None:
        self._reload_selected()
        self._view.update()

    def _reload_selected(self) -> None:
        pks = self._selection.pks()
        self.selected_geoms = {pk: g for pk, g in self.selected_geoms.items() if pk in pks}
        service = self._session.service
        if service is None or not pks:
            return

        def read() -> tuple[tuple[int, ...], dict[int, BaseGeometry]]:
            return pks, {pk: g for pk in pks if (g := service.geometry(pk)) is not None}

        self._session.data_lane.submit(read, on_done=self._on_selected, key="selected")

    def _on_selected(self, result: tuple[tuple[int, ...], dict[int, BaseGeometry]]) -> None:
        read, geoms = result
        wanted = set(self._selection.pks())
        self.selected_geoms = {pk: g for pk, g in geoms.items() if pk in wanted}
        self._view.update()
        # only keys this read looked up: a read started before the selection grew knows
        # nothing of the new keys (a split's pieces) and must not drop them
        gone = [pk for pk in wanted if pk in read and pk not in geoms]
        if gone:  # deleted (or undone) meanwhile: they cannot stay selected
            self._selection.discard(gone)

    # -- painting -----------------------------------------------------------------------
    def paint(self, p: QPainter, t: ViewTransform, _visible: Rect) -> None:
        canvas = self.canvas
        if self.mode == "density" or (self.mode != "vector" and self._density is not None):
            if self._density is not None and self.grid is not None:
                rows, cols = self.grid.counts.shape
                c = self.grid.cell
                p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
                p.drawImage(t.view_rect_of(0, 0, cols * c, rows * c), self._density)
        elif canvas is not None:
            target = t.view_rect_of(*canvas.rect)
            if canvas.downsample == t.downsample:
                p.drawImage(QPointF(round(target.x()), round(target.y())), canvas.image)
            else:  # mid-zoom: the old canvas scaled until the new one arrives
                p.drawImage(target, canvas.image)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for geom, color, _ in self._pending:
            draw_shapes(
                p, view_shapes([geom], t), color, self.display.opacity, dot_px=self.display.point_px
            )
        self._paint_selection(p, t)
        if self.preview is not None:
            pen = QPen(PREVIEW, 2, Qt.PenStyle.DashLine)
            pen.setCosmetic(True)
            shapes = view_shapes([self.preview], t)
            p.setPen(pen)
            p.setBrush(QColor(0, 229, 255, 40))
            p.drawPath(shapes.areas)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(shapes.lines)
            p.drawPoints(shapes.dots)

    def _paint_selection(self, p: QPainter, t: ViewTransform) -> None:
        if self.hover_pk is not None and self.hover_pk not in self._selection:
            geom = self.geometry(self.hover_pk)
            if geom is not None:
                draw_shapes(p, view_shapes([geom], t), "#FFFFFF", 0.0, 1.0)
        geoms = [g for pk in self._selection.pks() if (g := self.geometry(pk)) is not None]
        if not geoms:
            return
        shapes = view_shapes(geoms, t)
        for color, width in ((QColor(0, 0, 0, 170), 4.0), (SELECTED, 2.0)):
            pen = QPen(color, width)
            pen.setCosmetic(True)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(shapes.areas)
            p.drawPath(shapes.lines)
        if not shapes.dots.isEmpty():
            dot = self.display.point_px + 4
            p.setPen(QPen(SELECTED, dot, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            p.drawPoints(shapes.dots)
        if len(geoms) != 1:
            return
        handles = shapely.get_coordinates(geoms[0])
        if 0 < len(handles) <= MAX_HANDLES:
            p.setPen(QPen(QColor(0, 0, 0), 1))
            p.setBrush(QColor(255, 255, 255))
            for pt in handle_points(handles, t):
                p.drawRect(QRectF(pt.x() - 3.5, pt.y() - 3.5, 7, 7))
