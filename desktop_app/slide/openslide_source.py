"""``SlideSource`` for local whole-slide files, on top of openslide-python.

Why one shared OpenSlide handle (not one per worker thread): the OpenSlide C library is
thread-safe (it keeps its own pool of libtiff handles) and ctypes releases the GIL during
``openslide_read_region``, so loader threads already read in parallel through one handle;
measured on 2 cores, per-thread handles were no faster (3.0-3.8 vs 3.2-3.4 ms per 256 px
tile) and would duplicate OpenSlide's internal tile cache per thread.

Fast path (``_JpegTiles`` over ``slide.jpeg_tiles``, the reader the server uses too):
for Aperio SVS and generic tiled TIFF whose pyramid levels are 8-bit YCbCr JPEG tiles of
exactly ``tile_size``, ``read_tile`` reads the tile's bytes
with ``os.pread`` and decodes them with imagecodecs (libjpeg-turbo, GIL released for
both): ~0.6 ms per 256 px tile against ~2.7 ms through ``openslide_read_region`` (which
also composites through cairo and hands back a PIL image).  Tiles are only taken this way
where OpenSlide would return exactly the stored tile (level-0 origin maps to an integer
tile corner within OpenSlide's sub-pixel precision, the TIFF page is that level, the tile
exists); everything else -- other
formats, sparse tiles, JPEG 2000, ``read_region`` -- goes through OpenSlide.  The output
equals OpenSlide's within JPEG decoder differences (bit-identical on the test slides).

Every OpenSlide failure is turned into a ``SlideError`` with a one-line message meant
for the user; OpenSlide handles become permanently unusable after an error, which the
message also reflects.
"""

from __future__ import annotations

import ctypes
import math
import os
import sys
import threading
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import openslide
from PIL import Image

from desktop_app.slide.argb32 import rgba_to_argb32
from desktop_app.slide.jpeg_tiles import DIRECT_VENDORS, JpegLevel, JpegTileFile
from desktop_app.slide.pixel_budget import (
    TooManyPixels,
    check_region,
    pyramid_problem,
    stored_tiles,
)
from desktop_app.slide.source import RGBA, SlideError, SlideInfo, TileKey

DEFAULT_TILE_SIZE = 256
_TIFF_MAGIC = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")
#: A sub-pixel shift OpenSlide's renderer (cairo/pixman, 7-bit bilinear weights) cannot
#: express: a level shifted by less draws the stored pixels unchanged.
_SUBPIXEL_STEP = 1 / 128


def _float_prop(props: Mapping[str, str], name: str) -> float | None:
    raw = props.get(name)
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) and value > 0 else None


def objective_from_mpp(mpp: float | None) -> float | None:
    """The conventional objective for a pixel size (10 um / mpp: 0.25 -> 40x)."""
    if mpp is None:
        return None
    return float(max(1, round(10.0 / mpp)))


def _to_rgba(image: Image.Image) -> RGBA:
    """OpenSlide's (already un-premultiplied) PIL RGBA image as a writable (h, w, 4) array."""
    arr = np.asarray(image)
    if arr.ndim != 3 or arr.shape[2] != 4:
        arr = np.asarray(image.convert("RGBA"))
    return np.array(arr, dtype=np.uint8, copy=True, order="C")


#: libjpeg-turbo's output layout for native 0xAARRGGBB words: JCS_EXT_BGRA / JCS_EXT_ARGB
#: (``imagecodecs.JPEG8.CS.EXT_BGRA`` / ``EXT_ARGB``).
_ARGB32_CS = 13 if sys.byteorder == "little" else 15


class _JpegTiles:
    """Direct JPEG tile reads (``slide.jpeg_tiles``) keyed by level index, for the
    levels where that is exactly what OpenSlide shows."""

    def __init__(self, path: Path, info: SlideInfo) -> None:
        import imagecodecs  # noqa: F401 - fail here (no fast path) if unavailable

        self._file = JpegTileFile(path, info.vendor, info.level_dimensions, info.tile_size)
        self._levels: dict[int, JpegLevel] = {}
        for index, (lw, lh) in enumerate(info.level_dimensions):
            level = self._file.level(lw, lh)
            if level is not None:
                self._levels[index] = level
        self._info = info

    @property
    def levels(self) -> tuple[int, ...]:
        return tuple(sorted(self._levels))

    def read(
        self, key: TileKey, x0: int, y0: int, w: int, h: int, argb32: bool = False
    ) -> RGBA | None:
        """The tile's RGBA pixels (``argb32``: in ``slide.argb32`` display order, which
        libjpeg-turbo writes directly), or ``None`` when OpenSlide must be asked instead."""
        import imagecodecs  # heavy (native codecs): loaded by the first direct read

        level = self._levels.get(key.level)
        if level is None:
            return None
        ts = self._info.tile_size
        ds = self._info.level_downsamples[key.level]
        # OpenSlide maps the level-0 origin back with a division and shifts the level
        # by the remainder; the shift only changes pixels once it reaches a bilinear
        # weight step of cairo/pixman (1/128 px), so below that it returns the stored
        # tile.  That covers every tile of levels whose downsample is >= 64, even a
        # non-integer one (a 100,000 px wide SVS: level 3 at 64.01, where the exact test
        # sent 34 of 35 tiles through OpenSlide at ~7 ms each instead of ~0.3 ms).
        if (
            abs(x0 / ds - key.col * ts) >= _SUBPIXEL_STEP
            or abs(y0 / ds - key.row * ts) >= _SUBPIXEL_STEP
        ):
            return None
        data = self._file.stream(level, key.col, key.row)
        if data is None:
            return None  # sparse or unreadable here: OpenSlide renders or reports it
        try:
            rgba = imagecodecs.jpeg8_decode(data, outcolorspace=_ARGB32_CS if argb32 else "RGBA")
        except Exception as exc:  # imagecodecs.Jpeg8Error and friends
            raise SlideError(f"corrupt tile ({exc})") from None
        if rgba.ndim != 3 or rgba.shape[0] < h or rgba.shape[1] < w or rgba.shape[2] != 4:
            raise SlideError("tile has unexpected dimensions")
        if rgba.shape[0] != h or rgba.shape[1] != w:
            rgba = np.ascontiguousarray(rgba[:h, :w])
        return rgba

    def close(self) -> None:
        self._file.close()


def slide_identity(path: Path) -> str:
    """``slide_id`` for a file: resolved path + mtime + size (changes if the file does)."""
    st = path.stat()
    return f"{path.resolve()}@{st.st_mtime_ns}:{st.st_size}"


def _describe_open_failure(path: Path, exc: Exception) -> str:
    name = path.name
    if isinstance(exc, openslide.OpenSlideUnsupportedFormatError):
        try:
            with path.open("rb") as fh:
                head = fh.read(4)
        except OSError:
            head = b""
        if head in _TIFF_MAGIC:
            return f"{name} looks like a slide but is damaged or truncated"
        return f"{name} is not a supported slide format"
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"{name} is damaged or truncated ({detail})"


class OpenSlideSource:
    """A local slide file read through OpenSlide; safe to share between threads."""

    def __init__(self, path: str | os.PathLike[str], tile_size: int = DEFAULT_TILE_SIZE) -> None:
        self._path = Path(path)
        self._check_path(self._path)
        try:
            self._slide = openslide.OpenSlide(str(self._path))
        except (openslide.OpenSlideError, OSError, ValueError) as exc:
            raise SlideError(_describe_open_failure(self._path, exc)) from None
        self._lock = threading.Lock()
        self._closed = False
        self._fast: _JpegTiles | None = None
        try:
            self._id = slide_identity(self._path)
            self._info = self._read_info(tile_size)
            self._check_budget()
            self._fast = self._open_fast_path()
            self._probe()
        except SlideError:
            self.close()
            raise
        except (openslide.OpenSlideError, OSError, ValueError) as exc:
            self.close()
            raise SlideError(_describe_open_failure(self._path, exc)) from None

    def _open_fast_path(self) -> _JpegTiles | None:
        if self._info.vendor not in DIRECT_VENDORS or os.environ.get("WS_NO_FAST_TILES"):
            return None
        try:
            fast = _JpegTiles(self._path, self._info)
        except Exception:  # anything unexpected in the file: OpenSlide reads it all
            return None
        if not fast.levels:
            fast.close()
            return None
        return fast

    @property
    def fast_levels(self) -> tuple[int, ...]:
        """Levels whose tiles ``read_tile`` may decode directly (diagnostics, tests)."""
        return () if self._fast is None else self._fast.levels

    @staticmethod
    def _check_path(path: Path) -> None:
        if not path.exists():
            raise SlideError(f"slide file not found: {path}")
        if path.is_dir():
            raise SlideError(f"{path} is a folder, not a slide file")
        if not os.access(path, os.R_OK):
            raise SlideError(f"no permission to read {path}")

    def _read_info(self, tile_size: int) -> SlideInfo:
        s = self._slide
        props = s.properties
        mpp_x = _float_prop(props, openslide.PROPERTY_NAME_MPP_X)
        mpp_y = _float_prop(props, openslide.PROPERTY_NAME_MPP_Y) or mpp_x
        objective = _float_prop(props, openslide.PROPERTY_NAME_OBJECTIVE_POWER)
        width, height = s.dimensions
        return SlideInfo(
            width=width,
            height=height,
            level_dimensions=tuple((int(w), int(h)) for w, h in s.level_dimensions),
            level_downsamples=tuple(float(d) for d in s.level_downsamples),
            mpp_x=mpp_x,
            mpp_y=mpp_y,
            objective_power=objective or objective_from_mpp(mpp_x),
            vendor=props.get(openslide.PROPERTY_NAME_VENDOR),
            associated_images=tuple(sorted(s.associated_images.keys())),
            tile_size=tile_size,
        )

    def _check_budget(self) -> None:
        """Refuse at open a slide whose zoomed-out views would decode too many pixels
        (a pyramid-less 20000 x 20000 TIFF of a few MB), as the server refuses its upload."""
        s = self._slide
        problem = pyramid_problem(
            self._path.name, s.level_dimensions, stored_tiles(s.properties, s.level_count)
        )
        if problem is not None:
            raise SlideError(problem)

    def _probe(self) -> None:
        """Decode a little of the first and last level now, so a slide whose tile data is
        damaged fails at open (with a clear message) rather than as blank tiles later."""
        info = self._info
        last = info.level_count - 1
        lw, lh = info.level_dimensions[last]
        self.read_region(last, 0, 0, min(lw, 64), min(lh, 64))
        cx, cy = info.width // 2, info.height // 2
        self.read_region(0, cx, cy, min(16, info.width - cx), min(16, info.height - cy))

    @property
    def path(self) -> Path:
        return self._path

    @property
    def slide_id(self) -> str:
        return self._id

    @property
    def info(self) -> SlideInfo:
        return self._info

    def read_region(self, level: int, x: int, y: int, width: int, height: int) -> RGBA:
        """RGBA pixels of ``level`` whose top-left is the level-0 point ``(x, y)``."""
        if not 0 <= level < self._info.level_count:
            raise SlideError(f"{self._path.name} has no level {level}")
        if width <= 0 or height <= 0:
            return np.zeros((max(height, 0), max(width, 0), 4), np.uint8)
        if self._closed:
            raise SlideError(f"{self._path.name} is closed")
        try:
            check_region(width, height)
        except TooManyPixels as exc:
            raise SlideError(f"{self._path.name}: {exc}") from None
        try:
            image = self._slide.read_region((int(x), int(y)), level, (int(width), int(height)))
        except openslide.OpenSlideError as exc:
            raise SlideError(f"{self._path.name} cannot be read: {exc}") from None
        except (ValueError, ctypes.ArgumentError):  # closed under our feet
            raise SlideError(f"{self._path.name} is closed") from None
        return _to_rgba(image)

    def tile_origin(self, key: TileKey) -> tuple[int, int, int, int]:
        """``(x0, y0, w, h)``: level-0 origin and level-space size of a tile."""
        ts = self._info.tile_size
        lw, lh = self._info.level_dimensions[key.level]
        ds = self._info.level_downsamples[key.level]
        w = min(ts, lw - key.col * ts)
        h = min(ts, lh - key.row * ts)
        if key.col < 0 or key.row < 0 or w <= 0 or h <= 0:
            raise SlideError(f"tile {key.col},{key.row} is outside level {key.level}")
        return round(key.col * ts * ds), round(key.row * ts * ds), w, h

    def read_tile(self, key: TileKey) -> RGBA:
        """One level-space tile (``tile_size`` square, smaller at the right/bottom edge)."""
        return self._read_tile(key, argb32=False)

    def read_tile_argb32(self, key: TileKey) -> RGBA:
        """``read_tile`` in ``slide.argb32`` display order (opaque, over glass); the JPEG
        fast path decodes straight into that layout, so it costs no extra pass."""
        return self._read_tile(key, argb32=True)

    def _read_tile(self, key: TileKey, argb32: bool) -> RGBA:
        if key.slide_id != self._id:
            raise SlideError("tile requested from a different slide")
        if not 0 <= key.level < self._info.level_count:
            raise SlideError(f"{self._path.name} has no level {key.level}")
        x0, y0, w, h = self.tile_origin(key)
        fast = self._fast
        if fast is not None:
            if self._closed:
                raise SlideError(f"{self._path.name} is closed")
            try:
                tile = fast.read(key, x0, y0, w, h, argb32)
            except SlideError as exc:
                raise SlideError(f"{self._path.name} cannot be read: {exc}") from None
            except OSError:  # closed (or the file went away) under our feet
                raise SlideError(f"{self._path.name} is closed") from None
            if tile is not None:
                return tile
        rgba = self.read_region(key.level, x0, y0, w, h)
        return rgba_to_argb32(rgba) if argb32 else rgba

    def associated_image(self, name: str) -> RGBA:
        """The label, macro or thumbnail image stored in the file."""
        if name not in self._info.associated_images:
            available = ", ".join(self._info.associated_images) or "none"
            raise SlideError(f"{self._path.name} has no {name!r} image (available: {available})")
        try:
            image = self._slide.associated_images[name]
        except (openslide.OpenSlideError, KeyError) as exc:
            raise SlideError(f"{self._path.name}: cannot read the {name} image ({exc})") from None
        return _to_rgba(image)

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._slide.close()
                if self._fast is not None:
                    self._fast.close()

    def __enter__(self) -> OpenSlideSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_slide(path: str | os.PathLike[str], tile_size: int = DEFAULT_TILE_SIZE) -> OpenSlideSource:
    """Open a local slide file, raising ``SlideError`` with a user-facing message."""
    return OpenSlideSource(path, tile_size=tile_size)
