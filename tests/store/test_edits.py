"""Edits: one transaction writes the rows and the command log; refusals write nothing."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import func, select, text

from desktop_app.model.annotation import Annotation, AnnotationTerm
from desktop_app.model.sync import CommandLog, OpKind
from desktop_app.store.edits import (
    EditError,
    create_annotation,
    delete_annotations,
    set_property,
    toggle_term,
    update_geometry,
)
from tests.scene import Scene

SQUARE = "POLYGON ((10 10, 110 10, 110 110, 10 110, 10 10))"


def counts(scene: Scene) -> tuple[int, int, int]:
    with scene.store.read() as s:
        return (
            s.scalar(select(func.count()).select_from(Annotation)) or 0,
            s.scalar(select(func.count()).select_from(AnnotationTerm)) or 0,
            s.scalar(select(func.count()).select_from(CommandLog)) or 0,
        )


def draw(scene: Scene, geometry: object = SQUARE, terms: tuple[str, ...] = ("Tumor",)) -> int:
    with scene.store.unit_of_work(label="Draw", user_pk=scene.user_pk) as uow:
        ann = create_annotation(
            uow,
            image_pk=scene.image_pk,
            geometry=geometry,
            user_pk=scene.user_pk,
            term_pks=[scene.terms[t] for t in terms],
        )
    return ann.pk


def test_cache_is_wal_with_foreign_keys(scene: Scene) -> None:
    with scene.store.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_create_writes_rows_and_ops_in_one_action(scene: Scene) -> None:
    before = counts(scene)
    pk = draw(scene, terms=("Tumor", "Stroma"))
    assert counts(scene) == (before[0] + 1, before[1] + 2, before[2] + 3)
    with scene.store.read() as s:
        ann = s.get(Annotation, pk)
        assert ann is not None and ann.area == pytest.approx(10_000)
        assert (ann.min_x, ann.min_y, ann.max_x, ann.max_y) == (10, 10, 110, 110)
        ops = s.scalars(
            select(CommandLog).where(
                CommandLog.entity_pk == pk, CommandLog.entity_type == "annotation"
            )
        ).all()
        assert [op.kind for op in ops] == [OpKind.CREATE]
        actions = {
            op.action_uid
            for op in s.scalars(select(CommandLog).order_by(CommandLog.seq.desc()).limit(3))
        }
        assert len(actions) == 1, "the annotation and its terms are one action"
        rtree = s.execute(
            text("SELECT count(*) FROM annotation_rtree WHERE id = :pk"), {"pk": pk}
        ).scalar()
        assert rtree == 1


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ("POLYGON ((0 0, 1 1", "WKT"),
        ("POLYGON EMPTY", "empty"),
        (f"POINT ({math.nan} 1)", "finite"),
        ("NOT A SHAPE", "WKT"),
    ],
)
def test_bad_geometry_is_refused_and_nothing_written(
    scene: Scene, geometry: str, message: str
) -> None:
    before = counts(scene)
    with pytest.raises(EditError) as err:
        draw(scene, geometry=geometry)
    assert message.lower() in str(err.value).lower()
    assert counts(scene) == before


def test_a_polygon_too_costly_to_repair_is_refused_by_the_tools(scene: Scene) -> None:
    """The server's bound (core.geometry) applies to what the drawing tools store."""
    from tests.bombs import star_wkt

    before = counts(scene)
    with pytest.raises(EditError, match="too complex to repair"):
        draw(scene, geometry=star_wkt(201, 100))
    assert counts(scene) == before
    bow_tie = "POLYGON ((0 0, 20 20, 20 0, 0 20, 0 0))"  # a few crossings: still repaired
    assert draw(scene, geometry=bow_tie) is not None


def test_unknown_term_refused_and_nothing_written(scene: Scene) -> None:
    before = counts(scene)
    with (
        pytest.raises(EditError, match="unknown term"),
        scene.store.unit_of_work(user_pk=scene.user_pk) as uow,
    ):
        create_annotation(
            uow, image_pk=scene.image_pk, geometry=SQUARE, user_pk=scene.user_pk, term_pks=[999_999]
        )
    assert counts(scene) == before


def test_self_intersecting_polygon_is_repaired(scene: Scene) -> None:
    pk = draw(scene, geometry="POLYGON ((0 0, 100 100, 100 0, 0 100, 0 0))")
    with scene.store.read() as s:
        ann = s.get(Annotation, pk)
        assert ann is not None
        assert ann.geometry_type == "MultiPolygon"
        assert ann.area == pytest.approx(5000)


def test_toggle_term_adds_then_removes(scene: Scene) -> None:
    pk = draw(scene, terms=())
    tumor = scene.terms["Tumor"]
    for expected in (True, False, True):
        with scene.store.unit_of_work(user_pk=scene.user_pk) as uow:
            assert toggle_term(uow, [pk], tumor, scene.user_pk) is expected
    with scene.store.read() as s:
        live = s.scalars(
            select(AnnotationTerm).where(
                AnnotationTerm.annotation_pk == pk, AnnotationTerm.local_deleted.is_(False)
            )
        ).all()
        assert [t.term_pk for t in live] == [tumor]
        kinds = [
            op.kind
            for op in s.scalars(
                select(CommandLog)
                .where(CommandLog.entity_type == "annotation_term")
                .order_by(CommandLog.seq)
            )
        ]
    assert kinds == [OpKind.ADD_TERM, OpKind.REMOVE_TERM, OpKind.ADD_TERM]


def test_update_and_delete_are_logged_with_inverse(scene: Scene) -> None:
    pk = draw(scene)
    with scene.store.unit_of_work(user_pk=scene.user_pk) as uow:
        update_geometry(uow, pk, "POLYGON ((0 0, 50 0, 50 50, 0 50, 0 0))")
    with scene.store.unit_of_work(user_pk=scene.user_pk) as uow:
        set_property(uow, pk, "grade", "3")
    with scene.store.unit_of_work(user_pk=scene.user_pk) as uow:
        assert delete_annotations(uow, [pk]) == 1
    with scene.store.read() as s:
        ops = s.scalars(
            select(CommandLog)
            .where(CommandLog.entity_type == "annotation", CommandLog.entity_pk == pk)
            .order_by(CommandLog.seq)
        ).all()
        assert [o.kind for o in ops] == [OpKind.CREATE, OpKind.UPDATE, OpKind.DELETE]
        assert ops[1].inverse["location"].startswith("POLYGON ((10 10")
        ann = s.get(Annotation, pk)
        assert ann is not None and ann.local_deleted
        assert "location" in ann.dirty_fields


def test_editing_a_deleted_annotation_is_refused(scene: Scene) -> None:
    pk = draw(scene)
    with scene.store.unit_of_work(user_pk=scene.user_pk) as uow:
        delete_annotations(uow, [pk])
    with (
        pytest.raises(EditError, match="unknown annotation"),
        scene.store.unit_of_work(user_pk=scene.user_pk) as uow,
    ):
        update_geometry(uow, pk, SQUARE)
