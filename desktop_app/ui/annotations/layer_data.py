"""The annotation layer's in-memory view of one region: arrays, display rules, hits.

Built on a worker from a :class:`ViewportPage` (one query per region, not per frame),
then read-only: painting, hover and the tools' hit-testing all read the same snapshot,
so none of them ever waits on the cache.  No Qt here: this is numpy and shapely.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from desktop_app.store.annotations import ViewportPage

Rect = tuple[float, float, float, float]
#: Colour of annotations without a (visible) term.
NO_TERM_COLOR = "#FFD54F"
KINDS = ("user", "algo", "reviewed")


@dataclass(frozen=True)
class Display:
    """What to show and how: the filters and styling chosen in the panels."""

    colors: Mapping[int, str] = field(default_factory=dict)  # term pk -> "#RRGGBB"
    term_order: tuple[int, ...] = ()  # tree order: the first visible term gives the colour
    hidden_terms: frozenset[int] = frozenset()
    show_unlabelled: bool = True
    hidden_users: frozenset[int] = frozenset()
    hidden_kinds: frozenset[str] = frozenset()
    opacity: float = 0.25  # fill alpha 0..1 (outlines stay opaque)
    point_px: float = 6.0  # points (and shapes too small to see) are dots this wide


@dataclass(frozen=True, eq=False)
class LayerData:
    """Annotations whose bbox meets ``rect``, as parallel arrays plus a spatial index."""

    rect: Rect
    pks: npt.NDArray[np.int64]
    geoms: npt.NDArray[np.object_]
    bounds: npt.NDArray[np.float64]  # (n, 4)
    kinds: npt.NDArray[np.object_]
    user_pks: npt.NDArray[np.int64]
    terms: Mapping[int, list[int]]
    tree: shapely.STRtree
    row_of: Mapping[int, int]
    changes: int  # the layer's change counter when the query started

    def __len__(self) -> int:
        return len(self.pks)

    def geometry(self, pk: int) -> BaseGeometry | None:
        row = self.row_of.get(pk)
        return None if row is None else self.geoms[row]

    @cached_property
    def links(self) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int64]]:
        """The term links as parallel arrays (row, term pk), in each row's term order:
        the display rules below are then numpy, not a Python loop per annotation."""
        rows: list[int] = []
        terms: list[int] = []
        row_of = self.row_of
        for pk, ts in self.terms.items():
            row = row_of.get(pk)
            if row is not None:
                rows.extend([row] * len(ts))
                terms.extend(ts)
        return np.asarray(rows, dtype=np.intp), np.asarray(terms, dtype=np.int64)

    def visible(self, display: Display) -> npt.NDArray[np.bool_]:
        """Which rows the display rules show."""
        n = len(self.pks)
        mask = np.ones(n, dtype=bool)
        if display.hidden_kinds:
            mask &= ~np.isin(self.kinds, list(display.hidden_kinds))
        if display.hidden_users:
            mask &= ~np.isin(self.user_pks, list(display.hidden_users))
        if display.hidden_terms or not display.show_unlabelled:
            rows, terms = self.links
            labelled = np.zeros(n, dtype=bool)
            labelled[rows] = True
            shown = np.zeros(n, dtype=bool)
            shown[rows[~np.isin(terms, list(display.hidden_terms))]] = True
            mask &= np.where(labelled, shown, display.show_unlabelled)
        return mask

    def colors(self, display: Display) -> npt.NDArray[np.object_]:
        """Per row, the colour of its first visible term in tree order (or NO_TERM_COLOR)."""
        out = np.full(len(self.pks), NO_TERM_COLOR, dtype=object)
        rows, terms = self.links
        keep = ~np.isin(terms, list(display.hidden_terms))
        rows, terms = rows[keep], terms[keep]
        if not len(rows):
            return out
        rank = {t: i for i, t in enumerate(display.term_order)}
        uniq, inv = np.unique(terms, return_inverse=True)
        term_rank = np.array([rank.get(int(t), len(rank)) for t in uniq.tolist()])[inv]
        # per row, the lowest rank; ties keep the row's term order (as ``min`` did)
        order = np.lexsort((np.arange(len(rows)), term_rank, rows))
        first = order[np.unique(rows[order], return_index=True)[1]]
        palette = np.array(
            [display.colors.get(int(t), NO_TERM_COLOR) for t in uniq.tolist()], dtype=object
        )
        out[rows[first]] = palette[inv[first]]
        return out

    def hit(
        self, x: float, y: float, tolerance: float, mask: npt.NDArray[np.bool_] | None = None
    ) -> int | None:
        """Nearest visible annotation within ``tolerance``; the smallest one among those
        containing the point (so a nucleus inside a region stays clickable)."""
        if not len(self.pks):
            return None
        point = shapely.Point(x, y)
        idx = self.tree.query(point, predicate="dwithin", distance=max(tolerance, 0.0))
        if mask is not None:
            idx = idx[mask[idx]]
        if len(idx) == 0:
            return None
        cand = self.geoms[idx]
        order = np.lexsort((shapely.area(cand), shapely.distance(cand, point)))
        return int(self.pks[idx[order[0]]])

    def in_rect(self, rect: Rect, mask: npt.NDArray[np.bool_] | None = None) -> list[int]:
        x0, y0, x1, y1 = rect
        box = shapely.box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        idx = np.sort(self.tree.query(box, predicate="intersects"))
        if mask is not None:
            idx = idx[mask[idx]]
        return [int(p) for p in self.pks[idx]]


def build_layer_data(page: ViewportPage, rect: Rect, changes: int) -> LayerData:
    """Index a viewport page (runs on a worker: STRtree build and orientation fixes).

    ``normalize`` orients exterior rings one way and holes the other, so the painter's
    winding fill draws holes as holes and overlapping shapes as one area.
    """
    geoms = shapely.normalize(np.asarray(page.geometries, dtype=object))
    bounds = shapely.bounds(geoms) if len(geoms) else np.empty((0, 4))
    pks = np.asarray(page.pks, dtype=np.int64)
    return LayerData(
        rect=rect,
        pks=pks,
        geoms=geoms,
        bounds=np.asarray(bounds, dtype=np.float64),
        kinds=np.asarray([str(k) for k in page.kinds], dtype=object),
        user_pks=np.asarray(page.user_pks, dtype=np.int64),
        terms=dict(page.terms),
        tree=shapely.STRtree(geoms),
        row_of={int(pk): i for i, pk in enumerate(pks.tolist())},
        changes=changes,
    )


def expand(rect: Rect, fraction: float) -> Rect:
    x0, y0, x1, y1 = rect
    dx, dy = (x1 - x0) * fraction, (y1 - y0) * fraction
    return (x0 - dx, y0 - dy, x1 + dx, y1 + dy)


def contains(outer: Rect, inner: Rect) -> bool:
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and outer[2] >= inner[2]
        and outer[3] >= inner[3]
    )


def intersect(a: Rect, b: Rect) -> Rect:
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))
