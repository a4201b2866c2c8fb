"""Reading slides for the server: a small OpenSlide adapter with Cytomine's tile grid.

``desktop_app.slide`` has no ``open_slide`` yet, so this adapter talks to OpenSlide
directly (one place to swap later).  Handles are cached (opening a slide costs
milliseconds; serving a tile must not) and so are encoded tiles, because viewers ask
for the same tiles again on every pan.  Tiles follow Cytomine's "normalized" pyramid
(cytomine-api.md section 6): 256 px tiles, zoom 0 = smallest tier, ``ty`` from the top.
"""

from __future__ import annotations

import io
import math
import threading
from dataclasses import dataclass
from pathlib import Path

import imagecodecs
import numpy as np
import openslide
from PIL import Image

from desktop_app.core.lru import ByteLRU
from desktop_app.server.tile_direct import StoredTiles, box_reduce
from desktop_app.slide.pixel_budget import check_region, pyramid_problem, stored_tiles

TILE = 256
_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
#: Encoded tiles kept per app (~4,000 JPEG tiles of 256 x 256).
MAX_TILE_BYTES = 128 * 1024 * 1024

MEDIA = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


class NotASlide(Exception):
    """The file is not a slide OpenSlide can read; the message is for the user."""


@dataclass(frozen=True, slots=True)
class SlideMeta:
    width: int
    height: int
    mpp_x: float | None
    mpp_y: float | None
    magnification: int | None
    vendor: str | None
    levels: int

    @property
    def max_zoom(self) -> int:
        return max_zoom(self.width, self.height)


def max_zoom(width: int, height: int) -> int:
    """Halvings until the image fits one tile (Cytomine ``ImageInstance.zoom``)."""
    n = 0
    w, h = width, height
    while w > TILE or h > TILE:
        w, h = math.ceil(w / 2), math.ceil(h / 2)
        n += 1
    return n


def _float(props: dict[str, str], key: str) -> float | None:
    try:
        return float(props[key])
    except (KeyError, ValueError):
        return None


def probe(path: Path) -> SlideMeta:
    """Read a file's dimensions and resolution; ``NotASlide`` if OpenSlide cannot open it
    or if its pyramid cannot serve every view within the pixel budget (``pixel_budget``:
    a decompression bomb is refused here, once, rather than on every thumbnail)."""
    try:
        with openslide.OpenSlide(str(path)) as s:
            props = dict(s.properties)
            problem = pyramid_problem(
                "the image", s.level_dimensions, stored_tiles(props, s.level_count)
            )
            if problem is not None:
                raise NotASlide(problem)
            w, h = s.dimensions
            mag = _float(props, openslide.PROPERTY_NAME_OBJECTIVE_POWER)
            return SlideMeta(
                width=int(w),
                height=int(h),
                mpp_x=_float(props, openslide.PROPERTY_NAME_MPP_X),
                mpp_y=_float(props, openslide.PROPERTY_NAME_MPP_Y),
                magnification=int(mag) if mag else None,
                vendor=props.get(openslide.PROPERTY_NAME_VENDOR),
                levels=s.level_count,
            )
    except (openslide.OpenSlideError, openslide.OpenSlideUnsupportedFormatError) as exc:
        raise NotASlide(f"Not a slide OpenSlide can read: {exc}") from exc
    except OSError as exc:
        raise NotASlide(f"Cannot read the file: {exc}") from exc


#: JPEG quality of tiles the server encodes (tiles served from the file keep theirs).
JPEG_QUALITY = 85


def _one(_handle: object) -> int:
    return 1


class SlideCache:
    """Open OpenSlide handles (with their stored-tile index) and recently encoded tiles.

    Both are ``core.lru.ByteLRU`` caches, per app (so per worker process): handles
    counted one each, encoded tiles by their bytes.  A normalized tile is, cheapest first:
    the stored JPEG tile itself (``tile_direct``: no decode, no encode); a tile already
    encoded by this process; or OpenSlide's pixels from the finest level not finer than
    needed, box-reduced by a power of two in numpy and JPEG-encoded with libjpeg-turbo
    (imagecodecs).  Only the last is kept in the tile LRU (the first costs one pread).
    """

    def __init__(self, max_open: int = 32, max_tile_bytes: int = MAX_TILE_BYTES) -> None:
        self._lock = threading.Lock()  # opening: the handle and its stored-tile index
        self._open: ByteLRU[str, openslide.OpenSlide] = ByteLRU(
            max_open, _one, on_evict=self._closed
        )
        self._stored: dict[str, StoredTiles] = {}
        self._tiles: ByteLRU[tuple[object, ...], bytes] = ByteLRU(max_tile_bytes, len)

    def _closed(self, path: str, s: openslide.OpenSlide) -> None:
        s.close()
        gone = self._stored.pop(path, None)
        if gone is not None:
            gone.close()

    def slide(self, path: str) -> openslide.OpenSlide:
        s = self._open.get(path)
        if s is not None:
            return s
        try:
            s = openslide.OpenSlide(path)
        except (openslide.OpenSlideError, OSError) as exc:
            raise NotASlide(str(exc)) from exc
        stored = StoredTiles(
            path, s.properties.get(openslide.PROPERTY_NAME_VENDOR), s.level_dimensions
        )
        with self._lock:
            current = self._open.get(path)
            if current is not None:  # another thread opened it meanwhile
                stored.close()
                s.close()
                return current
            self._stored[path] = stored
            self._open.put(path, s)
        return s

    def quick_tile(
        self, path: str, width: int, height: int, zoom: int, tx: int, ty: int, fmt: str
    ) -> bytes | None:
        """The tile if it costs no decoding (stored JPEG of an open slide, or this
        process's tile LRU), else ``None``; ``ValueError`` if outside the grid.  Cheap
        enough for the event loop (a dict lookup or one ``pread``)."""
        d, _, _ = self.check_tile(width, height, zoom, tx, ty)
        if fmt in ("jpg", "jpeg"):
            with self._lock:
                stored = self._stored.get(path)
            if stored is not None:
                direct = stored.tile(width, height, d, tx, ty)
                if direct is not None:
                    return direct
        return self._cached((path, zoom, tx, ty, fmt))

    def stored(self, path: str) -> StoredTiles | None:
        self.slide(path)
        with self._lock:
            return self._stored.get(path)

    def _cached(self, key: tuple[object, ...]) -> bytes | None:
        return self._tiles.get(key)

    def _store(self, key: tuple[object, ...], data: bytes) -> None:
        self._tiles.put(key, data)

    def region(
        self, path: str, x: int, y: int, w: int, h: int, out_w: int, out_h: int
    ) -> Image.Image:
        """Level-0 box ``(x, y, w, h)`` (y down) scaled to ``out_w x out_h``, RGB on white."""
        s = self.slide(path)
        down = max(w / max(out_w, 1), h / max(out_h, 1), 1.0)
        level = s.get_best_level_for_downsample(down)
        ld = s.level_downsamples[level]
        rw, rh = max(1, math.ceil(w / ld)), max(1, math.ceil(h / ld))
        check_region(rw, rh)
        rgba = s.read_region((int(x), int(y)), level, (rw, rh))
        img = Image.new("RGB", rgba.size, (255, 255, 255))
        img.paste(rgba, mask=rgba.split()[3])
        if img.size != (out_w, out_h):
            img = img.resize((out_w, out_h), Image.Resampling.BILINEAR)
        return img

    @staticmethod
    def check_tile(width: int, height: int, zoom: int, tx: int, ty: int) -> tuple[int, int, int]:
        """(downsample, tier width, tier height); ``ValueError`` if outside the grid."""
        mz = max_zoom(width, height)
        if not 0 <= zoom <= mz:
            raise ValueError(f"zoom must be between 0 and {mz}")
        d = 2 ** (mz - zoom)
        tier_w, tier_h = math.ceil(width / d), math.ceil(height / d)
        if not (0 <= tx < math.ceil(tier_w / TILE) and 0 <= ty < math.ceil(tier_h / TILE)):
            raise ValueError("tile outside the image")
        return d, tier_w, tier_h

    def tile(
        self, path: str, width: int, height: int, zoom: int, tx: int, ty: int, fmt: str
    ) -> bytes:
        """One normalized-pyramid tile, encoded; ``ValueError`` if outside the grid."""
        d, tier_w, tier_h = self.check_tile(width, height, zoom, tx, ty)
        if fmt in ("jpg", "jpeg"):
            stored = self.stored(path)
            direct = stored.tile(width, height, d, tx, ty) if stored is not None else None
            if direct is not None:
                return direct
        key = (path, zoom, tx, ty, fmt)
        hit = self._cached(key)
        if hit is not None:
            return hit
        tw, th = min(TILE, tier_w - tx * TILE), min(TILE, tier_h - ty * TILE)
        rgb = self.tile_pixels(path, width, height, d, tx, ty, tw, th)
        data = encode_array(rgb, fmt)
        self._store(key, data)
        return data

    def tile_pixels(
        self, path: str, width: int, height: int, d: int, tx: int, ty: int, tw: int, th: int
    ) -> np.ndarray:
        """The (th, tw, 3) pixels of a normalized tile (downsample ``d``), RGB on white.

        Read from the coarsest stored level whose downsample divides ``d`` by a power of
        two (exact 2x/4x pyramids), then box-reduced; if no level fits that way, the old
        path (best level + bilinear resize).
        """
        s = self.slide(path)
        x0, y0 = tx * TILE * d, ty * TILE * d
        w0, h0 = min(tw * d, width - x0), min(th * d, height - y0)
        level, f = _level_for(s, width, height, d)
        if level is None:
            return np.asarray(self.region(path, x0, y0, w0, h0, tw, th))
        ld = d // f  # exact downsample of that level
        rw, rh = min(tw * f, math.ceil(w0 / ld)), min(th * f, math.ceil(h0 / ld))
        check_region(rw, rh)
        stored = self.stored(path)
        lw, lh = s.level_dimensions[level]
        rgb = (
            stored.read(lw, lh, tx * TILE * f, ty * TILE * f, rw, rh)
            if stored is not None
            else None
        )
        if rgb is None:
            rgba = np.asarray(s.read_region((x0, y0), level, (rw, rh)))
            rgb = _on_white(rgba)
        out = box_reduce(rgb, f)
        if out.shape[0] != th or out.shape[1] != tw:  # rounding at the image edge
            out = np.ascontiguousarray(
                np.pad(
                    out[:th, :tw],
                    ((0, max(0, th - out.shape[0])), (0, max(0, tw - out.shape[1])), (0, 0)),
                    mode="edge",
                )
            )
        return out

    def close(self) -> None:
        with self._lock:
            self._open.clear()  # closes each handle and its index (``_closed``)
            self._tiles.clear()


def _level_for(s: openslide.OpenSlide, width: int, height: int, d: int) -> tuple[int | None, int]:
    """(level, f): the coarsest level that is exactly ``width / (d / f)`` (floor or ceil),
    ``f`` a power of two; ``(None, 1)`` if none is."""
    f = 1
    while f <= d:
        ld = d // f
        for level, (lw, lh) in enumerate(s.level_dimensions):
            if lw in (width // ld, -(-width // ld)) and lh in (height // ld, -(-height // ld)):
                return level, f
        f *= 2
    return None, 1


def _on_white(rgba: np.ndarray) -> np.ndarray:
    """RGBA (OpenSlide: not premultiplied) composited on white, as contiguous RGB."""
    alpha = rgba[..., 3]
    if alpha.min() == 255:
        return np.ascontiguousarray(rgba[..., :3])
    a = alpha[..., None].astype(np.uint16)
    rgb = (rgba[..., :3].astype(np.uint16) * a + 255 * (255 - a) + 127) // 255
    return rgb.astype(np.uint8)


def encode_array(rgb: np.ndarray, fmt: str) -> bytes:
    """Encode (h, w, 3) uint8: JPEG with libjpeg-turbo (imagecodecs), others with Pillow."""
    kind = _FORMATS.get(fmt.lower())
    if kind == "JPEG":
        return bytes(imagecodecs.jpeg8_encode(rgb, level=JPEG_QUALITY))
    return encode(Image.fromarray(rgb), fmt)


def encode(img: Image.Image, fmt: str) -> bytes:
    buf = io.BytesIO()
    kind = _FORMATS.get(fmt.lower())
    if kind is None:
        raise ValueError("format must be jpg, png or webp")
    img.save(buf, kind, quality=85) if kind != "PNG" else img.save(buf, kind)
    return buf.getvalue()
