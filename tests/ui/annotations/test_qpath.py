"""Paths and polygons from numpy arrays: the vertices and subpaths Qt ends up with."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QPainterPath
from pytestqt.qtbot import QtBot

from desktop_app.ui.annotations.qpath import path_from_arrays, polygon_from_array

MOVE, LINE = QPainterPath.ElementType.MoveToElement, QPainterPath.ElementType.LineToElement


def test_path_has_a_subpath_per_run_of_joined_vertices(qtbot: QtBot) -> None:
    rng = np.random.default_rng(3)
    for n in (1, 2, 7, 5000):
        x, y = rng.random(n) * 1e4, rng.random(n) * 1e4
        joins = (rng.random(n) > 0.3).astype(np.int32)
        joins[-1] = 0
        path = path_from_arrays(x, y, joins)
        assert path.elementCount() == n
        for i in range(n):
            e = path.elementAt(i)
            starts = i == 0 or joins[i - 1] == 0
            assert e.type == (MOVE if starts else LINE)
            assert (e.x, e.y) == (x[i], y[i])
    assert path_from_arrays(np.empty(0), np.empty(0), np.empty(0, np.int32)).isEmpty()


def test_two_squares_fill_as_two_areas(qtbot: QtBot) -> None:
    x = np.array([0, 10, 10, 0, 0, 20, 30, 30, 20, 20], dtype=float)
    y = np.array([0, 0, 10, 10, 0, 0, 0, 10, 10, 0], dtype=float)
    joins = np.array([1, 1, 1, 1, 0, 1, 1, 1, 1, 0], dtype=np.int32)
    path = path_from_arrays(x, y, joins)
    assert path.contains(QPointF(5, 5)) and path.contains(QPointF(25, 5))
    assert not path.contains(QPointF(15, 5))
    assert path.boundingRect().getRect() == (0.0, 0.0, 30.0, 10.0)
    assert len(path.toSubpathPolygons()) == 2


def test_polygon_holds_the_points(qtbot: QtBot) -> None:
    xy = np.array([[1.5, 2.5], [3.0, -4.0], [1e6, 0.25]])
    poly = polygon_from_array(xy)
    assert [(p.x(), p.y()) for p in poly] == [tuple(v) for v in xy]
    assert polygon_from_array(np.empty((0, 2))).isEmpty()
