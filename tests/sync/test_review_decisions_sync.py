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
