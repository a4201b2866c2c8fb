"""Running the pull of one project: the bulk feed page by page, or a stock Cytomine's
full (id, updated) comparison, then the bytes of newly pulled attached files.

Each feed page — annotations, term links, properties, descriptions, file records,
terms — is applied in ONE transaction that also stores the new cursor, so a crash
between pages never skips a change (sync-design 5.5, invariant 8).  Before the first
page the stored server identity is checked (``restore.py``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from desktop_app.model.annotation import Annotation
from desktop_app.model.base import SyncState
from desktop_app.model.image import ImageInstance
from desktop_app.protocol.cytomine.answers_annotation import ANNOTATIONS, AnnotationJson
from desktop_app.protocol.sync_ext import BulkPage, Change, ChangesPage
from desktop_app.store.uow import Store
from desktop_app.sync.pull import annotations as pull
from desktop_app.sync.pull import checkout, restore
from desktop_app.sync.pull import files as files_pull
from desktop_app.sync.pull.meta import apply_page_extras
from desktop_app.sync.transport.http import (
    ClientError,
    CytomineClient,
    parse_answer,
)

Progress = Callable[[str, int, int], None]


def pull_project(
    store: Store,
    client: CytomineClient,
    project_pk: int,
    sid: int,
    server_id: Callable[[], str],
    cancel: threading.Event | None,
    progress: Progress,
) -> int:
    """Pull one project; returns how many rows changed in the cache."""
    stats = pull.PullStats()
    if client.use_feed:
        try:
            _pull_feed(store, client, project_pk, sid, server_id, stats, cancel, progress)
            files_pull.download_missing(store, client, cancel)
            return stats.pulled
        except ClientError as exc:
            if exc.status != 404:
                raise
            client.use_feed = False  # a stock Cytomine: no feed, no batched push
    _pull_full(store, client, project_pk, sid, stats, cancel)
    return stats.pulled


def _pull_feed(
    store: Store,
    client: CytomineClient,
    project_pk: int,
    sid: int,
    server_id: Callable[[], str],
    stats: pull.PullStats,
    cancel: threading.Event | None,
    progress: Progress,
) -> None:
    since, known = restore.stored(store, project_pk)
    ident = server_id()
    if since and known is not None:
        fp = restore.fingerprint(client, sid, since)
        if known != restore.identity(ident, fp):
            restore.handle_restore(store, client, project_pk, sid)
            since = 0
    start = since
    since, rest = _skip_known(store, client, project_pk, sid, since)  # our own pushes
    while rest and (cancel is None or not cancel.is_set()):
        page = parse_answer(
            BulkPage,
            client.get(f"/api/project/{sid}/annotations/bulk.json", since=since, max=5000),
            "pull page",
        )
        rows = page.annotations
        _ensure_images(store, client, project_pk, rows)
        cursor = page.cursor
        with store.unit_of_work(undoable=False) as uow:
            deleted = [d.id for d in page.deleted]
            pull.apply_page(uow.session, project_pk, rows, deleted, stats)
            apply_page_extras(uow.session, page, stats)
            pull.save_cursor(uow.session, project_pk, client.base_url, str(cursor))
        progress("pull-page", stats.pulled, 0)
        if not page.hasMore or cursor <= since:
            since = cursor
            break
        since = cursor
    if since != start or known is None:
        fp = restore.fingerprint(client, sid, since)
        restore.remember(store, project_pk, restore.identity(ident, fp))


#: Feed entities the bulk page carries (the others are the checkout's: nothing to fetch).
_BULK_ENTITIES = {
    "annotation",
    "annotationterm",
    "reviewedannotation",
    "property",
    "description",
    "attachedfile",
    "term",
}


def _skip_known(
    store: Store, client: CytomineClient, project_pk: int, sid: int, since: int
) -> tuple[int, bool]:
    """Advance the cursor over feed rows the cache already holds; (cursor, more to fetch).

    After a push, the feed's next rows are our own creates: the bulk page would send
    them back in full (the server serialising 10,000 geometries, the cache comparing
    them) only for ``apply_page`` to find each at the version it already has.  The
    light feed (``changes.json``: id, action, version) says so first; the prefix of rows
    that are annotations present here at that version and synced -- or entities the
    page does not carry -- is skipped, in a transaction that only moves the cursor.
    The first other row stops the skip: the page is fetched from there as before.
    """
    while True:
        feed = parse_answer(
            ChangesPage,
            client.get(f"/api/project/{sid}/changes.json", since=since, max=5000),
            "feed page",
        )
        rows = feed.changes
        cursor = _known_prefix(store, project_pk, rows, since)
        if cursor != since:
            with store.unit_of_work(undoable=False) as uow:
                pull.save_cursor(uow.session, project_pk, client.base_url, str(cursor))
        if not rows or cursor != rows[-1].seq:  # empty, or stopped at a row
            return cursor, bool(rows)
        if not feed.hasMore:
            return cursor, False
        since = cursor


def _known_prefix(store: Store, project_pk: int, rows: list[Change], since: int) -> int:
    """The seq of the last row of the leading run the cache needs nothing from."""
    ids = [r.id for r in rows if r.entity == "annotation"]
    have: dict[int, tuple[int | None, SyncState]] = {}
    with store.read() as s:
        for i in range(0, len(ids), 900):
            for sid_, ver, state in s.execute(
                select(Annotation.server_id, Annotation.server_updated, Annotation.sync_state)
                .where(Annotation.server_id.in_(ids[i : i + 900]))
                .where(Annotation.project_pk == project_pk)
            ):
                if sid_ is not None:  # (the IN names server ids)
                    have[sid_] = (ver, state)
    cursor = since
    for r in rows:
        if r.entity == "annotation" and r.action in ("created", "updated"):
            if have.get(r.id) != (r.updated, SyncState.SYNCED):
                break
        elif r.entity in _BULK_ENTITIES:
            break
        cursor = r.seq
    return cursor


def _ensure_images(
    store: Store, client: CytomineClient, project_pk: int, rows: list[AnnotationJson]
) -> None:
    wanted = {image for r in rows if (image := r.get("image"))}
    if not wanted:
        return
    with store.read() as s:
        known = set(
            s.scalars(select(ImageInstance.server_id).where(ImageInstance.server_id.in_(wanted)))
        )
    for image_id in wanted - known:
        checkout.ensure_image(store, client, project_pk, image_id)


def _pull_full(
    store: Store,
    client: CytomineClient,
    project_pk: int,
    sid: int,
    stats: pull.PullStats,
    cancel: threading.Event | None,
) -> None:
    """Stock Cytomine: compare every (id, updated) per image (sync-design 5.5 step 2)."""
    with store.read() as s:
        images = list(
            s.execute(
                select(ImageInstance.pk, ImageInstance.server_id).where(
                    ImageInstance.project_pk == project_pk, ImageInstance.server_id.is_not(None)
                )
            )
        )
    for image_pk, image_sid in images:
        if cancel is not None and cancel.is_set():
            return
        params: dict[str, Any] = {
            "image": image_sid,
            "showMeta": "true",
            "showWKT": "true",
            "showTerm": "true",
        }
        listing = "/api/annotation.json"
        rows = client.collection_as(ANNOTATIONS, listing, "annotations", **params)
        rows += client.collection_as(ANNOTATIONS, listing, "annotations", reviewed="true", **params)
        present = {r["id"] for r in rows}
        with store.unit_of_work(undoable=False) as uow:
            local = {
                sid
                for sid in uow.session.scalars(
                    select(Annotation.server_id).where(
                        Annotation.image_pk == image_pk, Annotation.server_id.is_not(None)
                    )
                )
                if sid is not None
            }
            pull.apply_page(uow.session, project_pk, rows, sorted(local - present), stats)
            pull.save_cursor(uow.session, project_pk, client.base_url, None)
