"""Tile geometry: which pyramid level to draw and which level-space tiles a view needs.

Kept free of Qt and of any source so the viewer, the server's tile endpoint and the
benchmarks agree on one definition of "tile (level, col, row)": a ``tile_size`` square
of *level* pixels starting at ``(col * tile_size, row * tile_size)`` in that level,
smaller at the right and bottom edges.  Views are given as level-0 rectangles.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from desktop_app.slide.source import SlideInfo, TileKey

Rect = tuple[float, float, float, float]  # x, y, width, height (level-0 pixels)


def best_level(info: SlideInfo, downsample: float) -> int:
    """The finest level whose downsample is <= ``downsample`` (OpenSlide's
    ``get_best_level_for_downsample``): never upsample a coarser level when a finer one
    exists, and use level 0 when zoomed in beyond 1:1."""
    best = 0
    for level, ds in enumerate(info.level_downsamples):
        if ds <= downsample + 1e-9:
            best = level
        else:
            break
    return best


def tile_grid(info: SlideInfo, level: int) -> tuple[int, int]:
    """``(cols, rows)`` of tiles at ``level``."""
    lw, lh = info.level_dimensions[level]
    ts = info.tile_size
    return -(-lw // ts), -(-lh // ts)


def tile_level_rect(info: SlideInfo, key: TileKey) -> tuple[int, int, int, int]:
    """``(x, y, w, h)`` of the tile in its own level's pixels (edge tiles are smaller)."""
    lw, lh = info.level_dimensions[key.level]
    ts = info.tile_size
    x, y = key.col * ts, key.row * ts
    return x, y, max(0, min(ts, lw - x)), max(0, min(ts, lh - y))


def tile_rect(info: SlideInfo, key: TileKey) -> Rect:
    """The level-0 rectangle a tile covers (floats: level downsamples need not be whole)."""
    ds = info.level_downsamples[key.level]
    x, y, w, h = tile_level_rect(info, key)
    return x * ds, y * ds, w * ds, h * ds


def tile_range(
    info: SlideInfo, level: int, x0: float, y0: float, x1: float, y1: float, margin: int = 0
) -> tuple[int, int, int, int]:
    """Inclusive ``(c0, r0, c1, r1)`` of tiles touching the level-0 rect, grown by
    ``margin`` tiles and clipped to the level; empty when c1 < c0 or r1 < r0."""
    ds = info.level_downsamples[level]
    ts = info.tile_size
    cols, rows = tile_grid(info, level)
    lx0, ly0 = min(x0, x1) / ds, min(y0, y1) / ds
    lx1, ly1 = max(x0, x1) / ds, max(y0, y1) / ds
    c0 = max(0, math.floor(lx0 / ts) - margin)
    r0 = max(0, math.floor(ly0 / ts) - margin)
    c1 = min(cols - 1, math.ceil(lx1 / ts) - 1 + margin)
    r1 = min(rows - 1, math.ceil(ly1 / ts) - 1 + margin)
    if lx1 <= lx0 or ly1 <= ly0:  # a degenerate view still needs the tile it sits on
        c1, r1 = max(c1, c0), max(r1, r0)
    return c0, r0, c1, r1


def _centre_out(
    info: SlideInfo, level: int, cells: Iterable[tuple[int, int]], cx: float, cy: float, sid: str
) -> list[TileKey]:
    """Tiles sorted by distance of their centre from ``(cx, cy)`` (level pixels); ties
    broken by row then column so the order is deterministic."""
    ts = info.tile_size

    def distance(cell: tuple[int, int]) -> tuple[float, int, int]:
        col, row = cell
        dx = (col + 0.5) * ts - cx
        dy = (row + 0.5) * ts - cy
        return (dx * dx + dy * dy, row, col)

    return [TileKey(sid, level, c, r) for c, r in sorted(cells, key=distance)]


def visible_tiles(
    info: SlideInfo,
    level: int,
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    *,
    slide_id: str = "",
) -> list[TileKey]:
    """Tiles of ``level`` covering the level-0 rect ``(x0, y0)-(x1, y1)``, nearest the
    view's centre first (what the user looks at should load first)."""
    c0, r0, c1, r1 = tile_range(info, level, x0, y0, x1, y1, margin=0)
    ds = info.level_downsamples[level]
    cells = [(c, r) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]
    return _centre_out(info, level, cells, (x0 + x1) / 2 / ds, (y0 + y1) / 2 / ds, slide_id)


def ring_tiles(
    info: SlideInfo,
    level: int,
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    *,
    slide_id: str = "",
    width: int = 1,
) -> list[TileKey]:
    """The ring of tiles ``width`` tiles around the visible ones (prefetch for panning),
    nearest first; never includes a visible tile."""
    v0c, v0r, v1c, v1r = tile_range(info, level, x0, y0, x1, y1, margin=0)
    c0, r0, c1, r1 = tile_range(info, level, x0, y0, x1, y1, margin=width)
    ds = info.level_downsamples[level]
    cells = [
        (c, r)
        for r in range(r0, r1 + 1)
        for c in range(c0, c1 + 1)
        if not (v0c <= c <= v1c and v0r <= r <= v1r)
    ]
    return _centre_out(info, level, cells, (x0 + x1) / 2 / ds, (y0 + y1) / 2 / ds, slide_id)


def neighbour_level_tiles(
    info: SlideInfo,
    level: int,
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    *,
    slide_id: str = "",
    finer: bool = True,
) -> list[TileKey]:
    """Visible tiles of the next finer (zoom-in) or coarser level, for prefetching.

    Returns ``[]`` when there is no such level; pass the result as ``prefetch`` to the
    loader after the ring.
    """
    other = level - 1 if finer else level + 1
    if not 0 <= other < info.level_count:
        return []
    return visible_tiles(info, other, x0, y0, x1, y1, slide_id=slide_id)
