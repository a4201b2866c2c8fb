"""Pull: server annotations (user, algo, reviewed) and their terms into the cache.

Two sources behind one ``apply_page``:

* our server's bulk feed (``/api/project/{id}/annotations/bulk.json?since=cursor``):
  each page is applied in ONE transaction that also stores the new cursor, so a crash
  between pages never skips a change (sync-design 5.5, invariant 8);
* a stock Cytomine (no feed): a full (id, updated) comparison per image through
  ``/api/annotation.json?image=…&showMeta&showWKT&showTerm`` — ids missing from the
  listing are server deletions.

A pull never overwrites a row that still has ops to deliver (its local intent wins
until the push settles it); a server deletion of such a row becomes a conflict.
New rows go in through the driver's ``executemany`` (100k rows in seconds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation, AnnotationKind
from desktop_app.model.base import SyncState, new_uid, utcnow
from desktop_app.model.image import AbstractImage, ImageInstance
from desktop_app.model.ontology import Term
from desktop_app.model.security import User
from desktop_app.model.sync import CommandLog, OpState, SyncConflict, SyncCursor
from desktop_app.protocol.cytomine.answers_annotation import AnnotationJson
from desktop_app.store.annotations import sqlite_cursor
from desktop_app.sync.conflicts import records as conflicts
from desktop_app.sync.local import (
    UNFINISHED,
    decode_many,
    dumps,
    unchanged_row,
    unfinished_pks,
    user_pk_for,
    version_of,
)
from desktop_app.sync.pull.annotation_terms import chunks, kind_of, merge_terms

_INSERT = (
    "INSERT INTO annotation (pk, uid, kind, project_pk, image_pk, user_pk, location, "
    "geometry_type, min_x, min_y, max_x, max_y, area, perimeter, area_unit, perimeter_unit, "
    "count_reviewed_annotations, nb_comments, created, dirty_fields, local_deleted, sync_state, "
    "server_id, server_updated, base_json, parent_pk, parent_ident, parent_class_name, status, "
    "review_user_pk) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?, ?, ?, ?, ?, ?)"
)


@dataclass
class PullStats:
    """What one pull did (counted for the report)."""

    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    conflicts: int = 0
    skipped_busy: int = 0
    missing_images: set[int] = field(default_factory=set)

    @property
    def pulled(self) -> int:
        return self.inserted + self.updated + self.deleted


def _local_versions(s: Session, ids: list[int]) -> dict[int, tuple[int, int | None, SyncState]]:
    """Server id -> (local pk, server version, sync state) of the cached ``ids``."""
    local: dict[int, tuple[int, int | None, SyncState]] = {}
    for part in chunks(ids):
        for pk, sid, ver, state in s.execute(
            select(
                Annotation.pk,
                Annotation.server_id,
                Annotation.server_updated,
                Annotation.sync_state,
            ).where(Annotation.server_id.in_(part))
        ):
            if sid is not None:  # (the IN names server ids)
                local[sid] = (pk, ver, state)
    return local


def by_server_id(s: Session, model: Any) -> dict[int, int]:
    """Server id -> local pk of the rows of ``model`` the server knows."""
    rows = s.execute(select(model.server_id, model.pk).where(model.server_id.is_not(None)))
    return {int(sid): int(pk) for sid, pk in rows}


def _images(s: Session, project_pk: int) -> dict[int, tuple[int, float]]:
    rows = s.execute(
        select(ImageInstance.server_id, ImageInstance.pk, AbstractImage.height)
        .join(AbstractImage, ImageInstance.base_image_pk == AbstractImage.pk)
        .where(ImageInstance.project_pk == project_pk, ImageInstance.server_id.is_not(None))
    )
    return {sid: (pk, float(h)) for sid, pk, h in rows if sid is not None}


def apply_page(
    s: Session,
    project_pk: int,
    rows: list[AnnotationJson],
    deleted_ids: list[int],
    stats: PullStats,
) -> None:
    """Apply server rows (parsed through ``AnnotationJson``) and deletions to the cache
    (caller owns the transaction)."""
    images = _images(s, project_pk)
    users = by_server_id(s, User)
    terms = by_server_id(s, Term)
    busy = unfinished_pks(s, "annotation")
    rows = sorted(rows, key=lambda r: kind_of(r) is AnnotationKind.REVIEWED)  # parents first
    local = _local_versions(s, [r["id"] for r in rows])
    by_uid: dict[str, int] = {}
    uids = [uid for r in rows if (uid := r.get("uid")) and r["id"] not in local]
    for part in chunks(uids):
        by_uid.update(
            s.execute(select(Annotation.uid, Annotation.pk).where(Annotation.uid.in_(part))).all()
        )
    wanted = [r for r in rows if r.get("location") is not None and r.get("image", 0) in images]
    stats.missing_images |= {r.get("image", 0) for r in rows if r.get("image", 0) not in images}
    touched: dict[int, AnnotationJson] = {}  # local pk -> server row (for terms)
    wanted = [r for r in wanted if not unchanged_row(r, local, busy, users, touched, s)]
    geoms = decode_many(wanted, images)  # (the rows we just pushed come back: no decoding)
    next_pk = (s.scalar(select(func.max(Annotation.pk))) or 0) + 1
    created = utcnow().replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    inserts: list[tuple[Any, ...]] = []
    updates: list[dict[str, Any]] = []
    in_conflict: list[tuple[int, AnnotationJson]] = []
    for r, g in zip(wanted, geoms, strict=True):
        sid, ver, kind = r["id"], version_of(r), kind_of(r)
        user_sid = r.get("user")
        if user_sid is not None and user_sid not in users:
            users[user_sid] = user_pk_for(s, user_sid)
        review_user = r.get("reviewUser")
        if review_user is not None and review_user not in users:
            users[review_user] = user_pk_for(s, review_user)
        parent_pk = None
        parent_ident = r.get("parentIdent")
        if kind is AnnotationKind.REVIEWED and parent_ident is not None:
            parent_pk = s.scalar(select(Annotation.pk).where(Annotation.server_id == parent_ident))
        cols = {
            "location": g[0],
            "geometry_type": g[1],
            "min_x": g[2],
            "min_y": g[3],
            "max_x": g[4],
            "max_y": g[5],
            "area": g[6],
            "perimeter": g[7],
            "server_id": sid,
            "server_updated": ver,
            "base_json": dumps(r),
            "count_reviewed_annotations": int(bool(r.get("reviewed")))
            if kind is not AnnotationKind.REVIEWED
            else 0,
            "parent_pk": parent_pk,
            "review_user_pk": users.get(review_user) if review_user is not None else None,
        }
        hit = local.get(sid)
        found = hit[0] if hit else by_uid.get(r.get("uid") or "")
        if found is None:
            pk, next_pk = next_pk, next_pk + 1
            h = images[r["image"]]
            inserts.append(
                (
                    pk,
                    str(r.get("uid") or new_uid()),
                    kind.value,
                    project_pk,
                    h[0],
                    users[user_sid] if user_sid is not None else None,
                    *g[:8],
                    "PIXELS²",
                    "PIXELS",
                    cols["count_reviewed_annotations"],
                    int(r.get("nbComments") or 0),
                    created,
                    "[]",
                    0,
                    SyncState.SYNCED.value,
                    sid,
                    ver,
                    cols["base_json"],
                    parent_pk,
                    parent_ident,
                    None,
                    0 if kind is AnnotationKind.REVIEWED else None,
                    cols["review_user_pk"],
                )
            )
            stats.inserted += 1
            touched[pk] = r
            continue
        pk = found
        if pk in busy:
            stats.skipped_busy += 1
            touched[pk] = r
            continue
        if hit is not None and hit[1] == ver and hit[2] is SyncState.SYNCED:
            touched[pk] = r  # same version: only the term links may have changed
            continue
        if hit is not None and hit[2] is SyncState.CONFLICT:
            in_conflict.append((pk, r))
        updates.append(
            {
                "pk": pk,
                **cols,
                "local_deleted": False,
                "dirty_fields": [],
                "sync_state": SyncState.CONFLICT
                if hit and hit[2] is SyncState.CONFLICT
                else SyncState.SYNCED,
            }
        )
        stats.updated += 1
        touched[pk] = r
    if inserts:
        cursor = sqlite_cursor(s)
        cursor.executemany(_INSERT, inserts)
        cursor.close()
    if updates:
        s.execute(update(Annotation), updates)
    for pk, r in in_conflict:
        conflicts.refresh_theirs(s, "annotation", pk, r, images[r["image"]][1])
    merge_terms(s, touched, terms, users, created)
    _apply_deletions(s, deleted_ids, busy, stats)


def _apply_deletions(s: Session, ids: list[int], busy: set[int], stats: PullStats) -> None:
    """Server deletions: purge clean rows; a row with local intent becomes a conflict."""
    for part in chunks([int(i) for i in ids]):
        for ann in s.scalars(select(Annotation).where(Annotation.server_id.in_(part))):
            if ann.pk in busy:
                ops = list(
                    s.scalars(
                        select(CommandLog).where(
                            CommandLog.entity_type == "annotation",
                            CommandLog.entity_pk == ann.pk,
                            CommandLog.state.in_(UNFINISHED),
                        )
                    )
                )
                if ann.local_deleted:
                    for op in ops:  # both sides want it gone: the pull is the server's answer
                        op.state = OpState.DONE
                        op.last_error = "already deleted on the server"
                else:
                    conflicts.server_deleted(s, ann, ops)
                    stats.conflicts += 1
                    continue
            open_conflict = s.scalar(
                select(SyncConflict.pk).where(
                    SyncConflict.entity_type == "annotation",
                    SyncConflict.entity_pk == ann.pk,
                    SyncConflict.status == "open",
                )
            )
            if open_conflict is not None:
                conflicts.refresh_theirs(s, "annotation", ann.pk, None, 1.0)
                ann.sync_state = SyncState.ORPHANED
                continue
            s.delete(ann)
            stats.deleted += 1
    s.flush()


def save_cursor(s: Session, project_pk: int, server_url: str, cursor: str | None) -> None:
    row = s.get(SyncCursor, project_pk)
    if row is None:
        row = SyncCursor(project_pk=project_pk, server_url=server_url)
        s.add(row)
    if cursor is not None:
        row.feed_cursor = cursor
    row.last_sync_at = utcnow()
