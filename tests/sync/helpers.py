"""Convergence checks shared by the sync tests: server state vs cache state vs fresh checkout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import shapely
from sqlalchemy import select

from desktop_app.core.geometry import from_cytomine_wkt, parse_wkt
from desktop_app.model.annotation import (
    Annotation,
    AnnotationKind,
    AnnotationTerm,
    ReviewedAnnotationTerm,
)
from desktop_app.model.ontology import Term
from desktop_app.model.project import Project
from desktop_app.model.security import User
from desktop_app.model.sync import CommandLog, OpState
from desktop_app.store import edits
from desktop_app.sync.local import UNFINISHED
from tests.server.harness import Server

Row = tuple[str, str, frozenset[tuple[int, int]]]
SQ = "POLYGON (({x} {y}, {x2} {y}, {x2} {y2}, {x} {y2}, {x} {y}))"


def square(x: float, y: float, size: float = 40) -> str:
    return SQ.format(x=x, y=y, x2=x + size, y2=y + size)


def _norm(wkt_ydown: str) -> str:
    return shapely.to_wkt(shapely.normalize(parse_wkt(wkt_ydown)), rounding_precision=3)


def server_state(server: Server, project: int, height: float = 900) -> dict[int, Row]:
    """server id -> (kind, normalised y-down WKT, {(term id, user id)}) from a full listing."""
    body = (
        server.client("alice")
        .get(f"/api/project/{project}/annotations/bulk.json", params={"since": 0, "max": 5000})
        .json()
    )
    assert not body["hasMore"]
    out: dict[int, Row] = {}
    for r in body["annotations"]:
        kind = "reviewed" if "Reviewed" in r["class"] else "user"
        if kind == "reviewed":
            pairs = frozenset((t, r["reviewUser"]) for t in r["term"])
        else:
            pairs = frozenset((e["term"], u) for e in r["userByTerm"] for u in e["user"])
        loc = shapely.to_wkt(from_cytomine_wkt(r["location"], height))
        out[r["id"]] = (kind, _norm(loc), pairs)
    return out


def cache_state(store: Any, project: int) -> dict[int, Row]:
    """The same view of a cache (only rows the server knows; local-only rows fail the check)."""
    out: dict[int, Row] = {}
    with store.read() as s:
        project_pk = s.scalar(select(Project.pk).where(Project.server_id == project))
        terms = dict(s.execute(select(Term.pk, Term.server_id)).all())
        users = dict(s.execute(select(User.pk, User.server_id)).all())
        for a in s.scalars(select(Annotation).where(Annotation.project_pk == project_pk)):
            if a.local_deleted:
                continue
            assert a.server_id is not None, f"annotation {a.pk} ({a.uid}) never reached the server"
            if a.kind is AnnotationKind.REVIEWED:
                pairs = frozenset(
                    (terms[t], users[a.review_user_pk])
                    for t in s.scalars(
                        select(ReviewedAnnotationTerm.term_pk).where(
                            ReviewedAnnotationTerm.reviewed_annotation_pk == a.pk
                        )
                    )
                )
            else:
                pairs = frozenset(
                    (terms[link.term_pk], users[link.user_pk])
                    for link in s.scalars(
                        select(AnnotationTerm).where(
                            AnnotationTerm.annotation_pk == a.pk,
                            AnnotationTerm.local_deleted.is_(False),
                        )
                    )
                )
            loc = shapely.to_wkt(shapely.from_wkb(a.location))
            out[a.server_id] = (a.kind.value, _norm(loc), pairs)
    return out


def outbox(store: Any, states: tuple[OpState, ...] = UNFINISHED) -> list[CommandLog]:
    with store.read() as s:
        return list(s.scalars(select(CommandLog).where(CommandLog.state.in_(states))))


def local_image(store: Any, image_sid: int) -> int:
    from desktop_app.model.image import ImageInstance

    with store.read() as s:
        pk = s.scalar(select(ImageInstance.pk).where(ImageInstance.server_id == image_sid))
        assert pk is not None
        return int(pk)


def local_term(store: Any, term_sid: int) -> int:
    with store.read() as s:
        pk = s.scalar(select(Term.pk).where(Term.server_id == term_sid))
        assert pk is not None
        return int(pk)


def local_ann(
    store: Any, *, server_id: int | None = None, uid: str | None = None
) -> Annotation | None:
    with store.read() as s:
        cond = Annotation.server_id == server_id if server_id is not None else Annotation.uid == uid
        return s.scalar(select(Annotation).where(cond))


def draw(dev: Any, image_sid: int, wkt: str, terms: list[int] = ()) -> Annotation:  # type: ignore[assignment]
    me = dev.me()
    with dev.store.unit_of_work(user_pk=me, label="draw") as uow:
        return edits.create_annotation(
            uow,
            image_pk=local_image(dev.store, image_sid),
            geometry=wkt,
            user_pk=me,
            term_pks=[local_term(dev.store, t) for t in terms],
        )


def move(dev: Any, ann_pk: int, wkt: str) -> None:
    with dev.store.unit_of_work(user_pk=dev.me(), label="move") as uow:
        edits.update_geometry(uow, ann_pk, wkt)


def remove(dev: Any, ann_pk: int) -> None:
    with dev.store.unit_of_work(user_pk=dev.me(), label="delete") as uow:
        edits.delete_annotations(uow, [ann_pk])


def toggle(dev: Any, ann_pk: int, term_sid: int) -> bool:
    with dev.store.unit_of_work(user_pk=dev.me(), label="term") as uow:
        return edits.toggle_term(uow, [ann_pk], local_term(dev.store, term_sid), dev.me())


def settle(devs: list[Any], project: int, max_passes: int = 8) -> None:
    """Sync everyone until nobody sends anything (the jepsen-style end condition)."""
    for _ in range(max_passes):
        writes = 0
        for dev in devs:
            rep = dev.sync([project])
            assert rep.error is None, rep.error
            writes += rep.writes
        if writes == 0:
            return
    raise AssertionError("no quiescence")


def assert_converged(server: Server, devs: list[Any], project: int, tmp: Path) -> dict[int, Row]:
    from tests.sync.conftest import make_device

    expected = server_state(server, project)
    for dev in devs:
        assert outbox(dev.store) == [], f"{dev.name} still has unsent ops"
        assert cache_state(dev.store, project) == expected, dev.name
    fresh = make_device(tmp, f"fresh{len(list(tmp.iterdir()))}", server.users["alice"], server.base)
    try:
        assert fresh.sync([project]).ok
        assert cache_state(fresh.store, project) == expected
    finally:
        fresh.client.close()
        fresh.store.close()
    for dev in devs:  # a further sync sends nothing
        rep = dev.sync([project])
        assert rep.writes == 0 and rep.error is None, (dev.name, rep)
    return expected
