"""What ``TileLayer`` asks the raster engine to do for coarse levels: only the pixels it
needs, and no bilinear filter where that filter leaves Qt's fast path."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from desktop_app.slide.argb32 import Argb32Tiles
from desktop_app.slide.cache import TileCache
from desktop_app.slide.source import SlideSource
from desktop_app.ui.viewer.tile_images import TileImages
from desktop_app.ui.viewer.tile_layer import MAX_SMOOTH_UPSCALE, TileLayer
from desktop_app.ui.viewer.transform import ViewTransform

W, H = 400, 300


class RecordingPainter(QPainter):
    """A real painter that also records the target rectangle of every image drawn."""

    def __init__(self, image: QImage) -> None:
        super().__init__(image)
        self.targets: list[QRectF] = []

    def drawImage(self, *args: Any) -> None:
        target = args[0]
        self.targets.append(QRectF(target) if isinstance(target, QRectF) else QRectF())
        super().drawImage(*args)


def layer_with(source: SlideSource, levels: set[int]) -> TileLayer:
    """A layer whose cache holds every tile of ``levels`` (and nothing else)."""
    cache = TileCache(256 * 1024 * 1024)
    reader = Argb32Tiles(source)
    info = source.info
    layer = TileLayer(source.slide_id, info, TileImages(cache))
    for level in levels:
        for key in layer.tiles_in(level, (0.0, 0.0, float(info.width), float(info.height))):
            cache.put(key, reader.read_tile(key))
    return layer


def pixels(image: QImage) -> np.ndarray:
    arr = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1, 4)
    return arr[:, : image.width(), :3].copy()


def test_placeholder_parts_draw_only_the_pixels_under_the_area(source: SlideSource) -> None:
    """The coarsest level under a zoomed-in view: each tile's part, not the whole tile
    stretched ~100x and clipped (5x the CPU on a 1600x1000 view), same pixels."""
    coarsest = source.info.level_count - 1
    layer = layer_with(source, {coarsest})
    t = ViewTransform(3000.0, 2000.0, 0.5, W, H)
    dirty = QRectF(0, 0, W, H)
    images = []
    for parts in (False, True):
        image = QImage(W, H, QImage.Format.Format_RGB32)
        p = RecordingPainter(image)
        layer.paint(p, t, level=coarsest, dirty=dirty, smooth=False, parts=parts)
        p.end()
        images.append(pixels(image))
        grown = dirty.adjusted(-1, -1, 1, 1)
        assert p.targets
        assert all(grown.contains(r) for r in p.targets) == parts
    whole, parts_only = images
    assert (np.abs(whole.astype(int) - parts_only.astype(int)).max(axis=-1) > 0).mean() < 0.01


def test_a_fallback_stretched_past_the_limit_is_not_filtered(source: SlideSource) -> None:
    """Missing level-0 tiles covered by the coarsest level (64x) at downsample 0.5, a
    128x stretch, come out exactly as with nearest-neighbour scaling although the paint
    is smooth; a milder stretch (16x) is still filtered, and the hint is restored."""
    coarsest = source.info.level_count - 1
    layer = layer_with(source, {coarsest})
    for downsample, filtered in ((0.5, False), (4.0, True)):
        stretch = source.info.level_downsamples[coarsest] / downsample
        assert (stretch < MAX_SMOOTH_UPSCALE) is filtered
        t = ViewTransform(1000.0, 800.0, downsample, W, H)
        shots = []
        for smooth in (True, False):
            image = QImage(W, H, QImage.Format.Format_RGB32)
            p = QPainter(image)
            layer.paint(p, t, smooth=smooth)
            assert bool(p.renderHints() & QPainter.RenderHint.SmoothPixmapTransform) is smooth
            p.end()
            shots.append(pixels(image))
        assert (not np.array_equal(*shots)) is filtered
