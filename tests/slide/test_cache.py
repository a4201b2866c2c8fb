"""TileCache: byte budget, LRU order, thread safety."""

from __future__ import annotations

import threading

import numpy as np

from desktop_app.slide.cache import TileCache
from desktop_app.slide.source import TileKey


def tile(side: int = 16, value: int = 0) -> np.ndarray:
    return np.full((side, side, 4), value, np.uint8)  # 1 KiB for side 16


def key(i: int) -> TileKey:
    return TileKey("s", 0, i, 0)


def test_put_get_contains_bytes() -> None:
    cache = TileCache(10_000)
    cache.put(key(1), tile(value=7))
    assert cache.contains(key(1)) and key(1) in cache
    got = cache.get(key(1))
    assert got is not None and got[0, 0, 0] == 7
    assert cache.get(key(2)) is None
    assert cache.bytes_used == 1024 and len(cache) == 1
    cache.put(key(1), tile(32))  # replacing updates the byte count
    assert cache.bytes_used == 4096
    cache.clear()
    assert cache.bytes_used == 0 and len(cache) == 0


def test_evicts_least_recently_used_by_bytes() -> None:
    cache = TileCache(3 * 1024)
    for i in range(3):
        cache.put(key(i), tile())
    cache.get(key(0))  # 0 is now the most recent; 1 is the oldest
    cache.put(key(3), tile())
    assert not cache.contains(key(1))
    assert all(cache.contains(key(i)) for i in (0, 2, 3))
    cache.put(key(4), tile(32))  # 4 KiB > budget: not stored, nothing else lost
    assert not cache.contains(key(4)) and len(cache) == 3
    cache.put(key(5), tile(20))  # 1600 B: evicts the two oldest (2, then 0)
    assert cache.bytes_used <= 3 * 1024
    assert cache.contains(key(5)) and cache.contains(key(3))
    assert not cache.contains(key(0)) and not cache.contains(key(2))


def test_shrinking_budget_and_discard_slide() -> None:
    cache = TileCache(10 * 1024)
    for i in range(8):
        cache.put(key(i), tile())
    cache.put(TileKey("other", 0, 0, 0), tile())
    cache.discard_slide("other")
    assert len(cache) == 8
    cache.set_max_bytes(2 * 1024)
    assert len(cache) == 2 and cache.contains(key(7)) and cache.contains(key(6))


def test_concurrent_puts_keep_the_budget() -> None:
    cache = TileCache(50 * 1024)

    def writer(base: int) -> None:
        for i in range(500):
            cache.put(key(base + i), tile())
            cache.get(key(base + i // 2))

    threads = [threading.Thread(target=writer, args=(n * 1000,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert cache.bytes_used == len(cache) * 1024 <= 50 * 1024
