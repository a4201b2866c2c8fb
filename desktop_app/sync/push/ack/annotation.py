"""Answers about annotations and their term links: store the server's row, or conflict.

A create/update answer makes the server's (normalised) object the row's base; a 409
is settled per sync-design 5.6 (our own earlier send, a soft rebase, or a geometry /
delete-vs-edit conflict); a 404 on an edit is the server-delete-vs-local-edit case.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop_app.core.geometry import from_cytomine_wkt
from desktop_app.model.annotation import Annotation, AnnotationTerm
from desktop_app.model.base import SyncState, new_uid
from desktop_app.model.sync import CommandLog, OpState
from desktop_app.protocol.cytomine.answers_annotation import ANNOTATION_TERM, AnnotationJson
from desktop_app.store.annotations import geometry_columns
from desktop_app.sync.conflicts import records as conflicts
from desktop_app.sync.conflicts.kinds import ConflictKind
from desktop_app.sync.local import (
    annotation_view,
    dumps,
    image_height,
    loads,
    same_geometry,
    server_view,
    version_of,
)
from desktop_app.sync.push.ack.common import answered, done, failed, later_ops
from desktop_app.sync.push.units import PushStats, Unit
from desktop_app.sync.transport.http import parse_as


def annotation_answer(
    s: Session, u: Unit, ann: Annotation, status: int, body: dict[str, Any], stats: PushStats
) -> None:
    later = later_ops(s, u)
    obj = answered(body)
    if status == 200:
        if u.action == "delete" or obj is None:
            acked_delete(s, u, ann, later)
        else:
            store_annotation(s, ann, obj, later)
            done(s, u, ann.server_id, ann.server_updated)
        stats.pushed += 1
    elif status == 404 and u.action == "delete":
        acked_delete(s, u, ann, later)
        stats.pushed += 1
    elif status == 404:
        conflicts.server_deleted(s, ann, u.ops + later)
        stats.conflicts += 1
    elif status == 409 and obj is not None:
        stale(s, u, ann, obj, later, stats)
    else:
        failed(s, u, ann, status, body, stats)


def store_annotation(
    s: Session, ann: Annotation, obj: AnnotationJson, later: list[CommandLog]
) -> None:
    """The server's object becomes the row's base; the geometry too unless edited since."""
    ann.server_id = obj["id"]
    ann.server_updated = version_of(obj)
    ann.base_json = dumps(obj)
    for op in later:  # our own write is the base the later edits build on
        op.base_server_updated, op.base_json = ann.server_updated, ann.base_json
    if later:
        ann.sync_state = SyncState.PENDING
        return
    location = obj.get("location")
    if location is not None:
        geom = from_cytomine_wkt(location, image_height(s, ann.image_pk))
        for key, value in geometry_columns(geom).items():
            setattr(ann, key, value)
    ann.dirty_fields, ann.sync_state = [], SyncState.SYNCED


def take_theirs(s: Session, ann: Annotation, obj: AnnotationJson) -> None:
    """Put the server's version in the row (conflicts keep mine in their record)."""
    ann.local_deleted = False
    store_annotation(s, ann, obj, [])
    ann.sync_state = SyncState.CONFLICT


def acked_delete(s: Session, u: Unit, ann: Annotation, later: list[CommandLog]) -> None:
    done(s, u, ann.server_id, None)
    if later:  # e.g. an undo of the delete is queued: it will be a NEW server entity
        ann.server_id, ann.server_updated, ann.base_json, ann.uid = None, None, None, new_uid()
        for link in s.scalars(select(AnnotationTerm).where(AnnotationTerm.annotation_pk == ann.pk)):
            link.base_json = None
        return
    s.execute(delete(Annotation).where(Annotation.pk == ann.pk))


def stale(
    s: Session,
    u: Unit,
    ann: Annotation,
    cur: AnnotationJson,
    later: list[CommandLog],
    stats: PushStats,
) -> None:
    """409: our edit was based on an older version (sync-design 5.6)."""
    intent = (u.request.get("data") or {}).get("location")
    base = loads(u.ops[0].base_json or ann.base_json).get("location")
    theirs = cur.get("location")
    if u.action == "update" and same_geometry(intent, theirs):
        store_annotation(s, ann, cur, later)  # our own earlier send had landed
        done(s, u, ann.server_id, ann.server_updated)
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
    kind = ConflictKind.DELETE_VS_EDIT if u.action == "delete" else ConflictKind.GEOMETRY
    take_theirs(s, ann, cur)
    if kind is ConflictKind.GEOMETRY:
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


def link_answer(s: Session, u: Unit, status: int, body: dict[str, Any], stats: PushStats) -> None:
    link = s.get(AnnotationTerm, u.entity_pk)
    if link is None:
        done(s, u, None, None)
        return
    later = later_ops(s, u)
    if status == 200 or (status == 404 and u.action == "remove"):
        raw = body.get("annotationterm")
        link_obj = (
            parse_as(ANNOTATION_TERM, raw, "annotationterm") if isinstance(raw, dict) else None
        )
        if link_obj is None:
            done(s, u, None, None)
        else:
            done(s, u, link_obj["id"], version_of(link_obj))
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
    failed(s, u, ann, status, body, stats)
