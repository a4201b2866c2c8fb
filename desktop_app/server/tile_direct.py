"""Serving a slide's stored JPEG tiles as they are, when a normalized tier is a stored level.

A normalized tile (cytomine-api.md section 6: 256 px, zoom 0 = smallest tier, tiers
halve with ceil, ``ty`` from the top) whose tier has exactly the size of a stored TIFF
level tiled in 256 x 256 JPEG *is* that level's tile: the bytes on disk (plus the
level's JPEGTables, if the tiles are abbreviated streams) form a complete JPEG, so the
server sends them without decoding or encoding anything.  That is level 0 always, and
with 2x pyramids every level.

Only where that is known to be exact: the levels ``slide.jpeg_tiles.JpegTileFile``
(the reader the viewer uses too) reads directly, and a tile lying fully inside both the
tier and the stored level (edge tiles of a normalized tier are smaller than 256 px,
stored edge tiles are padded to 256 px).

Everything else returns ``None`` and the caller decodes with OpenSlide.
"""

from __future__ import annotations

import numpy as np

from desktop_app.slide.jpeg_tiles import JpegTileFile

TILE = 256


class StoredTiles:
    """The 256-px YCbCr JPEG levels of one slide file, keyed by (width, height)."""

    def __init__(
        self, path: str, vendor: str | None, level_dimensions: tuple[tuple[int, int], ...]
    ) -> None:
        """``level_dimensions``: OpenSlide's levels; only pages of those sizes are used."""
        self.path = path
        self._file = JpegTileFile(path, vendor, level_dimensions, TILE)
        self.levels = self._file.levels

    def tile(self, width: int, height: int, d: int, tx: int, ty: int) -> bytes | None:
        """The stored JPEG for tile (tx, ty) of the tier ``width / d``, or ``None``.

        The tier is ``ceil(width / d)`` wide; a stored level ``floor(width / d)`` wide
        (Aperio's rounding) holds the same pixels for every tile but the last column.
        """
        level = self._file.level(-(-width // d), -(-height // d))
        if level is None:
            level = self._file.level(width // d, height // d)
        if level is None:
            return None
        if (tx + 1) * TILE > level.width or (ty + 1) * TILE > level.height:
            return None  # an edge tile: the normalized one is smaller than the stored one
        return self._file.stream(level, tx, ty)

    def read(self, level_w: int, level_h: int, x: int, y: int, w: int, h: int) -> np.ndarray | None:
        """Pixels (h, w, 3) of the stored level ``level_w x level_h`` at (x, y), both
        multiples of 256, decoded from its JPEG tiles with libjpeg-turbo (imagecodecs):
        ~0.25 ms a tile, against ~8 ms for OpenSlide's ``read_region`` of 512 x 512.
        ``None`` if the level is not stored here or a tile is missing."""
        if x % TILE or y % TILE:
            return None
        level = self._file.level(level_w, level_h)
        if level is None:
            return None
        import imagecodecs  # heavy (native codecs): loaded by the first direct read

        w, h = min(w, level.width - x), min(h, level.height - y)
        if w <= 0 or h <= 0:
            return None
        out = np.empty((h, w, 3), np.uint8)
        for row in range(y // TILE, (y + h - 1) // TILE + 1):
            for col in range(x // TILE, (x + w - 1) // TILE + 1):
                data = self._file.stream(level, col, row)
                if data is None:
                    return None
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
        self._file.close()


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
