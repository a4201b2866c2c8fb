"""What to ask the loader for, in priority order, for one view.

1. The coarsest level's tiles until they are pinned (the never-blank fallback and the
   minimap), then the visible tiles at the wanted level, centre first.
2. Prefetch: the ring of tiles just outside the view (panning), the coarser level
   under the view (fallback while zooming out) and the centre of the next finer level
   (zooming in).  The loader replaces its wanted set with each call, so tiles for a
   view the user has already left are dropped before they are read.
"""

from __future__ import annotations

from collections.abc import Hashable

from desktop_app.slide import tiling
from desktop_app.slide.loader import TileLoader
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


def wanted_signature(layer: TileLayer, t: ViewTransform) -> Hashable:
    """Equal for two transforms for which ``wanted_tiles`` asks for the same tiles (the
    order may differ slightly: the centre moved): the level and the tile ranges of the
    view, the coarser level under it and the finer level's centre half."""
    info = layer.info
    level = layer.level_for(t.downsample)
    x0, y0, x1, y1 = t.visible_rect()
    qx, qy = (x1 - x0) / 4, (y1 - y0) / 4
    coarser = level + 1 if level + 1 < info.level_count else level
    finer = level - 1 if level > 0 else level
    return (
        layer.slide_id,
        level,
        tiling.tile_range(info, level, x0, y0, x1, y1),
        tiling.tile_range(info, coarser, x0, y0, x1, y1),
        tiling.tile_range(info, finer, x0 + qx, y0 + qy, x1 - qx, y1 - qy),
    )


class ViewRequests:
    """What one view has asked its loader for, and which of its tiles are missing.

    ``missing``: the visible tiles at the wanted level that were not available when
    asked for (they shrink as tiles arrive); ``complete`` remembers a positive answer of
    ``layer.is_complete`` until the tiles in view change."""

    def __init__(self) -> None:
        self._signature: Hashable | None = None
        self._complete = False
        self.missing: set[TileKey] = set()
        self.wanted_level = 0

    def reset(self) -> None:
        """Forget the last request (new slide or loader): the next one is sent."""
        self._signature = None
        self._complete = False
        self.missing = set()

    def request(
        self, layer: TileLayer, loader: TileLoader, t: ViewTransform, force: bool = False
    ) -> None:
        """Ask ``loader`` for ``t``'s tiles unless it was asked for the same ones last
        (``force``: ask anyway, e.g. a visible tile may have been evicted since)."""
        signature = wanted_signature(layer, t)
        if signature == self._signature and not force:
            return
        self._signature = signature
        self._complete = False
        visible, prefetch = wanted_tiles(layer, t)
        self.wanted_level = layer.level_for(t.downsample)
        self.missing = {k for k in visible if k.level == self.wanted_level}
        loader.request(visible, prefetch)

    def complete(self, layer: TileLayer, t: ViewTransform) -> bool:
        """Every visible tile is available (checked once per set of tiles in view)."""
        if self.missing:
            return False
        if not self._complete:
            self._complete = layer.is_complete(t)
        return self._complete
