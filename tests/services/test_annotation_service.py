"""The annotation use cases the UI calls, with change notifications."""

from __future__ import annotations

import pytest
import shapely

from desktop_app.services.annotations import AnnotationService, Change
from desktop_app.store.edits import EditError
from tests.scene import Scene


def test_actions_notify_and_undo(scene: Scene) -> None:
    service = AnnotationService(scene.store, scene.image_pk, scene.user_pk)
    seen: list[Change] = []
    unsubscribe = service.subscribe(seen.append)
    tumor = scene.terms["Tumor"]
    pk = service.create(shapely.box(0, 0, 100, 50), [tumor])
    service.move([pk], 10, 20)
    assert service.toggle_term([pk], tumor) is False
    service.set_property(pk, "grade", "2")
    service.set_description(pk, "<p>check</p>")
    details = service.details(pk)
    assert details is not None
    assert details.geometry.bounds == (10, 20, 110, 70)
    assert details.terms == () and details.properties == {"grade": "2"}
    assert details.description == "<p>check</p>"
    assert [c.label for c in seen] == [
        "Draw rectangle",
        "Move 1 annotation(s)",
        "Change term",
        "Set grade",
        "Edit description",
    ]
    assert service.um(details.geometry) == pytest.approx((5000 * 0.0625, 300 * 0.25))
    for _ in range(3):
        service.undo()
    assert service.details(pk).terms == (tumor,)  # type: ignore[union-attr]
    unsubscribe()
    service.delete([pk])
    assert len(seen) == 8
    assert service.rows() == []


def test_rows_counts_and_review(scene: Scene) -> None:
    service = AnnotationService(scene.store, scene.image_pk, scene.user_pk)
    tumor, stroma = scene.terms["Tumor"], scene.terms["Stroma"]
    a = service.create("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))", [tumor])
    service.create("POINT (5 5)", [tumor, stroma])
    assert service.term_counts() == {tumor: 2, stroma: 1}
    service.review(a, accept=True)
    with pytest.raises(EditError, match="already been reviewed"):
        service.review(a, accept=False)
    rows = {r.pk: r for r in service.rows()}
    assert len(rows) == 2, "a reviewed copy belongs to its annotation: no extra row"
    assert rows[a].reviewed and rows[a].review == "accepted" and rows[a].author
    assert service.term_counts() == {tumor: 2, stroma: 1}  # counted once
    (copy,) = service.rows_page(0, None, reviewed_layer=True)  # the reviewer's layer
    assert copy.kind == "reviewed" and copy.review == "accepted"
    assert copy.terms == (tumor,), "the reviewed copy shows the reviewer's terms"
    page = service.viewport((0, 0, 20, 20))
    assert page.terms[copy.pk] == [tumor]
    assert len(service.viewport((0, 0, 20, 20))) == 3  # both + the reviewed copy
