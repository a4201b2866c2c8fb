"""Procedural H&E-like tissue, rendered one level-0 tile at a time.

Why tiles are rendered from *quantised tile-corner densities*: a gigapixel slide cannot
be rendered pixel by pixel in seconds, but it can be assembled from a small pool of
distinct tiles.  Each tile's tissue density is the bilinear interpolation of four corner
values (``0..LEVELS-1``) plus a noise that is periodic with the tile size, so a tile is a
pure function of ``(corners, variant)`` and neighbouring tiles still join seamlessly: on
a shared edge both interpolate the same two corners and see the same noise.  Nuclei are
kept away from tile edges for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

Corners = tuple[int, int, int, int]  # top-left, top-right, bottom-left, bottom-right
FloatArray = npt.NDArray[np.float32]
U8 = npt.NDArray[np.uint8]

LEVELS = 5  # corner density levels 0 (glass) .. 4 (dense)
PHASES = 2  # textures repeat every PHASES tiles per axis (hides the pool's repetition)
BACKGROUND = (243.0, 242.0, 245.0)
_TISSUE_THRESHOLD = 0.18
_CMAP_F = np.array([0.18, 0.3, 0.5, 0.75, 1.0], np.float32)
_CMAP_RGB = np.array(
    [
        [240, 200, 220],
        [236, 186, 210],
        [226, 148, 190],
        [196, 118, 178],
        [158, 90, 166],
    ],
    np.float32,
)
_NUCLEUS = np.array([78, 42, 118], np.float32)


def periodic_noise(
    rng: np.random.Generator, size: int, scale: float, stretch: float = 1.0
) -> FloatArray:
    """Smooth noise with unit std that wraps around at ``size`` in both axes.

    Built by low-pass filtering white noise in the Fourier domain, which makes it exactly
    periodic; ``scale`` is the feature size in pixels, ``stretch`` > 1 elongates features
    horizontally (collagen-fibre look).
    """
    white = rng.standard_normal((size, size))
    fy = np.fft.fftfreq(size)[:, None]
    fx = np.fft.fftfreq(size)[None, :]
    radius2 = (fx * stretch) ** 2 + fy**2
    spectrum = np.fft.fft2(white) * np.exp(-radius2 * (np.pi * scale) ** 2)
    noise = np.real(np.fft.ifft2(spectrum))
    noise -= noise.mean()
    noise /= noise.std() + 1e-9
    return noise.astype(np.float32)


def _bilinear_grid(grid: npt.NDArray[np.float64], u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Sample a coarse grid spanning the unit square at points ``(u, v)`` in [0, 1]."""
    gh, gw = grid.shape
    x = np.clip(u, 0, 1) * (gw - 1)
    y = np.clip(v, 0, 1) * (gh - 1)
    x0 = np.minimum(np.floor(x).astype(int), gw - 2)
    y0 = np.minimum(np.floor(y).astype(int), gh - 2)
    tx, ty = x - x0, y - y0
    top = grid[y0, x0] * (1 - tx) + grid[y0, x0 + 1] * tx
    bottom = grid[y0 + 1, x0] * (1 - tx) + grid[y0 + 1, x0 + 1] * tx
    return top * (1 - ty) + bottom * ty


def corner_levels(width: int, height: int, tile: int, seed: int) -> npt.NDArray[np.uint8]:
    """Quantised tissue density at every tile corner, shape ``(rows + 1, cols + 1)``.

    A few random elliptical blobs plus coarse noise give irregular tissue fragments; the
    layout is a function of the seed only and is expressed in slide-relative
    coordinates, so the same seed gives the same-looking slide at any size.
    """
    rng = np.random.default_rng([seed, 0x5EED])
    cols, rows = -(-width // tile), -(-height // tile)
    u = (np.arange(cols + 1) * tile / width)[None, :]
    v = (np.arange(rows + 1) * tile / height)[:, None]
    density = np.zeros((rows + 1, cols + 1))
    for _ in range(int(rng.integers(3, 7))):
        cu, cv = rng.uniform(0.18, 0.82, 2)
        ru, rv = rng.uniform(0.08, 0.24, 2)
        angle = rng.uniform(0, np.pi)
        du, dv = u - cu, v - cv
        a = (du * np.cos(angle) + dv * np.sin(angle)) / ru
        b = (-du * np.sin(angle) + dv * np.cos(angle)) / rv
        density = density + rng.uniform(0.8, 1.3) * np.exp(-(a**2 + b**2))
    density += 0.25 * _bilinear_grid(rng.standard_normal((7, 7)), u, v)
    # Fade out towards the border: tissue sits on the glass, not across its edges.
    edge = np.minimum(np.minimum(u, 1 - u), np.minimum(v, 1 - v))
    density *= np.clip(edge / 0.08, 0, 1)
    levels = np.ceil((density - 0.3) / 0.18)
    return np.clip(levels, 0, LEVELS - 1).astype(np.uint8)


@dataclass
class TissueRenderer:
    """Renders base tiles; the periodic textures are shared by every tile of a slide."""

    tile: int
    seed: int
    _edge_noise: FloatArray = field(init=False, repr=False)
    _fibres: FloatArray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        rng = np.random.default_rng([self.seed, 0x7155])
        size = self.tile * PHASES
        self._edge_noise = periodic_noise(rng, size, scale=10.0)
        self._fibres = periodic_noise(rng, size, scale=3.0, stretch=4.0)
        t = self.tile
        ramp = (np.arange(t, dtype=np.float32) + 0.5) / t
        self._ramp_x = ramp[None, :]
        self._ramp_y = ramp[:, None]

    def _noise(self, noise: FloatArray, phase: int) -> FloatArray:
        """The tile-sized window of a texture for ``phase`` = ``(col % P) * P + row % P``."""
        t = self.tile
        px, py = divmod(phase, PHASES)
        return noise[py * t : (py + 1) * t, px * t : (px + 1) * t]

    def field(self, corners: Corners, phase: int = 0) -> FloatArray:
        """Tissue density in [0, 1+] over the tile (0 = glass)."""
        c = np.asarray(corners, np.float32) / (LEVELS - 1)
        top = c[0] + (c[1] - c[0]) * self._ramp_x
        bottom = c[2] + (c[3] - c[2]) * self._ramp_x
        f = top + (bottom - top) * self._ramp_y
        # Perturb boundaries only where there is some tissue, so glass stays clean.
        return f + 0.09 * self._noise(self._edge_noise, phase) * np.clip(f * 8.0, 0.0, 1.0)

    def render(self, corners: Corners, variant: int, phase: int = 0) -> U8:
        """The RGB base tile for ``corners``; ``variant`` picks the nuclei layout and
        ``phase`` the window of the (PHASES-tile periodic) textures."""
        t = self.tile
        if not any(corners):
            return np.broadcast_to(np.asarray(BACKGROUND, np.uint8), (t, t, 3)).copy()
        f = self.field(corners, phase)
        alpha = np.clip((f - _TISSUE_THRESHOLD) / 0.03, 0.0, 1.0)[..., None]
        colour = np.stack(
            [np.interp(f, _CMAP_F, _CMAP_RGB[:, i]) for i in range(3)], axis=-1
        ).astype(np.float32)
        colour *= (1.0 + 0.07 * self._noise(self._fibres, phase))[..., None]
        img = np.asarray(BACKGROUND, np.float32) * (1.0 - alpha) + colour * alpha
        self._draw_nuclei(img, f, corners, variant)
        return np.clip(np.rint(img), 0, 255).astype(np.uint8)

    def _draw_nuclei(self, img: FloatArray, f: FloatArray, corners: Corners, variant: int) -> None:
        """Dark purple ellipses, denser in dense tissue, never touching the tile edge."""
        rng = np.random.default_rng([self.seed, variant, *corners])
        t = self.tile
        margin, rmax = 12, 8
        n = 70
        xs = rng.integers(margin, t - margin, n)
        ys = rng.integers(margin, t - margin, n)
        rx = rng.uniform(4.0, rmax, n)
        ry = rng.uniform(3.5, 6.5, n)
        theta = rng.uniform(0, np.pi, n)
        keep = rng.random(n)
        shade = rng.uniform(0.85, 1.15, n)
        win = np.arange(-rmax - 1, rmax + 2, dtype=np.float32)
        gy, gx = np.meshgrid(win, win, indexing="ij")
        for i in range(n):
            fc = float(f[ys[i], xs[i]])
            if fc < 0.22 or keep[i] > (fc - 0.15) * 1.1:
                continue
            ct, st = np.cos(theta[i]), np.sin(theta[i])
            a = (gx * ct + gy * st) / rx[i]
            b = (-gx * st + gy * ct) / ry[i]
            dist = np.sqrt(a * a + b * b)
            cover = np.clip((1.0 - dist) * max(rx[i], ry[i]), 0.0, 1.0)[..., None]
            y0, x0 = ys[i] - rmax - 1, xs[i] - rmax - 1
            sl = img[y0 : y0 + win.size, x0 : x0 + win.size]
            sl[...] = sl * (1.0 - cover) + (_NUCLEUS * shade[i]) * cover
