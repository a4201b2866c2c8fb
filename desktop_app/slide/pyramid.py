"""Cytomine's "normalized" tile pyramid as ``SlideInfo``, from a server image's JSON.

Kept apart from the remote source so the download code and the composition root can
compute levels and magnifications without building a source (and without a network).
Tier k is ``ceil(w / 2^k) x ceil(h / 2^k)``; tiers stop when both sides fit one tile;
the server's ``zoom`` counts from the smallest tier (cytomine-api.md section 6).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import imagecodecs
import numpy as np

from desktop_app.slide.source import RGBA, SlideError, SlideInfo

TILE = 256


def max_zoom(width: int, height: int, tile: int = TILE) -> int:
    """Halvings until the image fits one tile (Cytomine ``ImageInstance.zoom``)."""
    n, w, h = 0, width, height
    while w > tile or h > tile:
        w, h = math.ceil(w / 2), math.ceil(h / 2)
        n += 1
    return n


def normalized_levels(
    width: int, height: int, tile: int = TILE
) -> tuple[tuple[tuple[int, int], ...], tuple[float, ...]]:
    """``(level_dimensions, level_downsamples)`` of the normalized pyramid, finest first."""
    dims, downs = [], []
    for k in range(max_zoom(width, height, tile) + 1):
        d = 2**k
        dims.append((math.ceil(width / d), math.ceil(height / d)))
        downs.append(float(d))
    return tuple(dims), tuple(downs)


def _positive(value: Any) -> float | None:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) and f > 0 else None


def slide_info_from_json(obj: Mapping[str, Any], *, associated: tuple[str, ...] = ()) -> SlideInfo:
    """``SlideInfo`` of a server image (AbstractImage or ImageInstance JSON): size,
    physical pixel size (um) and magnification; levels are the normalized tiers."""
    try:
        width, height = int(obj["width"]), int(obj["height"])
    except (KeyError, TypeError, ValueError):
        raise SlideError("the server's image description has no usable width/height") from None
    if width <= 0 or height <= 0:
        raise SlideError(f"the server's image has an empty size {width}x{height}")
    return remote_info(
        width,
        height,
        mpp_x=_positive(obj.get("physicalSizeX")),
        mpp_y=_positive(obj.get("physicalSizeY")),
        magnification=_positive(obj.get("magnification")),
        associated=associated,
    )


def remote_info(
    width: int,
    height: int,
    *,
    mpp_x: float | None = None,
    mpp_y: float | None = None,
    magnification: float | None = None,
    vendor: str | None = None,
    associated: tuple[str, ...] = (),
) -> SlideInfo:
    """``SlideInfo`` of a remote slide from its size and calibration (no network)."""
    dims, downs = normalized_levels(width, height)
    mpp_y = mpp_y or mpp_x
    if magnification is None and mpp_x:
        magnification = float(max(1, round(10.0 / mpp_x)))
    return SlideInfo(
        width=width,
        height=height,
        level_dimensions=dims,
        level_downsamples=downs,
        mpp_x=mpp_x,
        mpp_y=mpp_y,
        objective_power=magnification,
        vendor=vendor,
        associated_images=associated,
        tile_size=TILE,
    )


def level_for_magnification(info: SlideInfo, magnification: float) -> int:
    """The coarsest level still at least ``magnification`` (e.g. 10x of a 40x slide: 2)."""
    if not info.objective_power or magnification <= 0:
        return 0
    wanted = info.objective_power / magnification
    best = 0
    for level, ds in enumerate(info.level_downsamples):
        if ds <= wanted + 1e-9:
            best = level
    return best


def decode_tile(data: bytes) -> RGBA:
    """JPEG (or PNG/WebP) bytes as an opaque RGBA ``(h, w, 4)`` array."""
    try:
        img = imagecodecs.imread(data)
    except Exception as exc:  # imagecodecs raises codec-specific errors
        raise SlideError(f"damaged tile ({type(exc).__name__})") from None
    if img.ndim == 2:
        img = np.repeat(img[:, :, None], 3, axis=2)
    if img.dtype != np.uint8 or img.ndim != 3 or img.shape[2] not in (3, 4):
        raise SlideError(f"unexpected tile pixels {img.dtype} {img.shape}")
    out = np.empty((img.shape[0], img.shape[1], 4), np.uint8)
    out[:, :, :3] = img[:, :, :3]
    out[:, :, 3] = img[:, :, 3] if img.shape[2] == 4 else 255
    return out
