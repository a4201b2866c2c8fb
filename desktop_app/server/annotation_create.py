"""Creating annotations, one or many, all-or-nothing (the write path of POST annotation).

Every item is validated before anything is written; one transaction then inserts the
rows, their terms and properties, their idempotency keys and change-feed rows.  Items
carrying a ``uid`` this user already used are not created again: the existing row is
returned in their place.  Shared by the REST route and the batched sync push.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import Request
from sqlalchemy import bindparam, func, insert, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from desktop_app.model.annotation import (
    AlgoAnnotation,
    Annotation,
    AnnotationKind,
    AnnotationTerm,
    UserAnnotation,
)
from desktop_app.model.attachment import Property
from desktop_app.model.base import new_uids
from desktop_app.model.image import AbstractImage, ImageInstance, SliceInstance
from desktop_app.model.ontology import Term
from desktop_app.model.project import Project
from desktop_app.model.security import Access
from desktop_app.model.sync import ChangeFeed, IdempotencyKey
from desktop_app.protocol.cytomine.annotation import AnnotationCreateBody
from desktop_app.server.annotation_geometry import geometries
from desktop_app.server.auth import Caller
from desktop_app.server.db import transaction_note
from desktop_app.server.errors import ApiError, bad_request
from desktop_app.server.feed import client_uid
from desktop_app.server.geom import PRECHECKED
from desktop_app.server.rights_cache import require_project_access
from desktop_app.server.serial import CLS
from desktop_app.server.serial_annotation import remember_image_geometry
from desktop_app.server.wire import ms, now, parse_body


@dataclass(frozen=True, slots=True)
class _Image:
    """What a create needs of its image: one Core query per image and request."""

    pk: int
    project_pk: int
    width: int
    height: int
    ref_slice: int | None


#: An image's project, size, mpp and reference slice (built once: ~0.2 ms a request).
_IMAGE = (
    select(
        ImageInstance.project_pk,
        AbstractImage.width,
        AbstractImage.height,
        AbstractImage.physical_size_x,
        select(func.min(SliceInstance.pk))
        .where(SliceInstance.image_pk == ImageInstance.pk)
        .scalar_subquery(),
    )
    .join(AbstractImage, AbstractImage.pk == ImageInstance.base_image_pk)
    .where(ImageInstance.pk == bindparam("pk"))
)


class _Ctx:
    """Per-request caches so a 10k bulk create does not re-query the same image."""

    def __init__(self, db: Session, caller: Caller) -> None:
        self.db, self.caller = db, caller
        self.images: dict[int, _Image] = {}
        self.slices: dict[int, SliceInstance] = {}
        self.terms: dict[int, set[int]] = {}

    def image(self, pk: int) -> _Image:
        if pk not in self.images:
            row = self.db.execute(_IMAGE, {"pk": pk}).first()
            if row is None:
                raise bad_request(f"Image {pk} does not exist")
            project_pk, w, h, mpp, ref_pk = row
            require_project_access(self.db, self.caller, project_pk, Access.RW)
            remember_image_geometry(self.db, pk, (int(w), int(h), mpp))
            self.images[pk] = _Image(pk, project_pk, int(w), int(h), ref_pk)
        return self.images[pk]

    def ontology_terms(self, project_pk: int) -> set[int]:
        if project_pk not in self.terms:
            onto = self.db.scalar(select(Project.ontology_pk).where(Project.pk == project_pk))
            self.terms[project_pk] = (
                set(self.db.scalars(select(Term.pk).where(Term.ontology_pk == onto)))
                if onto
                else set()
            )
        return self.terms[project_pk]


@dataclass(slots=True)
class _Item:
    """One validated create: its column values (geometry still as wire WKT)."""

    index: int
    values: dict[str, Any]
    wkt: Any
    width: int
    height: int
    terms: list[int]
    props: dict[str, str]
    uid: str | None


@dataclass(slots=True)
class Created:
    """What a bulk create returns per new row (no ORM object for 10k rows)."""

    pk: int
    uid: str
    created: datetime
    updated: datetime | None
    project_pk: int


def _prepare(ctx: _Ctx, n: int, body: Any, uid: str | None) -> _Item:
    if not isinstance(body, dict):
        raise bad_request("Each annotation must be a JSON object")
    item = parse_body(AnnotationCreateBody, body)
    slice_pk, image_pk = item.slice, item.image
    if slice_pk is not None:
        s = ctx.slices.get(slice_pk) or ctx.db.get(SliceInstance, slice_pk)
        if s is None:
            raise bad_request(f"Slice {slice_pk} does not exist")
        ctx.slices[slice_pk] = s
        if image_pk is not None and image_pk != s.image_pk:
            raise bad_request("slice does not belong to image")
        image_pk = s.image_pk
    if image_pk is None:
        raise bad_request("image or slice is required")
    img = ctx.image(image_pk)
    terms = item.term
    if terms:
        allowed = ctx.ontology_terms(img.project_pk)
        bad = [t for t in terms if t not in allowed]
        if bad:
            raise bad_request(f"Terms {bad} are not in the project's ontology")
    props = item.property
    user_pk = ctx.caller.pk
    if ctx.caller.is_admin and item.user is not None:
        user_pk = item.user or user_pk
    values = {
        "kind": AnnotationKind.ALGO if ctx.caller.algo else AnnotationKind.USER,
        "project_pk": img.project_pk,
        "image_pk": img.pk,
        "slice_pk": slice_pk or img.ref_slice,
        "user_pk": user_pk,
    }
    props_s = {str(k)[:255]: str(v) for k, v in props.items()}
    return _Item(n, values, item.location, img.width, img.height, terms, props_s, uid)


def create_many(
    db: Session, request: Request, caller: Caller, items: list[Any]
) -> list[Annotation | Created]:
    """Validate all, then insert all in one transaction; returns rows in input order.

    One item: ORM row (callers serialise it).  Several: Core executemany inserts of the
    annotations, their terms, properties, idempotency keys and one feed row each.
    """
    header_uid = request.headers.get("x-client-uid") if len(items) == 1 else None
    uids = [client_uid(request, it) if isinstance(it, dict) else None for it in items]
    if header_uid and uids[0] is None:
        uids[0] = header_uid
    result: list[Annotation | Created | None] = [None] * len(items)
    prepared, errors = _screen(db, caller, items, uids, result)
    geoms = geometries(prepared, db.info.get(PRECHECKED))
    good: list[dict[str, Any]] = []
    for it, g in zip(prepared, geoms, strict=True):
        if isinstance(g, ApiError):
            errors.append({"index": it.index, "message": g.message})
        else:
            good.append(g)
    if errors:
        errors.sort(key=lambda e: e["index"])
        raise ApiError(400, "No entry saved: " + errors[0]["message"], errorList=errors[:100])
    if len(prepared) == 1 and len(items) == 1:
        return [_create_one(db, caller, prepared[0], good[0])]
    if prepared:
        for index, created in _insert_many(db, caller, prepared, good):
            result[index] = created
    return [r for r in result if r is not None]


def create_one(db: Session, request: Request, caller: Caller, item: Any) -> Annotation:
    """One create (or the replay of an earlier one): always the ORM row."""
    (row,) = create_many(db, request, caller, [item])
    if not isinstance(row, Annotation):  # create_many answers one item with its row
        raise TypeError("a single create returned no annotation row")
    return row


def _known_keys(db: Session, caller: Caller, uids: list[str | None]) -> dict[str, int]:
    """The caller's idempotency keys among ``uids``: key -> the annotation it created."""
    known: dict[str, int] = {}
    wanted = [f"annotation:{u}" for u in uids if u is not None]
    for start in range(0, len(wanted), 5000):
        known.update(
            db.execute(
                select(IdempotencyKey.key, IdempotencyKey.entity_pk).where(
                    IdempotencyKey.user_pk == caller.pk,
                    IdempotencyKey.key.in_(wanted[start : start + 5000]),
                )
            )
            .tuples()
            .all()
        )
    return known


def _screen(
    db: Session,
    caller: Caller,
    items: list[Any],
    uids: list[str | None],
    result: list[Annotation | Created | None],
) -> tuple[list[_Item], list[dict[str, Any]]]:
    """The items to insert, and the errors by index; a replayed uid's existing row goes
    straight into ``result``."""
    ctx = _Ctx(db, caller)
    known = _known_keys(db, caller, uids)
    prepared: list[_Item] = []
    seen: set[str] = set()
    errors: list[dict[str, Any]] = []
    for n, item in enumerate(items):
        uid = uids[n]
        if uid is not None:
            pk = known.get(f"annotation:{uid}")
            if pk is not None and (old := db.get(Annotation, pk)) is not None:
                result[n] = old
                db.info.setdefault("replayed", set()).add(old.pk)  # no new command (docs 5.1)
                continue
            if pk is not None:  # created by an earlier send, deleted since: never re-create
                gone = f"Annotation {pk} created with uid {uid} has been deleted since"
                if len(items) == 1:
                    raise ApiError(404, gone)
                errors.append({"index": n, "message": gone})
                continue
            if uid in seen:
                errors.append({"index": n, "message": f"uid {uid} repeated in the request"})
                continue
            seen.add(uid)
        try:
            prepared.append(_prepare(ctx, n, item, uid))
        except ApiError as exc:
            if exc.status != 400:
                raise
            errors.append({"index": n, "message": exc.message})
    return prepared, errors


def _insert_many(
    db: Session, caller: Caller, prepared: list[_Item], geoms: list[dict[str, Any]]
) -> list[tuple[int, Created]]:
    """Core executemany inserts of validated items: (input index, what was created)."""
    stamp_dt = now()
    fresh_uids = new_uids(len(prepared))
    rows: list[dict[str, Any]] = [
        {**it.values, **g, "uid": it.uid or fresh_uid, "created": stamp_dt}
        for it, g, fresh_uid in zip(prepared, geoms, fresh_uids, strict=True)
    ]
    # Plain executemany (no RETURNING: SQLite would then insert row by row to keep
    # the order), then the new pks by their unique uids.
    table = Annotation.__table__
    db.execute(insert(table), rows)
    by_uid: dict[str, int] = {}
    all_uids = [r["uid"] for r in rows]
    for start in range(0, len(all_uids), 5000):
        by_uid.update(
            db.execute(
                select(table.c.uid, table.c.pk).where(
                    table.c.uid.in_(all_uids[start : start + 5000])
                )
            )
            .tuples()
            .all()
        )
    pks = [by_uid[u] for u in all_uids]
    _dependents(
        db,
        caller,
        [(it, pk, r["uid"]) for it, pk, r in zip(prepared, pks, rows, strict=True)],
        ms(stamp_dt) or 0,
    )
    return [
        (it.index, Created(pk, r["uid"], stamp_dt, None, r["project_pk"]))
        for it, pk, r in zip(prepared, pks, rows, strict=True)
    ]


def _create_one(db: Session, caller: Caller, it: _Item, geom: dict[str, Any]) -> Annotation:
    """One create: a Core insert, and the row as a transient object for its JSON.

    The callers only read the object (serialise it, log its command), so the ORM's
    unit of work (~0.5 ms of a ~3 ms request) is not needed; the columns the insert
    leaves to their defaults are filled from the same scalar defaults.
    """
    stamp = now()
    values = {
        **_SCALAR_DEFAULTS,
        **it.values,
        **geom,
        "uid": it.uid or new_uids(1)[0],
        "created": stamp,
    }
    key = db.connection().execute(insert(Annotation.__table__), values).inserted_primary_key
    if key is None:  # a single-row insert always reports its key
        raise RuntimeError("the annotation insert returned no primary key")
    pk = key[0]
    a: Annotation = AlgoAnnotation() if caller.algo else UserAnnotation()
    for k, v in values.items():
        if k != "kind":
            setattr(a, k, v)
    a.pk = pk
    _dependents(db, caller, [(it, pk, values["uid"])], ms(stamp) or 0)
    # Its terms are exactly the ones just inserted: spare annotation_json a round trip.
    transaction_note(db, "fresh_terms")[pk] = sorted(set(it.terms))
    return a


#: Column defaults that are plain values (``nb_comments`` 0, ``updated`` None, ...).
_SCALAR_DEFAULTS = {
    c.key: c.default.arg
    for c in Annotation.__table__.columns
    if isinstance(c.default, ScalarElementColumnDefault)
}


def _dependents(
    db: Session, caller: Caller, made: list[tuple[_Item, int, str]], stamp: int
) -> None:
    """Terms, properties, idempotency keys and change-feed rows of new annotations."""
    terms = [
        {"annotation_pk": pk, "term_pk": t, "user_pk": caller.pk}
        for it, pk, _ in made
        for t in it.terms
    ]
    props = [
        {"domain_class_name": CLS["annotation"], "domain_pk": pk, "key": k, "value": v}
        for it, pk, _ in made
        for k, v in it.props.items()
    ]
    keys = [
        {
            "user_pk": caller.pk,
            "key": f"annotation:{it.uid}",
            "entity_type": "annotation",
            "entity_pk": pk,
        }
        for it, pk, _ in made
        if it.uid is not None
    ]
    feed = [
        {
            "project_pk": it.values["project_pk"],
            "entity_type": "annotation",
            "entity_pk": pk,
            "entity_uid": uid,
            "action": "created",
            "updated_ms": stamp or 0,
            "user_pk": caller.pk,
        }
        for it, pk, uid in made
    ]
    if db.get_bind().dialect.name == "postgresql":
        # As feed.record_change: seq order = commit order within a project (docs 5.3).
        locked = transaction_note(db, "feed_locks")
        for project_pk in sorted({f["project_pk"] for f in feed} - locked.keys()):
            db.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": int(project_pk)})
            locked[project_pk] = True
    for model, rows in (
        (AnnotationTerm, terms),
        (Property, props),
        (IdempotencyKey, keys),
        (ChangeFeed, feed),
    ):
        for start in range(0, len(rows), 5000):
            db.execute(insert(model.__table__), rows[start : start + 5000])
