"""Normalized tiles: the stored-JPEG path and the decode path give OpenSlide's pixels."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import openslide
import pytest
from PIL import Image

from desktop_app.server.slides import TILE, SlideCache, max_zoom
from desktop_app.server.tile_direct import box_reduce
from tests.server.harness import Client, Server


def _decode(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(np.int16)


def _reference(path: Path, zoom: int, tx: int, ty: int) -> np.ndarray:
    """The tile as OpenSlide's level-0 pixels box-averaged by the tier's downsample."""
    with openslide.OpenSlide(str(path)) as s:
        w, h = s.dimensions
        d = 2 ** (max_zoom(w, h) - zoom)
        tier_w, tier_h = math.ceil(w / d), math.ceil(h / d)
        tw, th = min(TILE, tier_w - tx * TILE), min(TILE, tier_h - ty * TILE)
        x0, y0 = tx * TILE * d, ty * TILE * d
        rw, rh = min(tw * d, w - x0), min(th * d, h - y0)
        rgba = np.asarray(s.read_region((x0, y0), 0, (rw, rh)))
    out = box_reduce(np.ascontiguousarray(rgba[..., :3]), d)[:th, :tw]
    return out.astype(np.int16)


def test_direct_jpeg_tile_is_read_region(slide_path: Path) -> None:
    """Level 0 interior tile: served from the file's bytes, equal to OpenSlide's pixels."""
    cache = SlideCache()
    try:
        stored = cache.stored(str(slide_path))
        assert stored is not None and stored.levels, "synthetic SVS: stored levels expected"
        with openslide.OpenSlide(str(slide_path)) as s:
            w, h = s.dimensions
        mz = max_zoom(w, h)
        direct = stored.tile(w, h, 1, 1, 1)
        assert direct is not None and direct.startswith(b"\xff\xd8")
        assert cache.tile(str(slide_path), w, h, mz, 1, 1, "jpg") == direct
        got, ref = _decode(direct), _reference(slide_path, mz, 1, 1)
        assert got.shape == ref.shape == (TILE, TILE, 3)
        # Same JPEG stream decoded by two libjpeg builds: equal up to IDCT rounding.
        assert np.abs(got - ref).max() <= 2
        # An edge tile (narrower than 256 px) is not served directly but decoded.
        last = (w - 1) // TILE
        assert stored.tile(w, h, 1, last, 0) is None
        edge = _decode(cache.tile(str(slide_path), w, h, mz, last, 0, "jpg"))
        assert edge.shape == (TILE, w - last * TILE, 3)
    finally:
        cache.close()


@pytest.mark.parametrize("zoom_from_top", [1, 2, 3])
def test_decoded_tiles_match_openslide(slide_path: Path, zoom_from_top: int) -> None:
    """Reduced tiers (box-reduced from a stored level) stay within JPEG error of level 0."""
    cache = SlideCache()
    try:
        with openslide.OpenSlide(str(slide_path)) as s:
            w, h = s.dimensions
        zoom = max_zoom(w, h) - zoom_from_top
        if zoom < 0:
            pytest.skip("slide too small")
        for tx, ty in ((0, 0), (math.ceil(math.ceil(w / 2**zoom_from_top) / TILE) - 1, 0)):
            got = _decode(cache.tile(str(slide_path), w, h, zoom, tx, ty, "jpg"))
            ref = _reference(slide_path, zoom, tx, ty)
            assert got.shape == ref.shape
            assert np.abs(got - ref).mean() < 4.0
            png = _decode(cache.tile(str(slide_path), w, h, zoom, tx, ty, "png"))
            assert png.shape == ref.shape
    finally:
        cache.close()


def test_tile_etag_and_304(server: Server, world: dict[str, int]) -> None:
    c = server.client("alice")
    url = f"/api/imageinstance/{world['image']}/normalized-tile/zoom/0/tx/0/ty/0.jpg"
    r = c.get(url)
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    etag = r.headers["etag"]
    assert "max-age" in r.headers["cache-control"]
    r2 = c.get(url, headers={"if-none-match": etag})
    assert r2.status_code == 304 and not r2.content
    assert r2.headers["etag"] == etag
    # No signature, no tile and no 304 either.
    anon = Client(server.base, None)
    assert anon.get(url, headers={"if-none-match": etag}).status_code == 401
