"""``SlideSource`` over a server's normalized tile pyramid, with an on-disk tile cache.

Why the bytes come through an injected ``fetch(zoom, tx, ty) -> bytes``: this package
must not know HTTP, keys or the sync client (layering), and tests can hand in any
callable.  ``fetch`` raises :class:`OfflineError` when the server cannot be reached
(tiles already on disk are then served, missing ones fail with a ``SlideError`` saying
"not available offline", so the viewer keeps the coarser level it has) and
``SlideError`` for a refusal (404, no rights).

The grid is Cytomine's "normalized" pyramid (cytomine-api.md section 6): tier k is
``ceil(w / 2^k) x ceil(h / 2^k)``, tiers stop when both sides fit 256 px, the server's
``zoom`` counts from the smallest tier (``zoom = max_zoom - level``) and ``ty`` from the
top.  Our levels are the tiers, so ``level_downsamples`` are exact powers of two.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from desktop_app.slide.disk_cache import DiskTileCache, atomic_write, looks_like_jpeg
from desktop_app.slide.pyramid import (
    TILE,
    decode_tile,
    level_for_magnification,
    max_zoom,
    normalized_levels,
    remote_info,
    slide_info_from_json,
)
from desktop_app.slide.source import RGBA, SlideError, SlideInfo, TileKey

log = logging.getLogger(__name__)

__all__ = [
    "Fetch",
    "OfflineError",
    "RemoteSlideSource",
    "decode_tile",
    "level_for_magnification",
    "max_zoom",
    "normalized_levels",
    "remote_info",
    "slide_info_from_json",
]

Fetch = Callable[[int, int, int], bytes]
FetchAssociated = Callable[[str], bytes]
Progress = Callable[[int, int], None]
#: After a failed fetch, missing tiles fail at once for this long instead of each
#: waiting for a network timeout (the viewer asks for dozens of tiles per frame).
RETRY_AFTER_S = 5.0


class OfflineError(SlideError):
    """``fetch`` could not reach the server (no network, server down, timeout)."""


class RemoteSlideSource:
    """A server slide read tile by tile; safe to share between loader threads."""

    def __init__(
        self,
        info: SlideInfo,
        slide_id: str,
        fetch: Fetch,
        cache: DiskTileCache,
        *,
        associated: FetchAssociated | None = None,
        retry_after: float = RETRY_AFTER_S,
        name: str | None = None,
        offline_hint: str = "",
    ) -> None:
        dims, downs = normalized_levels(info.width, info.height)
        self._info = dataclasses.replace(
            info, level_dimensions=dims, level_downsamples=downs, tile_size=TILE
        )
        self._cache = cache  # its owner's: shared with the other writers of its folder
        self._cache.slide_dir(slide_id)  # validates the id as a folder name
        self._id = slide_id
        self._fetch = fetch
        self._associated = associated
        self._retry_after = retry_after
        self._name = name or slide_id
        # Appended to "tile not available offline": how to keep the tiles (the caller
        # knows the image's number, this layer does not).
        self._offline_hint = f" ({offline_hint})" if offline_hint else ""
        self._max_zoom = len(dims) - 1
        self._lock = threading.Lock()
        self._offline_until = 0.0
        self._closed = False
        self.fetched = 0  # tiles read from the network
        self.disk_hits = 0

    @property
    def slide_id(self) -> str:
        return self._id

    @property
    def info(self) -> SlideInfo:
        return self._info

    @property
    def disk_cache(self) -> DiskTileCache:
        return self._cache

    @property
    def offline(self) -> bool:
        """True while a recent fetch failed (missing tiles fail fast until it expires)."""
        with self._lock:
            return time.monotonic() < self._offline_until

    def retry_now(self) -> None:
        """Forget the last network failure (e.g. the app saw the network come back)."""
        with self._lock:
            self._offline_until = 0.0

    def zoom_of(self, level: int) -> int:
        """Server ``zoom`` of one of our levels."""
        return self._max_zoom - level

    def tile_size_at(self, level: int, col: int, row: int) -> tuple[int, int]:
        """``(w, h)`` of a tile in level pixels; ``SlideError`` if outside the level."""
        if not 0 <= level < self._info.level_count:
            raise SlideError(f"{self._name} has no level {level}")
        lw, lh = self._info.level_dimensions[level]
        w, h = min(TILE, lw - col * TILE), min(TILE, lh - row * TILE)
        if col < 0 or row < 0 or w <= 0 or h <= 0:
            raise SlideError(f"tile {col},{row} is outside level {level}")
        return w, h

    # --- tiles -----------------------------------------------------------------------
    def read_tile(self, key: TileKey) -> RGBA:
        """One level-space tile, from the disk cache or else the server."""
        if key.slide_id != self._id:
            raise SlideError("tile requested from a different slide")
        if self._closed:
            raise SlideError(f"{self._name} is closed")
        w, h = self.tile_size_at(key.level, key.col, key.row)
        z = self.zoom_of(key.level)
        data = self._cache.get(self._id, z, key.col, key.row)
        if data is not None:
            tile = self._checked(data, w, h)
            if tile is not None:
                with self._lock:
                    self.disk_hits += 1
                return tile
            log.info(
                "cached tile %s z%s %s,%s is damaged: refetching", self._id, z, key.col, key.row
            )
            self._cache.discard(self._id, z, key.col, key.row)
        data = self._download(z, key.col, key.row)
        tile = self._checked(data, w, h)
        if tile is None:
            raise SlideError(f"{self._name}: the server sent a damaged tile")
        self._cache.put(self._id, z, key.col, key.row, data)
        return tile

    @staticmethod
    def _checked(data: bytes, w: int, h: int) -> RGBA | None:
        """Decoded tile if it is complete and of the expected size, else ``None``."""
        if data[:2] == b"\xff\xd8" and not looks_like_jpeg(data):
            return None
        try:
            tile = decode_tile(data)
        except SlideError:
            return None
        return tile if tile.shape[:2] == (h, w) else None

    def _download(self, z: int, tx: int, ty: int) -> bytes:
        with self._lock:
            if time.monotonic() < self._offline_until:
                raise SlideError(f"{self._name}: tile not available offline{self._offline_hint}")
        try:
            data = self._fetch(z, tx, ty)
        except OfflineError as exc:
            with self._lock:
                self._offline_until = time.monotonic() + self._retry_after
            raise SlideError(
                f"{self._name}: tile not available offline: {exc}{self._offline_hint}"
            ) from None
        with self._lock:
            self._offline_until = 0.0
            self.fetched += 1
        return data

    def read_region(self, level: int, x: int, y: int, width: int, height: int) -> RGBA:
        """Pixels of ``level`` whose top-left is the level-0 point ``(x, y)``, composed
        from tiles; outside the image is transparent (alpha 0), as with OpenSlide."""
        if not 0 <= level < self._info.level_count:
            raise SlideError(f"{self._name} has no level {level}")
        out = np.zeros((max(height, 0), max(width, 0), 4), np.uint8)
        if width <= 0 or height <= 0:
            return out
        ds = self._info.level_downsamples[level]
        lx, ly = math.floor(x / ds), math.floor(y / ds)
        lw, lh = self._info.level_dimensions[level]
        x0, y0 = max(lx, 0), max(ly, 0)
        x1, y1 = min(lx + width, lw), min(ly + height, lh)
        if x1 <= x0 or y1 <= y0:
            return out
        for row in range(y0 // TILE, (y1 - 1) // TILE + 1):
            for col in range(x0 // TILE, (x1 - 1) // TILE + 1):
                tile = self.read_tile(TileKey(self._id, level, col, row))
                tx0, ty0 = col * TILE, row * TILE
                sx0, sy0 = max(x0, tx0), max(y0, ty0)
                sx1 = min(x1, tx0 + tile.shape[1])
                sy1 = min(y1, ty0 + tile.shape[0])
                out[sy0 - ly : sy1 - ly, sx0 - lx : sx1 - lx] = tile[
                    sy0 - ty0 : sy1 - ty0, sx0 - tx0 : sx1 - tx0
                ]
        return out

    # --- offline download ------------------------------------------------------------
    def tiles_down_to(self, finest_level: int) -> Iterator[tuple[int, int, int]]:
        """``(level, col, row)`` of every tile from the coarsest level to ``finest_level``
        (coarse first: a partial download is still useful at low zoom)."""
        finest_level = max(0, min(finest_level, self._info.level_count - 1))
        for level in range(self._info.level_count - 1, finest_level - 1, -1):
            lw, lh = self._info.level_dimensions[level]
            for row in range(-(-lh // TILE)):
                for col in range(-(-lw // TILE)):
                    yield level, col, row

    def count_tiles_down_to(self, finest_level: int) -> int:
        finest_level = max(0, min(finest_level, self._info.level_count - 1))
        return sum(
            -(-lw // TILE) * -(-lh // TILE) for lw, lh in self._info.level_dimensions[finest_level:]
        )

    def prefetch(
        self,
        finest_level: int,
        *,
        workers: int = 4,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> tuple[int, int]:
        """Make every tile down to ``finest_level`` available offline and pin the slide
        (its tiles leave the evictable budget).  Resumable: tiles already on disk are
        skipped.  Returns ``(fetched, skipped)``; raises ``SlideError`` (offline or a
        refusal) after the running fetches stop, and stops early on ``cancel``."""
        total = self.count_tiles_down_to(finest_level)
        meta = {"finest_level": finest_level, "complete": False, "tiles": total}
        self._cache.pin(self._id, meta)
        self.retry_now()
        stop = cancel or threading.Event()
        failure: list[BaseException] = []
        counts = {"fetched": 0, "skipped": 0}
        lock = threading.Lock()
        cells = self.tiles_down_to(finest_level)

        def one(level: int, col: int, row: int) -> None:
            z = self.zoom_of(level)
            if self._cache.has(self._id, z, col, row):
                kind = "skipped"
            else:
                self.read_tile(TileKey(self._id, level, col, row))
                kind = "fetched"
            with lock:
                counts[kind] += 1
                done = counts["fetched"] + counts["skipped"]
            if progress is not None:
                progress(done, total)

        def worker() -> None:
            while not stop.is_set():
                with lock:
                    cell = next(cells, None)
                if cell is None:
                    return
                try:
                    one(*cell)
                except BaseException as exc:  # first failure stops everyone
                    with lock:
                        failure.append(exc)
                    stop.set()
                    return

        with ThreadPoolExecutor(max(1, workers), thread_name_prefix="tile-prefetch") as pool:
            for future in [pool.submit(worker) for _ in range(max(1, workers))]:
                future.result()
        if failure:
            raise failure[0]
        complete = counts["fetched"] + counts["skipped"] == total
        self._cache.pin(self._id, {**meta, "complete": complete})
        return counts["fetched"], counts["skipped"]

    def available_offline(self) -> dict[str, Any] | None:
        """What :meth:`prefetch` recorded (``finest_level``, ``complete``), or ``None``."""
        return self._cache.pin_info(self._id)

    # --- associated images -----------------------------------------------------------
    def associated_image(self, name: str) -> RGBA:
        """A label/macro/thumbnail image, fetched once and kept beside the tiles."""
        if name not in self._info.associated_images or self._associated is None:
            available = ", ".join(self._info.associated_images) or "none"
            raise SlideError(f"{self._name} has no {name!r} image (available: {available})")
        path = self._cache.slide_dir(self._id) / f"associated_{name}.jpg"
        try:
            cached = path.read_bytes()
            return decode_tile(cached)
        except (OSError, SlideError):
            pass
        try:
            data = self._associated(name)
        except OfflineError:
            raise SlideError(f"{self._name}: the {name} image is not available offline") from None
        image = decode_tile(data)
        atomic_write(path, data)
        return image

    def close(self) -> None:
        self._closed = True

    def __enter__(self) -> RemoteSlideSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
