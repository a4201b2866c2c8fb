"""Display-ready tile images for the UI thread: LUT applied, premultiplied, cached.

The shared ``TileCache`` holds raw RGBA arrays filled by the loader's workers; this
small second-level cache holds what ``QPainter`` draws fastest
(``Format_RGB32``, opaque), so a repaint is just blits.  It also *pins* the
coarsest pyramid level: the minimap and the "coarser level while loading" fallback
need it on screen at every moment, so it must survive LRU eviction in the shared cache.

Conversion normally happens on the loader's worker threads (``prepare``, called right
after a tile is decoded; QImage -- unlike QPixmap -- may be built off the GUI thread),
and the UI thread only ``put``s the finished image: the UI thread's per-tile cost is a
dict insert, not an RGBA->RGB32 pass.  ``get`` still converts lazily for tiles that were
cached before (or evicted from this LRU), and a LUT change bumps ``lut_generation`` so an
image prepared under the old LUT is never stored.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
import numpy.typing as npt
from PySide6.QtGui import QImage

from desktop_app.slide.cache import TileCache
from desktop_app.slide.source import RGBA, TileKey
from desktop_app.ui.viewer.adjustments import apply_lut

#: ~380 RGB32 tiles of 256 px: a 1600x1000 view (40 tiles), its coarser fallback and
#: the previous zoom step stay converted.
DEFAULT_MAX_BYTES = 96 * 1024 * 1024


def rgba_to_qimage(rgba: RGBA) -> QImage:
    """An opaque ``Format_RGB32`` copy of an RGBA array, composited over white glass.

    Opaque images are blitted by Qt's raster engine without per-pixel blending (the
    slide's unscanned, alpha-0 areas become the glass colour here, once per tile).
    """
    arr = np.ascontiguousarray(rgba)
    alpha = arr[..., 3]
    if alpha.min() < 255:
        a = alpha[..., None].astype(np.uint16)
        rgb = (arr[..., :3].astype(np.uint16) * a + 255 * (255 - a) + 127) // 255
        arr = np.dstack([rgb.astype(np.uint8), np.full(alpha.shape, 255, np.uint8)])
        arr = np.ascontiguousarray(arr)
    h, w = arr.shape[:2]
    wrapped = QImage(arr.data, w, h, arr.strides[0], QImage.Format.Format_RGBX8888)
    return wrapped.convertToFormat(QImage.Format.Format_RGB32)


class TileImages:
    """UI-thread LRU of converted tiles in front of the thread-safe ``TileCache``."""

    def __init__(self, cache: TileCache, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._cache = cache
        self._max_bytes = max_bytes
        self._images: OrderedDict[TileKey, QImage] = OrderedDict()
        self._bytes = 0
        self._pinned: dict[TileKey, RGBA] = {}
        self._lut: npt.NDArray[np.uint8] | None = None
        self._lut_generation = 0
        self._lut_lock = threading.Lock()

    @property
    def cache(self) -> TileCache:
        return self._cache

    def set_lut(self, lut: npt.NDArray[np.uint8] | None) -> None:
        """Use ``lut`` (``None`` = identity) from now on; converted tiles are dropped."""
        with self._lut_lock:
            self._lut = lut
            self._lut_generation += 1
        self.clear()

    @property
    def lut_generation(self) -> int:
        return self._lut_generation

    def prepare(self, key: TileKey) -> tuple[QImage, int] | None:
        """Any thread: the display image for a cached tile and the LUT generation it was
        made with (pass both to ``put`` on the UI thread); ``None`` if not cached."""
        rgba = self._cache.get(key)
        if rgba is None:
            return None
        with self._lut_lock:
            lut, generation = self._lut, self._lut_generation
        if lut is not None:
            rgba = apply_lut(rgba, lut)
        return rgba_to_qimage(rgba), generation

    def put(self, key: TileKey, image: QImage, lut_generation: int) -> None:
        """UI thread: store an image made by ``prepare`` (dropped if the LUT changed)."""
        if lut_generation != self._lut_generation:
            return
        old = self._images.pop(key, None)
        if old is not None:
            self._bytes -= old.sizeInBytes()
        self._store(key, image)

    def clear(self) -> None:
        self._images.clear()
        self._bytes = 0

    def unpin_all(self) -> None:
        self._pinned.clear()

    def pin(self, key: TileKey) -> bool:
        """Keep ``key``'s pixels for the lifetime of the slide; False if not cached yet."""
        if key in self._pinned:
            return True
        rgba = self._cache.get(key)
        if rgba is None:
            return False
        self._pinned[key] = rgba
        return True

    def is_pinned(self, key: TileKey) -> bool:
        return key in self._pinned

    def has(self, key: TileKey) -> bool:
        return key in self._images or key in self._pinned or self._cache.contains(key)

    def get(self, key: TileKey) -> QImage | None:
        """The display image for ``key`` if its pixels are available, without blocking."""
        image = self._images.get(key)
        if image is not None:
            self._images.move_to_end(key)
            return image
        rgba = self._cache.get(key)
        if rgba is None:
            rgba = self._pinned.get(key)
        if rgba is None:
            return None
        if self._lut is not None:
            rgba = apply_lut(rgba, self._lut)
        image = rgba_to_qimage(rgba)
        self._store(key, image)
        return image

    def _store(self, key: TileKey, image: QImage) -> None:
        self._images[key] = image
        self._bytes += image.sizeInBytes()
        while self._bytes > self._max_bytes and len(self._images) > 1:
            _, old = self._images.popitem(last=False)
            self._bytes -= old.sizeInBytes()
