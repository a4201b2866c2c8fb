"""Decompression bombs for tests: small files declaring huge images (tifffile).

Every tile of the image is the same pre-compressed tile, written by reference to its
bytes, so a 20000 x 20000 image costs ~1.4 MB on disk and a few milliseconds to make.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import tifffile


def single_level_bomb(path: Path, size: int = 20000, tile: int = 256) -> Path:
    """A generic tiled TIFF with one ``size x size`` level and no pyramid."""
    raw = zlib.compress(np.full((tile, tile, 3), 200, np.uint8).tobytes(), 9)
    count = ((size + tile - 1) // tile) ** 2
    with tifffile.TiffWriter(path, bigtiff=False) as tif:
        tif.write(
            (raw for _ in range(count)),
            shape=(size, size, 3),
            dtype=np.uint8,
            tile=(tile, tile),
            photometric="rgb",
            compression="zlib",
        )
    return path
