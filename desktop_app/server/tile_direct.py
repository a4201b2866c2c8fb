"""Serving a slide's stored JPEG tiles as they are, when a normalized tier is a stored level.

A normalized tile (cytomine-api.md section 6: 256 px, zoom 0 = smallest tier, tiers
halve with ceil, ``ty`` from the top) whose tier has exactly the size of a stored TIFF
level tiled in 256 x 256 JPEG *is* that level's tile: the bytes on disk (plus the
level's JPEGTables, if the tiles are abbreviated streams) form a complete JPEG, so the
server sends them without decoding or encoding anything.  That is level 0 always, and
with 2x pyramids every level.

Only where that is known to be exact:

* the slide is one OpenSlide reads as a plain tiled TIFF (vendor ``aperio`` or
  ``generic-tiff``): no overlapping tiles (Ventana), no sparse-tile background
  (Philips), no vendor colour handling;
* chunky 8-bit 3-sample YCbCr JPEG (photometric 6): a standalone JPEG decodes to the
  same colours.  RGB-photometric JPEG tiles (no colour transform; a decoder would need
  an Adobe marker to know) go through the decode path;
* the tile lies fully inside both the tier and the stored level: edge tiles of a
  normalized tier are smaller than 256 px, stored edge tiles are padded to 256 px.

Everything else returns ``None`` and the caller decodes with OpenSlide.
"""

from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from tifffile import TiffPage

TILE = 256
_DIRECT_VENDORS = frozenset({"aperio", "generic-tiff"})
_JPEG = 7
_YCBCR = 6
_SOI = b"\xff\xd8"


@dataclass(frozen=True, slots=True)
class StoredLevel:
    width: int
    height: int
    across: int
    offsets: np.ndarray
    counts: np.ndarray
    #: JPEGTables without its trailing EOI (b"" if the tiles are complete streams).
    tables: bytes


class StoredTiles:
    """The 256-px YCbCr JPEG levels of one slide file, keyed by (width, height)."""

    def __init__(
        self, path: str, vendor: str | None, level_dimensions: tuple[tuple[int, int], ...]
    ) -> None:
        """``level_dimensions``: OpenSlide's levels; only pages of those sizes are used
        (tifffile-written pyramids, for one, have reduced pages OpenSlide does not treat
        as levels, and a page of matching size outside the pyramid must not be served)."""
        self.path = path
        self.levels: dict[tuple[int, int], StoredLevel] = {}
        self._fd: int | None = None
        self._lock = threading.Lock()
        if vendor not in _DIRECT_VENDORS:
            return
        wanted = {(int(w), int(h)) for w, h in level_dimensions}
        try:
            import tifffile  # heavy: loaded by the first slide that has a direct path

            with tifffile.TiffFile(path) as tif:
                for page in tif.pages:
                    if not isinstance(page, tifffile.TiffPage):
                        continue  # a TiffFrame: a page sharing another's tags
                    level = _level(page)
                    if level is not None and (level.width, level.height) in wanted:
                        self.levels.setdefault((level.width, level.height), level)
        except Exception:  # any surprise: no direct path, decode instead
            self.levels = {}
        if self.levels:
            self._fd = os.open(path, os.O_RDONLY)

    def tile(self, width: int, height: int, d: int, tx: int, ty: int) -> bytes | None:
        """The stored JPEG for tile (tx, ty) of the tier ``width / d``, or ``None``.

        The tier is ``ceil(width / d)`` wide; a stored level ``floor(width / d)`` wide
        (Aperio's rounding) holds the same pixels for every tile but the last column.
        """
        if self._fd is None:
            return None
        level = self.levels.get((-(-width // d), -(-height // d)))
        if level is None:
            level = self.levels.get((width // d, height // d))
        if level is None:
            return None
        if (tx + 1) * TILE > level.width or (ty + 1) * TILE > level.height:
            return None  # an edge tile: the normalized one is smaller than the stored one
        i = ty * level.across + tx
        count = int(level.counts[i])
        if count <= 0:
            return None
        raw = os.pread(self._fd, count, int(level.offsets[i]))
        if len(raw) != count or not raw.startswith(_SOI):
            return None
        return level.tables + raw[2:] if level.tables else raw

    def read(self, level_w: int, level_h: int, x: int, y: int, w: int, h: int) -> np.ndarray | None:
        """Pixels (h, w, 3) of the stored level ``level_w x level_h`` at (x, y), both
        multiples of 256, decoded from its JPEG tiles with libjpeg-turbo (imagecodecs):
        ~0.25 ms a tile, against ~8 ms for OpenSlide's ``read_region`` of 512 x 512.
        ``None`` if the level is not stored here or a tile is missing."""
        if self._fd is None or x % TILE or y % TILE:
            return None
        level = self.levels.get((level_w, level_h))
        if level is None:
            return None
        import imagecodecs  # heavy (native codecs): loaded by the first direct read

        w, h = min(w, level.width - x), min(h, level.height - y)
        if w <= 0 or h <= 0:
            return None
        out = np.empty((h, w, 3), np.uint8)
        for row in range(y // TILE, (y + h - 1) // TILE + 1):
            for col in range(x // TILE, (x + w - 1) // TILE + 1):
                i = row * level.across + col
                count = int(level.counts[i])
                if count <= 0:
                    return None
                raw = os.pread(self._fd, count, int(level.offsets[i]))
                data = level.tables + raw[2:] if level.tables else raw
                try:
                    px = imagecodecs.jpeg8_decode(data)
                except Exception:  # let OpenSlide try (and report)
                    return None
                if px.ndim != 3 or px.shape[2] != 3:
                    return None
                oy, ox = row * TILE - y, col * TILE - x
                ph, pw = min(TILE, h - oy), min(TILE, w - ox)
                out[oy : oy + ph, ox : ox + pw] = px[:ph, :pw]
        return out

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


def _level(page: TiffPage) -> StoredLevel | None:
    try:
        ok = (
            page.is_tiled
            and page.tilewidth == TILE
            and page.tilelength == TILE
            and page.tiledepth == 1
            and page.imagedepth == 1
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
        across = math.ceil(w / TILE)
        if len(offsets) != across * math.ceil(h / TILE) or len(counts) != len(offsets):
            return None
        tables = bytes(page.jpegtables or b"")
        if tables:
            if not (tables.startswith(_SOI) and tables.endswith(b"\xff\xd9")):
                return None
            tables = tables[:-2]
        return StoredLevel(w, h, across, offsets, counts, tables)
    except Exception:  # an odd page is simply not served directly
        return None


def box_reduce(rgb: np.ndarray, f: int) -> np.ndarray:
    """Downscale an (h, w, 3) uint8 image by an integer factor ``f`` with a box filter.

    Partial blocks at the right/bottom edge average only the pixels they have (edge
    replication, which gives that mean for the missing ones).
    """
    if f == 1:
        return rgb
    h, w = rgb.shape[:2]
    ph, pw = (-h) % f, (-w) % f
    if ph or pw:
        rgb = np.pad(rgb, ((0, ph), (0, pw), (0, 0)), mode="edge")
    if f == 2:
        a = rgb.astype(np.uint16)
        s = a[0::2, 0::2] + a[1::2, 0::2] + a[0::2, 1::2] + a[1::2, 1::2]
        return ((s + 2) >> 2).astype(np.uint8)
    hh, ww = rgb.shape[0] // f, rgb.shape[1] // f
    s = rgb.reshape(hh, f, ww, f, 3).sum(axis=(1, 3), dtype=np.uint32)
    return ((s + (f * f) // 2) // (f * f)).astype(np.uint8)
