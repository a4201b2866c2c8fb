"""How many pixels one view may decode, and which slides can keep to that.

A TIFF of a few MB can declare 20000 x 20000 pixels in a single level: its thumbnail
or any zoomed-out view then decodes 400 Mpx (1.6 GB as RGBA) per request.  The rule,
shared by the server (upload, tiles, thumbnails, windows) and the desktop viewer:

* one region read decodes at most ``MAX_REGION_PIXELS`` (16 Mpx, 64 MB RGBA);
* a slide is accepted only if every view can keep to that: its smallest level fits
  the budget (the thumbnail and every zoomed-out view read it), consecutive levels are
  at most ``MAX_LEVEL_GAP`` apart (a 256 px tile between two levels reads
  (256 x gap)^2 pixels of the finer one), and its stored tiles are at most
  ``MAX_STORED_TILE_PIXELS`` (any read decodes whole stored tiles).

The answer for a slide that breaks it is a message in the user's terms, with the fix
(convert it to a tiled pyramidal TIFF).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

#: Pixels one region read may decode.
MAX_REGION_PIXELS = 16 * 1024 * 1024
#: Display tile edge the gap rule is computed for (server and viewer use 256 px).
VIEW_TILE = 256
#: Largest downsample factor between two consecutive pyramid levels.
MAX_LEVEL_GAP = math.isqrt(MAX_REGION_PIXELS) // VIEW_TILE
#: Largest stored (TIFF) tile.
MAX_STORED_TILE_PIXELS = 4 * 1024 * 1024

CONVERT_HINT = (
    "convert it to a tiled pyramidal TIFF (for example "
    "`vips tiffsave in.tif out.tif --tile --pyramid --compression jpeg`)"
)


class TooManyPixels(ValueError):
    """A read would decode more than the budget; the message is for the user."""


def _mpx(pixels: int) -> str:
    if pixels < 1_000_000:
        return f"{pixels} px"
    return f"{pixels / 1e6:.1f} Mpx" if pixels < 100_000_000 else f"{pixels / 1e6:.0f} Mpx"


def stored_tiles(properties: Mapping[str, str], levels: int) -> list[tuple[int, int] | None]:
    """Per level, the stored tile size OpenSlide reports (``None`` if it does not)."""
    out: list[tuple[int, int] | None] = []
    for level in range(levels):
        try:
            w = int(properties[f"openslide.level[{level}].tile-width"])
            h = int(properties[f"openslide.level[{level}].tile-height"])
        except (KeyError, ValueError):
            out.append(None)
            continue
        out.append((w, h))
    return out


def pyramid_problem(
    name: str,
    level_dimensions: Sequence[tuple[int, int]],
    tiles: Sequence[tuple[int, int] | None] = (),
    budget: int = MAX_REGION_PIXELS,
) -> str | None:
    """Why this slide cannot be shown within the budget, or ``None`` if it can."""
    if not level_dimensions:
        return f"{name} has no image levels"
    dims = sorted(level_dimensions, key=lambda d: d[0] * d[1], reverse=True)
    w, h = dims[-1]
    if w * h > budget:
        what = (
            "has no pyramid: its only level"
            if len(dims) == 1
            else "has no small level: its smallest"
        )
        return (
            f"{name} {what} is {w}x{h} pixels ({_mpx(w * h)}); showing it zoomed out "
            f"would decode more than the {_mpx(budget)} one view may use. Please {CONVERT_HINT}."
        )
    for (w0, h0), (w1, h1) in zip(dims, dims[1:], strict=False):
        gap = max(w0 / max(w1, 1), h0 / max(h1, 1))
        if gap > MAX_LEVEL_GAP:
            return (
                f"{name} has pyramid levels {w0}x{h0} and {w1}x{h1}, {gap:.0f}x apart; "
                f"views between them would decode too many pixels (at most "
                f"{MAX_LEVEL_GAP}x between levels). Please {CONVERT_HINT}."
            )
    for tile in tiles:
        if tile is not None and tile[0] * tile[1] > MAX_STORED_TILE_PIXELS:
            return (
                f"{name} stores tiles of {tile[0]}x{tile[1]} pixels; every read would decode "
                f"at least that much (at most {_mpx(MAX_STORED_TILE_PIXELS)}). "
                f"Please {CONVERT_HINT}."
            )
    return None


def check_region(width: int, height: int, budget: int = MAX_REGION_PIXELS) -> None:
    """``TooManyPixels`` if reading ``width x height`` pixels would exceed the budget."""
    if width * height > budget:
        raise TooManyPixels(
            f"This view would decode {width}x{height} pixels ({_mpx(width * height)}), more "
            f"than the {_mpx(budget)} allowed for one read; ask for a smaller region or "
            "a smaller size"
        )
