"""``workstation import`` refuses what the server would refuse, and says so in the
user's terms (the real command as a subprocess, a real cache)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from desktop_app.model.annotation import Annotation
from tests.bombs import star_wkt
from tests.cli.test_foundation_cli import workstation
from tests.scene import INFO, Scene


def polygon(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
    ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"objectType": "annotation"},
    }


def run_import(scene: Scene, path: Path, *extra: str) -> Any:
    return workstation(
        "--data-dir", str(scene.path.parent), "import", str(scene.image_pk), str(path), *extra
    )


def count(scene: Scene) -> int:
    with scene.store.read() as s:
        return int(s.scalar(select(func.count()).select_from(Annotation)) or 0)


def test_empty_and_non_json_files_get_a_clear_message(scene: Scene, tmp_path: Path) -> None:
    empty = tmp_path / "empty.geojson"
    empty.write_text("")
    out = run_import(scene, empty)
    assert out.returncode == 1
    assert "is empty" in out.stderr and "GeoJSON" in out.stderr
    assert "Expecting value" not in out.stderr
    garbage = tmp_path / "notes.geojson"
    garbage.write_text("tumour at the top left\n")
    out = run_import(scene, garbage)
    assert out.returncode == 1 and "is not a GeoJSON file" in out.stderr
    assert "Expecting value" not in out.stderr and "line 1, column 1" in out.stderr
    binary = tmp_path / "slide.geojson"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    out = run_import(scene, binary)
    assert out.returncode == 1 and "not text" in out.stderr


def test_outside_the_image_is_refused_partly_outside_is_clipped(
    scene: Scene, tmp_path: Path
) -> None:
    w = INFO.width
    features = [
        polygon(w + 10, 10, w + 90, 90),  # entirely outside: the server would refuse it
        polygon(w - 50, 100, w + 50, 200),  # half outside: clipped to the edge
        polygon(10, 10, 60, 60),
    ]
    path = tmp_path / "f.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    out = run_import(scene, path)
    assert out.returncode == 1
    assert (
        "Cannot import feature 0: the geometry" in out.stderr and "outside the image" in out.stderr
    )
    assert "--skip-invalid" in out.stderr and "Nothing was imported" in out.stderr
    assert ".." not in out.stderr
    assert count(scene) == 0
    out = run_import(scene, path, "--skip-invalid")
    assert out.returncode == 0, out.stderr
    assert "imported 2 annotations" in out.stdout
    assert "clipped 1 to the image's edges" in out.stdout
    assert "skipped feature 0: the geometry lies outside the image" in out.stdout
    with scene.store.read() as s:
        assert s.scalar(select(func.max(Annotation.max_x))) == w  # cut at the edge


def test_a_polygon_too_complex_to_repair_is_refused_quickly(scene: Scene, tmp_path: Path) -> None:
    star = {
        "type": "Feature",
        "properties": {"objectType": "annotation"},
        "geometry": json.loads(json.dumps(_geojson(star_wkt(201, 100)))),
    }
    path = tmp_path / "star.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [star]}))
    out = run_import(scene, path)
    assert out.returncode == 1
    assert "too complex to repair" in out.stderr and "--skip-invalid" in out.stderr
    assert count(scene) == 0


def _geojson(wkt: str) -> dict[str, Any]:
    import shapely

    return shapely.geometry.mapping(shapely.from_wkt(wkt))


def test_one_feature_is_reported_in_the_singular(scene: Scene, tmp_path: Path) -> None:
    path = tmp_path / "one.geojson"
    features = [polygon(10, 10, 60, 60)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    out = run_import(scene, path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"imported 1 annotation onto image {scene.image_pk} in ")
