"""Answers about review decisions: the first decision on an annotation stands.

An accept answered 409 with an identical review by the same reviewer is our own
earlier send (acknowledged); any other existing decision — a review, or another
reviewer's ``sync:review.rejected`` property — makes ours a ``review`` conflict
(the user can only drop his).  A withdrawal answered 404 is already done.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation
from desktop_app.model.base import SyncState
from desktop_app.sync.conflicts import records as conflicts
from desktop_app.sync.conflicts.kinds import ConflictKind
from desktop_app.sync.local import annotation_view, dumps, image_height, server_view, version_of
from desktop_app.sync.push.ack.common import back_to_pending, done, failed, later_ops
from desktop_app.sync.push.units import PushStats, Unit
from desktop_app.sync.transport.http import CytomineClient


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
    key = "property" if u.action == "reject" else "reviewedannotation"
    obj = body.get(key)
    if status == 200 and isinstance(obj, dict):
        if u.action == "reject":
            done(s, u, int(obj["id"]), version_of(obj))
            ann.base_json = dumps({"rejectedAs": obj})  # no server review row to point to
            ann.sync_state, ann.dirty_fields = SyncState.SYNCED, []
        else:
            _store_review(s, ann, obj)
            done(s, u, ann.server_id, ann.server_updated)
        if later_ops(s, u):
            ann.sync_state = SyncState.PENDING
        stats.pushed += 1
        return
    theirs = body.get("reviewedannotation") or body.get("property")
    if status == 409 and isinstance(theirs, dict):
        same_terms = sorted(theirs.get("term") or []) == u.request.get("terms")
        mine_too = theirs.get("reviewUser") == getattr(client, "user_id", None)
        if u.action == "review" and "term" in theirs and mine_too and same_terms:
            _store_review(s, ann, theirs)
            done(s, u, ann.server_id, ann.server_updated)
            stats.pushed += 1
            return
        _conflict(s, u, ann, theirs, str(body.get("errors") or ""))
        stats.conflicts += 1
        return
    if status == 409:  # the image is being reviewed by someone else right now: retry later
        back_to_pending(u, str(body.get("errors") or "busy"))
        return
    failed(s, u, ann, status, body, stats)


def _conflict(s: Session, u: Unit, ann: Annotation, theirs: dict[str, Any], why: str) -> None:
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


def _store_review(s: Session, ann: Annotation, obj: dict[str, Any]) -> None:
    copy = s.scalar(select(Annotation).where(Annotation.server_id == int(obj["id"])))
    if copy is not None and copy.pk != ann.pk:  # a pull brought our own review meanwhile
        s.execute(delete(Annotation).where(Annotation.pk == copy.pk))
        s.expunge(copy)
    ann.server_id, ann.server_updated = int(obj["id"]), version_of(obj)
    ann.base_json, ann.sync_state, ann.dirty_fields = dumps(obj), SyncState.SYNCED, []
