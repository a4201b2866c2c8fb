"""``workstation measurements``: run as a process, checked against shapely on the GeoJSON
export of the same image (geometry x pixel size)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import shapely
from shapely import affinity

from desktop_app.cli import main
from desktop_app.services import counting
from desktop_app.services.annotations import AnnotationService
from desktop_app.services.workspace import Workspace
from tests.cli.test_foundation_cli import workstation
from tests.scene import INFO, Scene

MPP = 0.25


def annotate(scene: Scene) -> dict[str, int]:
    service = AnnotationService(scene.store, scene.image_pk, scene.user_pk)
    tumor, stroma = scene.terms["Tumor"], scene.terms["Stroma"]
    big = service.create(
        shapely.box(0, 0, 4000, 3000).difference(shapely.box(100, 100, 300, 300)), [tumor]
    )
    inner = service.create(shapely.Point(2000, 1500).buffer(200), [stroma, tumor])
    line = service.create(shapely.LineString([(10, 10), (310, 410), (910, 410)]))
    points = counting.count_point(service, [stroma], 50, 60)[0]
    counting.count_point(service, [stroma], 70, 80)
    service.set_property(inner, "grade", "3")
    service.set_property(inner, "name", "hotspot")
    service.review(big, accept=True)
    return {"big": big, "inner": inner, "line": line, "points": points}


def read_table(path: Path, delimiter: str) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


def test_measurements_agree_with_the_geojson_export(scene: Scene, tmp_path: Path) -> None:
    annotate(scene)
    scene.store.close()
    data = str(scene.path.parent)
    image = str(scene.image_pk)
    assert main(["--data-dir", data, "export", image, str(tmp_path / "a.geojson")]) == 0
    done = workstation("--data-dir", data, "measurements", image, str(tmp_path / "m.tsv"))
    assert done.returncode == 0, done.stderr
    assert "wrote 4 annotations" in done.stdout  # the reviewed copy is its annotation's status

    features = json.loads((tmp_path / "a.geojson").read_text())["features"]
    rows = {r["Object ID"]: r for r in read_table(tmp_path / "m.tsv", "\t")}
    header = list(read_table(tmp_path / "m.tsv", "\t")[0])
    assert header[:13] == [
        "Image", "Object ID", "Object type", "Name", "Classification", "Parent", "ROI",
        "Centroid X µm", "Centroid Y µm", "Area µm^2", "Perimeter µm", "Length µm", "Num points",
    ]  # fmt: skip
    assert header[13:17] == ["Terms", "Author", "Review status", "Created"]
    assert "grade" in header and "name" in header
    assert len(features) == len(rows)
    for feature in features:
        geom = affinity.scale(shapely.geometry.shape(feature["geometry"]), MPP, MPP, origin=(0, 0))
        row = rows[feature["id"]]
        assert float(row["Centroid X µm"]) == pytest.approx(geom.centroid.x, abs=1e-3)
        assert float(row["Centroid Y µm"]) == pytest.approx(geom.centroid.y, abs=1e-3)
        if geom.geom_type in ("Polygon", "MultiPolygon"):
            assert float(row["Area µm^2"]) == pytest.approx(geom.area, rel=1e-6)
            assert float(row["Perimeter µm"]) == pytest.approx(geom.length, rel=1e-6)
            assert row["Length µm"] == ""
        elif geom.geom_type == "LineString":
            assert float(row["Length µm"]) == pytest.approx(geom.length, rel=1e-6)
            assert row["ROI"] == "Polyline" and row["Area µm^2"] == ""
        else:
            assert row["ROI"] == "Points" and row["Num points"] == "2"
        cls = feature["properties"].get("classification", {}).get("name", "")
        assert row["Classification"] == cls
    by_terms = {r["Terms"]: r for r in rows.values() if r["Review status"] != "reviewed copy"}
    inner = by_terms["Stroma; Tumor"]
    assert inner["Parent"] == "Annotation (Tumor)" and inner["Name"] == "hotspot"
    assert inner["grade"] == "3" and inner["Image"] == "slide.svs"
    assert by_terms["Tumor"]["Review status"] == "accepted"
    assert by_terms["Tumor"]["Parent"] == "Image"


def test_project_csv_and_bad_input(
    scene: Scene, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    annotate(scene)
    second = tmp_path / "second.svs"
    second.write_bytes(b"x" * 100)
    other = Workspace(scene.store).register_slide(second, INFO, project_pk=scene.project_pk).pk
    AnnotationService(scene.store, other, scene.user_pk).create(shapely.box(0, 0, 8, 8))
    scene.store.close()
    data = str(scene.path.parent)
    out = tmp_path / "all.csv"
    done = workstation("--data-dir", data, "measurements", str(other), str(out), "--project")
    assert done.returncode == 0, done.stderr
    rows = read_table(out, ",")
    assert {r["Image"] for r in rows} == {"slide.svs", "second.svs"}
    assert float(next(r for r in rows if r["Image"] == "second.svs")["Area µm^2"]) == 4.0
    assert main(["--data-dir", data, "measurements", str(other), str(tmp_path / "x.xlsx")]) == 1
    assert ".tsv or .csv" in capsys.readouterr().err
    assert main(["--data-dir", data, "measurements", "nope", str(tmp_path / "x.tsv")]) == 1
    assert "no image 'nope'" in capsys.readouterr().err
