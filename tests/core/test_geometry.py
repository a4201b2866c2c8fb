"""Geometry: validation, repair, simplification, measurement and the Cytomine wire flip."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.geometry import (
    GeometryError,
    area_perimeter_um,
    bounds_many,
    from_cytomine_wkt,
    from_wkb_many,
    parse_wkt,
    simplify_stroke,
    to_cytomine_wkt,
    to_wkb_many,
    validate,
)


def test_parse_wkt_refuses_garbage_with_geometry_error() -> None:
    with pytest.raises(GeometryError, match="Not a valid WKT"):
        parse_wkt("POLYGON((0 0, 1")
    with pytest.raises(GeometryError, match="empty WKT"):
        parse_wkt("   ")
    assert isinstance(GeometryError("x"), ValueError)


def test_bow_tie_is_repaired_to_a_multipolygon() -> None:
    bow_tie = parse_wkt("POLYGON((0 0, 2 2, 2 0, 0 2, 0 0))")
    repaired = validate(bow_tie)
    assert repaired.geom_type == "MultiPolygon"
    assert repaired.is_valid
    assert repaired.area == pytest.approx(2.0)


def test_bow_tie_is_refused_without_repair() -> None:
    with pytest.raises(GeometryError, match="invalid"):
        validate(parse_wkt("POLYGON((0 0, 2 2, 2 0, 0 2, 0 0))"), repair=False)


@pytest.mark.parametrize(
    ("wkt", "message"),
    [
        ("POLYGON((0 0, 1 NaN, 1 1, 0 0))", "NaN or infinite"),
        ("POINT (inf 1)", "NaN or infinite"),
        ("POLYGON EMPTY", "empty"),
        ("POLYGON((0 0, 1 1, 2 2, 0 0))", "no area"),
        ("LINESTRING(1 1, 1 1)", "zero length"),
        ("GEOMETRYCOLLECTION(POINT(1 1))", "not supported"),
    ],
)
def test_validate_refuses(wkt: str, message: str) -> None:
    with pytest.raises(GeometryError, match=message):
        validate(parse_wkt(wkt))


def test_validate_keeps_valid_shapes_and_drops_z() -> None:
    square = shapely.box(0, 0, 10, 10)
    assert validate(square) is square
    assert validate(shapely.Point(1, 2)).equals(shapely.Point(1, 2))
    flat = validate(parse_wkt("POLYGON Z ((0 0 1, 4 0 1, 4 4 1, 0 0 1))"))
    assert not flat.has_z


def test_validate_keeps_only_the_polygonal_part() -> None:
    # a square with a dangling spike: make_valid gives polygon + line; the line is dropped
    spiky = shapely.Polygon([(0, 0), (4, 0), (4, 4), (4, 8), (4, 4), (0, 4)])
    result = validate(spiky)
    assert result.geom_type == "Polygon"
    assert result.area == pytest.approx(16.0)


coord = st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(coord, coord), min_size=3, max_size=12))
def test_validate_never_returns_invalid(points: list[tuple[float, float]]) -> None:
    try:
        result = validate(shapely.Polygon(points))
    except GeometryError:
        return
    assert result.is_valid
    assert result.geom_type in ("Polygon", "MultiPolygon")
    assert result.area > 0


def test_simplify_stroke_respects_screen_tolerance_times_downsample() -> None:
    x = np.linspace(0, 100, 1001)
    wiggle = np.column_stack((x, 0.4 * np.sin(x)))
    # 1 screen px at downsample 1: the 0.4 px wiggle disappears entirely
    assert len(simplify_stroke(wiggle, 1.0, 1.0)) == 2
    # at downsample 0.1 (zoomed in 10x) the tolerance is 0.1 level-0 px: detail stays
    assert len(simplify_stroke(wiggle, 1.0, 0.1)) > 20


def test_simplify_stroke_small_inputs() -> None:
    assert simplify_stroke([(0, 0), (0, 0), (1, 1)], 1.0).tolist() == [[0, 0], [1, 1]]
    assert simplify_stroke([(3, 4)], 1.0).tolist() == [[3, 4]]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(coord, coord), min_size=1, max_size=60),
    st.floats(0, 50),
    st.floats(0.01, 64),
)
def test_simplify_never_increases_vertex_count(
    points: list[tuple[float, float]], tol: float, downsample: float
) -> None:
    out = simplify_stroke(points, tol, downsample)
    assert len(out) <= len(points)
    assert out.shape[1] == 2


def test_area_perimeter_um_scales_each_axis() -> None:
    area, perimeter = area_perimeter_um(shapely.box(0, 0, 100, 10), 0.5, 0.25)
    assert area == pytest.approx(50 * 2.5)
    assert perimeter == pytest.approx(2 * 50 + 2 * 2.5)
    with pytest.raises(GeometryError, match="pixel size"):
        area_perimeter_um(shapely.box(0, 0, 1, 1), 0, 0.25)


def test_cytomine_wkt_flips_y() -> None:
    tri = shapely.Polygon([(0, 0), (10, 0), (0, 20)])
    wkt = to_cytomine_wkt(tri, 100)
    assert shapely.from_wkt(wkt).equals(shapely.Polygon([(0, 100), (10, 100), (0, 80)]))
    assert from_cytomine_wkt(wkt, 100).equals_exact(tri, 0)
    with pytest.raises(GeometryError, match="height"):
        to_cytomine_wkt(tri, 0)


pixel = st.integers(0, 200_000).map(float) | st.integers(0, 2**28).map(lambda v: v / 1024)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(pixel, pixel), min_size=3, max_size=20),
    st.integers(1, 200_000),
)
def test_cytomine_round_trip_is_exact(points: list[tuple[float, float]], height: int) -> None:
    geom = shapely.LineString(points)
    back = from_cytomine_wkt(to_cytomine_wkt(geom, height), height)
    assert back.equals_exact(geom, 0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(coord, coord), min_size=2, max_size=20), st.floats(1, 1e6))
def test_cytomine_round_trip_arbitrary_floats(
    points: list[tuple[float, float]], height: float
) -> None:
    geom = shapely.LineString(points)
    back = from_cytomine_wkt(to_cytomine_wkt(geom, height), height)
    assert back.equals_exact(geom, 1e-9 * max(height, 1e4))


def test_wkb_bulk_round_trip() -> None:
    geoms = [shapely.Point(i, 2 * i).buffer(10, quad_segs=8) for i in range(2000)]
    blobs = to_wkb_many(geoms)
    assert len(blobs) == 2000 and isinstance(blobs[0], bytes)
    decoded = from_wkb_many(list(blobs))  # speed: benchmarks/core_bench.py
    bounds = bounds_many(decoded)
    assert all(a.equals_exact(b, 0) for a, b in zip(decoded[:50], geoms[:50], strict=True))
    assert bounds.shape == (2000, 4)
    assert bounds[3].tolist() == pytest.approx([-7, -4, 13, 16])
