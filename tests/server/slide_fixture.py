"""Small test slides: ``desktop_app.slide.synth.write_slide`` if present, else a pyramidal
tiled TIFF written here with tifffile (OpenSlide reads it as a generic tiled TIFF)."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np


def make_slide(path: Path, width: int = 2000, height: int = 1500, seed: int = 0) -> Path:
    try:
        synth = importlib.import_module("desktop_app.slide.synth")
    except ModuleNotFoundError:
        synth = None
    if synth is not None and hasattr(synth, "write_slide"):
        out = synth.write_slide(path, width, height, mpp=0.25, fmt="svs", seed=seed)
        return Path(out) if out else path
    import tifffile

    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width]
    img = np.empty((height, width, 3), np.uint8)
    img[..., 0] = (xx * 255 // max(width - 1, 1)).astype(np.uint8)
    img[..., 1] = (yy * 255 // max(height - 1, 1)).astype(np.uint8)
    img[..., 2] = rng.integers(0, 255, size=(height, width), dtype=np.uint8) // 4 + 128
    with tifffile.TiffWriter(path, bigtiff=False) as tif:
        level = img
        while True:
            tif.write(
                level,
                tile=(256, 256),
                photometric="rgb",
                compression="jpeg",
                resolution=(40000.0, 40000.0),
                resolutionunit="CENTIMETER",
            )
            if max(level.shape[:2]) <= 512:
                break
            level = level[::2, ::2]
    return path
