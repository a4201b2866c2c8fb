"""numpy arrays into Qt paths and polygons without a Python loop per vertex.

A QPainterPath is read from the bytes of its own serialised form (QDataStream's
format: the element count, then per vertex a big-endian int32 "joins the previous
vertex" flag and two float64 coordinates, then the start of the current subpath and
the fill rule), which numpy fills in one assignment per column; a QPolygonF is
resized and its point buffer written through a view. pyqtgraph's ``arrayToQPath``
does the same; it is written out here because importing pyqtgraph costs ~40 % of the
GUI's start-up and the viewer needs nothing else from it.
"""

from __future__ import annotations

import struct

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QByteArray, QDataStream
from PySide6.QtGui import QPainterPath, QPolygonF
from shiboken6 import VoidPtr

_ELEMENT = np.dtype([("c", ">i4"), ("x", ">f8"), ("y", ">f8")])


def path_from_arrays(
    x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], joins_next: npt.NDArray[np.int32]
) -> QPainterPath:
    """A path through (x[i], y[i]) where a line goes from vertex i to i + 1 when
    ``joins_next[i]`` is 1; a 0 ends the subpath (the next vertex starts a new one)."""
    n = len(x)
    path = QPainterPath()
    if n == 0:
        return path
    size = 4 + n * _ELEMENT.itemsize
    buf = QByteArray()
    buf.resize(size + 8)  # uninitialised: every byte is written below
    buf.replace(0, 4, struct.pack(">i", n))
    buf.replace(size, 8, struct.pack(">ii", 0, 0))  # subpath start, fill rule
    # A view of buf (QByteArray has the buffer protocol; PySide6's stubs do not say so).
    elements = np.frombuffer(buf, dtype=_ELEMENT, count=n, offset=4)  # type: ignore[call-overload]
    elements["x"] = x
    elements["y"] = y
    elements["c"][0] = 0
    elements["c"][1:] = joins_next[:-1]
    stream = QDataStream(buf)
    stream >> path
    return path


def polygon_from_array(xy: npt.NDArray[np.float64]) -> QPolygonF:
    """A QPolygonF of the (n, 2) points ``xy``, written through a view of its buffer."""
    poly = QPolygonF()
    n = len(xy)
    poly.resize(n)
    if n:
        # VoidPtr(address, size, writable) over the points; the stubs know one argument.
        memory = VoidPtr(poly.data(), n * 16, True)  # type: ignore[call-arg, arg-type]
        view = np.frombuffer(memory, dtype=np.float64)  # type: ignore[call-overload]
        view.reshape(n, 2)[:] = xy
    return poly
