"""One byte-bounded, thread-safe LRU for every in-memory cache of the application.

Decoded tiles (``slide.cache``), display images (``ui.viewer.tile_images``), home
thumbnails (``ui.home.thumbnails``) and the server's encoded tiles and open slides
(``server.slides``) all keep "the most recently used values, up to a budget".  The
budget is bytes because values differ in size and memory is what users care about;
a cache of handles counts each as ``size`` 1 (its budget is then a number of handles).

The lock makes it safe for loader threads to ``put`` while the UI thread ``get``s; the
critical sections are dict operations only.  ``on_evict`` (closing a handle) runs
outside the lock.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from enum import Enum
from typing import Final, Generic, Literal, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
D = TypeVar("D")


class _Missing(Enum):
    """The absent-value marker: an enum member, so ``is _MISSING`` narrows the type."""

    MISSING = "missing"


_MISSING: Final = _Missing.MISSING


class ByteLRU(Generic[K, V]):
    """LRU of ``K -> V`` holding at most ``max_bytes`` by ``size(value)``.

    A value larger than the whole budget is not stored.  ``hits`` and ``misses``
    count ``get`` calls (``peek`` and ``in`` do not count, nor mark a use).
    """

    def __init__(
        self,
        max_bytes: int,
        size: Callable[[V], int],
        on_evict: Callable[[K, V], None] | None = None,
    ) -> None:
        if max_bytes < 0:
            raise ValueError("max_bytes must be >= 0")
        self._max = max_bytes
        self._size = size
        self._on_evict = on_evict
        self._items: OrderedDict[K, V] = OrderedDict()
        self._sizes: dict[K, int] = {}
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

    def keys(self) -> list[K]:
        """A snapshot of the keys, least recently used first."""
        with self._lock:
            return list(self._items)

    def __iter__(self) -> Iterator[K]:
        return iter(self.keys())

    def get(self, key: K, default: D | None = None) -> V | D | None:
        """The value (marking it most recently used), or ``default``."""
        with self._lock:
            value: V | Literal[_Missing.MISSING] = self._items.get(key, _MISSING)
            if value is _MISSING:
                self.misses += 1
                return default
            self._items.move_to_end(key)
            self.hits += 1
            return value

    def peek(self, key: K, default: D | None = None) -> V | D | None:
        """The value without marking a use or counting a hit."""
        with self._lock:
            value: V | Literal[_Missing.MISSING] = self._items.get(key, _MISSING)
        return default if value is _MISSING else value

    def put(self, key: K, value: V) -> None:
        """Store ``value`` as most recently used, evicting the oldest values to fit."""
        size = int(self._size(value))
        with self._lock:
            self._remove_locked(key)
            evicted: list[tuple[K, V]] = []
            if size <= self._max:
                self._items[key] = value
                self._sizes[key] = size
                self._bytes += size
                evicted = self._shrink_locked()
        self._evicted(evicted)

    def pop(self, key: K) -> V | None:
        """Remove ``key`` (no ``on_evict``: the caller has the value)."""
        with self._lock:
            return self._remove_locked(key)

    def discard_where(self, predicate: Callable[[K], bool]) -> None:
        """Remove every key for which ``predicate`` holds (``on_evict`` runs for each)."""
        with self._lock:
            gone = [(k, self._items[k]) for k in self._items if predicate(k)]
            for k, _ in gone:
                self._remove_locked(k)
        self._evicted(gone)

    def clear(self) -> None:
        with self._lock:
            gone = list(self._items.items())
            self._items.clear()
            self._sizes.clear()
            self._bytes = 0
        self._evicted(gone)

    def set_max_bytes(self, max_bytes: int) -> None:
        """Change the budget, evicting at once if it shrank."""
        if max_bytes < 0:
            raise ValueError("max_bytes must be >= 0")
        with self._lock:
            self._max = max_bytes
            evicted = self._shrink_locked()
        self._evicted(evicted)

    def _remove_locked(self, key: K) -> V | None:
        value = self._items.pop(key, None)
        if value is not None or key in self._sizes:
            self._bytes -= self._sizes.pop(key)
        return value

    def _shrink_locked(self) -> list[tuple[K, V]]:
        evicted = []
        while self._bytes > self._max and self._items:
            key, value = self._items.popitem(last=False)
            self._bytes -= self._sizes.pop(key)
            evicted.append((key, value))
        return evicted

    def _evicted(self, items: list[tuple[K, V]]) -> None:
        if self._on_evict is not None:
            for key, value in items:
                self._on_evict(key, value)
