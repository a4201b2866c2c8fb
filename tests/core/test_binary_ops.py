"""The wand's numpy image operations against references written pixel by pixel."""

from __future__ import annotations

from collections import deque

import numpy as np
import pytest

from desktop_app.core import binary_ops
from desktop_app.core.wand import _CLOSING

FOUR = ((1, 0), (-1, 0), (0, 1), (0, -1))


def random_masks(count: int, seed: int = 0) -> list[np.ndarray]:
    """Blobby masks (thresholded smoothed noise) with holes, spirals of runs, edges."""
    rng = np.random.default_rng(seed)
    masks = []
    for _ in range(count):
        h, w = (int(v) for v in rng.integers(3, 40, 2))
        noise = rng.random((h + 2, w + 2))
        smooth = (noise[:-2, 1:-1] + noise[2:, 1:-1] + noise[1:-1, :-2] + noise[1:-1, 2:]) / 4
        masks.append(smooth > rng.uniform(0.3, 0.7))
    return masks


def flood(mask: np.ndarray, r: int, c: int) -> np.ndarray:
    out = np.zeros_like(mask)
    if not mask[r, c]:
        return out
    todo = deque([(r, c)])
    out[r, c] = True
    while todo:
        y, x = todo.popleft()
        for dy, dx in FOUR:
            yy, xx = y + dy, x + dx
            inside = 0 <= yy < mask.shape[0] and 0 <= xx < mask.shape[1]
            if inside and mask[yy, xx] and not out[yy, xx]:
                out[yy, xx] = True
                todo.append((yy, xx))
    return out


def test_seed_component_matches_a_flood_fill() -> None:
    rng = np.random.default_rng(1)
    for mask in random_masks(200):
        r, c = int(rng.integers(mask.shape[0])), int(rng.integers(mask.shape[1]))
        np.testing.assert_array_equal(binary_ops.seed_component(mask, r, c), flood(mask, r, c))


def test_seed_component_keeps_diagonal_neighbours_apart() -> None:
    mask = np.array([[1, 0], [0, 1]], dtype=bool)
    assert binary_ops.seed_component(mask, 0, 0).sum() == 1
    spiral = np.ones((7, 7), dtype=bool)
    spiral[1, 1:6] = spiral[1:6, 5] = spiral[5, 1:5] = spiral[3:5, 1] = spiral[3, 2:4] = False
    assert binary_ops.seed_component(spiral, 4, 3).sum() == flood(spiral, 4, 3).sum()


def test_fill_holes_fills_what_does_not_reach_the_edge() -> None:
    for mask in random_masks(200, seed=2):
        background = ~mask
        outside = np.zeros_like(mask)
        h, w = mask.shape
        for r in range(h):
            for c in range(w):
                if (r in (0, h - 1) or c in (0, w - 1)) and background[r, c] and not outside[r, c]:
                    outside |= flood(background, r, c)
        np.testing.assert_array_equal(binary_ops.fill_holes(mask), ~outside)


def morph(mask: np.ndarray, structure: np.ndarray, erode: bool) -> np.ndarray:
    h, w = mask.shape
    k = structure.shape[0] // 2
    out = np.zeros_like(mask)
    for r in range(h):
        for c in range(w):
            hits = []
            for dr, dc in zip(*np.nonzero(structure), strict=True):
                rr, cc = r + dr - k, c + dc - k
                hits.append(bool(mask[rr, cc]) if 0 <= rr < h and 0 <= cc < w else False)
            out[r, c] = all(hits) if erode else any(hits)
    return out


def test_binary_closing_is_dilation_then_erosion_with_an_unset_border() -> None:
    for mask in random_masks(40, seed=3):
        expected = morph(morph(mask, _CLOSING, erode=False), _CLOSING, erode=True)
        np.testing.assert_array_equal(binary_ops.binary_closing(mask, _CLOSING), expected)


@pytest.mark.parametrize("radius", [1, 3, 6])
def test_square_dilation_is_the_chessboard_neighbourhood(radius: int) -> None:
    for mask in random_masks(40, seed=4):
        square = np.ones((2 * radius + 1, 2 * radius + 1), dtype=bool)
        expected = morph(mask, square, erode=False)
        np.testing.assert_array_equal(binary_ops.square_dilation(mask, radius), expected)


@pytest.mark.parametrize("sigma", [0.75, 1.5, 3.0])
def test_gaussian_blur_repeats_the_edges_and_truncates_at_two_sigma(sigma: float) -> None:
    rng = np.random.default_rng(5)
    img = (rng.random((3, 17, 23)) * 255).astype(np.float32)
    radius = int(2.0 * sigma + 0.5)
    offsets = np.arange(-radius, radius + 1)
    weights = np.exp(-0.5 * (offsets / sigma) ** 2)
    weights /= weights.sum()
    expected = np.zeros_like(img, dtype=np.float64)
    h, w = img.shape[1:]
    for p in range(3):
        for r in range(h):
            for c in range(w):
                total = 0.0
                for i, dr in enumerate(offsets):
                    for j, dc in enumerate(offsets):
                        rr = min(max(r + dr, 0), h - 1)
                        cc = min(max(c + dc, 0), w - 1)
                        total += weights[i] * weights[j] * img[p, rr, cc]
                expected[p, r, c] = total
    np.testing.assert_allclose(binary_ops.gaussian_blur(img, sigma), expected, atol=1e-3)
    assert binary_ops.gaussian_blur(img, 0.0) is img
