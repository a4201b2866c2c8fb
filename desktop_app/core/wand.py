"""Wand region growing: the colour-similar region around a point, in displayed pixels.

QuPath's wand (``WandToolEventHandler``) works on a small square of the image *as it is
displayed* (149 screen pixels at the viewer's downsample), so the region it finds
follows the zoom: zoomed out, one click takes a whole gland; zoomed in, a nucleus. We
do the same, in numpy (:mod:`desktop_app.core.binary_ops`):

1. smooth the window with a Gaussian (``sigma_px`` screen pixels);
2. the tolerance per channel is the window's standard deviation divided by the
   ``sensitivity`` (higher sensitivity: only closer colours, a smaller region);
3. the 4-connected component of "within tolerance of the seed's colour" containing the
   seed, limited to the disc inscribed in the window;
4. the outline is moved to the colour edge itself (smoothing alone stops short of it,
   see :func:`_snap_to_edge`), then a morphological closing (5x5 disc) and hole
   filling, as QuPath keeps only external contours;
5. pixel runs become boxes merged by a coverage union (exact pixel edges), then
   simplified by ``smooth_px`` screen pixels so the outline is not a staircase.

Everything is pure (numpy in, shapely out): the UI reads the pixels off the UI thread
and calls :func:`wand_region` there too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from shapely import affinity
from shapely.geometry.base import BaseGeometry

from desktop_app.core import binary_ops

U8 = npt.NDArray[np.uint8]
Mask = npt.NDArray[np.bool_]

#: Side of the analysed square in screen pixels (QuPath's value).
WINDOW_PX = 149
MIN_SENSITIVITY = 0.1
MAX_SENSITIVITY = 20.0
_CLOSING = np.array(
    [
        [0, 1, 1, 1, 0],
        [1, 1, 1, 1, 1],
        [1, 1, 1, 1, 1],
        [1, 1, 1, 1, 1],
        [0, 1, 1, 1, 0],
    ],
    dtype=bool,
)


@dataclass(frozen=True, slots=True)
class WandParams:
    """``sensitivity``: tolerance = local standard deviation / sensitivity (QuPath's
    default 2); ``sigma_px``: smoothing in screen pixels; ``smooth_px``: outline
    simplification in screen pixels; ``window_px``: side of the analysed square."""

    sensitivity: float = 2.0
    sigma_px: float = 1.5
    smooth_px: float = 0.75
    window_px: int = WINDOW_PX

    def with_sensitivity(self, value: float) -> WandParams:
        value = float(min(max(value, MIN_SENSITIVITY), MAX_SENSITIVITY))
        return WandParams(value, self.sigma_px, self.smooth_px, self.window_px)


@dataclass(frozen=True, slots=True)
class PixelWindow:
    """Displayed pixels around a point: ``rgb[r, c]`` covers the level-0 square
    ``[x0 + c*downsample, x0 + (c+1)*downsample) x [y0 + r*downsample, ...)``.
    ``valid`` marks pixels inside the slide (False beyond its edges)."""

    rgb: U8
    x0: float
    y0: float
    downsample: float
    valid: Mask | None = None

    def to_level0(self, geom: BaseGeometry) -> BaseGeometry:
        ds = self.downsample
        return affinity.affine_transform(geom, [ds, 0.0, 0.0, ds, self.x0, self.y0])


def window_bounds(x: float, y: float, downsample: float, size: int = WINDOW_PX) -> tuple[int, int]:
    """Level-0 top-left of the ``size`` x ``size`` screen-pixel window centred on (x, y)."""
    half = size * downsample / 2.0
    return int(round(x - half)), int(round(y - half))


def grow_mask(
    rgb: U8, seed: tuple[int, int], params: WandParams, valid: Mask | None = None
) -> Mask:
    """The region around ``seed`` (row, col) whose smoothed colour is close to the seed's."""
    raw = np.ascontiguousarray(np.moveaxis(rgb[..., :3], -1, 0), dtype=np.float32)  # (3, h, w)
    h, w = raw.shape[1:]
    sigma = max(params.sigma_px, 0.0)
    img = binary_ops.gaussian_blur(raw, sigma)
    r, c = seed
    yy, xx = np.ogrid[:h, :w]
    radius = min(h, w) / 2.0
    allowed = (yy - r) ** 2 + (xx - c) ** 2 <= radius * radius
    if valid is not None:
        allowed &= valid
    if not allowed.any():
        return np.zeros((h, w), dtype=bool)
    close = allowed.copy()
    for plane in img:
        values = plane if valid is None else plane[valid]
        tolerance = max(float(values.std()) / max(params.sensitivity, MIN_SENSITIVITY), 1.0)
        close &= np.abs(plane - plane[r, c]) <= tolerance
    region = binary_ops.seed_component(close, r, c)
    if not region.any():
        return region
    region = _snap_to_edge(region, binary_ops.gaussian_blur(raw, min(sigma, 0.75)), allowed, sigma)
    region = binary_ops.seed_component(region, r, c)
    region = binary_ops.binary_closing(region, _CLOSING) | region
    return binary_ops.fill_holes(region)


def _snap_to_edge(region: Mask, img: npt.NDArray[np.float32], allowed: Mask, sigma: float) -> Mask:
    """Move the outline from where the smoothing put it to the colour edge itself.

    Smoothing blends the two sides of an edge, so a tolerance below half the contrast
    stops short of it (by about 0.7 sigma): the region shrinks. In a band around the
    outline, a pixel joins when its (lightly smoothed) colour is nearer the region's
    mean colour than the mean colour just outside.
    """
    reach = int(np.ceil(2 * sigma)) + 1
    near = binary_ops.square_dilation(region, reach)
    band = near & ~region & allowed
    ring = binary_ops.square_dilation(region, reach + 2) & ~near & allowed
    if not ring.any() or not band.any():
        return region
    inside_mean = img[:, region].mean(axis=1)
    outside_mean = img[:, ring].mean(axis=1)
    candidates = img[:, band]  # (3, k): only the band's pixels are compared
    d_in = ((candidates - inside_mean[:, None]) ** 2).sum(axis=0)
    d_out = ((candidates - outside_mean[:, None]) ** 2).sum(axis=0)
    out = region.copy()
    out[band] = d_in < d_out
    return out


def mask_to_geometry(mask: Mask) -> BaseGeometry:
    """The exact outline of ``mask``'s pixels (pixel (r, c) is the unit square at c, r)."""
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    edges = np.diff(padded, axis=1)
    rows_s, starts = np.nonzero(edges == 1)
    rows_e, ends = np.nonzero(edges == -1)
    if len(starts) == 0:
        return shapely.Polygon()
    order_s = np.lexsort((starts, rows_s))
    order_e = np.lexsort((ends, rows_e))
    rows = rows_s[order_s].astype(float)
    boxes = shapely.box(starts[order_s], rows, ends[order_e], rows + 1.0)
    return shapely.union_all(boxes)


def wand_region(window: PixelWindow, x: float, y: float, params: WandParams) -> BaseGeometry | None:
    """The wand's region (level-0, polygonal) for a seed at level-0 (x, y); None when the
    seed is outside the window or the region is a speck."""
    ds = window.downsample
    c = int(np.floor((x - window.x0) / ds))
    r = int(np.floor((y - window.y0) / ds))
    h, w = window.rgb.shape[:2]
    if not (0 <= r < h and 0 <= c < w) or (window.valid is not None and not window.valid[r, c]):
        return None
    mask = grow_mask(window.rgb, (r, c), params, window.valid)
    if mask.sum() < 2:
        return None
    outline = mask_to_geometry(mask)
    if params.smooth_px > 0:
        outline = outline.simplify(params.smooth_px, preserve_topology=True)
    outline = shapely.make_valid(outline) if not outline.is_valid else outline
    polygonal = _polygonal(outline)
    if polygonal is None or polygonal.area <= 1.0:
        return None
    return window.to_level0(polygonal)


def _polygonal(geom: BaseGeometry) -> BaseGeometry | None:
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else None


def sensitivity_step(value: float, steps: float) -> float:
    """``value`` changed by ``steps`` wheel notches (x1.25 each), clamped."""
    new = value * (1.25**steps)
    return float(min(max(new, MIN_SENSITIVITY), MAX_SENSITIVITY))
