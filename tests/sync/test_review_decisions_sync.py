"""Readers' decisions through the sync engine, against the real server (issue 13).

Undoing a decision that reached the server withdraws it there before the new one goes;
the same reader deciding differently on two devices keeps the first (a sync issue);
a blinded reader's pull drops the other readers' decisions it held.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from desktop_app.core.review import ReviewStatus
from desktop_app.model.sync import CommandLog, SyncConflict
from desktop_app.services import review
from desktop_app.services.annotations import AnnotationService
from desktop_app.services.review_decisions import reader_decisions
from tests.sync.helpers import local_ann, local_image, square


def _setup(devices: dict[str, Any], world: dict[str, Any], server: Any) -> tuple[Any, int]:
    a = server.client("alice")
    r = a.post(
        "/api/annotation.json",
        {"image": world["image"], "location": square(100, 100), "term": [world["terms"][0]]},
    )
    assert r.status_code == 200, r.text
    return r.json()["annotation"]["id"], world["project"]


def _service(dev: Any, world: dict[str, Any]) -> AnnotationService:
    return AnnotationService(dev.store, local_image(dev.store, world["image"]), dev.me())


def _server_decisions(server: Any, project: int) -> list[tuple[str, str]]:
    rows = server.client("alice").get(f"/api/project/{project}/reviewdecision.json").json()
    return sorted((d["reviewerName"], d["decision"]) for d in rows["collection"])


def test_undo_after_push_then_decide_again(devices: Any, world: Any, server: Any) -> None:
    ann_sid, project = _setup(devices, world, server)
    bob = devices["new"]("bob-1", "bob")
    bob.sync([project])
    ann = local_ann(bob.store, server_id=ann_sid)
    assert ann is not None
    svc = _service(bob, world)
    review.decide(svc, bob.store, ann.pk, ReviewStatus.REJECTED, reason="duplicate")
    assert bob.sync([project]).failed == 0
    assert _server_decisions(server, project) == [("bob", "rejected")]
    assert svc.undo() == "Reject"  # withdraw, then decide again
    review.decide(svc, bob.store, ann.pk, ReviewStatus.ACCEPTED)
    report = bob.sync([project])
    assert report.failed == 0
    assert _server_decisions(server, project) == [("bob", "accepted")]
    mine = reader_decisions(bob.store, ann.project_pk)
    assert [(d.decision.value, d.reason) for d in mine] == [("accepted", None)]


def test_same_reader_on_two_devices_first_stands(devices: Any, world: Any, server: Any) -> None:
    ann_sid, project = _setup(devices, world, server)
    laptop, desktop = devices["new"]("carol-laptop", "carol"), devices["new"]("carol-pc", "carol")
    for dev in (laptop, desktop):
        dev.sync([project])
    for dev, status in ((laptop, ReviewStatus.ACCEPTED), (desktop, ReviewStatus.REJECTED)):
        ann = local_ann(dev.store, server_id=ann_sid)
        assert ann is not None
        review.decide(_service(dev, world), dev.store, ann.pk, status, reason=None)
    assert laptop.sync([project]).failed == 0
    report = desktop.sync([project])
    assert report.failed >= 1  # the second device's different decision is refused
    assert _server_decisions(server, project) == [("carol", "accepted")]
    with desktop.store.read() as s:
        issues = s.scalars(
            select(SyncConflict).where(SyncConflict.entity_type == "review_decision")
        ).all()
        errors = s.scalars(
            select(CommandLog.last_error).where(CommandLog.entity_type == "review_decision")
        ).all()
    assert len(issues) == 1  # listed in Sync issues
    assert any("first decision stands" in (e or "") for e in errors), errors


def test_blinded_pull_drops_others_decisions(devices: Any, world: Any, server: Any) -> None:
    ann_sid, project = _setup(devices, world, server)
    bob, dave = devices["new"]("bob-2", "bob"), devices["new"]("dave-1", "dave")
    for dev, status in ((bob, ReviewStatus.ACCEPTED), (dave, ReviewStatus.REJECTED)):
        dev.sync([project])
        ann = local_ann(dev.store, server_id=ann_sid)
        assert ann is not None
        review.decide(_service(dev, world), dev.store, ann.pk, status)
        dev.sync([project])
    bob.sync([project])
    ann = local_ann(bob.store, server_id=ann_sid)
    assert ann is not None
    assert sorted(d.reader for d in reader_decisions(bob.store, ann.project_pk)) == ["bob", "dave"]
    a = server.client("alice")
    body = a.get(f"/api/project/{project}.json").json()
    assert a.put(f"/api/project/{project}.json", {**body, "blindMode": True}).ok
    bob.sync([project])
    assert [d.reader for d in reader_decisions(bob.store, ann.project_pk)] == ["bob"]


def test_a_final_rejection_pulled_before_my_bid_is_sent(
    devices: Any, world: Any, server: Any
) -> None:
    """Not blinded: bob's rejection is final on the server; dave rejects offline, and his
    sync's pull runs before his push (he decided while a sync was under way).  The pull
    mirrors bob's final rejection beside dave's unsent bid; the push then finds the bid
    refused and withdraws it quietly: dave's cache keeps bob's final decision, his own
    reading, and no sync issue."""
    from desktop_app.model.annotation import ReviewedAnnotation
    from desktop_app.sync.pull.run import pull_project

    ann_sid, project = _setup(devices, world, server)
    bob, dave = devices["new"]("bob-3", "bob"), devices["new"]("dave-3", "dave")
    for dev in (bob, dave):
        dev.sync([project])
    b_ann, d_ann = local_ann(bob.store, server_id=ann_sid), local_ann(dave.store, server_id=ann_sid)
    assert b_ann is not None and d_ann is not None
    review.decide(_service(bob, world), bob.store, b_ann.pk, ReviewStatus.REJECTED)
    assert bob.sync([project]).failed == 0
    review.decide(_service(dave, world), dave.store, d_ann.pk, ReviewStatus.REJECTED)
    ping = lambda: str(dave.client.ping().get("serverID") or "")  # noqa: E731
    pull_project(dave.store, dave.client, d_ann.project_pk, project, ping, None, lambda *a: None)
    report = dave.sync([project])
    assert report.conflicts == 0 and report.failed == 0
    assert review.decision_of(dave.store, d_ann.pk) is ReviewStatus.REJECTED
    with dave.store.read() as s:
        live = s.scalars(
            select(ReviewedAnnotation.review_user_pk).where(
                ReviewedAnnotation.parent_pk == d_ann.pk,
                ReviewedAnnotation.local_deleted.is_(False),
            )
        ).all()
    assert live == [_user(dave, "bob")]  # bob's final decision, mirrored
    assert _server_decisions(server, project) == [("bob", "rejected"), ("dave", "rejected")]


def _user(dev: Any, name: str) -> int:
    from desktop_app.model.security import User

    with dev.store.read() as s:
        pk = s.scalar(select(User.pk).where(User.username == name))
    assert pk is not None
    return int(pk)
