"""A byte-bounded, thread-safe LRU cache of decoded tiles (``core.lru.ByteLRU``).

Bounded by bytes rather than entries because tiles differ in size (edge tiles, and
sources that return other tile sizes), and the budget users care about is memory.
Loader threads ``put`` while the UI thread ``get``s; the critical sections are dict
operations only, never decoding.
"""

from __future__ import annotations

from desktop_app.core.lru import ByteLRU
from desktop_app.slide.source import RGBA, TileKey

DEFAULT_MAX_BYTES = 512 * 1024 * 1024


def _nbytes(tile: RGBA) -> int:
    return int(tile.nbytes)


class TileCache(ByteLRU[TileKey, RGBA]):
    """LRU of ``TileKey -> RGBA array``; evicts least recently used tiles beyond
    ``max_bytes`` (an item larger than the whole budget is not stored)."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        super().__init__(max_bytes, _nbytes)

    def contains(self, key: TileKey) -> bool:
        """Whether ``key`` is cached (does not count as a use)."""
        return key in self

    def discard(self, key: TileKey) -> None:
        self.pop(key)

    def discard_slide(self, slide_id: str) -> None:
        """Drop every tile of one slide (e.g. when it is closed or changed on disk)."""
        self.discard_where(lambda key: key.slide_id == slide_id)
