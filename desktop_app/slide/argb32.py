"""Tiles in display byte order: opaque native-endian ``0xAARRGGBB`` words ("ARGB32").

Why a second pixel layout next to the protocol's RGBA: it is the layout of Qt's fastest
raster image format (``QImage.Format_RGB32``; bytes B, G, R, 255 on little-endian), so a
viewer that caches tiles this way wraps the cached array in a ``QImage`` without copying
or converting it, and blits it with a plain memory copy.  The conversion then happens
once per tile on a loader thread -- or not at all where the decoder writes this layout
directly (``OpenSlideSource.read_tile_argb32``'s JPEG path) -- instead of per tile on the
UI thread.

Tiles here are *opaque*: where the scanner recorded nothing (alpha < 255) the pixels
are composited over white glass, which is what the viewer shows there anyway.  No Qt in
this module (the slide layer must not import it); arrays are ``(h, w, 4)`` ``uint8``.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

from desktop_app.slide.source import RGBA, SlideSource, TileKey, WrappedSource

#: Tiles in display byte order; same shape and dtype as ``RGBA``.
ARGB32 = RGBA


@runtime_checkable
class Argb32Reader(Protocol):
    """A source that can produce display-order tiles itself (faster than converting)."""

    def read_tile_argb32(self, key: TileKey) -> ARGB32: ...


def rgba_to_argb32(rgba: RGBA) -> ARGB32:
    """An opaque ARGB32 copy of an RGBA tile, alpha composited over white glass."""
    arr = np.ascontiguousarray(rgba, dtype=np.uint8)
    h, w = arr.shape[:2]
    # Read the bytes R, G, B, A as little-endian words (A<<24 | B<<16 | G<<8 | R) and
    # swap R and B; the result is a native word, hence right on either endianness.
    v = arr.view("<u4").reshape(h, w)
    if int(arr[..., 3].min()) < 255:
        a = arr[..., 3:4].astype(np.uint16)
        rgb = (arr[..., :3].astype(np.uint16) * a + 255 * (255 - a) + 127) // 255
        over = np.empty_like(arr)
        over[..., :3] = rgb
        over[..., 3] = 255
        v = over.view("<u4").reshape(h, w)
    out = np.bitwise_and(v, 0xFF00FF00, dtype=np.uint32)
    swap = np.left_shift(v, 16, dtype=np.uint32)
    swap &= 0x00FF0000
    out |= swap
    np.right_shift(v, 16, out=swap, dtype=np.uint32)
    swap &= 0x000000FF
    out |= swap
    out |= 0xFF000000
    return out.view(np.uint8).reshape(h, w, 4)


def argb32_to_rgba(argb: ARGB32) -> RGBA:
    """The RGBA bytes of an ARGB32 tile (tests and diagnostics)."""
    v = np.ascontiguousarray(argb).view(np.uint32)[..., 0]
    out = np.empty(argb.shape, np.uint8)
    out[..., 0] = (v >> 16) & 0xFF
    out[..., 1] = (v >> 8) & 0xFF
    out[..., 2] = v & 0xFF
    out[..., 3] = (v >> 24) & 0xFF
    return out


class Argb32Tiles(WrappedSource):
    """A ``SlideSource`` whose ``read_tile`` returns ARGB32 tiles of ``inner``.

    Hand it to a ``TileLoader`` so the loader's workers (not the UI thread) pay for the
    layout, and the cache holds what the display draws; everything else passes through
    unchanged.  ``inner`` stays owned by the caller (``close`` here does nothing).
    """

    def __init__(self, inner: SlideSource) -> None:
        super().__init__(inner)
        self._direct = inner.read_tile_argb32 if isinstance(inner, Argb32Reader) else None

    def read_tile(self, key: TileKey) -> ARGB32:
        if self._direct is not None:
            return self._direct(key)
        return rgba_to_argb32(self.inner.read_tile(key))
