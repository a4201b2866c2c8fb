"""What to ask the loader for, in priority order, for one view.

1. The coarsest level's tiles until they are pinned (the never-blank fallback and the
   minimap), then the visible tiles at the wanted level, centre first.
2. Prefetch: the ring of tiles just outside the view (panning), the coarser level
   under the view (fallback while zooming out) and the centre of the next finer level
   (zooming in).  The loader replaces its wanted set with each call, so tiles for a
   view the user has already left are dropped before they are read.
"""

from __future__ import annotations

from desktop_app.slide import tiling
from desktop_app.slide.source import TileKey
from desktop_app.ui.viewer.tile_layer import TileLayer
from desktop_app.ui.viewer.transform import ViewTransform

#: Cap on finer-level prefetch, so zoom-in prefetch never starves panning.
MAX_FINER_PREFETCH = 16


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

    x0, y0, x1, y1 = rect
    sid = layer.slide_id
    prefetch = tiling.ring_tiles(info, level, x0, y0, x1, y1, slide_id=sid)
    prefetch += tiling.neighbour_level_tiles(info, level, x0, y0, x1, y1, slide_id=sid, finer=False)
    qx, qy = (x1 - x0) / 4, (y1 - y0) / 4  # zoom-in prefetch: the centre half of the view
    finer = tiling.neighbour_level_tiles(
        info, level, x0 + qx, y0 + qy, x1 - qx, y1 - qy, slide_id=sid, finer=True
    )
    prefetch += finer[:MAX_FINER_PREFETCH]
    return visible, prefetch  # the loader skips cached tiles itself
