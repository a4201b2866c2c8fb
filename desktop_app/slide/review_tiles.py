"""The tiles a review needs before the reviewer gets there, and keeping them offline.

Review mode shows each annotation centred and framed (:func:`frame_bounds`, the rule
the workbench's ``zoom_to`` uses), so the tiles of the annotations still to come are
known in advance: :func:`view_tiles` lists every tile the viewer may ask for at such a
view — the coarsest level (overview and fallback), the visible tiles at the level
drawn, the ring around them and the neighbouring levels the viewer prefetches — so a
review prepared with :func:`prepare_offline` asks the network for nothing.

No Qt here: the review mode runs these on worker threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from desktop_app.slide import tiling
from desktop_app.slide.remote_source import RemoteSlideSource
from desktop_app.slide.source import SlideInfo, TileKey

Bounds = tuple[float, float, float, float]  # min_x, min_y, max_x, max_y (level-0 pixels)
View = tuple[float, float, float]  # centre x, centre y, downsample
#: Bytes assumed per tile before any of the slide is on disk (a 256² JPEG of tissue).
DEFAULT_TILE_BYTES = 16_000


def frame_bounds(bounds: Bounds, view_w: int, view_h: int) -> View:
    """Centre and downsample that show ``bounds`` filling about two thirds of the view."""
    x0, y0, x1, y1 = bounds
    w, h = max(view_w, 1), max(view_h, 1)
    ds = max((x1 - x0) / w, (y1 - y0) / h, 0.25) * 1.5
    return (x0 + x1) / 2, (y0 + y1) / 2, ds


def view_tiles(
    info: SlideInfo,
    slide_id: str,
    view: View,
    view_w: int,
    view_h: int,
    *,
    speculative: bool = True,
) -> list[TileKey]:
    """Tiles the viewer asks for at ``view``: visible (centre first), then with
    ``speculative`` the ring, the coarser and finer levels under it, then the overview."""
    cx, cy, ds = view
    half_w, half_h = view_w * ds / 2, view_h * ds / 2
    x0, y0, x1, y1 = cx - half_w, cy - half_h, cx + half_w, cy + half_h
    level = tiling.best_level(info, ds)
    keys = tiling.visible_tiles(info, level, x0, y0, x1, y1, slide_id=slide_id)
    if speculative:
        keys += tiling.ring_tiles(info, level, x0, y0, x1, y1, slide_id=slide_id)
        for finer in (False, True):
            keys += tiling.neighbour_level_tiles(
                info, level, x0, y0, x1, y1, slide_id=slide_id, finer=finer
            )
        coarsest = info.level_count - 1
        keys += tiling.visible_tiles(
            info, coarsest, 0, 0, info.width, info.height, slide_id=slide_id
        )
    return list(dict.fromkeys(keys))


def queue_tiles(
    info: SlideInfo, slide_id: str, bounds: Iterable[Bounds], view_w: int, view_h: int
) -> list[TileKey]:
    """Every tile a review of ``bounds`` (in queue order) may need, each once."""
    out: dict[TileKey, None] = {}
    for b in bounds:
        out.update(
            dict.fromkeys(
                view_tiles(info, slide_id, frame_bounds(b, view_w, view_h), view_w, view_h)
            )
        )
    return list(out)


@dataclass(frozen=True, slots=True)
class OfflinePlan:
    """What preparing a review queue would download (shown before it starts)."""

    keys: tuple[TileKey, ...]
    missing: int  # tiles not on disk yet
    estimated_bytes: int  # of the missing tiles

    @property
    def total(self) -> int:
        return len(self.keys)


def _on_disk(source: RemoteSlideSource, key: TileKey) -> bool:
    return source.disk_cache.has(source.slide_id, source.zoom_of(key.level), key.col, key.row)


def _mean_tile_bytes(source: RemoteSlideSource, present: Sequence[TileKey]) -> int:
    sizes = []
    for key in present[:200]:
        path = source.disk_cache.tile_path(
            source.slide_id, source.zoom_of(key.level), key.col, key.row
        )
        try:
            sizes.append(path.stat().st_size)
        except OSError:
            continue
    return int(sum(sizes) / len(sizes)) if sizes else DEFAULT_TILE_BYTES


def plan_offline(source: RemoteSlideSource, keys: Sequence[TileKey]) -> OfflinePlan:
    """How many of ``keys`` are missing on disk and about how many bytes they weigh
    (the mean size of the slide's tiles already here, else a typical JPEG tile)."""
    present = [k for k in keys if _on_disk(source, k)]
    missing = len(keys) - len(present)
    return OfflinePlan(tuple(keys), missing, missing * _mean_tile_bytes(source, present))


def prepare_offline(
    source: RemoteSlideSource,
    plan: OfflinePlan,
    *,
    workers: int = 4,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> int:
    """Fetch the plan's missing tiles to disk and keep them there; returns tiles fetched.

    The slide is pinned (its tiles leave the evictable budget) with what was prepared
    recorded; a full ``download --tiles`` record is kept as it is. The first failure
    (offline, refused) stops the others and is raised; tiles fetched so far stay.
    """
    cache, sid = source.disk_cache, source.slide_id
    meta = cache.pin_info(sid)
    if meta is None or not meta.get("complete"):
        meta = {**(meta or {}), "complete": False, "review_tiles": plan.total}
        meta.setdefault("finest_level", source.info.level_count - 1)
    cache.pin(sid, meta)
    source.retry_now()
    stop = cancel or threading.Event()
    lock = threading.Lock()
    todo = iter(plan.keys)
    done, fetched, failure = [0], [0], []

    def worker() -> None:
        while not stop.is_set():
            with lock:
                key = next(todo, None)
            if key is None:
                return
            try:
                if not _on_disk(source, key):
                    source.read_tile(key)
                    with lock:
                        fetched[0] += 1
            except BaseException as exc:  # the first failure stops everyone
                with lock:
                    failure.append(exc)
                stop.set()
                return
            with lock:
                done[0] += 1
                n = done[0]
            if progress is not None:
                progress(n, plan.total)

    with ThreadPoolExecutor(max(1, workers), thread_name_prefix="review-prefetch") as pool:
        for future in [pool.submit(worker) for _ in range(max(1, workers))]:
            future.result()
    if failure:
        raise failure[0]
    return fetched[0]


__all__ = [
    "OfflinePlan",
    "frame_bounds",
    "plan_offline",
    "prepare_offline",
    "queue_tiles",
    "view_tiles",
]
