"""Display images of cached tiles for the UI thread, without converting on it.

The view's loader reads through ``slide.argb32.Argb32Tiles``, so the shared
``TileCache`` already holds each tile in ``QImage.Format_RGB32``'s byte order (opaque,
unscanned areas composited over glass) -- laid out by the JPEG decoder itself on the
fast path, else converted on the loader's worker.  ``get`` therefore only *wraps* the
cached array in a ``QImage`` (about a microsecond; the ``QImage`` holds a reference to
the array, so a tile evicted by a worker mid-paint stays valid), and a blit is a plain
memory copy.  There is no second copy of the visible tiles, and no per-tile conversion
on the UI thread -- when such conversions happened lazily in a paint (when this class
kept its own too-small LRU of converted tiles), one paint at a downsample just under a
level boundary (~400 visible tiles) spent 30-50 ms converting.

With brightness/contrast/gamma set, tiles must be re-mapped: then ``prepare`` applies
the LUT on the loader's worker right after decoding, the UI thread ``put``s the result
in a byte-bounded LRU, and a LUT change bumps ``lut_generation`` so an image prepared
under the old LUT is never stored.

It also *pins* the coarsest pyramid level: the minimap and the "coarser level while
loading" fallback need it on screen at every moment, so it must survive LRU eviction in
the shared cache.
"""

from __future__ import annotations

import threading

import numpy as np
import numpy.typing as npt
from PySide6.QtGui import QImage

from desktop_app.core.lru import ByteLRU
from desktop_app.slide.argb32 import ARGB32, rgba_to_argb32
from desktop_app.slide.cache import TileCache
from desktop_app.slide.source import RGBA, TileKey

#: Only used with adjustments: ~640 re-mapped tiles of 256 px, more than the ~440 a
#: 1600x1000 view shows just below a level boundary, plus its coarser fallback.
DEFAULT_MAX_BYTES = 160 * 1024 * 1024


def argb32_image(argb: ARGB32) -> QImage:
    """A ``Format_RGB32`` image sharing ``argb``'s memory (and keeping it alive)."""
    h, w = argb.shape[:2]
    # QImage takes any buffer (the array's memory, no copy); PySide6's stubs want bytes.
    return QImage(argb, w, h, argb.strides[0], QImage.Format.Format_RGB32)  # type: ignore[call-overload]


def rgba_to_qimage(rgba: RGBA) -> QImage:
    """An opaque ``Format_RGB32`` image of an RGBA array, composited over white glass
    (associated images; tiles arrive in display order already)."""
    return argb32_image(rgba_to_argb32(rgba))


def lut_argb32(argb: ARGB32, lut: npt.NDArray[np.uint8]) -> ARGB32:
    """A copy of an ARGB32 tile with ``lut`` applied to R, G and B (alpha stays 255,
    wherever the alpha byte is on this machine)."""
    out = np.ascontiguousarray(lut[argb])
    out.view(np.uint32)[...] |= np.uint32(0xFF000000)
    return out


class TileImages:
    """UI-thread access to the display images of the thread-safe ``TileCache``."""

    def __init__(self, cache: TileCache, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._cache = cache
        self._images: ByteLRU[TileKey, QImage] = ByteLRU(max_bytes, QImage.sizeInBytes)
        self._pinned: dict[TileKey, ARGB32] = {}
        self._lut: npt.NDArray[np.uint8] | None = None
        self._lut_generation = 0
        self._lut_lock = threading.Lock()

    @property
    def cache(self) -> TileCache:
        return self._cache

    def set_lut(self, lut: npt.NDArray[np.uint8] | None) -> None:
        """Use ``lut`` (``None`` = identity) from now on; re-mapped tiles are dropped."""
        with self._lut_lock:
            self._lut = lut
            self._lut_generation += 1
        self.clear()

    @property
    def lut_generation(self) -> int:
        return self._lut_generation

    def prepare(self, key: TileKey) -> tuple[QImage, int] | None:
        """Any thread: with a LUT set, the re-mapped image of a cached tile and the LUT
        generation it was made with (pass both to ``put`` on the UI thread); ``None``
        when there is nothing to prepare (no LUT: ``get`` wraps the cached tile)."""
        with self._lut_lock:
            lut, generation = self._lut, self._lut_generation
        if lut is None:
            return None
        argb = self._cache.get(key)
        if argb is None:
            return None
        return argb32_image(lut_argb32(argb, lut)), generation

    def put(self, key: TileKey, image: QImage, lut_generation: int) -> None:
        """UI thread: store an image made by ``prepare`` (dropped if the LUT changed)."""
        if lut_generation != self._lut_generation or self._lut is None:
            return
        self._images.put(key, image)

    def clear(self) -> None:
        self._images.clear()

    def unpin_all(self) -> None:
        self._pinned.clear()

    def pin(self, key: TileKey) -> bool:
        """Keep ``key``'s pixels for the lifetime of the slide; False if not cached yet."""
        if key in self._pinned:
            return True
        argb = self._cache.get(key)
        if argb is None:
            return False
        self._pinned[key] = argb
        return True

    def is_pinned(self, key: TileKey) -> bool:
        return key in self._pinned

    def has(self, key: TileKey) -> bool:
        return key in self._images or key in self._pinned or self._cache.contains(key)

    def get(self, key: TileKey) -> QImage | None:
        """The display image for ``key`` if its pixels are available, without blocking."""
        if self._lut is not None:
            image = self._images.get(key)
            if image is not None:
                return image
        argb = self._cache.get(key)
        if argb is None:
            argb = self._pinned.get(key)
            if argb is None:
                return None
        if self._lut is None:
            return argb32_image(argb)
        image = argb32_image(lut_argb32(argb, self._lut))  # cached before the LUT was set
        self._images.put(key, image)
        return image
