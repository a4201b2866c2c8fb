"""Turning annotation arrays into pixels: canvases, the density image, vector paths.

A canvas is the visible region (plus a margin) rendered once into a QImage on a
worker thread; painting a frame is then one blit, whatever the number of shapes, and a
pan only needs a new canvas when it leaves the margin (QuPath rasterises its dense
overlays the same way).  Shapes of one colour become a single QPainterPath built from
numpy in one call (``qpath.path_from_arrays``), so Python never loops per vertex and
only once per colour.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPainterPath, QPen, QPolygonF
from shapely.geometry.base import BaseGeometry

from desktop_app.services.overview import DensityGrid
from desktop_app.ui.annotations.layer_data import Display, LayerData, Rect
from desktop_app.ui.annotations.qpath import path_from_arrays, polygon_from_array
from desktop_app.ui.viewer.transform import ViewTransform

#: Shapes smaller than this on screen are drawn as dots (the "points" level of detail).
TINY_PX = 3.0
#: Above this many shapes a canvas is drawn without antialiasing: Qt's antialiased
#: rasteriser costs ~50x more per edge, and at that density nobody sees the difference.
ANTIALIAS_LIMIT = 2_000
#: Shapes per painter path.  Qt scans a path's whole bounding box, so chunks are bands
#: of shapes sorted by y, and its fill cost grows faster than linearly with path size.
CHUNK = 1_000
DOT_PX = 5.0
#: Only shapes with more vertices than this are simplified (below, it costs more than
#: it saves).
SIMPLIFY_ABOVE = 64
OUTLINE_PX = 1.5
_POINT_TYPES = (0, 4)  # Point, MultiPoint
_AREA_TYPES = (3, 6)  # Polygon, MultiPolygon


@dataclass(frozen=True, eq=False)
class Canvas:
    """Pixels of level-0 ``rect`` at ``downsample``; stamped with what it was drawn from."""

    image: QImage
    rect: Rect
    downsample: float
    changes: int
    display: Display
    drawn: int  # shapes drawn (for the benchmark and the status bar)


@dataclass(frozen=True, slots=True)
class Shapes:
    """One colour's shapes as paths in some pixel space."""

    areas: QPainterPath
    lines: QPainterPath
    dots: QPolygonF


def _path(coords: npt.NDArray[np.float64], index: npt.NDArray[np.intp]) -> QPainterPath:
    """One path with a subpath per ``index`` run (rings/parts); winding fill."""
    if len(coords) == 0:
        return QPainterPath()
    connect = np.ones(len(coords), dtype=np.int32)
    connect[:-1] = index[1:] == index[:-1]
    connect[-1] = 0
    path = path_from_arrays(coords[:, 0], coords[:, 1], connect)
    path.setFillRule(Qt.FillRule.WindingFill)
    return path


def _dots(xy: npt.NDArray[np.float64]) -> QPolygonF:
    return polygon_from_array(xy)


def shapes_of(
    geoms: npt.NDArray[np.object_], origin: tuple[float, float], downsample: float
) -> Shapes:
    """Paths of ``geoms`` in pixels of a surface whose top-left is level-0 ``origin``."""
    ox, oy = origin
    types = shapely.get_type_id(geoms) if len(geoms) else np.empty(0, dtype=int)
    bounds = shapely.bounds(geoms) if len(geoms) else np.empty((0, 4))
    size = np.maximum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1]) / downsample
    tiny = size < TINY_PX
    is_point = np.isin(types, _POINT_TYPES)
    is_area = np.isin(types, _AREA_TYPES) & ~tiny
    is_line = ~is_point & ~is_area & ~tiny
    # a shape smaller than a few screen pixels is one dot at its centre; a multi-point
    # (a count) spread wider shows every one of its points
    dot_idx = tiny
    centres = np.column_stack(
        (
            (bounds[dot_idx, 0] + bounds[dot_idx, 2]) / 2,
            (bounds[dot_idx, 1] + bounds[dot_idx, 3]) / 2,
        )
    )
    spread = is_point & ~tiny
    if spread.any():
        centres = np.vstack([centres, shapely.get_coordinates(geoms[spread])])
    areas = geoms[is_area]
    dense = shapely.get_num_coordinates(areas) > SIMPLIFY_ABOVE
    # Nothing finer than a screen pixel survives rasterisation anyway.
    if len(areas) and np.any(dense):
        areas = areas.copy()
        areas[dense] = shapely.simplify(areas[dense], downsample * 0.75, preserve_topology=False)
    rings = shapely.get_rings(shapely.get_parts(areas)) if len(areas) else areas
    coords, ring_idx = shapely.get_coordinates(rings, return_index=True)
    lines = shapely.get_parts(geoms[is_line]) if is_line.any() else geoms[is_line]
    lcoords, line_idx = shapely.get_coordinates(lines, return_index=True)
    scale = np.array([ox, oy])
    return Shapes(
        areas=_path((coords - scale) / downsample, ring_idx),
        lines=_path((lcoords - scale) / downsample, line_idx),
        dots=_dots((centres - scale) / downsample),
    )


def qcolor(hex_color: str, alpha: float = 1.0) -> QColor:
    color = QColor(hex_color)
    color.setAlphaF(max(0.0, min(1.0, alpha)))
    return color


def draw_shapes(
    p: QPainter,
    shapes: Shapes,
    color: str,
    opacity: float,
    width: float = OUTLINE_PX,
    dot_px: float = DOT_PX,
) -> None:
    """Fill (at ``opacity``) and outline one colour's shapes; dots are round markers."""
    pen = QPen(qcolor(color), width)
    pen.setCosmetic(True)
    p.setPen(pen)
    if not shapes.areas.isEmpty():
        p.setBrush(QBrush(qcolor(color, opacity)) if opacity > 0 else Qt.BrushStyle.NoBrush)
        p.drawPath(shapes.areas)
    p.setBrush(Qt.BrushStyle.NoBrush)
    if not shapes.lines.isEmpty():
        p.drawPath(shapes.lines)
    if not shapes.dots.isEmpty():
        dot = QPen(qcolor(color), dot_px, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        p.setPen(dot)
        p.drawPoints(shapes.dots)


def render_canvas(
    data: LayerData, display: Display, rect: Rect, downsample: float, max_px: int = 8192
) -> Canvas:
    """Draw the visible shapes of ``data`` meeting ``rect`` (runs on a worker thread)."""
    x0, y0, x1, y1 = rect
    w = max(1, min(max_px, math.ceil((x1 - x0) / downsample)))
    h = max(1, min(max_px, math.ceil((y1 - y0) / downsample)))
    image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    b = data.bounds
    keep = data.visible(display)
    if len(b):
        keep &= (b[:, 2] >= x0) & (b[:, 0] <= x1) & (b[:, 3] >= y0) & (b[:, 1] <= y1)
    idx = np.flatnonzero(keep)
    colors = data.colors(display)[idx] if len(idx) else np.empty(0, dtype=object)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, len(idx) <= ANTIALIAS_LIMIT)
    width = OUTLINE_PX if len(idx) <= ANTIALIAS_LIMIT else 1.0
    for color in sorted(set(colors.tolist())):
        rows = idx[colors == color]
        rows = rows[np.argsort(b[rows, 1], kind="stable")]  # chunks = horizontal bands
        for start in range(0, len(rows), CHUNK):
            chunk = data.geoms[rows[start : start + CHUNK]]
            shapes = shapes_of(chunk, (x0, y0), downsample)
            draw_shapes(p, shapes, color, display.opacity, width, display.point_px)
    p.end()
    return Canvas(image, rect, downsample, data.changes, display, len(idx))


def density_image(grid: DensityGrid, color: str = "#FF7043") -> QImage:
    """One pixel per grid cell, opacity growing with log(count): a heat map of objects."""
    counts = grid.counts.astype(np.float64)
    peak = math.log1p(counts.max()) if counts.size and counts.max() > 0 else 1.0
    alpha = np.where(counts > 0, 0.25 + 0.7 * np.log1p(counts) / peak, 0.0)
    base = QColor(color)
    rgba = np.zeros(counts.shape + (4,), dtype=np.uint8)
    a = (alpha * 255).astype(np.uint8)
    # premultiplied BGRA (Format_ARGB32_Premultiplied on little-endian machines)
    rgba[..., 0] = (base.blue() * alpha).astype(np.uint8)
    rgba[..., 1] = (base.green() * alpha).astype(np.uint8)
    rgba[..., 2] = (base.red() * alpha).astype(np.uint8)
    rgba[..., 3] = a
    h, w = counts.shape
    image = QImage(rgba.tobytes(), w, h, w * 4, QImage.Format.Format_ARGB32_Premultiplied)
    return image.copy()  # own the pixels (the bytes object goes away)


def view_shapes(geoms: list[BaseGeometry], view_transform: ViewTransform) -> Shapes:
    """Paths in view pixels for a few shapes (selection, preview): same code path."""
    arr = np.empty(len(geoms), dtype=object)
    arr[:] = geoms
    return shapes_of(arr, view_transform.origin, view_transform.downsample)


def handle_points(xy: npt.NDArray[np.float64], view_transform: ViewTransform) -> list[QPointF]:
    return [QPointF(*view_transform.to_view(float(x), float(y))) for x, y in xy]
