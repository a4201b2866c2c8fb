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
