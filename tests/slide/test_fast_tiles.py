"""The direct-JPEG fast path of ``OpenSlideSource.read_tile`` equals OpenSlide's pixels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from desktop_app.slide.openslide_source import open_slide
from desktop_app.slide.source import TileKey
from desktop_app.slide.synth import write_slide


@pytest.mark.parametrize("name", ["svs_path", "tiff_path"])
def test_fast_tiles_equal_openslide_on_every_level(
    name: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    path: Path = request.getfixturevalue(name)
    fast = open_slide(path)
    monkeypatch.setenv("WS_NO_FAST_TILES", "1")
    slow = open_slide(path)
    with fast, slow:
        assert fast.fast_levels, "the synthetic JPEG pyramid should take the fast path"
        assert slow.fast_levels == ()
        info = fast.info
        for level in range(info.level_count):
            lw, lh = info.level_dimensions[level]
            cols, rows = -(-lw // info.tile_size), -(-lh // info.tile_size)
            for col in range(cols):
                for row in range(rows):
                    a = fast.read_tile(TileKey(fast.slide_id, level, col, row))
                    b = slow.read_tile(TileKey(slow.slide_id, level, col, row))
                    assert a.shape == b.shape and a.dtype == np.uint8
                    assert a.flags["C_CONTIGUOUS"]
                    diff = np.abs(a.astype(np.int16) - b.astype(np.int16))
                    assert diff.max() <= 2, (level, col, row)  # JPEG decoder rounding


def test_levels_with_a_non_integer_downsample_take_the_fast_path(
    slide_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A level-0 width that 64 does not divide gives level 3 a downsample of 64.1: the
    rounded level-0 origins of its tiles map back to within 1/128 px of the corner,
    where OpenSlide returns the stored tile; the fast path must serve them all (the
    fitted view of a large slide shows exactly such a level) with OpenSlide's pixels."""
    path = write_slide(slide_dir / "odd_downsample.svs", 20_030, 16_500, fmt="svs", seed=5)
    fast = open_slide(path)
    monkeypatch.setenv("WS_NO_FAST_TILES", "1")
    slow = open_slide(path)
    with fast, slow:
        info = fast.info
        level = next(lv for lv, ds in enumerate(info.level_downsamples) if ds >= 64)
        ds = info.level_downsamples[level]
        assert ds != int(ds) and level in fast.fast_levels
        lw, lh = info.level_dimensions[level]
        cols, rows = -(-lw // info.tile_size), -(-lh // info.tile_size)
        assert cols * rows >= 4
        for col in range(cols):
            for row in range(rows):
                key = TileKey(fast.slide_id, level, col, row)
                x0, y0, w, h = fast.tile_origin(key)
                direct = fast._fast.read(key, x0, y0, w, h) if fast._fast else None
                assert direct is not None, (col, row, x0 / ds, y0 / ds)
                b = slow.read_tile(TileKey(slow.slide_id, level, col, row))
                diff = np.abs(direct.astype(np.int16) - b.astype(np.int16))
                assert diff.max() <= 2, (col, row)  # JPEG decoder rounding
