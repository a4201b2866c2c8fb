"""Shape operations: merge, subtract, intersect, split, fill holes, counting points."""

from __future__ import annotations

import pytest
import shapely

from desktop_app.core import shape_ops
from desktop_app.core.shape_ops import ShapeOpError

A = shapely.box(0, 0, 10, 10)
B = shapely.box(5, 0, 15, 10)
FAR = shapely.box(100, 100, 110, 110)


def test_merge_is_the_union_and_refuses_mixed_kinds() -> None:
    assert shape_ops.merge([A, B]).equals(shapely.box(0, 0, 15, 10))
    assert shape_ops.merge([A, FAR]).geom_type == "MultiPolygon"
    assert shape_ops.merge([shapely.Point(1, 1), shapely.Point(2, 2)]).geom_type == "MultiPoint"
    with pytest.raises(ShapeOpError, match="one kind"):
        shape_ops.merge([A, shapely.Point(1, 1)])
    with pytest.raises(ShapeOpError, match="at least 2"):
        shape_ops.merge([A])


def test_subtract_and_intersect() -> None:
    assert shape_ops.subtract(A, [B]).equals(shapely.box(0, 0, 5, 10))
    assert shape_ops.intersect([A, B]).equals(shapely.box(5, 0, 10, 10))
    with pytest.raises(ShapeOpError, match="empty"):
        shape_ops.intersect([A, FAR])
    with pytest.raises(ShapeOpError, match="empty"):
        shape_ops.subtract(A, [shapely.box(-1, -1, 11, 11)])
    with pytest.raises(ShapeOpError, match="areas"):
        shape_ops.subtract(A, [shapely.LineString([(0, 0), (1, 1)])])


def test_split_along_a_line_gives_the_pieces_largest_first() -> None:
    pieces = shape_ops.split(A, shapely.LineString([(3, -1), (3, 11)]))
    assert [p.area for p in pieces] == [70, 30]
    assert shapely.union_all(pieces).equals(A)
    with pytest.raises(ShapeOpError, match="cross"):
        shape_ops.split(A, shapely.LineString([(3, -1), (3, 5)]))


def test_fill_holes() -> None:
    donut = A.difference(shapely.box(2, 2, 4, 4))
    assert shape_ops.has_holes(donut)
    assert shape_ops.fill_holes(donut).equals(A)
    assert not shape_ops.has_holes(A)


def test_union_terms_keeps_every_term_first_seen_first() -> None:
    assert shape_ops.union_terms([[3, 1], [1, 2], []]) == [3, 1, 2]


def test_counting_multipoint() -> None:
    one = shape_ops.add_point(None, 1, 2)
    two = shape_ops.add_point(one, 3, 4)
    assert shape_ops.point_count(two) == 2 and two.geom_type == "MultiPoint"
    assert shape_ops.point_count(A) == 0
