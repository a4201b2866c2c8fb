"""Download for offline: the original file (resumable) or tiles down to a magnification."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop_app.model.image import AbstractImage, ImageInstance
from desktop_app.slide.disk_cache import DiskTileCache
from desktop_app.slide.openslide_source import OpenSlideSource
from desktop_app.slide.remote_source import RemoteSlideSource
from desktop_app.slide.source import SlideError, TileKey
from desktop_app.store.uow import Store
from desktop_app.sync.slides import download as slide_download
from desktop_app.sync.slides.sources import (
    DownloadCancelled,
    download_for_offline,
    source_for_image,
)
from tests.sync.proxy import FaultProxy
from tests.sync_slides.conftest import World, checkout_image, make_client, sha256_of


def _path_of(store: Store, pk: int) -> str | None:
    with store.read() as s:
        return s.scalar(
            select(AbstractImage.path)
            .join(ImageInstance, ImageInstance.base_image_pk == AbstractImage.pk)
            .where(ImageInstance.pk == pk)
        )


def test_file_mode_gives_the_identical_file(store: Store, world: World, tmp_path: Path) -> None:
    client = make_client(world)
    pk = checkout_image(store, client, world)
    seen: list[tuple[int, int]] = []
    result = download_for_offline(
        client,
        store,
        pk,
        mode="file",
        slides_dir=tmp_path / "slides",
        progress=lambda d, t: seen.append((d, t)),
    )
    assert result.path is not None and sha256_of(result.path) == world.sha256
    assert result.path.parent.parent == tmp_path / "slides"
    assert _path_of(store, pk) == str(result.path)
    assert seen and seen[-1][0] == world.slide.stat().st_size
    src = source_for_image(
        store, pk, tiles=DiskTileCache(tmp_path / "t"), client_factory=lambda: client
    )
    assert isinstance(src, OpenSlideSource)
    src.close()
    again = download_for_offline(client, store, pk, mode="file", slides_dir=tmp_path / "slides")
    assert again.path == result.path  # already there: nothing downloaded


def test_file_mode_resumes_with_range(
    store: Store, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(slide_download, "_CHUNK", 16 * 1024)  # several chunks for a small slide
    client = make_client(world)
    pk = checkout_image(store, client, world)
    original = world.slide.read_bytes()
    cancel = threading.Event()
    with pytest.raises(DownloadCancelled):
        download_for_offline(
            client,
            store,
            pk,
            mode="file",
            slides_dir=tmp_path / "s",
            cancel=cancel,
            progress=lambda d, t: cancel.set(),
        )
    parts = list((tmp_path / "s").rglob("*.part"))
    assert len(parts) == 1 and 0 < parts[0].stat().st_size < len(original)
    assert _path_of(store, pk) is None
    # make the partial file clearly partial, then resume: only the rest is transferred
    keep = len(original) // 3
    parts[0].write_bytes(original[:keep])
    firsts: list[int] = []
    result = download_for_offline(
        client,
        store,
        pk,
        mode="file",
        slides_dir=tmp_path / "s",
        progress=lambda d, t: firsts.append(d),
    )
    assert firsts[0] <= len(original) and firsts[0] > keep  # counting started at the offset
    assert result.path is not None and sha256_of(result.path) == world.sha256
    assert not parts[0].exists()


def test_tiles_mode_then_offline(
    store: Store, world: World, tmp_path: Path, proxy: FaultProxy
) -> None:
    client = make_client(world, proxy.base)
    pk = checkout_image(store, client, world)
    done: list[int] = []
    tiles = DiskTileCache(tmp_path / "tiles")  # the test owns it, as the app does
    result = download_for_offline(
        client,
        store,
        pk,
        mode="tiles",
        tiles=tiles,
        magnification=20,
        workers=3,
        progress=lambda d, t: done.append(d),
    )
    # 20x of a 40x slide: levels 1..3 = 3x2 + 2x1 + 1x1 tiles
    assert (result.total, result.fetched, result.skipped) == (9, 9, 0)
    assert sorted(done) == list(range(1, 10))
    again = download_for_offline(client, store, pk, mode="tiles", tiles=tiles, magnification=20)
    assert (again.fetched, again.skipped) == (0, 9)  # resumable: nothing fetched twice
    proxy.stop()
    src = source_for_image(store, pk, tiles=tiles, client_factory=lambda: client)
    assert isinstance(src, RemoteSlideSource)
    assert src.available_offline()["complete"] is True
    region = src.read_region(1, 0, 0, 600, 450)  # the whole slide at 20x, offline
    assert region.shape == (450, 600, 4) and (region[:, :, 3] == 255).all()
    with pytest.raises(SlideError, match="offline"):
        src.read_tile(TileKey(src.slide_id, 0, 0, 0))  # 40x was not downloaded


def test_tiles_mode_offline_error_is_resumable(
    store: Store, world: World, tmp_path: Path, proxy: FaultProxy
) -> None:
    client = make_client(world, proxy.base)
    pk = checkout_image(store, client, world)
    proxy.stop()
    with pytest.raises(SlideError, match="offline"):
        download_for_offline(client, store, pk, mode="tiles", tiles=DiskTileCache(tmp_path / "t"))
