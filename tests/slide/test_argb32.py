"""Display-order (ARGB32) tiles: the layout, glass compositing, and the fast path."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from desktop_app.slide.argb32 import Argb32Tiles, argb32_to_rgba, rgba_to_argb32
from desktop_app.slide.openslide_source import OpenSlideSource
from desktop_app.slide.source import TileKey


def test_opaque_pixels_keep_their_colour_in_native_argb_words() -> None:
    rng = np.random.default_rng(1)
    rgba = rng.integers(0, 256, (7, 5, 4), dtype=np.uint8)
    rgba[..., 3] = 255
    argb = rgba_to_argb32(rgba)
    assert argb.shape == rgba.shape and argb.dtype == np.uint8 and argb.flags["C_CONTIGUOUS"]
    word = int(argb[2, 3].view(np.uint32)[0])
    r, g, b = (int(c) for c in rgba[2, 3, :3])
    assert word == 0xFF000000 | r << 16 | g << 8 | b
    if sys.byteorder == "little":  # what QImage.Format_RGB32 expects in memory
        assert list(argb[2, 3]) == [b, g, r, 255]
    assert (argb32_to_rgba(argb) == rgba).all()


def test_transparent_pixels_are_composited_over_white_glass() -> None:
    rgba = np.zeros((1, 3, 4), np.uint8)
    rgba[0, 0] = (10, 20, 30, 0)  # unscanned: glass
    rgba[0, 1] = (0, 0, 0, 128)  # half-covered black: mid-grey
    rgba[0, 2] = (200, 100, 50, 255)
    back = argb32_to_rgba(rgba_to_argb32(rgba))
    assert list(back[0, 0]) == [255, 255, 255, 255]
    assert list(back[0, 1]) == [127, 127, 127, 255]
    assert list(back[0, 2]) == [200, 100, 50, 255]


@pytest.mark.parametrize("fast", [True, False])
def test_read_tile_argb32_is_read_tile_in_display_order(
    svs_source: OpenSlideSource, fast: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not fast:
        monkeypatch.setattr(svs_source, "_fast", None)
    info = svs_source.info
    for level in range(info.level_count):
        for key in (
            TileKey(svs_source.slide_id, level, 0, 0),
            TileKey(
                svs_source.slide_id,
                level,
                (info.level_dimensions[level][0] - 1) // info.tile_size,  # edge tile
                (info.level_dimensions[level][1] - 1) // info.tile_size,
            ),
        ):
            expected = rgba_to_argb32(svs_source.read_tile(key))
            got = svs_source.read_tile_argb32(key)
            assert got.shape == expected.shape and got.flags["C_CONTIGUOUS"]
            assert np.abs(got.astype(int) - expected.astype(int)).max() == 0, key


class PlainSource:
    """A source without ``read_tile_argb32`` (like a remote source)."""

    def __init__(self, inner: OpenSlideSource) -> None:
        self.inner = inner
        self.slide_id = inner.slide_id
        self.info = inner.info

    def read_tile(self, key: TileKey) -> np.ndarray:
        return self.inner.read_tile(key)


def test_adapter_uses_the_source_s_own_layout_or_converts(svs_source: OpenSlideSource) -> None:
    key = TileKey(svs_source.slide_id, 0, 1, 1)
    direct = Argb32Tiles(svs_source)
    converted = Argb32Tiles(PlainSource(svs_source))  # type: ignore[arg-type]
    assert direct.slide_id == svs_source.slide_id and direct.info == svs_source.info
    assert (direct.read_tile(key) == converted.read_tile(key)).all()
    assert (argb32_to_rgba(direct.read_tile(key)) == svs_source.read_tile(key)).all()
    direct.close()  # the wrapped source is the caller's: still readable
    svs_source.read_tile(key)
