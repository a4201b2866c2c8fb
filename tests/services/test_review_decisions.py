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


def _members(scene: Scene, bob: int, *, blind: bool) -> None:
    from desktop_app.model.project import Project, ProjectMember
    from desktop_app.model.security import Access

    with scene.store.unit_of_work(undoable=False) as uow:
        project = uow.session.get(Project, scene.project_pk)
        assert project is not None
        project.blind_mode = blind
        uow.session.merge(
            ProjectMember(project_pk=scene.project_pk, user_pk=scene.user_pk, access=Access.ADMIN)
        )
        uow.session.merge(ProjectMember(project_pk=scene.project_pk, user_pk=bob, access=Access.RW))


def test_readers_decide_independently_and_undo(scene: Scene) -> None:
    from desktop_app.core.review import ReviewStatus
    from desktop_app.services import review, review_study

    admin = AnnotationService(scene.store, scene.image_pk, scene.user_pk)
    tumor = scene.terms["Tumor"]
    a = admin.create(shapely.box(0, 0, 10, 10), [tumor])
    bob = _user(scene, "bob")
    _members(scene, bob, blind=False)
    reader = AnnotationService(scene.store, scene.image_pk, bob)
    assert review.decide(admin, scene.store, a, ReviewStatus.ACCEPTED)
    # not blinded: the first decision is also the final reviewed copy
    assert review.decision_of(scene.store, a) is ReviewStatus.ACCEPTED
    # bob's queue still has it pending: another reader's decision is not his
    assert {i.pk: i.status for i in review_study.reader_items(scene.store, scene.image_pk, bob)}[
        a
    ] is ReviewStatus.PENDING
    with pytest.raises(ValueError, match="Unknown reason 'nope'"):
        review.decide(reader, scene.store, a, ReviewStatus.REJECTED, reason="nope")
    assert review.decide(
        reader, scene.store, a, ReviewStatus.REJECTED, reason="boundary", comment="too wide"
    )
    with pytest.raises(review.ReviewRefused, match="already rejected"):
        review.decide(reader, scene.store, a, ReviewStatus.ACCEPTED)
    readings = {d.reader: d for d in rd.reader_decisions(scene.store, scene.project_pk)}
    assert readings["bob"].decision is Verdict.REJECTED and readings["bob"].comment == "too wide"
    assert readings["bob"].term_pks == (tumor,)
    assert review.decision_of(scene.store, a) is ReviewStatus.ACCEPTED  # final unchanged
    queue = review_study.adjudication_queue(scene.store, scene.project_pk)
    assert [(q.annotation_pk, q.on_decision, q.on_terms) for q in queue] == [(a, True, False)]
    # changing one's mind stays explicit: undo, then decide again
    assert reader.undo() == "Reject"
    assert len(rd.reader_decisions(scene.store, scene.project_pk)) == 1
    assert review.decide(reader, scene.store, a, ReviewStatus.ACCEPTED)
    assert review_study.adjudication_queue(scene.store, scene.project_pk) == []


def test_blinded_reader_and_adjudication(scene: Scene) -> None:
    from desktop_app.core.review import ReviewStatus
    from desktop_app.services import review, review_study

    admin = AnnotationService(scene.store, scene.image_pk, scene.user_pk)
    tumor, stroma = scene.terms["Tumor"], scene.terms["Stroma"]
    a = admin.create(shapely.box(0, 0, 10, 10), [tumor])
    bob = _user(scene, "bob")
    _members(scene, bob, blind=True)
    assert review_study.is_blinded(scene.store, scene.project_pk, bob)
    assert not review_study.is_blinded(scene.store, scene.project_pk, scene.user_pk)
    reader = AnnotationService(scene.store, scene.image_pk, bob)
    assert review.decide(admin, scene.store, a, ReviewStatus.ACCEPTED)
    # blinded: no final copy from a reading; bob sees the outline but not the terms
    assert review.decision_of(scene.store, a) is ReviewStatus.PENDING
    item = {i.pk: i for i in review_study.reader_items(scene.store, scene.image_pk, bob)}[a]
    assert item.terms == () and item.status is ReviewStatus.PENDING
    reader.toggle_term([a], stroma)
    item = {i.pk: i for i in review_study.reader_items(scene.store, scene.image_pk, bob)}[a]
    assert item.terms == (stroma,)  # his own reading
    assert review.decide(reader, scene.store, a, ReviewStatus.ACCEPTED)
    readings = {d.reader: d.term_pks for d in rd.reader_decisions(scene.store, scene.project_pk)}
    assert readings["bob"] == (stroma,)
    queue = review_study.adjudication_queue(scene.store, scene.project_pk)
    assert [(q.on_decision, q.on_terms, len(q.readings)) for q in queue] == [(False, True, 2)]
    with pytest.raises(PermissionError):
        review_study.adjudicate(scene.store, a, bob, Verdict.ACCEPTED, term_pks=[stroma])
    review_study.adjudicate(scene.store, a, scene.user_pk, Verdict.REJECTED, reason="artefact")
    assert review.decision_of(scene.store, a) is ReviewStatus.REJECTED
    assert review_study.adjudication_queue(scene.store, scene.project_pk) == []
    settled = review_study.adjudication_queue(scene.store, scene.project_pk, include_settled=True)
    assert settled[0].final is not None and settled[0].final.reason == "artefact"
    # a second adjudication replaces the first
    review_study.adjudicate(scene.store, a, scene.user_pk, Verdict.ACCEPTED, term_pks=[stroma])
    assert review.decision_of(scene.store, a) is ReviewStatus.ACCEPTED
    assert len(rd.adjudications(scene.store, scene.project_pk)) == 1
    with scene.store.read() as s:
        assert check_outbox(s).ok


def test_finalise_agreed_in_blind_mode(scene: Scene) -> None:
    from desktop_app.core.review import ReviewStatus
    from desktop_app.services import review, review_study

    admin = AnnotationService(scene.store, scene.image_pk, scene.user_pk)
    tumor = scene.terms["Tumor"]
    a = admin.create(shapely.box(0, 0, 10, 10), [tumor])
    b = admin.create(shapely.box(20, 0, 30, 10), [tumor])
    c = admin.create(shapely.box(40, 0, 50, 10), [tumor])
    bob = _user(scene, "bob")
    _members(scene, bob, blind=True)
    reader = AnnotationService(scene.store, scene.image_pk, bob)
    for svc in (admin, reader):
        review.decide(svc, scene.store, a, ReviewStatus.ACCEPTED, term_pks=[tumor])
        review.decide(svc, scene.store, b, ReviewStatus.REJECTED, reason="duplicate")
    review.decide(admin, scene.store, c, ReviewStatus.ACCEPTED)  # one reader only
    assert review.decision_of(scene.store, a) is ReviewStatus.PENDING  # blinded: no final
    with pytest.raises(PermissionError):
        review_study.finalise_agreed(scene.store, scene.project_pk, bob)
    assert review_study.finalise_agreed(scene.store, scene.project_pk, scene.user_pk) == [a, b]
    assert review.decision_of(scene.store, a) is ReviewStatus.ACCEPTED
    assert review.decision_of(scene.store, b) is ReviewStatus.REJECTED
    assert review.decision_of(scene.store, c) is ReviewStatus.PENDING
    assert review_study.finalise_agreed(scene.store, scene.project_pk, scene.user_pk) == []
