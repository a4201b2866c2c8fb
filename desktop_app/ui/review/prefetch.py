"""Tiles of the next annotations, decoded while the reviewer decides on this one.

The review queue says where the view goes next, so the tiles of the next few pending
annotations (at the magnification review mode will show them) are read on a background
:class:`~desktop_app.slide.loader.TileLoader` into the view's own tile cache — from the
disk tile cache or the server for a remote slide. Going to the next annotation then
draws from memory. The loader is "latest request wins": stepping on drops what was
queued for annotations already passed. It never runs on the UI thread.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop_app.slide.argb32 import Argb32Tiles
from desktop_app.slide.loader import TileLoader
from desktop_app.slide.review_tiles import Bounds, frame_bounds, view_tiles
from desktop_app.slide.source import SlideSource, TileKey
from desktop_app.ui.viewer.loading import LOADER_NICE
from desktop_app.ui.viewer.slide_view import SlideView

#: How many pending annotations ahead are prepared.
AHEAD = 3
#: Background decoders: one, so the viewer's own loader keeps priority for what is shown.
WORKERS = 1


class NextTiles:
    """Background reads of the tiles the next review steps will show."""

    def __init__(self, view: SlideView) -> None:
        self._view = view
        self._source: SlideSource | None = None
        self._loader: TileLoader | None = None
        self.requested: list[TileKey] = []

    def request(self, bounds: Sequence[Bounds]) -> None:
        """Decode the visible tiles of a review view of each of ``bounds`` (in order)."""
        source = self._view.source()
        if source is None:
            self.close()
            return
        if source is not self._source or self._loader is None:
            self.close()
            self._source = source
            self._loader = TileLoader(
                Argb32Tiles(source),  # the view's cache holds display-order tiles
                self._view.tile_cache,
                lambda _key: None,  # not on screen yet: nothing to repaint
                workers=WORKERS,
                on_error=lambda _key, _exc: None,  # the view reports it if it is shown
                nice=LOADER_NICE,
            )
        w, h = self._view.width(), self._view.height()
        keys: list[TileKey] = []
        for b in bounds:
            view = frame_bounds(b, w, h)
            keys += view_tiles(source.info, source.slide_id, view, w, h, speculative=False)
        self.requested = keys
        self._loader.request(keys)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """For tests and benchmarks: until the requested tiles are read."""
        return self._loader is None or self._loader.wait_idle(timeout)

    def close(self) -> None:
        if self._loader is not None:
            self._loader.shutdown(wait=False)
        self._loader, self._source = None, None


__all__ = ["AHEAD", "NextTiles"]
