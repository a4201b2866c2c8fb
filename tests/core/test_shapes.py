"""Shapes are named as drawn: a rectangle or circle is not called "polygon"."""

from __future__ import annotations

import shapely
from shapely import affinity

from desktop_app.core.geometry import parse_wkt, to_cytomine_wkt
from desktop_app.core.shapes import shape_name
from desktop_app.core.tools.shapes import circle_polygon


def test_names() -> None:
    circle = circle_polygon(500.5, 300.25, 40)
    assert shape_name(circle) == "circle"
    assert shape_name(affinity.translate(circle, 1000, 7)) == "circle"  # moved: still one
    assert shape_name(affinity.scale(circle, 2, 1)) == "ellipse"
    assert shape_name(shapely.box(10, 20, 110, 70)) == "rectangle"
    assert shape_name(shapely.box(0, 0, 50, 50)) == "rectangle"  # Shift: a square
    assert shape_name(affinity.rotate(shapely.box(0, 0, 10, 20), 30)) == "polygon"
    assert shape_name(shapely.Polygon([(0, 0), (10, 0), (5, 8)])) == "polygon"
    assert shape_name(circle_polygon(0, 0, 10, 8)) == "polygon"  # an octagon
    hole = shapely.box(0, 0, 100, 100).difference(shapely.box(10, 10, 20, 20))
    assert shape_name(hole) == "polygon"
    assert shape_name(shapely.Point(1, 2)) == "point"
    assert shape_name(shapely.LineString([(0, 0), (1, 1)])) == "line"
    assert shape_name(shapely.MultiPolygon([shapely.box(0, 0, 1, 1)])) == "multipolygon"


def test_name_survives_the_server_round_trip() -> None:
    """Pulled from Cytomine (y flipped, WKT text): still a circle and a rectangle."""
    for geom, name in (
        (circle_polygon(800, 600, 123.4), "circle"),
        (shapely.box(3, 4, 9, 12), "rectangle"),
    ):
        back = parse_wkt(to_cytomine_wkt(geom, 3000))
        assert shape_name(back) == name
