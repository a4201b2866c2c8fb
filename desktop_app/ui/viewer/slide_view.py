"""``SlideView``: the tiled whole-slide viewer widget.

A plain QWidget that composites tiles into an offscreen ``Frame`` and blits it in
``paintEvent`` (no scene graph: the only items are tiles, and a blit loop is both faster
and simpler than a QGraphicsScene of thousands of pixmaps; the frame bounds the work of
any one paint -- see ``frame.py``).  The view owns navigation state (one
``ViewTransform``) and asks the slide layer's ``TileLoader`` for what it needs; pixels
arrive on worker threads and are marshalled here by a queued Qt signal, so the UI thread
never touches the disk or a decoder.  Everything it knows about the application is what
is passed in: a tile cache and, optionally, a loader factory.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QImage,
    QPainter,
    QPaintEvent,
    QRegion,
    QResizeEvent,
)
from PySide6.QtWidgets import QWidget

from desktop_app.slide.argb32 import Argb32Tiles
from desktop_app.slide.cache import TileCache
from desktop_app.slide.loader import TileLoader
from desktop_app.slide.source import SlideSource, TileKey
from desktop_app.ui.viewer import navigation
from desktop_app.ui.viewer.adjustments import Adjustments
from desktop_app.ui.viewer.chrome import ViewChrome
from desktop_app.ui.viewer.frame import Frame
from desktop_app.ui.viewer.input import NavigationInput
from desktop_app.ui.viewer.loading import LoaderFactory, TileEvents, default_loader
from desktop_app.ui.viewer.overlays import OverlayPainter
from desktop_app.ui.viewer.prefetch import ViewRequests
from desktop_app.ui.viewer.throttle import Throttle
from desktop_app.ui.viewer.tile_images import TileImages
from desktop_app.ui.viewer.tile_layer import BACKGROUND, TileLayer
from desktop_app.ui.viewer.transform import ViewTransform

#: The recorded position (UserPosition) is emitted at most this often.
POSITION_INTERVAL_MS = 1000
#: Frames drawn during a gesture use fast scaling; this long after it, a smooth repaint.
SETTLE_MS = 150
#: A paint this soon after a move is the move's own (``frame.TURN_BUDGET_S``).
SAME_TURN_S = 0.05


class SlideView(NavigationInput):
    """Pan/zoom view of one slide.

    Signals: ``view_changed(x, y, downsample)`` on every move; ``position_changed(x, y,
    downsample)`` the same, throttled to <= 1 Hz (for recording the user's position);
    ``fully_loaded()`` once per view when every visible tile is at full resolution;
    ``cursor_moved(x, y)`` in level-0 pixels; ``tile_failed(message)`` when a tile cannot
    be read (the coarser level stays on screen there).
    """

    view_changed = Signal(float, float, float)
    position_changed = Signal(float, float, float)
    fully_loaded = Signal()
    cursor_moved = Signal(float, float)
    tile_failed = Signal(str)

    def __init__(
        self,
        cache: TileCache,
        *,
        loader_factory: LoaderFactory = default_loader,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(64, 64)
        self._images = TileImages(cache)
        self._loader_factory = loader_factory
        self._source: SlideSource | None = None
        self._layer: TileLayer | None = None
        self._loader: TileLoader | None = None
        self._t = ViewTransform(0.0, 0.0, 1.0, self.width(), self.height())
        self._adjustments = Adjustments()
        self._overlays: list[OverlayPainter] = []
        self._fit_on_resize = False
        self._complete_emitted = False
        self._requests = ViewRequests()
        self._drag_from: QPointF | None = None
        #: Tiles of the current slide handed to the UI thread so far (benchmarks).
        self.tiles_received = 0
        self._tile_events = TileEvents(self, prepare=self._images.prepare)
        self._tile_events.batch_ready.connect(
            self._on_tiles_ready, Qt.ConnectionType.QueuedConnection
        )
        self._tile_events.failed.connect(self._on_tile_failed, Qt.ConnectionType.QueuedConnection)
        self._position = Throttle(
            POSITION_INTERVAL_MS, lambda: self.position_changed.emit(*self.current_view()), self
        )
        self._moving = False
        self._moved_at: float | None = None  # perf_counter of the move not painted yet
        self._settle_timer = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle_timer.timeout.connect(self._on_settled)
        self._burst_timer = QTimer(self, singleShot=True, interval=SETTLE_MS)  # zoom burst
        self._burst_timer.timeout.connect(lambda: self._hold_frame(False))
        self._frame = Frame()
        self._refine_timer = QTimer(self, singleShot=True, interval=0)
        self._refine_timer.timeout.connect(lambda: self.update(self._frame.stale.boundingRect()))
        self._chrome = ViewChrome(self, lambda x, y: self.goto(x, y, self._t.downsample))
        self.minimap, self.scale_bar = self._chrome.minimap, self._chrome.scale_bar

    # -- public API ---------------------------------------------------------------------
    def set_source(self, source: SlideSource | None) -> None:
        """Show ``source`` fitted to the view (``None``: show nothing); the old one is closed."""
        self.close_source()
        self._source = source
        if source is None:
            self._chrome.set_layer(None)
            self.update()
            return
        self._loader = self._loader_factory(
            Argb32Tiles(source),  # the cache holds display-order tiles: see TileImages
            self._images.cache,
            self._tile_events.on_ready,
            self._tile_events.on_error,
        )
        self._layer = TileLayer(source.slide_id, source.info, self._images)
        self._chrome.set_layer(self._layer)
        self.fit()

    def source(self) -> SlideSource | None:
        return self._source

    @property
    def tile_cache(self) -> TileCache:
        """The decoded-tile cache the view draws from (shared with background prefetch)."""
        return self._images.cache

    def close_source(self) -> None:
        """Stop loading and forget the current slide (the caller owns ``source.close()``)."""
        if self._loader is not None:
            self._loader.shutdown()
        self._loader = None
        self._layer = None
        self._source = None
        self._requests.reset()
        self._images.clear()
        self._images.unpin_all()
        self._frame.reset()

    def goto(self, x: float, y: float, downsample: float | None = None) -> None:
        """Centre the view on level-0 ``(x, y)`` at ``downsample`` (default: keep the zoom)."""
        self._fit_on_resize = False
        self._set_transform(self._t.centred(x, y, downsample))

    def fit(self) -> None:
        """Show the whole slide; stays fitted across resizes until the user navigates."""
        if self._layer is None:
            return
        self._set_transform(navigation.fit(self._layer.info, self.width(), self.height()))
        self._fit_on_resize = True

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Multiply the downsample by ``factor`` keeping ``anchor`` (default: centre) fixed."""
        if self._layer is None:
            return
        a = anchor or QPointF(self.width() / 2, self.height() / 2)
        self._fit_on_resize = False
        self._set_transform(navigation.zoom_at(self._t, self._layer.info, factor, a.x(), a.y()))

    def pan_by(self, dx: float, dy: float) -> None:
        """Move the content by ``(dx, dy)`` screen pixels."""
        if self._layer is None:
            return
        self._fit_on_resize = False
        self._set_transform(navigation.pan(self._t, self._layer.info, dx, dy))

    def set_magnification(self, mag: float) -> None:
        if self._layer is not None:
            ds = navigation.downsample_for_magnification(self._layer.info, mag)
            self.goto(self._t.cx, self._t.cy, ds)

    def magnification(self) -> float | None:
        return (
            None
            if self._layer is None
            else navigation.magnification(self._layer.info, self._t.downsample)
        )

    def current_view(self) -> tuple[float, float, float]:
        """``(x, y, downsample)``: level-0 centre and level-0 pixels per screen pixel."""
        return (self._t.cx, self._t.cy, self._t.downsample)

    def view_transform(self) -> ViewTransform:
        return self._t

    def is_fully_loaded(self) -> bool:
        """Every visible tile is cached at the level wanted for the current downsample."""
        return self._layer is not None and self._layer.is_complete(self._t)

    def set_adjustments(self, adjustments: Adjustments) -> None:
        self._adjustments = adjustments
        self._images.set_lut(None if adjustments.is_identity else adjustments.lut())
        self._frame.invalidate()
        self.update()
        self.minimap.refresh()

    def adjustments(self) -> Adjustments:
        return self._adjustments

    def add_overlay(self, overlay: OverlayPainter) -> None:
        self._overlays.append(overlay)
        self.update()

    def remove_overlay(self, overlay: OverlayPainter) -> None:
        self._overlays.remove(overlay)
        self.update()

    def overlays(self) -> Sequence[OverlayPainter]:
        return tuple(self._overlays)

    def render_to_image(self, size: QSize | None = None) -> QImage:
        """Exactly what the view shows (tiles + overlays, no minimap or scale bar), in
        the tiles' opaque ``Format_RGB32`` (they and the background cover every pixel)."""
        size = size or self.size()
        image = QImage(size, QImage.Format.Format_RGB32)
        painter = QPainter(image)
        t = self._t.with_size(size.width(), size.height())
        if self._layer is None:
            painter.fillRect(image.rect(), BACKGROUND)
        else:  # everything, now (not progressive like the widget): screenshots are final
            self._layer.paint(painter, t)
            self._paint_overlays(painter, t)
        painter.end()
        return image

    # -- loading ------------------------------------------------------------------------
    def _on_tile_failed(self, key: TileKey, message: str) -> None:
        if self._layer is not None and key.slide_id == self._layer.slide_id:
            self.tile_failed.emit(message)

    def _on_tiles_ready(self) -> None:
        """Every tile decoded since the last call: store, then one update per batch."""
        batch = self._tile_events.take()
        layer = self._layer
        if layer is None or not batch:
            return
        coarsest = layer.info.level_count - 1
        view = self.rect()
        region = QRegion()
        pinned = False
        wanted = self._requests.wanted_level
        for key, prepared in batch:
            if key.slide_id != layer.slide_id:
                continue
            self.tiles_received += 1
            if prepared is not None:
                self._images.put(key, *prepared)
            if key.level == coarsest and self._images.pin(key):
                pinned = True
            if key.level >= wanted:  # finer tiles are zoom-in prefetch: not shown
                rect = layer.pixel_rect(self._t, key).intersected(view)
                if not rect.isEmpty():
                    region += rect
                    self._frame.invalidate(rect)
            self._requests.missing.discard(key)
        if pinned:
            self.minimap.refresh()
        if not region.isEmpty():
            self.update(region)
        self._check_complete()

    def _request(self, force: bool = False) -> None:
        if self._layer is not None and self._loader is not None:
            self._requests.request(self._layer, self._loader, self._t, force)

    def _check_complete(self) -> None:
        """Emit ``fully_loaded`` once per view; cheap: a set shrinks as tiles arrive."""
        layer = self._layer
        if self._complete_emitted or layer is None:
            return
        if self._requests.complete(layer, self._t):
            self._complete_emitted = True
            self.fully_loaded.emit()

    # -- navigation state ---------------------------------------------------------------
    def _set_transform(self, t: ViewTransform) -> None:
        self._moved_at = time.perf_counter()
        if self._layer is not None:
            t = navigation.clamp(t.with_size(self.width(), self.height()), self._layer.info)
        changed = t != self._t
        old, self._t = self._t, t
        self._complete_emitted = False
        self._request()
        self._chrome.show_view(self._t, self._layer)
        if changed and self.isVisible():
            self._moving = True
            self._settle_timer.start()
        self._repaint_after_move(old, t)
        if changed:
            self.view_changed.emit(t.cx, t.cy, t.downsample)
            self._position.poke()
        self._check_complete()

    def _repaint_after_move(self, old: ViewTransform, new: ViewTransform) -> None:
        """A pan that moves the tiles by whole pixels (any pan at a level drawn 1:1)
        scrolls the frame (and the widget) and composites only the exposed strip;
        anything else repaints from the scaled old frame."""
        zoom = old.downsample != new.downsample and old.width == new.width
        self._hold_frame(zoom and self.isVisible())
        shift = (
            self._layer.content_shift(old, new)
            if self._layer is not None and self._frame.t == old and self.isVisible()
            else None
        )
        if shift is not None and abs(shift[0]) < new.width and abs(shift[1]) < new.height:
            self._frame.scroll(*shift, new)
            self.scroll(*shift, self.rect())
        else:
            self.update()

    def _hold_frame(self, on: bool) -> None:
        """Zoom steps in a burst only scale the frame from before it; the first other
        move, or ``SETTLE_MS`` without a zoom step, composites tiles again."""
        if on:
            self._frame.hold(True)
            self._burst_timer.start()
        elif self._frame.holding:
            self._frame.hold(False)
            self._burst_timer.stop()
            self.update()

    def _on_settled(self) -> None:
        """Tiles scaled without smoothing mid-gesture are composited again, smoothly; a
        visible tile that left the memory cache after the request (evicted by prefetch
        before it was drawn) is asked for again instead of staying coarse."""
        self._moving = False
        if self._layer is not None and not self.is_fully_loaded():
            self._request(force=True)
        if self._frame.rough:
            self._frame.rough = False
            self._frame.invalidate()
            self.update()

    # -- painting -----------------------------------------------------------------------
    def _cursor_transform(self) -> ViewTransform | None:
        return None if self._layer is None else self._t

    def _paint_overlays(self, p: QPainter, t: ViewTransform) -> None:
        rect = t.visible_rect()
        for overlay in self._overlays:
            p.save()
            overlay.paint(p, t, rect)
            p.restore()

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt override
        p = QPainter(self)
        t = self._t.with_size(self.width(), self.height())
        moved_at = self._move_this_turn()
        if self._layer is None:
            p.fillRect(self.rect(), BACKGROUND)
            p.setPen(QColor(200, 200, 200))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "File > Open slide... (Ctrl+O)")
            p.end()
            return
        frame, rect = self._frame, event.rect()
        if frame.holding:  # a zoom burst: the frame from before it, scaled
            frame.paint_held(p, self._layer, t)
        else:
            if frame.t != t:  # the scaled old frame now, tiles from the next turn on
                frame.retarget(self._layer, t)
            else:
                frame.composite(self._layer, rect, not self._moving, moved_at)
            p.drawImage(rect, frame.image, rect)
        self._paint_overlays(p, t)
        p.end()
        if not frame.stale.isEmpty() and not frame.holding:
            self._refine_timer.start()  # the rest on the next event-loop turn

    def _move_this_turn(self) -> float | None:
        """When the move this paint follows began, if in this event-loop turn (once)."""
        moved_at, self._moved_at = self._moved_at, None
        return moved_at if moved_at and time.perf_counter() - moved_at < SAME_TURN_S else None

    # -- Qt events ----------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt override
        self._chrome.place()
        if self._fit_on_resize:
            self.fit()
        else:
            self._set_transform(self._t.with_size(self.width(), self.height()))

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        self.close_source()
        super().closeEvent(event)
