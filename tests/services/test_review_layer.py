"""A reviewed copy belongs to its annotation: listed, counted and exported once, with its
review status; the reviewed layer stays reachable for the reviewer (real cache)."""

from __future__ import annotations

import json
from pathlib import Path

from desktop_app.services.annotations import AnnotationService
from desktop_app.services.geojson_io import export_features
from desktop_app.services.review import ReviewStatus, review_items
from desktop_app.services.statistics import image_statistics
from desktop_app.services.workspace import list_images
from tests.cli.test_foundation_cli import workstation
from tests.scene import Scene


def reviewed_scene(scene: Scene) -> tuple[AnnotationService, list[int]]:
    service = AnnotationService(scene.store, scene.image_pk, scene.user_pk)
    tumor, stroma = scene.terms["Tumor"], scene.terms["Stroma"]
    pks = [
        service.create(f"POLYGON (({x} 0, {x + 50} 0, {x + 50} 50, {x} 50, {x} 0))", terms)
        for x, terms in ((0, [tumor]), (100, [stroma]), (200, [tumor]), (300, []))
    ]
    service.review(pks[0], accept=True)
    service.review(pks[1], accept=False)
    service.review(pks[2], accept=True, term_pks=[stroma])  # a correction of the term
    return service, pks


def test_table_statistics_and_images_count_each_annotation_once(scene: Scene) -> None:
    service, pks = reviewed_scene(scene)
    rows = service.rows()
    assert [r.pk for r in rows] == pks
    assert [r.review for r in rows] == ["accepted", "rejected", "accepted", ""]
    assert service.term_counts() == {scene.terms["Tumor"]: 2, scene.terms["Stroma"]: 1}
    stats = image_statistics(scene.store, scene.image_pk)
    assert stats.total == 4 and len(stats.areas) == 4
    per_term = {t.term_pk: t.count for t in stats.per_term}
    assert per_term == {scene.terms["Tumor"]: 2, scene.terms["Stroma"]: 1, None: 1}
    with scene.store.read() as s:
        assert [i.annotations for i in list_images(s)] == [4]
    reviewed = service.rows_page(0, None, reviewed_layer=True)  # the reviewer's layer
    assert len(reviewed) == 3 and {r.kind for r in reviewed} == {"reviewed"}
    assert [i.status for i in review_items(scene.store, scene.image_pk)] == [
        ReviewStatus.ACCEPTED,
        ReviewStatus.REJECTED,
        ReviewStatus.ACCEPTED,
        ReviewStatus.PENDING,
    ]


def test_export_writes_each_annotation_once_with_its_review_status(
    scene: Scene, tmp_path: Path
) -> None:
    _service, _pks = reviewed_scene(scene)
    features = export_features(scene.store, scene.image_pk)["features"]
    assert len(features) == 4
    statuses = [f["properties"].get("metadata", {}).get("workstation:review") for f in features]
    assert statuses == ["accepted", "rejected", "accepted", None]
    scene.store.close()
    data = str(scene.path.parent)
    listed = workstation("--data-dir", data, "images", "--json")
    assert json.loads(listed.stdout)[0]["annotations"] == 4
    out = workstation("--data-dir", data, "export", str(scene.image_pk), str(tmp_path / "a.json"))
    assert out.returncode == 0 and "exported 4 annotations" in out.stdout
