"""The one protocol every slide source implements (local OpenSlide file, remote tiles).

The viewer, the server's tile endpoint and the benchmarks only ever see this protocol,
so a slide streamed from the server and a file on disk are interchangeable.
Coordinates are level-0 pixels, y down.  Pixels come back as RGBA ``uint8`` arrays of
shape ``(h, w, 4)`` (premultiplied-free, alpha 0 outside the scanned area), which Qt can
wrap without a copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

RGBA = npt.NDArray[np.uint8]


class SlideError(Exception):
    """A slide cannot be opened or read; the message is meant for the user."""


@dataclass(frozen=True, slots=True)
class SlideInfo:
    """What the viewer needs to know about a slide, read once at open."""

    width: int
    height: int
    level_dimensions: tuple[tuple[int, int], ...]
    level_downsamples: tuple[float, ...]
    mpp_x: float | None
    mpp_y: float | None
    objective_power: float | None
    vendor: str | None
    associated_images: tuple[str, ...]
    tile_size: int = 256

    @property
    def level_count(self) -> int:
        return len(self.level_dimensions)


class TileKey(NamedTuple):
    """An immutable tile address: ``(slide, level, col, row)``; tiles are ``tile_size`` px.

    A ``NamedTuple`` rather than a frozen dataclass because the viewer hashes keys on
    its UI thread hundreds of times per frame (cache look-ups, wanted sets): a tuple
    hashes in C, a dataclass through a generated Python ``__hash__`` -- about 1 of
    every 7 s of the UI thread's CPU in a profiled pan/zoom tour (issue 16)."""

    slide_id: str
    level: int
    col: int
    row: int


@runtime_checkable
class SlideSource(Protocol):
    """A readable whole-slide image."""

    @property
    def slide_id(self) -> str:
        """Stable identity used in tile keys (e.g. the file's path + mtime, or a server id)."""
        ...

    @property
    def info(self) -> SlideInfo: ...

    def read_region(self, level: int, x: int, y: int, width: int, height: int) -> RGBA:
        """Pixels of ``level`` whose top-left is the level-0 point ``(x, y)``."""
        ...

    def read_tile(self, key: TileKey) -> RGBA:
        """One tile of ``info.tile_size`` (smaller at the right and bottom edges)."""
        ...

    def associated_image(self, name: str) -> RGBA:
        """The label, macro or thumbnail image stored with the slide."""
        ...

    def close(self) -> None: ...


class WrappedSource:
    """A source that passes everything to ``inner``; subclasses override what they
    change (a decoding adapter, an instrumented or gated source in tests).  ``close``
    leaves ``inner`` open: the wrapper does not own it."""

    def __init__(self, inner: SlideSource) -> None:
        self.inner = inner

    @property
    def slide_id(self) -> str:
        return self.inner.slide_id

    @property
    def info(self) -> SlideInfo:
        return self.inner.info

    def read_region(self, level: int, x: int, y: int, width: int, height: int) -> RGBA:
        return self.inner.read_region(level, x, y, width, height)

    def read_tile(self, key: TileKey) -> RGBA:
        return self.inner.read_tile(key)

    def associated_image(self, name: str) -> RGBA:
        return self.inner.associated_image(name)

    def close(self) -> None:
        """The wrapped source is the caller's to close."""
