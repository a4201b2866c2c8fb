"""The on-disk tile cache alone (no server): byte budget, LRU order, pinning, recovery."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

from desktop_app.slide.disk_cache import DiskTileCache, looks_like_jpeg
from desktop_app.slide.pyramid import decode_tile
from desktop_app.slide.remote_source import OfflineError, RemoteSlideSource, remote_info
from desktop_app.slide.source import SlideError, TileKey
from desktop_app.slide.synth import encode_jpeg


def _jpeg(n: int = 0) -> bytes:
    img = np.full((256, 256, 3), n % 256, np.uint8)
    return encode_jpeg(img)


def test_lru_eviction_by_bytes(tmp_path: Path) -> None:
    data = _jpeg()
    cache = DiskTileCache(tmp_path, max_bytes=3 * len(data))
    for i in range(3):
        cache.put("s", 0, i, 0, data)
    assert cache.get("s", 0, 0, 0) == data  # tile 0 becomes the most recent
    cache.put("s", 0, 3, 0, data)  # over budget: the least recently used (tile 1) goes
    assert cache.get("s", 0, 1, 0) is None
    assert all(cache.has("s", 0, i, 0) for i in (0, 2, 3))
    assert cache.bytes_used == 3 * len(data)


def test_restart_rebuilds_order_from_mtime_and_sweeps_temp_files(tmp_path: Path) -> None:
    data = _jpeg()
    first = DiskTileCache(tmp_path, max_bytes=10 * len(data))
    for i in range(3):
        first.put("s", 1, i, 0, data)
        os.utime(first.tile_path("s", 1, i, 0), (time.time() - 100 + i, time.time() - 100 + i))
    os.utime(first.tile_path("s", 1, 0, 0))  # tile 0 used last
    stale = first.tile_path("s", 1, 9, 9).with_name(".9_9.jpg.abc.tmp")
    stale.write_bytes(b"half")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    again = DiskTileCache(tmp_path, max_bytes=2 * len(data))  # smaller budget after restart
    assert again.bytes_used == 2 * len(data)
    assert not again.has("s", 1, 1, 0)  # the oldest went first
    assert again.has("s", 1, 0, 0) and again.has("s", 1, 2, 0)
    assert not stale.exists()


def test_pinned_slides_are_never_evicted(tmp_path: Path) -> None:
    data = _jpeg()
    cache = DiskTileCache(tmp_path, max_bytes=len(data))
    cache.pin("kept", {"finest_level": 0})
    for i in range(4):
        cache.put("kept", 0, i, 0, data)
    cache.put("stream", 0, 0, 0, data)
    cache.put("stream", 0, 1, 0, data)
    assert all(cache.has("kept", 0, i, 0) for i in range(4))
    assert not cache.has("stream", 0, 0, 0) and cache.has("stream", 0, 1, 0)
    cache.unpin("kept")  # back in the budget: evicted down to it
    assert cache.bytes_used <= len(data)


def test_truncated_file_is_detected(tmp_path: Path) -> None:
    data = _jpeg()
    assert looks_like_jpeg(data) and not looks_like_jpeg(data[:-10])
    cache = DiskTileCache(tmp_path)
    cache.put("s", 0, 0, 0, data)
    cache.tile_path("s", 0, 0, 0).write_bytes(data[:100])
    assert cache.get("s", 0, 0, 0) is None
    assert not cache.tile_path("s", 0, 0, 0).exists()


def test_unsafe_slide_ids_are_refused(tmp_path: Path) -> None:
    cache = DiskTileCache(tmp_path)
    for bad in ("../x", "a/b", "", ".hidden"):
        with pytest.raises(ValueError):
            cache.tile_path(bad, 0, 0, 0)


def test_remote_source_with_a_fake_server(tmp_path: Path) -> None:
    """Level/zoom mapping, edge tiles, offline fallback and fail-fast, without HTTP."""
    info = remote_info(600, 300, mpp_x=0.5)
    calls: list[tuple[int, int, int]] = []
    online = {"up": True}

    def fetch(z: int, tx: int, ty: int) -> bytes:
        calls.append((z, tx, ty))
        if not online["up"]:
            raise OfflineError("down")
        w = 256 if z == 2 and tx < 2 else (600 - 512 if z == 2 else 150 if z == 0 else 256)
        h = 256 if z == 2 and ty == 0 else (300 - 256 if z == 2 else 75 if z == 0 else 150)
        return encode_jpeg(np.full((h, w, 3), 10 * z + tx, np.uint8))

    src = RemoteSlideSource(info, "fake", fetch, DiskTileCache(tmp_path), retry_after=60)
    assert src.info.level_dimensions == ((600, 300), (300, 150), (150, 75))
    assert src.info.objective_power == 20
    edge = src.read_tile(TileKey("fake", 0, 2, 1))
    assert edge.shape == (44, 88, 4) and calls == [(2, 2, 1)]
    assert decode_tile(src.disk_cache.get("fake", 2, 2, 1) or b"").shape == (44, 88, 4)
    online["up"] = False
    assert np.array_equal(src.read_tile(TileKey("fake", 0, 2, 1)), edge)  # from disk
    with pytest.raises(SlideError, match="offline"):
        src.read_tile(TileKey("fake", 2, 0, 0))
    n = len(calls)
    with pytest.raises(SlideError, match="offline"):
        src.read_tile(TileKey("fake", 1, 0, 0))
    assert len(calls) == n  # failed fast, no new attempt until retry_after
    online["up"] = True
    src.retry_now()
    assert src.read_tile(TileKey("fake", 2, 0, 0)).shape == (75, 150, 4)


def test_tile_loader_drives_the_remote_source(tmp_path: Path) -> None:
    """The viewer's loader reads a remote source like any other; offline misses are
    reported as errors (the view keeps the coarser level), not crashes."""
    from desktop_app.slide.cache import TileCache
    from desktop_app.slide.loader import TileLoader

    def fetch(z: int, tx: int, ty: int) -> bytes:
        if z == 0:  # the smallest tier = our level 1
            raise OfflineError("down")
        return encode_jpeg(np.full((150, 256 if tx == 0 else 44, 3), 9, np.uint8))

    src = RemoteSlideSource(
        remote_info(300, 150), "loader", fetch, DiskTileCache(tmp_path), retry_after=0
    )
    errors: list[TileKey] = []
    with TileLoader(
        src, TileCache(), lambda k: None, workers=2, on_error=lambda k, e: errors.append(k)
    ) as loader:
        loader.request(
            [TileKey("loader", 1, 0, 0), TileKey("loader", 0, 0, 0), TileKey("loader", 0, 1, 0)]
        )
        assert loader.wait_idle(10)
    assert errors == [TileKey("loader", 1, 0, 0)]


def test_a_cache_is_its_owners_alone(tmp_path: Path) -> None:
    """No process-wide cache per folder: what is shared is the object an owner hands to
    its writers.  Two sources of one owner (the viewer's and a prefetch's) keep one byte
    count and evict across each other; another owner's cache, of another folder or even
    of the same one, has its own budget and count."""
    data = _jpeg(7)

    def fetch(z: int, tx: int, ty: int) -> bytes:
        return data

    owned = DiskTileCache(tmp_path / "app", max_bytes=3 * len(data))
    viewer = RemoteSlideSource(remote_info(1024, 256), "s", fetch, owned, retry_after=0)
    prefetch = RemoteSlideSource(remote_info(1024, 256), "s", fetch, owned, retry_after=0)
    assert viewer.disk_cache is owned and prefetch.disk_cache is owned
    zoom = viewer.zoom_of(0)
    viewer.read_tile(TileKey("s", 0, 0, 0))
    viewer.read_tile(TileKey("s", 0, 1, 0))
    prefetch.read_tile(TileKey("s", 0, 2, 0))
    prefetch.read_tile(TileKey("s", 0, 3, 0))  # the 4th tile of a 3-tile budget
    assert owned.bytes_used == 3 * len(data)
    assert not owned.tile_path("s", zoom, 0, 0).exists()  # the viewer's oldest went
    assert all(owned.has("s", zoom, i, 0) for i in (1, 2, 3))

    other = DiskTileCache(tmp_path / "other", max_bytes=len(data))
    RemoteSlideSource(remote_info(1024, 256), "s", fetch, other, retry_after=0).read_tile(
        TileKey("s", 0, 0, 0)
    )
    assert other.bytes_used == len(data) and owned.bytes_used == 3 * len(data)
    assert all(owned.has("s", zoom, i, 0) for i in (1, 2, 3))  # nothing evicted for it

    second_owner = DiskTileCache(tmp_path / "app", max_bytes=len(data))
    assert second_owner is not owned and owned.max_bytes == 3 * len(data)
    assert owned.bytes_used == 3 * len(data)
