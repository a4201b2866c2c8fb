"""Synthetic whole-slide images: Aperio-style SVS or generic pyramidal TIFF.

Why a generator at all: tests, benchmarks and the demo need real slide files that
OpenSlide opens through its normal vendor code paths, in any size up to 100k x 80k
pixels, without shipping gigabytes of fixtures.  Content is H&E-like tissue plus sharp
structure (a 1-px reticle every 4 tiles and "col,row" text labels) so that pixel-exact
viewer tests catch seams and off-by-one errors.

How it stays fast (see ``synth_plan``): level 0 is built from a pool of distinct tiles
whose encoded bytes are stored once and referenced by many TileOffsets; level k (4^k
downsample) is assembled from box-filtered thumbnails of those tiles, i.e. it *is* the
area-average of level 0 (plus only its own JPEG error).
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import imagecodecs
import numpy as np

from desktop_app.slide import tiff_writer as tw
from desktop_app.slide.synth_extras import label_image, macro_image, thumbnail_image
from desktop_app.slide.synth_plan import U8, SlidePlan, box_reduce, compose, render_distinct

TILE = 256
JPEG_QUALITY = 90
#: Reduced levels are denser in detail, so they get a higher quality: that keeps
#: "level k" within ~1.5 grey levels (MAE) of "level 0 downsampled" even in dense tissue.
REDUCED_QUALITY = 97
LEVEL_FACTOR = 4
APERIO_LIBRARY = "Aperio Image Library v12.0.0"
FORMATS = ("svs", "tiff")
_WHITE = 243


@dataclass(frozen=True, slots=True)
class WrittenSlide:
    """What ``make_slide`` produced (for the CLI and benchmarks)."""

    path: Path
    width: int
    height: int
    level_dimensions: tuple[tuple[int, int], ...]
    distinct_tiles: int
    file_size: int


def format_for(path: Path) -> str:
    """``svs`` or ``tiff`` from the file suffix (``.tif``/``.tiff`` -> tiff, else svs)."""
    return "tiff" if path.suffix.lower() in (".tif", ".tiff") else "svs"


def level_dimensions(width: int, height: int, tile: int = TILE) -> list[tuple[int, int]]:
    """Level sizes: 4x steps until the level fits in one tile (Aperio-style floor)."""
    dims = [(width, height)]
    d = 1
    while max(dims[-1]) > tile and width // (d * LEVEL_FACTOR) and height // (d * LEVEL_FACTOR):
        d *= LEVEL_FACTOR
        dims.append((width // d, height // d))
    return dims


def encode_jpeg(img: U8) -> bytes:
    """One level-0 JPEG tile (full JFIF stream, YCbCr 4:4:4, as the TIFF tags say).

    No chroma subsampling: 4:2:0 alone costs ~0.8 grey levels after downsampling, which
    the viewer's level-vs-level-0 comparisons would inherit.
    """
    return bytes(imagecodecs.jpeg8_encode(img, level=JPEG_QUALITY, subsampling="444"))


def encode_reduced(img: U8) -> bytes:
    """One reduced-level JPEG tile (YCbCr 4:4:4)."""
    return bytes(imagecodecs.jpeg8_encode(img, level=REDUCED_QUALITY, subsampling="444"))


def write_slide(
    path: str | os.PathLike[str],
    width: int,
    height: int,
    mpp: float = 0.25,
    fmt: str = "svs",
    seed: int = 0,
) -> Path:
    """Write a synthetic slide and return its path (convenience wrapper for tests)."""
    return make_slide(Path(path), width, height, mpp=mpp, fmt=fmt, seed=seed).path


def make_slide(
    path: Path,
    width: int,
    height: int,
    *,
    mpp: float = 0.25,
    fmt: str | None = None,
    seed: int = 0,
    bigtiff: bool | None = None,
    workers: int | None = None,
) -> WrittenSlide:
    """Write a pyramidal JPEG-tiled slide to ``path``.

    ``fmt`` defaults to the suffix; ``bigtiff=None`` switches to BigTIFF only when the
    file could exceed classic TIFF's 4 GB.  Raises ``ValueError`` for bad arguments.
    """
    fmt = fmt or format_for(path)
    if fmt not in FORMATS:
        raise ValueError(f"unknown slide format {fmt!r} (choose svs or tiff)")
    if width < 1 or height < 1:
        raise ValueError("width and height must be positive")
    if width >= 2**31 or height >= 2**31:
        raise ValueError("width and height must be below 2^31")
    if not mpp > 0:
        raise ValueError("mpp must be positive")
    dims = level_dimensions(width, height)
    factors = [LEVEL_FACTOR**k for k in range(len(dims))]
    thumb_factor = _thumbnail_factor(width)
    needed = {min(d, TILE) for d in factors[1:]} | {thumb_factor}
    plan = SlidePlan(width, height, TILE, seed)
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 2) as pool:
        rendered = render_distinct(plan, encode_jpeg, needed, pool)
        if bigtiff is None:
            biggest = max(len(b) for b in rendered.encoded)
            estimate = sum(len(b) for b in rendered.encoded) + biggest * plan.cols * plan.rows // 8
            bigtiff = estimate > tw.CLASSIC_LIMIT // 2
        path.parent.mkdir(parents=True, exist_ok=True)
        with tw.TiffWriter(path, bigtiff=bigtiff) as writer:
            offsets = np.array([writer.write_blob(b) for b in rendered.encoded], np.int64)
            counts = np.array([len(b) for b in rendered.encoded], np.int64)
            ids = plan.grid.ravel()
            level_ifds = [(offsets[ids], counts[ids])]
            for k in range(1, len(dims)):
                tiles = _level_tiles(plan, rendered.thumbs, factors[k], dims[k])
                level_ifds.append(_write_tiles(writer, tiles, pool))
            overview = compose(rendered.thumbs[thumb_factor], plan.grid)
            overview = overview[: height // thumb_factor, : width // thumb_factor]
            desc = _descriptions(fmt, width, height, mpp, seed, path.name)
            for k, (offs, cnts) in enumerate(level_ifds):
                text = desc if k == 0 else _level_description(fmt, width, height, dims[k])
                writer.add_ifd(_tiled_tags(writer, dims[k], offs, cnts, text, mpp, k, fmt))
                if k == 0 and fmt == "svs":
                    thumb = thumbnail_image(overview)
                    name = f"{width}x{height} -> {thumb.shape[1]}x{thumb.shape[0]} - "
                    writer.add_ifd(_strip_tags(writer, thumb, f"{APERIO_LIBRARY}\r\n{name}", 0))
            if fmt == "svs":
                label = label_image(seed, width, height)
                macro = macro_image(overview, label)
                for kind, img in (("label", label), ("macro", macro)):
                    text = f"{APERIO_LIBRARY}\r\n{kind} {img.shape[1]}x{img.shape[0]}"
                    writer.add_ifd(_strip_tags(writer, img, text, 1 if kind == "label" else 9))
    return WrittenSlide(
        path=path,
        width=width,
        height=height,
        level_dimensions=tuple(dims),
        distinct_tiles=plan.distinct,
        file_size=path.stat().st_size,
    )


def _thumbnail_factor(width: int) -> int:
    """The power-of-two scale whose composed overview is the smallest >= ~1024 px wide."""
    d = 2
    while d * 2 <= TILE and width // (d * 2) >= 1024:
        d *= 2
    return d


def _level_tiles(
    plan: SlidePlan, thumbs: dict[int, U8], factor: int, dims: tuple[int, int]
) -> list[tuple[bytes | None, Callable[[], U8]]]:
    """Level tiles in row-major order as ``(dedup_key, make_pixels)``; key None = unique.

    Pixels are produced lazily (on the encoding threads) and only for tiles that are
    actually encoded, i.e. once per distinct key.
    """
    lw, lh = dims
    cols, rows = -(-lw // TILE), -(-lh // TILE)
    out: list[tuple[bytes | None, Callable[[], U8]]] = []
    if factor > TILE:  # sub-pixel per level-0 tile: reduce the one-pixel-per-tile image
        image = box_reduce(compose(thumbs[TILE], plan.grid), factor // TILE)[:lh, :lw]
        padded = _pad(image, rows * TILE, cols * TILE)
        for r in range(rows):
            for c in range(cols):
                tile = padded[r * TILE : (r + 1) * TILE, c * TILE : (c + 1) * TILE]
                out.append((None, partial(np.asarray, tile)))
        return out
    span = factor  # level-0 tiles per level tile, per axis
    small = thumbs[factor]

    def make(r: int, c: int) -> U8:
        block = plan.grid[r * span : (r + 1) * span, c * span : (c + 1) * span]
        img = compose(small, block)
        img = img[: max(0, min(TILE, lh - r * TILE)), : max(0, min(TILE, lw - c * TILE))]
        return _pad(img, TILE, TILE)

    for r in range(rows):
        for c in range(cols):
            interior = (c + 1) * TILE <= lw and (r + 1) * TILE <= lh
            key = None
            if interior:
                key = plan.grid[r * span : (r + 1) * span, c * span : (c + 1) * span].tobytes()
            out.append((key, partial(make, r, c)))
    return out


def _pad(img: U8, height: int, width: int) -> U8:
    """Pad with background to ``(height, width)`` (TIFF tiles are always full size)."""
    if img.shape[0] == height and img.shape[1] == width:
        return img
    out = np.full((height, width, 3), _WHITE, np.uint8)
    out[: img.shape[0], : img.shape[1]] = img
    return out


def _write_tiles(
    writer: tw.TiffWriter,
    tiles: Sequence[tuple[bytes | None, Callable[[], U8]]],
    pool: ThreadPoolExecutor,
) -> tuple[np.ndarray, np.ndarray]:
    """Encode distinct tiles (in parallel), write each once, return offsets/counts."""
    first: dict[bytes, int] = {}
    todo: list[int] = []
    source = np.empty(len(tiles), np.int64)
    for i, (key, _) in enumerate(tiles):
        if key is not None and key in first:
            source[i] = first[key]
            continue
        if key is not None:
            first[key] = i
        source[i] = i
        todo.append(i)
    offsets = np.zeros(len(tiles), np.int64)
    counts = np.zeros(len(tiles), np.int64)
    for i, data in zip(
        todo, pool.map(lambda j: encode_reduced(tiles[j][1]()), todo, chunksize=16), strict=True
    ):
        offsets[i] = writer.write_blob(data)
        counts[i] = len(data)
    return offsets[source], counts[source]


def _descriptions(fmt: str, width: int, height: int, mpp: float, seed: int, name: str) -> str:
    """The first IFD's ImageDescription (Aperio key/value header for SVS)."""
    if fmt != "svs":
        return f"Synthetic whole-slide image (workstation make-slide) seed={seed} mpp={mpp:g}"
    mag = max(1, round(10.0 / mpp))
    fields = [
        f"{APERIO_LIBRARY}\r\n{width}x{height} [0,0 {width}x{height}] ({TILE}x{TILE}) "
        f"JPEG Q={JPEG_QUALITY}",
        f"AppMag = {mag}",
        "StripeWidth = 2048",
        "ScanScope ID = SYNTH-0001",
        f"Filename = {Path(name).stem}",
        "Date = 01/01/26",
        "Time = 00:00:00",
        "Time Zone = GMT+0000",
        f"MPP = {mpp:.6g}",
        "Left = 0.000000",
        "Top = 0.000000",
        "LineCameraSkew = 0.000000",
        "LineAreaXOffset = 0.000000",
        "LineAreaYOffset = 0.000000",
        "Focus Offset = 0.000000",
        f"OriginalWidth = {width}",
        f"OriginalHeight = {height}",
        f"Synthetic Seed = {seed}",
    ]
    return "|".join(fields)


def _level_description(fmt: str, width: int, height: int, dims: tuple[int, int]) -> str:
    if fmt != "svs":
        return f"Synthetic whole-slide image, reduced level {dims[0]}x{dims[1]}"
    return (
        f"{APERIO_LIBRARY}\r\n{width}x{height} [0,0 {width}x{height}] ({TILE}x{TILE}) "
        f"-> {dims[0]}x{dims[1]} JPEG Q={JPEG_QUALITY}"
    )


def _resolution_tags(mpp: float) -> list[tw.Tag]:
    """Pixels per centimetre; OpenSlide's generic-tiff derives ``openslide.mpp-*`` from it."""
    per_cm = 10000.0 / mpp
    num, den = round(per_cm * 1000), 1000
    return [
        tw.Tag(tw.X_RESOLUTION, tw.RATIONAL, [num, den]),
        tw.Tag(tw.Y_RESOLUTION, tw.RATIONAL, [num, den]),
        tw.Tag(tw.RESOLUTION_UNIT, tw.SHORT, [3]),
    ]


def _tiled_tags(
    writer: tw.TiffWriter,
    dims: tuple[int, int],
    offsets: np.ndarray,
    counts: np.ndarray,
    description: str,
    mpp: float,
    level: int,
    fmt: str,
) -> list[tw.Tag]:
    subfile = 0 if level == 0 or fmt == "svs" else 1
    return [
        tw.Tag(tw.NEW_SUBFILE_TYPE, tw.LONG, [subfile]),
        tw.Tag(tw.IMAGE_WIDTH, tw.LONG, [dims[0]]),
        tw.Tag(tw.IMAGE_LENGTH, tw.LONG, [dims[1]]),
        tw.Tag(tw.BITS_PER_SAMPLE, tw.SHORT, [8, 8, 8]),
        tw.Tag(tw.COMPRESSION, tw.SHORT, [7]),
        tw.Tag(tw.PHOTOMETRIC, tw.SHORT, [6]),
        tw.ascii_tag(tw.IMAGE_DESCRIPTION, description),
        tw.Tag(tw.SAMPLES_PER_PIXEL, tw.SHORT, [3]),
        tw.Tag(tw.PLANAR_CONFIG, tw.SHORT, [1]),
        tw.ascii_tag(tw.SOFTWARE, "desktop_app make-slide"),
        tw.Tag(tw.TILE_WIDTH, tw.SHORT, [TILE]),
        tw.Tag(tw.TILE_LENGTH, tw.SHORT, [TILE]),
        tw.Tag(tw.TILE_OFFSETS, writer.offset_type, offsets),
        tw.Tag(tw.TILE_BYTE_COUNTS, writer.offset_type, counts),
        tw.Tag(tw.YCBCR_SUBSAMPLING, tw.SHORT, [1, 1]),
        *_resolution_tags(mpp * (LEVEL_FACTOR**level)),
    ]


def _strip_tags(writer: tw.TiffWriter, img: U8, description: str, subfile: int) -> list[tw.Tag]:
    """A single-strip, deflate-compressed RGB image (Aperio's associated-image layout)."""
    h, w = img.shape[:2]
    data = zlib.compress(np.ascontiguousarray(img).tobytes(), 6)
    offset = writer.write_blob(data)
    return [
        tw.Tag(tw.NEW_SUBFILE_TYPE, tw.LONG, [subfile]),
        tw.Tag(tw.IMAGE_WIDTH, tw.LONG, [w]),
        tw.Tag(tw.IMAGE_LENGTH, tw.LONG, [h]),
        tw.Tag(tw.BITS_PER_SAMPLE, tw.SHORT, [8, 8, 8]),
        tw.Tag(tw.COMPRESSION, tw.SHORT, [8]),
        tw.Tag(tw.PHOTOMETRIC, tw.SHORT, [2]),
        tw.ascii_tag(tw.IMAGE_DESCRIPTION, description),
        tw.Tag(tw.STRIP_OFFSETS, writer.offset_type, [offset]),
        tw.Tag(tw.SAMPLES_PER_PIXEL, tw.SHORT, [3]),
        tw.Tag(tw.ROWS_PER_STRIP, tw.LONG, [h]),
        tw.Tag(tw.STRIP_BYTE_COUNTS, writer.offset_type, [len(data)]),
        tw.Tag(tw.PLANAR_CONFIG, tw.SHORT, [1]),
    ]
