"""The view's tiles composited into an offscreen frame that outlives each paint.

Why: compositing every visible tile in each ``paintEvent`` means up to ~440 tile blits
(each a Python call that also hands the GIL to the loader threads) at a downsample just
below a level boundary, once per notch of a wheel burst: 10-50 ms stalls of the UI
thread.  Keeping the last frame lets the view instead

* **scroll** it on a whole-pixel pan (a memory move) and composite only the exposed
  strip;
* on a zoom or jump, draw the old frame **scaled** to the new transform as an instant
  placeholder (one blit, plus the pinned coarsest level where the old frame does not
  reach) -- during a wheel burst (``hold``) always the frame from before the burst, so
  scaling errors do not accumulate, and no tile is composited until the burst ends --
  then
* composite the tiles again **at most ``MAX_TILES_PER_PAINT`` per paint, and for at
  most ``PAINT_BUDGET_S``**, centre first, from the next paint on (``SlideView`` does
  not composite in the paint that retargets); what is left (``stale``) continues on
  the next event-loop turns, so no paint is long however many tiles the view shows.

Arriving tiles mark only their own pixels stale.  ``SlideView`` blits the frame to the
widget and draws overlays on top, so annotations are never scaled or stale.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QRegion

from desktop_app.slide.source import TileKey
from desktop_app.ui.viewer.tile_layer import BACKGROUND, TileLayer
from desktop_app.ui.viewer.transform import ViewTransform

#: Tiles composited per paint (about 2-3 ms of UI-thread time on the bench machine).
MAX_TILES_PER_PAINT = 64
#: ...and no more than this long: tiles are drawn in groups of ``TILES_PER_CHECK`` and
#: the paint stops after the group that passes it (wall time, so a paint that the OS
#: interrupted also stops early: the event loop's latency is what is bounded).  Scaled
#: tiles cost 3-5x a 1:1 blit, so a count alone let one paint take 7 ms of CPU on the
#: 2-core bench machine under load (issue 16).  Groups of 8 let a paint overrun the
#: budget by a whole group (up to 4 ms more at 0.3-0.5 ms a scaled tile: composites of
#: 5.6 ms CPU in a profiled tour); a clock read costs well under a microsecond.
PAINT_BUDGET_S = 0.004
TILES_PER_CHECK = 2
#: A paint in the same event-loop turn as the move that caused it (a pan step, then its
#: paint: Qt delivers the update right after the input or timer event) composites only
#: until this long after the move began: the move itself costs 2-3 ms of UI-thread CPU
#: (requests, scrolling the frame and the widget), and with the whole paint budget on
#: top, that turn was 9-10 ms in a profiled tour against 8 for any other.
TURN_BUDGET_S = 0.006


class Frame:
    """An offscreen image of the tiles for one transform, and what of it is stale."""

    def __init__(self) -> None:
        self.image = QImage(1, 1, QImage.Format.Format_RGB32)
        self._spare: QImage | None = None
        self.t: ViewTransform | None = None
        self.stale = QRegion()
        self.rough = False  # tiles were scaled without smoothing (mid-gesture)
        self._held: tuple[QImage, ViewTransform] | None = None
        self._laid_out: tuple[tuple[str, ViewTransform, int], list] | None = None

    @property
    def holding(self) -> bool:
        return self._held is not None

    def hold(self, on: bool) -> None:
        """Start (keep) or end a burst: while on, ``retarget`` scales the frame from
        before the burst and the caller skips ``composite``."""
        if not on:
            self._held = None
        elif self._held is None and self.t is not None:
            # the image itself, not a copy (6 MB, up to 5 ms): ``retarget`` never
            # draws into it or recycles it while it is held
            self._held = (self.image, self.t)

    def reset(self) -> None:
        """Forget the content (new slide): everything is stale."""
        self.t = None
        self._held = None
        self._laid_out = None
        self.stale = QRegion(self.image.rect())

    def invalidate(self, rect: QRect | None = None) -> None:
        """Composite ``rect`` (default: everything) again, over the current content."""
        self.stale += rect if rect is not None else self.image.rect()

    def scroll(self, dx: int, dy: int, t: ViewTransform) -> None:
        """Move the content by whole pixels (a pan); the exposed strip becomes stale."""
        full = self.image.rect()
        moved = full.translated(dx, dy).intersected(full)
        if not moved.isEmpty():
            _shift_pixels(self.image, dx, dy)
        self.stale.translate(dx, dy)
        self.stale = (self.stale & QRegion(full)) + (QRegion(full) - QRegion(moved))
        self.t = t

    def retarget(self, layer: TileLayer, t: ViewTransform) -> None:
        """Redraw the content for ``t`` from the old frame, scaled (a placeholder until
        the tiles are composited again), over the coarsest level; all of it is stale."""
        full = QRect(0, 0, t.width, t.height)
        old, old_t = self.image, self.t
        source, source_t = self._held or (old, old_t)
        fresh = (
            self._spare_image()
            if (old.width(), old.height()) == (t.width, t.height)
            else QImage(t.width, t.height, QImage.Format.Format_RGB32)
        )
        p = QPainter(fresh)
        _placeholder(p, layer, t, source, source_t)
        p.end()
        same_size = (old.width(), old.height()) == (t.width, t.height)
        self._spare = old if same_size and (self._held is None or old is not source) else None
        self.image, self.t = fresh, t
        self.stale = QRegion(full)

    def paint_held(self, p: QPainter, layer: TileLayer, t: ViewTransform) -> None:
        """Mid-burst: draw the frame from before the burst, scaled to ``t``, straight
        onto ``p`` (the widget).  The frame itself stays as it was until the burst
        ends: making a new one each zoom step and then copying it to the widget wrote
        every pixel twice per step; ``retarget`` was the largest UI-thread cost of a
        step in a profiled pan/zoom tour (issue 16)."""
        if self._held is not None:
            _placeholder(p, layer, t, *self._held)

    def composite(
        self, layer: TileLayer, within: QRect, smooth: bool, moved_at: float | None = None
    ) -> None:
        """Draw up to ``MAX_TILES_PER_PAINT`` tiles over the stale pixels in ``within``
        (centre first), clipped to ``within``; outside the slide, the background.
        ``moved_at``: the ``perf_counter`` time the move this paint follows began, in
        the same event-loop turn (``TURN_BUDGET_S``); at least one group is drawn."""
        t = self.t
        todo = self.stale & QRegion(within)
        if t is None or todo.isEmpty():
            return
        p = QPainter(self.image)
        p.setClipRect(within)
        info = layer.info
        slide = layer.pixel_rect_of(t, 0.0, 0.0, float(info.width), float(info.height))
        outside = todo - QRegion(slide)
        for rect in _rects(outside):
            p.fillRect(rect, BACKGROUND)
        todo -= outside
        bounds = todo.boundingRect()
        picked: list[tuple[TileKey, QRect]] = []
        drawn = QRegion(outside)
        complete = True  # every stale pixel in ``within`` gets covered by this paint
        if not bounds.isEmpty():
            level = layer.level_for(t.downsample)
            bl, bt = bounds.left(), bounds.top()
            br, bb = bl + bounds.width(), bt + bounds.height()
            exact = todo.rectCount() == 1  # the bounding box is the region
            for key, (left, top, right, bottom) in self._layout(layer, t, level, bounds, slide):
                if left >= br or right <= bl or top >= bb or bottom <= bt:
                    continue
                rect = QRect(left, top, right - left, bottom - top)
                if exact or todo.intersects(rect):
                    picked.append((key, rect))
                    if len(picked) == MAX_TILES_PER_PAINT:
                        complete = False
                        break
            deadline = time.perf_counter() + PAINT_BUDGET_S
            if moved_at is not None:
                deadline = min(deadline, moved_at + TURN_BUDGET_S)
            for i in range(0, len(picked), TILES_PER_CHECK):
                group = picked[i : i + TILES_PER_CHECK]
                layer.paint_tiles(p, t, [key for key, _ in group], smooth=smooth)
                for _, rect in group:
                    drawn += rect
                if i + TILES_PER_CHECK < len(picked) and time.perf_counter() > deadline:
                    complete = False
                    break
            scale = info.level_downsamples[level] / t.downsample
            self.rough = self.rough or (not smooth and abs(scale - 1.0) > 1e-9)
        p.end()
        if complete:
            drawn = QRegion(within)  # every stale pixel in it is covered now
        self.stale -= drawn & QRegion(within)

    def _layout(
        self, layer: TileLayer, t: ViewTransform, level: int, bounds: QRect, slide: QRect
    ) -> list[tuple[TileKey, tuple[int, int, int, int]]]:
        """The tiles under ``bounds`` with their pixel boxes, centre first.  A zoom or
        jump leaves the whole frame stale for several paints; the layout of all the
        slide in view is then computed once per transform, not once per paint (fewer
        Qt calls, each a chance to lose the GIL to a decoder).  A pan's strip (a new
        transform each step) is laid out alone: the whole view would cost more."""
        key = (layer.slide_id, t, level)
        if self._laid_out is not None and self._laid_out[0] == key:
            return self._laid_out[1]
        inside = slide.intersected(QRect(0, 0, t.width, t.height))
        whole = 2 * bounds.width() * bounds.height() > inside.width() * inside.height()
        area = inside if whole else bounds
        ix0, iy0 = t.to_image(area.left(), area.top())
        ix1, iy1 = t.to_image(area.left() + area.width(), area.top() + area.height())
        layout = [(k, layer.box(t, k)) for k in layer.tiles_in(level, (ix0, iy0, ix1, iy1))]
        if whole:
            self._laid_out = (key, layout)
        return layout

    def _spare_image(self) -> QImage:
        size = self.image.size()
        if self._spare is None or self._spare.size() != size:
            self._spare = QImage(size, QImage.Format.Format_RGB32)
        return self._spare


def _placeholder(
    p: QPainter,
    layer: TileLayer,
    t: ViewTransform,
    source: QImage,
    source_t: ViewTransform | None,
) -> None:
    """``source`` (a frame made for ``source_t``) scaled to ``t``, over the coarsest
    level where it does not reach."""
    full = QRect(0, 0, t.width, t.height)
    target = None if source_t is None else t.view_rect_of(*source_t.visible_rect())
    uncovered = QRegion(full)
    if target is not None:
        uncovered -= QRegion(target.toRect())
    p.save()
    for rect in _rects(uncovered):  # rectangles, not one region: see _paint_fallback
        p.setClipRect(rect, Qt.ClipOperation.IntersectClip)
        layer.paint(
            p, t, level=layer.info.level_count - 1, dirty=QRectF(rect), smooth=False, parts=True
        )
        p.restore()
        p.save()
    p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
    if target is not None:
        p.drawImage(target, source, QRectF(source.rect()))
    p.restore()


def _shift_pixels(image: QImage, dx: int, dy: int) -> None:
    """Move every pixel of a 32-bit ``image`` by ``(dx, dy)`` in place, with one
    ``memmove`` of its rows as one flat buffer: a pixel that leaves its row on one side
    lands in the other side's first ``|dx|`` columns, which the move exposes (stale, so
    composited again) -- so every pixel that stays in view is where it belongs.  Half
    the UI-thread CPU of drawing the frame into a second image (0.3-0.8 vs 1.2 ms,
    1600 x 1000) and no second 6 MB image.  A ``memoryview`` slice assignment (a
    ``memmove`` for overlapping contiguous buffers) keeps the GIL: a call that released
    it waited to get it back from a decoder thread (2 ms a scroll under cProfile).
    ``bits()`` detaches a shared image first."""
    buf = memoryview(image.bits())  # writable (the stubs also allow bytes)
    offset = dy * image.bytesPerLine() + dx * 4
    size = len(buf)
    if abs(offset) >= size:
        return
    if offset > 0:
        buf[offset:] = buf[: size - offset]
    else:
        buf[: size + offset] = buf[-offset:]


def _rects(region: QRegion) -> list[QRect]:
    """The rectangles of a region (QRegion iterates them; PySide6's stubs do not say so)."""
    return list(region)  # type: ignore[call-overload]
