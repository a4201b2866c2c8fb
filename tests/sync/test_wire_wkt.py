"""The push converts many new annotations' shapes at once: same text as one by one."""

from __future__ import annotations

import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.geometry import from_cytomine_wkt
from desktop_app.sync.local import wire_wkt, wire_wkts

coord = st.floats(min_value=0, max_value=80_000, allow_nan=False).map(lambda v: round(v, 3))
point = st.tuples(coord, coord)


@st.composite
def shapes(draw: st.DrawFn) -> shapely.Geometry:
    kind = draw(st.sampled_from(["point", "line", "box", "multi", "holed"]))
    x, y = draw(point)
    w, h = draw(coord) + 1, draw(coord) + 1
    if kind == "point":
        return shapely.Point(x, y)
    if kind == "line":
        return shapely.LineString([(x, y), draw(point), draw(point)])
    if kind == "box":
        return shapely.box(x, y, x + w, y + h)
    if kind == "multi":
        return shapely.MultiPolygon([shapely.box(x, y, x + w, y + h), shapely.box(0, 0, 0.5, 0.5)])
    return shapely.Polygon(
        shapely.box(x, y, x + w + 4, y + h + 4).exterior.coords,
        [shapely.box(x + 1, y + 1, x + 2, y + 2).exterior.coords],
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(shapes(), min_size=1, max_size=40), st.sampled_from([4000.0, 80_000.0, 1234.5]))
def test_array_conversion_equals_one_by_one(geoms: list[shapely.Geometry], height: float) -> None:
    locations = [shapely.to_wkb(g) for g in geoms]
    batch = wire_wkts(locations, height)
    assert batch == [wire_wkt(loc, height) for loc in locations]
    for g, wkt in zip(geoms, batch, strict=True):  # and it inverts back to the stored shape
        assert from_cytomine_wkt(wkt, height).equals_exact(g, 1e-9)


def test_empty_batch() -> None:
    assert wire_wkts([], 4000.0) == []
