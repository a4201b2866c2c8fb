"""Undo/redo through the command log, surviving a restart of the application."""

from __future__ import annotations

from sqlalchemy import select

from desktop_app.model.annotation import Annotation
from desktop_app.model.attachment import Property
from desktop_app.model.sync import CommandLog, OpKind
from desktop_app.store.edits import create_annotation, set_property, update_geometry
from desktop_app.store.engine import open_cache
from desktop_app.store.history import History
from desktop_app.store.uow import Store
from tests.scene import Scene

SQUARE = "POLYGON ((10 10, 110 10, 110 110, 10 110, 10 10))"
MOVED = "POLYGON ((20 20, 120 20, 120 120, 20 120, 20 20))"


def test_undo_redo_survive_restart(scene: Scene) -> None:
    with scene.store.unit_of_work(label="Draw square", user_pk=scene.user_pk) as uow:
        pk = create_annotation(
            uow,
            image_pk=scene.image_pk,
            geometry=SQUARE,
            user_pk=scene.user_pk,
            term_pks=[scene.terms["Tumor"]],
        ).pk
    with scene.store.unit_of_work(label="Move", user_pk=scene.user_pk) as uow:
        update_geometry(uow, pk, MOVED)
    scene.store.close()

    store = Store(open_cache(scene.path))  # "restart"
    history = History(store)
    assert history.undo_label() == "Move"
    assert history.undo() == "Move"
    with store.read() as s:
        ann = s.get(Annotation, pk)
        assert ann is not None and (ann.min_x, ann.min_y) == (10, 10)
    assert history.undo() == "Draw square"
    with store.read() as s:
        ann = s.get(Annotation, pk)
        assert ann is not None and ann.local_deleted
    store.close()

    store = Store(open_cache(scene.path))
    history = History(store)
    assert history.redo() == "Draw square"
    assert history.redo() == "Move"
    assert history.redo() is None
    with store.read() as s:
        ann = s.get(Annotation, pk)
        assert ann is not None and not ann.local_deleted and (ann.min_x, ann.min_y) == (20, 20)
        kinds = [
            o.kind
            for o in s.scalars(
                select(CommandLog)
                .where(CommandLog.entity_type == "annotation", CommandLog.entity_pk == pk)
                .order_by(CommandLog.seq)
            )
        ]
    # every undo and redo is itself in the outbox, in order
    assert kinds == [
        OpKind.CREATE,
        OpKind.UPDATE,
        OpKind.UPDATE,
        OpKind.DELETE,
        OpKind.CREATE,
        OpKind.UPDATE,
    ]
    store.close()


def test_new_action_clears_redo(scene: Scene) -> None:
    history = History(scene.store)
    with scene.store.unit_of_work(label="Draw", user_pk=scene.user_pk) as uow:
        pk = create_annotation(
            uow, image_pk=scene.image_pk, geometry=SQUARE, user_pk=scene.user_pk
        ).pk
    with scene.store.unit_of_work(label="A", user_pk=scene.user_pk) as uow:
        set_property(uow, pk, "a", "1")
    assert history.undo() == "A"
    assert history.redo_label() == "A"
    with scene.store.unit_of_work(label="B", user_pk=scene.user_pk) as uow:
        set_property(uow, pk, "b", "2")
    assert history.redo_label() is None
    assert history.undo() == "B"
    with scene.store.read() as s:
        props = {p.key: p.local_deleted for p in s.scalars(select(Property))}
    assert props == {"a": True, "b": True}
    assert history.undo() == "Draw"


def test_scopes_have_separate_stacks(scene: Scene) -> None:
    with scene.store.unit_of_work(
        label="in image 1", scope="image:1", user_pk=scene.user_pk
    ) as uow:
        create_annotation(uow, image_pk=scene.image_pk, geometry=SQUARE, user_pk=scene.user_pk)
    assert History(scene.store, "image:2").undo() is None
    assert History(scene.store, "image:1").undo() == "in image 1"
