"""Storing the server's answers to a pushed batch: the ONLY place ops leave the outbox.

All answers of one batch are applied in one transaction: server id, version, the
server's (normalised) object as the new base, ops ``done`` + ``acked_log``; or the
conflict / failure records.  A crash before the commit leaves the ops ``inflight``,
which the next run re-sends (idempotently) — never lost, never doubled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from desktop_app.core.geometry import from_cytomine_wkt
from desktop_app.model.annotation import Annotation, AnnotationTerm
from desktop_app.model.base import SyncState, new_uid
from desktop_app.model.sync import AckedLog, CommandLog, OpState
from desktop_app.store.annotations import geometry_columns
from desktop_app.store.uow import Store
from desktop_app.sync import conflicts
from desktop_app.sync.http import AuthError, CytomineClient
from desktop_app.sync.local import (
    UNFINISHED,
    annotation_view,
    dumps,
    image_height,
    loads,
    same_geometry,
    server_view,
    version_of,
)

if TYPE_CHECKING:
    from desktop_app.sync.push import PushStats, Unit


def _later_ops(s: Session, u: Unit) -> list[CommandLog]:
    """Unfinished ops of the same entity that this answer does NOT settle."""
    pending: dict[tuple[str, int], list[CommandLog]] = s.info.get("unfinished", {})
    mine = {op.seq for op in u.ops}
    return [op for op in pending.get((u.entity_type, u.entity_pk), []) if op.seq not in mine]


def _load_unfinished(s: Session, units: list[Unit]) -> None:
    """One query for the whole batch (per-unit queries made a 10k push take minutes)."""
    found: dict[tuple[str, int], list[CommandLog]] = {}
    by_type: dict[str, list[int]] = {}
    for u in units:
        by_type.setdefault(u.entity_type, []).append(u.entity_pk)
    for etype, pks in by_type.items():
        for i in range(0, len(pks), 900):
            for op in s.scalars(
                select(CommandLog).where(
                    CommandLog.entity_type == etype,
                    CommandLog.entity_pk.in_(pks[i : i + 900]),
                    CommandLog.state.in_(UNFINISHED),
                )
            ):
                found.setdefault((etype, op.entity_pk), []).append(op)
    s.info["unfinished"] = found


def _load_annotations(s: Session, units: list[Unit]) -> None:
    anns = [u.entity_pk for u in units if u.entity_type == "annotation"]
    for i in range(0, len(anns), 900):  # into the identity map: s.get() below is free
        s.info.setdefault("keep", []).extend(
            s.scalars(select(Annotation).where(Annotation.pk.in_(anns[i : i + 900])))
        )


def _done(s: Session, u: Unit, server_id: int | None, version: int | None) -> None:
    for op in u.ops:
        row = s.get(CommandLog, op.seq)
        if row is not None:
            row.state, row.last_error = OpState.DONE, None
            s.add(AckedLog(op_uid=row.op_uid, server_id=server_id, server_updated=version))


def _store_annotation(
    s: Session, ann: Annotation, obj: dict[str, Any], later: list[CommandLog]
) -> None:
    """The server's object becomes the row's base; the geometry too unless edited since."""
    ann.server_id = int(obj["id"])
    ann.server_updated = version_of(obj)
    ann.base_json = dumps(obj)
    for op in later:  # our own write is the base the later edits build on
        op.base_server_updated, op.base_json = ann.server_updated, ann.base_json
    if later:
        ann.sync_state = SyncState.PENDING
        return
    if isinstance(obj.get("location"), str):
        geom = from_cytomine_wkt(obj["location"], image_height(s, ann.image_pk))
        for key, value in geometry_columns(geom).items():
            setattr(ann, key, value)
    ann.dirty_fields, ann.sync_state = [], SyncState.SYNCED


def _theirs(s: Session, ann: Annotation, obj: dict[str, Any]) -> None:
    """Put the server's version in the row (conflicts keep mine in their record)."""
    ann.local_deleted = False
    _store_annotation(s, ann, obj, [])
    ann.sync_state = SyncState.CONFLICT


def _bulk_acks(
    s: Session, units: list[Unit], results: list[dict[str, Any]], stats: PushStats
) -> tuple[list[Unit], list[dict[str, Any]]]:
    """The common case in bulk: creates answered by the bulk route (geometry as sent),
    all ops still in flight, no later edit.  Three executemany statements instead of
    one ORM object per row; everything else goes through the per-unit path."""
    pending: dict[tuple[str, int], list[CommandLog]] = s.info.get("unfinished", {})
    anns, done, acked = [], [], []
    rest_u, rest_r = [], []
    for u, res in zip(units, results, strict=True):
        obj = (res.get("body") or {}).get("annotation") if res.get("bulk") else None
        mine = {op.seq for op in u.ops}
        now = pending.get((u.entity_type, u.entity_pk), [])
        if (
            not isinstance(obj, dict)
            or u.action != "create"
            or len(now) != len(mine)
            or any(op.seq not in mine or op.state is not OpState.INFLIGHT for op in now)
        ):
            rest_u.append(u)
            rest_r.append(res)
            continue
        sid, version = int(obj["id"]), version_of(obj)
        anns.append(
            {
                "pk": u.entity_pk,
                "server_id": sid,
                "server_updated": version,
                "base_json": dumps(obj),
                "sync_state": SyncState.SYNCED,
                "dirty_fields": [],
            }
        )
        for op in now:
            done.append({"seq": op.seq, "state": OpState.DONE, "last_error": None})
            acked.append({"op_uid": op.op_uid, "server_id": sid, "server_updated": version})
    if anns:
        s.execute(update(Annotation), anns)
        s.execute(update(CommandLog), done)
        s.execute(insert(AckedLog), acked)
        stats.pushed += len(anns)
    return rest_u, rest_r


def apply_results(
    store: Store,
    client: CytomineClient,
    units: list[Unit],
    results: list[dict[str, Any]],
    stats: PushStats,
) -> None:
    """Store every answer of one batch in one transaction; 403 stops the sync afterwards."""
    forbidden: str | None = None
    with store.unit_of_work(undoable=False) as uow:
        s = uow.session
        s.autoflush = False  # one flush at commit, not one per unit
        _load_unfinished(s, units)
        units, results = _bulk_acks(s, units, results, stats)
        _load_annotations(s, units)
        for u, res in zip(units, results, strict=True):
            status = int(res.get("status") or 0)
            body = res.get("body") if isinstance(res.get("body"), dict) else {}
            fresh = [s.get(CommandLog, op.seq) for op in u.ops]
            u.ops = [op for op in fresh if op is not None and op.state is OpState.INFLIGHT]
            if not u.ops:
                continue  # settled meanwhile (e.g. the user resolved it): nothing to store
            if status == 403:
                forbidden = str(body.get("errors") or "forbidden")
                for op in u.ops:
                    op_row = s.get(CommandLog, op.seq)
                    if op_row is not None:
                        op_row.state = OpState.PENDING
                continue
            _one(s, client, u, status, body, stats)
    if forbidden is not None:
        raise AuthError(f"the server refused a change (403): {forbidden}"[:300], 403)


def _one(
    s: Session, client: CytomineClient, u: Unit, status: int, body: dict[str, Any], stats: PushStats
) -> None:
    if u.entity_type == "annotation_term":
        _link(s, u, status, body, stats)
        return
    if u.entity_type in ("property", "description"):
        _metadata(s, u, status, body, stats)
        return
    ann = s.get(Annotation, u.entity_pk)
    if ann is None:
        _done(s, u, None, None)
        return
    if u.action in ("review", "reject", "unreview"):
        _review(s, client, u, ann, status, body, stats)
        return
    later = _later_ops(s, u)
    if status == 200:
        obj = body.get("annotation")
        if u.action == "delete" or not isinstance(obj, dict):
            _acked_delete(s, u, ann, later)
        else:
            _store_annotation(s, ann, obj, later)
            _done(s, u, ann.server_id, ann.server_updated)
        stats.pushed += 1
    elif status == 404 and u.action == "delete":
        _acked_delete(s, u, ann, later)
        stats.pushed += 1
    elif status == 404:
        conflicts.server_deleted(s, ann, u.ops + later)
        stats.conflicts += 1
    elif status == 409 and isinstance(body.get("annotation"), dict):
        _stale(s, u, ann, body["annotation"], later, stats)
    else:
        _failed(s, u, ann, status, body, stats)


def _acked_delete(s: Session, u: Unit, ann: Annotation, later: list[CommandLog]) -> None:
    _done(s, u, ann.server_id, None)
    if later:  # e.g. an undo of the delete is queued: it will be a NEW server entity
        ann.server_id, ann.server_updated, ann.base_json, ann.uid = None, None, None, new_uid()
        for link in s.scalars(select(AnnotationTerm).where(AnnotationTerm.annotation_pk == ann.pk)):
            link.base_json = None
        return
    s.execute(delete(Annotation).where(Annotation.pk == ann.pk))


def _stale(
    s: Session,
    u: Unit,
    ann: Annotation,
    cur: dict[str, Any],
    later: list[CommandLog],
    stats: PushStats,
) -> None:
    """409: our edit was based on an older version (sync-design 5.6)."""
    intent = (u.request.get("data") or {}).get("location")
    base = loads(u.ops[0].base_json or ann.base_json).get("location")
    theirs = cur.get("location")
    if u.action == "update" and same_geometry(intent, theirs):
        _store_annotation(s, ann, cur, later)  # our own earlier send had landed
        _done(s, u, ann.server_id, ann.server_updated)
        stats.pushed += 1
        return
    if same_geometry(base, theirs):  # soft: the server changed something else; rebase
        ann.server_updated, ann.base_json = version_of(cur), dumps(cur)
        for op in u.ops + later:
            op.state, op.base_server_updated, op.base_json = (
                OpState.PENDING,
                ann.server_updated,
                ann.base_json,
            )
        return
    height = image_height(s, ann.image_pk)
    mine = annotation_view(s, ann, deleted=u.action == "delete")
    base_view = server_view(loads(u.ops[0].base_json), height) if u.ops[0].base_json else None
    kind = "delete_vs_edit" if u.action == "delete" else "geometry"
    _theirs(s, ann, cur)
    if kind == "geometry":
        ann.dirty_fields = [f for f in ann.dirty_fields if f != "location"]
    conflicts.record(
        s,
        kind,
        "annotation",
        ann.pk,
        u.ops + later,
        base=base_view,
        mine=mine,
        theirs=server_view(cur, height),
        message="changed on the server since you edited it",
    )
    stats.conflicts += 1


def _failed(
    s: Session, u: Unit, ann: Annotation | None, status: int, body: dict[str, Any], stats: PushStats
) -> None:
    """400 (or another refusal): kept, visible, with its payload; never dropped."""
    message = f"refused by the server ({status}): {body.get('errors') or body.get('message') or ''}"
    mine = annotation_view(s, ann) if ann is not None else {"request": u.request}
    conflicts.record(
        s,
        "failed",
        u.entity_type,
        u.entity_pk,
        u.ops,
        base=None,
        mine={**mine, "request": u.request},
        theirs=None,
        state=OpState.FAILED,
        message=message[:300],
    )
    stats.failed += 1


def _link(s: Session, u: Unit, status: int, body: dict[str, Any], stats: PushStats) -> None:
    link = s.get(AnnotationTerm, u.entity_pk)
    if link is None:
        _done(s, u, None, None)
        return
    later = _later_ops(s, u)
    if status == 200 or (status == 404 and u.action == "remove"):
        obj = body.get("annotationterm") if isinstance(body.get("annotationterm"), dict) else {}
        _done(s, u, obj.get("id"), version_of(obj))
        stats.pushed += 1
        if u.action == "add":
            link.base_json = dumps({"t": link.term_pk})
            link.sync_state = SyncState.PENDING if later else SyncState.SYNCED
        elif later:
            link.base_json = None
        else:
            s.execute(delete(AnnotationTerm).where(AnnotationTerm.pk == link.pk))
        return
    ann = s.get(Annotation, link.annotation_pk)
    if status == 404 and ann is not None:  # the annotation is gone on the server
        conflicts.server_deleted(s, ann, u.ops + later)
        stats.conflicts += 1
        return
    _failed(s, u, ann, status, body, stats)


def _metadata(s: Session, u: Unit, status: int, body: dict[str, Any], stats: PushStats) -> None:
    """Properties and descriptions: the server's row becomes the base; deletes remove ours."""
    from desktop_app.model.attachment import Description, Property

    cls: Any = Property if u.entity_type == "property" else Description
    row = s.get(cls, u.entity_pk)
    if row is None:
        _done(s, u, None, None)
        return
    later = _later_ops(s, u)
    if u.action == "prop_delete" and status in (200, 404):
        _done(s, u, row.server_id, None)
        if later:
            row.server_id, row.server_updated, row.base_json, row.uid = None, None, None, new_uid()
        else:
            s.execute(delete(cls).where(cls.pk == row.pk))
        stats.pushed += 1
        return
    obj = body.get(u.entity_type)
    if status == 200 and isinstance(obj, dict) and "id" in obj:
        row.server_id, row.server_updated = int(obj["id"]), version_of(obj)
        row.base_json = dumps(obj)
        row.sync_state = SyncState.PENDING if later else SyncState.SYNCED
        if not later:
            row.dirty_fields = []
        _done(s, u, row.server_id, row.server_updated)
        stats.pushed += 1
        return
    if status == 404 and u.action == "prop_update":  # deleted on the server: create it again
        row.server_id, row.server_updated, row.base_json, row.uid = None, None, None, new_uid()
        for op in u.ops:
            op.state = OpState.PENDING
        return
    _failed(s, u, None, status, body, stats)


def _review(
    s: Session,
    client: CytomineClient,
    u: Unit,
    ann: Annotation,
    status: int,
    body: dict[str, Any],
    stats: PushStats,
) -> None:
    """First review stands: an existing identical review is ours; another is a conflict."""
    if u.action == "reject":
        obj = body.get("property")
        if status == 200 and isinstance(obj, dict):
            _done(s, u, int(obj["id"]), version_of(obj))
            ann.base_json = dumps({"rejectedAs": obj})  # no server review row to point to
            ann.sync_state, ann.dirty_fields = SyncState.SYNCED, []
            stats.pushed += 1
        else:
            _failed(s, u, ann, status, body, stats)
        return
    if u.action == "unreview":
        if status in (200, 404):  # 404: the review is already gone
            _done(s, u, ann.server_id, None)
            s.execute(delete(Annotation).where(Annotation.pk == ann.pk))
            stats.pushed += 1
        else:
            _failed(s, u, ann, status, body, stats)
        return
    obj = body.get("reviewedannotation")
    if status == 200 and isinstance(obj, dict):
        _store_review(s, ann, obj)
        _done(s, u, ann.server_id, ann.server_updated)
        stats.pushed += 1
        return
    if status == 409 and isinstance(obj, dict):
        same_terms = sorted(obj.get("term") or []) == u.request.get("terms")
        if obj.get("reviewUser") == getattr(client, "user_id", None) and same_terms:
            _store_review(s, ann, obj)
            _done(s, u, ann.server_id, ann.server_updated)
            stats.pushed += 1
            return
        height = image_height(s, ann.image_pk)
        conflicts.record(
            s,
            "review",
            "annotation",
            ann.pk,
            u.ops,
            base=None,
            mine=annotation_view(s, ann),
            theirs=server_view(obj, height),
            message="this annotation was already reviewed (the first review stands)",
        )
        ann.sync_state = SyncState.CONFLICT
        stats.conflicts += 1
        return
    if status == 409:  # the image is being reviewed by someone else right now: retry later
        for op in u.ops:
            op.state, op.last_error = OpState.PENDING, str(body.get("errors") or "busy")[:300]
        return
    _failed(s, u, ann, status, body, stats)


def _store_review(s: Session, ann: Annotation, obj: dict[str, Any]) -> None:
    copy = s.scalar(select(Annotation).where(Annotation.server_id == int(obj["id"])))
    if copy is not None and copy.pk != ann.pk:  # a pull brought our own review meanwhile
        s.execute(delete(Annotation).where(Annotation.pk == copy.pk))
        s.expunge(copy)
    ann.server_id, ann.server_updated = int(obj["id"]), version_of(obj)
    ann.base_json, ann.sync_state, ann.dirty_fields = dumps(obj), SyncState.SYNCED, []


__all__ = ["apply_results"]
