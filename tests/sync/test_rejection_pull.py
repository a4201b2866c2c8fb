"""Another reviewer's rejection reaches every workstation as a rejected decision.

The server keeps rejections as the parent's ``sync:review.rejected`` property; before,
only the reviewer's own cache showed the annotation as rejected (issue 10's team flow:
alice saw bob's rejection as 'pending').
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from desktop_app.core.review import ReviewStatus
from desktop_app.model.annotation import ReviewedAnnotation, ReviewedAnnotationTerm
from desktop_app.model.base import SyncState
from desktop_app.services.review import decision_of
from desktop_app.store import edits
from tests.sync.helpers import draw, local_ann, outbox, square


def test_a_rejection_is_pulled_as_a_decision_and_withdrawn(
    server: Any, world: dict[str, Any], devices: Any
) -> None:
    p, img, (t1, _, _) = world["project"], world["image"], world["terms"]
    a, c = devices["new"]("a", "alice"), devices["new"]("c", "carol")
    assert a.sync([p]).ok
    mine = draw(a, img, square(40, 40), [t1])
    assert a.sync([p]).ok and c.sync([p]).ok
    sid = local_ann(a.store, uid=mine.uid).server_id
    theirs = local_ann(c.store, server_id=sid).pk
    with c.store.unit_of_work(user_pk=c.me()) as uow:
        review_pk = edits.review(uow, theirs, reviewer_pk=c.me(), accept=False).pk
    assert c.sync([p]).ok
    assert decision_of(a.store, mine.pk) is ReviewStatus.PENDING  # not pulled yet

    assert a.sync([p]).ok
    assert decision_of(a.store, mine.pk) is ReviewStatus.REJECTED
    with a.store.read() as s:
        row = s.scalar(select(ReviewedAnnotation).where(ReviewedAnnotation.parent_pk == mine.pk))
        assert row is not None and row.sync_state is SyncState.SYNCED
        assert row.review_user_pk == _user_pk(a, server_id=c.keys.id)
        terms = s.scalars(
            select(ReviewedAnnotationTerm.term_pk).where(
                ReviewedAnnotationTerm.reviewed_annotation_pk == row.pk
            )
        ).all()
        assert len(terms) == 1
    assert outbox(a.store) == []  # the server's state, not an edit of alice's
    assert a.sync([p]).ok and a.sync([p]).writes == 0  # pulled once, nothing to send

    with c.store.unit_of_work(user_pk=c.me()) as uow:  # carol withdraws her rejection
        edits.delete_annotations(uow, [review_pk])
    assert c.sync([p]).ok
    assert a.sync([p]).ok
    assert decision_of(a.store, mine.pk) is ReviewStatus.PENDING


def _user_pk(dev: Any, *, server_id: int) -> int:
    from desktop_app.model.security import User

    with dev.store.read() as s:
        pk = s.scalar(select(User.pk).where(User.server_id == server_id))
        assert pk is not None
        return int(pk)
