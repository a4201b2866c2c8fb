"""Paints the pyramid for a ``ViewTransform``: wanted tiles, coarser fallback, background.

Rules that make the view trustworthy:

* The level drawn is ``best_level`` for the downsample, the same rule the loader is asked
  for and ``is_complete`` checks, so "fully loaded" means what the user sees is final.
* A tile not cached yet is covered by the nearest *coarser* level that is (finally the
  pinned coarsest level), scaled up, so the view is never blank or checkered.
* When the level's downsample equals the view's (within half a pixel over the view),
  tiles are blitted 1:1 at integer positions -- bit-exact with OpenSlide's read_region.
  Otherwise they are scaled with bilinear filtering, which for the common 2x step
  between a view and the level below it is exactly a 2x2 box average.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QRegion

from desktop_app.slide import tiling
from desktop_app.slide.source import SlideInfo, TileKey
from desktop_app.ui.viewer.tile_images import TileImages
from desktop_app.ui.viewer.transform import ViewTransform

#: Outside the slide.
BACKGROUND = QColor(58, 58, 62)
#: Inside the slide where the scanner recorded nothing (alpha 0): glass.
GLASS = QColor(255, 255, 255)
#: A coarser level stretched this much or more (the fallback under a missing tile) is
#: drawn without smoothing: Qt's bilinear filter leaves its fast path at 256x, where
#: filling a 1600x1000 view took 14 ms of UI-thread CPU instead of 1.7 (at 200x); a
#: stretched pixel then covers 128+ screen pixels, and it is gone when the tile comes.
MAX_SMOOTH_UPSCALE = 128.0


class TileLayer:
    """Stateless painter over ``TileImages`` for one slide."""

    def __init__(self, slide_id: str, info: SlideInfo, images: TileImages) -> None:
        self.slide_id = slide_id
        self.info = info
        self.images = images

    # -- which tiles --------------------------------------------------------------------
    def level_for(self, downsample: float) -> int:
        return tiling.best_level(self.info, downsample)

    def tiles_in(self, level: int, rect: tuple[float, float, float, float]) -> list[TileKey]:
        """Tiles of ``level`` covering the level-0 ``rect``, centre first."""
        x0, y0, x1, y1 = rect
        return tiling.visible_tiles(self.info, level, x0, y0, x1, y1, slide_id=self.slide_id)

    def visible(self, t: ViewTransform) -> list[TileKey]:
        return self.tiles_in(self.level_for(t.downsample), t.visible_rect())

    def is_complete(self, t: ViewTransform) -> bool:
        """Every visible tile at the wanted level is available (cached or pinned)."""
        return all(self.images.has(k) for k in self.visible(t))

    def content_shift(self, old: ViewTransform, new: ViewTransform) -> tuple[int, int] | None:
        """How many whole pixels the painted tiles move from ``old`` to ``new``, or
        ``None`` when they do not move by whole pixels (zoom, resize, sub-pixel pan of a
        scaled level).  A pan by whole pixels moves them by that much; at a level drawn
        1:1 any pan does, since ``_draw`` places its tiles at the origin rounded to a
        pixel -- so a frame can follow a smooth pan by scrolling instead of compositing
        every tile again."""
        if old.downsample != new.downsample or (old.width, old.height) != (new.width, new.height):
            return None
        ds = new.downsample
        dx, dy = (old.cx - new.cx) / ds, (old.cy - new.cy) / ds
        if abs(dx - round(dx)) < 1e-6 and abs(dy - round(dy)) < 1e-6:
            return round(dx), round(dy)
        lds = self.info.level_downsamples[self.level_for(ds)]
        if not _one_to_one(lds / ds, new):
            return None
        (ox0, oy0), (ox1, oy1) = old.origin, new.origin
        return (
            math.floor(ox0 / lds + 0.5) - math.floor(ox1 / lds + 0.5),
            math.floor(oy0 / lds + 0.5) - math.floor(oy1 / lds + 0.5),
        )

    # -- painting -----------------------------------------------------------------------
    def paint(
        self,
        p: QPainter,
        t: ViewTransform,
        *,
        level: int | None = None,
        background: bool = True,
        dirty: QRectF | None = None,
        smooth: bool = True,
        parts: bool = False,
    ) -> None:
        """Draw the slide as ``t`` sees it.

        ``level`` forces a pyramid level (the minimap); ``dirty`` limits the work to the
        tiles under that screen rectangle (Qt already clips the pixels to it); ``smooth``
        False uses nearest-neighbour scaling, 4x cheaper, for frames drawn mid-gesture.
        ``parts`` draws only the part of each tile under ``dirty`` (no coarser fallback:
        the coarsest level, for placeholders): a whole tile stretched ~1000x and
        clipped to the view took 5.4 ms of UI-thread CPU for a 1600x1000 view, its part
        1.0 ms.
        """
        view = QRectF(0, 0, t.width, t.height)
        area = view if dirty is None else dirty.intersected(view)
        slide = t.view_rect_of(0, 0, self.info.width, self.info.height)
        if background:  # only outside the slide: no overdraw under the tiles
            inner = QRect(
                math.ceil(slide.left()),
                math.ceil(slide.top()),
                max(0, math.floor(slide.right()) - math.ceil(slide.left())),
                max(0, math.floor(slide.bottom()) - math.ceil(slide.top())),
            )
            p.save()
            p.setClipRegion(
                QRegion(area.toAlignedRect()) - QRegion(inner), Qt.ClipOperation.IntersectClip
            )
            p.fillRect(area, BACKGROUND)
            p.restore()
        if level is None:
            level = self.level_for(t.downsample)
        x0, y0 = t.to_image(area.left(), area.top())
        x1, y1 = t.to_image(area.right(), area.bottom())
        keys = self.tiles_in(level, (x0, y0, x1, y1))
        if not parts:
            self.paint_tiles(p, t, keys, smooth=smooth)
            return
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, smooth)
        for key in keys:
            image = self.images.get(key)
            if image is None:
                p.fillRect(self.pixel_rect(t, key), GLASS)
            else:
                self._draw_part(p, t, key, image, (x0, y0, x1, y1))

    def paint_tiles(
        self, p: QPainter, t: ViewTransform, keys: list[TileKey], *, smooth: bool = True
    ) -> None:
        """Draw exactly ``keys`` (one level), each missing one covered by the nearest
        coarser level that is available (clipped to the missing tile's pixels)."""
        if not keys:
            return
        ready: list[tuple[TileKey, QImage]] = []
        missing: list[TileKey] = []
        for key in keys:
            image = self.images.get(key)
            if image is None:
                missing.append(key)
            else:
                ready.append((key, image))
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, smooth)
        if missing:
            self._paint_fallback(p, t, keys[0].level, missing)
        for key, image in ready:
            self._draw(p, t, key, image)

    def pixel_rect(self, t: ViewTransform, key: TileKey) -> QRect:
        """The view pixels ``key`` covers: those whose centre lies inside it (the pixels
        the raster engine fills when it draws the tile there), so neighbours never
        share a pixel."""
        return self.pixel_rect_of(t, *self.level0_rect(key))

    @staticmethod
    def pixel_rect_of(t: ViewTransform, x0: float, y0: float, x1: float, y1: float) -> QRect:
        """``pixel_rect`` of a level-0 rectangle."""
        left, top, right, bottom = pixel_box(t, x0, y0, x1, y1)
        return QRect(left, top, right - left, bottom - top)

    def box(self, t: ViewTransform, key: TileKey) -> tuple[int, int, int, int]:
        """``pixel_rect`` as ``(left, top, right, bottom)`` (right/bottom exclusive)."""
        return pixel_box(t, *self.level0_rect(key))

    def _paint_fallback(
        self, p: QPainter, t: ViewTransform, level: int, missing: list[TileKey]
    ) -> None:
        """Cover each missing tile with the nearest coarser level that has all its pixels.

        Only the part of each coarse tile over the missing tile is drawn, into that
        tile's own rectangle (pixel-centre coverage, like ``pixel_rect``).  Drawing the
        whole coarse tile clipped to a region of missing tiles instead sends the raster
        engine through its generic span filler with huge targets (the coarsest level
        scaled ~1000x): on the bench's fast pan that was 20 ms of a 25 ms paint.  Levels
        stretched ``MAX_SMOOTH_UPSCALE`` or more are drawn without smoothing."""
        smooth = bool(p.renderHints() & QPainter.RenderHint.SmoothPixmapTransform)
        try:
            self._paint_coarser(p, t, level, missing, smooth)
        finally:
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, smooth)

    def _paint_coarser(
        self, p: QPainter, t: ViewTransform, level: int, missing: list[TileKey], smooth: bool
    ) -> None:
        remaining = missing
        for coarse in range(level + 1, self.info.level_count):
            if not remaining:
                return
            scale = self.info.level_downsamples[coarse] / t.downsample
            p.setRenderHint(
                QPainter.RenderHint.SmoothPixmapTransform, smooth and scale < MAX_SMOOTH_UPSCALE
            )
            still: list[TileKey] = []
            for key in remaining:
                x0, y0, x1, y1 = self.level0_rect(key)
                covering = self.tiles_in(coarse, (x0, y0, x1 - 1e-6, y1 - 1e-6))
                images = [(k, self.images.get(k)) for k in covering]
                if not covering or any(img is None for _, img in images):
                    still.append(key)
                    continue
                for k, img in images:
                    if img is not None:
                        self._draw_part(p, t, k, img, (x0, y0, x1, y1))
            remaining = still
        for key in remaining:  # nothing coarser cached yet: plain glass, never garbage
            p.fillRect(self.pixel_rect(t, key), GLASS)

    def _draw_part(
        self,
        p: QPainter,
        t: ViewTransform,
        key: TileKey,
        image: QImage,
        area: tuple[float, float, float, float],
    ) -> None:
        """Draw the part of tile ``key`` that lies in the level-0 ``area``, scaled."""
        kx0, ky0, kx1, ky1 = self.level0_rect(key)
        x0, y0 = max(area[0], kx0), max(area[1], ky0)
        x1, y1 = min(area[2], kx1), min(area[3], ky1)
        if x1 <= x0 or y1 <= y0:
            return
        lds = self.info.level_downsamples[key.level]
        ox, oy = t.origin
        ds = t.downsample
        p.drawImage(
            QRectF((x0 - ox) / ds, (y0 - oy) / ds, (x1 - x0) / ds, (y1 - y0) / ds),
            image,
            QRectF((x0 - kx0) / lds, (y0 - ky0) / lds, (x1 - x0) / lds, (y1 - y0) / lds),
        )

    def level0_rect(self, key: TileKey) -> tuple[float, float, float, float]:
        """``(x0, y0, x1, y1)``: the level-0 area of a tile (edge tiles are smaller)."""
        x, y, w, h = tiling.tile_rect(self.info, key)
        return (x, y, x + w, y + h)

    def _draw(self, p: QPainter, t: ViewTransform, key: TileKey, image: QImage) -> None:
        ts = self.info.tile_size
        lds = self.info.level_downsamples[key.level]
        scale = lds / t.downsample
        ox, oy = t.origin
        if _one_to_one(scale, t):
            # 1:1 -- integer placement, no resampling (matches read_region exactly).
            dx = key.col * ts - math.floor(ox / lds + 0.5)
            dy = key.row * ts - math.floor(oy / lds + 0.5)
            p.drawImage(dx, dy, image)  # integer offset, no resampling
            return
        _, _, w, h = tiling.tile_level_rect(self.info, key)  # the image's size
        target = QRectF(
            (key.col * ts * lds - ox) / t.downsample,
            (key.row * ts * lds - oy) / t.downsample,
            w * scale,
            h * scale,
        )
        p.drawImage(target, image, QRectF(0, 0, w, h))


def _one_to_one(scale: float, t: ViewTransform) -> bool:
    """A level drawn at ``scale`` is within half a pixel of 1:1 over the whole view."""
    return abs(scale - 1.0) * max(t.width, t.height) < 0.5


def pixel_box(
    t: ViewTransform, x0: float, y0: float, x1: float, y1: float
) -> tuple[int, int, int, int]:
    """The pixels whose centre lies in the level-0 rectangle, as ``(left, top, right,
    bottom)``, right/bottom exclusive, in plain Python: the compositor tests hundreds of
    tiles per paint, and every Qt call there may hand the GIL to a decoder thread and
    wait to get it back.  Same arithmetic as ``t.view_rect_of`` (a ``QRectF`` keeps
    its width, so its right edge is ``left + (right - left)``)."""
    ox, oy = t.origin
    ds = t.downsample
    vx0, vy0 = (x0 - ox) / ds, (y0 - oy) / ds
    vx1, vy1 = (x1 - ox) / ds, (y1 - oy) / ds
    return (
        math.floor(vx0 + 0.5),
        math.floor(vy0 + 0.5),
        math.floor(vx0 + (vx1 - vx0) + 0.5),
        math.floor(vy0 + (vy1 - vy0) + 0.5),
    )
