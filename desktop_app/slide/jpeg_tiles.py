"""A slide file's stored JPEG tiles, read directly: the one reader of the viewer and server.

Where a pyramid level of a plain tiled TIFF (OpenSlide vendor ``aperio`` or
``generic-tiff``: no overlapping tiles, no sparse-tile background, no vendor colour
handling) is stored as chunky 8-bit 3-sample YCbCr JPEG tiles, each tile's bytes (with
the level's JPEGTables, if the tiles are abbreviated streams) form a complete JPEG that
decodes to what OpenSlide shows.  The viewer decodes them with libjpeg-turbo instead of
asking OpenSlide (``slide.openslide_source``); the server sends them as they are, or
decodes them for its reduced tiers (``server.tile_direct``).  RGB-photometric JPEG
tiles (a decoder would need an Adobe marker to know there is no colour transform) and
everything else stay with OpenSlide.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

#: OpenSlide vendors whose levels are the TIFF pages as stored.
DIRECT_VENDORS = frozenset({"aperio", "generic-tiff"})
_JPEG = 7
_YCBCR = 6
_SOI = b"\xff\xd8"
_EOI = b"\xff\xd9"


@dataclass(frozen=True, slots=True)
class JpegLevel:
    """One stored level: its size, tile grid and where each tile's bytes are."""

    width: int
    height: int
    tile: int
    across: int
    offsets: np.ndarray
    counts: np.ndarray
    #: JPEGTables without its trailing EOI (b"" if the tiles are complete streams).
    tables: bytes


def _level(page: Any, tile: int) -> JpegLevel | None:
    """The page as a ``JpegLevel`` if its tiles can be read directly, else None."""
    try:
        ok = (
            page.is_tiled
            and page.tilewidth == tile
            and page.tilelength == tile
            and getattr(page, "tiledepth", 1) == 1
            and getattr(page, "imagedepth", 1) == 1
            and int(page.compression) == _JPEG
            and int(page.photometric) == _YCBCR
            and page.samplesperpixel == 3
            and page.bitspersample == 8
            and int(page.planarconfig) == 1
        )
        if not ok:
            return None
        w, h = int(page.imagewidth), int(page.imagelength)
        offsets = np.asarray(page.dataoffsets, np.int64)
        counts = np.asarray(page.databytecounts, np.int64)
        across = -(-w // tile)
        if len(offsets) != across * -(-h // tile) or len(counts) != len(offsets):
            return None
        tables = bytes(page.jpegtables or b"")
        if tables:
            if not (tables.startswith(_SOI) and tables.endswith(_EOI)):
                return None
            tables = tables[:-2]
        return JpegLevel(w, h, tile, across, offsets, counts, tables)
    except Exception:  # an odd page is simply not read directly
        return None


class JpegTileFile:
    """The directly readable JPEG levels of one slide file, keyed by (width, height).

    ``sizes``: OpenSlide's level sizes; only pages of those sizes are used, and only a
    size held by exactly one tiled page (tifffile-written pyramids, for one, have
    reduced pages OpenSlide does not treat as levels; a page of matching size outside
    the pyramid must not be read).  Reads are ``os.pread`` on one descriptor, safe
    from any thread.
    """

    def __init__(
        self, path: str | os.PathLike[str], vendor: str | None, sizes: Iterable[tuple[int, int]],
        tile: int = 256,
    ) -> None:  # fmt: skip
        self.path = Path(path)
        self.levels: dict[tuple[int, int], JpegLevel] = {}
        self._fd = -1
        self._lock = threading.Lock()
        if vendor not in DIRECT_VENDORS:
            return
        wanted = {(int(w), int(h)) for w, h in sizes}
        try:
            import tifffile  # heavy: loaded by the first slide that may have direct reads

            with tifffile.TiffFile(str(path)) as tif:
                pages: dict[tuple[int, int], list[Any]] = {}
                for page in tif.pages:
                    if isinstance(page, tifffile.TiffPage) and page.is_tiled:
                        size = (int(page.imagewidth), int(page.imagelength))
                        pages.setdefault(size, []).append(page)
                for size in wanted:
                    found = pages.get(size, [])
                    level = _level(found[0], tile) if len(found) == 1 else None
                    if level is not None:
                        self.levels[size] = level
        except Exception:  # any surprise: no direct reads, OpenSlide instead
            self.levels = {}
        if self.levels:
            self._fd = os.open(path, os.O_RDONLY)

    def level(self, width: int, height: int) -> JpegLevel | None:
        return self.levels.get((width, height))

    def stream(self, level: JpegLevel, col: int, row: int) -> bytes | None:
        """Tile (col, row) of ``level`` as one complete JPEG, or None: a sparse tile
        (OpenSlide renders it transparent), a closed file or bytes that are no JPEG."""
        if self._fd < 0 or not (0 <= col < level.across):
            return None
        i = row * level.across + col
        if not 0 <= i < len(level.offsets):
            return None
        offset, count = int(level.offsets[i]), int(level.counts[i])
        if count <= 0 or offset <= 0:
            return None
        raw = os.pread(self._fd, count, offset)
        if len(raw) != count or not raw.startswith(_SOI):
            return None
        return level.tables + raw[2:] if level.tables else raw

    def close(self) -> None:
        with self._lock:
            if self._fd >= 0:
                fd, self._fd = self._fd, -1
                os.close(fd)
