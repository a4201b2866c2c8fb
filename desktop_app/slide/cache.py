"""A byte-bounded, thread-safe LRU cache of decoded tiles.

Bounded by bytes rather than entries because tiles differ in size (edge tiles, and
sources that return other tile sizes), and the budget users care about is memory.
Loader threads ``put`` while the UI thread ``get``s, hence the lock; the critical
sections are dict operations only, never decoding.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from desktop_app.slide.source import RGBA, TileKey

DEFAULT_MAX_BYTES = 512 * 1024 * 1024


class TileCache:
    """LRU of ``TileKey -> RGBA array``; evicts least recently used tiles beyond
    ``max_bytes`` (an item larger than the whole budget is not stored)."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        if max_bytes < 0:
            raise ValueError("max_bytes must be >= 0")
        self._max = max_bytes
        self._items: OrderedDict[TileKey, RGBA] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def max_bytes(self) -> int:
        return self._max

    @property
    def bytes_used(self) -> int:
        with self._lock:
            return self._bytes

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._items

    def contains(self, key: TileKey) -> bool:
        """Whether ``key`` is cached (does not count as a use)."""
        return key in self

    def get(self, key: TileKey) -> RGBA | None:
        """The cached tile (marking it most recently used), or ``None``."""
        with self._lock:
            tile = self._items.get(key)
            if tile is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return tile

    def put(self, key: TileKey, tile: RGBA) -> None:
        """Store ``tile`` as most recently used, evicting the oldest tiles to fit."""
        size = int(tile.nbytes)
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= int(old.nbytes)
            if size > self._max:
                return
            self._items[key] = tile
            self._bytes += size
            while self._bytes > self._max:
                _, evicted = self._items.popitem(last=False)
                self._bytes -= int(evicted.nbytes)

    def discard(self, key: TileKey) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= int(old.nbytes)

    def discard_slide(self, slide_id: str) -> None:
        """Drop every tile of one slide (e.g. when it is closed or changed on disk)."""
        with self._lock:
            for key in [k for k in self._items if k.slide_id == slide_id]:
                self._bytes -= int(self._items.pop(key).nbytes)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def set_max_bytes(self, max_bytes: int) -> None:
        """Change the budget (e.g. from settings), evicting immediately if it shrank."""
        if max_bytes < 0:
            raise ValueError("max_bytes must be >= 0")
        with self._lock:
            self._max = max_bytes
            while self._bytes > self._max and self._items:
                _, evicted = self._items.popitem(last=False)
                self._bytes -= int(evicted.nbytes)
