"""The direct-JPEG fast path of ``OpenSlideSource.read_tile`` equals OpenSlide's pixels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from desktop_app.slide.openslide_source import open_slide
from desktop_app.slide.source import TileKey


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
