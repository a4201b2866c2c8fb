"""QuPath GeoJSON import/export: sample exports from several QuPath versions, round trips."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

from desktop_app.core.geojson import (
    FeatureError,
    GeoFeature,
    GeoJSONError,
    parse_feature_collection,
    to_feature_collection,
)

# What QuPath 0.5 writes for "Export objects as GeoJSON" (pretty-printed, FeatureCollection
# option): an annotation with a hole, a multipolygon annotation, a point annotation set, a
# polyline, and a cell detection with its nucleus.
QUPATH_05_EXPORT = """
{
  "type": "FeatureCollection",
  "features": [
    {
      "type": "Feature",
      "id": "7d1c0a52-8a4e-4d40-9a55-2fb0d6a0c1e1",
      "geometry": {
        "type": "Polygon",
        "coordinates": [
          [[1000, 2000], [1400, 2000], [1400, 2400], [1000, 2400], [1000, 2000]],
          [[1100, 2100], [1100, 2200], [1200, 2200], [1200, 2100], [1100, 2100]]
        ]
      },
      "properties": {
        "objectType": "annotation",
        "name": "Invasive front",
        "classification": {"name": "Tumor", "color": [200, 0, 0]},
        "isLocked": false
      }
    },
    {
      "type": "Feature",
      "id": "F3B36C4B-0C86-4A25-9B84-2C6C0A2E8F10",
      "geometry": {
        "type": "MultiPolygon",
        "coordinates": [
          [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]],
          [[[20, 20], [30, 20], [30, 30], [20, 30], [20, 20]]]
        ]
      },
      "properties": {
        "objectType": "annotation",
        "classification": {"name": "Stroma", "color": [150, 200, 150]}
      }
    },
    {
      "type": "Feature",
      "id": "0b6a6f3e-4c1f-4d8e-8b38-6f7f0b2f9d11",
      "geometry": {"type": "MultiPoint", "coordinates": [[5.5, 6.25], [7, 8]]},
      "properties": {
        "objectType": "annotation",
        "classification": {"name": "Mitosis", "color": [255, 200, 0]}
      }
    },
    {
      "type": "Feature",
      "id": "2c0f8f7e-9a1b-4e0c-8f5e-3b9d2a7c6e55",
      "geometry": {"type": "LineString", "coordinates": [[0, 0], [50.5, 20], [100, 0]]},
      "properties": {"objectType": "annotation"}
    },
    {
      "type": "Feature",
      "id": "a4e3c2b1-0000-4000-8000-123456789abc",
      "geometry": {
        "type": "Polygon",
        "coordinates": [[[500, 500], [520, 500], [520, 520], [500, 520], [500, 500]]]
      },
      "nucleusGeometry": {
        "type": "Polygon",
        "coordinates": [[[505, 505], [515, 505], [515, 515], [505, 515], [505, 505]]]
      },
      "properties": {
        "objectType": "cell",
        "classification": {"names": ["Tumor", "Positive"], "color": [200, 50, 50]},
        "measurements": {"Nucleus: Area": 100.0, "Cell: Area": 400.0}
      }
    },
    {
      "type": "Feature",
      "id": "b5f4d3c2-1111-4111-8111-23456789abcd",
      "geometry": {"type": "Point", "coordinates": [42, 43]},
      "properties": {"objectType": "detection", "classification": {"name": "Lymphocyte"}}
    }
  ]
}
"""


def test_qupath_05_sample() -> None:
    feats = parse_feature_collection(QUPATH_05_EXPORT)
    assert len(feats) == 6
    donut, multi, points, line, cell, dot = feats

    assert donut.geometry.equals(
        shapely.Polygon(
            [(1000, 2000), (1400, 2000), (1400, 2400), (1000, 2400)],
            [[(1100, 2100), (1100, 2200), (1200, 2200), (1200, 2100)]],
        )
    )
    assert donut.geometry.area == 400 * 400 - 100 * 100
    assert (donut.class_name, donut.color, donut.name) == ("Tumor", (200, 0, 0), "Invasive front")
    assert donut.uid == "7d1c0a52-8a4e-4d40-9a55-2fb0d6a0c1e1"
    assert donut.properties == {"isLocked": False}
    assert donut.object_type == "annotation" and not donut.repaired

    assert multi.geometry.geom_type == "MultiPolygon" and multi.geometry.area == 200
    assert multi.uid == "f3b36c4b-0c86-4a25-9b84-2c6c0a2e8f10"  # normalised to lower case
    assert points.geometry.equals(shapely.MultiPoint([(5.5, 6.25), (7, 8)]))
    assert line.geometry.equals(shapely.LineString([(0, 0), (50.5, 20), (100, 0)]))
    assert line.class_name is None and line.color is None

    assert cell.object_type == "cell" and cell.class_name == "Tumor: Positive"
    assert cell.properties["measurements"]["Nucleus: Area"] == 100.0
    assert "nucleusGeometry" in cell.extra
    assert dot.object_type == "detection" and dot.geometry.equals(shapely.Point(42, 43))
    assert dot.class_name == "Lymphocyte" and dot.color is None


def test_older_qupath_forms() -> None:
    # QuPath 0.2: bare list, id = Java class name, packed ARGB colour under colorRGB
    old = [
        {
            "type": "Feature",
            "id": "PathDetectionObject",
            "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [4, 0], [4, 4], [0, 0]]]},
            "properties": {
                "classification": {"name": "Tumor", "colorRGB": -3670016},
                "isLocked": False,
                "measurements": [{"name": "Area", "value": 8.0}],
            },
        }
    ]
    (feat,) = parse_feature_collection(old)
    assert feat.object_type == "detection" and feat.uid is None
    assert feat.color == (200, 0, 0)  # 0xFFC80000
    # QuPath 0.3: int colour under "color"; a single Feature on its own
    single = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [1, 2]},
        "properties": {"classification": {"name": "Other", "color": 0x00FF00}},
    }
    (feat,) = parse_feature_collection(single)
    assert feat.color == (0, 255, 0) and feat.object_type == "annotation"


def test_round_trip_preserves_everything() -> None:
    feats = parse_feature_collection(QUPATH_05_EXPORT)
    written = to_feature_collection(feats)
    json.dumps(written)  # plain JSON types only
    again = parse_feature_collection(written)
    for a, b in zip(feats, again, strict=True):
        assert a.geometry.equals_exact(b.geometry, 0)
        assert (a.uid, a.class_name, a.color, a.object_type, a.name) == (
            b.uid,
            b.class_name,
            b.color,
            b.object_type,
            b.name,
        )
        assert a.properties == b.properties and a.extra == b.extra
    sample = json.loads(QUPATH_05_EXPORT)
    assert written["features"][0]["geometry"] == sample["features"][0]["geometry"]
    assert written["features"][0]["properties"]["classification"] == {
        "name": "Tumor",
        "color": [200, 0, 0],
    }


def test_export_of_new_features() -> None:
    feats = [
        GeoFeature(shapely.box(0, 0, 2, 3), class_name="Tumor", color=(1, 2, 3), uid=None),
        GeoFeature(shapely.Point(1.5, 2), object_type="detection"),
    ]
    fc = to_feature_collection(feats)
    first, second = fc["features"]
    assert "id" not in first
    assert first["geometry"]["coordinates"] == [
        [[2.0, 0.0], [2.0, 3.0], [0.0, 3.0], [0.0, 0.0], [2.0, 0.0]]
    ]
    assert second == {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [1.5, 2.0]},
        "properties": {"objectType": "detection"},
    }


BAD = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}},
        {"type": "Feature", "geometry": None, "properties": {}},
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}},
        {"type": "Feature", "geometry": {"type": "GeometryCollection", "geometries": []}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [float("nan"), 2]}},
        {
            "type": "Feature",
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]],  # bow-tie
            },
        },
        "not a feature",
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [1, 2]},
            "properties": {"classification": {"name": "X", "color": [300, 0, 0]}},
        },
    ],
}


def test_bad_features_fail_with_every_index_listed() -> None:
    with pytest.raises(GeoJSONError) as info:
        parse_feature_collection(BAD)
    indices = [e.index for e in info.value.errors]
    assert indices == [1, 2, 3, 4, 6, 7]
    assert str(info.value).startswith("Cannot import feature 1: has no geometry (and 5 more)")
    messages = {e.index: e.message for e in info.value.errors}
    assert "malformed Polygon" in messages[2]
    assert "GeometryCollection" in messages[3]
    assert "NaN" in messages[4]
    assert "colour" in messages[7]


def test_skip_policy_imports_the_good_ones_and_repairs() -> None:
    errors: list[FeatureError] = []
    feats = parse_feature_collection(BAD, on_error="skip", errors=errors)
    assert len(feats) == 2 and len(errors) == 6
    bow = feats[1]
    assert bow.repaired and bow.geometry.geom_type == "MultiPolygon"


@pytest.mark.parametrize("obj", ["{not json", {"type": "Topology"}, 42])
def test_not_geojson(obj: object) -> None:
    with pytest.raises(GeoJSONError):
        parse_feature_collection(obj)


def test_3d_coordinates_are_flattened() -> None:
    feat = {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[0, 0, 5], [3, 4, 5]]},
    }
    (out,) = parse_feature_collection([feat])
    assert not out.geometry.has_z and out.geometry.length == 5


def detections(n: int) -> tuple[dict[str, object], np.ndarray]:
    """A QuPath-style detection export of ``n`` 12-gon cells, and their centres."""
    rng = np.random.default_rng(0)
    t = np.linspace(0, 2 * np.pi, 13) % (2 * np.pi)  # closed ring
    unit = np.column_stack((np.cos(t), np.sin(t))) * 6
    centres = rng.uniform(0, 100_000, (n, 2))
    rings = (centres[:, None, :] + unit[None, :, :]).round(2).tolist()
    props = {
        "objectType": "detection",
        "classification": {"name": "Tumor", "color": [200, 0, 0]},
        "isLocked": False,
    }
    features = [
        {
            "type": "Feature",
            "id": f"{i:08x}-0000-4000-8000-000000000000",
            "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": props,
        }
        for i, ring in enumerate(rings)
    ]
    return {"type": "FeatureCollection", "features": features}, centres


def test_20k_detections_parse_correctly() -> None:
    """Correctness on a large file; the speed is measured in benchmarks/core_bench.py."""
    fc, centres = detections(20_000)
    parsed = parse_feature_collection(fc)
    assert len(parsed) == 20_000
    assert parsed[-1].geometry.centroid.distance(shapely.Point(centres[-1])) < 0.1
