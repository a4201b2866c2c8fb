"""``workstation export`` to a path that cannot take a file: the message names the user's path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.services.geojson_file import ExportPathError, write_feature_collection
from desktop_app.slide.synth import write_slide
from tests.cli.test_foundation_cli import workstation

POLYGON = {
    "type": "Feature",
    "geometry": {"type": "Polygon", "coordinates": [[[10, 10], [90, 10], [90, 90], [10, 10]]]},
    "properties": {"objectType": "annotation"},
}


def test_export_to_a_folder_says_so_without_the_temporary_name(tmp_path: Path) -> None:
    slide = write_slide(tmp_path / "s.svs", 600, 400)
    data = str(tmp_path / "data")
    src = tmp_path / "in.geojson"
    src.write_text(json.dumps({"type": "FeatureCollection", "features": [POLYGON]}))
    assert workstation("--data-dir", data, "import", str(slide), str(src)).returncode == 0
    folder = tmp_path / "out"
    folder.mkdir()
    done = workstation("--data-dir", data, "export", str(slide), str(folder))
    assert done.returncode == 1
    err = done.stderr.strip()
    assert "partial" not in err and "\n" not in err, err
    assert f"{folder} is a folder" in err and str(folder / "annotations.geojson") in err
    assert list(folder.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == [
        "data", "in.geojson", "out", "s.svs",
    ]  # fmt: skip
    good = workstation("--data-dir", data, "export", str(slide), str(tmp_path / "ok.geojson"))
    assert good.returncode == 0, good.stderr
    assert len(json.loads((tmp_path / "ok.geojson").read_text())["features"]) == 1


def test_missing_folder_and_replacing_a_file(tmp_path: Path) -> None:
    with pytest.raises(ExportPathError, match="the folder .*nowhere does not exist"):
        write_feature_collection(tmp_path / "nowhere" / "a.geojson", {"features": []})
    target = tmp_path / "a.geojson"
    target.write_text("old")
    assert write_feature_collection(target, {"features": [POLYGON]}) == 1
    assert json.loads(target.read_text())["features"] == [POLYGON]
    assert [p.name for p in tmp_path.iterdir()] == ["a.geojson"]  # no temporary file left
