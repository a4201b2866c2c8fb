"""The references the viewer bench compares against, without Qt: raw OpenSlide
``read_region`` (the issue's reference), the slide layer's own tile reader, and the
TileLoader alone.  Kept apart so the bench module holds the scenarios only."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from desktop_app.slide.argb32 import Argb32Tiles
from desktop_app.slide.cache import TileCache
from desktop_app.slide.loader import TileLoader
from desktop_app.slide.openslide_source import open_slide
from desktop_app.slide.source import TileKey
from desktop_app.ui.viewer.loading import LOADER_NICE


def tiles_reader(
    read: Callable[[int, int], object], tiles: list[tuple[int, int]], seconds: float, workers: int
) -> tuple[float, float]:
    """``read(col, row)`` in ``workers`` threads for ``seconds`` over ``tiles`` (level 0,
    in order, from the start again if they run out); (tiles/s, process CPU ms/tile)."""
    counter = [0]
    stop = time.perf_counter() + seconds
    lock = threading.Lock()

    def work(_worker: int) -> None:
        while time.perf_counter() < stop:
            with lock:
                tile = tiles[counter[0] % len(tiles)]
                counter[0] += 1
            read(*tile)

    t0, c0 = time.perf_counter(), time.process_time()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(work, range(workers)))
    cpu_ms = (time.process_time() - c0) / max(1, counter[0]) * 1e3
    return counter[0] / (time.perf_counter() - t0), cpu_ms


def raw_throughput(
    path: Path, tiles: list[tuple[int, int]], seconds: float, workers: int
) -> tuple[float, float]:
    """The issue's reference: raw OpenSlide ``read_region`` of the level-0 tiles the
    viewer loaded while panning, in the same order and thread count; (tiles/s, process
    CPU ms per tile)."""
    import openslide

    slide = openslide.OpenSlide(str(path))
    result = tiles_reader(
        lambda c, r: slide.read_region((c * 256, r * 256), 0, (256, 256)), tiles, seconds, workers
    )
    slide.close()
    return result


def source_throughput(
    path: Path, tiles: list[tuple[int, int]], seconds: float, workers: int
) -> float:
    """``OpenSlideSource.read_tile_argb32`` (what the viewer's loader calls, incl. the
    direct-JPEG fast path) on the same tiles and threads as ``raw_throughput``: the
    ceiling for the viewer, where ``raw_throughput`` is the issue's reference."""
    source = open_slide(path)
    sid = source.slide_id
    rate, _cpu = tiles_reader(
        lambda c, r: source.read_tile_argb32(TileKey(sid, 0, c, r)), tiles, seconds, workers
    )
    source.close()
    return rate


def loader_throughput(path: Path, seconds: float, workers: int, budget: int) -> float:
    """The slide layer's TileLoader alone (no UI), given more tiles than it can read in
    ``seconds``: where the viewer's loss is not."""
    source = open_slide(path)
    done = [0]
    lock = threading.Lock()

    def ready(_key: TileKey) -> None:
        with lock:
            done[0] += 1

    keys = [TileKey(source.slide_id, 0, c, r) for r in range(100, 200) for c in range(390)]
    loader = TileLoader(
        Argb32Tiles(source), TileCache(budget), ready, workers=workers, nice=LOADER_NICE
    )
    t0 = time.perf_counter()
    loader.request(keys)
    while time.perf_counter() - t0 < seconds and loader.pending:
        time.sleep(0.05)
    rate = done[0] / (time.perf_counter() - t0)
    loader.shutdown()
    source.close()
    return rate
