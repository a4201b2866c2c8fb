"""A growable point buffer for strokes, so long freehand/brush gestures stay cheap.

Building a preview from a Python list of tuples on every pointer move is quadratic in
practice; a doubling numpy buffer handed to ``shapely.linestrings`` keeps each move a
single C-level copy.
"""

from __future__ import annotations

import numpy as np
import shapely


class Stroke:
    def __init__(self, capacity: int = 256) -> None:
        self._buf = np.empty((capacity, 2), dtype=float)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def clear(self) -> None:
        self._n = 0

    def append(self, x: float, y: float) -> bool:
        """Add a point unless it repeats the last one; return whether it was added."""
        if self._n and self._buf[self._n - 1, 0] == x and self._buf[self._n - 1, 1] == y:
            return False
        if self._n == len(self._buf):
            self._buf = np.concatenate([self._buf, np.empty_like(self._buf)])
        self._buf[self._n] = (x, y)
        self._n += 1
        return True

    @property
    def points(self) -> np.ndarray:
        """A read-only view of the points so far, shape ``(n, 2)``."""
        view = self._buf[: self._n]
        view.flags.writeable = False
        return view

    def extent(self) -> float:
        """The larger side of the bounding box (0 for fewer than two points)."""
        if self._n < 2:
            return 0.0
        pts = self._buf[: self._n]
        return float(np.max(pts.max(axis=0) - pts.min(axis=0)))

    def line(self) -> shapely.LineString | None:
        return shapely.LineString(self._buf[: self._n]) if self._n >= 2 else None
