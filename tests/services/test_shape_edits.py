"""Shape operations through the real cache: one undo step each, the outbox sees the edits."""

from __future__ import annotations

import pytest
import shapely
from sqlalchemy import select

from desktop_app.model.sync import CommandLog, OpKind
from desktop_app.services import counting, shape_edits
from desktop_app.services.annotations import AnnotationService
from desktop_app.store.edits import EditError
from tests.scene import Scene


def ops_of_last_action(scene: Scene) -> list[tuple[str, str]]:
    with scene.store.read() as s:
        last = s.scalar(select(CommandLog.action_uid).order_by(CommandLog.seq.desc()).limit(1))
        rows = s.execute(
            select(CommandLog.entity_type, CommandLog.kind)
            .where(CommandLog.action_uid == last)
            .order_by(CommandLog.seq)
        ).all()
    return [(t, str(k)) for t, k in rows]


@pytest.fixture
def service(scene: Scene) -> AnnotationService:
    return AnnotationService(scene.store, scene.image_pk, scene.user_pk)


def test_merge_unions_shapes_and_terms_in_one_undoable_action(
    scene: Scene, service: AnnotationService
) -> None:
    tumor, stroma = scene.terms["Tumor"], scene.terms["Stroma"]
    a = service.create(shapely.box(0, 0, 10, 10), [tumor])
    b = service.create(shapely.box(5, 0, 15, 10), [stroma])
    kept = shape_edits.merge(service, [a, b])
    assert kept == a
    details = service.details(a)
    assert details is not None and details.geometry.equals(shapely.box(0, 0, 15, 10))
    assert set(details.terms) == {tumor, stroma}
    assert service.details(b) is None
    assert ops_of_last_action(scene) == [
        ("annotation", OpKind.UPDATE),
        ("annotation_term", OpKind.ADD_TERM),
        ("annotation", OpKind.DELETE),
    ]
    assert service.undo() == "Merge 2 annotations"
    assert service.details(b) is not None
    assert service.details(a).geometry.equals(shapely.box(0, 0, 10, 10))  # type: ignore[union-attr]
    assert service.details(a).terms == (tumor,)  # type: ignore[union-attr]


def test_subtract_intersect_fill_duplicate(service: AnnotationService) -> None:
    a = service.create(shapely.box(0, 0, 10, 10))
    b = service.create(shapely.box(5, 0, 15, 10))
    shape_edits.subtract(service, [a, b])
    assert service.geometry(a).equals(shapely.box(0, 0, 5, 10))  # type: ignore[union-attr]
    assert service.geometry(b) is not None  # the others stay
    service.undo()
    shape_edits.intersect(service, [a, b])
    assert service.geometry(a).equals(shapely.box(5, 0, 10, 10))  # type: ignore[union-attr]
    donut = service.create(shapely.box(0, 0, 100, 100).difference(shapely.box(10, 10, 20, 20)))
    assert shape_edits.fill_holes(service, [donut, b]) == 1
    assert service.geometry(donut).equals(shapely.box(0, 0, 100, 100))  # type: ignore[union-attr]
    with pytest.raises(EditError, match="no holes"):
        shape_edits.fill_holes(service, [donut])
    (copy,) = shape_edits.duplicate(service, [b])
    assert copy != b and service.geometry(copy).equals(service.geometry(b))  # type: ignore[union-attr]


def test_split_keeps_the_largest_piece_and_creates_the_others(
    scene: Scene, service: AnnotationService
) -> None:
    tumor = scene.terms["Tumor"]
    a = service.create(shapely.box(0, 0, 10, 10), [tumor])
    pks = shape_edits.split(service, a, shapely.LineString([(3, -1), (3, 11)]))
    assert pks[0] == a and len(pks) == 2
    assert service.geometry(a).area == 70  # type: ignore[union-attr]
    assert service.details(pks[1]).terms == (tumor,)  # type: ignore[union-attr]
    assert ops_of_last_action(scene) == [
        ("annotation", OpKind.UPDATE),
        ("annotation", OpKind.CREATE),
        ("annotation_term", OpKind.ADD_TERM),
    ]
    service.undo()
    assert service.geometry(pks[1]) is None and service.geometry(a).area == 100  # type: ignore[union-attr]


def test_locked_annotations_cannot_move_or_change_shape(
    scene: Scene, service: AnnotationService
) -> None:
    a = service.create(shapely.box(0, 0, 10, 10))
    b = service.create(shapely.box(5, 0, 15, 10))
    assert shape_edits.set_locked(service, [a], True) == 1
    assert service.details(a).properties == {"locked": "true"}  # type: ignore[union-attr]
    assert ops_of_last_action(scene) == [("property", OpKind.PUT_PROPERTY)]
    for attempt in (
        lambda: service.move([a], 1, 1),
        lambda: service.reshape(a, shapely.box(0, 0, 5, 5)),
        lambda: shape_edits.merge(service, [b, a]),
        lambda: shape_edits.subtract(service, [a, b]),
        lambda: shape_edits.split(service, a, shapely.LineString([(3, -1), (3, 11)])),
    ):
        with pytest.raises(EditError, match="locked"):
            attempt()
    shape_edits.subtract(service, [b, a])  # a locked annotation may be the one subtracted
    assert shape_edits.set_locked(service, [a, b], False) == 1
    service.move([a], 1, 1)
    assert service.geometry(a).bounds == (1, 1, 11, 11)  # type: ignore[union-attr]


def test_counting_points_go_into_one_multipoint_per_term(
    scene: Scene, service: AnnotationService
) -> None:
    tumor, stroma = scene.terms["Tumor"], scene.terms["Stroma"]
    pk, n = counting.count_point(service, [tumor], 1, 1)
    assert n == 1
    assert counting.count_point(service, [tumor], 2, 2) == (pk, 2)
    other, n = counting.count_point(service, [stroma], 3, 3)
    assert other != pk and n == 1
    assert counting.count_point(service, [], 4, 4)[1] == 1
    assert service.geometry(pk).geom_type == "MultiPoint"  # type: ignore[union-attr]
    service.undo()  # one click = one undo step
    assert service.rows()[-1].pk == other
