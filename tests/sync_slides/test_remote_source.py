"""The remote source against the real server: pixels, disk cache, offline, damaged tiles."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from desktop_app.slide.disk_cache import DiskTileCache
from desktop_app.slide.openslide_source import open_slide
from desktop_app.slide.remote_source import RemoteSlideSource
from desktop_app.slide.source import SlideError, TileKey
from desktop_app.store.uow import Store
from desktop_app.sync.slides.sources import source_for_image
from tests.sync.proxy import FaultProxy
from tests.sync_slides.conftest import HEIGHT, WIDTH, World, checkout_image, make_client


def _reference(world: World, level: int, col: int, row: int, w: int, h: int) -> np.ndarray:
    """What the tile should show: the level-0 pixels it covers, box-averaged."""
    d = 2**level
    with open_slide(world.slide) as s:
        x0, y0 = col * 256 * d, row * 256 * d
        rw, rh = min(w * d, WIDTH - x0), min(h * d, HEIGHT - y0)
        px = s.read_region(0, x0, y0, rw, rh)[:, :, :3].astype(np.float64)
    full = np.zeros((h * d, w * d, 3))
    full[:rh, :rw] = px
    full[rh:, :] = full[rh - 1 : rh, :] if rh < h * d else 0  # edge stretch, approximately
    full[:, rw:] = full[:, rw - 1 : rw] if rw < w * d else 0
    return full.reshape(h, d, w, d, 3).mean(axis=(1, 3))


def _remote(store: Store, world: World, tmp: Path, base: str | None = None) -> RemoteSlideSource:
    client = make_client(world, base)
    pk = checkout_image(store, client, world)
    src = source_for_image(
        store, pk, tiles=DiskTileCache(tmp / "tiles"), client_factory=lambda: client
    )
    assert isinstance(src, RemoteSlideSource)
    return src


def test_levels_follow_the_normalized_pyramid(store: Store, world: World, tmp_path: Path) -> None:
    src = _remote(store, world, tmp_path)
    info = src.info
    assert (info.width, info.height) == (WIDTH, HEIGHT)
    assert info.level_dimensions == ((1200, 900), (600, 450), (300, 225), (150, 113))
    assert info.level_downsamples == (1.0, 2.0, 4.0, 8.0)
    assert info.mpp_x == pytest.approx(0.25)
    assert info.objective_power == 40


def test_tiles_match_the_slide(store: Store, world: World, tmp_path: Path) -> None:
    src = _remote(store, world, tmp_path)
    for level, col, row in [
        (0, 0, 0),
        (0, 4, 3),
        (0, 2, 1),
        (1, 1, 1),
        (1, 2, 0),
        (2, 0, 0),
        (3, 0, 0),
    ]:
        tile = src.read_tile(TileKey(src.slide_id, level, col, row))
        h, w = tile.shape[:2]
        assert (w, h) == src.tile_size_at(level, col, row)
        assert (tile[:, :, 3] == 255).all()
        ref = _reference(world, level, col, row, w, h)
        # interior only: the server stretches partial edge tiles slightly
        mae = np.abs(tile[:-2, :-2, :3].astype(np.float64) - ref[:-2, :-2]).mean()
        assert mae < 4.0, (level, col, row, mae)


def test_read_region_composes_tiles(store: Store, world: World, tmp_path: Path) -> None:
    src = _remote(store, world, tmp_path)
    region = src.read_region(0, 200, 100, 400, 300)  # spans 3x2 tiles
    with open_slide(world.slide) as local:
        ref = local.read_region(0, 200, 100, 400, 300)
    assert region.shape == (300, 400, 4)
    assert np.abs(region[:, :, :3].astype(int) - ref[:, :, :3].astype(int)).mean() < 3.0
    outside = src.read_region(1, 1100, 800, 200, 200)  # level-1 coords 550,400: half outside
    assert (outside[:50, :50, 3] == 255).all() and (outside[60:, 60:, 3] == 0).all()


def test_disk_cache_serves_tiles_offline(
    store: Store, world: World, tmp_path: Path, proxy: FaultProxy
) -> None:
    src = _remote(store, world, tmp_path, proxy.base)
    seen = TileKey(src.slide_id, 1, 0, 0)
    online = src.read_tile(seen)
    assert src.fetched == 1
    proxy.stop()  # the network is gone
    # a new source (as after a restart) on the same folder, same base URL
    src2 = _remote_again(store, world, tmp_path, proxy.base)
    assert np.array_equal(src2.read_tile(seen), online)
    assert src2.fetched == 0 and src2.disk_hits == 1
    # The message says how to keep the tiles, with the image's number (its server id).
    keep = f"workstation download {world.image} --tiles"
    with pytest.raises(SlideError, match="offline") as first:
        src2.read_tile(TileKey(src.slide_id, 0, 3, 3))
    assert keep in str(first.value)
    assert src2.offline
    with pytest.raises(SlideError, match="offline") as again:  # fails fast, no new connection
        src2.read_tile(TileKey(src.slide_id, 0, 2, 2))
    assert keep in str(again.value)


def _remote_again(store: Store, world: World, tmp: Path, base: str) -> RemoteSlideSource:
    client = make_client(world, base)
    from sqlalchemy import select

    from desktop_app.model.image import ImageInstance

    with store.read() as s:
        pk = s.scalar(select(ImageInstance.pk).where(ImageInstance.server_id == world.image))
    src = source_for_image(
        store, int(pk), tiles=DiskTileCache(tmp / "tiles"), client_factory=lambda: client
    )
    assert isinstance(src, RemoteSlideSource)
    return src


def test_damaged_cached_tile_is_refetched(store: Store, world: World, tmp_path: Path) -> None:
    src = _remote(store, world, tmp_path)
    key = TileKey(src.slide_id, 0, 1, 1)
    good = src.read_tile(key)
    path = src.disk_cache.tile_path(src.slide_id, src.zoom_of(0), 1, 1)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # truncated
    assert np.array_equal(src.read_tile(key), good)
    assert src.fetched == 2 and path.read_bytes() == data
    path.write_bytes(data[:2] + bytes(len(data) - 4) + data[-2:])  # markers intact, body zeros
    assert np.array_equal(src.read_tile(key), good)
    assert src.fetched == 3 and path.read_bytes() == data


def test_local_file_wins(store: Store, world: World, tmp_path: Path) -> None:
    client = make_client(world)
    pk = checkout_image(store, client, world)
    from desktop_app.model.image import AbstractImage, ImageInstance

    with store.unit_of_work(undoable=False) as uow:
        inst = uow.session.get(ImageInstance, pk)
        uow.session.get(AbstractImage, inst.base_image_pk).path = str(world.slide)

    def no_client() -> None:
        raise AssertionError("a local file must not need the server")

    src = source_for_image(store, pk, tiles=DiskTileCache(tmp_path / "t"), client_factory=no_client)  # type: ignore[arg-type]
    assert not isinstance(src, RemoteSlideSource)
    src.close()
