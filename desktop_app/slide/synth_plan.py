"""Which distinct level-0 tiles a synthetic slide needs, and their pixels at every scale.

The plan maps every level-0 tile position to the id of a *distinct* tile (same tissue
corners, nuclei variant, grid lines and label => same pixels => same JPEG bytes).  Each
distinct tile is rendered once, encoded once and box-downsampled once per pyramid scale;
lower pyramid levels are then assembled from those small thumbnails with numpy fancy
indexing, which is exactly "downsample level 0" without ever holding level 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from desktop_app.slide.glyphs import draw_text
from desktop_app.slide.tissue import LEVELS, PHASES, Corners, TissueRenderer, corner_levels

U8 = npt.NDArray[np.uint8]
I32 = npt.NDArray[np.int32]

GRID_PERIOD_TILES = 4  # a 1-px reticle line every 4 tiles ...
GRID_OFFSET = 128  # ... crossing the middle of the tile, not its edge
MAX_LABELS = 4000  # tiles carrying their "col,row" as text
UNIQUE_VARIANTS_BELOW = 1024  # small slides: every tile has its own nuclei layout
POOL_VARIANTS = 4


@dataclass(frozen=True, slots=True)
class TileSpec:
    """Everything that determines a level-0 tile's pixels."""

    corners: Corners
    variant: int
    phase: int
    vline: bool
    hline: bool
    label: str | None


def box_chain(tile: U8, factors: Iterable[int]) -> dict[int, U8]:
    """Box-filtered copies of ``tile`` at each power-of-two ``factor`` (exact area means)."""
    wanted = sorted(set(factors))
    out: dict[int, U8] = {}
    acc = tile.astype(np.float32)
    d = 1
    while wanted and d < wanted[-1]:
        acc = (acc[0::2, 0::2] + acc[1::2, 0::2] + acc[0::2, 1::2] + acc[1::2, 1::2]) * 0.25
        d *= 2
        if d in wanted:
            out[d] = np.rint(acc).astype(np.uint8)
    return out


@dataclass
class SlidePlan:
    """The distinct-tile decomposition of a synthetic slide."""

    width: int
    height: int
    tile: int
    seed: int
    cols: int = field(init=False)
    rows: int = field(init=False)
    grid: I32 = field(init=False, repr=False)  # (rows, cols) distinct-tile id per tile
    specs: list[TileSpec] = field(init=False, repr=False)
    label_stride: int = field(init=False)

    def __post_init__(self) -> None:
        t = self.tile
        self.cols, self.rows = -(-self.width // t), -(-self.height // t)
        n_tiles = self.cols * self.rows
        q = corner_levels(self.width, self.height, t, self.seed).astype(np.int64)
        code = ((q[:-1, :-1] * LEVELS + q[:-1, 1:]) * LEVELS + q[1:, :-1]) * LEVELS + q[1:, 1:]
        r_idx, c_idx = np.indices((self.rows, self.cols), dtype=np.int64)
        if n_tiles <= UNIQUE_VARIANTS_BELOW:
            variant = r_idx * self.cols + c_idx
            n_var = n_tiles
        else:
            mixed = (c_idx * 73856093) ^ (r_idx * 19349663) ^ (self.seed * 83492791)
            variant = mixed % POOL_VARIANTS
            n_var = POOL_VARIANTS
        variant = np.where(code == 0, 0, variant)
        phase = np.where(code == 0, 0, (c_idx % PHASES) * PHASES + r_idx % PHASES)
        vline = (c_idx % GRID_PERIOD_TILES == 0).astype(np.int64)
        hline = (r_idx % GRID_PERIOD_TILES == 0).astype(np.int64)
        self.label_stride = max(1, math.ceil(math.sqrt(n_tiles / MAX_LABELS)))
        labelled = (c_idx % self.label_stride == 0) & (r_idx % self.label_stride == 0)
        combined = (((code * n_var + variant) * PHASES**2 + phase) * 2 + vline) * 2 + hline
        combined = np.where(labelled, -1 - (r_idx * self.cols + c_idx), combined)
        _, first, inverse = np.unique(combined.ravel(), return_index=True, return_inverse=True)
        self.grid = inverse.reshape(self.rows, self.cols).astype(np.int32)
        self.specs = []
        for flat in first.tolist():
            r, c = divmod(flat, self.cols)
            self.specs.append(
                TileSpec(
                    corners=(
                        int(q[r, c]),
                        int(q[r, c + 1]),
                        int(q[r + 1, c]),
                        int(q[r + 1, c + 1]),
                    ),
                    variant=int(variant[r, c]),
                    phase=int(phase[r, c]),
                    vline=bool(vline[r, c]),
                    hline=bool(hline[r, c]),
                    label=f"{c},{r}" if labelled[r, c] else None,
                )
            )

    @property
    def distinct(self) -> int:
        return len(self.specs)


@dataclass
class RenderedTiles:
    """Encoded bytes and downsampled thumbnails of every distinct level-0 tile."""

    encoded: list[bytes]
    thumbs: dict[int, U8]  # factor -> (distinct, tile/factor, tile/factor, 3)


def render_distinct(
    plan: SlidePlan,
    encode: Callable[[U8], bytes],
    factors: Iterable[int],
    pool: ThreadPoolExecutor,
) -> RenderedTiles:
    """Render, encode and thumbnail every distinct tile of ``plan`` on ``pool``."""
    t = plan.tile
    renderer = TissueRenderer(t, plan.seed)
    base_keys = sorted({(s.corners, s.variant, s.phase) for s in plan.specs})
    bases = dict(zip(base_keys, pool.map(lambda k: renderer.render(*k), base_keys), strict=True))
    wanted = sorted(set(factors))
    thumbs = {d: np.empty((plan.distinct, t // d, t // d, 3), np.uint8) for d in wanted}

    def one(i: int) -> bytes:
        spec = plan.specs[i]
        img = bases[(spec.corners, spec.variant, spec.phase)].copy()
        if spec.vline:
            img[:, GRID_OFFSET] = img[:, GRID_OFFSET] * 0.55
        if spec.hline:
            img[GRID_OFFSET, :] = img[GRID_OFFSET, :] * 0.55
        if spec.label:
            draw_text(img, 6, 6, spec.label, (24, 22, 64), scale=2)
        for d, small in box_chain(img, wanted).items():
            thumbs[d][i] = small
        return encode(img)

    encoded = list(pool.map(one, range(plan.distinct), chunksize=32))
    return RenderedTiles(encoded=encoded, thumbs=thumbs)


def compose(thumbs: U8, ids: I32) -> U8:
    """Assemble the image of a block of tiles from their thumbnails (one per id)."""
    rows, cols = ids.shape
    s = thumbs.shape[1]
    return thumbs[ids].transpose(0, 2, 1, 3, 4).reshape(rows * s, cols * s, 3)


def box_reduce(img: U8, factor: int) -> U8:
    """Area-mean downsample by an integer ``factor`` (crops the ragged edge)."""
    if factor == 1:
        return img
    h, w = img.shape[0] // factor, img.shape[1] // factor
    view = img[: h * factor, : w * factor].astype(np.float32)
    return np.rint(view.reshape(h, factor, w, factor, 3).mean(axis=(1, 3))).astype(np.uint8)
