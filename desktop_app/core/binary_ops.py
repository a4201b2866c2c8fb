"""The few image operations the wand needs, in numpy alone.

The wand works on a window of ~150 x 150 screen pixels, where a handful of vectorised
numpy passes are as fast as SciPy's C routines; the application then does not carry
SciPy (34 MB in the bundle, with its own OpenBLAS) for five functions. Each function
matches the ``scipy.ndimage`` call named in its docstring (tests/core/test_binary_ops.py
checks them against a reference written pixel by pixel):

* :func:`gaussian_blur` — ``gaussian_filter(mode="nearest", truncate=2.0)`` per plane;
* :func:`seed_component` — the 4-connected component of a seed (``label``);
* :func:`fill_holes` — ``binary_fill_holes`` with 4-connected background;
* :func:`binary_closing` — ``binary_closing(border_value=0)``;
* :func:`square_dilation` — ``distance_transform_cdt(metric="chessboard") <= radius``
  (the wand only looks a few pixels away from the outline).

Connected components are found on pixel *runs* (one row's consecutive set pixels):
runs of adjacent rows that share a column are joined, and the run graph is labelled by
hooking roots onto smaller roots with full path compression — a few vectorised passes,
never a Python loop over pixels.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Mask = npt.NDArray[np.bool_]
F32 = npt.NDArray[np.float32]
Ints = npt.NDArray[np.intp]


def gaussian_blur(img: F32, sigma: float, truncate: float = 2.0) -> F32:
    """Gaussian smoothing of each plane of a (planes, h, w) array, edges repeated
    (``scipy.ndimage.gaussian_filter(img, (0, s, s), mode="nearest", truncate=2.0)``)."""
    if sigma <= 0:
        return img
    radius = int(truncate * sigma + 0.5)
    x = np.arange(-radius, radius + 1, dtype=np.float64)
    kernel = np.exp(-0.5 * (x / sigma) ** 2)
    kernel = (kernel / kernel.sum()).astype(np.float32)
    h, w = img.shape[1:]
    padded = np.pad(img, ((0, 0), (radius, radius), (0, 0)), mode="edge")
    rows = kernel[0] * padded[:, 0:h, :]
    for k in range(1, 2 * radius + 1):
        rows += kernel[k] * padded[:, k : k + h, :]
    padded = np.pad(rows, ((0, 0), (0, 0), (radius, radius)), mode="edge")
    out: npt.NDArray[np.float32] = kernel[0] * padded[:, :, 0:w]
    for k in range(1, 2 * radius + 1):
        out += kernel[k] * padded[:, :, k : k + w]
    return out


def _runs(mask: Mask) -> tuple[Ints, Ints, Ints]:
    """Rows, first and one-past-last columns of the runs of set pixels, row-major."""
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    edges = np.diff(padded, axis=1)
    rows, starts = np.nonzero(edges == 1)  # nonzero is row-major: runs sorted by row, start
    _, ends = np.nonzero(edges == -1)
    return rows, starts, ends


def _run_labels(rows: Ints, starts: Ints, ends: Ints) -> Ints:
    """A component label per run (the smallest run index of its component)."""
    n = len(rows)
    parent = np.arange(n)
    if n < 2:
        return parent
    # Runs of row r + 1 against runs of row r: run b (below) touches run a (above) when
    # their column spans overlap. Above runs are sorted by start within a row, and do not
    # overlap each other, so the ones touching b form one index range.
    key_start = rows * (1 << 32) + starts
    key_end = rows * (1 << 32) + ends
    above_row = rows - 1
    first = np.searchsorted(key_end, above_row * (1 << 32) + starts, side="right")
    last = np.searchsorted(key_start, above_row * (1 << 32) + ends, side="left")
    count = np.maximum(last - first, 0)
    if not count.any():
        return parent
    below = np.repeat(np.arange(n), count)
    offsets = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    above = np.repeat(first, count) + offsets
    while True:
        pa, pb = parent[above], parent[below]
        differ = pa != pb
        if not differ.any():
            return parent
        lo = np.minimum(pa, pb)[differ]
        hi = np.maximum(pa, pb)[differ]
        np.minimum.at(parent, hi, lo)  # roots hook onto smaller roots: no cycles
        while True:
            jumped = parent[parent]
            if np.array_equal(jumped, parent):
                break
            parent = jumped


def _paint(shape: tuple[int, ...], rows: Ints, starts: Ints, ends: Ints) -> Mask:
    """The mask whose set pixels are the given runs."""
    flat = np.zeros(shape[0] * (shape[1] + 1), dtype=np.int8)
    base = rows * (shape[1] + 1)
    np.add.at(flat, base + starts, 1)
    np.add.at(flat, base + ends, -1)
    return np.cumsum(flat).reshape(shape[0], shape[1] + 1)[:, :-1].astype(bool)


def seed_component(mask: Mask, r: int, c: int) -> Mask:
    """The 4-connected component of ``mask`` containing (r, c); empty when it is unset."""
    if not mask[r, c]:
        return np.zeros(mask.shape, dtype=bool)
    rows, starts, ends = _runs(mask)
    labels = _run_labels(rows, starts, ends)
    seed = np.nonzero((rows == r) & (starts <= c) & (ends > c))[0][0]
    keep = labels == labels[seed]
    return _paint(mask.shape, rows[keep], starts[keep], ends[keep])


def fill_holes(region: Mask) -> Mask:
    """``region`` plus every 4-connected background part that does not reach the edge."""
    rows, starts, ends = _runs(~region)
    if len(rows) == 0:
        return region
    labels = _run_labels(rows, starts, ends)
    h, w = region.shape
    at_edge = (rows == 0) | (rows == h - 1) | (starts == 0) | (ends == w)
    outside = np.isin(labels, labels[at_edge])
    return ~_paint(region.shape, rows[outside], starts[outside], ends[outside])


def _shifted_or(mask: Mask, offsets: list[tuple[int, int]], pad: int, outside: bool) -> Mask:
    """OR of ``mask`` shifted by each offset; pixels beyond the array count as ``outside``."""
    h, w = mask.shape
    padded = np.full((h + 2 * pad, w + 2 * pad), outside, dtype=bool)
    padded[pad : pad + h, pad : pad + w] = mask
    out = np.zeros_like(mask)
    for dr, dc in offsets:
        out |= padded[pad + dr : pad + dr + h, pad + dc : pad + dc + w]
    return out


def binary_closing(mask: Mask, structure: Mask) -> Mask:
    """Dilation then erosion by the symmetric ``structure``, outside the array unset
    (``scipy.ndimage.binary_closing(mask, structure, border_value=0)``)."""
    centre = structure.shape[0] // 2
    offsets = [
        (int(r) - centre, int(c) - centre) for r, c in zip(*np.nonzero(structure), strict=True)
    ]
    dilated = _shifted_or(mask, offsets, centre, outside=False)
    # Erosion is the complement's dilation; beyond the edge the complement is set.
    return ~_shifted_or(~dilated, offsets, centre, outside=True)


def square_dilation(mask: Mask, radius: int) -> Mask:
    """Pixels within chessboard distance ``radius`` of ``mask`` (dilation by a square of
    side 2 * radius + 1; ``distance_transform_cdt(~mask, "chessboard") <= radius``)."""
    h, w = mask.shape
    padded = np.zeros((h + 2 * radius, w + 2 * radius), dtype=bool)
    padded[radius : radius + h, radius : radius + w] = mask
    across = padded[:, 0:w].copy()
    for k in range(1, 2 * radius + 1):
        across |= padded[:, k : k + w]
    out = across[0:h].copy()
    for k in range(1, 2 * radius + 1):
        out |= across[k : k + h]
    return out
