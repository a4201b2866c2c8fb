"""Per-reader decisions: every reader's own first decision stands, none overwrites another."""

from __future__ import annotations

import pytest
import shapely
from sqlalchemy import select

from desktop_app.model.review import DecisionRole, ReviewDecision, Verdict
from desktop_app.model.security import User
from desktop_app.model.sync import CommandLog, OpKind
from desktop_app.services import review_decisions as rd
from desktop_app.services.annotations import AnnotationService
from desktop_app.store import decisions
from desktop_app.store.outbox import check_outbox
from tests.scene import Scene


def _user(scene: Scene, name: str) -> int:
    with scene.store.unit_of_work(undoable=False) as uow:
        user = User(username=name)
        uow.session.add(user)
        uow.session.flush()
        return int(user.pk)


def test_two_readers_decisions_all_kept(scene: Scene) -> None:
    service = AnnotationService(scene.store, scene.image_pk, scene.user_pk)
    tumor, stroma = scene.terms["Tumor"], scene.terms["Stroma"]
    a = service.create(shapely.box(0, 0, 10, 10), [tumor])
    bob = _user(scene, "bob")
    with scene.store.unit_of_work(user_pk=scene.user_pk) as uow:
        decisions.record_decision(
            uow, a, reviewer_pk=scene.user_pk, decision=Verdict.ACCEPTED, term_pks=[tumor]
        )
    with scene.store.unit_of_work(user_pk=bob) as uow:
        decisions.record_decision(
            uow,
            a,
            reviewer_pk=bob,
            decision=Verdict.REJECTED,
            term_pks=[stroma],
            reason="wrong_class",
            comment="  looks like stroma ",
        )
    rows = rd.reader_decisions(scene.store, scene.project_pk)
    by_reader = {r.reviewer_pk: r for r in rows}
    assert len(rows) == 2 and set(by_reader) == {scene.user_pk, bob}
    assert by_reader[bob].decision is Verdict.REJECTED and by_reader[bob].reader == "bob"
    assert by_reader[bob].term_pks == (stroma,) and by_reader[bob].reason == "wrong_class"
    assert by_reader[bob].comment == "looks like stroma"
    assert by_reader[scene.user_pk].term_pks == (tumor,)
    assert rd.reader_decisions(scene.store, scene.project_pk, image_pk=scene.image_pk) == rows
    assert rd.reader_decisions(scene.store, scene.project_pk, image_pk=scene.image_pk + 99) == []

    # the same verdict again: nothing new; a different one: refused, nothing changes
    with scene.store.unit_of_work(user_pk=bob) as uow:
        again = decisions.record_decision(uow, a, reviewer_pk=bob, decision=Verdict.REJECTED)
        assert again is None
    refused = pytest.raises(decisions.DecisionRefused, match="already rejected")
    with refused, scene.store.unit_of_work(user_pk=bob) as uow:
        decisions.record_decision(uow, a, reviewer_pk=bob, decision=Verdict.ACCEPTED)
    assert len(rd.reader_decisions(scene.store, scene.project_pk)) == 2
    with scene.store.read() as s:
        ops = list(s.scalars(select(CommandLog).where(CommandLog.entity_type == "review_decision")))
        assert [o.kind for o in ops] == [OpKind.CREATE, OpKind.CREATE]
        assert check_outbox(s).ok
        roles = set(s.scalars(select(ReviewDecision.role)))
    assert roles == {DecisionRole.READER}


def test_default_reason_codes_numbered(scene: Scene) -> None:
    codes = rd.reason_codes(scene.store, scene.project_pk)
    assert [(c.number, c.label) for c in codes] == [
        (1, "wrong class"),
        (2, "boundary inaccurate"),
        (3, "not tissue / artefact"),
        (4, "duplicate"),
        (5, "out of focus"),
        (6, "other"),
    ]
