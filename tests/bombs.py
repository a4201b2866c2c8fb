"""Geometry bombs shared by the desktop and server tests (issue 11.2)."""

from __future__ import annotations

import numpy as np


def star_wkt(n: int, k: int, r: float = 300.0, c: float = 400.0) -> str:
    """An n-vertex star polygon {n/k}: every edge crosses many others (integer coords)."""
    idx = (np.arange(n) * k) % n
    a = 2 * np.pi * idx / n
    pts = np.c_[np.round(c + r * np.cos(a)), np.round(c + r * np.sin(a))].astype(int)
    ring = [*pts.tolist(), pts[0].tolist()]
    return "POLYGON ((" + ", ".join(f"{x} {y}" for x, y in ring) + "))"


def knotted_ring_wkt(n: int = 4990, c: float = 400.0) -> str:
    """A wavy ring of ``n`` vertices with one twist: within the repair bound (a few
    crossings, under 5,000 vertices), yet a few tenths of a second of checking and
    repair — a costly but legal geometry, to show the check holds no lock."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    r = 300 + 50 * np.sin(t * 997)
    pts = np.c_[c + r * np.cos(t), c + r * np.sin(t)]
    pts[[10, 20]] = pts[[20, 10]]
    ring = [*pts.tolist(), pts[0].tolist()]
    return "POLYGON ((" + ", ".join(f"{x:.2f} {y:.2f}" for x, y in ring) + "))"
