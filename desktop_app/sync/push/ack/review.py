"""Answers about review decisions: the first decision on an annotation stands.

An accept answered 409 with an identical review by the same reviewer is our own
earlier send (acknowledged).  Any other existing final decision — a review, or
another reviewer's ``sync:review.rejected`` property — means another reader settled
the project's final decision first:

* a reviewed copy that came with a reader decision (``services.review.decide`` outside
  blind mode) is only that reader's bid for the final one; the reading itself is its
  own ``review_decision`` row, kept and pushed apart.  The local copy is dropped
  quietly and the next pull brings the server's final one; where the readings
  disagree the annotation is in the adjudication queue, so the study loses nothing and
  a sync never asks the user to choose;
* a bare reviewed copy (made without a reader decision) becomes a ``review`` conflict
  (the user can only drop his).

A withdrawal answered 404 is already done.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation
from desktop_app.model.base import SyncState
from desktop_app.model.review import DecisionRole, ReviewDecision
from desktop_app.protocol.cytomine.answers_annotation import AnnotationJson
from desktop_app.protocol.cytomine.answers_meta import PROPERTY, PropertyJson
from desktop_app.sync.conflicts import records as conflicts
from desktop_app.sync.conflicts.kinds import ConflictKind
from desktop_app.sync.local import annotation_view, dumps, image_height, server_view, version_of
from desktop_app.sync.push.ack.common import answered, back_to_pending, done, failed, later_ops
from desktop_app.sync.push.units import PushStats, Unit
from desktop_app.sync.transport.http import CytomineClient, parse_as


def review_answer(
    s: Session,
    client: CytomineClient,
    u: Unit,
    ann: Annotation,
    status: int,
    body: dict[str, Any],
    stats: PushStats,
) -> None:
    if u.action in ("unreview", "unreject"):
        if status in (200, 404):  # 404: it is already gone
            done(s, u, ann.server_id, None)
            if not later_ops(s, u):
                s.execute(delete(Annotation).where(Annotation.pk == ann.pk))
            stats.pushed += 1
        else:
            failed(s, u, ann, status, body, stats)
        return
    reviewed = answered(body, "reviewedannotation")
    raw = body.get("property")
    rejection = parse_as(PROPERTY, raw, "property") if isinstance(raw, dict) else None
    if status == 200 and _settled(s, u, ann, reviewed, rejection):
        if later_ops(s, u):
            ann.sync_state = SyncState.PENDING
        stats.pushed += 1
        return
    theirs = reviewed or rejection
    if status == 409 and theirs is not None:
        if u.action == "review" and reviewed is not None and _own_review(client, u, reviewed):
            _store_review(s, ann, reviewed)
            done(s, u, ann.server_id, ann.server_updated)
            stats.pushed += 1
            return
        if _reading_behind(s, ann):
            _drop_bid(s, u, ann, stats)
            return
        _conflict(s, u, ann, theirs, str(body.get("errors") or ""))
        stats.conflicts += 1
        return
    if status == 409:  # the image is being reviewed by someone else right now: retry later
        back_to_pending(u, str(body.get("errors") or "busy"))
        return
    failed(s, u, ann, status, body, stats)


def _settled(
    s: Session,
    u: Unit,
    ann: Annotation,
    reviewed: AnnotationJson | None,
    rejection: PropertyJson | None,
) -> bool:
    """Store what a 200 answer carries for this unit (the review copy, or the rejection
    property); ``False`` when the answer carries none, which is then a failure."""
    if u.action == "reject":
        if rejection is None:
            return False
        done(s, u, rejection["id"], version_of(rejection))
        ann.base_json = dumps({"rejectedAs": rejection})  # no server review row to point to
        ann.sync_state, ann.dirty_fields = SyncState.SYNCED, []
        return True
    if reviewed is None:
        return False
    _store_review(s, ann, reviewed)
    done(s, u, ann.server_id, ann.server_updated)
    return True


def _own_review(client: CytomineClient, u: Unit, reviewed: AnnotationJson) -> bool:
    """Whether the review the server already has is this one: ours, with our terms."""
    if "term" not in reviewed or reviewed.get("reviewUser") != client.user_id:
        return False
    return sorted(reviewed["term"]) == u.request.get("terms")


def _reading_behind(s: Session, ann: Annotation) -> bool:
    """Whether the reviewed copy's reviewer holds a live reader decision on its parent."""
    if ann.parent_pk is None or ann.review_user_pk is None:
        return False
    reading = s.scalar(
        select(ReviewDecision.pk).where(
            ReviewDecision.annotation_pk == ann.parent_pk,
            ReviewDecision.reviewer_pk == ann.review_user_pk,
            ReviewDecision.role == DecisionRole.READER,
            ReviewDecision.local_deleted.is_(False),
        )
    )
    return reading is not None


def _drop_bid(s: Session, u: Unit, ann: Annotation, stats: PushStats) -> None:
    """Another reader's decision is final: ours stays a reading; the copy is withdrawn.

    The row is kept, withdrawn and synced, rather than deleted: the reader's undo names
    it, and a deleted row's pk can be reused by the server's final copy pulled next."""
    done(s, u, None, None)
    for op in u.ops:
        op.last_error = "another reader's decision is final; yours is kept as a reading"
    ann.local_deleted = True
    if not later_ops(s, u):
        ann.sync_state, ann.dirty_fields = SyncState.SYNCED, []
    stats.dropped += len(u.ops)


def _conflict(s: Session, u: Unit, ann: Annotation, theirs: Mapping[str, Any], why: str) -> None:
    if "location" in theirs:
        view = server_view(theirs, image_height(s, ann.image_pk)) or {}
    else:  # another reviewer's rejection (a property of the parent)
        view = {"rejected": theirs.get("value"), "id": theirs.get("id")}
    conflicts.record(
        s,
        ConflictKind.REVIEW,
        "annotation",
        ann.pk,
        u.ops,
        base=None,
        mine={**annotation_view(s, ann), "decision": u.action},
        theirs=view,
        message="this annotation was already reviewed (the first review stands)"
        + (f": {why}" if why else ""),
    )
    ann.sync_state = SyncState.CONFLICT


def _store_review(s: Session, ann: Annotation, obj: AnnotationJson) -> None:
    copy = s.scalar(select(Annotation).where(Annotation.server_id == obj["id"]))
    if copy is not None and copy.pk != ann.pk:  # a pull brought our own review meanwhile
        s.execute(delete(Annotation).where(Annotation.pk == copy.pk))
        s.expunge(copy)
    ann.server_id, ann.server_updated = obj["id"], version_of(obj)
    ann.base_json, ann.sync_state, ann.dirty_fields = dumps(obj), SyncState.SYNCED, []
