"""What to ask the loader for, in priority order, for one view.

1. The coarsest level's tiles until they are pinned (the never-blank fallback and the
   minimap), then the visible tiles at the wanted level, centre first.
2. Prefetch: the ring of tiles just outside the view (panning), the coarser level
   under the view (fallback while zooming out) and the centre of the next finer level
   (zooming in).  The loader replaces its wanted set with each call, so tiles for a
   view the user has already left are dropped before they are read.
"""

from __future__ import annotations

from desktop_app.slide.source import TileKey
from desktop_app.ui.viewer.tile_layer import TileLayer
from desktop_app.ui.viewer.transform import ViewTransform

#: Cap on finer-level prefetch, so zoom-in prefetch never starves panning.
MAX_FINER_PREFETCH = 16


def _grow(
    rect: tuple[float, float, float, float], margin: float
) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = rect
    return (x0 - margin, y0 - margin, x1 + margin, y1 + margin)


def wanted_tiles(layer: TileLayer, t: ViewTransform) -> tuple[list[TileKey], list[TileKey]]:
    """``(visible, prefetch)`` tiles not available yet, most urgent first."""
    info = layer.info
    images = layer.images
    coarsest = info.level_count - 1
    overview = [
        k
        for k in layer.tiles_in(coarsest, (0.0, 0.0, float(info.width), float(info.height)))
        if not images.is_pinned(k)
    ]
    level = layer.level_for(t.downsample)
    rect = t.visible_rect()
    visible_all = layer.tiles_in(level, rect)
    visible = overview + [k for k in visible_all if not images.has(k)]

    seen = set(visible_all)
    prefetch: list[TileKey] = []
    tile0 = info.tile_size * info.level_downsamples[level]
    for k in layer.tiles_in(level, _grow(rect, tile0)):
        if k not in seen:
            prefetch.append(k)
    if level + 1 < info.level_count:
        prefetch.extend(layer.tiles_in(level + 1, rect))
    if level > 0:
        x0, y0, x1, y1 = rect
        qx, qy = (x1 - x0) / 4, (y1 - y0) / 4
        centre = (x0 + qx, y0 + qy, x1 - qx, y1 - qy)
        prefetch.extend(layer.tiles_in(level - 1, centre)[:MAX_FINER_PREFETCH])
    return visible, [k for k in prefetch if not images.has(k)]
