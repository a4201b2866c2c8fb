"""The review queue read from a real cache: user and algorithm annotations, ordered."""

from __future__ import annotations

import shapely
from sqlalchemy import update

from desktop_app.core.review import ReviewStatus
from desktop_app.core.review_queue import QueueOrder
from desktop_app.model.annotation import CYTOMINE_CLASS, Annotation, AnnotationKind
from desktop_app.model.attachment import Property
from desktop_app.model.security import User
from desktop_app.services import review
from desktop_app.services.annotations import AnnotationService
from desktop_app.services.review_queue import ordered_pks, queue_entries
from tests.scene import Scene


def _as_job_output(scene: Scene, pk: int, job_user: int, confidence: str | None) -> None:
    """Make ``pk`` what a pull of a job's annotation leaves in the cache."""
    with scene.store.sessions() as s, s.begin():
        s.execute(
            update(Annotation)
            .where(Annotation.pk == pk)
            .values(kind=AnnotationKind.ALGO, user_pk=job_user)
        )
        if confidence is not None:
            s.add(
                Property(
                    domain_class_name=CYTOMINE_CLASS[AnnotationKind.ALGO],
                    domain_pk=pk,
                    key="confidence",
                    value=confidence,
                )
            )


def test_queue_of_user_and_job_annotations(scene: Scene) -> None:
    service = AnnotationService(scene.store, scene.image_pk, scene.user_pk)
    tumor, stroma = scene.terms["Tumor"], scene.terms["Stroma"]
    big = service.create(shapely.box(0, 0, 100, 100), [tumor])
    small = service.create(shapely.box(200, 0, 210, 10), [stroma])
    job_hi = service.create(shapely.box(300, 0, 340, 40), [tumor])
    job_lo = service.create(shapely.box(400, 0, 420, 20))
    job_bad = service.create(shapely.box(500, 0, 530, 30), [stroma])
    with scene.store.sessions() as s, s.begin():
        job = User(username="job-nuclei-7")
        s.add(job)
        s.flush()
        job_pk = job.pk
    _as_job_output(scene, job_hi, job_pk, "0.93")
    _as_job_output(scene, job_lo, job_pk, "0.12")
    _as_job_output(scene, job_bad, job_pk, "n/a")  # not a number: no confidence

    entries = {e.pk: e for e in queue_entries(scene.store, scene.image_pk)}
    assert entries[job_hi].algo and not entries[big].algo
    assert entries[job_hi].confidence == 0.93 and entries[job_bad].confidence is None
    assert entries[big].term == "Tumor" and entries[job_lo].term is None
    assert entries[big].area == 10_000 and entries[job_lo].author == "job-nuclei-7"

    store, img = scene.store, scene.image_pk
    assert ordered_pks(store, img, QueueOrder.CONFIDENCE) == [job_lo, job_hi, big, small, job_bad]
    assert ordered_pks(store, img, QueueOrder.AREA, descending=True)[:2] == [big, job_hi]
    assert ordered_pks(store, img, QueueOrder.TERM) == [small, job_bad, big, job_hi, job_lo]
    by_author = ordered_pks(store, img, QueueOrder.AUTHOR)
    authors = [entries[p].author.casefold() for p in by_author]
    assert authors == sorted(authors) and len(set(authors)) == 2
    jobs = [job_hi, job_lo, job_bad]
    assert by_author[:3] == jobs or by_author[-3:] == jobs  # grouped, ties by id
    shuffled = ordered_pks(store, img, QueueOrder.SHUFFLE, seed=3)
    assert sorted(shuffled) == sorted(entries) and shuffled == ordered_pks(
        store, img, QueueOrder.SHUFFLE, seed=3
    )

    # a job's annotation is reviewed like a user's: queued, decided, counted
    assert job_hi in {i.pk for i in review.review_items(store, img)}
    assert review.decide(service, store, job_hi, ReviewStatus.REJECTED) is True
    assert review.decision_of(store, job_hi) is ReviewStatus.REJECTED
