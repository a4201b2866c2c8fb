"""QuPath GeoJSON both ways through the real cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
from sqlalchemy import func, select

from desktop_app.cli import main
from desktop_app.core.geojson import GeoJSONError
from desktop_app.model.annotation import Annotation
from desktop_app.services.annotations import AnnotationService
from desktop_app.services.geojson_io import export_features, import_features
from desktop_app.store.history import History
from desktop_app.store.outbox import check_outbox
from tests.scene import Scene, build_scene

QUPATH = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": "7f1c0f0e-2b1a-4d39-9d0a-111111111111",
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[0, 0], [100, 0], [100, 100], [0, 100], [0, 0]],
                    [[20, 20], [40, 20], [40, 40], [20, 40], [20, 20]],
                ],
            },
            "properties": {
                "objectType": "annotation",
                "classification": {"name": "Tumor", "color": [200, 0, 0]},
            },
        },
        {
            "type": "Feature",
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [
                    [[[200, 200], [300, 200], [300, 300], [200, 200]]],
                    [[[400, 400], [500, 400], [500, 500], [400, 400]]],
                ],
            },
            "properties": {
                "objectType": "annotation",
                "classification": {"name": "Immune cells", "color": [0, 0, 255]},
            },
        },
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [7, 9]},
            "properties": {"objectType": "annotation"},
        },
        {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[0, 0], [10, 30], [50, 60]]},
            "properties": {
                "objectType": "annotation",
                "classification": {"name": "Stroma", "color": [0, 255, 0]},
            },
        },
    ],
}


def test_round_trip_keeps_geometries_and_classes(scene: Scene) -> None:
    report = import_features(scene.store, scene.image_pk, QUPATH, user_pk=scene.user_pk)
    assert report.imported == 4
    assert report.created_terms == ["Immune cells"]  # Tumor and Stroma already exist
    out = export_features(scene.store, scene.image_pk)
    assert len(out["features"]) == 4
    for src, dst in zip(QUPATH["features"], out["features"], strict=True):
        a, b = shapely.geometry.shape(src["geometry"]), shapely.geometry.shape(dst["geometry"])
        assert a.equals(b), (a.wkt, b.wkt)
        src_cls = src["properties"].get("classification", {}).get("name")
        assert dst["properties"].get("classification", {}).get("name") == src_cls
        assert dst["properties"]["objectType"] == "annotation"


def test_import_is_one_undoable_action(scene: Scene) -> None:
    import_features(scene.store, scene.image_pk, QUPATH, user_pk=scene.user_pk)
    assert History(scene.store, f"image:{scene.image_pk}").undo() == "Import 4 annotations"
    assert export_features(scene.store, scene.image_pk)["features"] == []


def test_mapping_onto_existing_term(scene: Scene) -> None:
    report = import_features(
        scene.store,
        scene.image_pk,
        QUPATH,
        user_pk=scene.user_pk,
        term_map={"Immune cells": "Stroma"},
    )
    assert report.created_terms == []
    names = [
        f["properties"].get("classification", {}).get("name")
        for f in export_features(scene.store, scene.image_pk)["features"]
    ]
    assert names == ["Tumor", "Stroma", None, "Stroma"]


def test_bad_feature_refuses_whole_import(scene: Scene) -> None:
    bad = json.loads(json.dumps(QUPATH))
    bad["features"][2]["geometry"]["coordinates"] = ["x", None]
    with pytest.raises(GeoJSONError, match="feature 2"):
        import_features(scene.store, scene.image_pk, bad, user_pk=scene.user_pk)
    with scene.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Annotation)) == 0
    report = import_features(
        scene.store, scene.image_pk, bad, user_pk=scene.user_pk, skip_invalid=True
    )
    assert report.imported == 3 and [e.index for e in report.skipped] == [2]


def test_cli_import_export(
    scene: Scene, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = scene.path.parent
    src = tmp_path / "in.geojson"
    src.write_text(json.dumps(QUPATH))
    with scene.store.read() as s:
        from desktop_app.model.image import ImageInstance

        uid = s.get(ImageInstance, scene.image_pk).uid  # type: ignore[union-attr]
    scene.store.close()
    assert main(["--data-dir", str(data_dir), "import", uid, str(src)]) == 0
    out = tmp_path / "out.geojson"
    assert main(["--data-dir", str(data_dir), "export", str(scene.image_pk), str(out)]) == 0
    assert len(json.loads(out.read_text())["features"]) == 4
    assert main(["--data-dir", str(data_dir), "import", "no-such-image", str(src)]) == 1
    assert "no image 'no-such-image'" in capsys.readouterr().err
    (tmp_path / "broken.geojson").write_text("{not json")
    assert main(["--data-dir", str(data_dir), "import", uid, str(tmp_path / "broken.geojson")]) == 1


def rich_annotation(scene: Scene) -> int:
    """Two terms (created Tumor first), numeric and text properties, a description."""
    service = AnnotationService(scene.store, scene.image_pk, scene.user_pk)
    pk = service.create("POLYGON ((0 0, 80 0, 80 60, 0 60, 0 0))", [scene.terms["Tumor"]])
    service.toggle_term([pk], scene.terms["Stroma"])
    for key, value in (("grade", "3"), ("ratio", "0.25"), ("note", "hot spot"), ("id", "007")):
        service.set_property(pk, key, value)
    service.set_description(pk, "<p>Reviewed at <b>40x</b></p>")
    return pk


def test_export_writes_every_term_properties_and_description(scene: Scene) -> None:
    rich_annotation(scene)
    (feature,) = export_features(scene.store, scene.image_pk)["features"]
    props = feature["properties"]
    assert props["classification"] == {
        "name": "Stroma: Tumor",  # every term, sorted by name, joined as QuPath does
        "names": ["Stroma", "Tumor"],
        "color": [0, 255, 0],  # the first term's colour
    }
    assert props["measurements"] == {"grade": 3, "ratio": 0.25}
    assert props["metadata"] == {"id": "007", "note": "hot spot"}  # "007" is text, not 7
    assert props["description"] == "<p>Reviewed at <b>40x</b></p>"


def test_export_then_import_reproduces_terms_properties_and_description(
    scene: Scene, tmp_path: Path
) -> None:
    rich_annotation(scene)
    first = export_features(scene.store, scene.image_pk)
    slide = tmp_path / "other.svs"
    slide.write_bytes(b"x" * 100)
    other = build_scene(tmp_path / "other" / "cache.sqlite", slide)
    try:
        report = import_features(other.store, other.image_pk, first, user_pk=other.user_pk)
        assert (report.imported, report.properties, report.descriptions) == (1, 4, 1)
        service = AnnotationService(other.store, other.image_pk, other.user_pk)
        (row,) = service.rows()
        details = service.details(row.pk)
        assert details is not None
        assert sorted(details.terms) == sorted([other.terms["Tumor"], other.terms["Stroma"]])
        assert details.properties == {
            "grade": "3",
            "ratio": "0.25",
            "note": "hot spot",
            "id": "007",
        }
        assert details.description == "<p>Reviewed at <b>40x</b></p>"
        again = export_features(other.store, other.image_pk)
        strip = [{k: v for k, v in f.items() if k != "id"} for f in first["features"]]
        assert [{k: v for k, v in f.items() if k != "id"} for f in again["features"]] == strip
        with other.store.read() as s:
            assert check_outbox(s).ok  # every imported row is queued for the server
    finally:
        other.store.close()
