"""Level choice and view -> tile geometry."""

from __future__ import annotations

import math

import pytest

from desktop_app.slide.source import SlideInfo, TileKey
from desktop_app.slide.tiling import (
    best_level,
    neighbour_level_tiles,
    ring_tiles,
    tile_grid,
    tile_level_rect,
    tile_rect,
    visible_tiles,
)

INFO = SlideInfo(
    width=10000,
    height=7000,
    level_dimensions=((10000, 7000), (2500, 1750), (625, 437)),
    level_downsamples=(1.0, 4.0, 16.01830663615561),
    mpp_x=0.25,
    mpp_y=0.25,
    objective_power=40,
    vendor="aperio",
    associated_images=(),
)


@pytest.mark.parametrize(
    ("ds", "level"),
    [(0.25, 0), (1.0, 0), (3.99, 0), (4.0, 1), (15.9, 1), (16.02, 2), (32, 2), (1e6, 2)],
)
def test_best_level_is_finest_not_coarser_than_requested(ds: float, level: int) -> None:
    assert best_level(INFO, ds) == level


def test_tile_geometry() -> None:
    assert tile_grid(INFO, 0) == (40, 28)
    assert tile_grid(INFO, 2) == (3, 2)
    edge = TileKey("s", 0, 39, 27)
    assert tile_level_rect(INFO, edge) == (9984, 6912, 16, 88)
    x, y, w, h = tile_rect(INFO, TileKey("s", 1, 2, 3))
    assert (x, y, w, h) == (2048.0, 3072.0, 1024.0, 1024.0)


def test_visible_tiles_cover_the_view_centre_first() -> None:
    tiles = visible_tiles(INFO, 0, 1000, 1000, 2000, 1600, slide_id="s")
    cells = {(t.col, t.row) for t in tiles}
    assert cells == {(c, r) for c in range(3, 8) for r in range(3, 7)}
    assert all(t.slide_id == "s" and t.level == 0 for t in tiles)
    centre = (1500 / 256, 1300 / 256)

    def dist(t: TileKey) -> float:
        return math.hypot(t.col + 0.5 - centre[0], t.row + 0.5 - centre[1])

    distances = [dist(t) for t in tiles]
    assert distances == sorted(distances)


def test_visible_tiles_clip_to_the_level_and_use_level_space() -> None:
    tiles = visible_tiles(INFO, 1, -5000, -5000, 50000, 50000)
    assert len(tiles) == 10 * 7
    one = visible_tiles(INFO, 2, 0, 0, 100, 100)
    assert [(t.col, t.row) for t in one] == [(0, 0)]
    assert visible_tiles(INFO, 0, 20000, 20000, 30000, 30000) == []


def test_ring_surrounds_without_overlap() -> None:
    view = (1000, 1000, 2000, 1600)
    vis = set(visible_tiles(INFO, 0, *view))
    ring = ring_tiles(INFO, 0, *view)
    assert not vis & set(ring)
    assert {(t.col, t.row) for t in ring} == {(c, r) for c in range(2, 9) for r in range(2, 8)} - {
        (t.col, t.row) for t in vis
    }
    corner = ring_tiles(INFO, 0, 0, 0, 256, 256)
    assert {(t.col, t.row) for t in corner} == {(1, 0), (0, 1), (1, 1)}


def test_neighbour_levels() -> None:
    finer = neighbour_level_tiles(INFO, 1, 0, 0, 1024, 1024, finer=True)
    assert {t.level for t in finer} == {0} and len(finer) == 16
    assert neighbour_level_tiles(INFO, 2, 0, 0, 10, 10, finer=False) == []
