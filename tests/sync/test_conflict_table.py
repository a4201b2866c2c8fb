"""One test per cell of the conflict table: (kind, choice) → what the cache holds after.

Each conflict is set up as the push's ack leaves it (the rows, their parked ops and the
record written by ``conflicts.record``) in a real cache (``scene``), then answered with
``resolve``; the test reads back the annotation, its ops and the conflict.
"""

from __future__ import annotations

from typing import Any

import pytest
import shapely
from sqlalchemy import select

from desktop_app.model.annotation import Annotation, AnnotationTerm
from desktop_app.model.attachment import Description
from desktop_app.model.base import SyncState
from desktop_app.model.image import AbstractImage, ImageInstance
from desktop_app.model.scitran import ContainerType, Note
from desktop_app.model.sync import (
    CommandLog,
    ConflictStatus,
    OpKind,
    OpState,
    SyncConflict,
    UploadQueue,
)
from desktop_app.store import edits
from desktop_app.store.annotations import geometry_columns
from desktop_app.sync import Choice, ConflictError, ConflictKind, can_answer, resolve
from desktop_app.sync.conflicts.records import record, server_deleted
from desktop_app.sync.conflicts.resolve import HANDLERS
from desktop_app.sync.local import UNFINISHED, dumps, image_height, wire_wkt
from tests.scene import Scene

MINE_WKT = "POLYGON ((100 100, 300 100, 300 300, 100 300, 100 100))"
THEIRS_WKT = "POLYGON ((500 500, 700 500, 700 700, 500 700, 500 500))"
BASE_WKT = "POLYGON ((1000 1000, 1200 1000, 1200 1200, 1000 1200, 1000 1000))"


def test_every_kind_has_an_answer_for_every_choice() -> None:
    assert set(HANDLERS) == {(k, c) for k in ConflictKind for c in Choice}


def test_an_unknown_choice_is_refused_in_the_users_terms(scene: Scene) -> None:
    pk = _failed_create(scene)
    with pytest.raises(ConflictError, match="mine, theirs, both"):
        resolve(scene.store, _conflict_of(scene, pk), "yours")


# -- helpers: the state each conflict is recorded in ----------------------------------


def _draw(scene: Scene, wkt: str = BASE_WKT) -> int:
    with scene.store.unit_of_work(user_pk=scene.user_pk) as uow:
        ann = edits.create_annotation(
            uow,
            image_pk=scene.image_pk,
            geometry=wkt,
            user_pk=scene.user_pk,
            term_pks=[scene.terms["Tumor"]],
        )
        return ann.pk


def _acked(scene: Scene, pk: int, server_id: int = 101) -> None:
    """The server has the annotation as drawn: ids and base set, its ops done."""
    with scene.store.unit_of_work(undoable=False) as uow:
        s = uow.session
        ann = s.get(Annotation, pk)
        assert ann is not None
        height = image_height(s, ann.image_pk)
        ann.server_id, ann.server_updated = server_id, 1
        ann.base_json = dumps({"id": server_id, "location": wire_wkt(ann.location, height)})
        ann.sync_state, ann.dirty_fields = SyncState.SYNCED, []
        for link in s.scalars(select(AnnotationTerm).where(AnnotationTerm.annotation_pk == pk)):
            link.server_id, link.base_json = server_id + 1000, dumps({"id": server_id + 1000})
            link.sync_state = SyncState.SYNCED
        links = list(s.scalars(select(AnnotationTerm.pk).where(AnnotationTerm.annotation_pk == pk)))
        for op in [*_unfinished(s, "annotation", pk)] + [
            op for link in links for op in _unfinished(s, "annotation_term", link)
        ]:
            op.state = OpState.DONE


def _unfinished(s: Any, etype: str, pk: int) -> list[CommandLog]:
    return list(
        s.scalars(
            select(CommandLog).where(
                CommandLog.entity_type == etype,
                CommandLog.entity_pk == pk,
                CommandLog.state.in_(UNFINISHED),
            )
        )
    )


def _record(
    scene: Scene,
    kind: ConflictKind,
    etype: str,
    pk: int,
    mine: dict[str, Any] | None,
    state: OpState = OpState.CONFLICT,
) -> int:
    with scene.store.unit_of_work(undoable=False) as uow:
        ops = _unfinished(uow.session, etype, pk)
        c = record(
            uow.session, kind, etype, pk, ops, base=None, mine=mine, theirs=None, state=state
        )
        uow.session.flush()
        return c.pk


def _conflict_of(scene: Scene, entity_pk: int) -> int:
    with scene.store.read() as s:
        pk = s.scalar(select(SyncConflict.pk).where(SyncConflict.entity_pk == entity_pk))
        assert pk is not None
        return pk


def _moved_on_both_sides(scene: Scene) -> tuple[int, int]:
    """Mine moved to MINE_WKT; the server moved it to THEIRS_WKT (the row shows theirs)."""
    pk = _draw(scene)
    _acked(scene, pk)
    with scene.store.unit_of_work(user_pk=scene.user_pk) as uow:
        edits.update_geometry(uow, pk, MINE_WKT)
    with scene.store.unit_of_work(undoable=False) as uow:
        ann = uow.session.get(Annotation, pk)
        assert ann is not None
        for key, value in geometry_columns(shapely.from_wkt(THEIRS_WKT)).items():
            setattr(ann, key, value)
        ann.dirty_fields = []
    mine = {"location": MINE_WKT, "terms": [scene.terms["Tumor"]]}
    return pk, _record(scene, ConflictKind.GEOMETRY, "annotation", pk, mine)


def _deleted_here_edited_there(scene: Scene) -> tuple[int, int]:
    pk = _draw(scene)
    _acked(scene, pk)
    with scene.store.unit_of_work(user_pk=scene.user_pk) as uow:
        edits.delete_annotations(uow, [pk])
    with scene.store.unit_of_work(undoable=False) as uow:  # the row is back: theirs
        ann = uow.session.get(Annotation, pk)
        assert ann is not None
        ann.local_deleted = False
        for key, value in geometry_columns(shapely.from_wkt(THEIRS_WKT)).items():
            setattr(ann, key, value)
    return pk, _record(scene, ConflictKind.DELETE_VS_EDIT, "annotation", pk, {"deleted": True})


def _edited_here_deleted_there(scene: Scene) -> tuple[int, int]:
    pk = _draw(scene)
    _acked(scene, pk)
    with scene.store.unit_of_work(user_pk=scene.user_pk) as uow:
        edits.update_geometry(uow, pk, MINE_WKT)
    with scene.store.unit_of_work(undoable=False) as uow:
        ann = uow.session.get(Annotation, pk)
        assert ann is not None
        server_deleted(uow.session, ann, _unfinished(uow.session, "annotation", pk))
    return pk, _conflict_of(scene, pk)


def _reviewed_first_elsewhere(scene: Scene) -> tuple[int, int]:
    pk = _draw(scene)
    _acked(scene, pk)
    with scene.store.unit_of_work(user_pk=scene.user_pk) as uow:
        edits.review(uow, pk, reviewer_pk=scene.user_pk, accept=True)
    with scene.store.read() as s:
        copy = s.scalar(select(Annotation.pk).where(Annotation.pk != pk))
        assert copy is not None
    return copy, _record(scene, ConflictKind.REVIEW, "annotation", copy, {"decision": "review"})


def _failed_create(scene: Scene) -> int:
    pk = _draw(scene)
    _record(scene, ConflictKind.FAILED, "annotation", pk, {"request": {}}, OpState.FAILED)
    return pk


def _text_on_both_sides(scene: Scene) -> tuple[int, int]:
    pk = _draw(scene)
    _acked(scene, pk)
    with scene.store.unit_of_work(user_pk=scene.user_pk) as uow:
        edits.set_description(uow, pk, "mine")
    with scene.store.unit_of_work(undoable=False) as uow:
        desc = uow.session.scalar(select(Description).where(Description.domain_pk == pk))
        assert desc is not None
        desc.server_id, desc.data = 7, "theirs"
        desc_pk = desc.pk
    return desc_pk, _record(
        scene, ConflictKind.DESCRIPTION, "description", desc_pk, {"data": "mine"}
    )


def _lost_by_a_restored_server(scene: Scene) -> tuple[int, int]:
    pk = _draw(scene)
    _acked(scene, pk)
    with scene.store.unit_of_work(undoable=False) as uow:  # what pull.restore leaves
        ann = uow.session.get(Annotation, pk)
        assert ann is not None
        ann.server_id, ann.base_json, ann.sync_state = None, None, SyncState.CONFLICT
    mine = {"annotations": [pk]}
    return pk, _record(scene, ConflictKind.SERVER_RESTORE, "project", scene.project_pk, mine)


def _ann(scene: Scene, pk: int) -> Annotation | None:
    with scene.store.read() as s:
        ann = s.get(Annotation, pk)
        if ann is not None:
            s.expunge(ann)
        return ann


def _wkt(ann: Annotation) -> shapely.Geometry:
    return shapely.from_wkb(ann.location)


def _ops(scene: Scene, etype: str, pk: int) -> list[tuple[OpKind, OpState]]:
    with scene.store.read() as s:
        return [(op.kind, op.state) for op in _unfinished(s, etype, pk)]


def _others(scene: Scene, pk: int) -> list[Annotation]:
    with scene.store.read() as s:
        rows = list(s.scalars(select(Annotation).where(Annotation.pk != pk)))
        for r in rows:
            s.expunge(r)
        return rows


def _resolved(scene: Scene, conflict_pk: int, choice: Choice) -> None:
    resolve(scene.store, conflict_pk, choice)
    with scene.store.read() as s:
        c = s.get(SyncConflict, conflict_pk)
        assert c is not None
        assert (c.status, c.resolution) == (ConflictStatus.RESOLVED, choice.value)


# -- geometry ---------------------------------------------------------------------------


def test_geometry_mine_sends_my_shape_again(scene: Scene) -> None:
    pk, c = _moved_on_both_sides(scene)
    _resolved(scene, c, Choice.MINE)
    ann = _ann(scene, pk)
    assert ann is not None and ann.sync_state is SyncState.PENDING
    assert _wkt(ann).equals(shapely.from_wkt(MINE_WKT))
    assert _ops(scene, "annotation", pk) == [(OpKind.UPDATE, OpState.PENDING)]


def test_geometry_theirs_keeps_the_servers_shape(scene: Scene) -> None:
    pk, c = _moved_on_both_sides(scene)
    _resolved(scene, c, Choice.THEIRS)
    ann = _ann(scene, pk)
    assert ann is not None and ann.sync_state is SyncState.SYNCED
    assert _wkt(ann).equals(shapely.from_wkt(THEIRS_WKT))
    assert _ops(scene, "annotation", pk) == []


def test_geometry_both_keeps_theirs_and_makes_mine_a_new_annotation(scene: Scene) -> None:
    pk, c = _moved_on_both_sides(scene)
    _resolved(scene, c, Choice.BOTH)
    ann = _ann(scene, pk)
    assert ann is not None and ann.sync_state is SyncState.SYNCED
    assert _wkt(ann).equals(shapely.from_wkt(THEIRS_WKT))
    [copy] = _others(scene, pk)
    assert _wkt(copy).equals(shapely.from_wkt(MINE_WKT)) and copy.server_id is None
    assert _ops(scene, "annotation", copy.pk) == [(OpKind.CREATE, OpState.PENDING)]


# -- delete_vs_edit ---------------------------------------------------------------------


def test_delete_vs_edit_mine_deletes_again(scene: Scene) -> None:
    pk, c = _deleted_here_edited_there(scene)
    _resolved(scene, c, Choice.MINE)
    ann = _ann(scene, pk)
    assert ann is not None and ann.local_deleted and ann.sync_state is SyncState.PENDING
    assert _ops(scene, "annotation", pk) == [(OpKind.DELETE, OpState.PENDING)]


@pytest.mark.parametrize("choice", [Choice.THEIRS, Choice.BOTH])
def test_delete_vs_edit_theirs_and_both_keep_the_edited_row(scene: Scene, choice: Choice) -> None:
    pk, c = _deleted_here_edited_there(scene)
    _resolved(scene, c, choice)
    ann = _ann(scene, pk)
    assert ann is not None and not ann.local_deleted and ann.sync_state is SyncState.SYNCED
    assert _wkt(ann).equals(shapely.from_wkt(THEIRS_WKT))
    assert _ops(scene, "annotation", pk) == []


# -- edit_vs_delete ---------------------------------------------------------------------


@pytest.mark.parametrize("choice", [Choice.MINE, Choice.BOTH])
def test_edit_vs_delete_mine_and_both_recreate_as_a_new_annotation(
    scene: Scene, choice: Choice
) -> None:
    pk, c = _edited_here_deleted_there(scene)
    _resolved(scene, c, choice)
    assert _ann(scene, pk) is None
    [new] = _others(scene, pk)
    assert _wkt(new).equals(shapely.from_wkt(MINE_WKT)) and new.server_id is None
    assert _ops(scene, "annotation", new.pk) == [(OpKind.CREATE, OpState.PENDING)]
    with scene.store.read() as s:
        terms = s.scalars(
            select(AnnotationTerm.term_pk).where(AnnotationTerm.annotation_pk == new.pk)
        )
        assert list(terms) == [scene.terms["Tumor"]]


def test_edit_vs_delete_theirs_lets_it_go(scene: Scene) -> None:
    pk, c = _edited_here_deleted_there(scene)
    _resolved(scene, c, Choice.THEIRS)
    assert _ann(scene, pk) is None and _others(scene, pk) == []
    assert _ops(scene, "annotation", pk) == []


# -- review -----------------------------------------------------------------------------


def test_review_mine_is_refused_and_the_conflict_stays_open(scene: Scene) -> None:
    pk, c = _reviewed_first_elsewhere(scene)
    assert not can_answer(ConflictKind.REVIEW, Choice.MINE)
    with pytest.raises(ConflictError, match="first review stands"):
        resolve(scene.store, c, Choice.MINE)
    with scene.store.read() as s:
        conflict = s.get(SyncConflict, c)
        assert conflict is not None and conflict.status is ConflictStatus.OPEN
    assert _ann(scene, pk) is not None


@pytest.mark.parametrize("choice", [Choice.THEIRS, Choice.BOTH])
def test_review_theirs_and_both_drop_my_review(scene: Scene, choice: Choice) -> None:
    pk, c = _reviewed_first_elsewhere(scene)
    assert can_answer(ConflictKind.REVIEW, choice)
    _resolved(scene, c, choice)
    assert _ann(scene, pk) is None
    assert _ops(scene, "annotation", pk) == []


# -- failed -----------------------------------------------------------------------------


@pytest.mark.parametrize("choice", [Choice.MINE, Choice.BOTH])
def test_failed_mine_and_both_send_it_again(scene: Scene, choice: Choice) -> None:
    pk = _failed_create(scene)
    _resolved(scene, _conflict_of(scene, pk), choice)
    assert _ops(scene, "annotation", pk) == [(OpKind.CREATE, OpState.PENDING)]


def test_failed_theirs_removes_what_the_server_never_had(scene: Scene) -> None:
    pk = _failed_create(scene)
    _resolved(scene, _conflict_of(scene, pk), Choice.THEIRS)
    assert _ann(scene, pk) is None


def test_failed_theirs_goes_back_to_the_servers_version(scene: Scene) -> None:
    pk = _draw(scene)
    _acked(scene, pk)
    with scene.store.unit_of_work(user_pk=scene.user_pk) as uow:
        edits.update_geometry(uow, pk, MINE_WKT)
    c = _record(scene, ConflictKind.FAILED, "annotation", pk, {}, OpState.FAILED)
    _resolved(scene, c, Choice.THEIRS)
    ann = _ann(scene, pk)
    assert ann is not None and ann.sync_state is SyncState.SYNCED
    assert _wkt(ann).equals(shapely.from_wkt(BASE_WKT))
    assert _ops(scene, "annotation", pk) == []


def test_failed_note_mine_sends_the_note_again(scene: Scene) -> None:
    with scene.store.unit_of_work(undoable=False, user_pk=scene.user_pk) as uow:
        note = Note(container_type=ContainerType.PROJECT, container_pk=1, text="n")
        uow.session.add(note)
        uow.session.flush()
        uow.log(OpKind.CREATE, note, payload={"text": "n"})
        note_pk = note.pk
    c = _record(scene, ConflictKind.FAILED, "note", note_pk, {"text": "n"}, OpState.FAILED)
    _resolved(scene, c, Choice.MINE)
    assert _ops(scene, "note", note_pk) == [(OpKind.CREATE, OpState.PENDING)]


def test_failed_upload_mine_retries_it_and_theirs_keeps_the_slide_local(scene: Scene) -> None:
    with scene.store.unit_of_work(undoable=False) as uow:
        s = uow.session
        uid = s.scalar(
            select(AbstractImage.uid)
            .join(ImageInstance, ImageInstance.base_image_pk == AbstractImage.pk)
            .where(ImageInstance.pk == scene.image_pk)
        )
        s.add(UploadQueue(file_uid=uid, path="slide.svs", sha256="0" * 64, size=1, state="failed"))
    first = _record(scene, ConflictKind.FAILED, "image", scene.image_pk, {}, OpState.FAILED)
    _resolved(scene, first, Choice.THEIRS)
    with scene.store.read() as s:
        assert s.scalar(select(UploadQueue.state)) == "failed"
    second = _record(scene, ConflictKind.FAILED, "image", scene.image_pk, {}, OpState.FAILED)
    _resolved(scene, second, Choice.MINE)
    with scene.store.read() as s:
        assert s.scalar(select(UploadQueue.state)) == "pending"


# -- description ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choice", "text", "ops"),
    [
        (Choice.MINE, "mine", [(OpKind.UPDATE, OpState.PENDING)]),
        (Choice.THEIRS, "theirs", []),
        (Choice.BOTH, "theirs\nmine", [(OpKind.UPDATE, OpState.PENDING)]),
    ],
)
def test_description(scene: Scene, choice: Choice, text: str, ops: list[Any]) -> None:
    pk, c = _text_on_both_sides(scene)
    _resolved(scene, c, choice)
    with scene.store.read() as s:
        desc = s.get(Description, pk)
        assert desc is not None and desc.data == text
    assert _ops(scene, "description", pk) == ops


# -- server_restore ---------------------------------------------------------------------


@pytest.mark.parametrize("choice", [Choice.MINE, Choice.BOTH])
def test_server_restore_mine_and_both_send_the_lost_annotations_again(
    scene: Scene, choice: Choice
) -> None:
    pk, c = _lost_by_a_restored_server(scene)
    _resolved(scene, c, choice)
    ann = _ann(scene, pk)
    assert ann is not None and ann.sync_state is SyncState.PENDING
    assert _ops(scene, "annotation", pk) == [(OpKind.CREATE, OpState.PENDING)]
    with scene.store.read() as s:
        link = s.scalar(select(AnnotationTerm.pk).where(AnnotationTerm.annotation_pk == pk))
    assert _ops(scene, "annotation_term", int(link or 0)) == [(OpKind.ADD_TERM, OpState.PENDING)]


def test_server_restore_theirs_discards_the_local_copies(scene: Scene) -> None:
    pk, c = _lost_by_a_restored_server(scene)
    _resolved(scene, c, Choice.THEIRS)
    assert _ann(scene, pk) is None
