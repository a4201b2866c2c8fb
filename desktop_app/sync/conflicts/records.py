"""Conflict records and their resolution (sync-design 5.7): nothing is ever silently lost.

A conflict keeps three views of one entity in ``sync_conflict`` — base, mine, theirs —
in the cache's frame (y-down WKT, local term pks).  Kinds:

* ``geometry``: both sides moved the polygon.  The row holds THEIR version; mine is
  in the record.  mine = re-send mine against the current server version; theirs =
  drop mine; both = a new annotation from mine with the same terms.
* ``delete_vs_edit``: I deleted, the server changed it.  The row is back (theirs).
  mine = delete again against the current version; theirs/both = keep it.
* ``edit_vs_delete``: the server deleted what I edited.  The row (``orphaned``) keeps
  mine.  theirs = discard; mine/both = recreate as a NEW annotation (never the old id).
* ``review``: someone reviewed first (first review stands).  theirs/both = drop mine.
* ``failed``: the server refused the op (400).  mine = retry; theirs = discard.
* ``description``: the text changed on both sides (terms, properties, descriptions
  and files are resolved in ``conflicts_meta``).

Resolution happens in one transaction and, when mine must reach the server, appends
a new op against the current server version (no infinite conflicts, pouchdb #4630).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import shapely
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop_app.core.geometry import from_cytomine_wkt
from desktop_app.model.annotation import Annotation, AnnotationTerm
from desktop_app.model.base import SyncState
from desktop_app.model.sync import CommandLog, ConflictStatus, OpState, SyncConflict
from desktop_app.store import edits
from desktop_app.store.annotations import geometry_columns
from desktop_app.store.uow import Store
from desktop_app.sync.local import (
    UNFINISHED,
    annotation_view,
    dumps,
    image_height,
    loads,
    server_view,
)

CHOICES = ("mine", "theirs", "both")


class ConflictError(ValueError):
    """A resolution that cannot be applied; the message is meant for the user."""


@dataclass(frozen=True, slots=True)
class ConflictInfo:
    """One open conflict as the "Sync issues" panel shows it."""

    pk: int
    kind: str
    entity_type: str
    entity_pk: int
    base: dict[str, Any]
    mine: dict[str, Any]
    theirs: dict[str, Any]
    detected_at: datetime
    message: str


def record(
    s: Session,
    kind: str,
    entity_type: str,
    entity_pk: int,
    ops: list[CommandLog],
    *,
    base: dict[str, Any] | None,
    mine: dict[str, Any] | None,
    theirs: dict[str, Any] | None,
    state: OpState = OpState.CONFLICT,
    message: str = "",
) -> SyncConflict:
    """Keep a conflict and park its ops (they block only their own entity)."""
    for op in ops:
        op.state = state
        op.last_error = message or kind
    row = SyncConflict(
        entity_type=entity_type,
        entity_pk=entity_pk,
        op_seq=ops[0].seq if ops else None,
        kind=kind,
        base_json=dumps(base or {}),
        local_json=dumps({**(mine or {}), "message": message}),
        server_json=dumps(theirs or {}),
    )
    s.add(row)
    return row


def open_conflicts(s: Session, entity_type: str, entity_pk: int) -> list[SyncConflict]:
    return list(
        s.scalars(
            select(SyncConflict).where(
                SyncConflict.entity_type == entity_type,
                SyncConflict.entity_pk == entity_pk,
                SyncConflict.status == ConflictStatus.OPEN,
            )
        )
    )


def refresh_theirs(
    s: Session, entity_type: str, entity_pk: int, obj: dict[str, Any] | None, height: float
) -> None:
    """A newer server version arrived for a conflicted row: the record shows the latest."""
    for c in open_conflicts(s, entity_type, entity_pk):
        c.server_json = dumps(server_view(obj, height) or {})


def server_deleted(s: Session, ann: Annotation, ops: list[CommandLog]) -> None:
    """The server deleted an annotation with local intent: keep it orphaned + a record."""
    base = loads(ann.base_json)
    record(
        s,
        "edit_vs_delete",
        "annotation",
        ann.pk,
        ops,
        base={"location": base.get("location"), "frame": "server"},
        mine=annotation_view(s, ann),
        theirs={"deleted": True},
        message="deleted on the server while edited here",
    )
    ann.sync_state = SyncState.ORPHANED


def list_conflicts(store: Store) -> list[ConflictInfo]:
    """Open conflicts, oldest first, for the UI's sync-issues panel."""
    with store.read() as s:
        rows = s.scalars(
            select(SyncConflict)
            .where(SyncConflict.status == ConflictStatus.OPEN)
            .order_by(SyncConflict.pk)
        )
        out = []
        for c in rows:
            mine = loads(c.local_json)
            out.append(
                ConflictInfo(
                    pk=c.pk,
                    kind=c.kind,
                    entity_type=c.entity_type,
                    entity_pk=c.entity_pk,
                    base=loads(c.base_json),
                    mine=mine,
                    theirs=loads(c.server_json),
                    detected_at=c.detected_at,
                    message=str(mine.get("message") or c.kind),
                )
            )
        return out


def _parked_ops(s: Session, c: SyncConflict) -> list[CommandLog]:
    return list(
        s.scalars(
            select(CommandLog).where(
                CommandLog.entity_type == c.entity_type,
                CommandLog.entity_pk == c.entity_pk,
                CommandLog.state.in_((OpState.CONFLICT, OpState.FAILED)),
            )
        )
    )


def _purge_annotation(s: Session, pk: int) -> None:
    """Remove a row and its links; their remaining ops are settled as discarded."""
    link_pks = list(s.scalars(select(AnnotationTerm.pk).where(AnnotationTerm.annotation_pk == pk)))
    for etype, pks in (("annotation", [pk]), ("annotation_term", link_pks)):
        if pks:
            for op in s.scalars(
                select(CommandLog).where(
                    CommandLog.entity_type == etype,
                    CommandLog.entity_pk.in_(pks),
                    CommandLog.state.in_((*UNFINISHED, OpState.CONFLICT, OpState.FAILED)),
                )
            ):
                op.state, op.last_error = OpState.DONE, "discarded by the user"
    s.execute(delete(Annotation).where(Annotation.pk == pk))


def resolve(store: Store, conflict_pk: int, choice: str) -> None:
    """Apply the user's choice for one conflict (``mine``, ``theirs`` or ``both``)."""
    if choice not in CHOICES:
        raise ConflictError(f"choice must be one of {CHOICES}")
    with store.read() as s:
        c = s.get(SyncConflict, conflict_pk)
        if c is None or c.status is not ConflictStatus.OPEN:
            raise ConflictError(f"no open conflict {conflict_pk}")
        ann = s.get(Annotation, c.entity_pk) if c.entity_type == "annotation" else None
        user_pk = ann.user_pk if ann is not None else None
    with store.unit_of_work(undoable=False, user_pk=user_pk) as uow:
        s = uow.session
        c = s.get(SyncConflict, conflict_pk)
        assert c is not None
        mine = loads(c.local_json)
        ops = _parked_ops(s, c)
        for op in ops:
            op.state, op.last_error = OpState.DONE, f"conflict resolved: {choice}"
        ann = s.get(Annotation, c.entity_pk) if c.entity_type == "annotation" else None
        kind = c.kind
        if kind == "server_restore":
            from desktop_app.sync.pull.restore import resolve_restore

            resolve_restore(uow, c, choice, mine)
            return
        if kind == "review" and choice == "mine":
            raise ConflictError("the first review stands; keep theirs or reject it on the server")
        if c.entity_type not in ("annotation", "image"):
            from desktop_app.sync.conflicts.meta import resolve_meta

            resolve_meta(uow, c, choice, mine, ops)
            c.status, c.resolution = ConflictStatus.RESOLVED, choice
            return
        if c.entity_type == "image" and choice in ("mine", "both"):
            _retry_upload(s, c.entity_pk)  # the next sync tries the upload again
        if ann is None:
            pass
        elif kind == "failed" and choice in ("mine", "both"):
            for op in ops:
                op.state, op.last_error = OpState.PENDING, None
        elif kind == "failed":
            if ann.server_id is None:
                _purge_annotation(s, ann.pk)
            else:
                _restore_base(s, ann)
        elif kind in ("geometry", "delete_vs_edit") and choice == "mine" and ann.local_deleted:
            ann.sync_state = SyncState.PENDING  # deleted since: that newer intent goes out
        elif kind == "geometry" and choice == "mine":
            ann.sync_state = SyncState.PENDING
            edits.update_geometry(uow, ann.pk, str(mine["location"]))
        elif kind == "geometry" and choice == "both":
            ann.sync_state = SyncState.SYNCED
            edits.create_annotation(
                uow,
                image_pk=ann.image_pk,
                geometry=str(mine["location"]),
                user_pk=ann.user_pk,
                term_pks=_live_terms(s, ann.pk, mine),
            )
        elif kind == "delete_vs_edit" and choice == "mine":
            ann.sync_state = SyncState.PENDING
            edits.delete_annotations(uow, [ann.pk])
        elif kind == "edit_vs_delete" and choice in ("mine", "both"):
            geom = shapely.from_wkb(ann.location)
            terms = _live_terms(s, ann.pk, mine)
            _purge_annotation(s, ann.pk)
            s.flush()
            edits.create_annotation(
                uow, image_pk=ann.image_pk, geometry=geom, user_pk=ann.user_pk, term_pks=terms
            )
        elif kind == "edit_vs_delete" or kind == "review":
            _purge_annotation(s, ann.pk)
        else:  # theirs (or both where theirs is the only sensible answer): keep the row
            ann.sync_state = SyncState.SYNCED
            ann.dirty_fields = []
        c.status, c.resolution = ConflictStatus.RESOLVED, choice


def _retry_upload(s: Session, image_pk: int) -> None:
    from sqlalchemy import update

    from desktop_app.model.image import AbstractImage, ImageInstance
    from desktop_app.model.sync import UploadQueue

    uid = s.scalar(
        select(AbstractImage.uid)
        .join(ImageInstance, ImageInstance.base_image_pk == AbstractImage.pk)
        .where(ImageInstance.pk == image_pk)
    )
    s.execute(update(UploadQueue).where(UploadQueue.file_uid == uid).values(state="pending"))


def _restore_base(s: Session, ann: Annotation) -> None:
    """Back to the last server version the cache saw (the user discarded the local edit)."""
    base = loads(ann.base_json)
    if isinstance(base.get("location"), str):
        geom = from_cytomine_wkt(base["location"], image_height(s, ann.image_pk))
        for key, value in geometry_columns(geom).items():
            setattr(ann, key, value)
    ann.sync_state, ann.dirty_fields, ann.local_deleted = SyncState.SYNCED, [], False


def _live_terms(s: Session, ann_pk: int, mine: dict[str, Any]) -> list[int]:
    terms = mine.get("terms")
    if isinstance(terms, list) and terms:
        return [int(t) for t in terms]
    return list(
        s.scalars(
            select(AnnotationTerm.term_pk).where(
                AnnotationTerm.annotation_pk == ann_pk, AnnotationTerm.local_deleted.is_(False)
            )
        )
    )


__all__ = ["CHOICES", "ConflictError", "ConflictInfo", "list_conflicts", "record", "resolve"]
