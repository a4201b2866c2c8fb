"""The outbox invariant: no writer can commit a pending row without its operation, and
``check_outbox`` finds any break of it in an existing cache (real SQLite files)."""

from __future__ import annotations

import pytest
import shapely
from sqlalchemy import select, text

from desktop_app.model.annotation import AnnotationTerm
from desktop_app.model.sync import CommandLog, OpKind
from desktop_app.store import edits
from desktop_app.store.annotations import bulk_create
from desktop_app.store.outbox import OutboxInvariantError, check_outbox
from tests.scene import Scene


def test_bulk_import_logs_an_op_for_every_row_it_writes(scene: Scene) -> None:
    geoms = [shapely.box(i * 50, 0, i * 50 + 40, 40) for i in range(5)]
    terms = [[scene.terms["Tumor"]], [scene.terms["Tumor"], scene.terms["Stroma"]], [], [], []]
    with scene.store.unit_of_work(label="Import", user_pk=scene.user_pk) as uow:
        bulk_create(
            uow,
            project_pk=scene.project_pk,
            image_pk=scene.image_pk,
            user_pk=scene.user_pk,
            geometries=geoms,
            term_pks=terms,
        )
    with scene.store.read() as s:
        ops = s.execute(
            select(CommandLog.entity_type, CommandLog.kind).where(
                CommandLog.entity_type.in_(["annotation", "annotation_term"])
            )
        ).all()
        links = s.scalars(select(AnnotationTerm)).all()
        assert sorted(ops).count(("annotation", OpKind.CREATE)) == 5
        assert sorted(ops).count(("annotation_term", OpKind.ADD_TERM)) == len(links) == 3
        report = check_outbox(s)
    assert report.ok, report.problems


def test_a_pending_row_without_its_op_is_refused_at_commit(scene: Scene) -> None:
    with scene.store.unit_of_work(user_pk=scene.user_pk) as uow:
        ann = edits.create_annotation(
            uow,
            image_pk=scene.image_pk,
            geometry="POLYGON ((0 0, 9 0, 9 9, 0 0))",
            user_pk=scene.user_pk,
        )
    with (
        pytest.raises(OutboxInvariantError, match="annotation_term"),
        scene.store.unit_of_work(user_pk=scene.user_pk) as uow,
    ):
        # a writer that forgets uow.log(): the link would never reach the server
        uow.session.add(
            AnnotationTerm(
                annotation_pk=ann.pk,
                term_pk=scene.terms["Tumor"],
                user_pk=scene.user_pk,
                sync_state="pending",
            )
        )
    with scene.store.read() as s:  # rolled back: nothing half-written
        assert s.scalars(select(AnnotationTerm)).all() == []


def test_a_bulk_write_without_ops_is_refused_at_commit(scene: Scene) -> None:
    with (
        pytest.raises(OutboxInvariantError),
        scene.store.unit_of_work(user_pk=scene.user_pk) as uow,
    ):
        edits.create_annotation(
            uow,
            image_pk=scene.image_pk,
            geometry="POLYGON ((0 0, 9 0, 9 9, 0 0))",
            user_pk=scene.user_pk,
        )
        first = uow.session.scalar(text("SELECT max(pk) FROM annotation"))
        uow.session.execute(text("UPDATE command_log SET state = 'done'"))
        uow.wrote("annotation", int(first), int(first))


def test_check_finds_both_directions_in_an_existing_cache(scene: Scene) -> None:
    with scene.store.unit_of_work(user_pk=scene.user_pk) as uow:
        a = edits.create_annotation(
            uow,
            image_pk=scene.image_pk,
            geometry="POLYGON ((0 0, 9 0, 9 9, 0 0))",
            user_pk=scene.user_pk,
            term_pks=[scene.terms["Tumor"]],
        )
        b = edits.create_annotation(
            uow,
            image_pk=scene.image_pk,
            geometry="POLYGON ((20 0, 29 0, 29 9, 20 0))",
            user_pk=scene.user_pk,
        )
    with scene.store.read() as s:
        assert check_outbox(s).ok
    # a cache written by an older version: a stranded link, and an op on a settled row
    with scene.store.writer_engine.begin() as conn:
        conn.execute(text("DELETE FROM command_log WHERE kind = 'add_term'"))
        conn.execute(
            text("UPDATE annotation SET sync_state = 'synced' WHERE pk = :pk"), {"pk": b.pk}
        )
    with scene.store.read() as s:
        report = check_outbox(s)
    found = sorted((p.kind, p.table) for p in report.problems)
    assert found == [("no_operation", "annotation_term"), ("settled_row", "annotation")]
    assert a.pk != b.pk and report.pending_rows >= 2
