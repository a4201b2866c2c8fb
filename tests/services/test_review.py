"""Review use cases: queue with statuses, first decision stands, review mode recorded."""

from __future__ import annotations

import pytest
import shapely
from sqlalchemy import select

from desktop_app.core.review import ReviewStatus
from desktop_app.model.annotation import Annotation
from desktop_app.model.image import ImageInstance
from desktop_app.model.sync import CommandLog, OpKind, OpState
from desktop_app.services import review
from desktop_app.services.annotations import AnnotationService
from desktop_app.services.sync_issues import local_counts
from tests.scene import Scene


def test_queue_decisions_and_first_decision_stands(scene: Scene) -> None:
    service = AnnotationService(scene.store, scene.image_pk, scene.user_pk)
    tumor = scene.terms["Tumor"]
    a = service.create(shapely.box(0, 0, 10, 10), [tumor])
    b = service.create(shapely.box(20, 0, 30, 10))
    c = service.create(shapely.box(40, 0, 50, 10))
    items = review.review_items(scene.store, scene.image_pk)
    assert [(i.pk, i.status) for i in items] == [(p, ReviewStatus.PENDING) for p in (a, b, c)]
    assert items[0].terms == (tumor,) and items[0].bounds == (0, 0, 10, 10)

    assert review.decide(service, scene.store, a, ReviewStatus.ACCEPTED) is True
    assert review.decide(service, scene.store, b, ReviewStatus.REJECTED) is True
    corrected = shapely.box(40, 0, 60, 12)
    assert review.decide(service, scene.store, c, ReviewStatus.CORRECTED, geometry=corrected)
    # the same decision again: a harmless no-op
    assert review.decide(service, scene.store, a, ReviewStatus.ACCEPTED) is False
    # a different one: refused with the core message, nothing changes
    with pytest.raises(review.ReviewRefused, match="already accepted; it was not marked rejected"):
        review.decide(service, scene.store, a, ReviewStatus.REJECTED)
    statuses = {i.pk: i.status for i in review.review_items(scene.store, scene.image_pk)}
    assert statuses == {
        a: ReviewStatus.ACCEPTED,
        b: ReviewStatus.REJECTED,
        c: ReviewStatus.ACCEPTED,
    }
    assert len(review.review_items(scene.store, scene.image_pk)) == 3  # copies not queued
    with scene.store.read() as s:
        copy = s.scalar(
            select(Annotation).where(Annotation.parent_pk == c, Annotation.kind == "reviewed")
        )
        assert copy is not None
        assert shapely.from_wkb(copy.location).equals(corrected)  # the corrected shape
    with scene.store.read() as s:
        ops = list(s.scalars(select(CommandLog).order_by(CommandLog.seq)))
    # each decision: the reader's decision row, then the project's reviewed copy
    assert [(o.entity_type, o.kind) for o in ops[-6:]] == [
        ("review_decision", OpKind.CREATE),
        ("annotation", OpKind.REVIEW_ACCEPT),
        ("review_decision", OpKind.CREATE),
        ("annotation", OpKind.REVIEW_REJECT),
        ("review_decision", OpKind.CREATE),
        ("annotation", OpKind.REVIEW_ACCEPT),
    ]
    assert local_counts(scene.store).pending == len([o for o in ops if o.state is OpState.PENDING])


def test_start_stop_review_recorded(scene: Scene) -> None:
    assert not review.review_state(scene.store, scene.image_pk).in_review
    before = local_counts(scene.store).pending
    st = review.start_review(scene.store, scene.image_pk, scene.user_pk)
    assert st.in_review and st.review_user_pk == scene.user_pk
    st2 = review.stop_review(scene.store, scene.image_pk, scene.user_pk)
    assert not st2.in_review and st2.review_stop is not None
    assert st2.review_start == st.review_start
    with scene.store.read() as s:
        img = s.get(ImageInstance, scene.image_pk)
        assert img is not None and img.review_stop is not None and img.review_start is not None
        ops = list(s.scalars(select(CommandLog).where(CommandLog.entity_type == "image_instance")))
    assert [o.kind for o in ops] == [OpKind.UPDATE, OpKind.UPDATE]
    assert ops[0].payload["review_user_pk"] == scene.user_pk
    assert ops[0].payload["review_stop"] is None and ops[1].payload["review_stop"]
    assert all(o.state is OpState.LOCAL for o in ops)
    assert local_counts(scene.store).pending == before  # never reaches the outbox
